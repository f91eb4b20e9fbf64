//! A lesson on screen: the tutor's [`Session`] plus what only a terminal has: the answer box's
//! cursor, where the keyboard is, which pane has the focus and how far each is scrolled, and
//! the views (projector, weights as matrices). Every rule is the session's; this keeps the box
//! and the session's draft the same text.

use crate::diagnosis::DiagnosisId;
use crate::quantity::QuantityRef;
use crate::tutor::course::{Variant, next_lesson, next_variant, shipped_name};
use crate::tutor::{Preview, Prompt, Session};
use ratatui::crossterm::event::{Event, KeyEvent};
use ratatui::layout::{Position, Rect};
use std::cell::{Cell, OnceCell, RefCell};
use std::rc::Rc;
use tui_input::backend::crossterm::to_input_request;
use tui_input::{Input, InputRequest};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    AnswerBox,
    Screen,
}

/// The panes that scroll, in the order Tab goes through them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaneId {
    Step,
    /// The answer pane: what an answer earned can be longer than its rows.
    Answer,
    Network,
    Activations,
    Gradients,
}

pub(super) const PANES: [PaneId; 5] =
    [PaneId::Step, PaneId::Answer, PaneId::Network, PaneId::Activations, PaneId::Gradients];

impl PaneId {
    fn index(self) -> usize {
        PANES.iter().position(|&p| p == self).unwrap_or(0)
    }
}

/// What drawing found out about a pane, for the next key: where it is (for the mouse) and how
/// far it can scroll.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Drawn {
    pub area: Rect,
    pub max_scroll: u16,
}

/// A value kept between frames for as long as its key stays the same.
pub(crate) struct Cached<K, V>(RefCell<Option<(K, V)>>);

impl<K: PartialEq, V: Clone> Cached<K, V> {
    pub(crate) fn new() -> Self {
        Cached(RefCell::new(None))
    }

    /// The value for `key`, made by `make` if the key changed.
    pub(crate) fn get_or(&self, key: K, make: impl FnOnce() -> V) -> V {
        if let Some((cached, value)) = self.0.borrow().as_ref()
            && *cached == key
        {
            return value.clone();
        }
        let value = make();
        *self.0.borrow_mut() = Some((key, value.clone()));
        value
    }
}

/// A derivation's lines as the step pane shows them, and the notes' exact form where the step
/// has one.
pub(super) type DerivationText = (Rc<Vec<String>>, Option<Rc<Vec<String>>>);

/// The answer box read ahead, and how to answer the question it is for.
#[derive(Debug, PartialEq)]
pub struct ReadAhead {
    pub preview: Option<Preview>,
    pub prompt: Option<Prompt>,
}

pub struct LessonScreen {
    session: Session,
    input: Input,
    /// The box holds a graded answer, kept to be corrected, as a whole selection: the first
    /// character typed (or pasted) replaces it, and any other editing key ends the selection
    /// and edits the text. Without it a new answer would be glued to the old one.
    selected: bool,
    /// The question the box was last synced for, to tell when the session moved to another.
    question: Option<QuantityRef>,
    focus: Focus,
    /// The pane the scrolling keys scroll, and that gets room first.
    pane: PaneId,
    scroll: [u16; PANES.len()],
    drawn: [Cell<Drawn>; PANES.len()],
    /// The projector view: the current step alone on the whole screen.
    pub projector: bool,
    /// The network pane shows the weights as matrices rather than edges.
    pub weight_matrices: bool,
    /// The shipped lesson after this one, if this is a shipped lesson (found when first asked:
    /// it takes reading every shipped lesson).
    next: OnceCell<Option<&'static str>>,
    /// Where the session was when the panes were last scrolled to the top: moving on resets them.
    place: (usize, usize),
    /// The derivation of the step (and asks) on screen: lines with their digits worked out.
    pub(crate) derivation_text: Cached<(usize, Vec<QuantityRef>), DerivationText>,
    /// Worked out again only when the question or the box's text changes: the learner's other
    /// answers, which a formula reads, cannot change while a question is open.
    read_ahead: Cached<(QuantityRef, String), Rc<ReadAhead>>,
    /// What `n` makes: worked out again only when the answers show another mistake.
    next_variant: Cached<Vec<DiagnosisId>, Rc<Variant>>,
}

impl LessonScreen {
    pub fn new(session: Session) -> Self {
        let place = (session.step_index(), session.part().0);
        let mut screen = LessonScreen {
            input: Input::default(),
            selected: false,
            question: None,
            focus: Focus::Screen,
            session,
            pane: PaneId::Step,
            scroll: [0; PANES.len()],
            drawn: Default::default(),
            projector: false,
            weight_matrices: false,
            next: OnceCell::new(),
            place,
            derivation_text: Cached::new(),
            read_ahead: Cached::new(),
            next_variant: Cached::new(),
        };
        screen.sync();
        screen.focus_answer_if_open();
        screen
    }

    pub fn session(&self) -> &Session {
        &self.session
    }

    /// The answer box read ahead, and how to answer; `None` with no question open.
    pub fn read_ahead(&self) -> Option<Rc<ReadAhead>> {
        let question = self.session.current_question()?.clone();
        let key = (question, self.session.draft().to_string());
        Some(self.read_ahead.get_or(key, || {
            Rc::new(ReadAhead { preview: self.session.preview(), prompt: self.session.prompt() })
        }))
    }

    /// The variant `n` makes now (see [`next_variant`]).
    pub fn next_variant(&self) -> Rc<Variant> {
        let shown = self.session.diagnosed().to_vec();
        self.next_variant.get_or(shown, || Rc::new(next_variant(&self.session)))
    }

    pub fn input(&self) -> &Input {
        &self.input
    }

    pub fn focus(&self) -> Focus {
        self.focus
    }

    /// Whether the box's text is selected: a graded answer the next character replaces.
    pub fn selected(&self) -> bool {
        self.selected
    }

    /// Whether the box holds the open question's last graded answer, unedited: a draft typed
    /// but never submitted (say, restored on resume) is the learner's work in progress.
    fn holds_graded_answer(&self) -> bool {
        let text = self.input.value();
        self.session
            .current_question()
            .is_some_and(|q| !text.is_empty() && self.session.question(q).last_input == text)
    }

    pub fn pane(&self) -> PaneId {
        self.pane
    }

    pub fn next_lesson(&self) -> Option<&'static str> {
        *self.next.get_or_init(|| shipped_name(self.session.lesson()).and_then(next_lesson))
    }

    pub fn scroll(&self, pane: PaneId) -> u16 {
        self.scroll[pane.index()]
    }

    /// Called while drawing a pane: where it is and how far it can scroll.
    pub fn drawn(&self, pane: PaneId, drawn: Drawn) {
        self.drawn[pane.index()].set(drawn);
    }

    /// The answer box again holds the session's draft, after the session moved to another
    /// question; the cursor stays where it was when the text did not change. Arriving at a
    /// question whose box holds its graded answer selects that answer. A new step or part
    /// starts with every pane scrolled to its top.
    fn sync(&mut self) {
        if self.input.value() != self.session.draft() {
            self.input = Input::new(self.session.draft().to_string());
            self.selected = false;
        }
        if self.session.current_question() != self.question.as_ref() {
            self.question = self.session.current_question().cloned();
            self.selected = self.holds_graded_answer();
        }
        let place = (self.session.step_index(), self.session.part().0);
        if place != self.place {
            self.place = place;
            self.scroll = [0; PANES.len()];
        }
    }

    fn focus_answer_if_open(&mut self) {
        self.focus = if self.session.current_question().is_some() { Focus::AnswerBox } else { Focus::Screen };
    }

    /// Runs a session action that moves away from the answer box, then shows where it led.
    pub fn act(&mut self, action: impl FnOnce(&mut Session) -> bool) -> bool {
        let changed = action(&mut self.session);
        self.sync();
        self.focus = Focus::Screen;
        changed
    }

    /// Runs a session action that leaves the focus where it is.
    pub fn with_session(&mut self, action: impl FnOnce(&mut Session) -> bool) -> bool {
        let changed = action(&mut self.session);
        self.sync();
        changed
    }

    /// Grades the box; the focus stays in it while there is a question to answer.
    pub fn submit(&mut self) -> bool {
        let changed = self.session.submit();
        // New feedback is read from its start.
        self.scroll[PaneId::Answer.index()] = 0;
        self.sync();
        self.selected = self.holds_graded_answer();
        self.focus_answer_if_open();
        changed
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

    /// The next pane for the scrolling keys, skipping panes not on screen.
    pub fn focus_next_pane(&mut self) {
        let start = self.pane.index();
        for offset in 1..=PANES.len() {
            let next = PANES[(start + offset) % PANES.len()];
            if next == PaneId::Step || self.drawn[next.index()].get().area.height > 0 {
                self.pane = next;
                return;
            }
        }
    }

    /// Scrolls the focused pane by `lines` (negative: up), within what it has to show.
    pub fn scroll_by(&mut self, lines: i32) {
        self.scroll_pane(self.pane, lines);
    }

    /// The rows a page scroll moves the focused pane by.
    pub fn page(&self) -> i32 {
        i32::from(self.drawn[self.pane.index()].get().area.height.saturating_sub(2)).max(1)
    }

    fn scroll_pane(&mut self, pane: PaneId, lines: i32) {
        let i = pane.index();
        let max = i32::from(self.drawn[i].get().max_scroll);
        self.scroll[i] = (i32::from(self.scroll[i]) + lines).clamp(0, max) as u16;
    }

    /// The mouse wheel at (`column`, `row`): scrolls the pane under it.
    pub fn wheel(&mut self, column: u16, row: u16, lines: i32) {
        let under = PANES
            .into_iter()
            .find(|&p| self.drawn[p.index()].get().area.contains(Position::new(column, row)));
        if let Some(pane) = under {
            self.scroll_pane(pane, lines);
        }
    }

    /// Edits the answer box with a key that is not a command (a character, Backspace, ←, …):
    /// over a selection, a character replaces the text, and any other editing key ends it.
    pub fn edit(&mut self, key: KeyEvent) {
        if let Some(request) = to_input_request(&Event::Key(key)) {
            if std::mem::take(&mut self.selected) && matches!(request, InputRequest::InsertChar(_)) {
                self.input.reset();
            }
            self.input.handle(request);
            self.session.set_draft(self.input.value());
        }
    }

    /// Types pasted text into the answer box (over a selection, in its place), on one line: an
    /// answer never spans lines, and a control character must not reach the terminal when the
    /// box is drawn.
    pub fn paste(&mut self, text: &str) {
        let typed: Vec<char> = text
            .chars()
            .map(|c| if c.is_whitespace() { ' ' } else { c })
            .filter(|c| !c.is_control())
            .collect();
        if typed.is_empty() {
            return;
        }
        if std::mem::take(&mut self.selected) {
            self.input.reset();
        }
        for c in typed {
            self.input.handle(InputRequest::InsertChar(c));
        }
        self.session.set_draft(self.input.value());
    }
}
