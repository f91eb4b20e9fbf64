//! The one place that computes a lesson's training quantities (DESIGN.md §8): every example's
//! pass of a dataset, the totals over them (Eq. 2), the weights after one step of gradient
//! descent (§1.3, step 4) and the loss with those weights, and their check against finite
//! differences of the total loss.

use super::Solution;
use super::gradcheck::Comparison;
use crate::network::Network;
use crate::network::backward::Gradients;
use crate::network::forward::Forward;
use crate::network::training::{Totals, descend, forward_all, totals};
use crate::quantity::Quantity;
use crate::value::Value;

/// What a lesson with a dataset or a learning rate computes beyond its one pass.
#[derive(Debug, Clone, PartialEq)]
pub struct Trained {
    /// Each example's own solution, for a dataset; empty without one, where the lesson's pass
    /// is the one example.
    examples: Vec<Solution>,
    totals: Totals,
    update: Option<Update>,
}

/// The step of gradient descent and what it leads to.
#[derive(Debug, Clone, PartialEq)]
pub struct Update {
    /// The network with the updated weights and biases (and the same examples).
    pub network: Network,
    /// Each example's forward pass with them.
    pub passes: Vec<Forward>,
    /// The total loss with them.
    pub loss: f64,
}

impl Trained {
    /// `None` for a lesson that neither has a dataset nor trains. `forward` and `gradients`
    /// are the pass of the network's own (first) example.
    pub(super) fn new(network: &Network, forward: &Forward, gradients: &Gradients) -> Option<Trained> {
        if network.dataset_size().is_none() && network.learning_rate().is_none() {
            return None;
        }
        let examples: Vec<Solution> = match network.dataset_size() {
            Some(n) => (1..=n).map(|n| Solution::new(&network.example(n))).collect(),
            None => Vec::new(),
        };
        let passes: Vec<(f64, &Gradients)> = if examples.is_empty() {
            vec![(forward.loss, gradients)]
        } else {
            examples.iter().map(|s| (s.forward.loss, &s.gradients)).collect()
        };
        let totals = totals(network.reduction(), &passes);
        let update = network.learning_rate().map(|eta| {
            let after = descend(network, &totals, eta);
            let (passes, loss) = forward_all(&after);
            Update { network: after, passes, loss }
        });
        Some(Trained { examples, totals, update })
    }

    /// Example `n`'s solution (1-based), for a dataset.
    pub fn example(&self, n: usize) -> Option<&Solution> {
        self.examples.get(n.wrapping_sub(1))
    }

    pub fn examples(&self) -> &[Solution] {
        &self.examples
    }

    /// The loss and the weight and bias gradients over every example.
    pub fn totals(&self) -> &Totals {
        &self.totals
    }

    pub fn update(&self) -> Option<&Update> {
        self.update.as_ref()
    }

    /// The value of a name of the whole lesson: an update, or (with a dataset) a total.
    /// `None` for every other name, whose value is a pass's own.
    pub(super) fn value(&self, network: &Network, quantity: Quantity) -> Option<Value> {
        let matrix = |m: &nalgebra::DMatrix<f64>| Some(Value::Matrix(m.clone()));
        let vector = |v: Option<&nalgebra::DVector<f64>>| v.map(|v| Value::Vector(v.clone()));
        if let Some(update) = &self.update {
            let after = &update.network;
            match quantity {
                Quantity::WNew(l) => return matrix(after.layer(l).weights()),
                Quantity::WoNew => return matrix(after.output().weights()),
                Quantity::BNew(l) => return vector(after.layer(l).bias()),
                Quantity::BoNew => return vector(after.output().bias()),
                Quantity::LossNew => return Some(Value::Scalar(update.loss)),
                _ => {}
            }
        }
        // Without a dataset the totals are the one pass's own gradients.
        network.dataset_size()?;
        let t = &self.totals;
        match quantity {
            Quantity::Loss => Some(Value::Scalar(t.loss)),
            Quantity::DlDwo => matrix(&t.dl_dwo),
            Quantity::DlDbo => vector(t.dl_dbo.as_ref()),
            Quantity::DlDw(l) => matrix(t.dl_dw.get(l - 1)?),
            Quantity::DlDb(l) => vector(t.dl_db.get(l - 1)?.as_ref()),
            _ => None,
        }
    }

    /// Whether every number computed here is finite.
    pub(super) fn is_finite(&self) -> bool {
        let finite = |v: &[f64]| v.iter().all(|x| x.is_finite());
        let t = &self.totals;
        self.examples.iter().all(Solution::is_finite)
            && t.loss.is_finite()
            && finite(t.dl_dwo.as_slice())
            && t.dl_dw.iter().all(|m| finite(m.as_slice()))
            && self.update.as_ref().is_none_or(|u| {
                u.loss.is_finite()
                    && u.network
                        .hidden()
                        .iter()
                        .chain([u.network.output()])
                        .all(|l| finite(l.weights().as_slice()))
            })
    }
}

/// The total gradients of a dataset against centered finite differences of the total loss
/// (the sum or mean of every example's), entry by entry, on `gradcheck`'s sample of a large
/// quantity. Entries where a nudge moves some example's ReLU-like unit across its kink are
/// left out, as `gradcheck` does.
pub fn check_totals(solution: &Solution) -> Vec<Comparison> {
    let network = solution.network();
    let Some(trained) = solution.trained() else { return Vec::new() };
    if network.dataset_size().is_none() {
        return Vec::new();
    }
    let base: Vec<&Solution> = trained.examples.iter().collect();
    super::gradcheck::parameter_gradients(network)
        .into_iter()
        .filter(|&quantity| solution.value(quantity).is_some())
        // Each estimate costs two passes of every example: large totals are sampled too.
        .map(|quantity| {
            super::gradcheck::nudged(solution, quantity, |copy| {
                let (passes, loss) = forward_all(copy);
                (loss, same_gates(network, &base, &passes))
            })
        })
        .collect()
}

/// Whether every kinked unit of every example stayed on its side of 0.
fn same_gates(network: &Network, base: &[&Solution], passes: &[Forward]) -> bool {
    base.iter().zip(passes).all(|(base, pass)| {
        (1..=network.depth()).all(|l| {
            !network.layer(l).activation().has_kink()
                || pass.z[l - 1]
                    .iter()
                    .zip(base.forward.z[l - 1].iter())
                    .all(|(a, b)| (*a > 0.0) == (*b > 0.0))
        })
    })
}
