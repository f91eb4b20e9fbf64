//! `new --data N --learning-rate η` (DESIGN.md §8): a dataset whose every example keeps the
//! rules of `new` (no kink, no closed layer, a label below the top logit) and whose examples
//! close different gates where the shape allows, and a learning rate for which the loss drops;
//! and `lint`'s `loss_rises`, for a lesson whose step does not lower the loss.

use super::generate::{
    Aim, Goal, MARGIN, Options, VISIBLE, Variant, clear_of_kink, example_text, goal, goal_rule, layer_suits,
    value,
};
use super::lint::{Check, Finding, finding};
use super::rng::SplitMix64;
use crate::diagnosis::DiagnosisId;
use crate::engine::Solution;
use crate::lesson::{Key, Lesson, MAX_EXAMPLES};
use crate::network::{Network, Reduction};
use crate::quantity::Quantity;

/// How many inputs are drawn for one further example before the draw of the whole lesson
/// starts again.
const EXAMPLE_TRIES: usize = 256;
/// The loss after the step must be this much lower than before, so that Step 6 shows it at
/// the digits answers are given with.
const DROP: f64 = 0.01;

/// The dataset and the step of gradient descent of a generated lesson.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TrainingOptions {
    /// How many examples `[[data]]` has; `None` for the lesson's one example.
    pub data: Option<usize>,
    /// η of `[train]`; `None` for no step.
    pub learning_rate: Option<f64>,
    /// How the examples' losses add up (with `data` only); the sum, as Eq. (2), by default.
    pub reduction: Option<Reduction>,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TrainingError {
    #[error("--data {0}: a dataset has 1 to {MAX_EXAMPLES} examples")]
    Examples(usize),
    #[error("--learning-rate {0}: η must be a finite number above 0 (e.g. 0.1)")]
    LearningRate(f64),
    #[error("--reduction needs --data: it says how the losses of a dataset's examples add up")]
    ReductionWithoutData,
}

impl TrainingOptions {
    pub(super) fn check(&self) -> Result<(), TrainingError> {
        if let Some(n) = self.data.filter(|n| !(1..=MAX_EXAMPLES).contains(n)) {
            return Err(TrainingError::Examples(n));
        }
        if let Some(eta) = self.learning_rate.filter(|eta| !(eta.is_finite() && *eta > 0.0)) {
            return Err(TrainingError::LearningRate(eta));
        }
        if self.reduction.is_some() && self.data.is_none() {
            return Err(TrainingError::ReductionWithoutData);
        }
        Ok(())
    }

    /// Whether a lesson with these options can show `id`, for the mistakes of a dataset's totals
    /// and of the update (`None` for every other id, which the network's shape decides): a step
    /// uphill or without η needs a step, one example for all or the other reduction a dataset
    /// of two examples or more.
    pub fn can_show(&self, id: DiagnosisId) -> Option<bool> {
        let dataset = self.data.is_some_and(|n| n >= 2);
        match id {
            DiagnosisId::Ascent | DiagnosisId::ForgotEta => Some(self.learning_rate.is_some()),
            DiagnosisId::OneExample | DiagnosisId::MeanVsSum => Some(dataset),
            _ => None,
        }
    }

    /// These options as `new`'s flags, each with a space before it.
    pub(super) fn flags(&self) -> String {
        let mut flags = String::new();
        if let Some(n) = self.data {
            flags.push_str(&format!(" --data {n}"));
        }
        if let Some(reduction) = self.reduction {
            flags.push_str(&format!(" --reduction {}", reduction.name()));
        }
        if let Some(eta) = self.learning_rate {
            flags.push_str(&format!(" --learning-rate {eta:?}"));
        }
        flags
    }
}

/// One further example of a dataset, in tenths.
pub(super) struct Example {
    input: Vec<i64>,
    goal: Goal,
}

/// Each hidden layer's pre-activations and the logits of `input` through `variant`'s weights.
fn pass(variant: &Variant, options: &Options, input: &[i64]) -> (Vec<Vec<f64>>, Vec<f64>) {
    let affine = |layer: &super::generate::Layer, below: &[f64]| -> Vec<f64> {
        let bias = |i: usize| layer.bias.as_ref().map_or(0.0, |b| value(b[i]));
        let rows = layer.weights.iter().enumerate();
        rows.map(|(i, row)| row.iter().zip(below).map(|(&w, &h)| value(w) * h).sum::<f64>() + bias(i))
            .collect()
    };
    let mut below: Vec<f64> = input.iter().map(|&t| value(t)).collect();
    let mut zs = Vec::new();
    for layer in &variant.hidden {
        let z = affine(layer, &below);
        below = z.iter().map(|&z| options.activation.apply(z)).collect();
        zs.push(z);
    }
    (zs, affine(&variant.output, &below))
}

/// Which units are closed (z ≤ 0), layer by layer: the path an example's gradient takes.
fn closed(zs: &[Vec<f64>]) -> Vec<Vec<bool>> {
    zs.iter().map(|z| z.iter().map(|&z| z <= 0.0).collect()).collect()
}

/// Examples 2..=N of a dataset (none without one), each with its pass clear of every kink and
/// each layer as `aim` has example 1's (see [`layer_suits`]), and a label or target drawn as
/// example 1's is. An example whose closed gates differ from every earlier one's is preferred,
/// and where gates can close (a kink, and a hidden layer of two units or more) not every example
/// closes the same ones: a dataset of one pattern adds up zeros in the same places. `None` when
/// the examples cannot be drawn so: the caller draws the whole lesson again.
pub(super) fn more_examples(
    rng: &mut SplitMix64,
    options: &Options,
    variant: &Variant,
    aim: Aim,
) -> Option<Vec<Example>> {
    let Some(n) = options.training.data else { return Some(Vec::new()) };
    let hidden = &options.layers[1..options.layers.len() - 1];
    let gates_vary = options.activation.has_kink() && hidden.iter().any(|&units| units >= 2);
    let mut patterns = vec![closed(&pass(variant, options, &variant.input).0)];
    let mut out = Vec::new();
    for _ in 1..n {
        let mut fallback = None;
        let mut chosen = None;
        for _ in 0..EXAMPLE_TRIES {
            let input: Vec<i64> =
                variant.input.iter().map(|_| rng.tenths(super::generate::INPUT_MAX)).collect();
            let (zs, o) = pass(variant, options, &input);
            let clear = zs.iter().flatten().all(|&z| clear_of_kink(z));
            if !(clear && layers_suit(aim, options, &zs))
                || out.iter().any(|e: &Example| e.input == input)
                || input == variant.input
            {
                continue;
            }
            let Some(goal) = goal(rng, options.loss, &o) else { continue };
            let pattern = closed(&zs);
            let fresh = !patterns.contains(&pattern);
            let example = (Example { input, goal }, pattern);
            if fresh || !gates_vary {
                chosen = Some(example);
                break;
            }
            fallback.get_or_insert(example);
        }
        let (example, pattern) = chosen.or(fallback)?;
        patterns.push(pattern);
        out.push(example);
    }
    let one_pattern = patterns.iter().all(|p| *p == patterns[0]);
    (!(gates_vary && n >= 2 && one_pattern)).then_some(out)
}

/// Whether every hidden layer of one example's pass suits `aim`, as example 1's layers must.
fn layers_suit(aim: Aim, options: &Options, zs: &[Vec<f64>]) -> bool {
    let mut open_below: Option<Vec<bool>> = None;
    zs.iter().all(|z| {
        let suits = layer_suits(aim, options.activation, z, open_below.as_deref());
        open_below = Some(z.iter().map(|&z| z > 0.0).collect());
        suits
    })
}

/// `reduction = "mean"` under `[network]`, for a dataset.
pub(super) fn reduction_text(training: &TrainingOptions) -> String {
    match training.data {
        Some(_) => format!("reduction = \"{}\"\n", training.reduction.unwrap_or_default().name()),
        None => String::new(),
    }
}

/// The `[[data]]` tables (example 1 from `variant`, then `more`) and the `[train]` table.
pub(super) fn training_text(training: &TrainingOptions, variant: &Variant, more: &[Example]) -> String {
    let mut out = String::new();
    if training.data.is_some() {
        out.push_str(&format!("\n[[data]] # example 1\n{}", example_text(&variant.input, &variant.goal)));
        for (i, example) in more.iter().enumerate() {
            out.push_str(&format!(
                "\n[[data]] # example {}\n{}",
                i + 2,
                example_text(&example.input, &example.goal)
            ));
        }
    }
    if let Some(eta) = training.learning_rate {
        out.push_str(&format!("\n[train]\nlearning_rate = {eta:?}\n"));
    }
    out
}

/// The first rule of a dataset or a step that the lesson breaks, on the engine's numbers:
/// every example keeps `new`'s rules; the totals differ from any one example's gradient; the
/// step moves every weight matrix visibly and lowers the loss visibly.
pub(super) fn training_rule(lesson: &Lesson) -> Option<String> {
    let network = lesson.network();
    let solution = Solution::new(network);
    let trained = solution.trained()?;
    for (i, example) in trained.examples().iter().enumerate() {
        if let Some(rule) = example_rule(example) {
            return Some(format!("example {}: {rule}", i + 1));
        }
    }
    let k = network.depth();
    let gradients = (1..=k).map(Quantity::DlDw).chain([Quantity::DlDwo]);
    for quantity in gradients {
        let total = solution.value(quantity)?.entries();
        let size = total.iter().fold(0.0_f64, |m, x| m.max(x.abs()));
        if size <= VISIBLE {
            return Some(format!("the total {quantity} is zero to 3 decimals"));
        }
        for example in trained.examples().iter().filter(|_| trained.examples().len() > 1) {
            let own = example.value(quantity)?.entries();
            if own.iter().zip(&total).all(|(a, b)| (a - b).abs() <= VISIBLE) {
                return Some(format!("one example's {quantity} equals the total"));
            }
        }
        if let Some(eta) = network.learning_rate()
            && eta * size <= VISIBLE
        {
            return Some(format!("η ∂L/∂W is zero to 3 decimals for {quantity}"));
        }
    }
    let update = trained.update()?;
    let eta = network.learning_rate().unwrap_or_default();
    // A step so large that it closes a whole layer "lowers" the loss by switching the network off.
    for (n, pass) in update.passes.iter().enumerate() {
        for (l, z) in pass.z.iter().enumerate() {
            if network.layer(l + 1).activation().has_kink() && z.iter().all(|&z| z <= 0.0) {
                return Some(format!(
                    "with η = {eta:?} the step closes every gate of layer {} for example {}",
                    l + 1,
                    n + 1
                ));
            }
        }
    }
    let before = solution.value(Quantity::Loss)?.entries()[0];
    (update.loss > before - DROP).then(|| format!("the loss does not drop with η = {eta:?}"))
}

/// What makes one example of a dataset a poor exercise: as `new`'s rules for the lesson's own.
fn example_rule(example: &Solution) -> Option<String> {
    let network = example.network();
    for (l, z) in example.forward.z.iter().enumerate() {
        if z.iter().any(|&z| z.abs() <= MARGIN) {
            return Some(format!("a pre-activation of layer {} is within {MARGIN} of 0", l + 1));
        }
        if network.layer(l + 1).activation().has_kink() && z.iter().all(|&z| z <= 0.0) {
            return Some(format!("every gate of layer {} is closed", l + 1));
        }
    }
    goal_rule(network.objective(), &example.forward.o)
}

/// Each example's pass with its number: a dataset's examples, else the lesson's own (`None`).
pub(super) fn passes(solution: &Solution) -> Vec<(Option<usize>, &Solution)> {
    match solution.trained().filter(|t| !t.examples().is_empty()) {
        Some(trained) => trained.examples().iter().enumerate().map(|(i, pass)| (Some(i + 1), pass)).collect(),
        None => vec![(None, solution)],
    }
}

/// A finding of one example's pass, told as that example's.
pub(super) fn of_example(finding: Finding, example: Option<usize>) -> Finding {
    match example {
        Some(n) => Finding { message: format!("example {n}: {}", finding.message), ..finding },
        None => finding,
    }
}

/// `loss_rises`: the lesson trains, but its step does not lower the loss (η too large for
/// these numbers), so Step 6 teaches the opposite of what the step is for.
pub(super) fn loss_rises(solution: &Solution) -> Option<Finding> {
    let network: &Network = solution.network();
    let update = solution.trained()?.update()?;
    let before = solution.value(Quantity::Loss)?.entries()[0];
    (update.loss >= before).then(|| {
        let eta = network.learning_rate().unwrap_or_default();
        let message = format!(
            "the loss does not drop: L = {before:.4} before the step and L_new = {:.4} after it with η = \
             {eta:?}, so the step goes uphill in effect; a smaller learning rate makes Step 6 show what \
             gradient descent is for",
            update.loss
        );
        let at = vec![Key::Name("train".into()), Key::Name("learning_rate".into())];
        finding(Check::LossRises, at, message)
    })
}
