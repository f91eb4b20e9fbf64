//! The network model (DESIGN.md §1–§2): a feed-forward network with its input and what it
//! should output, the activations, and the pure maths of the forward and backward pass. The
//! bottom layer of the crate: `lesson` builds a [`Network`] from a file, `engine` and `plan`
//! compute and describe on top of it, and nothing here imports from above.

mod activation;
pub mod backward;
pub mod forward;
pub mod steps;
pub mod training;

pub use activation::{Activation, LEAKY_SLOPE};
pub use training::{Example, Reduction, Training};

use crate::quantity::{Quantity, QuantityRef};
use crate::value::Shape;
use nalgebra::{DMatrix, DVector};

/// The input and objective are those of the lesson's one example, or of example 1 of its
/// dataset (DESIGN.md §8), whose other examples `training` holds.
#[derive(Debug, Clone, PartialEq)]
pub struct Network {
    input: DVector<f64>,
    hidden: Vec<Layer>,
    output: Layer,
    objective: Objective,
    training: Option<Box<Training>>,
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
        Network { input, hidden, output, objective, training: None }
    }

    /// The same network with a dataset (whose first example must be the network's own input
    /// and objective) or a learning rate, as validation has checked them.
    pub(crate) fn with_training(self, training: Training) -> Self {
        Network { training: Some(Box::new(training)), ..self }
    }

    /// How many examples `[[data]]` gives; `None` for a lesson with one example of its own.
    pub fn dataset_size(&self) -> Option<usize> {
        self.training.as_ref()?.dataset.as_ref().map(Vec::len)
    }
    /// N: how many examples the loss is taken over (1 without a dataset).
    pub fn example_count(&self) -> usize {
        self.dataset_size().unwrap_or(1)
    }
    /// η, when the lesson takes a gradient-descent step (`[train]`).
    pub fn learning_rate(&self) -> Option<f64> {
        self.training.as_ref()?.learning_rate
    }
    /// How the examples' losses make the total.
    pub fn reduction(&self) -> Reduction {
        self.training.as_ref().map_or(Reduction::Sum, |t| t.reduction)
    }

    /// Example `n` (1-based) alone: the network with its input and objective and no training,
    /// whose pass gives that example's quantities. Without a dataset, example 1 is the
    /// network's own.
    pub fn example(&self, n: usize) -> Network {
        let dataset = self.training.as_ref().and_then(|t| t.dataset.as_ref());
        match dataset.and_then(|examples| examples.get(n.wrapping_sub(1))) {
            Some(example) => self.example_of(example),
            None => Network { training: None, ..self.clone() },
        }
    }

    /// The objective of example `n` (1-based); the network's own without a dataset.
    pub fn objective_of(&self, n: usize) -> &Objective {
        let dataset = self.training.as_ref().and_then(|t| t.dataset.as_ref());
        dataset.and_then(|examples| examples.get(n.wrapping_sub(1))).map_or(&self.objective, |e| &e.objective)
    }

    /// The network's layers with `example` as their one example.
    pub(crate) fn example_of(&self, example: &Example) -> Network {
        Network {
            input: example.input.clone(),
            hidden: self.hidden.clone(),
            output: self.output.clone(),
            objective: example.objective.clone(),
            training: None,
        }
    }

    /// How many weights and biases the network has.
    pub fn parameter_count(&self) -> usize {
        let layers = self.hidden.iter().chain([&self.output]);
        layers.map(|layer| layer.weights.len() + layer.bias.as_ref().map_or(0, |b| b.len())).sum()
    }

    /// The same network, examples and training with new weights and biases: `parameters(l,
    /// layer)` gives them for hidden layer l = 1..=K, and l = K + 1 for the output layer. The
    /// caller keeps the shapes.
    pub(crate) fn with_parameters(
        &self,
        mut parameters: impl FnMut(usize, &Layer) -> (DMatrix<f64>, Option<DVector<f64>>),
    ) -> Network {
        let mut layer = |l: usize, layer: &Layer| {
            let (weights, bias) = parameters(l, layer);
            Layer { weights, bias, activation: layer.activation }
        };
        let hidden = self.hidden.iter().enumerate().map(|(i, h)| layer(i + 1, h)).collect();
        let output = layer(self.depth() + 1, &self.output);
        Network { hidden, output, ..self.clone() }
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
            Quantity::WNew(l) => self.shape(Quantity::DlDw(l)),
            Quantity::WoNew => self.shape(Quantity::DlDwo),
            Quantity::BNew(l) => self.shape(Quantity::DlDb(l)),
            Quantity::BoNew => self.shape(Quantity::DlDbo),
            Quantity::LossNew => Shape::Scalar,
        }
    }

    /// Whether `quantity` of `example` is a name of this lesson (DESIGN.md §8): without a
    /// dataset, no name has an example; with one, every quantity of the pass is one example's
    /// (`z1#2`), and the totals and the update belong to the whole dataset (`dL_dW1`,
    /// `W1_new`).
    pub fn has_name(&self, quantity: Quantity, example: Option<usize>) -> bool {
        self.has(quantity)
            && match (self.dataset_size(), example) {
                (None, example) => example.is_none(),
                (Some(n), Some(e)) => (1..=n).contains(&e) && !quantity.is_update(),
                (Some(_), None) => quantity.is_update() || quantity.has_total(),
            }
    }

    /// Why `quantity` of `example` is no name of this lesson, when the quantity itself is one
    /// it has: a `#n` where there is no dataset or no example n, none where one is needed, or
    /// one on a total or an update.
    pub fn misnamed(&self, quantity: Quantity, example: Option<usize>) -> Option<String> {
        if !self.has(quantity) || self.has_name(quantity, example) {
            return None;
        }
        let name = QuantityRef::named(quantity, None);
        Some(match (self.dataset_size(), example) {
            (None, Some(n)) => {
                format!("this lesson has one example, not a dataset: write {name}, without #{n}")
            }
            (Some(_), Some(_)) if quantity.is_update() => {
                format!("{name} belongs to the whole dataset: write it without an example number")
            }
            (Some(count), Some(n)) => {
                format!("there is no example {n}: the lesson's [[data]] has {count} (#1 to #{count})")
            }
            (Some(count), None) => format!(
                "{name} is one example's in this dataset lesson: write {name}#1 … {name}#{count} (only the \
                 loss and the weight and bias gradients have totals without #)"
            ),
            (None, None) => return None,
        })
    }

    /// Whether `reference` names a quantity of this network and, if it names an entry, one
    /// within its shape.
    pub fn has_ref(&self, reference: &QuantityRef) -> bool {
        self.has_name(reference.quantity, reference.example)
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
        let input = self.input.map(&mut jitter);
        let training = self.training.as_ref().map(|training| {
            // Example 1 is the network's own input: jittered once, the same in both places.
            let dataset = training.dataset.as_ref().map(|examples| {
                let mut examples = examples.clone();
                for (n, example) in examples.iter_mut().enumerate() {
                    example.input = if n == 0 { input.clone() } else { example.input.map(&mut jitter) };
                }
                examples
            });
            Box::new(Training { dataset, ..(**training).clone() })
        });
        Network { input, hidden, output, objective: self.objective.clone(), training }
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
        quantity.exists_in(k, self.is_softmax(), self.learning_rate().is_some(), |l| {
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
