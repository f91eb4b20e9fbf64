//! One lesson being studied: the plan's steps, where the learner is, what they have answered
//! and typed, and the rules of practice and walkthrough (DESIGN.md §6). Every change is a
//! method that returns whether there is something new to save; nothing here draws, reads keys
//! or does I/O, so every front end (the TUI, `--plain`) plays by the same rules.

use super::involvement::{Involvement, involvement};
use super::preview::{self, Preview, Prompt};
use super::progress::{Progress, QuestionProgress, Status};
use crate::answer::language::parse;
use crate::answer::shape::conform;
use crate::answer::{Earlier, Grade, GradeOptions, Grader, Verdict};
use crate::diagnosis::DiagnosisId;
use crate::engine::Solution;
use crate::lesson::Lesson;
use crate::network::steps::{StepKind, examples};
use crate::plan::definition::definition;
use crate::plan::formula::{Formula, Matrix, Term};
use crate::plan::{Step, plan, step};
use crate::quantity::{Quantity, QuantityRef};
use crate::value::Value;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;

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
    /// No step's id starts with that digit.
    NoSuchStep,
    /// Practice: nothing of this step has been answered, hinted or typed.
    NothingToReset,
    /// The step's answers were cleared.
    Reset,
    /// A confirmation was declined.
    Cancelled,
}

/// An action that waits for the learner to confirm it, because it cannot be undone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Confirm {
    /// Show the answer to this question: it then counts as revealed.
    Reveal(QuantityRef),
    /// Clear the answers, hints and attempts of the step at this index.
    Reset(usize),
}

/// Something worth telling the learner about their progress.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// Practice picked up where it was left.
    Resumed {
        done: usize,
        total: usize,
    },
    /// A walkthrough picked up at the step it was left on.
    ResumedAt {
        step: String,
    },
    Saved,
}

impl fmt::Display for Notice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Notice::Resumed { done, total } => write!(f, "resumed: {done} of {total} done"),
            Notice::ResumedAt { step } => write!(f, "resumed at Step {step}"),
            Notice::Saved => write!(f, "saved"),
        }
    }
}

/// How a Jacobian may be shown now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JacobianView {
    /// Its entries.
    Whole,
    /// Only as the factors it multiplies out of (diag(1[z(2) > 0]) · W(2)): the product is
    /// what the learner is about to compute.
    Factors,
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
    /// Walkthrough: the part of the step on screen (the forward pass goes a layer at a time).
    part: usize,
    /// Walkthrough, "ask, then reveal": each step arrives with its answer hidden...
    asking: bool,
    /// ...until it is revealed.
    revealed: bool,
    pending: Option<Confirm>,
    resumed: Option<Notice>,
    /// The value of each submitted answer, formulas evaluated on the learner's other answers.
    values: BTreeMap<QuantityRef, Value>,
    /// What each question's last answer earns (see [`Score`]).
    credits: BTreeMap<QuantityRef, f64>,
    /// The known mistakes the learner's answers showed, in the order first shown.
    diagnosed: Vec<DiagnosisId>,
}

/// What the learner's answers earn, of one point a question: each question's last submitted
/// answer graded as `check` grades an answer file (its `Grade::credit`, so the lesson's
/// `[check.credit]` applies), and nothing for a question revealed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Score {
    pub earned: f64,
    pub points: usize,
}

impl fmt::Display for Score {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Shares are quarters and halves in practice; two decimals say any of them exactly.
        let earned = format!("{:.2}", self.earned);
        let earned = earned.trim_end_matches('0').trim_end_matches('.');
        write!(f, "{earned}/{} points", self.points)
    }
}

/// The key of a question in [`Progress::questions`].
fn key(question: &QuantityRef) -> String {
    question.to_string()
}

impl Session {
    pub fn new(lesson: Lesson, mode: Mode, progress: Progress) -> Self {
        let solution = Solution::new(lesson.network());
        let mut steps = plan(&lesson);
        // A walkthrough starts at the forward pass, with its numbers, whether or not the lesson
        // asks it.
        if mode == Mode::Walkthrough && steps.first().is_none_or(|s| s.kind != StepKind::Forward) {
            let forward =
                examples(lesson.network()).into_iter().map(|e| step(lesson.network(), StepKind::Forward, e));
            steps.splice(0..0, forward);
        }
        let fresh = progress == Progress::default();
        let mut session = Session {
            lesson,
            solution,
            steps,
            mode,
            progress,
            draft: String::new(),
            feedback: None,
            part: 0,
            asking: false,
            revealed: false,
            pending: None,
            resumed: None,
            values: BTreeMap::new(),
            credits: BTreeMap::new(),
            diagnosed: Vec::new(),
        };
        session.refresh_values();
        // A saved position past the end (the lesson changed) or, in practice, past the first
        // unfinished step is brought back into range.
        let last = match mode {
            Mode::Practice => session.frontier(),
            Mode::Walkthrough => session.steps.len().saturating_sub(1),
        };
        session.progress.current_step = session.progress.current_step.min(last);
        if !fresh {
            session.resumed = Some(match mode {
                Mode::Practice => Notice::Resumed { done: session.steps_done(), total: session.steps.len() },
                Mode::Walkthrough => Notice::ResumedAt { step: session.step().id.clone() },
            });
        }
        session.arrive();
        session
    }

    /// What the start said about saved progress, if there was any.
    pub fn resumed(&self) -> Option<&Notice> {
        self.resumed.as_ref()
    }

    /// The action waiting for confirmation, if any.
    pub fn pending(&self) -> Option<&Confirm> {
        self.pending.as_ref()
    }

    /// What the action waiting for confirmation asks, in words (a front end adds its keys).
    pub fn pending_question(&self) -> Option<String> {
        Some(match self.pending.as_ref()? {
            Confirm::Reveal(question) => {
                format!(
                    "Reveal {}? It will count as revealed, and cannot be answered for credit.",
                    question.symbol()
                )
            }
            Confirm::Reset(step) => {
                format!("Reset Step {}? Its answers, hints and attempts are cleared.", self.steps[*step].id)
            }
        })
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

    /// The parts of a step, as ranges of its asks: consecutive asks in one layer of the network
    /// form a part, so the forward pass has one per layer and any other step one in all.
    fn parts_of(&self, step: &Step) -> Vec<Range<usize>> {
        // Where a forward quantity is computed: z(l) and h(l) in layer l, o and ô at the output,
        // then L; everything a backward step asks is of one quantity.
        let layer = |q: Quantity| match q {
            Quantity::Z(l) | Quantity::H(l) => l,
            Quantity::O | Quantity::OHat => usize::MAX - 1,
            Quantity::Loss => usize::MAX,
            _ => 0,
        };
        let mut parts: Vec<Range<usize>> = Vec::new();
        let mut previous: Option<usize> = None;
        for (i, asked) in step.asks.iter().enumerate() {
            let layer = layer(asked.quantity);
            match parts.last_mut() {
                Some(part) if previous == Some(layer) => part.end = i + 1,
                _ => parts.push(i..i + 1),
            }
            previous = Some(layer);
        }
        if parts.is_empty() {
            parts.push(0..0);
        }
        parts
    }

    /// How many parts the step on screen is walked through in (1 but in a walkthrough's
    /// forward pass), and which one is on screen (0-based).
    pub fn part(&self) -> (usize, usize) {
        match self.mode {
            Mode::Walkthrough => (self.part, self.parts_of(self.step()).len()),
            Mode::Practice => (0, 1),
        }
    }

    /// What the screen is about now: the current question in practice (or the whole step once
    /// it is done), the part on screen in a walkthrough.
    pub fn shown_asks(&self) -> &[QuantityRef] {
        let step = self.step();
        match (self.mode, self.current_question()) {
            (Mode::Practice, Some(question)) => std::slice::from_ref(question),
            (Mode::Practice, None) => &step.asks,
            (Mode::Walkthrough, _) => {
                let parts = self.parts_of(step);
                &step.asks[parts[self.part.min(parts.len() - 1)].clone()]
            }
        }
    }

    /// The name the step is about right now: the current question's, or the first on screen.
    fn focus(&self) -> QuantityRef {
        self.shown_asks().first().map_or(Quantity::Loss.into(), QuantityRef::whole)
    }

    /// The formulas of what is on screen, each once: `(∂L/∂h(1), its formula)`.
    pub fn shown_formulas(&self) -> Vec<(Quantity, &Formula)> {
        let mut out: Vec<(Quantity, &Formula)> = Vec::new();
        for asked in self.shown_asks() {
            if !out.iter().any(|(q, _)| *q == asked.quantity)
                && let Some(formula) = self.step().formula_of(asked.quantity)
            {
                out.push((asked.quantity, formula));
            }
        }
        out
    }

    /// The values the formulas on screen read, each once, in the formulas' order: what the
    /// learner computes from. A quantity asked on screen is not among them (the forward pass's
    /// h(1) reads z(1), asked beside it).
    pub fn operands(&self) -> Vec<Term> {
        let asked: Vec<Quantity> = self.shown_asks().iter().map(|q| q.quantity).collect();
        let mut out: Vec<Term> = Vec::new();
        for term in self.shown_formulas().iter().flat_map(|(_, f)| f.terms()) {
            if !out.contains(&term) && !matches!(term, Term::Value(q) if asked.contains(&q)) {
                out.push(term);
            }
        }
        out
    }

    /// The name `quantity` has on the step on screen: of the step's example in a dataset
    /// lesson's Steps 0–4 (`z1#2` at Step 1#2), else the lesson's own name (a total at the
    /// sum, an update at Steps 5 and 6). Every value, visibility and mark a pane shows is of
    /// this name.
    pub fn name_in_step(&self, quantity: Quantity) -> QuantityRef {
        let example = self.step().example.filter(|&n| self.lesson.network().has_name(quantity, Some(n)));
        QuantityRef::named(quantity, example)
    }

    /// Whether the step on screen is one of a whole dataset (the sum, Steps 5 and 6): no one
    /// example's pass (its activations, gates, label) belongs to it.
    pub fn is_of_whole_dataset(&self) -> bool {
        self.lesson.network().dataset_size().is_some() && self.step().example.is_none()
    }

    /// A term's values in the lesson, shaped as the learner reads them: a gate as the vector on
    /// its diagonal, a row or a column as a vector; of the step's example (see
    /// [`Session::name_in_step`]). Whether a value term may be shown is
    /// [`Session::visibility`]'s to say.
    pub fn term_value(&self, term: Term) -> Option<Value> {
        if let Term::Value(quantity) = term {
            return self.solution.value_of(&self.name_in_step(quantity));
        }
        Some(match term.eval(self.solution.pass(self.step().example))? {
            Matrix::Diagonal(d) => Value::Vector(d),
            Matrix::Dense(m) if m.ncols() == 1 => Value::Vector(m.column(0).into_owned()),
            Matrix::Dense(m) if m.nrows() == 1 => Value::Vector(m.row(0).transpose()),
            Matrix::Dense(m) => Value::Matrix(m),
        })
    }

    /// The Jacobians the step multiplies by, and how each may be shown now.
    pub fn jacobians(&self) -> Vec<(Quantity, JacobianView)> {
        let network = self.lesson.network();
        let worked = match self.mode {
            Mode::Walkthrough => !self.is_posed(),
            Mode::Practice => self.current_question().is_none_or(|q| self.question(q).hints > 0),
        };
        self.step()
            .jacobians
            .iter()
            .map(|&jacobian| {
                // A Jacobian that is one of the formula's own terms (W(l), a gate) is given; a
                // product of them is part of the work until it is done or hinted at.
                let given = definition(network, jacobian).is_some_and(|f| matches!(f, Formula::Term(_)));
                (jacobian, if given || worked { JacobianView::Whole } else { JacobianView::Factors })
            })
            .collect()
    }

    /// The asks whose derivation may be shown: in practice those answered (or revealed), in a
    /// walkthrough the part on screen unless it is posed.
    pub fn derivation_asks(&self) -> Vec<QuantityRef> {
        match self.mode {
            Mode::Practice => self.step().asks.iter().filter(|q| self.is_done(q)).cloned().collect(),
            Mode::Walkthrough if self.is_posed() => vec![],
            Mode::Walkthrough => self.shown_asks().to_vec(),
        }
    }

    /// Walkthrough, "ask, then reveal": the step on screen is posed, its answer hidden.
    pub fn is_posed(&self) -> bool {
        self.mode == Mode::Walkthrough && self.asking && !self.revealed
    }

    /// Walkthrough: poses the step on screen (and every step after it as it arrives), or
    /// reveals it if it is posed.
    pub fn ask_then_reveal(&mut self) -> bool {
        if self.mode != Mode::Walkthrough {
            return false;
        }
        if self.is_posed() {
            self.revealed = true;
        } else {
            self.asking = true;
            self.revealed = false;
        }
        true
    }

    /// The part of the network the step (or the forward step's current question) works on.
    pub fn involvement(&self) -> Involvement {
        involvement(self.lesson.network(), &self.focus())
    }

    /// Whether an entry (`index` empty for a whole scalar) of `quantity` as the step names it
    /// ([`Session::name_in_step`]) may be shown: everything the lesson does not ask is given;
    /// an asked one once its question is done (practice) or its step reached (walkthrough).
    ///
    /// Panes ask this for every entry they draw, on every frame: it stops at the first asking
    /// step that shows the entry rather than collecting them all.
    pub fn visibility(&self, quantity: Quantity, index: &[usize]) -> Visibility {
        let name = self.name_in_step(quantity);
        let mut covering = self
            .steps
            .iter()
            .enumerate()
            .flat_map(|(i, step)| step.asks.iter().map(move |q| (i, q)))
            .filter(|(_, q)| q.same_name(&name) && (q.index.is_empty() || q.index == index))
            .peekable();
        if covering.peek().is_none() {
            return Visibility::Shown;
        }
        let current = self.progress.current_step;
        let shown_from = self.shown_asks().first();
        let known = |(step, question): (usize, &QuantityRef)| match self.mode {
            Mode::Practice => self.is_done(question),
            Mode::Walkthrough if step < current => true,
            Mode::Walkthrough if step > current => false,
            // On the step itself: the parts walked through, and the one on screen unless posed.
            Mode::Walkthrough => {
                let asks = &self.steps[current].asks;
                let at = asks.iter().position(|q| q == question).unwrap_or(0);
                let on_screen =
                    shown_from.and_then(|first| asks.iter().position(|q| q == first)).unwrap_or(0);
                at < on_screen || (self.shown_asks().contains(question) && !self.is_posed())
            }
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
                earlier.record(question, Cow::Owned(value.clone()), record.status == Status::Revealed);
                values.insert(question.clone(), value);
            }
        }
        (earlier, values)
    }

    /// What the answer box holds, read as a submit would read it; `None` with no question
    /// open or a blank box.
    pub fn preview(&self) -> Option<Preview> {
        let question = self.current_question()?;
        let grader = Grader::new(&self.lesson, &self.solution, GradeOptions::default());
        preview::preview(&grader, &self.earlier(&grader).0, question, &self.draft)
    }

    /// How to answer the current question: the names it may use and the digits to give.
    pub fn prompt(&self) -> Option<Prompt> {
        let question = self.current_question()?;
        let expected = self.solution.value_of(question)?;
        let grader = Grader::new(&self.lesson, &self.solution, GradeOptions::default());
        Some(preview::prompt(&grader, &self.earlier(&grader).0, self.step(), question, &expected))
    }

    /// The value of the learner's last submitted answer to `question`.
    pub fn answer_value(&self, question: &QuantityRef) -> Option<&Value> {
        self.values.get(question)
    }

    /// Evaluates and grades every submitted answer again, after one changed.
    fn refresh_values(&mut self) {
        let grader = Grader::new(&self.lesson, &self.solution, GradeOptions::default());
        let (earlier, values) = self.earlier(&grader);
        let mut credits = BTreeMap::new();
        for question in self.steps.iter().flat_map(|s| &s.asks) {
            let record = self.question(question);
            if record.status != Status::Revealed && !record.last_input.trim().is_empty() {
                credits.insert(
                    question.clone(),
                    grader.grade_text(question, &record.last_input, &earlier).credit,
                );
            }
        }
        self.values = values;
        self.credits = credits;
    }

    /// The known mistakes this session's answers showed, in the order first shown: what a
    /// remediation variant targets.
    pub fn diagnosed(&self) -> &[DiagnosisId] {
        &self.diagnosed
    }

    /// What the learner's answers earn so far.
    pub fn score(&self) -> Score {
        let points = self.steps.iter().map(|s| s.asks.len()).sum();
        Score { earned: self.credits.values().fold(0.0, |sum, credit| sum + credit), points }
    }

    /// The learner's own value of `quantity` (as the step names it) where they are credited
    /// with it as carried: the answer to the question that covers the entry at `index`, in the
    /// quantity's shape.
    pub fn carried_value(&self, quantity: Quantity, index: &[usize]) -> Option<f64> {
        let name = self.name_in_step(quantity);
        let question = self.steps.iter().flat_map(|s| &s.asks).find(|q| {
            q.same_name(&name)
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
    ///
    /// A last answer that is still open (wrong, or unreadable) gets its verdict back, as it
    /// was given: coming back to a step, or resuming, shows what was wrong with it.
    fn arrive(&mut self) {
        let question = self.current_question().cloned();
        let text = question
            .as_ref()
            .map(|q| self.question(q))
            .map(|record| if record.draft.is_empty() { record.last_input } else { record.draft });
        self.draft = text.unwrap_or_default();
        let Some(question) = question else { return };
        let record = self.question(&question);
        let open = record.status == Status::Open && record.draft.is_empty();
        if self.feedback.is_none() && open && !record.last_input.trim().is_empty() {
            let grader = Grader::new(&self.lesson, &self.solution, GradeOptions::default());
            let grade = grader.grade_text(&question, &record.last_input, &self.earlier(&grader).0);
            let submitted = record.last_input;
            drop(grader);
            self.feedback = Some(Feedback::Graded { question, submitted, grade: Box::new(grade) });
        }
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

    /// Moves one step back (`-1`) or forward (`1`) where the mode allows; a walkthrough first
    /// goes through the parts of a step. Returns whether it moved.
    pub fn go(&mut self, delta: isize) -> bool {
        self.pending = None;
        if self.mode == Mode::Walkthrough {
            let parts = self.parts_of(self.step()).len();
            if let Some(part) = self.part.checked_add_signed(delta).filter(|&p| p < parts) {
                self.part = part;
                self.revealed = false;
                self.feedback = None;
                return true;
            }
        }
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
        self.move_to(target);
        if delta < 0 && self.mode == Mode::Walkthrough {
            self.part = self.parts_of(self.step()).len() - 1;
        }
        true
    }

    fn move_to(&mut self, target: usize) {
        self.keep_draft();
        self.progress.current_step = target;
        self.part = 0;
        self.revealed = false;
        self.feedback = None;
        self.pending = None;
        self.arrive();
    }

    /// Walkthrough: jumps to the first step whose id starts with `digit` (`3` to Step 3A); from
    /// such a step, to the next one (3A, 3B, then 3A again).
    pub fn jump(&mut self, digit: char) -> bool {
        if self.mode != Mode::Walkthrough {
            return false;
        }
        let matching: Vec<usize> =
            (0..self.steps.len()).filter(|&i| self.steps[i].id.starts_with(digit)).collect();
        let current = self.progress.current_step;
        let Some(&target) = matching.iter().find(|&&i| i > current).or(matching.first()) else {
            self.feedback = Some(Feedback::Note(Note::NoSuchStep));
            return false;
        };
        self.move_to(target);
        true
    }

    /// Grades what is in the answer box. Returns whether anything changed (always, here: even
    /// an invalid answer is kept as the last input).
    pub fn submit(&mut self) -> bool {
        self.pending = None;
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
        if let Some(diagnosis) = &grade.diagnosis
            && !self.diagnosed.contains(&diagnosis.id)
        {
            self.diagnosed.push(diagnosis.id);
        }
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
        self.pending = None;
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

    /// Asks to reveal the current question's answer; [`Session::confirm`] reveals it.
    pub fn ask_to_reveal(&mut self) -> bool {
        self.pending = self.current_question().cloned().map(Confirm::Reveal);
        self.pending.is_some()
    }

    /// Asks to clear the current step's answers, hints and attempts (practice);
    /// [`Session::confirm`] clears them. Says so when there is nothing to clear.
    pub fn ask_to_reset(&mut self) -> bool {
        let step = self.progress.current_step;
        if self.mode != Mode::Practice {
            return false;
        }
        let recorded = self.steps[step].asks.iter().any(|q| self.progress.questions.contains_key(&key(q)));
        if !recorded && self.draft.is_empty() {
            self.feedback = Some(Feedback::Note(Note::NothingToReset));
            return false;
        }
        self.pending = Some(Confirm::Reset(step));
        true
    }

    /// Performs the action waiting for confirmation. Returns whether anything changed.
    pub fn confirm(&mut self) -> bool {
        match self.pending.take() {
            Some(Confirm::Reveal(question)) => self.reveal(question),
            Some(Confirm::Reset(step)) => {
                for question in &self.steps[step].asks {
                    self.progress.questions.remove(&key(question));
                }
                self.refresh_values();
                self.feedback = Some(Feedback::Note(Note::Reset));
                self.arrive();
                true
            }
            None => false,
        }
    }

    /// Declines the action waiting for confirmation.
    pub fn cancel(&mut self) {
        if self.pending.take().is_some() {
            self.feedback = Some(Feedback::Note(Note::Cancelled));
        }
    }

    /// Shows the question's answer and marks it revealed. The learner stays on the step to read
    /// its derivation, and moves on with the next-step key.
    fn reveal(&mut self, question: QuantityRef) -> bool {
        if self.current_question() != Some(&question) {
            return false;
        }
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
