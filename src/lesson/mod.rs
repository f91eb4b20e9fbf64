//! Lessons: the file format, its validation and where lessons come from. A [`Lesson`] can only
//! be made by validating a [`LessonFile`], so every `Lesson` in the program is well-formed.

pub mod format;
mod load;
mod position;
pub mod shipped;
mod validate;

pub use format::{Activation, LessonFile, LossKind};
pub use load::{LessonError, Source, load_lesson, parse_lesson, read_lesson};
pub use position::position_of;
pub use validate::{Invalid, Key, LINT_IDS, MAX_HIDDEN_LAYERS, MAX_UNITS, MAX_WEIGHTS};

use crate::quantity::{Quantity, QuantityRef};
use crate::value::Shape;
use nalgebra::{DMatrix, DVector};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq)]
pub struct Lesson {
    title: String,
    description: Option<String>,
    network: Network,
    tolerances: Tolerances,
    ask: Option<Vec<Ask>>,
    lint_allow: Vec<String>,
    /// A stable hash of the source text: progress is saved per lesson content.
    fingerprint: u64,
}

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

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tolerance {
    pub rtol: f64,
    pub atol: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Tolerances {
    pub default: Tolerance,
    pub per_quantity: BTreeMap<QuantityRef, Tolerance>,
}

/// One item of a lesson's `[steps] ask` list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ask {
    Forward,
    Step(String),
    Quantity(QuantityRef),
}

impl Tolerance {
    pub const DEFAULT: Tolerance = Tolerance { rtol: 0.01, atol: 0.001 };

    pub fn accepts(self, given: f64, expected: f64) -> bool {
        (given - expected).abs() <= self.atol + self.rtol * expected.abs()
    }
}

impl Tolerances {
    pub fn for_quantity(&self, quantity: &QuantityRef) -> Tolerance {
        let whole = QuantityRef::from(quantity.quantity);
        self.per_quantity
            .get(quantity)
            .or_else(|| self.per_quantity.get(&whole))
            .copied()
            .unwrap_or(self.default)
    }
}

impl Lesson {
    pub fn title(&self) -> &str {
        &self.title
    }
    pub fn description(&self) -> Option<&str> {
        self.description.as_deref()
    }
    pub fn network(&self) -> &Network {
        &self.network
    }
    pub fn tolerances(&self) -> &Tolerances {
        &self.tolerances
    }
    /// The lesson's own choice of what to ask, if it makes one (`[steps] ask`).
    pub fn ask(&self) -> Option<&[Ask]> {
        self.ask.as_deref()
    }
    pub fn lint_allow(&self) -> &[String] {
        &self.lint_allow
    }
    /// A stable hash of the lesson's source text.
    pub fn fingerprint(&self) -> u64 {
        self.fingerprint
    }
}

impl Network {
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
