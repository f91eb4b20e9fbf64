//! Every named quantity of a lesson (DESIGN.md §2), computed once from the network's forward
//! and backward pass, and the finite-difference check of its gradients. Pure functions of the
//! network; nothing here knows about steps, answers or screens.

pub mod gradcheck;
pub mod training;

use crate::network::backward::{self, Gradients};
use crate::network::forward::{self, Forward};

use crate::network::Network;
use crate::network::steps::examples;
use crate::quantity::{Quantity, QuantityRef};
use crate::value::Value;
use nalgebra::{DMatrix, DVector};

/// Every quantity of one lesson's network, computed once.
#[derive(Debug, Clone, PartialEq)]
pub struct Solution {
    network: Network,
    /// The pass of the network's own example: with a dataset, example 1's.
    pub forward: Forward,
    pub gradients: Gradients,
    /// f'(z(l)) for l = 1..=K.
    pub gates: Vec<DVector<f64>>,
    /// Every example, the totals and the update, for a lesson with a dataset or `[train]`.
    trained: Option<Box<training::Trained>>,
}

impl Solution {
    pub fn new(network: &Network) -> Self {
        Solution::owning(network.clone())
    }

    /// [`Solution::new`] of a network the caller has done with: kept, not copied (a wide
    /// lesson's weights are most of `solve`'s peak memory, issue 16).
    pub fn owning(network: Network) -> Self {
        let forward = forward::forward(&network);
        let gradients = backward::backward(&network, &forward);
        let gates = (1..=network.depth()).map(|l| backward::layer_gate(&network, &forward, l)).collect();
        let trained = training::Trained::new(&network, &forward, &gradients).map(Box::new);
        Solution { network, forward, gradients, gates, trained }
    }

    pub fn network(&self) -> &Network {
        &self.network
    }

    /// The examples, totals and update of a lesson that has a dataset or trains.
    pub fn trained(&self) -> Option<&training::Trained> {
        self.trained.as_deref()
    }

    /// The solution whose own pass holds the quantities of `example`: example n's of a dataset,
    /// else this one (whose pass is the lesson's one example). Formulas of Steps 0–4 are
    /// evaluated on it.
    pub fn pass(&self, example: Option<usize>) -> &Solution {
        match (example, &self.trained) {
            (Some(n), Some(trained)) => trained.example(n).unwrap_or(self),
            _ => self,
        }
    }

    /// Every name of the lesson (DESIGN.md §2, §8), in the order of the walkthrough: each
    /// example's forward pass, gradients from the output down and Jacobians; then a dataset's
    /// totals; then the update.
    pub fn names(&self) -> Vec<QuantityRef> {
        Solution::names_of(&self.network)
    }

    /// Whether every value of the forward and backward pass (of every example, and of the
    /// update) is a finite number.
    pub fn is_finite(&self) -> bool {
        let (f, g) = (&self.forward, &self.gradients);
        let finite = |v: &[f64]| v.iter().all(|x| x.is_finite());
        self.trained.as_ref().is_none_or(|t| t.is_finite())
            && f.loss.is_finite()
            && finite(f.o.as_slice())
            && f.z.iter().chain(&f.h).chain(&g.dl_dh).all(|v| finite(v.as_slice()))
            && finite(g.dl_do.as_slice())
            && finite(g.dl_dwo.as_slice())
            && g.dl_dw.iter().all(|m| finite(m.as_slice()))
    }

    /// [`Solution::names`] of any network.
    pub fn names_of(network: &Network) -> Vec<QuantityRef> {
        let pass = Solution::pass_names(network);
        let mut names: Vec<QuantityRef> = examples(network)
            .into_iter()
            .flat_map(|example| pass.iter().map(move |&q| QuantityRef::named(q, example)))
            .collect();
        let k = network.depth();
        let mut lesson = Vec::new();
        if network.dataset_size().is_some() {
            lesson.extend([Quantity::Loss, Quantity::DlDwo, Quantity::DlDbo]);
            for l in (1..=k).rev() {
                lesson.extend([Quantity::DlDw(l), Quantity::DlDb(l)]);
            }
        }
        for l in 1..=k {
            lesson.extend([Quantity::WNew(l), Quantity::BNew(l)]);
        }
        lesson.extend([Quantity::WoNew, Quantity::BoNew, Quantity::LossNew]);
        names.extend(lesson.into_iter().filter(|&q| network.has_name(q, None)).map(QuantityRef::from));
        names
    }

    /// The quantities of one example's pass, in walkthrough order.
    pub fn pass_names(network: &Network) -> Vec<Quantity> {
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
    pub fn quantities(&self) -> Vec<(QuantityRef, Value)> {
        self.names().into_iter().filter_map(|q| self.value_of(&q).map(|v| (q, v))).collect()
    }

    /// The value of the name `quantity` (no `#n`), or `None` where the lesson has no such name:
    /// the pass's own value, or with a dataset a total, or an update.
    pub fn value(&self, quantity: Quantity) -> Option<Value> {
        if !self.network.has_name(quantity, None) {
            return None;
        }
        if let Some(value) = self.trained.as_ref().and_then(|t| t.value(&self.network, quantity)) {
            return Some(value);
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
            // Computed by `training`, above.
            Quantity::WNew(_) | Quantity::WoNew | Quantity::BNew(_) | Quantity::BoNew | Quantity::LossNew => {
                None
            }
        }
    }

    /// The value of a name (a quantity, of an example where it has one) or of one of its
    /// entries.
    pub fn value_of(&self, reference: &QuantityRef) -> Option<Value> {
        let whole = match reference.example {
            Some(n) if self.network.has_name(reference.quantity, Some(n)) => {
                self.pass(Some(n)).value(reference.quantity)?
            }
            Some(_) => return None,
            None => self.value(reference.quantity)?,
        };
        if reference.index.is_empty() {
            return Some(whole);
        }
        whole.entry(&reference.index).map(Value::Scalar)
    }
}
