//! The steps a network of a given shape has (DESIGN.md §3) and their ids. They depend on the
//! network's shape alone, so a lesson can check its `[steps] ask` list without the plan above.

use super::Network;

/// Which computation a step performs; the derivation and the highlighting follow from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StepKind {
    /// Step 0: z, h, o, ô and L.
    Forward,
    /// Step 1: ∂L/∂o.
    OutputGradient,
    /// Step 2A: ∂L/∂h(K) through W(o).
    LastHidden,
    /// Step 2B: ∂L/∂W(o).
    OutputWeights,
    /// ∂L/∂b(o), right after 2B.
    OutputBias,
    /// Step 3A for layer l: ∂L/∂h(l−1) through the gate of layer l and W(l).
    HiddenBack(usize),
    /// Step 3B for layer l ≥ 2, Step 4 for l = 1: ∂L/∂W(l).
    HiddenWeights(usize),
    /// ∂L/∂b(l), right after the matching weight step.
    HiddenBias(usize),
    /// The totals over a dataset's examples: the loss and every weight and bias gradient
    /// (Eq. 2).
    Sum,
    /// Step 5: the weights and biases after one step of gradient descent (§1.3, step 4).
    Update,
    /// Step 6: the total loss of a forward pass with the updated weights.
    LossAfter,
}

/// A step's id: the notes' "3A"/"3B" for the one pair of a two-hidden-layer network, and
/// "3A.l"/"3B.l" (layer l → l−1) where deeper networks repeat them; bias steps add ".b".
pub fn step_id(network: &Network, kind: StepKind) -> String {
    let k = network.depth();
    let layered = |base: &str, l: usize| if k == 2 { base.to_string() } else { format!("{base}.{l}") };
    match kind {
        StepKind::Forward => "0".into(),
        StepKind::OutputGradient => "1".into(),
        StepKind::LastHidden => "2A".into(),
        StepKind::OutputWeights => "2B".into(),
        StepKind::OutputBias => "2B.b".into(),
        StepKind::HiddenBack(l) => layered("3A", l),
        StepKind::HiddenWeights(1) => "4".into(),
        StepKind::HiddenWeights(l) => layered("3B", l),
        StepKind::HiddenBias(1) => "4.b".into(),
        StepKind::HiddenBias(l) => format!("{}.b", layered("3B", l)),
        StepKind::Sum => "sum".into(),
        StepKind::Update => "5".into(),
        StepKind::LossAfter => "6".into(),
    }
}

/// A step's id in a lesson: [`step_id`], with `#n` after the steps of example n of a dataset
/// (`2A#1`); the steps of the whole dataset (`sum`, `5`, `6`) have none.
pub fn lesson_step_id(network: &Network, kind: StepKind, example: Option<usize>) -> String {
    match example {
        Some(n) => format!("{}#{n}", step_id(network, kind)),
        None => step_id(network, kind),
    }
}

/// Whether a step of this kind is one example's (Steps 0–4), to be done once per example of
/// a dataset.
pub fn is_per_example(kind: StepKind) -> bool {
    !matches!(kind, StepKind::Sum | StepKind::Update | StepKind::LossAfter)
}

/// The examples whose steps a lesson repeats: 1..=N with a dataset, else the one example,
/// which has no number.
pub fn examples(network: &Network) -> Vec<Option<usize>> {
    match network.dataset_size() {
        Some(n) => (1..=n).map(Some).collect(),
        None => vec![None],
    }
}

/// The steps after every example's backward pass: the totals of a dataset, then Steps 5 and 6
/// when the lesson trains (DESIGN.md §8).
pub fn training_kinds(network: &Network) -> Vec<StepKind> {
    let mut kinds = Vec::new();
    if network.dataset_size().is_some() {
        kinds.push(StepKind::Sum);
    }
    if network.learning_rate().is_some() {
        kinds.extend([StepKind::Update, StepKind::LossAfter]);
    }
    kinds
}

/// Every step a lesson can ask by default, with its example: each example's backward steps,
/// then the training steps.
pub fn lesson_steps(network: &Network) -> Vec<(StepKind, Option<usize>)> {
    let mut steps: Vec<(StepKind, Option<usize>)> = examples(network)
        .into_iter()
        .flat_map(|example| backward_kinds(network).into_iter().map(move |kind| (kind, example)))
        .collect();
    steps.extend(training_kinds(network).into_iter().map(|kind| (kind, None)));
    steps
}

/// The step a lesson's id names (`2A`, `2A#2`, `0#1`, `sum`, `5`), with its example.
pub fn find_step(network: &Network, id: &str) -> Option<(StepKind, Option<usize>)> {
    let forward = examples(network).into_iter().map(|example| (StepKind::Forward, example));
    forward.chain(lesson_steps(network)).find(|&(kind, example)| lesson_step_id(network, kind, example) == id)
}

/// Every backward step of the network, in the notes' order (DESIGN.md §3).
pub fn backward_kinds(network: &Network) -> Vec<StepKind> {
    let bias = |l: usize| network.layer(l).bias().is_some();
    let mut kinds = vec![StepKind::OutputGradient, StepKind::LastHidden, StepKind::OutputWeights];
    if network.output().bias().is_some() {
        kinds.push(StepKind::OutputBias);
    }
    for l in (2..=network.depth()).rev() {
        kinds.extend([StepKind::HiddenBack(l), StepKind::HiddenWeights(l)]);
        if bias(l) {
            kinds.push(StepKind::HiddenBias(l));
        }
    }
    kinds.push(StepKind::HiddenWeights(1));
    if bias(1) {
        kinds.push(StepKind::HiddenBias(1));
    }
    kinds
}
