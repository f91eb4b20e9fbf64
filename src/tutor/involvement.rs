//! Which part of the network a step works on, as the notes' Figures 3–7 highlight it: read off
//! the formula of the quantity being asked (DESIGN.md §3), so the highlighting always shows
//! what the formula combines. Pure: panes turn it into styles.

use crate::network::Network;
use crate::plan::definition::definition_of;
use crate::plan::formula::{Term, WeightLayer};
use crate::quantity::{Quantity, QuantityRef};

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
    /// Where the quantity being computed stands.
    pub asked: Part,
    /// What its formula reads.
    pub used: Vec<Part>,
    /// What its formula combines, in the formula's order.
    pub operands: Vec<Term>,
}

impl Involvement {
    pub fn contains(&self, part: Part) -> bool {
        self.asked == part || self.used.contains(&part)
    }

    /// Whether the formula reads this activation or gradient (a gate reads z; a dataset's
    /// total reads it of every example).
    pub fn reads(&self, quantity: Quantity) -> bool {
        self.operands.iter().any(|&term| match term {
            Term::Value(q) | Term::Example(q, _) => q == quantity,
            Term::Gate(gate) => gate.argument == quantity,
            _ => false,
        })
    }

    /// Whether the formula reads the label or the target.
    pub fn reads_target(&self) -> bool {
        self.operands.iter().any(|t| matches!(t, Term::Label | Term::OneHot(_) | Term::Target))
    }
}

/// Where a quantity stands in the network.
fn place(quantity: Quantity) -> Part {
    use Quantity::*;
    match quantity {
        X => Part::Units(Layer::Input),
        Z(l) | H(l) | DlDh(l) => Part::Units(Layer::Hidden(l)),
        O | DlDo => Part::Units(Layer::Output),
        OHat => Part::Units(Layer::Softmax),
        Loss => Part::Units(Layer::Loss),
        DlDw(l) | DlDb(l) | DzDh(l) | DhDz(l) | DhDh(l) => Part::Weights(Layer::Hidden(l)),
        DlDwo | DlDbo | DoDh(_) | WoNew | BoNew => Part::Weights(Layer::Output),
        WNew(l) | BNew(l) => Part::Weights(Layer::Hidden(l)),
        LossNew => Part::Units(Layer::Loss),
    }
}

fn weights_of(layer: WeightLayer) -> Part {
    match layer {
        WeightLayer::Hidden(l) => Part::Weights(Layer::Hidden(l)),
        WeightLayer::Output => Part::Weights(Layer::Output),
    }
}

/// Where a term of a formula stands: the label and the target belong to the loss, a gate to
/// its layer's units; a number of the notes' examples stands nowhere in this network.
fn part_of(term: Term) -> Option<Part> {
    Some(match term {
        Term::Value(q) | Term::Example(q, _) => place(q),
        // η scales the step the loss asks for.
        Term::LearningRate => Part::Units(Layer::Loss),
        Term::Weights(layer) | Term::Bias(layer) => weights_of(layer),
        Term::Label | Term::OneHot(_) | Term::Target => Part::Units(Layer::Loss),
        Term::Gate(gate) => Part::Units(Layer::Hidden(gate.layer)),
        Term::Notes(_) => return None,
    })
}

/// What computing the name `asked` involves: where it stands, and what its formula reads (a
/// dataset's total its examples', the update the weights, η and the totals).
pub fn involvement(network: &Network, asked: &QuantityRef) -> Involvement {
    let operands = definition_of(network, &asked.whole()).map(|f| f.terms()).unwrap_or_default();
    let asked_part = place(asked.quantity);
    let mut used: Vec<Part> = Vec::new();
    for part in operands.iter().filter_map(|&t| part_of(t)) {
        if part != asked_part && !used.contains(&part) {
            used.push(part);
        }
    }
    Involvement { asked: asked_part, used, operands }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lesson::{parse_lesson, shipped};

    #[test]
    fn steps_highlight_what_the_notes_figures_do() {
        let lesson = parse_lesson("notes-example", shipped::source("notes-example").unwrap()).unwrap();
        let network = lesson.network();
        let step1 = involvement(network, &Quantity::DlDo.into());
        assert!(step1.contains(Part::Units(Layer::Loss)) && step1.contains(Part::Units(Layer::Output)));
        let step3a = involvement(network, &Quantity::DlDh(1).into());
        assert_eq!(step3a.asked, Part::Units(Layer::Hidden(1)));
        assert!(
            step3a.contains(Part::Weights(Layer::Hidden(2)))
                && step3a.contains(Part::Units(Layer::Hidden(2)))
        );
        let step4 = involvement(network, &Quantity::DlDw(1).into());
        assert!(step4.contains(Part::Units(Layer::Input)));
    }
}
