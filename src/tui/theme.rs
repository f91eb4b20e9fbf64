//! Every style and marker the screen uses, in colour or without it (NO_COLOR).
//!
//! Without colour, emphasis falls back to bold, underline and reverse video, and every state
//! that colour would carry also has a symbol ([`WRONG`], [`CARRIED`], [`CLOSED_GATE`],
//! [`UNKNOWN`], [`NO_VALUE`], [`INVOLVED`]), so the screen reads the same on a monochrome terminal or in a text capture.

use ratatui::style::{Color, Modifier, Style};

/// After an entry of the learner's answer that is wrong.
pub(super) const WRONG: &str = "✗";
/// A hidden unit whose gate f'(z) is 0: a closed ReLU.
pub(super) const CLOSED_GATE: &str = "⊘";
/// A hidden or output unit in the network diagram.
pub(super) const UNIT: &str = "●";
/// After the learner's own value, credited as carried from an earlier wrong answer.
pub(super) const CARRIED: &str = "≈";
/// A value the learner has not found yet.
pub(super) const UNKNOWN: &str = "?";
/// An entry the step on screen has no value of: an example's activation at a step of the
/// whole dataset (the sum, Steps 5 and 6), where there is no one example to show.
pub(super) const NO_VALUE: &str = "·";
/// Before the name of a part of the network that the current step involves.
pub(super) const INVOLVED: &str = "▸";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    color: bool,
}

impl Theme {
    pub fn new(color: bool) -> Self {
        Theme { color }
    }

    /// Picks the coloured or the monochrome style.
    fn pick(self, colored: Style, mono: Style) -> Style {
        if self.color { colored } else { mono }
    }

    /// The first line: lesson, step, mode and progress.
    pub fn header(self) -> Style {
        self.pick(
            Style::new().fg(Color::Black).bg(Color::Cyan).add_modifier(Modifier::BOLD),
            Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD),
        )
    }

    pub fn pane_title(self) -> Style {
        self.pick(
            Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
            Style::new().add_modifier(Modifier::BOLD),
        )
    }

    /// The rule a pane's title sits on.
    pub fn border(self) -> Style {
        self.pick(Style::new().fg(Color::DarkGray), Style::new())
    }

    /// What the current step asks for.
    pub fn asked(self) -> Style {
        self.pick(
            Style::new().fg(Color::Black).bg(Color::Yellow).add_modifier(Modifier::BOLD),
            Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD),
        )
    }

    /// What the current step uses (the highlighted part of the notes' figures).
    pub fn involved(self) -> Style {
        self.pick(
            Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD),
            Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
        )
    }

    pub fn wrong(self) -> Style {
        self.pick(
            Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
            Style::new().add_modifier(Modifier::BOLD),
        )
    }

    pub fn right(self) -> Style {
        self.pick(
            Style::new().fg(Color::Green).add_modifier(Modifier::BOLD),
            Style::new().add_modifier(Modifier::BOLD),
        )
    }

    /// Carried, revealed and other outcomes that are neither right nor wrong.
    pub fn note(self) -> Style {
        self.pick(
            Style::new().fg(Color::Magenta).add_modifier(Modifier::BOLD),
            Style::new().add_modifier(Modifier::BOLD),
        )
    }

    /// Unknown values, explanations, hints about keys.
    pub fn muted(self) -> Style {
        self.pick(Style::new().fg(Color::DarkGray), Style::new().add_modifier(Modifier::DIM))
    }

    pub fn key(self) -> Style {
        self.pick(
            Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
            Style::new().add_modifier(Modifier::BOLD),
        )
    }

    pub fn warning(self) -> Style {
        self.pick(
            Style::new().fg(Color::Black).bg(Color::Yellow).add_modifier(Modifier::BOLD),
            Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD),
        )
    }

    /// The answer box's text while it is selected (a graded answer that typing replaces).
    pub fn selection(self) -> Style {
        self.pick(
            Style::new().fg(Color::Black).bg(Color::Gray),
            Style::new().add_modifier(Modifier::REVERSED | Modifier::UNDERLINED),
        )
    }

    /// The answer box's own cursor, drawn as a cell so it shows on any backend.
    pub fn cursor(self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }
}
