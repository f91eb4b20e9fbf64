//! The known mistakes of a dataset's totals and of the update (DESIGN.md §8, §9): each is the
//! right formula with one ingredient swapped, as every other diagnosis is.
//! - `ascent`: W + η ∂L/∂W, a step uphill;
//! - `forgot_eta`: W − ∂L/∂W, the learning rate left out;
//! - `one_example`: one example's gradient where the total over the dataset belongs;
//! - `mean_vs_sum`: the total by the other reduction (divided by N, or not).

use super::diagnose::Mistake;
use crate::diagnosis::DiagnosisId;
use crate::network::{Network, Reduction};
use crate::plan::definition::{definition, definition_of, total};
use crate::plan::formula::{Formula, Term};
use crate::quantity::{Quantity, QuantityRef};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TrainingMistake {
    /// W + η ∂L/∂W.
    Ascent,
    /// W − ∂L/∂W.
    ForgotEta,
    /// Example `example`'s gradient (or loss) alone in place of the total.
    OneExample { example: usize },
    /// The total taken by `used`, not by the lesson's reduction.
    MeanVsSum { used: Reduction },
}

/// Whether `name` is a quantity of one example's pass (Steps 0–4), rather than a dataset's
/// total or the update.
pub fn is_pass_name(network: &Network, name: &QuantityRef) -> bool {
    let total = name.example.is_none() && network.dataset_size().is_some() && name.quantity.has_total();
    !(total || name.quantity.is_update())
}

/// The notes' equation that gives `name`: a dataset's totals are Eq. (2)'s sum; every other
/// name its quantity's ([`equation`](super::diagnose::equation)).
pub fn equation_of(network: &Network, name: &QuantityRef) -> &'static str {
    if !is_pass_name(network, name) && name.quantity.has_total() {
        return "(2)";
    }
    super::diagnose::equation(network, name.quantity)
}

/// The known mistakes of a total or an update, from its `right` formula.
pub(super) fn training_mistakes(
    network: &Network,
    name: &QuantityRef,
    right: &Formula,
) -> Vec<(Mistake, Formula)> {
    let mut out = Vec::new();
    let mut push =
        |mistake: TrainingMistake, formula: Formula| out.push((Mistake::Training(mistake), formula));
    let examples = network.dataset_size().unwrap_or(0);
    let reduction = network.reduction();
    match name.quantity {
        Quantity::LossNew => {
            // The loss after a step taken the wrong way.
            for (mistake, rewrite) in
                [(TrainingMistake::Ascent, ascent as Rewrite), (TrainingMistake::ForgotEta, forgot_eta)]
            {
                push(mistake, with_updates(network, right, rewrite));
            }
        }
        q if q.is_update() => {
            push(TrainingMistake::Ascent, ascent(right));
            push(TrainingMistake::ForgotEta, forgot_eta(right));
            let Some(gradient) = gradient_of(right) else { return out };
            for n in 1..=examples {
                let one = Formula::term(Term::Example(gradient, n));
                push(
                    TrainingMistake::OneExample { example: n },
                    right.replace_term(Term::Value(gradient), &one),
                );
            }
            if examples > 1 {
                let other = total(gradient, examples, reduction.other());
                push(
                    TrainingMistake::MeanVsSum { used: reduction.other() },
                    right.replace_term(Term::Value(gradient), &other),
                );
            }
        }
        q => {
            for n in 1..=examples {
                push(TrainingMistake::OneExample { example: n }, Formula::term(Term::Example(q, n)));
            }
            if examples > 1 {
                push(
                    TrainingMistake::MeanVsSum { used: reduction.other() },
                    total(q, examples, reduction.other()),
                );
            }
        }
    }
    out
}

type Rewrite = fn(&Formula) -> Formula;

/// W − η g made W + η g.
fn ascent(right: &Formula) -> Formula {
    right.replace(&|f| match f {
        Formula::Difference(parameter, step) if matches!(**step, Formula::Times(..)) => {
            Some(Formula::Sum(vec![(**parameter).clone(), (**step).clone()]))
        }
        _ => None,
    })
}

/// η g made g.
fn forgot_eta(right: &Formula) -> Formula {
    right.replace(&|f| match f {
        Formula::Times(rate, gradient) if **rate == Formula::term(Term::LearningRate) => {
            Some((**gradient).clone())
        }
        _ => None,
    })
}

/// The loss after the step, with every updated weight and bias made by `rewrite` of its own
/// formula.
fn with_updates(network: &Network, right: &Formula, rewrite: Rewrite) -> Formula {
    right.replace(&|f| match f {
        Formula::Term(Term::Value(q)) if q.is_update() => definition(network, *q).map(|d| rewrite(&d)),
        _ => None,
    })
}

/// The gradient an update steps with: ∂L/∂W(l) in W(l) − η ∂L/∂W(l).
fn gradient_of(right: &Formula) -> Option<Quantity> {
    right.terms().into_iter().find_map(|term| match term {
        Term::Value(q) if q.has_total() => Some(q),
        _ => None,
    })
}

impl TrainingMistake {
    pub fn id(&self) -> DiagnosisId {
        match self {
            TrainingMistake::Ascent => DiagnosisId::Ascent,
            TrainingMistake::ForgotEta => DiagnosisId::ForgotEta,
            TrainingMistake::OneExample { .. } => DiagnosisId::OneExample,
            TrainingMistake::MeanVsSum { .. } => DiagnosisId::MeanVsSum,
        }
    }

    /// Names the mistake and what fixes it, for an answer to `name`.
    pub fn message(&self, network: &Network, name: &QuantityRef) -> String {
        let symbol = name.symbol();
        let right = definition_of(network, name).map(|f| f.to_text()).unwrap_or_default();
        let eta = network.learning_rate().map_or_else(String::new, |eta| format!(" (η = {eta:?})"));
        let n = network.example_count();
        let step = "(§1.3, step 4)";
        match self {
            TrainingMistake::Ascent if name.quantity == Quantity::LossNew => format!(
                "This is the loss after a step uphill, with W + η ∂L/∂W: gradient descent subtracts the \
                 gradient, and then the loss goes down {step}."
            ),
            TrainingMistake::ForgotEta if name.quantity == Quantity::LossNew => format!(
                "This is the loss after a step of the whole gradient, W − ∂L/∂W: the step is the gradient \
                 times the learning rate{eta} {step}."
            ),
            TrainingMistake::Ascent => format!(
                "This is a step uphill, with + η ∂L/∂W: it raises the loss. Gradient descent moves against \
                 the gradient, {symbol} = {right} {step}."
            ),
            TrainingMistake::ForgotEta => format!(
                "The learning rate is missing: this subtracts the whole gradient. The step is the gradient \
                 scaled by η{eta}, {symbol} = {right} {step}."
            ),
            TrainingMistake::OneExample { example } if name.quantity.is_update() => format!(
                "This steps with example {example}'s gradient alone: the update uses the total over all {n} \
                 examples (Eq. 2), {symbol} = {right}."
            ),
            TrainingMistake::OneExample { example } => format!(
                "This is example {example}'s value alone: the total takes every one of the {n} examples \
                 (Eq. 2), {symbol} = {right}."
            ),
            TrainingMistake::MeanVsSum { used: Reduction::Mean } => format!(
                "This is divided by N = {n}, an average: this lesson's loss is the sum over the examples \
                 (reduction = \"sum\", as Eq. 2), so the totals are sums, {symbol} = {right}."
            ),
            TrainingMistake::MeanVsSum { used: Reduction::Sum } => format!(
                "This is the sum over the examples: this lesson's loss is their average (reduction = \
                 \"mean\"), so divide by N = {n}, {symbol} = {right}."
            ),
        }
    }
}
