//! The worked solution as plain text, in the notes' order with their equation numbers; its
//! numbers as the tutor shows them ([`display`]), so every line's arithmetic checks out.

use crate::engine::Solution;
use crate::lesson::Lesson;
use crate::network::steps::{StepKind, examples};
use crate::network::{Network, Objective};
use crate::plan::display;
use crate::plan::formula::Term;
use crate::plan::{Step, before_step, derivation, plan, step, step_title};
use crate::quantity::QuantityRef;
use crate::value::Value;

/// How many entries a derivation lists before it says "… and N more".
pub(super) const DERIVATION_LINES: usize = 64;

/// `(8)–(12), (54), (59)–(60)`: runs of consecutive numbers folded; a reference that is no
/// number (`§1.3`) as it is.
pub fn equation_list(equations: &[String]) -> String {
    let number = |e: &String| {
        e.strip_prefix('(').and_then(|e| e.strip_suffix(')')).and_then(|e| e.parse::<u32>().ok())
    };
    let mut parts = Vec::new();
    let mut i = 0;
    while i < equations.len() {
        let Some(start) = number(&equations[i]) else {
            parts.push(equations[i].clone());
            i += 1;
            continue;
        };
        let mut end = start;
        while i + 1 < equations.len() && number(&equations[i + 1]) == Some(end + 1) {
            end += 1;
            i += 1;
        }
        parts.push(if end == start { format!("({start})") } else { format!("({start})–({end})") });
        i += 1;
    }
    parts.join(", ")
}

/// `x: 3 inputs → layer 1: 2 relu → layer 2: 2 relu → o: 3 outputs; softmax cross-entropy, y = 3`.
pub fn describe_network(network: &Network) -> String {
    let mut parts = vec![format!("x: {} inputs", network.units(0))];
    for (i, layer) in network.hidden().iter().enumerate() {
        let bias = if layer.bias().is_some() { " + bias" } else { "" };
        parts.push(format!("layer {}: {} {}{bias}", i + 1, layer.units(), layer.activation().name()));
    }
    let bias = if network.output().bias().is_some() { " + bias" } else { "" };
    parts.push(format!("o: {} outputs{bias}", network.outputs()));
    let loss = match (network.objective(), network.dataset_size()) {
        (Objective::SoftmaxCrossEntropy { label }, None) => format!("softmax cross-entropy, y = {label}"),
        (Objective::Mse { target }, None) => {
            format!("mse, t = {}", display::value(&Value::Vector(target.clone())))
        }
        (objective, Some(n)) => {
            let loss =
                if matches!(objective, Objective::Mse { .. }) { "mse" } else { "softmax cross-entropy" };
            format!("{loss} over {n} examples ({}, Eq. 2)", network.reduction().name())
        }
    };
    let step = network
        .learning_rate()
        .map_or(String::new(), |eta| format!("; one step of gradient descent, η = {eta:?}"));
    format!("{}; {loss}{step}", parts.join(" → "))
}

/// One step: title, equations, formula, then the derivation and the answer.
pub(super) fn step_text(network: &Network, step: &Step, solution: &Solution) -> String {
    let mut out = format!("{}\n", step_title(network, step));
    if !step.equations.is_empty() {
        out.push_str(&format!("  notes' equations: {}\n", equation_list(&step.equations)));
    }
    out.push_str(&format!("  {}\n", step.formula_text()));
    for jacobian in &step.jacobians {
        if let Some(value) = solution.value(*jacobian) {
            out.push_str(&format!("  {} = {}\n", jacobian.symbol(), display::value(&value)));
        }
    }
    let (lines, more) = derivation(step, solution, DERIVATION_LINES);
    for line in lines {
        out.push_str(&format!("    {}\n", display::line(&line)));
    }
    if more > 0 {
        out.push_str(&format!("    … and {more} more entries, each the same way\n"));
    }
    for asked in &step.asks {
        if let Some(value) = solution.value_of(asked) {
            out.push_str(&format!("  ⇒ {} = {}\n", asked.symbol(), display::value(&value)));
        }
        if let Some((term, before)) = before_value(solution, asked) {
            out.push_str(&format!("    (before the step: {} = {})\n", term.text(), display::value(&before)));
        }
    }
    out
}

/// The value an answer of Steps 5 and 6 replaces ([`before_step`]), with its term.
pub(super) fn before_value(solution: &Solution, asked: &QuantityRef) -> Option<(Term, Value)> {
    let term = before_step(asked.quantity)?;
    let shape = solution.network().shape(asked.quantity);
    Some((term, term.eval(solution)?.into_value(shape)?))
}

pub fn solution_text(lesson: &Lesson) -> String {
    let network = lesson.network();
    let solution = Solution::new(network);
    let mut out = format!("{}\n", lesson.title());
    if let Some(description) = lesson.description() {
        out.push_str(&format!("{}\n", one_line(description)));
    }
    out.push_str(&format!("\nNetwork: {}\n\n", describe_network(network)));
    for s in &solution_steps(lesson) {
        out.push_str(&step_text(network, s, &solution));
        out.push('\n');
    }
    out
}

/// A worked solution's steps: the lesson's plan, after the forward pass when the plan does not
/// ask it, since the backward steps reuse every z and h.
pub(super) fn solution_steps(lesson: &Lesson) -> Vec<Step> {
    let network = lesson.network();
    let mut steps = plan(lesson);
    if !steps.iter().any(|s| s.kind == StepKind::Forward) {
        let forward = examples(network).into_iter().map(|example| step(network, StepKind::Forward, example));
        steps.splice(0..0, forward);
    }
    steps
}

/// A lesson's description on one line, its runs of whitespace (line breaks included) one space.
pub(super) fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
