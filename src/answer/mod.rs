//! What a learner types: the answer language, grading and diagnosis, answer files and batch
//! grading.
//!
//! - `language`: the answer language, parsed and evaluated into a [`Value`](crate::value::Value);
//! - `grade`: one answer against one question: verdict, wrong entries, diagnosis, carry;
//! - `sheet`: reading an answer file; `submission`: one file against every question;
//! - `batch`: many files on every core.

pub mod batch;
mod carry;
pub mod diagnose;
mod flat_toml;
mod formula;
pub mod grade;
pub mod language;
mod method;
pub mod shape;
pub mod sheet;
mod sorted;
pub mod submission;
mod training;

pub use carry::Earlier;
pub use diagnose::equation;
pub use formula::FormulaName;
pub use grade::{Diagnosis, Grade, GradeOptions, Grader, Identity, Verdict};
pub use submission::{Answered, Question, Submission, questions};
pub use training::equation_of;
