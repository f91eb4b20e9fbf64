//! The correct method of every step, run on the values the step reads.
//!
//! The engine computes the whole pass from the lesson in one go; grading also needs each step
//! on its own, fed with other values: with the learner's earlier answers it gives what a
//! learner who computed correctly from them would get (error carried forward), and
//! `diagnose` swaps one ingredient (the gate, the activation) to get the known wrong answers.
//! Both evaluate the quantity's formula (`plan::definition`), so the method graded is the one
//! every screen shows; a test checks that, fed with the lesson's own values, it agrees with
//! the engine.

use crate::engine::Solution;
use crate::network::Network;
use crate::plan::definition::definition;
use crate::plan::formula::Values;
use crate::quantity::Quantity;
use crate::value::Value;
use std::collections::BTreeMap;

/// The values a step may read: the lesson's own, except those the learner answered.
pub struct Context<'a> {
    solution: &'a Solution,
    /// The learner's answers that replace the lesson's values, each in its quantity's shape.
    learner: BTreeMap<Quantity, Value>,
}

impl<'a> Context<'a> {
    /// `learner` values must have their quantity's shape (see `shape::conform`).
    pub fn with_learner(solution: &'a Solution, learner: BTreeMap<Quantity, Value>) -> Self {
        Context { solution, learner }
    }
}

impl Values for Context<'_> {
    fn network(&self) -> &Network {
        self.solution.network()
    }

    fn quantity(&self, quantity: Quantity) -> Option<Value> {
        self.learner.get(&quantity).cloned().or_else(|| self.solution.value(quantity))
    }
}

/// The quantities a learner may have answered that the step computing `quantity` reads.
pub fn inputs(network: &Network, quantity: Quantity) -> Vec<Quantity> {
    definition(network, quantity).map(|formula| formula.reads()).unwrap_or_default()
}

/// The value of `quantity` by the correct method from `values`, or `None` where the network
/// does not have it.
pub fn compute(values: &impl Values, quantity: Quantity) -> Option<Value> {
    let network = values.network();
    match definition(network, quantity) {
        Some(formula) => formula.eval(values)?.into_value(network.shape(quantity)),
        // The input is given, not computed.
        None if network.has(quantity) => values.quantity(quantity),
        None => None,
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
            let context = Context::with_learner(&solution, BTreeMap::new());
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
