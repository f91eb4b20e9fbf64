//! The app's state and its interface with the runtime: what comes in ([`Message`]), what goes
//! out ([`Command`]), and what is saved. `update` is in `update.rs`, drawing in `view.rs`.

use super::lesson::{Drawn, LessonScreen};
use super::picker::Picker;
use super::theme::Theme;
use crate::lesson::Lesson;
use crate::tutor::course::{Entry, Variant};
use crate::tutor::{Mode, Notice, Progress, Session};
use ratatui::crossterm::event::{KeyEvent, MouseEvent};
use std::cell::Cell;

/// What the runtime hands to [`App::update`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    Key(KeyEvent),
    /// Bracketed paste: text for the answer box, never commands.
    Paste(String),
    /// The mouse wheel scrolls the pane under the pointer.
    Mouse(MouseEvent),
}

/// What [`App::update`] asks the runtime to do, in order.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    Quit,
    /// Save [`App::record`]: sent after each graded answer, hint, reveal, reset and step move,
    /// and before the lesson on screen is left.
    Save,
    /// Load the shipped lesson of this name and its saved progress, then call [`App::open`].
    Open(String),
    /// Make the lesson `new` makes for this variant, load its progress, then call
    /// [`App::open_variant`].
    OpenVariant(Variant),
    /// Back to the lesson list, once the lesson has been saved: call [`App::show_picker`].
    ShowPicker,
}

/// A window over the lesson screen.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Overlay {
    Help,
    Description,
    /// A variant just made: how to make it again, and what it is for.
    Variant(Variant),
}

pub struct App {
    pub(super) screen: Screen,
    pub(super) mode: Mode,
    pub(super) theme: Theme,
    pub(super) overlay: Option<Overlay>,
    /// How far the overlay is scrolled, and (set while drawing) how far it can be.
    pub(super) overlay_scroll: u16,
    pub(super) overlay_limit: Cell<Drawn>,
    /// Shown on the last line until the next key.
    pub(super) warning: Option<String>,
    /// "saved", "resumed: 3 of 6 done": on the first line until the next key.
    pub(super) notice: Option<Notice>,
}

pub(super) enum Screen {
    Picker(Picker),
    Lesson {
        lesson: Box<LessonScreen>,
        /// The list it was chosen from, to go back to.
        back: Option<Picker>,
    },
}

/// Colour unless NO_COLOR is set to something (no-color.org); the runtime may override it
/// with [`App::set_color`].
fn color_from_env() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|value| value.is_empty())
}

impl App {
    fn with_screen(screen: Screen, mode: Mode) -> App {
        App {
            screen,
            mode,
            theme: Theme::new(color_from_env()),
            overlay: None,
            overlay_scroll: 0,
            overlay_limit: Cell::default(),
            warning: None,
            notice: None,
        }
    }

    /// A lesson, resumed from `progress` (pass `Progress::default()` to start afresh).
    pub fn for_lesson(lesson: Lesson, mode: Mode, progress: Progress) -> App {
        let session = Session::new(lesson, mode, progress);
        let notice = session.resumed().cloned();
        let mut app = App::with_screen(
            Screen::Lesson { lesson: Box::new(LessonScreen::new(session)), back: None },
            mode,
        );
        app.notice = notice;
        app
    }

    /// The lesson list: the shipped lessons with their descriptions and progress (as
    /// [`crate::tutor::course::shipped_lessons`] gives them), `notes-example` first.
    pub fn picker(mode: Mode, lessons: Vec<Entry>) -> App {
        App::with_screen(Screen::Picker(Picker::new(lessons)), mode)
    }

    /// Opens a lesson, after [`Command::Open`] or [`Command::OpenVariant`]: the runtime has
    /// loaded it and its progress. The list it came from, if any, stays to go back to.
    pub fn open(&mut self, lesson: Lesson, progress: Progress) {
        let session = Session::new(lesson, self.mode, progress);
        self.notice = session.resumed().cloned();
        let lesson = Box::new(LessonScreen::new(session));
        let placeholder = Screen::Picker(Picker::new(vec![]));
        let back = match std::mem::replace(&mut self.screen, placeholder) {
            Screen::Picker(picker) => Some(picker),
            Screen::Lesson { back, .. } => back,
        };
        self.screen = Screen::Lesson { lesson, back };
        self.overlay = None;
    }

    /// Opens a variant made by [`Command::OpenVariant`], saying how to make it again.
    pub fn open_variant(&mut self, lesson: Lesson, progress: Progress, variant: Variant) {
        self.open(lesson, progress);
        self.overlay = Some(Overlay::Variant(variant));
    }

    /// Back to the list the lesson was chosen from (after [`Command::ShowPicker`]), its entry
    /// showing the progress just made.
    pub fn show_picker(&mut self) {
        let placeholder = Screen::Picker(Picker::new(vec![]));
        if let Screen::Lesson { lesson, back: Some(mut picker) } =
            std::mem::replace(&mut self.screen, placeholder)
        {
            if self.mode == Mode::Practice {
                picker.update(lesson.session().lesson(), lesson.session().progress());
            }
            self.screen = Screen::Picker(picker);
        }
        self.overlay = None;
        self.notice = None;
    }

    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// What to save: the lesson on screen, the mode, its progress (`None` in the list).
    pub fn record(&self) -> Option<(&Lesson, Mode, Progress)> {
        match &self.screen {
            Screen::Lesson { lesson, .. } => {
                let session = lesson.session();
                Some((session.lesson(), session.mode(), session.progress().clone()))
            }
            Screen::Picker(_) => None,
        }
    }

    /// Shows a warning (e.g. "progress not saved: …") on the last line until the next key.
    pub fn warn(&mut self, text: String) {
        self.warning = Some(text);
    }

    /// Says that the progress was saved, until the next key.
    pub fn saved(&mut self) {
        if self.notice.is_none() {
            self.notice = Some(Notice::Saved);
        }
    }

    /// Colour on or off (off for NO_COLOR): without colour every state still has a symbol or a
    /// text attribute.
    pub fn set_color(&mut self, on: bool) {
        self.theme = Theme::new(on);
    }
}
