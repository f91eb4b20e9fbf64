//! A learner's progress through one lesson, kept between sessions of the tutor.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    /// Index into the lesson's plan of the step on screen.
    pub current_step: usize,
    /// Per asked quantity, by its name (`dL_dh2`, `dL_dWo[2,1]`).
    pub questions: BTreeMap<String, QuestionProgress>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct QuestionProgress {
    /// What the learner last submitted, so a wrong answer can be corrected rather than
    /// retyped; only submitted answers feed error carried forward.
    pub last_input: String,
    /// Text typed but not submitted, kept when the learner moves away or quits.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub draft: String,
    /// Well-formed answers given (invalid ones do not count).
    pub attempts: u32,
    /// How many hint stages were shown.
    pub hints: u32,
    pub status: Status,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    #[default]
    Open,
    Solved,
    /// Wrong, but right from the learner's own earlier answer (error carried forward).
    Carried,
    Revealed,
}
