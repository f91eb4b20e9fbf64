//! The correct method of every step, as a function of the values the step reads.
//!
//! The engine computes the whole pass from the lesson in one go; grading also needs each step
//! on its own, fed with other values: with the learner's earlier answers it gives what a
//! learner who computed correctly from them would get (error carried forward), and
//! `diagnose` swaps one ingredient (the gate, the activation) to get the known wrong answers.
//! The arithmetic of each step is the engine's own (`engine::forward`, `engine::backward`);
//! what lives here is which values each step reads. A test checks that, fed with the lesson's
//! own values, it agrees with the engine.

use crate::engine::Solution;
use crate::network::backward::{gate, gated, gated_weights, minus_onehot, outer, through_weights};
use crate::network::forward::{affine, loss, softmax};
use crate::network::{Network, Objective};
use crate::quantity::Quantity;
use crate::value::Value;
use nalgebra::{DMatrix, DVector};
use std::collections::BTreeMap;

/// The values a step may read: the lesson's own, except those the learner answered.
pub struct Context<'a> {
    solution: &'a Solution,
    /// The learner's answers that replace the lesson's values, each in its quantity's shape.
    learner: BTreeMap<Quantity, Value>,
}

impl<'a> Context<'a> {
    pub fn truth(solution: &'a Solution) -> Self {
        Context { solution, learner: BTreeMap::new() }
    }

    /// `learner` values must have their quantity's shape (see `shape::conform`).
    pub fn with_learner(solution: &'a Solution, learner: BTreeMap<Quantity, Value>) -> Self {
        Context { solution, learner }
    }

    pub fn network(&self) -> &Network {
        self.solution.network()
    }

    /// A vector quantity the network has.
    pub fn vector(&self, quantity: Quantity) -> DVector<f64> {
        let value = match self.learner.get(&quantity) {
            Some(value) => value.clone(),
            None => self.solution.value(quantity).expect("steps read only quantities the network has"),
        };
        match value {
            Value::Vector(v) => v,
            other => DVector::from_vec(other.entries()),
        }
    }

    /// h(l−1), the activation that W(l) multiplies: x for l = 1.
    pub fn below(&self, l: usize) -> DVector<f64> {
        if l == 1 { self.network().input().clone() } else { self.vector(Quantity::H(l - 1)) }
    }

    /// f'(z(l)), the diagonal of the gate of hidden layer `l`, from this context's z(l).
    pub fn gate(&self, l: usize) -> DVector<f64> {
        gate(self.network().layer(l).activation(), &self.vector(Quantity::Z(l)))
    }

    /// diag(f'(z(l))) (∂L/∂h(l))ᵀ: the gradient at z(l), shared by ∂L/∂W(l), ∂L/∂b(l) and
    /// ∂L/∂h(l−1).
    pub fn gated(&self, l: usize) -> DVector<f64> {
        gated(&self.vector(Quantity::DlDh(l)), &self.gate(l))
    }
}

/// The quantities a learner may have answered that the step computing `quantity` reads.
/// Jacobians of weights alone (∂z/∂h, ∂o/∂h) read nothing the learner gives.
pub fn inputs(network: &Network, quantity: Quantity) -> Vec<Quantity> {
    use Quantity::*;
    let k = network.depth();
    let below = |l: usize| if l == 1 { vec![] } else { vec![H(l - 1)] };
    let through_output = if network.is_softmax() { OHat } else { O };
    match quantity {
        X | DoDh(_) | DzDh(_) => vec![],
        Z(l) => below(l),
        H(l) | DhDz(l) | DhDh(l) => vec![Z(l)],
        O => vec![H(k)],
        OHat => vec![O],
        Loss | DlDo => vec![through_output],
        DlDh(l) if l == k => vec![DlDo],
        DlDh(l) => vec![DlDh(l + 1), Z(l + 1)],
        DlDwo => vec![DlDo, H(k)],
        DlDbo => vec![DlDo],
        DlDw(l) => [vec![DlDh(l), Z(l)], below(l)].concat(),
        DlDb(l) => vec![DlDh(l), Z(l)],
    }
}

/// The value of `quantity` by the correct method from `context`'s values, or `None` where the
/// network does not have it.
pub fn compute(context: &Context, quantity: Quantity) -> Option<Value> {
    use Quantity::*;
    let network = context.network();
    if !network.has(quantity) {
        return None;
    }
    let k = network.depth();
    let vector = |v: DVector<f64>| Some(Value::Vector(v));
    let matrix = |m: DMatrix<f64>| Some(Value::Matrix(m));
    match quantity {
        X => vector(network.input().clone()),
        Z(l) => vector(affine(network.layer(l), &context.below(l))),
        H(l) => {
            let activation = network.layer(l).activation();
            vector(context.vector(Z(l)).map(|z| activation.apply(z)))
        }
        O => vector(affine(network.output(), &context.vector(H(k)))),
        OHat => vector(softmax(&context.vector(O))),
        Loss => Some(Value::Scalar(match network.objective() {
            // From ô, as a learner does it (Eq. 6–7): L = −ln ô_y.
            Objective::SoftmaxCrossEntropy { label } => -context.vector(OHat)[label - 1].ln(),
            objective @ Objective::Mse { .. } => loss(objective, &context.vector(O)),
        })),
        DlDo => vector(match network.objective() {
            Objective::SoftmaxCrossEntropy { label } => minus_onehot(context.vector(OHat), *label),
            Objective::Mse { target } => context.vector(O) - target,
        }),
        DlDh(l) if l == k => vector(through_weights(network.output().weights(), &context.vector(DlDo))),
        DlDh(l) => vector(through_weights(network.layer(l + 1).weights(), &context.gated(l + 1))),
        DlDwo => matrix(outer(&context.vector(DlDo), &context.vector(H(k)))),
        DlDbo => vector(context.vector(DlDo)),
        DlDw(l) => matrix(outer(&context.gated(l), &context.below(l))),
        DlDb(l) => vector(context.gated(l)),
        DoDh(_) => matrix(network.output().weights().clone()),
        DhDz(l) => matrix(DMatrix::from_diagonal(&context.gate(l))),
        DzDh(l) => matrix(network.layer(l).weights().clone()),
        DhDh(l) => matrix(gated_weights(&context.gate(l), network.layer(l).weights())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lesson::parse_lesson;

    const DEEP: &str = r#"
        title = "three hidden layers, biases, tanh and leaky ReLU"
        [network]
        input = [0.5, -1.0, 2.0]
        label = 1
        activation = "tanh"
        [[network.layers]]
        weights = [[0.3, -0.2, 0.1], [0.5, 0.4, -0.6]]
        bias = [0.1, -0.2]
        [[network.layers]]
        weights = [[1.0, -1.5], [0.7, 0.2], [-0.3, 0.9]]
        activation = "leaky_relu"
        [[network.layers]]
        weights = [[0.2, -0.4, 0.6], [-1.1, 0.3, 0.5]]
        bias = [0.0, 0.3]
        activation = "sigmoid"
        [[network.layers]]
        weights = [[1.0, 0.5], [-0.5, 1.0]]
        bias = [0.2, -0.1]
    "#;

    const MSE: &str = r#"
        title = "mse"
        [network]
        input = [1.0, 2.0]
        target = [0.5, -1.0]
        loss = "mse"
        [[network.layers]]
        weights = [[1.0, -1.0], [0.5, 0.5]]
        [[network.layers]]
        weights = [[1.0, 2.0], [-1.0, 0.5]]
    "#;

    #[test]
    fn with_the_lessons_values_every_step_agrees_with_the_engine() {
        let shipped =
            crate::lesson::shipped::all().map(|(name, _)| crate::lesson::load_lesson(name).unwrap());
        let made = [parse_lesson("deep", DEEP).unwrap(), parse_lesson("mse", MSE).unwrap()];
        for lesson in shipped.chain(made) {
            let solution = Solution::new(lesson.network());
            let context = Context::truth(&solution);
            for quantity in solution.names() {
                let engine = solution.value(quantity).unwrap().entries();
                let here = compute(&context, quantity).unwrap().entries();
                assert_eq!(engine.len(), here.len(), "{quantity}");
                for (a, b) in engine.iter().zip(&here) {
                    assert!((a - b).abs() <= 1e-12 * (1.0 + a.abs()), "{quantity}: {engine:?} vs {here:?}");
                }
            }
        }
    }
}
