//! Error carried forward (DESIGN.md §4), decided here for `check` and the tutor alike: which of
//! the learner's earlier answers may stand in for the lesson's values when a later answer is
//! graded, and what an answer that follows from them earns. It must never credit work that was
//! not done:
//! - only an answer to a question the lesson asks, given, valid and not revealed can feed a
//!   carry ([`Earlier::record`]); a key nobody asked (an `o_hat`, a `z2`) never does, nor does
//!   an invalid or a missing answer, whose place the lesson's own value keeps;
//! - following an earlier answer that is all zeros (or numbers too small to tell from zeros
//!   beside the true ones), or reaching such zeros where the true value is not, shows no work
//!   and earns nothing;
//! - following the learner's own *correct* (rounded) answers is simply correct; an earlier
//!   answer counts as rounded only when it is within tolerance of the truth both under its own
//!   tolerance and under the later quantity's, so that a loose `[check.dL_do]` cannot pass
//!   zeros (or halves) on to every later step as "correct" (DESIGN.md §4); the zero guard holds
//!   for rounded follow-through as for a carry.

use super::grade::Grader;
use super::method::{Context, compute, inputs};
use super::shape::{EntryTolerances, conform, from_entries, matches};
use super::submission::{Question, question_at};
use crate::quantity::QuantityRef;
use crate::value::{Shape, Value};
use std::borrow::Cow;
use std::collections::BTreeMap;

/// The learner's earlier answers that may feed a carry. Made by [`Grader::earlier`], which
/// knows what the lesson asks, or by `Earlier::in_order` from a file's answers to it.
///
/// Only answers to questions are kept, so they are kept in one slot per question: recording
/// and finding one is a scan of a lesson's few questions, with no key copied or sorted (a
/// class file's wrong answer gathers them all; issue 16).
#[derive(Debug, Clone)]
pub struct Earlier<'g> {
    /// The lesson's questions.
    asked: &'g [Question],
    /// The recorded answer to each question, at its place in `asked`; empty until one is
    /// recorded. Borrowed where they outlive the grading (a file's answers), else owned.
    answers: Vec<Option<Cow<'g, Value>>>,
}

impl<'g> Earlier<'g> {
    pub(super) fn new(asked: &'g [Question]) -> Self {
        Earlier { asked, answers: Vec::new() }
    }

    /// Where the rules let the learner's answer to `question` feed later carries, its slot:
    /// the question is asked, and the answer was given, is valid (every entry finite) and was
    /// not revealed.
    fn slot(&self, question: &QuantityRef, answer: &Value, revealed: bool) -> Option<usize> {
        if revealed || !answer.is_finite() {
            return None;
        }
        question_at(self.asked, question)
    }

    /// Keeps the learner's answer to `question` for later carries, when the rules allow it
    /// (see [`Earlier::slot`]). Returns whether it was kept.
    pub fn record(&mut self, question: &QuantityRef, answer: Cow<'g, Value>, revealed: bool) -> bool {
        let Some(at) = self.slot(question, &answer, revealed) else { return false };
        if self.answers.is_empty() {
            self.answers.resize(self.asked.len(), None);
        }
        self.answers[at] = Some(answer);
        true
    }

    /// The learner's answers to `asked`, one for each question in its order (`None` for none),
    /// each kept where the rules let it feed carries (see [`Earlier::slot`]; none revealed): a
    /// file's answers, already in the order of its questions, with no question looked up.
    pub(super) fn in_order(
        asked: &'g [Question],
        answers: impl IntoIterator<Item = Option<Cow<'g, Value>>>,
    ) -> Self {
        let answers = answers.into_iter().map(|answer| answer.filter(|answer| answer.is_finite())).collect();
        Earlier { asked, answers }
    }

    /// The recorded answer to `reference` itself.
    fn get(&self, reference: &QuantityRef) -> Option<&Value> {
        let at = question_at(self.asked, reference)?;
        self.answers.get(at)?.as_deref()
    }

    /// The learner's value of the whole of `name` (of `shape`): the answer to it, or every
    /// entry answered on its own; `None` when neither was recorded.
    pub(super) fn whole(&self, name: &QuantityRef, shape: Shape) -> Option<Value> {
        let whole = name.whole();
        if let Some(value) = self.get(&whole) {
            return conform(value, shape).map(|v| v.into_owned());
        }
        let entries: Vec<f64> = shape
            .indices()
            .into_iter()
            .map(|index| {
                let entry = self.get(&QuantityRef { index, ..whole.clone() })?;
                conform(entry, Shape::Scalar).map(|v| v.entries()[0])
            })
            .collect::<Option<_>>()?;
        Some(from_entries(shape, &entries))
    }

    /// The recorded answers to `name`: the whole one, or single entries, in the order of the
    /// questions.
    fn of(&self, name: &QuantityRef) -> impl Iterator<Item = (&QuantityRef, &Value)> {
        self.asked
            .iter()
            .zip(&self.answers)
            .filter(|(q, _)| q.asked.same_name(name))
            .filter_map(|(q, answer)| Some((&q.asked, answer.as_deref()?)))
    }
}

/// How an answer that is not the true value relates to the learner's earlier answers.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Follows {
    /// It is what the correct method gives from the learner's own answers, all of them right
    /// (within tolerance): an honest rounding, graded correct.
    Rounded(Vec<QuantityRef>),
    /// It is what the correct method gives from earlier answers of which `from` are wrong.
    Carried(Vec<QuantityRef>),
    /// As `Carried`, but degenerate: `why` the carry shows no work.
    Degenerate { from: Vec<QuantityRef>, why: String },
}

/// The values the step computing a quantity reads, with the learner's answers in place of the
/// lesson's, and which answers those are (see [`Grader::learner_inputs`]).
pub(super) type LearnerInputs = (BTreeMap<QuantityRef, Value>, Vec<Used>);

/// One earlier answer a carry reads, judged against the lesson's value.
pub(super) struct Used {
    question: QuantityRef,
    /// Off the truth under its own tolerance or under that of the quantity that reads it.
    wrong: bool,
    /// All zeros, or as good as zeros, beside a non-zero true value (under either tolerance).
    zero: bool,
}

impl Grader<'_> {
    /// An empty set of earlier answers, to [`Earlier::record`] the learner's answers in.
    pub fn earlier(&self) -> Earlier<'_> {
        Earlier::new(&self.questions)
    }

    /// Whether `given` (in the asked quantity's layout) is what the correct method gives from
    /// the learner's `earlier` answers, and what that is worth. `None` when no earlier answer
    /// feeds the step, or the answer does not follow from them.
    pub(super) fn follows(
        &self,
        asked: &QuantityRef,
        given: &Value,
        inputs: Option<&LearnerInputs>,
    ) -> Option<Follows> {
        let (values, used) = inputs?;
        let context = Context::with_learner(self.solution, asked.example, values);
        let whole = compute(&context, &asked.whole())?;
        let method = match asked.index.as_slice() {
            [] => whole,
            index => Value::Scalar(whole.entry(index)?),
        };
        let tolerance = self.tolerance(asked);
        if !method.is_finite() || !matches(given, &method, &tolerance) {
            return None;
        }
        let wrong: Vec<&Used> = used.iter().filter(|u| u.wrong).collect();
        let names = |list: &[&Used]| list.iter().map(|u| u.question.clone()).collect::<Vec<_>>();
        let from = if wrong.is_empty() { names(&used.iter().collect::<Vec<_>>()) } else { names(&wrong) };
        let truth = self.truth(asked)?;
        // The guard holds for rounded follow-through exactly as for a carry (DESIGN.md §4).
        let why = if used.iter().any(|u| u.zero) {
            Some("that answer is all zeros, or as good as zeros beside the true values".to_string())
        } else if tolerance.shows_nothing(&method, &truth) {
            Some(format!("it comes out all zeros where the true {} is not", asked.symbol()))
        } else {
            None
        };
        Some(match why {
            Some(why) => Follows::Degenerate { from, why },
            None if wrong.is_empty() => Follows::Rounded(from),
            None => Follows::Carried(from),
        })
    }

    /// The values the step computing `asked` reads, with the learner's recorded answers in
    /// place of the lesson's (an input answered entry by entry keeps the lesson's value in the
    /// entries not asked), and which answers those are. `None` when the learner answered none,
    /// or answered each with exactly the lesson's own value: then the step reads the
    /// lesson's values, nothing is carried, and the answer is judged against the truth alone
    /// (the usual wrong answer of a class, which then costs no second pass of the method).
    pub(super) fn learner_inputs(&self, asked: &QuantityRef, earlier: &Earlier) -> Option<LearnerInputs> {
        let network = self.solution.network();
        let reader = EntryTolerances::uniform(self.tolerance(&asked.whole()).tightest());
        let mut values = BTreeMap::new();
        let mut used = Vec::new();
        let mut own_values = true;
        let whole = asked.whole();
        let reads = match self.reads.get(&whole) {
            Some(reads) => Cow::Borrowed(reads),
            None => Cow::Owned(inputs(network, &whole)),
        };
        if reads.iter().all(|input| self.answered_as_the_lesson(input, earlier)) {
            return None;
        }
        for input in reads.iter().cloned() {
            // In key order (the whole first), as the messages that name them list them.
            let mut answers: Vec<(&QuantityRef, &Value)> = earlier.of(&input).collect();
            answers.sort_by(|a, b| a.0.cmp(b.0));
            if answers.is_empty() {
                continue;
            }
            let truth = self.truth.get(&input)?;
            let shape = truth.shape();
            // A whole answer stands for every entry; then entries answered on their own are
            // the same values again and add nothing.
            let whole = answers.iter().find(|(r, _)| r.index.is_empty());
            let mut entries = truth.entries();
            let parts: Vec<(&QuantityRef, &Value)> = match whole {
                Some(&(reference, value)) => vec![(reference, value)],
                None => answers,
            };
            for (reference, value) in parts {
                let Some(value) =
                    conform(value, if reference.index.is_empty() { shape } else { Shape::Scalar })
                else {
                    // A shape that is not the quantity's cannot stand in for it.
                    continue;
                };
                match shape.position(&reference.index).filter(|_| !reference.index.is_empty()) {
                    Some(at) => entries[at] = value.entries()[0],
                    None => entries = value.entries(),
                }
                let own = self.tolerance(reference);
                let own_truth = self.truth(reference)?;
                let both = [&own, &reader];
                used.push(Used {
                    question: reference.clone(),
                    wrong: both.iter().any(|t| !matches(&value, &own_truth, t)),
                    zero: both.iter().any(|t| t.shows_nothing(&value, &own_truth)),
                });
            }
            let value = from_entries(shape, &entries);
            own_values &= value == *truth;
            values.insert(input, value);
        }
        (!used.is_empty() && !own_values).then_some((values, used))
    }
}

impl Grader<'_> {
    /// Whether what [`Grader::learner_inputs`] would take of the learner's answers to `input`
    /// is exactly the lesson's value (or nothing, or what it could not use): then it reads
    /// nothing of the learner's there. Asked first, as it allocates nothing: a wrong answer
    /// whose inputs were answered right to the last digit is common, and then the inputs are
    /// never built.
    fn answered_as_the_lesson(&self, input: &QuantityRef, earlier: &Earlier) -> bool {
        // Most of what a step reads is no question (a weight, an activation): nothing of the
        // learner's is there, and its value is not looked up.
        if earlier.of(input).next().is_none() {
            return true;
        }
        let Some(truth) = self.truth(input) else { return true };
        // A whole answer stands for the entries answered on their own.
        let whole = earlier.of(input).any(|(reference, _)| reference.index.is_empty());
        earlier.of(input).filter(|(reference, _)| !whole || reference.index.is_empty()).all(
            |(reference, value)| {
                let shape = if reference.index.is_empty() { truth.shape() } else { Shape::Scalar };
                match (conform(value, shape), self.truth(reference)) {
                    (Some(value), Some(own_truth)) => *value == *own_truth,
                    // Nothing learner_inputs would use (or it would give up).
                    _ => true,
                }
            },
        )
    }
}

/// `∂L/∂o (dL_do)`: the notes' symbol for the learner, the answer-file name for the file.
pub(super) fn display_name(reference: &QuantityRef) -> String {
    format!("{} ({reference})", reference.symbol())
}
