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
    }
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

/// The step of this network with the id `id` (`0`, `2A`, `3A.3`), if it has one.
pub fn kind_of_id(network: &Network, id: &str) -> Option<StepKind> {
    std::iter::once(StepKind::Forward)
        .chain(backward_kinds(network))
        .find(|&kind| step_id(network, kind) == id)
}
