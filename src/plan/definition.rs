//! What every quantity of a network equals, as a formula over the values it reads: the notes'
//! matrix view (Eqs. (1), (5)–(7), (60), (65), (69), (73)–(75), (79)) generalised to any depth,
//! activation, bias and loss (DESIGN.md §2–§3). This is the correct method of every step.

use super::formula::{Formula, Term, WeightLayer};
use crate::network::{Network, Objective, Reduction};
use crate::quantity::{Quantity, QuantityRef};

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
        // One step of gradient descent (§1.3, step 4), with the lesson's totals.
        WNew(l) => descent(Term::Weights(WeightLayer::Hidden(l)), Formula::value(DlDw(l))),
        WoNew => descent(Term::Weights(WeightLayer::Output), Formula::value(DlDwo)),
        // A bias is a column, its gradient a row (Eq. 60's orientation).
        BNew(l) => descent(Term::Bias(WeightLayer::Hidden(l)), Formula::value(DlDb(l)).transpose()),
        BoNew => descent(Term::Bias(WeightLayer::Output), Formula::value(DlDbo).transpose()),
        // The forward pass (1) and the loss (2) again, with the updated weights.
        LossNew => Formula::TotalLoss(updated_parameters(network)),
    })
}

/// `parameter − η · gradient`.
fn descent(parameter: Term, gradient: Formula) -> Formula {
    let step = Formula::Times(Box::new(Formula::term(Term::LearningRate)), Box::new(gradient));
    Formula::term(parameter).minus(step)
}

/// W(1)_new (and b(1)_new where layer 1 has a bias), …, W(o)_new (and b(o)_new): what the loss
/// after the step is computed with, in [`Formula::TotalLoss`]'s order.
pub fn updated_parameters(network: &Network) -> Vec<Formula> {
    let k = network.depth();
    let mut out = Vec::new();
    for l in 1..=k + 1 {
        let (weights, bias, has_bias) = if l <= k {
            (Quantity::WNew(l), Quantity::BNew(l), network.layer(l).bias().is_some())
        } else {
            (Quantity::WoNew, Quantity::BoNew, network.output().bias().is_some())
        };
        out.push(Formula::value(weights));
        if has_bias {
            out.push(Formula::value(bias));
        }
    }
    out
}

/// The formula of a name of the lesson: a dataset's total adds up every example's (Eq. 2), or
/// averages them; every other name has its quantity's [`definition`], one example's quantities
/// read from that example. `None` where the lesson has no such name or it is given (x).
pub fn definition_of(network: &Network, name: &QuantityRef) -> Option<Formula> {
    if !network.has_name(name.quantity, name.example) {
        return None;
    }
    match network.dataset_size() {
        Some(n) if name.example.is_none() && name.quantity.has_total() => {
            Some(total(name.quantity, n, network.reduction()))
        }
        _ => definition(network, name.quantity),
    }
}

/// `quantity`'s total over `examples` examples, by `reduction`.
pub fn total(quantity: Quantity, examples: usize, reduction: Reduction) -> Formula {
    let items = (1..=examples).map(|n| Formula::term(Term::Example(quantity, n))).collect();
    match reduction {
        Reduction::Sum => Formula::Sum(items),
        Reduction::Mean => Formula::Mean(items),
    }
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
