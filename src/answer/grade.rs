//! Grading one answer (SPEC §4): the verdict, the entries that are off, the expected shape,
//! a diagnosis of a known mistake, and error carried forward from the learner's own earlier
//! answers. Pure: a [`Grader`] reads only the lesson, its solution and what it is given.

use super::diagnose::{Mistake, candidates};
use super::method::{Context, compute, inputs};
use super::shape::{accepted, conform, from_entries, matches, wrong_entries};
use super::syntax::{AnswerError, parse_answer};
use crate::engine::Solution;
use crate::lesson::{Lesson, Tolerance};
use crate::quantity::{Quantity, QuantityRef};
use crate::value::{Shape, Value};
use serde::Serialize;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
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

/// A known mistake of SPEC §4's table: its stable id and a message naming the mistake and the
/// equation that fixes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnosis {
    pub id: &'static str,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Grade {
    pub verdict: Verdict,
    /// One or two sentences for the learner; includes the diagnosis's message when there is one.
    pub message: String,
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
    /// The share of the question's point the answer earns, in 0..=1: 1 when correct, or
    /// carried unless grading is strict.
    pub credit: f64,
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
}

/// Grades answers to the questions of one lesson; built once, used for every answer.
pub struct Grader<'a> {
    lesson: &'a Lesson,
    solution: &'a Solution,
    options: GradeOptions,
    /// The known wrong answers of every quantity of the lesson, computed once so that every
    /// answer file compares against the same lists.
    mistakes: BTreeMap<Quantity, Vec<(Mistake, Value)>>,
    /// Every quantity of the lesson, in walkthrough order.
    names: Vec<Quantity>,
    /// The value of every quantity, computed once.
    truth: BTreeMap<Quantity, Value>,
}

impl<'a> Grader<'a> {
    pub fn new(lesson: &'a Lesson, solution: &'a Solution, options: GradeOptions) -> Self {
        let truth = Context::truth(solution);
        let names = solution.names();
        let mistakes = names.iter().map(|&q| (q, candidates(&truth, q))).collect();
        let truth = solution.quantities().into_iter().collect();
        Grader { lesson, solution, options, mistakes, names, truth }
    }

    /// Every quantity of the lesson, in walkthrough order.
    pub fn names(&self) -> &[Quantity] {
        &self.names
    }

    pub fn lesson(&self) -> &Lesson {
        self.lesson
    }

    /// The tolerance an answer to `asked` is held to.
    pub fn tolerance(&self, asked: &QuantityRef) -> Tolerance {
        let lesson = self.lesson.tolerances().for_quantity(asked);
        Tolerance {
            rtol: self.options.rtol.unwrap_or(lesson.rtol),
            atol: self.options.atol.unwrap_or(lesson.atol),
        }
    }

    /// Grades typed text. Blank text is no answer (missing), text that cannot be read is
    /// invalid. `earlier` holds the learner's well-formed answers by quantity (or entry), for
    /// error carried forward; it may hold anything, as only the asked step's inputs are read.
    pub fn grade_text(
        &self,
        asked: &QuantityRef,
        input: &str,
        earlier: &BTreeMap<QuantityRef, Value>,
    ) -> Grade {
        if input.trim().is_empty() {
            return self.missing(asked);
        }
        match parse_answer(input) {
            Ok(value) => self.grade_value(asked, &value, earlier),
            Err(error) => self.unreadable(&error, true),
        }
    }

    /// The grade of an answer that cannot be read. `typed` tells whether `error` points into
    /// text the learner typed (then its column is part of the message) or describes a value
    /// given otherwise, e.g. a ragged TOML array.
    pub fn unreadable(&self, error: &AnswerError, typed: bool) -> Grade {
        let why = if typed { error.to_string() } else { error.message.clone() };
        Grade {
            message: format!("Cannot read the answer: {why}."),
            error: Some(error.clone()),
            ..Grade::new(Verdict::Invalid)
        }
    }

    /// Grades a value: one typed and read, or numbers given as such (TOML, or the TUI's own).
    pub fn grade_value(
        &self,
        asked: &QuantityRef,
        answer: &Value,
        earlier: &BTreeMap<QuantityRef, Value>,
    ) -> Grade {
        let Some(expected) = self.truth(asked) else {
            let message = format!("{asked} is not a quantity of this lesson");
            return self.unreadable(&AnswerError { message, column: 0 }, false);
        };
        if let Some(error) = non_finite(answer) {
            return self.unreadable(&error, false);
        }
        let tolerance = self.tolerance(asked);
        let given = conform(answer, expected.shape());
        if given.as_ref().is_some_and(|given| accepted(given, &expected, tolerance)) {
            return Grade { message: "Correct.".into(), credit: 1.0, ..Grade::new(Verdict::Correct) };
        }
        let (context, from) = match self.learner_inputs(asked.quantity, earlier) {
            Some((values, from)) => (Some(Context::with_learner(self.solution, values)), from),
            None => (None, vec![]),
        };
        if let (Some(given), Some(context)) = (&given, &context)
            && let Some(whole) = compute(context, asked.quantity)
            && let Some(carried) = project(&whole, &asked.index)
            && carried.is_finite()
            && matches(given, &carried, tolerance)
        {
            return self.carried(from);
        }
        let diagnosis = self.diagnose(asked, answer, &expected, context.as_ref());
        let mut grade = Grade::new(Verdict::Incorrect);
        let first = match given {
            Some(given) => {
                let wrong = wrong_entries(&given, &expected, tolerance);
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
        grade.message = match &diagnosis {
            Some(d) => format!("{first} {}", d.message),
            None => first,
        };
        grade.diagnosis = diagnosis;
        grade
    }

    /// The lesson's value of a quantity or entry, borrowed for a whole quantity.
    fn truth(&self, reference: &QuantityRef) -> Option<Cow<'_, Value>> {
        project(self.truth.get(&reference.quantity)?, &reference.index)
    }

    /// The grade of a question left unanswered.
    pub fn missing(&self, asked: &QuantityRef) -> Grade {
        Grade { message: format!("No answer for {}.", display_name(asked)), ..Grade::new(Verdict::Missing) }
    }

    fn carried(&self, from: Vec<QuantityRef>) -> Grade {
        let names: Vec<String> = from.iter().map(display_name).collect();
        let mut message = format!(
            "Not the true value, but exactly what the correct method gives from your {} (error carried \
             forward)",
            names.join(" and ")
        );
        message.push_str(if self.options.strict { "; strict grading gives it no point." } else { "." });
        Grade {
            message,
            credit: if self.options.strict { 0.0 } else { 1.0 },
            carried_from: from,
            ..Grade::new(Verdict::Carried)
        }
    }

    /// The first known mistake that `answer` matches and that differs from the right answer:
    /// first from the lesson's values, then from the learner's own earlier answers.
    fn diagnose(
        &self,
        asked: &QuantityRef,
        answer: &Value,
        expected: &Value,
        learner: Option<&Context>,
    ) -> Option<Diagnosis> {
        let tolerance = self.tolerance(asked);
        let first_match = |list: &[(Mistake, Value)]| {
            list.iter().find_map(|(mistake, whole)| {
                let candidate = project(whole, &asked.index)?;
                (matches(answer, &candidate, tolerance) && !matches(&candidate, expected, tolerance))
                    .then(|| mistake.clone())
            })
        };
        let truth = self.mistakes.get(&asked.quantity).and_then(|list| first_match(list));
        let mistake = truth
            .or_else(|| learner.and_then(|context| first_match(&candidates(context, asked.quantity))))?;
        let network = self.solution.network();
        Some(Diagnosis { id: mistake.id(), message: mistake.message(network, asked.quantity) })
    }

    /// The learner's earlier answers to the inputs of the step computing `quantity`, in their
    /// quantities' shapes (an input answered entry by entry keeps the lesson's value in the
    /// other entries), with the answers that are wrong; `None` when none is wrong, since then
    /// nothing can be carried.
    fn learner_inputs(
        &self,
        quantity: Quantity,
        earlier: &BTreeMap<QuantityRef, Value>,
    ) -> Option<(BTreeMap<Quantity, Value>, Vec<QuantityRef>)> {
        let network = self.solution.network();
        let mut values = BTreeMap::new();
        let mut wrong = Vec::new();
        for input in inputs(network, quantity) {
            let whole = QuantityRef::from(input);
            // The whole answer, or the entries answered one by one.
            let given: Vec<(&QuantityRef, &Value)> =
                earlier.range(&whole..).take_while(|(r, _)| r.quantity == input).collect();
            if given.is_empty() {
                continue;
            }
            let truth = self.truth.get(&input)?;
            let shape = truth.shape();
            let mut entries = truth.entries();
            let whole_given = given.iter().any(|(r, _)| r.index.is_empty());
            for (reference, value) in given {
                if whole_given != reference.index.is_empty() || !value.is_finite() {
                    continue;
                }
                let Some(value) = conform(value, if whole_given { shape } else { Shape::Scalar }) else {
                    continue;
                };
                match position(shape, &reference.index) {
                    Some(at) => entries[at] = value.entries()[0],
                    None => entries = value.entries(),
                }
                if !matches(&value, &*self.truth(reference)?, self.tolerance(reference)) {
                    wrong.push(reference.clone());
                }
            }
            values.insert(input, from_entries(shape, &entries));
        }
        (!wrong.is_empty()).then_some((values, wrong))
    }
}

impl Grade {
    /// Whether the answer earns anything.
    pub fn is_credited(&self) -> bool {
        self.credit > 0.0
    }

    fn new(verdict: Verdict) -> Self {
        Grade {
            verdict,
            message: String::new(),
            wrong_entries: vec![],
            expected_shape: None,
            diagnosis: None,
            error: None,
            carried_from: vec![],
            credit: 0.0,
        }
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

/// The reading-order position of the entry at `index` in a value of `shape`; `None` for the
/// whole value.
fn position(shape: Shape, index: &[usize]) -> Option<usize> {
    match (shape, index) {
        (Shape::Vector(_), [i]) => Some(i - 1),
        (Shape::Matrix(_, c), [i, j]) => Some((i - 1) * c + (j - 1)),
        _ => None,
    }
}

/// An answer given as numbers (TOML, or the TUI) may hold NaN or infinity, which the answer
/// language itself never produces.
fn non_finite(value: &Value) -> Option<AnswerError> {
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
            let (last, rest) = names.split_last().expect("at least two");
            format!("Entries {} and {last} are off.", rest.join(", "))
        }
    }
}

/// `∂L/∂o (dL_do)`: the notes' symbol for the learner, the answer-file name for the file.
fn display_name(reference: &QuantityRef) -> String {
    format!("{} ({reference})", reference.symbol())
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
