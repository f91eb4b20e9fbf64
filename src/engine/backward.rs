//! The backward pass in the notes' matrix view (Eq. 60, 65, 69, 75, 79), for any depth.

use super::forward::Forward;
use crate::lesson::{Network, Objective};
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

/// f'(z(l)) for every unit of hidden layer `l` (1-based): the diagonal of ∂h(l)/∂z(l).
pub fn gate(network: &Network, forward: &Forward, l: usize) -> DVector<f64> {
    let activation = network.layer(l).activation();
    forward.z[l - 1].map(|z| activation.derivative(z))
}

pub fn backward(network: &Network, forward: &Forward) -> Gradients {
    let k = network.depth();
    // Step 1 (Eq. 60): ô − e_y; for mse, o − t.
    let dl_do = match network.objective() {
        Objective::SoftmaxCrossEntropy { label } => {
            let mut g = forward.o_hat.clone().expect("softmax lessons have ô");
            g[label - 1] -= 1.0;
            g
        }
        Objective::Mse { target } => &forward.o - target,
    };
    // Step 2A (Eq. 65) and 2B (Eq. 69). Vectors are columns here; the notes' row vectors are
    // their transposes, so ∂L/∂o · W(o) is W(o)ᵀ ∂L/∂o.
    let output = network.output();
    let mut dl_dh = vec![DVector::zeros(0); k];
    dl_dh[k - 1] = output.weights().tr_mul(&dl_do);
    let dl_dwo = &dl_do * forward.h[k - 1].transpose();
    let dl_dbo = output.bias().map(|_| dl_do.clone());

    // Steps 3A/3B for l = K..2 (Eq. 75, 79) and Step 4 for l = 1: the gated gradient
    // diag(f'(z(l))) (∂L/∂h(l))ᵀ gives ∂L/∂b(l), ∂L/∂W(l) and ∂L/∂h(l−1).
    let mut dl_dw = vec![DMatrix::zeros(0, 0); k];
    let mut dl_db = vec![None; k];
    for l in (1..=k).rev() {
        let gated = dl_dh[l - 1].component_mul(&gate(network, forward, l));
        let below = if l == 1 { network.input() } else { &forward.h[l - 2] };
        dl_dw[l - 1] = &gated * below.transpose();
        if network.layer(l).bias().is_some() {
            dl_db[l - 1] = Some(gated.clone());
        }
        if l > 1 {
            dl_dh[l - 2] = network.layer(l).weights().tr_mul(&gated);
        }
    }
    Gradients { dl_do, dl_dh, dl_dwo, dl_dbo, dl_dw, dl_db }
}
