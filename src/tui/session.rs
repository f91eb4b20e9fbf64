//! One lesson being studied: the plan's steps, where the learner is, what they have answered,
//! and the rules of practice and walkthrough. Every change is a method that returns whether
//! there is something new to save; nothing here draws or does I/O.

use super::app::Mode;
use super::involvement::{Involvement, involvement};
use super::keymap::{Action, key_for};
use crate::answer::language::parse_answer;
use crate::answer::shape::conform;
use crate::answer::{Grade, GradeOptions, Grader, Verdict};
use crate::engine::Solution;
use crate::lesson::Lesson;
use crate::plan::{Step, plan};
use crate::progress::{Progress, QuestionProgress, Status};
use crate::quantity::{Quantity, QuantityRef};
use crate::value::Value;
use ratatui::crossterm::event::{Event, KeyEvent};
use std::collections::BTreeMap;
use tui_input::Input;
use tui_input::backend::crossterm::to_input_request;

/// The hint stages: the formula, the shapes, the first entry worked out.
pub const HINT_STAGES: u32 = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    AnswerBox,
    Screen,
}

/// What the answer pane reports about the learner's last action.
#[derive(Debug, Clone, PartialEq)]
pub enum Feedback {
    Graded {
        question: QuantityRef,
        submitted: String,
        grade: Box<Grade>,
    },
    Revealed(QuantityRef),
    /// Why a key did nothing (no more hints, nothing to reveal, …).
    Note(String),
}

/// Whether an entry of a quantity may be shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visibility {
    Shown,
    /// Asked, and not found (practice) or not reached (walkthrough) yet: `?`.
    Hidden,
}

pub struct Session {
    lesson: Lesson,
    solution: Solution,
    steps: Vec<Step>,
    mode: Mode,
    progress: Progress,
    input: Input,
    focus: Focus,
    feedback: Option<Feedback>,
}

/// The key of a question in [`Progress::questions`].
fn key(question: &QuantityRef) -> String {
    question.to_string()
}

impl Session {
    pub fn new(lesson: Lesson, mode: Mode, progress: Progress) -> Self {
        let solution = Solution::new(lesson.network());
        let steps = plan(&lesson);
        let mut session = Session {
            lesson,
            solution,
            steps,
            mode,
            progress,
            input: Input::default(),
            focus: Focus::Screen,
            feedback: None,
        };
        // A saved position past the end (the lesson changed) or, in practice, past the first
        // unfinished step (progress from a walkthrough) is brought back into range.
        let last = match mode {
            Mode::Practice => session.frontier(),
            Mode::Walkthrough => session.steps.len().saturating_sub(1),
        };
        session.progress.current_step = session.progress.current_step.min(last);
        session.arrive(Focus::AnswerBox);
        session
    }

    pub fn lesson(&self) -> &Lesson {
        &self.lesson
    }
    pub fn solution(&self) -> &Solution {
        &self.solution
    }
    pub fn steps(&self) -> &[Step] {
        &self.steps
    }
    pub fn mode(&self) -> Mode {
        self.mode
    }
    pub fn progress(&self) -> &Progress {
        &self.progress
    }
    pub fn input(&self) -> &Input {
        &self.input
    }
    pub fn focus(&self) -> Focus {
        self.focus
    }
    pub fn feedback(&self) -> Option<&Feedback> {
        self.feedback.as_ref()
    }

    /// The index of the step on screen.
    pub fn step_index(&self) -> usize {
        self.progress.current_step
    }

    pub fn step(&self) -> &Step {
        &self.steps[self.progress.current_step]
    }

    pub fn question(&self, question: &QuantityRef) -> QuestionProgress {
        self.progress.questions.get(&key(question)).cloned().unwrap_or_default()
    }

    pub fn status(&self, question: &QuantityRef) -> Status {
        self.progress.questions.get(&key(question)).map_or(Status::Open, |q| q.status)
    }

    fn is_done(&self, question: &QuantityRef) -> bool {
        self.status(question) != Status::Open
    }

    pub fn is_step_done(&self, index: usize) -> bool {
        self.steps[index].asks.iter().all(|q| self.is_done(q))
    }

    pub fn steps_done(&self) -> usize {
        (0..self.steps.len()).filter(|&i| self.is_step_done(i)).count()
    }

    pub fn is_complete(&self) -> bool {
        self.steps_done() == self.steps.len()
    }

    /// The first step not done yet (the last step once all are done): in practice, the
    /// furthest the learner may go.
    fn frontier(&self) -> usize {
        (0..self.steps.len()).find(|&i| !self.is_step_done(i)).unwrap_or(self.steps.len().saturating_sub(1))
    }

    /// The question being asked on screen: in practice, the first open one of the step.
    pub fn current_question(&self) -> Option<&QuantityRef> {
        match self.mode {
            Mode::Practice => self.step().asks.iter().find(|q| !self.is_done(q)),
            Mode::Walkthrough => None,
        }
    }

    /// The quantity the step is about right now: the current question's, or the step's first.
    pub fn focus_quantity(&self) -> Quantity {
        self.current_question().or(self.step().asks.first()).map_or(Quantity::Loss, |q| q.quantity)
    }

    /// The part of the network the step (or the forward step's current question) works on.
    pub fn involvement(&self) -> Involvement {
        involvement(self.lesson.network(), self.step().kind, self.focus_quantity())
    }

    /// Whether an entry (`index` empty for a whole scalar) may be shown: everything the lesson
    /// does not ask is given; an asked one once its question is done (practice) or its step
    /// reached (walkthrough).
    ///
    /// Panes ask this for every entry they draw, on every frame: it stops at the first asking
    /// step that shows the entry rather than collecting them all.
    pub fn visibility(&self, quantity: Quantity, index: &[usize]) -> Visibility {
        let mut covering = self
            .steps
            .iter()
            .enumerate()
            .flat_map(|(i, step)| step.asks.iter().map(move |q| (i, q)))
            .filter(|(_, q)| q.quantity == quantity && (q.index.is_empty() || q.index == index))
            .peekable();
        if covering.peek().is_none() {
            return Visibility::Shown;
        }
        let known = |(step, question): (usize, &QuantityRef)| match self.mode {
            Mode::Practice => self.is_done(question),
            Mode::Walkthrough => step <= self.progress.current_step,
        };
        if covering.any(known) { Visibility::Shown } else { Visibility::Hidden }
    }

    /// The learner's last answer to the current question when it was wrong, in the question's
    /// shape, with the 1-based indices of its wrong entries: panes mark them.
    pub fn wrong_answer(&self) -> Option<(&QuantityRef, Value, &[Vec<usize>])> {
        let Some(Feedback::Graded { question, submitted, grade }) = &self.feedback else {
            return None;
        };
        if grade.verdict != Verdict::Incorrect || Some(question) != self.current_question() {
            return None;
        }
        let expected = self.solution.value_of(question)?;
        let given = conform(&parse_answer(submitted).ok()?, expected.shape())?.into_owned();
        Some((question, given, &grade.wrong_entries))
    }

    /// The learner's well-formed answers to the other questions, for error carried forward:
    /// an answer that applies the right method to the learner's own earlier answer (even one
    /// they later revealed) is credited as carried. The grader reads only the asked step's
    /// inputs, so later questions never count.
    fn earlier_answers(&self, asked: &QuantityRef) -> BTreeMap<QuantityRef, Value> {
        self.progress
            .questions
            .iter()
            .filter_map(|(name, record)| {
                let question: QuantityRef = name.parse().ok()?;
                (question != *asked).then_some(())?;
                Some((question, parse_answer(&record.last_input).ok()?))
            })
            .collect()
    }

    /// After a move or an answer: the input holds the current question's last answer (so a
    /// wrong one can be corrected), and the focus goes to the answer box only when there is a
    /// question to answer.
    fn arrive(&mut self, focus: Focus) {
        let question = self.current_question().cloned();
        self.input = Input::new(question.as_ref().map(|q| self.question(q).last_input).unwrap_or_default());
        self.focus = if question.is_some() { focus } else { Focus::Screen };
    }

    /// Keeps what was typed but not submitted, so moving away and back does not lose it.
    fn keep_draft(&mut self) {
        if let Some(question) = self.current_question().cloned()
            && self.question(&question).last_input != self.input.value()
        {
            let draft = self.input.value().to_string();
            self.progress.questions.entry(key(&question)).or_default().last_input = draft;
        }
    }

    /// Moves one step back (`-1`) or forward (`1`) where the mode allows. Returns whether it moved.
    pub fn go(&mut self, delta: isize) -> bool {
        let last = match self.mode {
            Mode::Practice => self.frontier(),
            Mode::Walkthrough => self.steps.len() - 1,
        };
        let Some(target) = self.progress.current_step.checked_add_signed(delta).filter(|&t| t <= last) else {
            let note = if delta < 0 {
                "This is the first step.".to_string()
            } else if self.current_question().is_some() {
                format!(
                    "Answer this step first (or {} reveals it); then {} goes on.",
                    key_for(Action::Reveal),
                    key_for(Action::NextStep)
                )
            } else {
                "This is the last step.".to_string()
            };
            self.feedback = Some(Feedback::Note(note));
            return false;
        };
        self.keep_draft();
        self.progress.current_step = target;
        self.feedback = None;
        self.arrive(Focus::Screen);
        true
    }

    /// Grades what is in the answer box. Returns whether anything changed (always, here: even
    /// an invalid answer is kept as the last input).
    pub fn submit(&mut self) -> bool {
        let Some(question) = self.current_question().cloned() else {
            return false;
        };
        let submitted = self.input.value().to_string();
        let grade = Grader::new(&self.lesson, &self.solution, GradeOptions::default()).grade_text(
            &question,
            &submitted,
            &self.earlier_answers(&question),
        );
        let record = self.progress.questions.entry(key(&question)).or_default();
        record.last_input = submitted.clone();
        match grade.verdict {
            Verdict::Correct => record.status = Status::Solved,
            Verdict::Carried => record.status = Status::Carried,
            Verdict::Incorrect | Verdict::Invalid | Verdict::Missing => {}
        }
        if matches!(grade.verdict, Verdict::Correct | Verdict::Carried | Verdict::Incorrect) {
            record.attempts += 1;
        }
        let done = matches!(grade.verdict, Verdict::Correct | Verdict::Carried);
        self.feedback = Some(Feedback::Graded { question, submitted, grade: Box::new(grade) });
        if done {
            // On to the next question: the next of this step, else the next step, with the
            // verdict still on screen.
            if self.is_step_done(self.progress.current_step)
                && self.progress.current_step + 1 < self.steps.len()
            {
                self.progress.current_step += 1;
            }
            self.arrive(Focus::AnswerBox);
        }
        true
    }

    /// Shows one more hint stage for the current question.
    pub fn hint(&mut self) -> bool {
        let Some(question) = self.current_question().cloned() else {
            return false;
        };
        let record = self.progress.questions.entry(key(&question)).or_default();
        if record.hints >= HINT_STAGES {
            let note = format!("No more hints: {} reveals the answer.", key_for(Action::Reveal));
            self.feedback = Some(Feedback::Note(note));
            return false;
        }
        record.hints += 1;
        true
    }

    /// Shows the current question's answer and marks it revealed. The learner stays on the step
    /// to read its derivation, and moves on with the next-step key.
    pub fn reveal(&mut self) -> bool {
        let Some(question) = self.current_question().cloned() else {
            return false;
        };
        self.keep_draft();
        self.progress.questions.entry(key(&question)).or_default().status = Status::Revealed;
        self.feedback = Some(Feedback::Revealed(question));
        self.arrive(Focus::Screen);
        true
    }

    /// Puts the focus in the answer box, if there is a question to answer.
    pub fn enter_input(&mut self) -> bool {
        if self.current_question().is_some() {
            self.focus = Focus::AnswerBox;
            true
        } else {
            let note = match self.mode {
                Mode::Practice => format!("This step is done: {} goes on.", key_for(Action::NextStep)),
                Mode::Walkthrough => "The walkthrough shows every answer; nothing to type.".to_string(),
            };
            self.feedback = Some(Feedback::Note(note));
            false
        }
    }

    pub fn leave_input(&mut self) {
        self.focus = Focus::Screen;
    }

    /// Edits the answer box with a key that is not a command (a character, Backspace, ←, …).
    pub fn edit(&mut self, key: KeyEvent) {
        if let Some(request) = to_input_request(&Event::Key(key)) {
            self.input.handle(request);
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
    }
}
