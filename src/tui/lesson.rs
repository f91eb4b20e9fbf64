//! A lesson on screen: the tutor's [`Session`] plus what only a terminal has, the answer box's
//! cursor and where the keyboard is. Every rule is the session's; this keeps the box and the
//! session's draft the same text.

use crate::tutor::Session;
use ratatui::crossterm::event::{Event, KeyEvent};
use tui_input::Input;
use tui_input::backend::crossterm::to_input_request;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    AnswerBox,
    Screen,
}

pub struct LessonScreen {
    session: Session,
    input: Input,
    focus: Focus,
}

impl LessonScreen {
    pub fn new(session: Session) -> Self {
        let mut screen = LessonScreen { input: Input::default(), focus: Focus::Screen, session };
        screen.sync();
        screen.focus_answer_if_open();
        screen
    }

    pub fn session(&self) -> &Session {
        &self.session
    }

    pub fn input(&self) -> &Input {
        &self.input
    }

    pub fn focus(&self) -> Focus {
        self.focus
    }

    /// The answer box again holds the session's draft, after the session moved to another
    /// question; the cursor stays where it was when the text did not change.
    fn sync(&mut self) {
        if self.input.value() != self.session.draft() {
            self.input = Input::new(self.session.draft().to_string());
        }
    }

    fn focus_answer_if_open(&mut self) {
        self.focus = if self.session.current_question().is_some() { Focus::AnswerBox } else { Focus::Screen };
    }

    /// Runs a session action that moves away from the answer box, then shows where it led.
    fn act(&mut self, action: impl FnOnce(&mut Session) -> bool) -> bool {
        let changed = action(&mut self.session);
        self.sync();
        self.focus = Focus::Screen;
        changed
    }

    pub fn go(&mut self, delta: isize) -> bool {
        self.act(|s| s.go(delta))
    }

    pub fn hint(&mut self) -> bool {
        let changed = self.session.hint();
        self.sync();
        changed
    }

    pub fn reveal(&mut self) -> bool {
        self.act(Session::reveal)
    }

    /// Grades the box; the focus stays in it while there is a question to answer.
    pub fn submit(&mut self) -> bool {
        let changed = self.session.submit();
        self.sync();
        self.focus_answer_if_open();
        changed
    }

    /// Keeps the unsubmitted answer with the progress, before quitting.
    pub fn keep_draft(&mut self) {
        self.session.keep_draft();
    }

    /// Puts the focus in the answer box, if there is a question to answer.
    pub fn enter_input(&mut self) -> bool {
        if self.session.nothing_to_answer() {
            return false;
        }
        self.focus = Focus::AnswerBox;
        true
    }

    pub fn leave_input(&mut self) {
        self.focus = Focus::Screen;
    }

    /// Edits the answer box with a key that is not a command (a character, Backspace, ←, …).
    pub fn edit(&mut self, key: KeyEvent) {
        if let Some(request) = to_input_request(&Event::Key(key)) {
            self.input.handle(request);
            self.session.set_draft(self.input.value());
        }
    }

    /// Types pasted text into the answer box, on one line: an answer never spans lines, and a
    /// control character must not reach the terminal when the box is drawn.
    pub fn paste(&mut self, text: &str) {
        for c in text.chars() {
            let c = if c.is_whitespace() { ' ' } else { c };
            if !c.is_control() {
                self.input.handle(tui_input::InputRequest::InsertChar(c));
            }
        }
        self.session.set_draft(self.input.value());
    }
}
