//! The known wrong answers of SPEC §4's table, computed from a lesson: each is the correct
//! method with one ingredient swapped, so an incorrect answer that equals one of them has
//! most likely made exactly that mistake.

use super::method::{Context, compute};
use crate::network::backward::{gated, minus_onehot, outer, through_weights};
use crate::network::{Network, Objective};
use crate::plan::gate_text;
use crate::quantity::Quantity;
use crate::value::Value;
use nalgebra::DVector;

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
}

/// Every known wrong answer for `quantity` from `context`'s values, in the order of SPEC §4's
/// table (the first match wins). Each is the whole quantity.
pub fn candidates(context: &Context, quantity: Quantity) -> Vec<(Mistake, Value)> {
    use Quantity::*;
    let Some(right) = compute(context, quantity) else { return vec![] };
    let network = context.network();
    let k = network.depth();
    let mut out = Vec::new();
    if let Value::Matrix(m) = &right {
        out.push((Mistake::Transposed, Value::Matrix(m.transpose())));
    }
    out.push((Mistake::SignFlipped, right.map(|x| -x)));
    match quantity {
        DlDo => {
            if let Objective::SoftmaxCrossEntropy { label } = *network.objective() {
                let o_hat = context.vector(OHat);
                out.push((Mistake::MissingOnehot, Value::Vector(o_hat.clone())));
                out.push((Mistake::UsedLogits, Value::Vector(minus_onehot(context.vector(O), label))));
                for class in [label - 1, label + 1] {
                    if (1..=network.outputs()).contains(&class) {
                        let value = Value::Vector(minus_onehot(o_hat.clone(), class));
                        out.push((Mistake::LabelOffByOne { class }, value));
                    }
                }
            }
        }
        DlDh(l) if l < k => {
            let above = l + 1;
            let weights = network.layer(above).weights();
            let dl_dh = context.vector(DlDh(above));
            let ungated = through_weights(weights, &dl_dh);
            out.push((Mistake::GateMissing, Value::Vector(ungated.clone())));
            // Another layer's gate, wherever its size lets it stand: in place of the right
            // one, or after W (the gate of the layer being computed into, a common slip).
            for m in (1..=k).filter(|&m| m != above) {
                let gate = context.gate(m);
                if gate.len() == dl_dh.len() {
                    let value = through_weights(weights, &gated(&dl_dh, &gate));
                    out.push((Mistake::GateWrongLayer { layer: m }, Value::Vector(value)));
                }
                if gate.len() == ungated.len() {
                    let value = gated(&ungated, &gate);
                    out.push((Mistake::GateWrongLayer { layer: m }, Value::Vector(value)));
                }
            }
        }
        DlDw(l) => {
            let ungated = outer(&context.vector(DlDh(l)), &context.below(l));
            out.push((Mistake::GateMissing, Value::Matrix(ungated)));
            let at_units = context.gated(l);
            for (used, below) in wrong_activations(context, l - 1) {
                out.push((Mistake::WrongActivation { used }, Value::Matrix(outer(&at_units, &below))));
            }
        }
        DlDb(l) => out.push((Mistake::GateMissing, Value::Vector(context.vector(DlDh(l))))),
        DhDh(l) => out.push((Mistake::GateMissing, Value::Matrix(network.layer(l).weights().clone()))),
        DlDwo => {
            let dl_do = context.vector(DlDo);
            for (used, below) in wrong_activations(context, k) {
                out.push((Mistake::WrongActivation { used }, Value::Matrix(outer(&dl_do, &below))));
            }
        }
        _ => {}
    }
    out
}

/// What a learner may use instead of h(`layer`) (x for layer 0) in a weight gradient: z of the
/// same layer, or the activation of another layer (x included) of the same size.
fn wrong_activations(context: &Context, layer: usize) -> Vec<(String, DVector<f64>)> {
    let network = context.network();
    let size = network.units(layer);
    let mut out = Vec::new();
    if layer >= 1 {
        out.push((format!("z({layer})"), context.vector(Quantity::Z(layer))));
    }
    for m in (0..=network.depth()).filter(|&m| m != layer && network.units(m) == size) {
        let name = if m == 0 { "x".to_string() } else { format!("h({m})") };
        out.push((name, context.below(m + 1)));
    }
    out
}

impl Mistake {
    /// The stable id of SPEC §4's table.
    pub fn id(&self) -> &'static str {
        match self {
            Mistake::Transposed => "transposed",
            Mistake::SignFlipped => "sign_flipped",
            Mistake::MissingOnehot => "missing_onehot",
            Mistake::UsedLogits => "used_logits",
            Mistake::LabelOffByOne { .. } => "label_off_by_one",
            Mistake::GateMissing => "gate_missing",
            Mistake::GateWrongLayer { .. } => "gate_wrong_layer",
            Mistake::WrongActivation { .. } => "wrong_activation",
        }
    }

    /// Names the mistake and the notes' equation that fixes it, for an answer to `quantity`.
    pub fn message(&self, network: &Network, quantity: Quantity) -> String {
        let name = quantity.symbol();
        let equation = equation(network, quantity);
        let gate = |l: usize| gate_text(network.layer(l).activation(), l);
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
    match quantity {
        Quantity::DlDwo => format!("(∂L/∂o)ᵀ (h({}))ᵀ", network.depth()),
        Quantity::DlDw(1) => format!("{} (∂L/∂h(1))ᵀ xᵀ", gate_text(network.layer(1).activation(), 1)),
        Quantity::DlDw(l) => {
            format!("{} (∂L/∂h({l}))ᵀ (h({}))ᵀ", gate_text(network.layer(l).activation(), l), l - 1)
        }
        _ => String::new(),
    }
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
    }
}
