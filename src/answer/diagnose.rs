//! The known wrong answers of DESIGN.md §9's table, computed from a lesson: each is the correct
//! method with one ingredient swapped, so an incorrect answer that equals one of them has
//! most likely made exactly that mistake.

use super::method::Context;
use super::training::{TrainingMistake, is_pass_name, training_mistakes};
use crate::diagnosis::DiagnosisId;
use crate::network::{Network, Objective};
use crate::plan::definition::{definition, definition_of};
use crate::plan::formula::{Formula, Term, Values};
use crate::quantity::{Quantity, QuantityRef};
use crate::value::{Shape, Value};

/// One known mistake, with what the message needs to name it.
#[derive(Debug, Clone, PartialEq)]
pub enum Mistake {
    /// The matrix (or outer product) transposed.
    Transposed,
    /// Every entry negated.
    SignFlipped,
    /// ô given for ∂L/∂o.
    MissingOnehot,
    /// o − e_y given for ∂L/∂o.
    UsedLogits,
    /// ô − e_class with `class` = y ± 1.
    LabelOffByOne { class: usize },
    /// diag(f'(z(l))) left out.
    GateMissing,
    /// The gate of hidden layer `layer` used instead of the right one.
    GateWrongLayer { layer: usize },
    /// `used` (z(l), or another layer's activation) in place of the activation a weight scales.
    WrongActivation { used: String },
    /// A mistake of a dataset's totals or of the update (DESIGN.md §8).
    Training(TrainingMistake),
}

/// Every known wrong answer for `name` from `context`'s values, in the order of DESIGN.md
/// §9's table (the first match wins). Each is the whole quantity.
pub fn candidates(context: &Context, name: &QuantityRef) -> Vec<(Mistake, Value)> {
    let lesson = context.lesson();
    let Some(right) = definition_of(lesson, name) else { return vec![] };
    let shape = lesson.shape(name.quantity);
    let formulas = if is_pass_name(lesson, name) {
        // One example's step: its own label and shapes.
        mistakes(context.network(), name.quantity, &right)
    } else {
        let mut formulas = general_mistakes(lesson, name.quantity, &right);
        formulas.extend(training_mistakes(lesson, name, &right));
        formulas
    };
    formulas
        .into_iter()
        .filter_map(|(mistake, formula)| Some((mistake, formula.eval(context)?.into_value_as(shape)?)))
        .collect()
}

/// The mistakes any quantity can show: transposed (a matrix), every sign flipped.
fn general_mistakes(network: &Network, quantity: Quantity, right: &Formula) -> Vec<(Mistake, Formula)> {
    let mut out = Vec::new();
    if matches!(network.shape(quantity), Shape::Matrix(..)) {
        out.push((Mistake::Transposed, right.clone().transpose()));
    }
    out.push((Mistake::SignFlipped, Formula::Scale(-1.0, Box::new(right.clone()))));
    out
}

/// The known mistakes of `quantity`, each as the right formula with one ingredient swapped.
fn mistakes(network: &Network, quantity: Quantity, right: &Formula) -> Vec<(Mistake, Formula)> {
    use Quantity::*;
    let k = network.depth();
    let mut out = general_mistakes(network, quantity, right);
    let gates: Vec<Term> = right.terms().into_iter().filter(|t| matches!(t, Term::Gate(_))).collect();
    match quantity {
        DlDo => {
            if let Objective::SoftmaxCrossEntropy { label } = *network.objective() {
                let no_label = right.replace(&|f| match f {
                    Formula::Difference(a, b) if **b == Formula::term(Term::Label) => Some((**a).clone()),
                    _ => None,
                });
                out.push((Mistake::MissingOnehot, no_label));
                out.push((Mistake::UsedLogits, right.replace_term(Term::Value(OHat), &Formula::value(O))));
                for class in [label - 1, label + 1] {
                    if (1..=network.outputs()).contains(&class) {
                        let wrong = right.replace_term(Term::Label, &Formula::term(Term::OneHot(class)));
                        out.push((Mistake::LabelOffByOne { class }, wrong));
                    }
                }
            }
        }
        DlDh(l) if l < k => {
            for &gate in &gates {
                out.push((Mistake::GateMissing, right.without_factor(gate)));
                // Another layer's gate, in place of the right one, or after W (the gate of the
                // layer being computed into, a common slip); the shapes decide where it fits.
                for m in (1..=k).filter(|&m| m != l + 1) {
                    let other = Formula::term(Term::gate(network, m));
                    out.push((Mistake::GateWrongLayer { layer: m }, right.replace_term(gate, &other)));
                    let after = match right.without_factor(gate) {
                        Formula::Product(mut items) => {
                            items.push(other);
                            Formula::Product(items)
                        }
                        single => Formula::Product(vec![single, other]),
                    };
                    out.push((Mistake::GateWrongLayer { layer: m }, after));
                }
            }
        }
        DlDw(l) => {
            out.extend(gates.iter().map(|&gate| (Mistake::GateMissing, right.without_factor(gate))));
            out.extend(wrong_activations(network, right, l - 1));
        }
        DlDb(_) | DhDh(_) => {
            out.extend(gates.iter().map(|&gate| (Mistake::GateMissing, right.without_factor(gate))));
        }
        DlDwo => out.extend(wrong_activations(network, right, k)),
        _ => {}
    }
    out
}

/// `right` with something else in place of h(`layer`) (x for layer 0): z of the same layer,
/// or the activation of another layer (x included) of the same size.
fn wrong_activations(network: &Network, right: &Formula, layer: usize) -> Vec<(Mistake, Formula)> {
    let activation = |m: usize| if m == 0 { Quantity::X } else { Quantity::H(m) };
    let term = Term::Value(activation(layer));
    let size = network.units(layer);
    let mut used: Vec<Quantity> = Vec::new();
    if layer >= 1 {
        used.push(Quantity::Z(layer));
    }
    used.extend((0..=network.depth()).filter(|&m| m != layer && network.units(m) == size).map(activation));
    used.into_iter()
        .map(|q| {
            let name = if q == Quantity::X { "x".to_string() } else { q.symbol() };
            (Mistake::WrongActivation { used: name }, right.replace_term(term, &Formula::value(q)))
        })
        .collect()
}

impl Mistake {
    /// The stable id of DESIGN.md §9's table.
    pub fn id(&self) -> DiagnosisId {
        match self {
            Mistake::Transposed => DiagnosisId::Transposed,
            Mistake::SignFlipped => DiagnosisId::SignFlipped,
            Mistake::MissingOnehot => DiagnosisId::MissingOnehot,
            Mistake::UsedLogits => DiagnosisId::UsedLogits,
            Mistake::LabelOffByOne { .. } => DiagnosisId::LabelOffByOne,
            Mistake::GateMissing => DiagnosisId::GateMissing,
            Mistake::GateWrongLayer { .. } => DiagnosisId::GateWrongLayer,
            Mistake::WrongActivation { .. } => DiagnosisId::WrongActivation,
            Mistake::Training(mistake) => mistake.id(),
        }
    }

    /// Names the mistake and the notes' equation that fixes it, for an answer to `name`.
    pub fn message(&self, network: &Network, name: &QuantityRef) -> String {
        if let Mistake::Training(mistake) = self {
            return mistake.message(network, name);
        }
        self.pass_message(network, name.quantity)
    }

    fn pass_message(&self, network: &Network, quantity: Quantity) -> String {
        let name = quantity.symbol();
        let equation = equation(network, quantity);
        let gate = |l: usize| Term::gate(network, l).text();
        match self {
            Mistake::Transposed if is_weight_gradient(quantity) => format!(
                "This is {name} transposed: it has the shape of its weights, row i for unit i and \
                 column j for the input it scales, so it is {}; see {equation}.",
                formula(network, quantity)
            ),
            Mistake::Transposed => {
                format!("This is {name} transposed: rows and columns are swapped; see {equation}.")
            }
            Mistake::SignFlipped if quantity == Quantity::DlDo => match network.objective() {
                Objective::SoftmaxCrossEntropy { label } => format!(
                    "Every entry has the wrong sign: ∂L/∂o = ô − e_y, not e_y − ô, so only the \
                     true class (y = {label}) has a negative entry; see {equation}."
                ),
                Objective::Mse { .. } => {
                    "Every entry has the wrong sign: ∂L/∂o = o − t, the output minus the target.".into()
                }
            },
            Mistake::SignFlipped => format!(
                "Every entry has the wrong sign: no step of the backward pass negates, so the signs \
                 come from ∂L/∂o ({}) and the products in {equation}.",
                step_one(network)
            ),
            Mistake::MissingOnehot => format!(
                "This is ô itself: subtract the one-hot label e_y, so the true class's entry \
                 becomes ô_{} − 1; see {equation}.",
                label(network)
            ),
            Mistake::UsedLogits => format!(
                "You subtracted e_y from the logits o: take the softmax first, ∂L/∂o = ô − e_y with \
                 ô = softmax(o); see (5) and {equation}."
            ),
            Mistake::LabelOffByOne { class } => format!(
                "The −1 is at class {class}, but the true class is y = {}: the notes count classes \
                 from 1; see {equation}.",
                label(network)
            ),
            Mistake::GateMissing => {
                let l = gated_layer(network, quantity);
                format!(
                    "The gate {} is missing: each unit's gradient is scaled by its own f'(z) on the \
                     way through (0 for a closed ReLU); see {equation}.",
                    gate(l)
                )
            }
            Mistake::GateWrongLayer { layer } => {
                let l = gated_layer(network, quantity);
                format!(
                    "You used the gate of layer {layer}: going back through layer {l} takes its own \
                     gate, {}, between ∂L/∂h({l}) and W({l}); see {equation}.",
                    gate(l)
                )
            }
            Mistake::WrongActivation { used } => {
                let right = match quantity {
                    Quantity::DlDw(1) => "x".to_string(),
                    Quantity::DlDw(l) => format!("h({})", l - 1),
                    _ => format!("h({})", network.depth()),
                };
                format!(
                    "You multiplied by {used}, but each weight of {name} scales {right}, the \
                     activation it multiplies in the forward pass; see {equation}."
                )
            }
            Mistake::Training(mistake) => mistake.message(network, &quantity.into()),
        }
    }
}

/// The true class; only the mistakes of softmax lessons name it.
fn label(network: &Network) -> usize {
    match network.objective() {
        Objective::SoftmaxCrossEntropy { label } => *label,
        Objective::Mse { .. } => unreachable!("label mistakes are only computed for softmax lessons"),
    }
}

fn step_one(network: &Network) -> &'static str {
    if network.is_softmax() { "ô − e_y, (60)" } else { "o − t" }
}

fn is_weight_gradient(quantity: Quantity) -> bool {
    matches!(quantity, Quantity::DlDwo | Quantity::DlDw(_))
}

/// The hidden layer whose gate the step computing `quantity` uses.
fn gated_layer(network: &Network, quantity: Quantity) -> usize {
    match quantity {
        Quantity::DlDh(l) if l < network.depth() => l + 1,
        Quantity::DlDw(l) | Quantity::DlDb(l) | Quantity::DhDh(l) | Quantity::DhDz(l) => l,
        _ => network.depth(),
    }
}

fn formula(network: &Network, quantity: Quantity) -> String {
    definition(network, quantity).map(|f| f.to_text()).unwrap_or_default()
}

/// The notes' equation that gives `quantity` in matrix form.
pub fn equation(network: &Network, quantity: Quantity) -> &'static str {
    match quantity {
        Quantity::X | Quantity::Z(_) | Quantity::H(_) | Quantity::O => "(1)",
        Quantity::OHat => "(5)",
        Quantity::Loss => "(6)–(7)",
        Quantity::DlDo | Quantity::DlDbo => "(60)",
        Quantity::DlDh(l) if l == network.depth() => "(65)",
        Quantity::DoDh(_) => "(65)",
        Quantity::DlDh(_) => "(75)",
        Quantity::DlDwo => "(69)",
        Quantity::DlDw(1) => "(79), with h(0) = x",
        Quantity::DlDw(_) => "(79)",
        Quantity::DlDb(_) | Quantity::DhDz(_) => "(73)",
        Quantity::DzDh(_) => "(74)",
        Quantity::DhDh(_) => "(38)",
        Quantity::WNew(_) | Quantity::WoNew | Quantity::BNew(_) | Quantity::BoNew => "§1.3, step 4",
        Quantity::LossNew => "(1) and (2)",
    }
}
