//! `solve --format markdown`: the worked solution as a handout. Formulas, Jacobians,
//! derivations and answers are LaTeX in `$$…$$` blocks, which GitHub renders, built from the
//! plan's structured data (`Expr`, `Line`), with the notes' equation numbers for every step.

use super::text::{
    DERIVATION_LINES, before_value, describe_network, equation_list, one_line, solution_steps,
};
use crate::engine::Solution;
use crate::lesson::Lesson;
use crate::network::steps::{StepKind, examples};
use crate::network::{Network, Objective};
use crate::plan::{Step, derivation, example_latex, latex_number, reference_latex, step_title, value_latex};
use crate::quantity::{Quantity, QuantityRef};
use crate::value::Value;

pub fn solution_markdown(lesson: &Lesson) -> String {
    let network = lesson.network();
    let solution = Solution::new(network);
    let mut out = format!("# {}\n\n", lesson.title());
    if let Some(description) = lesson.description() {
        out.push_str(&format!("{}\n\n", one_line(description)));
    }
    out.push_str(&format!("**Network:** {}\n\n", describe_network(network)));
    out.push_str(&given(network, &solution));
    for s in &solution_steps(lesson) {
        out.push_str(&step_markdown(network, s, &solution));
    }
    out
}

/// The notes write gradients with respect to a vector as rows (1×K, Eq. 60) and other vectors
/// as columns.
fn is_row(quantity: Quantity) -> bool {
    matches!(quantity, Quantity::DlDo | Quantity::DlDh(_))
}

/// One `$$` block holding `lines`, stacked on their `&=` when there are several.
fn display(lines: &[String]) -> String {
    match lines {
        [] => String::new(),
        [line] => format!("$$\n{}\n$$\n\n", line.replace("&=", "=")),
        _ => format!("$$\n\\begin{{aligned}}\n{}\n\\end{{aligned}}\n$$\n\n", lines.join(" \\\\\n")),
    }
}

/// `symbol &= value` for a quantity or entry.
fn equation(reference: &QuantityRef, value: &Value) -> String {
    format!("{} &= {}", reference_latex(reference), value_latex(value, is_row(reference.quantity)))
}

/// The lesson's own numbers: x and the label or target of each example, every weight matrix
/// and bias, and η.
fn given(network: &Network, solution: &Solution) -> String {
    let mut lines = Vec::new();
    for example in examples(network) {
        let x = QuantityRef::named(Quantity::X, example);
        if let Some(input) = solution.value_of(&x) {
            lines.push(equation(&x, &input));
        }
        let mark = |symbol: &str| example_latex(symbol, example);
        match network.objective_of(example.unwrap_or(1)) {
            Objective::SoftmaxCrossEntropy { label } => lines.push(format!("{} &= {label}", mark("y"))),
            Objective::Mse { target } => lines.push(format!(
                r"{} &= {}",
                mark(r"\vec{t}"),
                value_latex(&Value::Vector(target.clone()), false)
            )),
        }
    }
    let layers = network.hidden().iter().enumerate().map(|(i, layer)| ((i + 1).to_string(), layer));
    for (name, layer) in layers.chain([("o".to_string(), network.output())]) {
        lines.push(format!(
            r"\mathbf{{W}}^{{({name})}} &= {}",
            value_latex(&Value::Matrix(layer.weights().clone()), false)
        ));
        if let Some(bias) = layer.bias() {
            lines.push(format!(
                r"\vec{{b}}^{{({name})}} &= {}",
                value_latex(&Value::Vector(bias.clone()), false)
            ));
        }
    }
    if let Some(eta) = network.learning_rate() {
        lines.push(format!(r"\eta &= {}", latex_number(eta)));
    }
    format!("## Given\n\n{}", display(&lines))
}

fn step_markdown(network: &Network, step: &Step, solution: &Solution) -> String {
    let mut out = format!("## {}\n\n{}\n\n", step_title(network, step), step.explanation);
    if !step.equations.is_empty() {
        out.push_str(&format!("Notes' equations {}.", equation_list(&step.equations)));
        if step.kind == StepKind::HiddenWeights(1) {
            // The notes number no matrix form for Step 4 (ERRATA 6).
            out.push_str(r" The matrix form follows (79), with $\vec{h}^{(0)} = \vec{x}$.");
        }
        out.push_str("\n\n");
    }
    out.push_str(&display(&step.formula_latex()));

    let jacobians: Vec<String> = step
        .jacobians
        .iter()
        .filter_map(|&j| solution.value(j).map(|value| equation(&j.into(), &value)))
        .collect();
    if !jacobians.is_empty() {
        out.push_str("The Jacobians it uses:\n\n");
        out.push_str(&display(&jacobians));
    }

    let (lines, more) = derivation(step, solution, DERIVATION_LINES);
    out.push_str("Entry by entry:\n\n");
    out.push_str(&display(&lines.iter().map(|line| line.to_latex()).collect::<Vec<_>>()));
    if more > 0 {
        out.push_str(&format!("… and {more} more entries, each the same way.\n\n"));
    }

    let answers: Vec<String> = step
        .asks
        .iter()
        .filter_map(|asked| solution.value_of(asked).map(|value| equation(asked, &value)))
        .collect();
    let before: Vec<String> = step
        .asks
        .iter()
        .filter_map(|asked| before_value(solution, asked))
        .map(|(term, value)| format!("{} &= {}", term.latex(), value_latex(&value, false)))
        .collect();
    if !before.is_empty() {
        out.push_str("Before the step:\n\n");
        out.push_str(&display(&before));
    }
    out.push_str("**Answer:**\n\n");
    out.push_str(&display(&answers));
    out
}
