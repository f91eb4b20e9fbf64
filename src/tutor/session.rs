//! One lesson being studied: the plan's steps, where the learner is, what they have answered
//! and typed, and the rules of practice and walkthrough (DESIGN.md §6). Every change is a
//! method that returns whether there is something new to save; nothing here draws, reads keys
//! or does I/O, so every front end (the TUI, `--plain`) plays by the same rules.

use super::involvement::{Involvement, involvement};
use super::progress::{Progress, QuestionProgress, Status};
use crate::answer::language::parse;
use crate::answer::shape::conform;
use crate::answer::{Earlier, Grade, GradeOptions, Grader, Verdict};
use crate::engine::Solution;
use crate::lesson::Lesson;
use crate::plan::{Step, plan};
use crate::quantity::{Quantity, QuantityRef};
use crate::value::Value;
use std::collections::BTreeMap;

/// The hint stages: the formula, the shapes, the first entry worked out.
pub const HINT_STAGES: u32 = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// The learner answers every step: hints, reveal, attempts counted.
    Practice,
    /// A TA at a projector: every step shown whole, stepped freely.
    Walkthrough,
}

/// Why an action did nothing; a front end words it with its own keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Note {
    FirstStep,
    LastStep,
    /// Practice: the step must be answered (or revealed) before the next one.
    AnswerFirst,
    /// Every hint stage has been shown; a reveal is what is left.
    NoMoreHints,
    /// Practice: the step is done, so there is nothing to type.
    StepDone,
    /// A walkthrough shows every answer.
    NothingToType,
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
    /// Why an action did nothing (no more hints, nothing to reveal, …).
    Note(Note),
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
    /// What is in the answer box: the current question's draft, else its last answer.
    draft: String,
    feedback: Option<Feedback>,
    /// The value of each submitted answer, formulas evaluated on the learner's other answers.
    values: BTreeMap<QuantityRef, Value>,
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
            draft: String::new(),
            feedback: None,
            values: BTreeMap::new(),
        };
        session.refresh_values();
        // A saved position past the end (the lesson changed) or, in practice, past the first
        // unfinished step (progress from a walkthrough) is brought back into range.
        let last = match mode {
            Mode::Practice => session.frontier(),
            Mode::Walkthrough => session.steps.len().saturating_sub(1),
        };
        session.progress.current_step = session.progress.current_step.min(last);
        session.arrive();
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
    /// What is in the answer box.
    pub fn draft(&self) -> &str {
        &self.draft
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

    /// The name the step is about right now: the current question's, or the step's first.
    fn focus(&self) -> QuantityRef {
        self.current_question().or(self.step().asks.first()).map_or(Quantity::Loss.into(), QuantityRef::whole)
    }

    /// The part of the network the step (or the forward step's current question) works on.
    pub fn involvement(&self) -> Involvement {
        involvement(self.lesson.network(), &self.focus())
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
        let value = self.values.get(question).filter(|_| self.question(question).last_input == *submitted)?;
        let given = conform(value, expected.shape())?.into_owned();
        Some((question, given, &grade.wrong_entries))
    }

    /// The learner's submitted answers in the plan's order, each evaluated (a formula on the
    /// answers before it) and recorded for error carried forward as the grader's rules allow
    /// (a revealed one never feeds a carry), with every value found.
    fn earlier<'g>(&self, grader: &'g Grader) -> (Earlier<'g>, BTreeMap<QuantityRef, Value>) {
        let mut earlier = grader.earlier();
        let mut values = BTreeMap::new();
        for question in self.steps.iter().flat_map(|s| &s.asks) {
            let record = self.question(question);
            let Ok(parsed) = parse(&record.last_input) else { continue };
            if let Ok(value) = grader.formula_value(question, &parsed, &earlier) {
                earlier.record(question, &value, record.status == Status::Revealed);
                values.insert(question.clone(), value);
            }
        }
        (earlier, values)
    }

    /// The value of the learner's last submitted answer to `question`.
    pub fn answer_value(&self, question: &QuantityRef) -> Option<&Value> {
        self.values.get(question)
    }

    /// Evaluates every submitted answer again, after one changed.
    fn refresh_values(&mut self) {
        let grader = Grader::new(&self.lesson, &self.solution, GradeOptions::default());
        self.values = self.earlier(&grader).1;
    }

    /// The learner's own value of `quantity` where they are credited with it as carried: the
    /// answer to the question that covers the entry at `index`, in the quantity's shape.
    pub fn carried_value(&self, quantity: Quantity, index: &[usize]) -> Option<f64> {
        let question = self.steps.iter().flat_map(|s| &s.asks).find(|q| {
            q.quantity == quantity
                && (q.index.is_empty() || q.index == index)
                && self.status(q) == Status::Carried
        })?;
        let value = self.values.get(question)?;
        if !question.index.is_empty() {
            return value.entries().first().copied();
        }
        conform(value, self.lesson.network().shape(quantity))?
            .entry(index)
            .or_else(|| value.entries().first().copied())
    }

    /// After a move or an answer: the answer box holds the current question's draft, else its
    /// last answer, so a wrong one can be corrected rather than retyped.
    fn arrive(&mut self) {
        let question = self.current_question().cloned();
        let text = question
            .as_ref()
            .map(|q| self.question(q))
            .map(|record| if record.draft.is_empty() { record.last_input } else { record.draft });
        self.draft = text.unwrap_or_default();
    }

    /// Replaces what is in the answer box (a front end's editing). The verdict on screen is
    /// about the answer that was submitted, so it goes once the learner types something else.
    pub fn set_draft(&mut self, text: &str) {
        if text != self.draft {
            self.draft = text.to_string();
            if matches!(self.feedback, Some(Feedback::Graded { .. } | Feedback::Note(_))) {
                self.feedback = None;
            }
        }
    }

    /// Keeps what was typed but not submitted with the progress, so that moving away, or
    /// quitting, does not lose it.
    pub fn keep_draft(&mut self) {
        if let Some(question) = self.current_question().cloned() {
            let typed = self.draft.clone();
            let record = self.progress.questions.entry(key(&question)).or_default();
            record.draft = if typed == record.last_input { String::new() } else { typed };
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
                Note::FirstStep
            } else if self.current_question().is_some() {
                Note::AnswerFirst
            } else {
                Note::LastStep
            };
            self.feedback = Some(Feedback::Note(note));
            return false;
        };
        self.keep_draft();
        self.progress.current_step = target;
        self.feedback = None;
        self.arrive();
        true
    }

    /// Grades what is in the answer box. Returns whether anything changed (always, here: even
    /// an invalid answer is kept as the last input).
    pub fn submit(&mut self) -> bool {
        let Some(question) = self.current_question().cloned() else {
            return false;
        };
        let submitted = self.draft.clone();
        let grader = Grader::new(&self.lesson, &self.solution, GradeOptions::default());
        let grade = grader.grade_text(&question, &submitted, &self.earlier(&grader).0);
        drop(grader);
        let record = self.progress.questions.entry(key(&question)).or_default();
        record.last_input = submitted.clone();
        record.draft.clear();
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
        self.refresh_values();
        if done {
            // On to the next question: the next of this step, else the next step, with the
            // verdict still on screen.
            if self.is_step_done(self.progress.current_step)
                && self.progress.current_step + 1 < self.steps.len()
            {
                self.progress.current_step += 1;
            }
            self.arrive();
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
            self.feedback = Some(Feedback::Note(Note::NoMoreHints));
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
        self.refresh_values();
        self.feedback = Some(Feedback::Revealed(question));
        self.arrive();
        true
    }

    /// Why there is nothing to answer on this step, if there is not.
    pub fn nothing_to_answer(&mut self) -> bool {
        if self.current_question().is_some() {
            return false;
        }
        let note = match self.mode {
            Mode::Practice => Note::StepDone,
            Mode::Walkthrough => Note::NothingToType,
        };
        self.feedback = Some(Feedback::Note(note));
        true
    }
}
