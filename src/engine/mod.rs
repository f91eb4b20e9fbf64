//! Every named quantity of a lesson (DESIGN.md §2), computed once from the network's forward
//! and backward pass, and the finite-difference check of its gradients. Pure functions of the
//! network; nothing here knows about steps, answers or screens.

pub mod gradcheck;

use crate::network::backward::{self, Gradients};
use crate::network::forward::{self, Forward};

use crate::network::Network;
use crate::quantity::{Quantity, QuantityRef};
use crate::value::Value;
use nalgebra::{DMatrix, DVector};

/// Every quantity of one lesson's network, computed once.
#[derive(Debug, Clone, PartialEq)]
pub struct Solution {
    network: Network,
    pub forward: Forward,
    pub gradients: Gradients,
    /// f'(z(l)) for l = 1..=K.
    pub gates: Vec<DVector<f64>>,
}

impl Solution {
    pub fn new(network: &Network) -> Self {
        let forward = forward::forward(network);
        let gradients = backward::backward(network, &forward);
        let gates = (1..=network.depth()).map(|l| backward::layer_gate(network, &forward, l)).collect();
        Solution { network: network.clone(), forward, gradients, gates }
    }

    pub fn network(&self) -> &Network {
        &self.network
    }

    /// Every quantity the network has, in the order of the walkthrough: forward pass,
    /// gradients from the output down, then the Jacobians.
    pub fn names(&self) -> Vec<Quantity> {
        Solution::names_of(&self.network)
    }

    /// Whether every value of the forward and backward pass is a finite number.
    pub fn is_finite(&self) -> bool {
        let (f, g) = (&self.forward, &self.gradients);
        let finite = |v: &[f64]| v.iter().all(|x| x.is_finite());
        f.loss.is_finite()
            && finite(f.o.as_slice())
            && f.z.iter().chain(&f.h).chain(&g.dl_dh).all(|v| finite(v.as_slice()))
            && finite(g.dl_do.as_slice())
            && finite(g.dl_dwo.as_slice())
            && g.dl_dw.iter().all(|m| finite(m.as_slice()))
    }

    /// [`Solution::names`] of any network.
    pub fn names_of(network: &Network) -> Vec<Quantity> {
        let k = network.depth();
        let mut names = vec![Quantity::X];
        for l in 1..=k {
            names.extend([Quantity::Z(l), Quantity::H(l)]);
        }
        names.extend([Quantity::O, Quantity::OHat, Quantity::Loss, Quantity::DlDo]);
        names.extend((1..=k).rev().map(Quantity::DlDh));
        names.extend([Quantity::DlDwo, Quantity::DlDbo]);
        for l in (1..=k).rev() {
            names.extend([Quantity::DlDw(l), Quantity::DlDb(l)]);
        }
        names.push(Quantity::DoDh(k));
        for l in (1..=k).rev() {
            names.extend([Quantity::DhDz(l), Quantity::DzDh(l), Quantity::DhDh(l)]);
        }
        names.retain(|&q| network.has(q));
        names
    }

    /// Every quantity with its value, in the order of [`Solution::names`].
    pub fn quantities(&self) -> Vec<(Quantity, Value)> {
        self.names().into_iter().filter_map(|q| self.value(q).map(|v| (q, v))).collect()
    }

    /// The value of a quantity, or `None` where this network does not have it.
    pub fn value(&self, quantity: Quantity) -> Option<Value> {
        if !self.network.has(quantity) {
            return None;
        }
        let (f, g, n) = (&self.forward, &self.gradients, &self.network);
        let vector = |v: &DVector<f64>| Some(Value::Vector(v.clone()));
        let matrix = |m: &DMatrix<f64>| Some(Value::Matrix(m.clone()));
        match quantity {
            Quantity::X => vector(n.input()),
            Quantity::Z(l) => vector(&f.z[l - 1]),
            Quantity::H(l) => vector(&f.h[l - 1]),
            Quantity::O => vector(&f.o),
            Quantity::OHat => f.o_hat.as_ref().and_then(vector),
            Quantity::Loss => Some(Value::Scalar(f.loss)),
            Quantity::DlDo => vector(&g.dl_do),
            Quantity::DlDh(l) => vector(&g.dl_dh[l - 1]),
            Quantity::DlDwo => matrix(&g.dl_dwo),
            Quantity::DlDbo => g.dl_dbo.as_ref().and_then(vector),
            Quantity::DlDw(l) => matrix(&g.dl_dw[l - 1]),
            Quantity::DlDb(l) => g.dl_db[l - 1].as_ref().and_then(vector),
            Quantity::DoDh(_) => matrix(n.output().weights()),
            // Built here, so moved into the value rather than cloned.
            Quantity::DhDz(l) => Some(Value::Matrix(DMatrix::from_diagonal(&self.gates[l - 1]))),
            Quantity::DzDh(l) => matrix(n.layer(l).weights()),
            Quantity::DhDh(l) => {
                Some(Value::Matrix(backward::gated_weights(&self.gates[l - 1], n.layer(l).weights())))
            }
        }
    }

    /// The value of a quantity or of one of its entries.
    pub fn value_of(&self, reference: &QuantityRef) -> Option<Value> {
        let whole = self.value(reference.quantity)?;
        if reference.index.is_empty() {
            return Some(whole);
        }
        whole.entry(&reference.index).map(Value::Scalar)
    }
}
