//! Each known mistake of a quantity as its right formula with one ingredient swapped.

use super::Mistake;
use crate::network::{Activation, Network, Objective};
use crate::plan::formula::{Formula, Gate, NotesNumber, Slope, Term, Values, WeightLayer};
use crate::quantity::Quantity;
use crate::value::Shape;

/// The known mistakes of `quantity`, each as the right formula with one ingredient swapped.
pub(super) fn mistakes(values: &impl Values, quantity: Quantity, right: &Formula) -> Vec<(Mistake, Formula)> {
    use Quantity::*;
    let network = values.network();
    let k = network.depth();
    let mut out = general_mistakes(network, quantity, right);
    if quantity == DlDo {
        out.extend(step_one(network, right));
    }
    if let DlDh(_) = quantity {
        out.extend(weights_first(right).map(|wrong| (Mistake::WeightsNotTransposed, wrong)));
    }
    let gates: Vec<Gate> = right
        .terms()
        .into_iter()
        .filter_map(|t| match t {
            Term::Gate(gate) => Some(gate),
            _ => None,
        })
        .collect();
    for &gate in &gates {
        out.extend(gate_slips(network, quantity, right, gate));
    }
    match quantity {
        DlDw(l) => out.extend(wrong_activations(network, right, l - 1)),
        DlDwo => out.extend(wrong_activations(network, right, k)),
        _ => {}
    }
    out.extend(notes_numbers(values, quantity, right));
    // Two slips inside one formula: Step 3A typed weights first, and without the gate.
    if let DlDh(_) = quantity {
        for &gate in &gates {
            if let Some(wrong) = weights_first(&right.without_factor(Term::Gate(gate))) {
                let both = Mistake::compose(Mistake::WeightsNotTransposed, Mistake::GateMissing);
                out.extend(both.map(|mistake| (mistake, wrong)));
            }
        }
    }
    out
}

/// The mistakes any quantity can show, a dataset's totals and the update too: transposed (a
/// matrix), every sign flipped.
pub(super) fn general_mistakes(
    network: &Network,
    quantity: Quantity,
    right: &Formula,
) -> Vec<(Mistake, Formula)> {
    let mut out = Vec::new();
    if matches!(network.shape(quantity), Shape::Matrix(..)) {
        out.push((Mistake::Transposed, right.clone().transpose()));
    }
    out.push((Mistake::SignFlipped, Formula::Scale(-1.0, Box::new(right.clone()))));
    out
}

/// Step 1's own mistakes (Eqs. (8)–(12), (60)).
fn step_one(network: &Network, right: &Formula) -> Vec<(Mistake, Formula)> {
    let mut out = Vec::new();
    let label = Formula::term(Term::Label);
    match *network.objective() {
        Objective::SoftmaxCrossEntropy { label: y } => {
            let no_label = right.replace(&|f| match f {
                Formula::Difference(a, b) if **b == label => Some((**a).clone()),
                _ => None,
            });
            out.push((Mistake::MissingOnehot, no_label));
            out.push((
                Mistake::UsedLogits,
                right.replace_term(Term::Value(Quantity::OHat), &Formula::value(Quantity::O)),
            ));
            for class in [y - 1, y + 1] {
                if (1..=network.outputs()).contains(&class) {
                    let wrong = right.replace_term(Term::Label, &Formula::term(Term::OneHot(class)));
                    out.push((Mistake::LabelOffByOne { class }, wrong));
                }
            }
            // e_y ⊙ (ô − e_y): the true class's entry alone.
            let only_true_class = right.replace(&|f| match f {
                Formula::Difference(_, b) if **b == label => {
                    Some(Formula::Hadamard(Box::new(label.clone()), Box::new(f.clone())))
                }
                _ => None,
            });
            out.push((Mistake::NontargetZero, only_true_class));
            // ∂(−ln ô_y)/∂ô = −e_y ⊘ ô.
            let quotient =
                Formula::Quotient(Box::new(label.clone()), Box::new(Formula::value(Quantity::OHat)));
            out.push((Mistake::WrtProbabilities, Formula::Scale(-1.0, Box::new(quotient)).transpose()));
        }
        Objective::Mse { .. } => {
            out.push((Mistake::MseFactor { doubled: true }, Formula::Scale(2.0, Box::new(right.clone()))));
            let k = network.outputs();
            if k >= 2 {
                let per_output = Formula::Scale(1.0 / k as f64, Box::new(right.clone()));
                out.push((Mistake::MseFactor { doubled: false }, per_output));
            }
        }
    }
    out
}

/// (∂L/∂h(l))·…·W(l) written W(l)·…·(∂L/∂h(l))ᵀ: the weights' columns where their rows
/// belong (the gates between are diagonal, so they stay). `None` for another form.
fn weights_first(right: &Formula) -> Option<Formula> {
    let Formula::Product(items) = right else { return None };
    let (first, rest) = items.split_first()?;
    let (last, middle) = rest.split_last()?;
    if !matches!(last, Formula::Term(Term::Weights(_))) {
        return None;
    }
    let mut reordered = vec![last.clone()];
    reordered.extend(middle.iter().cloned());
    reordered.push(first.clone().transpose());
    Some(Formula::Product(reordered))
}

/// The slips of one gate of `right`: dropped, another layer's, the activation itself, the
/// slope at the wrong variable, a ReLU's slope on a leaky layer.
fn gate_slips(network: &Network, quantity: Quantity, right: &Formula, gate: Gate) -> Vec<(Mistake, Formula)> {
    let term = Term::Gate(gate);
    let with = |other: Gate| right.replace_term(term, &Formula::term(Term::Gate(other)));
    let mut out = Vec::new();
    if matches!(right, Formula::Product(_)) {
        out.push((Mistake::GateMissing, right.without_factor(term)));
    }
    if let Quantity::DlDh(l) = quantity {
        out.extend(wrong_layers(network, right, term, l));
    }
    let l = gate.layer;
    for used in [Quantity::H(l), Quantity::Z(l)] {
        let value = Gate { slope: Slope::Argument, argument: used, ..gate };
        out.push((Mistake::GateUsedActivation { used }, with(value)));
    }
    if matches!(gate.activation, Activation::Sigmoid | Activation::Tanh) {
        let at_h = Gate { argument: Quantity::H(l), ..gate };
        let form_at_z = Gate { slope: Slope::FromOutput, argument: Quantity::Z(l), ..gate };
        out.push((Mistake::DerivativeWrongArgument { at: Quantity::H(l) }, with(at_h)));
        out.push((Mistake::DerivativeWrongArgument { at: Quantity::Z(l) }, with(form_at_z)));
    }
    if gate.activation == Activation::LeakyRelu {
        out.push((Mistake::LeakyAsRelu, with(Gate { activation: Activation::Relu, ..gate })));
    }
    out
}

/// Step 3A down to h(`l`) through layer l + 1 with the gate of a neighbouring layer (l, the one
/// being computed into, or l + 2, the one above) in place of layer l + 1's own, or after
/// W(l + 1). The shapes decide which of these exist.
fn wrong_layers(network: &Network, right: &Formula, gate: Term, l: usize) -> Vec<(Mistake, Formula)> {
    let neighbours = [l, l + 2].into_iter().filter(|&m| (1..=network.depth()).contains(&m));
    neighbours
        .flat_map(|m| {
            let other = Formula::term(Term::gate(network, m));
            let in_place = right.replace_term(gate, &other);
            let after = match right.without_factor(gate) {
                Formula::Product(mut items) => {
                    items.push(other);
                    Formula::Product(items)
                }
                single => Formula::Product(vec![single, other]),
            };
            [
                (Mistake::GateWrongLayer { layer: m, after: false }, in_place),
                (Mistake::GateWrongLayer { layer: m, after: true }, after),
            ]
        })
        .collect()
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
        .map(|q| (Mistake::WrongActivation { used: q }, right.replace_term(term, &Formula::value(q))))
        .collect()
}

/// The notes' example numbers in place of the lesson's, where the shapes let a learner copy
/// them: Step 1's logits o = [1, 3, 2]; Step 2B's h(2) = [1, 2] and the h(2) = [4, 1] of Step
/// 3A's network as the last hidden layer's activation; Step 3A's W(2) for a 2×2 W(l). A number
/// the lesson itself has there is no mistake on it.
fn notes_numbers(values: &impl Values, quantity: Quantity, right: &Formula) -> Vec<(Mistake, Formula)> {
    let network = values.network();
    let k = network.depth();
    let swaps: Vec<(Term, NotesNumber, Formula)> = match quantity {
        Quantity::DlDo if network.is_softmax() && network.outputs() == 3 => {
            let logits = Formula::Softmax(Box::new(Formula::term(Term::Notes(NotesNumber::Logits))));
            vec![(Term::Value(Quantity::OHat), NotesNumber::Logits, logits)]
        }
        Quantity::DlDwo if network.units(k) == 2 => {
            [NotesNumber::StepTwoBActivation, NotesNumber::StepThreeAActivation]
                .into_iter()
                .map(|n| (Term::Value(Quantity::H(k)), n, Formula::term(Term::Notes(n))))
                .collect()
        }
        Quantity::DlDh(l) if l < k && network.units(l) == 2 && network.units(l + 1) == 2 => {
            let n = NotesNumber::StepThreeAWeights;
            vec![(Term::Weights(WeightLayer::Hidden(l + 1)), n, Formula::term(Term::Notes(n)))]
        }
        _ => vec![],
    };
    swaps
        .into_iter()
        .filter(|(term, number, _)| !lesson_has(values, *term, *number))
        .map(|(term, number, by)| (Mistake::NotesNumbers(number), right.replace_term(term, &by)))
        .collect()
}

/// Whether the lesson's own `term` is the notes' `number` (the lessons that reproduce the
/// notes' examples): then using the notes' number is right.
pub(super) fn lesson_has(values: &impl Values, term: Term, number: NotesNumber) -> bool {
    let own = match term {
        // The logits the softmax is taken of.
        Term::Value(Quantity::OHat) => Term::Value(Quantity::O),
        other => other,
    };
    let entries = |t: Term| t.eval(values).map(|m| m.entries());
    entries(own).is_some_and(|own| Some(own) == entries(Term::Notes(number)))
}
