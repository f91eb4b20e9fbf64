//! Grading one answer (DESIGN.md §4): the verdict, the entries that are off, the expected shape,
//! a diagnosis of a known mistake, and error carried forward from the learner's own earlier
//! answers. Pure: a [`Grader`] reads only the lesson, its solution and what it is given.

use super::carry::{Earlier, Follows, LearnerInputs, display_name};
use super::diagnose::{Mistake, at_entry, candidates, known_answers, too_few_digits, undo_whole_slips};
use super::formula::{FormulaName, LessonNames, holds, perturbations};
use super::language::{AnswerError, ParsedAnswer, parse};
use super::method::{Context, inputs};
use super::shape::{EntryTolerances, accepted, conform, matches, wrong_entries};
use super::submission::{Question, questions};
use super::training::equation_of;
use crate::diagnosis::DiagnosisId;
use crate::engine::Solution;
use crate::lesson::{Lesson, Tolerance};
use crate::quantity::QuantityRef;
use crate::value::{Shape, Value};
use serde::Serialize;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::sync::OnceLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, strum::EnumIter)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// Every entry within tolerance.
    Correct,
    /// Well-formed, but an entry is off or the shape is wrong.
    Incorrect,
    /// Cannot be read; does not count as an attempt.
    Invalid,
    /// No answer.
    Missing,
    /// Wrong, but exactly what the correct method gives from the learner's own earlier wrong
    /// answers (error carried forward).
    Carried,
}

/// A known mistake of DESIGN.md §9's table: its stable id and a message naming the mistake and the
/// equation that fixes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnosis {
    pub id: DiagnosisId,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Grade {
    pub verdict: Verdict,
    /// One or two sentences for the learner; includes the diagnosis's message when there is one.
    pub message: Cow<'static, str>,
    /// The notes' 1-based indices of the wrong entries (`[i]`, `[i, j]`), set when the verdict
    /// is incorrect and the shape is right. A wrong single entry (`dL_dWo[2,1]`) is listed by
    /// its own index; a wrong scalar (the loss) has no index, so the list stays empty.
    pub wrong_entries: Vec<Vec<usize>>,
    /// Set when the answer's shape is wrong.
    pub expected_shape: Option<Shape>,
    pub diagnosis: Option<Diagnosis>,
    /// Set when the verdict is invalid: why the answer cannot be read, and where.
    pub error: Option<AnswerError>,
    /// Set when carried: the learner's earlier (wrong) answers the answer follows from.
    pub carried_from: Vec<QuantityRef>,
    /// The share of the question's point the answer earns, in 0..=1: 1 when correct; for a
    /// carried answer the lesson's `[check.credit] carried` (1 by default; 0 when grading is
    /// strict), for a diagnosed one the credit of its id (0 by default), else 0. Every output
    /// and the tutor's score add these up.
    pub credit: f64,
    /// Set when the answer is a formula in the lesson's names: whether it holds in general.
    pub formula: Option<Identity>,
}

/// What the identity test says of a formula answer (DESIGN.md §4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, strum::IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Identity {
    /// It gives the true value on every nearby lesson too: the general rule.
    Holds,
    /// It matches this lesson's numbers only: graded incorrect.
    Coincidence,
    /// Not tested: the answer was wrong anyway, or no nearby lesson keeps the gate pattern.
    Untested,
}

impl Identity {
    /// The name JSON gives it.
    pub fn name(self) -> &'static str {
        self.into()
    }
}

/// How a grader departs from the lesson's own settings: `check`'s command-line options.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct GradeOptions {
    /// `--rtol`: replaces the relative tolerance everywhere (the lesson's default and each
    /// per-quantity value), leaving every absolute tolerance as the lesson sets it.
    pub rtol: Option<f64>,
    /// `--atol`: the same for the absolute tolerance.
    pub atol: Option<f64>,
    /// `--strict`: no credit for carried answers.
    pub strict: bool,
    /// `--no-formulas`: answers must be values, whatever the lesson allows.
    pub no_formulas: bool,
}

/// Grades answers to the questions of one lesson; built once, used for every answer.
pub struct Grader<'a> {
    lesson: &'a Lesson,
    pub(super) solution: &'a Solution,
    options: GradeOptions,
    /// The known wrong answers of every name of the lesson (a quantity, of an example in a
    /// dataset), computed once, when an answer to it is first wrong, so that every answer file
    /// compares against the same lists (and a lesson of 1024-unit layers computes no list it
    /// never needs).
    mistakes: BTreeMap<QuantityRef, OnceLock<Vec<(Mistake, Value)>>>,
    /// Every name of the lesson, in walkthrough order.
    names: Vec<QuantityRef>,
    /// The value of every name, computed once.
    pub(super) truth: BTreeMap<QuantityRef, Value>,
    /// What the lesson asks, in order: only answers to these feed error carried forward, and a
    /// formula may use only earlier answers. A lesson asks a few: scanned, never looked up in
    /// a map (issue 16).
    pub(super) questions: Vec<Question>,
    /// The nearby lessons formula answers are checked on, made the first time one is needed.
    nearby: OnceLock<Vec<Solution>>,
    /// Per asked quantity (whole), the names its step reads: what a carry may replace.
    pub(super) reads: BTreeMap<QuantityRef, Vec<QuantityRef>>,
    /// What is known of each question before any answer.
    asked_facts: Vec<AskedFacts>,
    /// The tolerances of the wholes of questions that ask an entry.
    whole_tolerances: BTreeMap<QuantityRef, EntryTolerances>,
}

/// A question's true value, tolerance and message for no answer, worked out once: every answer
/// file looks them up, and a scan of a lesson's few questions finds them in a few comparisons,
/// where a map of all its names compared whole `QuantityRef`s (issue 16).
struct AskedFacts {
    asked: QuantityRef,
    truth: Value,
    tolerance: EntryTolerances,
    /// What a question left unanswered is told (most classes leave some out).
    unanswered: String,
}

impl<'a> Grader<'a> {
    pub fn new(lesson: &'a Lesson, solution: &'a Solution, options: GradeOptions) -> Self {
        let names = solution.names();
        let mistakes = names.iter().map(|name| (name.clone(), OnceLock::new())).collect();
        let truth: BTreeMap<QuantityRef, Value> = solution.quantities().into_iter().collect();
        let questions = questions(lesson);
        let reads = questions
            .iter()
            .map(|q| q.asked.whole())
            .map(|whole| {
                let reads = inputs(solution.network(), &whole);
                (whole, reads)
            })
            .collect();
        let asked_facts = questions
            .iter()
            .filter_map(|q| {
                let truth = project(truth.get(&q.asked.whole())?, &q.asked.index)?.into_owned();
                let tolerance = tolerance(lesson, &q.asked, options);
                let unanswered = missing_message(&q.asked);
                Some(AskedFacts { asked: q.asked.clone(), truth, tolerance, unanswered })
            })
            .collect();
        let whole_tolerances = questions
            .iter()
            .filter(|q| !q.asked.index.is_empty())
            .map(|q| (q.asked.whole(), tolerance(lesson, &q.asked.whole(), options)))
            .collect();
        Grader {
            lesson,
            solution,
            options,
            mistakes,
            names,
            truth,
            questions,
            nearby: OnceLock::new(),
            reads,
            asked_facts,
            whole_tolerances,
        }
    }

    /// Every name of the lesson, in walkthrough order.
    pub fn names(&self) -> &[QuantityRef] {
        &self.names
    }

    pub fn lesson(&self) -> &Lesson {
        self.lesson
    }

    /// The tolerance each entry of an answer to `asked` is held to (see [`tolerance`]).
    pub fn tolerance(&self, asked: &QuantityRef) -> Cow<'_, EntryTolerances> {
        self.tolerance_with(self.facts(asked), asked)
    }

    /// [`Grader::tolerance`], with what is known of `asked` as a question already found.
    fn tolerance_with<'g>(
        &'g self,
        facts: Option<&'g AskedFacts>,
        asked: &QuantityRef,
    ) -> Cow<'g, EntryTolerances> {
        match facts.map(|facts| &facts.tolerance).or_else(|| self.whole_tolerances.get(asked)) {
            Some(tolerance) => Cow::Borrowed(tolerance),
            None => Cow::Owned(tolerance(self.lesson, asked, self.options)),
        }
    }

    /// The known wrong answers to `asked` on the lesson's own values (of its example, for a
    /// quantity of one example's pass), in the order they are tried: what `lint` checks the
    /// lesson can tell apart.
    pub fn known_answers(&self, asked: &QuantityRef) -> Cow<'_, [(Mistake, Value)]> {
        let name = asked.whole();
        let Some(whole) = self.mistakes.get(&name) else { return Cow::Owned(vec![]) };
        let values = self.solution.pass(asked.example);
        let whole = whole.get_or_init(|| candidates(values, &name));
        if asked.index.is_empty() {
            return Cow::Borrowed(whole);
        }
        match self.truth.get(&name) {
            Some(right) => Cow::Owned(at_entry(whole, right, values, asked)),
            None => Cow::Owned(vec![]),
        }
    }

    /// Grades typed text. Blank text is no answer (missing), text that cannot be read is
    /// invalid. `earlier` holds the learner's earlier answers, for error carried forward.
    pub fn grade_text(&self, asked: &QuantityRef, input: &str, earlier: &Earlier) -> Grade {
        if input.trim().is_empty() {
            return self.missing(asked);
        }
        match parse(input) {
            Ok(parsed) => self.grade_parsed(asked, &parsed, earlier),
            Err(error) => self.unreadable(&error, true),
        }
    }

    /// Whether answers may be formulas in the lesson's names.
    pub fn allows_formulas(&self) -> bool {
        self.lesson.allows_formulas() && !self.options.no_formulas
    }

    /// The value of a formula answer to `asked` from the learner's `earlier` answers.
    pub fn formula_value(
        &self,
        asked: &QuantityRef,
        parsed: &ParsedAnswer,
        earlier: &Earlier,
    ) -> Result<Value, AnswerError> {
        if !self.allows_formulas()
            && let Some((name, column)) = parsed.name_uses().next()
        {
            let why = if self.options.no_formulas { "this grading" } else { "this lesson" };
            let message =
                format!("'{name}' is a name, and {why} takes values, not formulas: write the number");
            return Err(AnswerError { message, column });
        }
        let names = LessonNames::new(self.solution, earlier, asked, &self.questions);
        Ok(parsed.evaluate(&names)?.into_value())
    }

    /// The names a formula answer to `asked` may use, with whether each has a value now given
    /// the learner's `earlier` answers; none where answers must be values.
    pub fn formula_names(&self, asked: &QuantityRef, earlier: &Earlier) -> Vec<FormulaName> {
        if !self.allows_formulas() {
            return vec![];
        }
        LessonNames::new(self.solution, earlier, asked, &self.questions).all()
    }

    /// Grades a parsed answer: a value, or a formula, which must then also hold as an
    /// identity on nearby lessons.
    pub fn grade_parsed(&self, asked: &QuantityRef, parsed: &ParsedAnswer, earlier: &Earlier) -> Grade {
        let value = match self.formula_value(asked, parsed, earlier) {
            Ok(value) => value,
            Err(error) => {
                let formula = parsed.is_formula().then_some(Identity::Untested);
                return Grade { formula, ..self.unreadable(&error, true) };
            }
        };
        let grade = self.grade_value(asked, &value, earlier);
        if !parsed.is_formula() {
            return grade;
        }
        if !grade.is_credited() && grade.verdict != Verdict::Carried {
            return Grade { formula: Some(Identity::Untested), ..grade };
        }
        let nearby = self.nearby.get_or_init(|| perturbations(self.solution, self.lesson.fingerprint()));
        match holds(parsed, asked, nearby, &self.tolerance(asked)) {
            Some(true) => Grade { formula: Some(Identity::Holds), ..grade },
            None => Grade { formula: Some(Identity::Untested), ..grade },
            Some(false) => Grade {
                message: format!(
                    "This formula gives the right numbers for this lesson only by coincidence: on nearby \
                     lessons (the weights and input changed a little) it does not give {}. Write it with \
                     the lesson's names instead of its numbers; see {}.",
                    asked.symbol(),
                    equation_of(self.solution.network(), asked)
                )
                .into(),
                formula: Some(Identity::Coincidence),
                ..Grade::new(Verdict::Incorrect)
            },
        }
    }

    /// The grade of an answer that cannot be read. `typed` tells whether `error` points into
    /// text the learner typed (then its column is part of the message) or describes a value
    /// given otherwise, e.g. a ragged TOML array.
    pub fn unreadable(&self, error: &AnswerError, typed: bool) -> Grade {
        let why = if typed { error.to_string() } else { error.message.clone() };
        Grade {
            message: format!("Cannot read the answer: {why}.").into(),
            error: Some(error.clone()),
            ..Grade::new(Verdict::Invalid)
        }
    }

    /// Grades a value: one typed and read, or numbers given as such (TOML, or the TUI's own).
    pub fn grade_value(&self, asked: &QuantityRef, answer: &Value, earlier: &Earlier) -> Grade {
        self.grade_value_with(asked, answer, &|| earlier)
    }

    /// [`Grader::grade_value`], asking for the learner's earlier answers only when the answer
    /// is not the true value: a class file whose every answer is right never gathers them.
    pub(super) fn grade_value_with<'e>(
        &self,
        asked: &QuantityRef,
        answer: &Value,
        earlier: &dyn Fn() -> &'e Earlier<'e>,
    ) -> Grade {
        // A question's truth and tolerance are found together (most answers are to questions).
        let facts = self.facts(asked);
        let Some(expected) = self.truth_with(facts, asked) else {
            let message = format!("{asked} is not a quantity of this lesson");
            return self.unreadable(&AnswerError { message, column: 0 }, false);
        };
        if let Some(error) = non_finite(answer) {
            return self.unreadable(&error, false);
        }
        let tolerance = self.tolerance_with(facts, asked);
        let given = conform(answer, expected.shape());
        if let Some(given) = given.as_ref().filter(|given| accepted(given, &expected, &tolerance)) {
            if tolerance.shows_nothing(given, &expected) {
                return self.zeros_within_tolerance(asked);
            }
            return Grade { message: "Correct.".into(), credit: 1.0, ..Grade::new(Verdict::Correct) };
        }
        // What the step reads, with the learner's answers in: the carry and the diagnosis both
        // ask, and it is worked out once.
        let inputs = std::cell::OnceCell::new();
        let inputs = || inputs.get_or_init(|| self.learner_inputs(asked, earlier())).as_ref();
        let follows = given.as_ref().and_then(|given| self.follows(asked, given, inputs()));
        let mut degenerate = None;
        match follows {
            Some(Follows::Rounded(from)) => return self.rounded(&from),
            Some(Follows::Carried(from)) => return self.carried(from),
            Some(Follows::Degenerate { from, why }) => degenerate = Some((from, why)),
            None => {}
        }
        let mut grade = Grade::new(Verdict::Incorrect);
        let first = match given {
            Some(given) => {
                let wrong = wrong_entries(&given, &expected, &tolerance);
                let sentence = off_sentence(&wrong, expected.shape());
                grade.wrong_entries = if !asked.index.is_empty() {
                    vec![asked.index.clone()]
                } else if expected.shape() == Shape::Scalar {
                    vec![]
                } else {
                    wrong
                };
                sentence
            }
            None => {
                grade.expected_shape = Some(expected.shape());
                format!("Expected {}, but this is {}.", expected.shape(), answer.shape())
            }
        };
        if let Some((from, why)) = degenerate {
            let names: Vec<String> = from.iter().map(display_name).collect();
            grade.message = format!(
                "{first} It follows from your {}, but {why}, so following it shows no work and \
                 earns no credit.",
                names.join(" and ")
            )
            .into();
            return grade;
        }
        let diagnosis = self.diagnose(asked, answer, &expected, &tolerance, &inputs);
        grade.message = match &diagnosis {
            Some(d) => format!("{first} {}", d.message).into(),
            None => first.into(),
        };
        if let Some(d) = &diagnosis {
            grade.credit = self.lesson.credit().diagnosed(d.id);
            grade.message.to_mut().push_str(&partial_credit_note(grade.credit));
        }
        grade.diagnosis = diagnosis;
        grade
    }

    /// The lesson's value of a quantity or entry, borrowed for a whole quantity.
    pub(super) fn truth(&self, reference: &QuantityRef) -> Option<Cow<'_, Value>> {
        self.truth_with(self.facts(reference), reference)
    }

    /// [`Grader::truth`], with what is known of `reference` as a question already found.
    fn truth_with<'g>(
        &'g self,
        facts: Option<&'g AskedFacts>,
        reference: &QuantityRef,
    ) -> Option<Cow<'g, Value>> {
        if let Some(facts) = facts {
            return Some(Cow::Borrowed(&facts.truth));
        }
        project(self.truth.get(&reference.whole())?, &reference.index)
    }

    /// Whether the lesson asks the whole of `name`'s quantity or an entry of it.
    pub(super) fn asks_of(&self, name: &QuantityRef) -> bool {
        self.questions.iter().any(|q| q.asked.same_name(name))
    }

    /// What is known of `asked` when it is a question.
    fn facts(&self, asked: &QuantityRef) -> Option<&AskedFacts> {
        self.asked_facts.iter().find(|facts| facts.asked == *asked)
    }

    /// The grade of a question left unanswered.
    pub fn missing(&self, asked: &QuantityRef) -> Grade {
        let message = match self.facts(asked) {
            Some(facts) => facts.unanswered.clone(),
            None => missing_message(asked),
        };
        Grade { message: message.into(), ..Grade::new(Verdict::Missing) }
    }

    /// Zeros that a loose tolerance would accept for a truth that is not negligible: never
    /// correct, whatever the tolerance (DESIGN.md §4).
    fn zeros_within_tolerance(&self, asked: &QuantityRef) -> Grade {
        let message = format!(
            "Every entry is 0, or as good as 0 beside the true {}, which is not: the tolerance is loose \
             enough to accept that, but an answer of zeros shows no work and is not correct.",
            asked.symbol()
        );
        Grade { message: message.into(), ..Grade::new(Verdict::Incorrect) }
    }

    fn rounded(&self, from: &[QuantityRef]) -> Grade {
        let names: Vec<String> = from.iter().map(display_name).collect();
        let message =
            format!("Correct: it is what the method gives from your own rounded {}.", names.join(" and "));
        Grade { message: message.into(), credit: 1.0, ..Grade::new(Verdict::Correct) }
    }

    fn carried(&self, from: Vec<QuantityRef>) -> Grade {
        let names: Vec<String> = from.iter().map(display_name).collect();
        let mut message = format!(
            "Not the true value, but exactly what the correct method gives from your {} (error carried \
             forward)",
            names.join(" and ")
        );
        let credit = if self.options.strict { 0.0 } else { self.lesson.credit().carried() };
        message.push_str(if self.options.strict { "; strict grading gives it no credit." } else { "." });
        if !self.options.strict {
            message.push_str(&partial_credit_note(credit));
        }
        Grade { message: message.into(), credit, carried_from: from, ..Grade::new(Verdict::Carried) }
    }

    /// The known mistake `answer` shows, if any: the right value rounded too early; else the
    /// first known wrong answer it matches that differs from the right one, from the lesson's
    /// values, then from the learner's own earlier answers; else two slips, a known wrong
    /// answer negated or transposed as a whole.
    fn diagnose<'i>(
        &self,
        asked: &QuantityRef,
        answer: &Value,
        expected: &Value,
        tolerance: &EntryTolerances,
        inputs: &dyn Fn() -> Option<&'i LearnerInputs>,
    ) -> Option<Diagnosis> {
        let is_wrong = |candidate: &Value| !matches(candidate, expected, tolerance);
        let truth = self.known_answers(asked);
        let learner = std::cell::OnceCell::new();
        let learner = || {
            learner.get_or_init(|| match inputs() {
                // Inputs that are the lesson's own give the list already tried.
                Some((values, _))
                    if values.iter().any(|(name, value)| self.truth.get(name) != Some(value)) =>
                {
                    known_answers(&Context::with_learner(self.solution, asked.example, values), asked)
                }
                _ => vec![],
            })
        };
        let one_slip = |given: &Value, also: Option<&Mistake>| {
            let found = |list: &[(Mistake, Value)]| {
                list.iter().find_map(|(mistake, candidate)| {
                    if !matches(given, candidate, tolerance) || !is_wrong(candidate) {
                        return None;
                    }
                    match also {
                        None => Some(mistake.clone()),
                        Some(slip) => Mistake::compose(mistake.clone(), slip.clone()),
                    }
                })
            };
            found(&truth).or_else(|| found(learner()))
        };
        let mistake =
            too_few_digits(answer, expected, tolerance).or_else(|| one_slip(answer, None)).or_else(|| {
                undo_whole_slips(answer, expected.shape())
                    .find_map(|(slip, before)| one_slip(&before, Some(&slip)))
            })?;
        // One example's mistakes are told with that example's label and numbers.
        let values = self.solution.pass(asked.example);
        Some(Diagnosis { id: mistake.id(), message: mistake.message(values, asked) })
    }
}

/// "No answer for ∂L/∂o (dL_do)."
fn missing_message(asked: &QuantityRef) -> String {
    format!("No answer for {}.", display_name(asked))
}

/// The tolerance each entry of an answer to `asked` is held to: the lesson's (an entry's own
/// setting holds wherever it is graded), with `--rtol`/`--atol` in place of the setting they
/// name.
pub fn tolerance(lesson: &Lesson, asked: &QuantityRef, options: GradeOptions) -> EntryTolerances {
    let tolerances = lesson.tolerances();
    let with_options = |t: Tolerance| Tolerance {
        rtol: options.rtol.unwrap_or(t.rtol),
        atol: options.atol.unwrap_or(t.atol),
    };
    let all = with_options(tolerances.for_entry(asked));
    if !asked.index.is_empty() {
        return EntryTolerances::uniform(all);
    }
    let shape = lesson.network().shape(asked.quantity);
    let own = tolerances
        .entries_of(asked)
        .filter_map(|index| {
            let at = shape.position(index)?;
            let entry = QuantityRef { index: index.to_vec(), ..asked.whole() };
            Some((at, with_options(tolerances.for_entry(&entry))))
        })
        .collect();
    EntryTolerances { all, own }
}

impl Grade {
    /// Whether the answer earns anything.
    pub fn is_credited(&self) -> bool {
        self.credit > 0.0
    }

    fn new(verdict: Verdict) -> Self {
        Grade {
            verdict,
            message: Cow::Borrowed(""),
            wrong_entries: vec![],
            expected_shape: None,
            diagnosis: None,
            error: None,
            carried_from: vec![],
            credit: 0.0,
            formula: None,
        }
    }
}

/// " It earns 0.5 of the point (partial credit)." for a share strictly between 0 and 1; a whole
/// point or none needs no words beyond the verdict.
fn partial_credit_note(share: f64) -> String {
    if share > 0.0 && share < 1.0 {
        format!(" It earns {} of the point (partial credit).", (share * 1e6).round() / 1e6)
    } else {
        String::new()
    }
}

/// The whole value, or its entry at `index` (1-based) when that names one.
fn project<'v>(whole: &'v Value, index: &[usize]) -> Option<Cow<'v, Value>> {
    if index.is_empty() {
        Some(Cow::Borrowed(whole))
    } else {
        whole.entry(index).map(|x| Cow::Owned(Value::Scalar(x)))
    }
}

/// An answer given as numbers (TOML, or the TUI) may hold NaN or infinity, which the answer
/// language itself never produces.
fn non_finite(value: &Value) -> Option<AnswerError> {
    if value.is_finite() {
        return None;
    }
    let shape = value.shape();
    let at = value.entries().iter().position(|x| !x.is_finite())?;
    let which = match shape.index(at).as_slice() {
        [] => "the answer".to_string(),
        [i] => format!("entry {i}"),
        ix => format!("entry [{}]", ix.iter().map(usize::to_string).collect::<Vec<_>>().join(",")),
    };
    Some(AnswerError { message: format!("{which} is not a finite number"), column: 0 })
}

/// "Entry 2 is off." / "Entries [1,2] and [2,1] are off." / "All 6 entries are off."
fn off_sentence(wrong: &[Vec<usize>], shape: Shape) -> String {
    let total = shape.entry_count();
    let name = |ix: &Vec<usize>| match ix.as_slice() {
        [i] => i.to_string(),
        ix => format!("[{}]", ix.iter().map(usize::to_string).collect::<Vec<_>>().join(",")),
    };
    match wrong {
        _ if total == 1 => "Not the right value.".to_string(),
        _ if total == 2 && wrong.len() == 2 => "Both entries are off.".to_string(),
        _ if wrong.len() == total => format!("All {total} entries are off."),
        [one] => format!("Entry {} is off.", name(one)),
        _ => {
            let names: Vec<String> = wrong.iter().map(name).collect();
            match names.split_last() {
                Some((last, rest)) if !rest.is_empty() => {
                    format!("Entries {} and {last} are off.", rest.join(", "))
                }
                _ => "Some entries are off.".to_string(),
            }
        }
    }
}

impl Verdict {
    pub fn word(self) -> &'static str {
        match self {
            Verdict::Correct => "correct",
            Verdict::Incorrect => "incorrect",
            Verdict::Invalid => "invalid",
            Verdict::Missing => "missing",
            Verdict::Carried => "carried",
        }
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.word())
    }
}
