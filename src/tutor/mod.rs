//! The tutor without a screen (DESIGN.md §6): a lesson being practised or walked through, the
//! rules of both modes (attempts, hints, reveals, error carried forward), what the current step
//! involves and hints at, and the learner's progress saved between sessions. Front ends (the
//! TUI, `--plain`) only turn keys or lines into calls on a [`Session`] and draw what it says;
//! nothing here knows about terminals.

pub mod course;
pub mod hints;
pub mod involvement;
pub mod preview;
pub mod progress;
mod session;
pub mod store;

pub use preview::{Preview, Prompt};
pub use progress::{Progress, QuestionProgress, Status};
pub use session::{
    Confirm, Feedback, HINT_STAGES, JacobianView, Mode, Note, Notice, Score, Session, Visibility,
};
pub use store::{ProgressStore, SaveError};
