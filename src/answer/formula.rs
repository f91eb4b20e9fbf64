//! Formula answers (DESIGN.md §4): an answer in the lesson's own names (`dL_do * Wo`), graded
//! on its value like any other and then checked as an identity, the way WeBWorK checks
//! formulas: re-evaluated on nearby lessons, it must give their true value too. A formula that
//! only matches at the lesson's numbers (one that writes a weight as a literal, say) agrees
//! there by coincidence.

use super::carry::Earlier;
use super::language::{Binding, Environment, ParsedAnswer};
use super::shape::{EntryTolerances, matches};
use super::submission::Question;
use crate::authoring::rng::SplitMix64;
use crate::engine::Solution;
use crate::network::{Activation, Network};
use crate::plan::formula::{Term, WeightLayer};
use crate::quantity::{Quantity, QuantityRef};
use crate::value::Value;
use nalgebra::DMatrix;
use std::borrow::Cow;

/// How many nearby lessons a formula is checked on.
pub(super) const PERTURBATIONS: usize = 8;

/// One name a formula may use: its text, the term it stands for, and the example whose pass the
/// term is read from (`None`: the lesson's own, or its totals and update).
type Named = (String, Term, Option<usize>);

/// The names a lesson's formulas may use, in the order an error lists them: the input and the
/// forward pass, the weights and biases, e_y or t, then the gradients and Jacobians; with a
/// dataset each example's with its `#n`, then the totals; then η and the update.
fn names(network: &Network) -> Vec<Named> {
    let k = network.depth();
    let mut out: Vec<Named> = Vec::new();
    let examples = crate::network::steps::examples(network);
    let suffix = |example: Option<usize>| example.map_or(String::new(), |n| format!("#{n}"));
    for &example in &examples {
        let mut value = |q: Quantity| {
            if network.has_name(q, example) {
                out.push((format!("{q}{}", suffix(example)), Term::Value(q), example));
            }
        };
        value(Quantity::X);
        for l in 1..=k {
            value(Quantity::Z(l));
            value(Quantity::H(l));
        }
        for q in [Quantity::O, Quantity::OHat, Quantity::Loss] {
            value(q);
        }
    }
    if network.dataset_size().is_some() {
        out.push((Quantity::Loss.to_string(), Term::Value(Quantity::Loss), None));
    }
    for l in 1..=k {
        out.push((format!("W{l}"), Term::Weights(WeightLayer::Hidden(l)), None));
        if network.layer(l).bias().is_some() {
            out.push((format!("b{l}"), Term::Bias(WeightLayer::Hidden(l)), None));
        }
    }
    out.push(("Wo".into(), Term::Weights(WeightLayer::Output), None));
    if network.output().bias().is_some() {
        out.push(("bo".into(), Term::Bias(WeightLayer::Output), None));
    }
    for &example in &examples {
        let (name, term) = if network.is_softmax() { ("e_y", Term::Label) } else { ("t", Term::Target) };
        out.push((format!("{name}{}", suffix(example)), term, example));
    }
    if network.learning_rate().is_some() {
        out.push(("eta".into(), Term::LearningRate, None));
    }
    for name in Solution::names_of(network).into_iter().filter(|name| !is_forward(name.quantity)) {
        out.push((name.to_string(), Term::Value(name.quantity), name.example));
    }
    out
}

/// A name a formula answer may use: the term it stands for, of which example's pass, and
/// whether it has a value now (a gradient only once the learner has answered it).
#[derive(Debug, Clone, PartialEq)]
pub struct FormulaName {
    pub name: String,
    pub term: Term,
    pub example: Option<usize>,
    pub usable: bool,
}

impl LessonNames<'_> {
    /// Every name of the lesson, as an error lists them, with whether it has a value now.
    pub(super) fn all(&self) -> Vec<FormulaName> {
        self.names
            .iter()
            .map(|(name, term, example)| FormulaName {
                name: name.clone(),
                term: *term,
                example: *example,
                usable: matches!(self.lookup(name), Binding::Value(_)),
            })
            .collect()
    }
}

/// The input and the forward pass.
fn is_forward(quantity: Quantity) -> bool {
    matches!(
        quantity,
        Quantity::X | Quantity::Z(_) | Quantity::H(_) | Quantity::O | Quantity::OHat | Quantity::Loss
    )
}

/// A gradient of the loss or the update (Steps 5 and 6): the learner's work, which a formula
/// may use only as they answered it. Every other name (the forward pass, the weights, and the
/// Jacobians of §2, which the forward pass fixes) stands for the lesson's value (DESIGN.md §4.6).
fn is_learners_work(quantity: Quantity) -> bool {
    !is_forward(quantity)
        && !matches!(quantity, Quantity::DoDh(_) | Quantity::DhDz(_) | Quantity::DzDh(_) | Quantity::DhDh(_))
}

/// A value as a formula reads it, in the notes' orientation.
fn oriented(quantity: Quantity, value: &Value) -> DMatrix<f64> {
    match value {
        Value::Scalar(x) => DMatrix::from_element(1, 1, *x),
        Value::Vector(v) if Term::is_row(quantity) => DMatrix::from_row_slice(1, v.len(), v.as_slice()),
        Value::Vector(v) => DMatrix::from_column_slice(v.len(), 1, v.as_slice()),
        Value::Matrix(m) => m.clone(),
    }
}

/// The lesson's names for a formula answer to `asked`: forward values, weights and Jacobians
/// as the lesson has them (or as the learner answered them, where that was asked earlier),
/// gradients only as the learner's own answers to *earlier* questions, so that no answer is
/// computed from a later one, nor from itself through a later one (DESIGN.md §4.6).
pub(super) struct LessonNames<'a> {
    solution: &'a Solution,
    earlier: &'a Earlier<'a>,
    /// The question being answered, as asked (a whole quantity or an entry, of its example).
    asked: &'a QuantityRef,
    /// The lesson's questions, in the order they are asked.
    questions: &'a [Question],
    names: Vec<Named>,
}

impl<'a> LessonNames<'a> {
    pub(super) fn new(
        solution: &'a Solution,
        earlier: &'a Earlier<'a>,
        asked: &'a QuantityRef,
        questions: &'a [Question],
    ) -> Self {
        LessonNames { solution, earlier, asked, questions, names: names(solution.network()) }
    }

    /// The first question about `name` (whole or by entry, of its example), with its place in
    /// the order.
    fn first_question(&self, name: &QuantityRef) -> Option<(usize, &Question)> {
        self.questions.iter().enumerate().find(|(_, q)| q.asked.same_name(name))
    }

    /// Why `named` may not be read as the learner's answer: it is asked after the question
    /// being answered, in the lesson's order (each example's steps, then `sum`, 5 and 6).
    fn asked_later(&self, name: &str, named: &QuantityRef) -> Option<String> {
        let (at, question) = self.first_question(named)?;
        let (now, current) = self
            .questions
            .iter()
            .enumerate()
            .find(|(_, q)| q.asked == *self.asked)
            .or_else(|| self.first_question(self.asked))?;
        (at > now).then(|| {
            let when = if question.step == current.step {
                format!("asked after {} in Step {}", current.asked, current.step)
            } else {
                format!("Step {}, after Step {}", question.step, current.step)
            };
            format!("{name} is {when}: a formula may use only earlier answers")
        })
    }
}

/// A term's matrix, read from the pass of `example`.
fn term_value(solution: &Solution, term: Term, example: Option<usize>) -> Binding<'static> {
    term.eval(solution.pass(example)).map_or(Binding::Unknown, |m| Binding::Value(Cow::Owned(m.dense())))
}

impl Environment for LessonNames<'_> {
    fn lookup(&self, name: &str) -> Binding<'_> {
        let Some(&(_, term, example)) = self.names.iter().find(|(n, ..)| n == name) else {
            return Binding::Unknown;
        };
        let Term::Value(quantity) = term else {
            return term_value(self.solution, term, example);
        };
        let named = QuantityRef::named(quantity, example);
        if self.asked.same_name(&named) {
            return Binding::Unavailable(format!("{name} is what is asked: write what it equals"));
        }
        if let Some(why) = self.asked_later(name, &named) {
            // A later answer never feeds an earlier one; what the forward pass fixes is still
            // the lesson's.
            return if is_learners_work(quantity) {
                Binding::Unavailable(why)
            } else {
                term_value(self.solution, term, example)
            };
        }
        if let Some(value) = self.earlier.whole(&named, self.solution.network().shape(quantity)) {
            return Binding::Value(Cow::Owned(oriented(quantity, &value)));
        }
        if is_learners_work(quantity) {
            return Binding::Unavailable(format!(
                "{name} is not answered yet: a formula may use a gradient only as you answered it"
            ));
        }
        term_value(self.solution, term, example)
    }

    fn names(&self) -> Vec<&str> {
        self.names.iter().map(|(n, ..)| n.as_str()).collect()
    }
}

/// Every name standing for a nearby lesson's true value, gradients included.
struct TrueNames<'a> {
    solution: &'a Solution,
    names: &'a [Named],
}

impl Environment for TrueNames<'_> {
    fn lookup(&self, name: &str) -> Binding<'_> {
        let Some(&(_, term, example)) = self.names.iter().find(|(n, ..)| n == name) else {
            return Binding::Unknown;
        };
        term_value(self.solution, term, example)
    }

    fn names(&self) -> Vec<&str> {
        self.names.iter().map(|(n, ..)| n.as_str()).collect()
    }
}

/// Whether every ReLU-like unit (of every example) is open or closed in both, so that a
/// gradient keeps the same form: a formula that holds on one side of a kink need not hold on
/// the other.
fn same_gates(a: &Solution, b: &Solution) -> bool {
    let examples = crate::network::steps::examples(a.network());
    examples.into_iter().all(|example| same_pass_gates(a.pass(example), b.pass(example)))
}

fn same_pass_gates(a: &Solution, b: &Solution) -> bool {
    let network = a.network();
    (1..=network.depth()).all(|l| {
        let kinked = matches!(network.layer(l).activation(), Activation::Relu | Activation::LeakyRelu);
        !kinked
            || a.forward.z[l - 1].iter().zip(b.forward.z[l - 1].iter()).all(|(x, y)| (*x > 0.0) == (*y > 0.0))
    })
}

/// Nearby lessons for the identity test: weights, biases and input jittered (up to 20% of each
/// number, plus a little, so zero weights move too), the gate pattern kept. Seeded by the
/// lesson's content, so the same answer always gets the same verdict.
pub(super) fn perturbations(solution: &Solution, seed: u64) -> Vec<Solution> {
    let network = solution.network();
    let mut rng = SplitMix64::new(seed);
    let mut unit = move || (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0;
    let mut out = Vec::with_capacity(PERTURBATIONS);
    let mut scale = 0.2;
    // Near a kink a large jitter opens or closes a gate: shrink it until one keeps the pattern.
    for _ in 0..PERTURBATIONS * 8 {
        if out.len() == PERTURBATIONS {
            break;
        }
        let nearby = network.jittered(|x| x * (1.0 + scale * unit()) + 0.1 * scale * unit());
        let solved = Solution::new(&nearby);
        if solved.is_finite() && same_gates(solution, &solved) {
            out.push(solved);
        } else {
            scale /= 2.0;
        }
    }
    out
}

/// Whether the formula gives the true value of `asked` on every nearby lesson. `None` when no
/// nearby lesson keeps the gates (a lesson on a kink), so it cannot be told.
pub(super) fn holds(
    parsed: &ParsedAnswer,
    asked: &QuantityRef,
    nearby: &[Solution],
    tolerance: &EntryTolerances,
) -> Option<bool> {
    if nearby.is_empty() {
        return None;
    }
    Some(nearby.iter().all(|solution| {
        let names = names(solution.network());
        let env = TrueNames { solution, names: &names };
        let Some(truth) = solution.value_of(asked) else { return false };
        parsed.evaluate(&env).is_ok_and(|value| matches(&value.into_value(), &truth, tolerance))
    }))
}
