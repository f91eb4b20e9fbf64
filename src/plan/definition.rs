//! What every quantity of a network equals, as a formula over the values it reads: the notes'
//! matrix view (Eqs. (1), (5)–(7), (60), (65), (69), (73)–(75), (79)) generalised to any depth,
//! activation, bias and loss (DESIGN.md §2–§3). This is the correct method of every step.

use super::formula::{Formula, Term, WeightLayer};
use crate::network::{Network, Objective};
use crate::quantity::Quantity;

/// h(l−1) as the formula reads it: x for l = 1.
fn below(l: usize) -> Formula {
    Formula::value(if l == 1 { Quantity::X } else { Quantity::H(l - 1) })
}

/// W h (+ b) for the weights of `layer` and the activation below them.
fn affine(network: &Network, layer: WeightLayer, input: Formula) -> Formula {
    let product = Formula::Product(vec![Formula::term(Term::Weights(layer)), input]);
    let has_bias = match layer {
        WeightLayer::Hidden(l) => network.layer(l).bias().is_some(),
        WeightLayer::Output => network.output().bias().is_some(),
    };
    if has_bias { Formula::Sum(vec![product, Formula::term(Term::Bias(layer))]) } else { product }
}

/// The formula of `quantity`, or `None` for the input x, which is given, and for a quantity the
/// network does not have.
pub fn definition(network: &Network, quantity: Quantity) -> Option<Formula> {
    use Quantity::*;
    if !network.has(quantity) {
        return None;
    }
    let k = network.depth();
    let gate = |l: usize| Formula::term(Term::gate(network, l));
    let weights = |l: usize| Formula::term(Term::Weights(WeightLayer::Hidden(l)));
    let output_weights = || Formula::term(Term::Weights(WeightLayer::Output));
    Some(match quantity {
        X => return None,
        // Eq. (1), with the bias where the layer has one.
        Z(l) => affine(network, WeightLayer::Hidden(l), below(l)),
        H(l) => Formula::Apply(network.layer(l).activation(), Box::new(Formula::value(Z(l)))),
        O => affine(network, WeightLayer::Output, Formula::value(H(k))),
        // Eq. (5).
        OHat => Formula::Softmax(Box::new(Formula::value(O))),
        // Eqs. (6)–(7), from ô as a learner computes it; half the squared error for mse.
        Loss => match network.objective() {
            Objective::SoftmaxCrossEntropy { .. } => {
                Formula::CrossEntropy { probabilities: Box::new(Formula::value(OHat)), class: Term::Label }
            }
            Objective::Mse { .. } => {
                Formula::HalfSquaredError(Box::new(Formula::value(O)), Box::new(Formula::term(Term::Target)))
            }
        },
        // Eq. (60); for mse, the squared error's own derivative o − t.
        DlDo => match network.objective() {
            Objective::SoftmaxCrossEntropy { .. } => {
                Formula::value(OHat).minus(Formula::term(Term::Label)).transpose()
            }
            Objective::Mse { .. } => Formula::value(O).minus(Formula::term(Term::Target)).transpose(),
        },
        // Eq. (65).
        DlDh(l) if l == k => Formula::Product(vec![Formula::value(DlDo), output_weights()]),
        // Eq. (75).
        DlDh(l) => Formula::Product(vec![Formula::value(DlDh(l + 1)), gate(l + 1), weights(l + 1)]),
        // Eq. (69).
        DlDwo => Formula::Product(vec![Formula::value(DlDo).transpose(), Formula::value(H(k)).transpose()]),
        DlDbo => Formula::value(DlDo).transpose(),
        // Eq. (79); for layer 1 by analogy, with h(0) = x.
        DlDw(l) => Formula::Product(vec![gate(l), Formula::value(DlDh(l)).transpose(), below(l).transpose()]),
        DlDb(l) => Formula::Product(vec![gate(l), Formula::value(DlDh(l)).transpose()]),
        // The Jacobians (Eqs. (30)–(38), (73)–(74)).
        DoDh(_) => output_weights(),
        DhDz(l) => gate(l),
        DzDh(l) => weights(l),
        DhDh(l) => Formula::Product(vec![gate(l), weights(l)]),
    })
}

/// The Jacobians a gradient's formula multiplies by, in its order: ∂o/∂h(K) for W(o),
/// ∂h(l)/∂z(l) for a gate, ∂z(l)/∂h(l−1) for W(l), and ∂h(l)/∂h(l−1) where a gate and W(l)
/// stand together (Step 3A, Eqs. (35), (38)).
pub fn jacobians(network: &Network, formula: &Formula) -> Vec<Quantity> {
    let terms = formula.terms();
    let mut out = Vec::new();
    for (i, term) in terms.iter().enumerate() {
        match *term {
            Term::Weights(WeightLayer::Output) => out.push(Quantity::DoDh(network.depth())),
            Term::Gate(gate) => out.push(Quantity::DhDz(gate.layer)),
            Term::Weights(WeightLayer::Hidden(l)) if l >= 2 => {
                out.push(Quantity::DzDh(l));
                if matches!(terms.get(i.wrapping_sub(1)), Some(Term::Gate(g)) if g.layer == l) {
                    out.push(Quantity::DhDh(l));
                }
            }
            _ => {}
        }
    }
    out
}
