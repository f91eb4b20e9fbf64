//! What goes wrong in an answer, and what is worth saying about one that is right: both point
//! at a character of the input.

use std::fmt;

/// Why an answer could not be read or evaluated: a message for the learner and where.
#[derive(Debug, Clone, PartialEq)]
pub struct AnswerError {
    pub message: String,
    /// 0-based character (not byte) index into the input; the input's length in characters
    /// when the answer ends too soon.
    pub column: usize,
}

impl AnswerError {
    pub(super) fn new(column: usize, message: impl Into<String>) -> Self {
        AnswerError { message: message.into(), column }
    }

    /// The input, a caret under the offending character, and the message, on three lines.
    pub fn render(&self, input: &str) -> String {
        with_caret(input, self.column, &self.message)
    }
}

/// `column N: message`, with the column first because messages may name columns themselves
/// ("missing ')' to close the '(' at column 4").
impl fmt::Display for AnswerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "column {}: {}", self.column + 1, self.message)
    }
}

impl std::error::Error for AnswerError {}

/// A remark on an answer that was read: it changes nothing about the value, but the learner
/// may have meant something else (`log` is natural here, `1/2pi` is (1/2)·π).
#[derive(Debug, Clone, PartialEq)]
pub struct Note {
    pub message: String,
    /// 0-based character index of what the note is about.
    pub column: usize,
}

impl Note {
    /// The input, a caret under the character the note is about, and the note.
    pub fn render(&self, input: &str) -> String {
        with_caret(input, self.column, &self.message)
    }
}

fn with_caret(input: &str, column: usize, message: &str) -> String {
    // One character per column keeps the caret aligned, and echoing no control characters
    // keeps a pasted escape sequence from reaching the terminal.
    let line: String =
        input.chars().map(|c| if c.is_whitespace() || c.is_control() { ' ' } else { c }).collect();
    format!("{line}\n{}^\n{message}", " ".repeat(column))
}
