//! `lint` (SPEC §7): what makes a lesson that loads still a poor exercise, or the engine wrong.
//! Each finding carries the key at fault, so it prints as `file:line:col: id: message`.

use super::distinct::{Answer, Collision, Structure, collisions};
use crate::engine::Solution;
use crate::engine::gradcheck::{self, Comparison};
use crate::lesson::{Key, Lesson, position_of};
use crate::network::{Network, Objective};
use crate::quantity::{Quantity, QuantityRef};
use nalgebra::DMatrix;

/// Above this relative error, away from kinks, an engine gradient is a defect.
pub const GRADIENT_TOLERANCE: f64 = 1e-6;
/// A pre-activation this close to 0 sits on the kink.
pub const KINK_DISTANCE: f64 = 1e-9;
/// ∂L/∂o entries below this round to 0 at the 3 decimals answers are written with.
const ROUNDS_TO_ZERO: f64 = 0.0005;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    GradientCheck,
    Kink,
    DeadLayer,
    Saturated,
    DuplicateRows,
    Indistinct,
    LossRises,
}

impl Check {
    pub const ALL: [Check; 7] = [
        Check::GradientCheck,
        Check::Kink,
        Check::DeadLayer,
        Check::Saturated,
        Check::DuplicateRows,
        Check::Indistinct,
        Check::LossRises,
    ];

    /// The id printed, and named in `[lint] allow`.
    pub fn id(self) -> &'static str {
        match self {
            Check::GradientCheck => "gradient_check",
            Check::Kink => "kink",
            Check::DeadLayer => "dead_layer",
            Check::Saturated => "saturated",
            Check::DuplicateRows => "duplicate_rows",
            Check::Indistinct => "indistinct",
            Check::LossRises => "loss_rises",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub check: Check,
    /// The key at fault, e.g. `network.layers[2].weights[1]`; empty where no key is.
    pub at: Vec<Key>,
    pub message: String,
    /// Accepted on purpose by the lesson's `[lint] allow`.
    pub allowed: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// Every finding, allowed ones included, in the order of [`Check::ALL`].
    pub findings: Vec<Finding>,
    /// The gradient check, one comparison per quantity.
    pub gradients: Vec<Comparison>,
}

impl Report {
    /// The findings that count: those the lesson does not allow.
    pub fn defects(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| !f.allowed)
    }
}

pub fn lint(lesson: &Lesson) -> Report {
    let solution = Solution::new(lesson.network());
    let gradients = gradcheck::check(&solution);
    review(lesson, &solution, gradients)
}

/// The findings, given the gradient check's comparisons: apart from [`lint`] so that a test
/// can hand it a defective comparison (the engine itself has none to show).
pub fn review(lesson: &Lesson, solution: &Solution, gradients: Vec<Comparison>) -> Report {
    let network = lesson.network();
    let mut findings = gradient_findings(network, &gradients);
    // Each example of a dataset has its own pass, so its own kinks, closed layers and softmax.
    for (example, pass) in super::training::passes(solution) {
        let network = pass.network();
        let of_pass = kinks(network, pass)
            .into_iter()
            .chain(dead_layers(network, pass))
            .chain(saturation(network, pass));
        findings.extend(of_pass.map(|finding| super::training::of_example(finding, example)));
    }
    findings.extend(duplicates(network));
    findings.extend(collisions(lesson, solution, &Structure::of(lesson)).iter().map(indistinct));
    findings.extend(super::training::loss_rises(solution));
    for finding in &mut findings {
        finding.allowed = lesson.lint_allow().iter().any(|id| id == finding.check.id());
    }
    Report { findings, gradients }
}

pub(super) fn finding(check: Check, at: Vec<Key>, message: String) -> Finding {
    Finding { check, at, message, allowed: false }
}

/// `network.layers[index]` (0-based: hidden layer l is index l − 1, the output layer K) and more.
fn layer_key(index: usize, more: &[Key]) -> Vec<Key> {
    let mut key = vec![Key::Name("network".into()), Key::Name("layers".into()), Key::Index(index)];
    key.extend_from_slice(more);
    key
}

fn weights() -> Key {
    Key::Name("weights".into())
}

/// "layer 2", or "the output layer W(o)" for index K.
fn layer_name(network: &Network, index: usize) -> String {
    if index == network.depth() { "the output layer W(o)".into() } else { format!("layer {}", index + 1) }
}

fn gradient_findings(network: &Network, gradients: &[Comparison]) -> Vec<Finding> {
    let k = network.depth();
    gradients
        .iter()
        .filter(|c| c.relative_error > GRADIENT_TOLERANCE)
        .map(|c| {
            let bias = Key::Name("bias".into());
            let at = match c.quantity {
                Quantity::DlDw(l) => layer_key(l - 1, &[weights()]),
                Quantity::DlDwo => layer_key(k, &[weights()]),
                Quantity::DlDb(l) => layer_key(l - 1, &[bias]),
                Quantity::DlDbo => layer_key(k, &[bias]),
                _ => Vec::new(),
            };
            let message = format!(
                "{}: the engine and centered finite differences differ by {:.1e} (relative), more than \
                 {GRADIENT_TOLERANCE:.0e} away from kinks: a defect in the engine's gradient, or numbers \
                 too large for finite differences",
                QuantityRef::named(c.quantity, c.example),
                c.relative_error
            );
            finding(Check::GradientCheck, at, message)
        })
        .collect()
}

fn kinks(network: &Network, solution: &Solution) -> Vec<Finding> {
    let mut out = Vec::new();
    for (i, layer) in network.hidden().iter().enumerate() {
        let (l, activation) = (i + 1, layer.activation());
        if !activation.has_kink() {
            continue;
        }
        for (unit, &z) in solution.forward.z[i].iter().enumerate() {
            if z.abs() <= KINK_DISTANCE {
                let message = format!(
                    "{} = {z}: this pre-activation sits on the {} kink at 0, where f'(z) jumps; the tutor \
                     takes the left slope (Eq. 32), but answers worked by hand become ambiguous: change \
                     row {} of W({l})",
                    Quantity::Z(l).entry_symbol(&[unit + 1]),
                    activation.name(),
                    unit + 1,
                );
                out.push(finding(Check::Kink, layer_key(i, &[weights(), Key::Index(unit)]), message));
            }
        }
    }
    out
}

fn dead_layers(network: &Network, solution: &Solution) -> Vec<Finding> {
    (1..=network.depth())
        .filter(|&l| solution.gates[l - 1].iter().all(|&gate| gate == 0.0))
        .map(|l| {
            let message = format!(
                "layer {l}: every gate is closed (f'(z({l})) = 0 for every unit), so no gradient flows \
                 through it: ∂L/∂W({l}) and every gradient below layer {l} are 0"
            );
            finding(Check::DeadLayer, layer_key(l - 1, &[]), message)
        })
        .collect()
}

fn saturation(network: &Network, solution: &Solution) -> Option<Finding> {
    let Objective::SoftmaxCrossEntropy { label } = network.objective() else { return None };
    let dl_do = &solution.gradients.dl_do;
    (dl_do.amax() < ROUNDS_TO_ZERO).then(|| {
        let message = format!(
            "the softmax is saturated: ô{label} = 1 − {:.1e}, so ∂L/∂o = ô − e_y rounds to 0 at 3 decimals \
             in every entry and so does every gradient after it: make the logits smaller, or the label \
             another class",
            -dl_do[label - 1]
        );
        finding(Check::Saturated, layer_key(network.depth(), &[weights()]), message)
    })
}

fn duplicates(network: &Network) -> Vec<Finding> {
    let layers = network.hidden().iter().chain([network.output()]);
    layers
        .enumerate()
        .flat_map(|(index, layer)| {
            duplicate_rows(layer.weights()).into_iter().map(move |(first, again)| (index, first, again))
        })
        .map(|(index, first, again)| {
            let message = format!(
                "{}: weights row {} equals row {}: the two units compute the same thing, so mixing up \
                 their indices gives the same numbers and goes unnoticed",
                layer_name(network, index),
                again + 1,
                first + 1
            );
            finding(Check::DuplicateRows, layer_key(index, &[weights(), Key::Index(again)]), message)
        })
        .collect()
}

/// A question whose answers the lesson cannot tell apart. No key is at fault: the numbers are.
fn indistinct(collision: &Collision) -> Finding {
    let question = &collision.question;
    let second = collision.second;
    let message = match collision.first {
        Answer::Right => format!(
            "{question}: the right answer and `{second}` are the same within the tolerance, so an \
             answer with that mistake is graded correct and the mistake goes unseen; choose numbers \
             where it changes the answer"
        ),
        Answer::Mistake(first) => format!(
            "{question}: `{first}` and `{second}` give the same numbers within the tolerance, so \
             the lesson cannot tell them apart and names the first; choose numbers where they differ"
        ),
    };
    finding(Check::Indistinct, Vec::new(), message)
}

/// Every row that repeats an earlier one, as `(earlier, repeat)` 0-based row indices.
pub(crate) fn duplicate_rows(w: &DMatrix<f64>) -> Vec<(usize, usize)> {
    (0..w.nrows())
        .filter_map(|again| {
            (0..again).find(|&first| w.row(first) == w.row(again)).map(|first| (first, again))
        })
        .collect()
}

/// The gradient check as one line: the relative error of each quantity.
pub fn gradient_summary(gradients: &[Comparison]) -> String {
    let parts: Vec<String> = gradients
        .iter()
        .map(|c| {
            let skipped = if c.kink_entries > 0 {
                format!(" ({} at kinks skipped)", c.kink_entries)
            } else {
                String::new()
            };
            let error =
                if c.relative_error == 0.0 { "0".to_string() } else { format!("{:.1e}", c.relative_error) };
            format!("{} {error}{skipped}", QuantityRef::named(c.quantity, c.example))
        })
        .collect();
    format!(
        "gradient check, relative error against centered finite differences (a defect above \
         {GRADIENT_TOLERANCE:.0e}): {}",
        parts.join(", ")
    )
}

/// What `lint` prints for one lesson: the gradient check, then `origin:line:col: id: message` per
/// finding that counts, then a verdict line. Allowed findings are named only in the verdict.
pub fn render(origin: &str, text: &str, report: &Report) -> String {
    let mut out = format!("{origin}: {}\n", gradient_summary(&report.gradients));
    for finding in report.defects() {
        let position = position_of(text, &finding.at).filter(|_| !finding.at.is_empty());
        let place = position.map_or(String::new(), |(line, column)| format!(":{line}:{column}"));
        out.push_str(&format!("{origin}{place}: {}: {}\n", finding.check.id(), finding.message));
    }
    let count = report.defects().count();
    let mut allowed: Vec<&str> = report.findings.iter().filter(|f| f.allowed).map(|f| f.check.id()).collect();
    allowed.dedup();
    let allowed =
        if allowed.is_empty() { String::new() } else { format!(" (allowed: {})", allowed.join(", ")) };
    match count {
        0 => out.push_str(&format!("{origin}: clean{allowed}\n")),
        1 => out.push_str(&format!("{origin}: 1 finding{allowed}\n")),
        n => out.push_str(&format!("{origin}: {n} findings{allowed}\n")),
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_the_ones_lessons_may_allow() {
        let mut ids: Vec<&str> = Check::ALL.iter().map(|c| c.id()).collect();
        let mut known = crate::lesson::LINT_IDS.to_vec();
        ids.sort_unstable();
        known.sort_unstable();
        assert_eq!(ids, known);
    }

    #[test]
    fn duplicate_rows_pair_each_repeat_with_its_first_occurrence() {
        let w = DMatrix::from_row_slice(4, 2, &[1.0, 2.0, 3.0, 4.0, 1.0, 2.0, 1.0, 2.0]);
        assert_eq!(duplicate_rows(&w), [(0, 2), (0, 3)]);
    }
}
