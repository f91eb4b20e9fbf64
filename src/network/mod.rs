//! The network model (DESIGN.md §1–§2): a feed-forward network with its input and what it
//! should output, the activations, and the pure maths of the forward and backward pass. The
//! bottom layer of the crate: `lesson` builds a [`Network`] from a file, `engine` and `plan`
//! compute and describe on top of it, and nothing here imports from above.

mod activation;
pub mod backward;
pub mod forward;
pub mod steps;

pub use activation::{Activation, LEAKY_SLOPE};

use crate::quantity::{Quantity, QuantityRef};
use crate::value::Shape;
use nalgebra::{DMatrix, DVector};

#[derive(Debug, Clone, PartialEq)]
pub struct Network {
    input: DVector<f64>,
    hidden: Vec<Layer>,
    output: Layer,
    objective: Objective,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Layer {
    weights: DMatrix<f64>,
    bias: Option<DVector<f64>>,
    activation: Activation,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Objective {
    /// The true class, 1-based as in the notes.
    SoftmaxCrossEntropy {
        label: usize,
    },
    Mse {
        target: DVector<f64>,
    },
}

impl Network {
    /// Only `lesson`'s validation makes a network, after checking every rule of DESIGN.md §1:
    /// the shapes chain, every number is finite, the label is a class.
    pub(crate) fn new(input: DVector<f64>, hidden: Vec<Layer>, output: Layer, objective: Objective) -> Self {
        Network { input, hidden, output, objective }
    }

    pub fn input(&self) -> &DVector<f64> {
        &self.input
    }
    /// Hidden layers 1..=K (index 0 is layer 1).
    pub fn hidden(&self) -> &[Layer] {
        &self.hidden
    }
    /// K, the number of hidden layers.
    pub fn depth(&self) -> usize {
        self.hidden.len()
    }
    /// Hidden layer `l`, 1-based as in the notes.
    pub fn layer(&self, l: usize) -> &Layer {
        &self.hidden[l - 1]
    }
    pub fn output(&self) -> &Layer {
        &self.output
    }
    pub fn objective(&self) -> &Objective {
        &self.objective
    }
    pub fn outputs(&self) -> usize {
        self.output.units()
    }
    pub fn is_softmax(&self) -> bool {
        matches!(self.objective, Objective::SoftmaxCrossEntropy { .. })
    }
    pub fn has_bias(&self) -> bool {
        self.hidden.iter().chain([&self.output]).any(|layer| layer.bias.is_some())
    }

    /// Units of layer `l`, with layer 0 the input x.
    pub fn units(&self, l: usize) -> usize {
        if l == 0 { self.input.len() } else { self.layer(l).units() }
    }

    /// The shape of a quantity this network has (SPEC §2).
    pub fn shape(&self, quantity: Quantity) -> Shape {
        let k = self.depth();
        match quantity {
            Quantity::Loss => Shape::Scalar,
            Quantity::X => Shape::Vector(self.units(0)),
            Quantity::Z(l) | Quantity::H(l) | Quantity::DlDh(l) | Quantity::DlDb(l) => {
                Shape::Vector(self.units(l))
            }
            Quantity::O | Quantity::OHat | Quantity::DlDo | Quantity::DlDbo => Shape::Vector(self.outputs()),
            Quantity::DlDwo | Quantity::DoDh(_) => Shape::Matrix(self.outputs(), self.units(k)),
            Quantity::DlDw(l) | Quantity::DzDh(l) | Quantity::DhDh(l) => {
                Shape::Matrix(self.units(l), self.units(l - 1))
            }
            Quantity::DhDz(l) => Shape::Matrix(self.units(l), self.units(l)),
        }
    }

    /// Whether `reference` names a quantity of this network and, if it names an entry, one
    /// within its shape.
    pub fn has_ref(&self, reference: &QuantityRef) -> bool {
        self.has(reference.quantity)
            && match (self.shape(reference.quantity), reference.index.as_slice()) {
                (_, []) => true,
                (Shape::Vector(n), [i]) => *i <= n,
                (Shape::Matrix(r, c), [i, j]) => *i <= r && *j <= c,
                _ => false,
            }
    }

    /// The same network with every input entry, weight and bias passed through `jitter`: a
    /// nearby network, for checking that a formula holds beyond the lesson's numbers. The
    /// caller keeps the numbers finite.
    pub(crate) fn jittered(&self, mut jitter: impl FnMut(f64) -> f64) -> Network {
        let mut layer = |layer: &Layer| Layer {
            weights: layer.weights.map(&mut jitter),
            bias: layer.bias.as_ref().map(|b| b.map(&mut jitter)),
            activation: layer.activation,
        };
        let hidden = self.hidden.iter().map(&mut layer).collect();
        let output = layer(&self.output);
        Network { input: self.input.map(&mut jitter), hidden, output, objective: self.objective.clone() }
    }

    /// Adds `delta` to entry `entry` (row-major) of the parameter whose gradient is
    /// `gradient` (∂L/∂W(l), ∂L/∂b(o), …). For finite differences only: the tiny finite nudge
    /// keeps the network valid.
    pub(crate) fn nudge(&mut self, gradient: Quantity, entry: usize, delta: f64) {
        let layer = match gradient {
            Quantity::DlDwo | Quantity::DlDbo => &mut self.output,
            Quantity::DlDw(l) | Quantity::DlDb(l) => &mut self.hidden[l - 1],
            _ => return,
        };
        match gradient {
            Quantity::DlDwo | Quantity::DlDw(_) => {
                let columns = layer.weights.ncols();
                layer.weights[(entry / columns, entry % columns)] += delta;
            }
            _ => {
                if let Some(bias) = layer.bias.as_mut() {
                    bias[entry] += delta;
                }
            }
        }
    }

    /// Whether `quantity` is defined for this network (SPEC §2).
    pub fn has(&self, quantity: Quantity) -> bool {
        let k = self.depth();
        quantity.exists_in(k, self.is_softmax(), |l| {
            if l == k + 1 { self.output.bias.is_some() } else { self.layer(l).bias.is_some() }
        })
    }
}

impl Layer {
    pub(crate) fn new(weights: DMatrix<f64>, bias: Option<DVector<f64>>, activation: Activation) -> Self {
        Layer { weights, bias, activation }
    }

    pub fn weights(&self) -> &DMatrix<f64> {
        &self.weights
    }
    pub fn bias(&self) -> Option<&DVector<f64>> {
        self.bias.as_ref()
    }
    pub fn activation(&self) -> Activation {
        self.activation
    }
    pub fn units(&self) -> usize {
        self.weights.nrows()
    }
}
