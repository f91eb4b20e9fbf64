//! The correct method of every step, run on the values the step reads.
//!
//! The engine computes the whole pass from the lesson in one go; grading also needs each step
//! on its own, fed with other values: with the learner's earlier answers it gives what a
//! learner who computed correctly from them would get (error carried forward), and
//! `diagnose` swaps one ingredient (the gate, the activation) to get the known wrong answers.
//! Both evaluate the quantity's formula (`plan::definition`), so the method graded is the one
//! every screen shows; a test checks that, fed with the lesson's own values, it agrees with
//! the engine.

use super::training::is_pass_name;
use crate::engine::Solution;
use crate::network::Network;
use crate::plan::Formula;
use crate::plan::definition::{definition, definition_of};
use crate::plan::formula::Values;
use crate::quantity::{Quantity, QuantityRef};
use crate::value::Value;
use std::collections::BTreeMap;

/// The values a step may read: the lesson's own, except those the learner answered. A step of
/// one example of a dataset reads that example's pass and the learner's answers for it.
pub(super) struct Context<'a> {
    /// The whole lesson's solution.
    solution: &'a Solution,
    /// The example whose names the formula's own values are (`None`: the lesson's).
    example: Option<usize>,
    /// The learner's answers that replace the lesson's values, each in its quantity's shape,
    /// by name.
    learner: &'a BTreeMap<QuantityRef, Value>,
}

impl<'a> Context<'a> {
    /// `learner` values must have their quantity's shape (see `shape::conform`).
    pub(super) fn with_learner(
        solution: &'a Solution,
        example: Option<usize>,
        learner: &'a BTreeMap<QuantityRef, Value>,
    ) -> Self {
        Context { solution, example, learner }
    }
}

impl Values for Context<'_> {
    fn network(&self) -> &Network {
        self.solution.pass(self.example).network()
    }

    fn quantity(&self, quantity: Quantity) -> Option<Value> {
        let name = QuantityRef::named(quantity, self.example);
        self.learner.get(&name).cloned().or_else(|| self.solution.value_of(&name))
    }

    fn example(&self, quantity: Quantity, n: usize) -> Option<Value> {
        let name = QuantityRef::named(quantity, Some(n));
        self.learner.get(&name).cloned().or_else(|| self.solution.value_of(&name))
    }
}

/// The right formula of `name` on `network`, the network whose values evaluate it: a quantity
/// of one example's pass by its definition (`network` is that example's, see
/// `Solution::pass`), a dataset's total or the update by the lesson's (DESIGN.md §8). `None`
/// where the network has no such name, or it is given (x).
pub(super) fn right_formula(network: &Network, name: &QuantityRef) -> Option<Formula> {
    if is_pass_name(network, name) {
        definition(network, name.quantity)
    } else {
        definition_of(network, name)
    }
}

/// The names a learner may have answered that the step computing `name` reads.
pub(super) fn inputs(network: &Network, name: &QuantityRef) -> Vec<QuantityRef> {
    let reads = definition_of(network, name).map(|formula| formula.reads()).unwrap_or_default();
    reads
        .into_iter()
        .map(|(quantity, example)| QuantityRef::named(quantity, example.or(name.example)))
        .collect()
}

/// The value of `name` by the correct method from `values` (those of the network `name`
/// belongs to, see [`right_formula`]), or `None` where that network does not have it.
pub fn compute(values: &impl Values, name: &QuantityRef) -> Option<Value> {
    let network = values.network();
    match right_formula(network, name) {
        Some(formula) => formula.eval(values)?.into_value(network.shape(name.quantity)),
        // The input is given, not computed.
        None if network.has(name.quantity) && is_pass_name(network, name) => values.quantity(name.quantity),
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
            let none = BTreeMap::new();
            for name in solution.names() {
                let context = Context::with_learner(&solution, name.example, &none);
                let quantity = &name;
                let engine = solution.value_of(&name).unwrap().entries();
                let here = compute(&context, &name).unwrap().entries();
                assert_eq!(engine.len(), here.len(), "{quantity}");
                for (a, b) in engine.iter().zip(&here) {
                    assert!((a - b).abs() <= 1e-12 * (1.0 + a.abs()), "{quantity}: {engine:?} vs {here:?}");
                }
            }
        }
    }
}
