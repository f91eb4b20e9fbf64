//! The app's state and its interface with the runtime: what comes in ([`Message`]), what goes
//! out ([`Command`]), and what is saved. `update` is in `update.rs`, drawing in `view.rs`.

use super::lesson::LessonScreen;
use super::picker::Picker;
use super::theme::Theme;
use crate::lesson::Lesson;
use crate::tutor::{Mode, Progress, Session};
use ratatui::crossterm::event::KeyEvent;

/// What the runtime hands to [`App::update`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    Key(KeyEvent),
    /// Bracketed paste: text for the answer box, never commands.
    Paste(String),
}

/// What [`App::update`] asks the runtime to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Quit,
    /// Save [`App::progress`]: sent after each graded answer, hint, reveal and step move.
    Save,
    /// Load the shipped lesson of this name and its saved progress, then call [`App::open`].
    Open(String),
}

pub struct App {
    pub(super) screen: Screen,
    pub(super) mode: Mode,
    pub(super) theme: Theme,
    /// The `?` overlay is open.
    pub(super) help: bool,
    /// Shown on the last line until the next key.
    pub(super) warning: Option<String>,
}

pub(super) enum Screen {
    Picker(Picker),
    Lesson(Box<LessonScreen>),
}

/// Colour unless NO_COLOR is set to something (no-color.org); the runtime may override it
/// with [`App::set_color`].
fn color_from_env() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|value| value.is_empty())
}

impl App {
    fn with_screen(screen: Screen, mode: Mode) -> App {
        App { screen, mode, theme: Theme::new(color_from_env()), help: false, warning: None }
    }

    /// A lesson, resumed from `progress` (pass `Progress::default()` to start afresh).
    pub fn for_lesson(lesson: Lesson, mode: Mode, progress: Progress) -> App {
        App::with_screen(
            Screen::Lesson(Box::new(LessonScreen::new(Session::new(lesson, mode, progress)))),
            mode,
        )
    }

    /// The lesson picker: the shipped lessons with their descriptions, `notes-example` first.
    pub fn picker(mode: Mode) -> App {
        App::with_screen(Screen::Picker(Picker::shipped()), mode)
    }

    /// Opens a lesson, after [`Command::Open`]: the runtime has loaded it and its progress.
    pub fn open(&mut self, lesson: Lesson, progress: Progress) {
        self.screen = Screen::Lesson(Box::new(LessonScreen::new(Session::new(lesson, self.mode, progress))));
        self.help = false;
    }

    /// What to save: the lesson on screen and its progress (`None` in the picker).
    pub fn progress(&self) -> Option<(&Lesson, Progress)> {
        match &self.screen {
            Screen::Lesson(screen) => Some((screen.session().lesson(), screen.session().progress().clone())),
            Screen::Picker(_) => None,
        }
    }

    /// Shows a warning (e.g. "progress not saved: …") on the last line until the next key.
    pub fn warn(&mut self, text: String) {
        self.warning = Some(text);
    }

    /// Colour on or off (off for NO_COLOR): without colour every state still has a symbol or a
    /// text attribute.
    pub fn set_color(&mut self, on: bool) {
        self.theme = Theme::new(on);
    }
}
