//! What a network is trained on beyond its one example (DESIGN.md §8): a dataset of several
//! examples whose losses add up as Eq. (2) does, or average, and the learning rate η of one
//! gradient-descent step W ← W − η ∂L/∂W (the notes' §1.3, step 4).

use super::backward::Gradients;
use super::forward::{Forward, forward, forward_of};
use super::{Network, Objective};
use nalgebra::{DMatrix, DVector};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// How the examples' losses (and so their gradients) make the total.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    Hash,
    Deserialize,
    Serialize,
    JsonSchema,
    strum::EnumIter,
    strum::EnumMessage,
    strum::EnumString,
    strum::IntoStaticStr,
    strum::VariantNames,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Reduction {
    /// L = Σₙ Lₙ, the sum over the examples, as Eq. (2) writes it.
    #[default]
    Sum,
    /// L = (1/N) Σₙ Lₙ, the average over the N examples.
    Mean,
}

impl Reduction {
    /// The name in lesson files and on the command line: `mean`.
    pub fn name(self) -> &'static str {
        self.into()
    }

    /// The other one: what a learner who confused them would have used.
    pub fn other(self) -> Reduction {
        match self {
            Reduction::Sum => Reduction::Mean,
            Reduction::Mean => Reduction::Sum,
        }
    }
}

/// One example of a dataset: an input and what the network should output for it.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    pub input: DVector<f64>,
    pub objective: Objective,
}

/// A network's training setup: checked by `lesson`'s validation before it is made.
#[derive(Debug, Clone, PartialEq)]
pub struct Training {
    /// The examples of `[[data]]`, in order (the network's own input and objective are the
    /// first); `None` when the lesson has one example of its own, whose names carry no `#n`.
    pub(super) dataset: Option<Vec<Example>>,
    pub(super) reduction: Reduction,
    /// η of `[train]`; `None` when the lesson stops at the gradients.
    pub(super) learning_rate: Option<f64>,
}

impl Training {
    pub(crate) fn new(
        dataset: Option<Vec<Example>>,
        reduction: Reduction,
        learning_rate: Option<f64>,
    ) -> Self {
        Training { dataset, reduction, learning_rate }
    }
}

/// The total loss of a dataset and its gradient with respect to every weight and bias: each
/// example's, added up (Eq. 2) or averaged.
#[derive(Debug, Clone, PartialEq)]
pub struct Totals {
    pub loss: f64,
    pub dl_dwo: DMatrix<f64>,
    pub dl_dbo: Option<DVector<f64>>,
    /// ∂L/∂W(l) for l = 1..=K (index 0 is layer 1).
    pub dl_dw: Vec<DMatrix<f64>>,
    /// ∂L/∂b(l) for l = 1..=K, for layers with a bias.
    pub dl_db: Vec<Option<DVector<f64>>>,
}

/// The totals of the examples' passes, each given as its loss and gradients (at least one).
pub fn totals(reduction: Reduction, passes: &[(f64, &Gradients)]) -> Totals {
    let (first_loss, first) = passes[0];
    let mut total = Totals {
        loss: first_loss,
        dl_dwo: first.dl_dwo.clone(),
        dl_dbo: first.dl_dbo.clone(),
        dl_dw: first.dl_dw.clone(),
        dl_db: first.dl_db.clone(),
    };
    for &(loss, gradients) in &passes[1..] {
        total.loss += loss;
        total.dl_dwo += &gradients.dl_dwo;
        add(&mut total.dl_dbo, &gradients.dl_dbo);
        for (sum, part) in total.dl_dw.iter_mut().zip(&gradients.dl_dw) {
            *sum += part;
        }
        for (sum, part) in total.dl_db.iter_mut().zip(&gradients.dl_db) {
            add(sum, part);
        }
    }
    if reduction == Reduction::Mean {
        let scale = 1.0 / passes.len() as f64;
        total.loss *= scale;
        total.dl_dwo *= scale;
        total.dl_dw.iter_mut().for_each(|m| *m *= scale);
        for bias in total.dl_dbo.iter_mut().chain(total.dl_db.iter_mut().flatten()) {
            *bias *= scale;
        }
    }
    total
}

fn add(sum: &mut Option<DVector<f64>>, part: &Option<DVector<f64>>) {
    if let (Some(sum), Some(part)) = (sum.as_mut(), part.as_ref()) {
        *sum += part;
    }
}

/// The network after one step of gradient descent with learning rate `eta`: every weight and
/// bias moved against its total gradient, W − η ∂L/∂W (§1.3, step 4).
pub fn descend(network: &Network, totals: &Totals, eta: f64) -> Network {
    let k = network.depth();
    network.with_parameters(|l, layer| {
        let (gradient, bias_gradient) = if l == k + 1 {
            (&totals.dl_dwo, totals.dl_dbo.as_ref())
        } else {
            (&totals.dl_dw[l - 1], totals.dl_db[l - 1].as_ref())
        };
        let weights = layer.weights() - gradient * eta;
        let bias = layer.bias().zip(bias_gradient).map(|(b, g)| b - g * eta);
        (weights, bias)
    })
}

/// Each example's forward pass through `network` and the total loss over them (the network's
/// own example alone when it has no dataset).
pub fn forward_all(network: &Network) -> (Vec<Forward>, f64) {
    let passes: Vec<Forward> = match network.training.as_ref().and_then(|t| t.dataset.as_ref()) {
        Some(examples) => examples.iter().map(|e| forward_of(network, &e.input, &e.objective)).collect(),
        None => vec![forward(network)],
    };
    let sum: f64 = passes.iter().map(|pass| pass.loss).sum();
    let total = match network.reduction() {
        Reduction::Sum => sum,
        Reduction::Mean => sum / passes.len() as f64,
    };
    (passes, total)
}
