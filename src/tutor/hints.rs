//! The three hint stages of practice mode, as text: the idea of the step with the notes'
//! equations (the formula itself is always on screen), then the shapes of what the formula
//! combines, then the first entry worked out.

use crate::engine::Solution;
use crate::network::Network;
use crate::plan::formula::{Term, WeightLayer};
use crate::plan::{Step, derivation, display};
use crate::quantity::QuantityRef;
use crate::report::equation_list;
use crate::value::Shape;

/// The hint of one stage (1-based) for `question` of `step`.
pub fn hint(solution: &Solution, step: &Step, question: &QuantityRef, stage: u32) -> String {
    let network = solution.network();
    match stage {
        1 if step.equations.is_empty() => format!("Idea: {}", step.explanation),
        1 => format!("Idea: {}   (notes {})", step.explanation, equation_list(&step.equations)),
        2 => shapes(network, step, question),
        _ => {
            let only = Step { asks: vec![question.clone()], ..step.clone() };
            let (lines, _) = derivation(&only, solution, 1);
            lines.first().map_or_else(String::new, |line| format!("First entry: {}", display::line(line)))
        }
    }
}

/// `Shapes: ∂L/∂o: a vector of 3 · W(o): a 3×2 matrix → ∂L/∂h(2): a vector of 2`, read off
/// the step's own formula (a dataset's total is no one example's).
fn shapes(network: &Network, step: &Step, question: &QuantityRef) -> String {
    let operands: Vec<String> = step
        .formula_of(question.quantity)
        .map(|formula| formula.terms())
        .unwrap_or_default()
        .into_iter()
        .filter_map(|term| Some(format!("{}: {}", term.text(), term_shape(network, term)?)))
        .collect();
    let shape = if question.index.is_empty() { network.shape(question.quantity) } else { Shape::Scalar };
    format!("Shapes: {} → {}: {shape}", operands.join(" · "), question.symbol())
}

/// A term's shape as the notes write it; vectors as vectors, whatever their orientation.
fn term_shape(network: &Network, term: Term) -> Option<Shape> {
    let k = network.depth();
    Some(match term {
        Term::Value(q) => network.shape(q),
        Term::Weights(WeightLayer::Hidden(l)) => Shape::Matrix(network.units(l), network.units(l - 1)),
        Term::Weights(WeightLayer::Output) => Shape::Matrix(network.outputs(), network.units(k)),
        Term::Bias(WeightLayer::Hidden(l)) => Shape::Vector(network.units(l)),
        Term::Bias(WeightLayer::Output) | Term::Label | Term::OneHot(_) | Term::Target => {
            Shape::Vector(network.outputs())
        }
        Term::Gate(gate) => Shape::Matrix(network.units(gate.layer), network.units(gate.layer)),
        Term::Example(q, _) => network.shape(q),
        Term::LearningRate => Shape::Scalar,
        // Only known mistakes use the notes' numbers; no formula a step shows does.
        Term::Notes(_) => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lesson::{parse_lesson, shipped};
    use crate::plan::plan;

    #[test]
    fn the_three_stages_of_step_2a() {
        let lesson = parse_lesson("notes-example", shipped::source("notes-example").unwrap()).unwrap();
        let solution = Solution::new(lesson.network());
        let step = &plan(&lesson)[1];
        let question = &step.asks[0];
        let idea = hint(&solution, step, question, 1);
        assert!(idea.starts_with(&format!("Idea: {}", step.explanation)), "{idea}");
        assert!(idea.ends_with("(notes (13)–(19), (55), (61)–(65))"), "{idea}");
        assert_eq!(
            hint(&solution, step, question, 2),
            "Shapes: ∂L/∂o: a vector of 3 · W(o): a 3×2 matrix → ∂L/∂h(2): a vector of 2"
        );
        assert!(hint(&solution, step, question, 3).starts_with("First entry: ∂L/∂h1(2) = "));
    }
}
