//! Which part of the network a step works on, as the notes' Figures 3–7 highlight it: the loss
//! and outputs for Step 1, the units of h(K) and W(o) for Step 2A, W(o) for Step 2B, the gated
//! units of layer l for Step 3A, W(l) for Step 3B, and so on. Pure: panes turn it into styles.

use crate::network::Network;
use crate::network::steps::StepKind;
use crate::quantity::Quantity;

/// A column of units in the network diagram (and of values in the activations pane).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layer {
    Input,
    /// Hidden layer l (1-based): its z(l) and h(l).
    Hidden(usize),
    Output,
    Softmax,
    Loss,
}

/// One part of the network: a layer of units, or the weights into a layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Units(Layer),
    /// W(l) and b(l), the weights into `Layer::Hidden(l)` or `Layer::Output`.
    Weights(Layer),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Involvement {
    /// What the step (or, in the forward step, the current question) computes.
    pub asked: Part,
    /// What it reads.
    pub used: Vec<Part>,
    /// What its formula combines, in the formula's order.
    pub operands: Vec<Operand>,
}

/// One factor of a step's formula.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operand {
    /// An activation or a gradient, e.g. h(2) or ∂L/∂o.
    Value(Quantity),
    /// W(l), or W(o) for `Layer::Output`.
    Weights(Layer),
    /// diag(f'(z(l))).
    Gate(usize),
    /// e_y, or t for mse.
    Target,
}

impl Involvement {
    pub fn contains(&self, part: Part) -> bool {
        self.asked == part || self.used.contains(&part)
    }

    /// Whether the formula reads this activation or gradient (a gate reads z).
    pub fn reads(&self, quantity: Quantity) -> bool {
        self.operands.iter().any(|&operand| match operand {
            Operand::Value(q) => q == quantity,
            Operand::Gate(l) => quantity == Quantity::Z(l),
            Operand::Weights(_) | Operand::Target => false,
        })
    }
}

/// The layer below hidden layer `l`: the input for layer 1.
fn below(l: usize) -> Layer {
    if l == 1 { Layer::Input } else { Layer::Hidden(l - 1) }
}

/// What a step involves. `asked` is the quantity being asked, which only the forward step needs
/// (it computes a different layer with each question).
pub fn involvement(network: &Network, kind: StepKind, asked_quantity: Quantity) -> Involvement {
    use Part::{Units, Weights};
    let k = network.depth();
    let top = if network.is_softmax() { Layer::Softmax } else { Layer::Output };
    let (asked, used) = match kind {
        StepKind::Forward => match asked_quantity {
            Quantity::Z(l) | Quantity::H(l) => {
                (Units(Layer::Hidden(l)), vec![Units(below(l)), Weights(Layer::Hidden(l))])
            }
            Quantity::O => (Units(Layer::Output), vec![Units(Layer::Hidden(k)), Weights(Layer::Output)]),
            Quantity::OHat => (Units(Layer::Softmax), vec![Units(Layer::Output)]),
            _ => (Units(Layer::Loss), vec![Units(top)]),
        },
        StepKind::OutputGradient => (Units(Layer::Output), vec![Units(top), Units(Layer::Loss)]),
        StepKind::LastHidden => (Units(Layer::Hidden(k)), vec![Weights(Layer::Output), Units(Layer::Output)]),
        StepKind::OutputWeights | StepKind::OutputBias => {
            (Weights(Layer::Output), vec![Units(Layer::Hidden(k)), Units(Layer::Output)])
        }
        StepKind::HiddenBack(l) => {
            (Units(below(l)), vec![Units(Layer::Hidden(l)), Weights(Layer::Hidden(l))])
        }
        StepKind::HiddenWeights(l) | StepKind::HiddenBias(l) => {
            (Weights(Layer::Hidden(l)), vec![Units(Layer::Hidden(l)), Units(below(l))])
        }
    };
    Involvement { asked, used, operands: operands(network, kind, asked_quantity) }
}

/// What the step's formula combines (SPEC §3), for hints and for highlighting values.
fn operands(network: &Network, kind: StepKind, asked: Quantity) -> Vec<Operand> {
    use Operand::{Gate, Target, Value, Weights};
    let k = network.depth();
    let below = |l: usize| Value(if l == 1 { Quantity::X } else { Quantity::H(l - 1) });
    let top = Value(if network.is_softmax() { Quantity::OHat } else { Quantity::O });
    match kind {
        StepKind::Forward => match asked {
            Quantity::Z(l) => vec![Weights(Layer::Hidden(l)), below(l)],
            Quantity::H(l) => vec![Value(Quantity::Z(l))],
            Quantity::O => vec![Weights(Layer::Output), Value(Quantity::H(k))],
            Quantity::OHat => vec![Value(Quantity::O)],
            _ if network.is_softmax() => vec![top],
            _ => vec![top, Target],
        },
        StepKind::OutputGradient => vec![top, Target],
        StepKind::LastHidden => vec![Value(Quantity::DlDo), Weights(Layer::Output)],
        StepKind::OutputWeights => vec![Value(Quantity::DlDo), Value(Quantity::H(k))],
        StepKind::OutputBias => vec![Value(Quantity::DlDo)],
        StepKind::HiddenBack(l) => vec![Value(Quantity::DlDh(l)), Gate(l), Weights(Layer::Hidden(l))],
        StepKind::HiddenWeights(l) => vec![Gate(l), Value(Quantity::DlDh(l)), below(l)],
        StepKind::HiddenBias(l) => vec![Gate(l), Value(Quantity::DlDh(l))],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lesson::{parse_lesson, shipped};

    #[test]
    fn steps_highlight_what_the_notes_figures_do() {
        let lesson = parse_lesson("notes-example", shipped::source("notes-example").unwrap()).unwrap();
        let network = lesson.network();
        let step1 = involvement(network, StepKind::OutputGradient, Quantity::DlDo);
        assert!(step1.contains(Part::Units(Layer::Loss)) && step1.contains(Part::Units(Layer::Output)));
        let step3a = involvement(network, StepKind::HiddenBack(2), Quantity::DlDh(1));
        assert_eq!(step3a.asked, Part::Units(Layer::Hidden(1)));
        assert!(step3a.contains(Part::Weights(Layer::Hidden(2))));
        let step4 = involvement(network, StepKind::HiddenWeights(1), Quantity::DlDw(1));
        assert!(step4.contains(Part::Units(Layer::Input)));
    }
}
