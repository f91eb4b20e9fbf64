//! The backward pass in the notes' matrix view (Eq. 60, 65, 69, 75, 79), for any depth.
//!
//! Each step's maths is a small function of the values it reads, so that grading
//! (`answer::method`) can run one step on other values (a learner's earlier answers, or with one
//! ingredient swapped for a known mistake) with exactly the arithmetic of the engine.
//! Vectors are columns here; the notes' row vectors are their transposes, so ∂L/∂o · W(o) is
//! W(o)ᵀ ∂L/∂o.

use super::forward::Forward;
use crate::network::{Activation, Network, Objective};
use nalgebra::{DMatrix, DVector};

#[derive(Debug, Clone, PartialEq)]
pub struct Gradients {
    pub dl_do: DVector<f64>,
    /// ∂L/∂h(l) for l = 1..=K (index 0 is layer 1).
    pub dl_dh: Vec<DVector<f64>>,
    pub dl_dwo: DMatrix<f64>,
    pub dl_dbo: Option<DVector<f64>>,
    /// ∂L/∂W(l) for l = 1..=K.
    pub dl_dw: Vec<DMatrix<f64>>,
    /// ∂L/∂b(l) for l = 1..=K, for layers with a bias.
    pub dl_db: Vec<Option<DVector<f64>>>,
}

/// f'(z) for every unit: the diagonal of ∂h/∂z, the layer's gate.
pub fn gate(activation: Activation, z: &DVector<f64>) -> DVector<f64> {
    z.map(|z| activation.derivative(z))
}

/// `v − e_class` with `class` 1-based: Step 1 for softmax cross-entropy with v = ô (Eq. 60).
pub fn minus_onehot(mut v: DVector<f64>, class: usize) -> DVector<f64> {
    v[class - 1] -= 1.0;
    v
}

/// diag(gate) (∂L/∂h)ᵀ: the gradient at z, shared by ∂L/∂W, ∂L/∂b and ∂L/∂h one layer down.
pub fn gated(dl_dh: &DVector<f64>, gate: &DVector<f64>) -> DVector<f64> {
    dl_dh.component_mul(gate)
}

/// The gradient at the layer below from the gradient at this layer's units (∂L/∂o, or the
/// gated ∂L/∂h(l)): Wᵀ times it, Step 2A (Eq. 65) and Step 3A (Eq. 75).
pub fn through_weights(weights: &DMatrix<f64>, at_units: &DVector<f64>) -> DVector<f64> {
    weights.tr_mul(at_units)
}

/// A weight gradient (∂L/∂z)ᵀ (h)ᵀ (Eq. 69, 79): row i for unit i, column j for input j.
pub fn outer(at_units: &DVector<f64>, below: &DVector<f64>) -> DMatrix<f64> {
    at_units * below.transpose()
}

/// ∂h(l)/∂h(l−1) = diag(f'(z(l))) W(l) (Eq. 35, 38): row i of W(l) scaled by f'(z(l)ᵢ).
///
/// Scaling the rows gives the numbers the matrix product gives, in n² multiplications instead
/// of n³ (805 million for a 512-unit layer, nearly all by zero). Adding +0 makes every zero
/// entry +0, where a closed gate times a negative weight alone would give −0 (the product gives
/// either, depending on the matrix's size).
pub fn gated_weights(gate: &DVector<f64>, weights: &DMatrix<f64>) -> DMatrix<f64> {
    let mut gated = weights.clone();
    // Column by column: nalgebra stores a matrix by columns, so each is contiguous.
    for mut column in gated.column_iter_mut() {
        column.zip_apply(gate, |w, g| *w = gated_weight(g, *w));
    }
    gated
}

/// One entry of [`gated_weights`]: a weight of unit i times f'(z_i), for writing the matrix
/// out without building it.
pub fn gated_weight(gate: f64, weight: f64) -> f64 {
    weight * gate + 0.0
}

/// f'(z(l)) for every unit of hidden layer `l` (1-based), from the forward pass.
pub fn layer_gate(network: &Network, forward: &Forward, l: usize) -> DVector<f64> {
    gate(network.layer(l).activation(), &forward.z[l - 1])
}

pub fn backward(network: &Network, forward: &Forward) -> Gradients {
    let k = network.depth();
    // Step 1 (Eq. 60): ô − e_y; for mse, o − t.
    let dl_do = match network.objective() {
        Objective::SoftmaxCrossEntropy { label } => {
            // A softmax lesson's forward pass has ô; computing it again costs nothing here.
            let o_hat = forward.o_hat.clone().unwrap_or_else(|| super::forward::softmax(&forward.o));
            minus_onehot(o_hat, *label)
        }
        Objective::Mse { target } => &forward.o - target,
    };
    // Step 2A (Eq. 65) and 2B (Eq. 69).
    let output = network.output();
    let mut dl_dh = vec![DVector::zeros(0); k];
    dl_dh[k - 1] = through_weights(output.weights(), &dl_do);
    let dl_dwo = outer(&dl_do, &forward.h[k - 1]);
    let dl_dbo = output.bias().map(|_| dl_do.clone());

    // Steps 3A/3B for l = K..2 (Eq. 75, 79) and Step 4 for l = 1.
    let mut dl_dw = vec![DMatrix::zeros(0, 0); k];
    let mut dl_db = vec![None; k];
    for l in (1..=k).rev() {
        let gated = gated(&dl_dh[l - 1], &layer_gate(network, forward, l));
        let below = if l == 1 { network.input() } else { &forward.h[l - 2] };
        dl_dw[l - 1] = outer(&gated, below);
        if l > 1 {
            dl_dh[l - 2] = through_weights(network.layer(l).weights(), &gated);
        }
        if network.layer(l).bias().is_some() {
            dl_db[l - 1] = Some(gated);
        }
    }
    Gradients { dl_do, dl_dh, dl_dwo, dl_dbo, dl_dw, dl_db }
}

#[cfg(test)]
mod tests {
    use super::gated_weights;
    use nalgebra::{DMatrix, DVector};
    use proptest::prelude::*;

    proptest! {
        /// The numbers of the product it replaces, closed gates and negative weights included,
        /// bit for bit once the product's zeros are made +0 too.
        #[test]
        fn scaled_rows_are_the_product_with_the_diagonal(
            (rows, columns, gate, weights) in (1usize..40, 1usize..40).prop_flat_map(|(rows, columns)| {
                let gate = prop::collection::vec(prop_oneof![Just(0.0), Just(1.0), Just(0.01), -2.0..2.0f64], rows);
                let weights = prop::collection::vec(prop_oneof![Just(0.0), Just(-0.0), -1e3..1e3f64], rows * columns);
                (Just(rows), Just(columns), gate, weights)
            })
        ) {
            let gate = DVector::from_vec(gate);
            let weights = DMatrix::from_vec(rows, columns, weights);
            let product = (DMatrix::from_diagonal(&gate) * &weights).map(|x| x + 0.0);
            let bits = |m: &DMatrix<f64>| m.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            prop_assert_eq!(bits(&gated_weights(&gate, &weights)), bits(&product));
        }
    }
}
