//! The step plan (SPEC §3): what each step of the walkthrough asks, in the notes' order, with
//! the Jacobians it uses, the notes' equation numbers and the general formula. `derive`
//! fills in the lesson's numbers.

mod derive;
mod latex;
mod text;

pub use derive::{Expr, Line, derivation};
pub use latex::{formula_latex, latex_number, quantity_latex, value_latex};
pub use text::format_number;

use crate::lesson::{Ask, Lesson};
use crate::network::steps::{StepKind, backward_kinds, step_id};
use crate::network::{Activation, Network, Objective};
use crate::quantity::{Quantity, QuantityRef};

#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// "1", "2A", "2B", "3A", "3B", "4" for the notes' network (see [`step_id`]).
    pub id: String,
    pub kind: StepKind,
    /// The quantities (or single entries) the learner is asked for, in order.
    pub asks: Vec<QuantityRef>,
    /// The Jacobians the step multiplies by.
    pub jacobians: Vec<Quantity>,
    /// The notes' equation numbers, e.g. "(70)".
    pub equations: Vec<String>,
    /// The general formula in the notes' matrix view.
    pub formula: String,
    /// What the step does and why, in a sentence or two.
    pub explanation: String,
}

/// A human title: "Step 3A (layer 3→2): ∂L/∂h(2)".
pub fn step_title(network: &Network, step: &Step) -> String {
    let id = step_id(network, step.kind);
    let layers = match step.kind {
        StepKind::HiddenBack(l) if network.depth() > 2 => format!(" (layer {l}→{})", l - 1),
        StepKind::HiddenWeights(l) | StepKind::HiddenBias(l) if l > 1 && network.depth() > 2 => {
            format!(" (layer {l})")
        }
        _ => String::new(),
    };
    let what = if step.kind == StepKind::Forward {
        "the forward pass".to_string()
    } else {
        // Single entries by their own symbol, so "∂L/∂h1(2), ∂L/∂h2(2)" is not "∂L/∂h(2), ∂L/∂h(2)".
        step.asks.iter().map(QuantityRef::symbol).collect::<Vec<_>>().join(", ")
    };
    format!("Step {id}{layers}: {what}")
}

/// The steps a lesson asks: its `[steps] ask` list, or every backward step.
pub fn plan(lesson: &Lesson) -> Vec<Step> {
    let network = lesson.network();
    let Some(asks) = lesson.ask() else {
        return backward_kinds(network).into_iter().map(|kind| step(network, kind)).collect();
    };
    let mut steps: Vec<Step> = Vec::new();
    for ask in asks {
        let (kind, only) = match ask {
            Ask::Forward => (StepKind::Forward, None),
            Ask::Step(id) => {
                let kind = std::iter::once(StepKind::Forward)
                    .chain(backward_kinds(network))
                    .find(|&k| step_id(network, k) == *id)
                    .expect("validated step id");
                (kind, None)
            }
            Ask::Quantity(reference) => (kind_of(network, reference.quantity), Some(reference.clone())),
        };
        let mut next = step(network, kind);
        let single = only.is_some();
        if let Some(reference) = only {
            next.asks = vec![reference];
        }
        // Consecutive single questions from one step form one step, as in the notes.
        match steps.last_mut() {
            Some(last) if single && last.kind == kind => last.asks.extend(next.asks),
            _ => steps.push(next),
        }
    }
    steps
}

/// The step in which a quantity is computed (or, for a Jacobian, used).
pub fn kind_of(network: &Network, quantity: Quantity) -> StepKind {
    match quantity {
        Quantity::X | Quantity::Z(_) | Quantity::H(_) | Quantity::O | Quantity::OHat | Quantity::Loss => {
            StepKind::Forward
        }
        Quantity::DlDo => StepKind::OutputGradient,
        Quantity::DlDh(l) if l == network.depth() => StepKind::LastHidden,
        Quantity::DlDh(l) => StepKind::HiddenBack(l + 1),
        Quantity::DoDh(_) => StepKind::LastHidden,
        Quantity::DlDwo => StepKind::OutputWeights,
        Quantity::DlDbo => StepKind::OutputBias,
        Quantity::DlDw(l) => StepKind::HiddenWeights(l),
        Quantity::DlDb(l) => StepKind::HiddenBias(l),
        Quantity::DhDz(1) => StepKind::HiddenWeights(1),
        Quantity::DhDz(l) | Quantity::DzDh(l) | Quantity::DhDh(l) => StepKind::HiddenBack(l),
    }
}

fn range(from: u32, to: u32) -> impl Iterator<Item = String> {
    (from..=to).map(|n| format!("({n})"))
}

/// The gate of layer `l` as the notes write it: `diag(1[z(2) > 0])` for a ReLU.
pub fn gate_text(activation: Activation, l: usize) -> String {
    match activation {
        Activation::Relu => format!("diag(1[z({l}) > 0])"),
        _ => format!("diag(f'(z({l})))"),
    }
}

/// One step with everything but the numbers.
pub fn step(network: &Network, kind: StepKind) -> Step {
    let k = network.depth();
    let below = |l: usize| if l == 1 { "xᵀ".to_string() } else { format!("(h({}))ᵀ", l - 1) };
    let (asks, jacobians, equations, formula, explanation): (
        Vec<Quantity>,
        Vec<Quantity>,
        Vec<String>,
        String,
        String,
    ) = match kind {
        StepKind::Forward => {
            let mut asks = vec![];
            for l in 1..=k {
                asks.extend([Quantity::Z(l), Quantity::H(l)]);
            }
            asks.push(Quantity::O);
            if network.is_softmax() {
                asks.push(Quantity::OHat);
            }
            asks.push(Quantity::Loss);
            let loss = if network.is_softmax() { "L = −log ô_y" } else { "L = ½ Σ (o_i − t_i)²" };
            (
                asks,
                vec![],
                ["(1)", "(2)", "(5)", "(6)", "(7)"].map(String::from).to_vec(),
                format!("z(l) = W(l) h(l−1), h(l) = f(z(l)), o = W(o) h({k}), ô = softmax(o), {loss}"),
                "Run the network forward once and keep every z and h: the backward pass reuses them all."
                    .into(),
            )
        }
        StepKind::OutputGradient => match network.objective() {
            Objective::SoftmaxCrossEntropy { .. } => (
                vec![Quantity::DlDo],
                vec![],
                range(8, 12).chain(["(54)".into()]).chain(range(59, 60)).collect(),
                "∂L/∂o = (ô − e_y)ᵀ".into(),
                "Softmax and cross-entropy together have a simple derivative: the predicted \
                     probabilities minus the one-hot label, so only the true class gets −1."
                    .into(),
            ),
            Objective::Mse { .. } => (
                vec![Quantity::DlDo],
                vec![],
                vec![],
                "∂L/∂o = (o − t)ᵀ".into(),
                "With L = ½ Σ (o_i − t_i)² each output's derivative is just its error o_i − t_i \
                     (the notes use cross-entropy; this is the squared-error counterpart of Eq. (12))."
                    .into(),
            ),
        },
        StepKind::LastHidden => (
            vec![Quantity::DlDh(k)],
            vec![Quantity::DoDh(k)],
            range(13, 19).chain(["(55)".into()]).chain(range(61, 65)).collect(),
            format!("∂L/∂h({k}) = ∂L/∂o · W(o)"),
            format!(
                "Each unit of h({k}) feeds every output, so its gradient sums ∂L/∂o_i over the \
                     outputs, each weighted by the connecting weight: a row vector times W(o)."
            ),
        ),
        StepKind::OutputWeights => (
            vec![Quantity::DlDwo],
            vec![],
            range(20, 26).chain(["(56)".into()]).chain(range(66, 69)).collect(),
            format!("∂L/∂W(o) = (∂L/∂o)ᵀ (h({k}))ᵀ"),
            format!(
                "Weight w_i,j(o) touches only output o_i, and scales h_j({k}); so its gradient is \
                     ∂L/∂o_i · h_j({k}), an outer product with W(o)'s shape."
            ),
        ),
        StepKind::OutputBias => (
            vec![Quantity::DlDbo],
            vec![],
            vec![],
            "∂L/∂b(o) = (∂L/∂o)ᵀ".into(),
            "A bias adds straight into its output, so its gradient is that output's gradient \
                 (not in the notes, which use no biases)."
                .into(),
        ),
        StepKind::HiddenBack(l) => {
            let gate = gate_text(network.layer(l).activation(), l);
            (
                vec![Quantity::DlDh(l - 1)],
                vec![Quantity::DhDz(l), Quantity::DzDh(l), Quantity::DhDh(l)],
                range(28, 39).chain(["(57)".into()]).chain(range(70, 75)).collect(),
                format!("∂L/∂h({}) = ∂L/∂h({l}) · {gate} · W({l})", l - 1),
                format!(
                    "Go back through layer {l}: first through its activation (the gate f'(z({l})), \
                         which is 0 for a closed ReLU and stops the gradient), then through W({l})."
                ),
            )
        }
        StepKind::HiddenWeights(l) => {
            let gate = gate_text(network.layer(l).activation(), l);
            let (equations, formula_tail): (Vec<String>, &str) = if l == 1 {
                (range(48, 53).collect(), "   (by analogy with (79), with h(0) = x)")
            } else {
                (range(40, 47).chain(["(58)".into()]).chain(range(76, 79)).collect(), "")
            };
            (
                vec![Quantity::DlDw(l)],
                vec![Quantity::DhDz(l)],
                equations,
                format!("∂L/∂W({l}) = {gate} (∂L/∂h({l}))ᵀ {}{formula_tail}", below(l)),
                format!(
                    "Weight w_i,j({l}) reaches the loss only through unit i of layer {l}: its \
                         gradient is ∂L/∂h_i({l}) times that unit's gate times the input {} it scales.",
                    if l == 1 { "x_j".to_string() } else { format!("h_j({})", l - 1) }
                ),
            )
        }
        StepKind::HiddenBias(l) => {
            let gate = gate_text(network.layer(l).activation(), l);
            (
                vec![Quantity::DlDb(l)],
                vec![Quantity::DhDz(l)],
                vec![],
                format!("∂L/∂b({l}) = {gate} (∂L/∂h({l}))ᵀ"),
                format!(
                    "A bias adds straight into z_i({l}), so its gradient is ∂L/∂h_i({l}) through the \
                         gate alone (not in the notes, which use no biases)."
                ),
            )
        }
    };
    Step {
        id: step_id(network, kind),
        kind,
        asks: asks.into_iter().map(QuantityRef::from).collect(),
        jacobians,
        equations,
        formula,
        explanation,
    }
}
