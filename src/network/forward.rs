//! The forward pass (Eq. 1, 5–7), generalised to any depth, activations, biases and losses.

use crate::network::{Layer, Network, Objective};
use nalgebra::DVector;

#[derive(Debug, Clone, PartialEq)]
pub struct Forward {
    /// z(l) for l = 1..=K (index 0 is layer 1).
    pub z: Vec<DVector<f64>>,
    /// h(l) for l = 1..=K.
    pub h: Vec<DVector<f64>>,
    pub o: DVector<f64>,
    /// softmax(o), for softmax_cross_entropy only.
    pub o_hat: Option<DVector<f64>>,
    pub loss: f64,
}

pub(crate) fn affine(layer: &Layer, below: &DVector<f64>) -> DVector<f64> {
    let z = layer.weights() * below;
    match layer.bias() {
        Some(b) => z + b,
        None => z,
    }
}

/// Runs the hidden layers from `start` (1-based) on `below`, the activation of layer
/// `start - 1`. Finite differences use it to restart from a perturbed hidden layer.
pub(crate) fn hidden_from(
    network: &Network,
    start: usize,
    below: DVector<f64>,
) -> (Vec<DVector<f64>>, Vec<DVector<f64>>) {
    let mut z = Vec::new();
    let mut h = Vec::new();
    let mut current = below;
    for layer in &network.hidden()[start - 1..] {
        let zl = affine(layer, &current);
        let activation = layer.activation();
        current = zl.map(|v| activation.apply(v));
        z.push(zl);
        h.push(current.clone());
    }
    (z, h)
}

/// Softmax with the maximum subtracted first, so logits of ±1000 stay finite.
pub fn softmax(o: &DVector<f64>) -> DVector<f64> {
    let max = o.max();
    let exp = o.map(|v| (v - max).exp());
    let sum = exp.sum();
    exp / sum
}

/// L for raw outputs `o`: cross-entropy through log-sum-exp (Eq. 7), or half the squared error.
pub fn loss(objective: &Objective, o: &DVector<f64>) -> f64 {
    match objective {
        Objective::SoftmaxCrossEntropy { label } => {
            let max = o.max();
            // (max − o_y) first: adding ln Σ to max itself would round it away at |o| ~ 1e5.
            (max - o[label - 1]) + o.map(|v| (v - max).exp()).sum().ln()
        }
        Objective::Mse { target } => 0.5 * (o - target).norm_squared(),
    }
}

pub fn forward(network: &Network) -> Forward {
    forward_of(network, network.input(), network.objective())
}

/// The forward pass of another input and objective through the network's layers: one example
/// of a dataset, without a copy of the weights.
pub fn forward_of(network: &Network, input: &DVector<f64>, objective: &Objective) -> Forward {
    let (z, h) = hidden_from(network, 1, input.clone());
    // A lesson has at least one hidden layer; without one the output would read x itself.
    let last = h.last().unwrap_or(input);
    let o = affine(network.output(), last);
    let o_hat = network.is_softmax().then(|| softmax(&o));
    let loss = loss(objective, &o);
    Forward { z, h, o, o_hat, loss }
}
