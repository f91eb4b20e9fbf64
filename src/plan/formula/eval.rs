//! Evaluating a formula on a set of values: the lesson's own (the truth), or the learner's
//! answers standing in for some of them (error carried forward, and the known mistakes made
//! from them).

use super::{Formula, NotesNumber, Slope, Term, WeightLayer};
use crate::network::Network;
use crate::network::forward::softmax;
use crate::quantity::Quantity;
use crate::value::{Shape, Value};
use nalgebra::{Const, DMatrix, DVector, Dyn};

/// A matrix under evaluation. A gate stays a diagonal, so that diag(f'(z)) · W scales rows
/// rather than multiplying a dense n×n matrix (a layer may have 1024 units).
#[derive(Debug, Clone, PartialEq)]
pub enum Matrix {
    Dense(DMatrix<f64>),
    Diagonal(DVector<f64>),
}

/// Where a formula's terms get their numbers.
pub trait Values {
    fn network(&self) -> &Network;
    /// A quantity's value as the engine keeps it (vectors unoriented); `None` where there is
    /// none.
    fn quantity(&self, quantity: Quantity) -> Option<Value>;

    /// A quantity of example `n` of a dataset, as the totals read it; `None` where there is
    /// none.
    fn example(&self, quantity: Quantity, n: usize) -> Option<Value> {
        let _ = (quantity, n);
        None
    }
}

impl Matrix {
    /// (rows, columns).
    pub fn shape(&self) -> (usize, usize) {
        match self {
            Matrix::Dense(m) => m.shape(),
            Matrix::Diagonal(d) => (d.len(), d.len()),
        }
    }

    pub fn rows(&self) -> usize {
        self.shape().0
    }

    /// The entry at (row, column), 0-based.
    pub fn get(&self, r: usize, c: usize) -> Option<f64> {
        match self {
            Matrix::Dense(m) => m.get((r, c)).copied(),
            Matrix::Diagonal(d) if r == c => d.get(r).copied(),
            Matrix::Diagonal(d) => (r < d.len() && c < d.len()).then_some(0.0),
        }
    }

    /// The entries in reading order, row by row.
    pub fn entries(&self) -> Vec<f64> {
        let (rows, columns) = self.shape();
        (0..rows)
            .flat_map(|r| (0..columns).map(move |c| (r, c)))
            .filter_map(|(r, c)| self.get(r, c))
            .collect()
    }

    pub fn dense(self) -> DMatrix<f64> {
        match self {
            Matrix::Dense(m) => m,
            Matrix::Diagonal(d) => DMatrix::from_diagonal(&d),
        }
    }

    fn column(v: &DVector<f64>) -> Matrix {
        Matrix::Dense(DMatrix::from_column_slice(v.len(), 1, v.as_slice()))
    }

    /// The value as a quantity of `shape` would hold it, whatever its own size: a matrix stays
    /// a matrix (a transposed one included), a row or a column is a vector, a 1×1 a scalar.
    /// `None` for a matrix where a vector or a scalar is meant.
    pub fn into_value_as(self, shape: Shape) -> Option<Value> {
        let (rows, columns) = self.shape();
        match shape {
            Shape::Matrix(..) => Some(Value::Matrix(self.dense())),
            Shape::Vector(_) => self.into_value(Shape::Vector(rows * columns)),
            Shape::Scalar => self.into_value(Shape::Scalar),
        }
    }

    /// The value in `shape`: a vector from a row or a column, a scalar from a 1×1. `None` when
    /// the shapes differ.
    pub fn into_value(self, shape: Shape) -> Option<Value> {
        let (rows, columns) = self.shape();
        let m = self.dense();
        match shape {
            Shape::Scalar if (rows, columns) == (1, 1) => Some(Value::Scalar(m[(0, 0)])),
            // A row's or a column's storage is the vector's, in order.
            Shape::Vector(n) if (rows == 1 || columns == 1) && rows * columns == n => {
                Some(Value::Vector(m.reshape_generic(Dyn(n), Const::<1>)))
            }
            Shape::Matrix(r, c) if (rows, columns) == (r, c) => Some(Value::Matrix(m)),
            _ => None,
        }
    }
}

fn weights(network: &Network, layer: WeightLayer) -> &DMatrix<f64> {
    match layer {
        WeightLayer::Hidden(l) => network.layer(l).weights(),
        WeightLayer::Output => network.output().weights(),
    }
}

fn one_hot(network: &Network, class: usize) -> Option<Matrix> {
    (1..=network.outputs()).contains(&class).then(|| {
        Matrix::column(&DVector::from_fn(network.outputs(), |i, _| f64::from(u8::from(i + 1 == class))))
    })
}

/// The class of the label, 1-based: `None` for an mse lesson.
pub(crate) fn label(network: &Network) -> Option<usize> {
    match network.objective() {
        crate::network::Objective::SoftmaxCrossEntropy { label } => Some(*label),
        crate::network::Objective::Mse { .. } => None,
    }
}

/// A quantity's value as a matrix in the notes' orientation. A vector's storage becomes the
/// matrix's as it is: one row or one column holds its entries in the same order.
fn oriented(quantity: Quantity, value: Value) -> Matrix {
    match value {
        Value::Scalar(x) => scalar(x),
        Value::Vector(v) => {
            let n = v.len();
            let (rows, columns) = if Term::is_row(quantity) { (1, n) } else { (n, 1) };
            Matrix::Dense(v.reshape_generic(Dyn(rows), Dyn(columns)))
        }
        Value::Matrix(m) => Matrix::Dense(m),
    }
}

impl Term {
    /// The term's matrix, in the notes' orientation.
    pub fn eval(&self, values: &impl Values) -> Option<Matrix> {
        let network = values.network();
        match *self {
            Term::Value(quantity) => Some(oriented(quantity, values.quantity(quantity)?)),
            Term::Example(quantity, n) => Some(oriented(quantity, values.example(quantity, n)?)),
            Term::LearningRate => network.learning_rate().map(scalar),
            Term::Weights(layer) => Some(Matrix::Dense(weights(network, layer).clone())),
            Term::Bias(WeightLayer::Hidden(l)) => network.layer(l).bias().map(Matrix::column),
            Term::Bias(WeightLayer::Output) => network.output().bias().map(Matrix::column),
            Term::Label => one_hot(network, label(network)?),
            Term::OneHot(class) => one_hot(network, class),
            Term::Target => match network.objective() {
                crate::network::Objective::Mse { target } => Some(Matrix::column(target)),
                crate::network::Objective::SoftmaxCrossEntropy { .. } => None,
            },
            Term::Gate(gate) => {
                let argument = values.quantity(gate.argument)?;
                let f = gate.activation;
                let slope = |a: f64| match gate.slope {
                    Slope::Derivative => f.derivative(a),
                    Slope::FromOutput => f.derivative_from_output(a),
                    Slope::Argument => a,
                };
                Some(Matrix::Diagonal(DVector::from_iterator(
                    argument.entries().len(),
                    argument.entries().into_iter().map(slope),
                )))
            }
            Term::Notes(number) => Some(Matrix::Dense(number.matrix())),
        }
    }
}

impl NotesNumber {
    /// The number as the notes print it, in the notes' orientation (activations as columns).
    pub fn matrix(self) -> DMatrix<f64> {
        match self {
            NotesNumber::Logits => DMatrix::from_column_slice(3, 1, &[1.0, 3.0, 2.0]),
            NotesNumber::StepTwoBActivation => DMatrix::from_column_slice(2, 1, &[1.0, 2.0]),
            NotesNumber::StepThreeAActivation => DMatrix::from_column_slice(2, 1, &[4.0, 1.0]),
            NotesNumber::StepThreeAWeights => DMatrix::from_row_slice(2, 2, &[1.0, 3.0, 2.0, -1.0]),
        }
    }
}

/// `a · b`, keeping diagonals diagonal; `None` when the inner sizes differ.
fn product(a: Matrix, b: Matrix) -> Option<Matrix> {
    if a.shape().1 != b.shape().0 {
        return None;
    }
    Some(match (a, b) {
        (Matrix::Diagonal(a), Matrix::Diagonal(b)) => Matrix::Diagonal(a.component_mul(&b)),
        (Matrix::Diagonal(d), Matrix::Dense(mut m)) => {
            for (i, mut row) in m.row_iter_mut().enumerate() {
                row *= d[i];
            }
            Matrix::Dense(m)
        }
        (Matrix::Dense(mut m), Matrix::Diagonal(d)) => {
            for (j, mut column) in m.column_iter_mut().enumerate() {
                column *= d[j];
            }
            Matrix::Dense(m)
        }
        (Matrix::Dense(a), Matrix::Dense(b)) => Matrix::Dense(a * b),
    })
}

/// Entry by entry, for two matrices of one shape.
fn zip(a: Matrix, b: Matrix, f: impl Fn(f64, f64) -> f64) -> Option<Matrix> {
    if a.shape() != b.shape() {
        return None;
    }
    Some(match (a, b) {
        (Matrix::Diagonal(a), Matrix::Diagonal(b)) => Matrix::Diagonal(a.zip_map(&b, f)),
        (a, b) => Matrix::Dense(a.dense().zip_map(&b.dense(), f)),
    })
}

/// A lesson's own numbers: what the truth is computed from.
impl Values for crate::engine::Solution {
    fn network(&self) -> &Network {
        crate::engine::Solution::network(self)
    }

    fn quantity(&self, quantity: Quantity) -> Option<Value> {
        self.value(quantity)
    }

    fn example(&self, quantity: Quantity, n: usize) -> Option<Value> {
        self.value_of(&crate::quantity::QuantityRef::named(quantity, Some(n)))
    }
}

fn scalar(x: f64) -> Matrix {
    Matrix::Dense(DMatrix::from_element(1, 1, x))
}

impl Formula {
    /// The formula's matrix on `values`; `None` where a value is missing or the shapes do
    /// not fit (a known mistake may not apply to every network).
    pub fn eval(&self, values: &impl Values) -> Option<Matrix> {
        match self {
            Formula::Term(term) => term.eval(values),
            Formula::Transpose(a) => Some(match a.eval(values)? {
                Matrix::Dense(m) => Matrix::Dense(m.transpose()),
                diagonal => diagonal,
            }),
            Formula::Product(items) => {
                let mut items = items.iter();
                let first = items.next()?.eval(values)?;
                items.try_fold(first, |acc, item| product(acc, item.eval(values)?))
            }
            Formula::Sum(items) => {
                let mut items = items.iter();
                let first = items.next()?.eval(values)?;
                items.try_fold(first, |acc, item| zip(acc, item.eval(values)?, |x, y| x + y))
            }
            Formula::Difference(a, b) => zip(a.eval(values)?, b.eval(values)?, |x, y| x - y),
            Formula::Hadamard(a, b) => zip(a.eval(values)?, b.eval(values)?, |x, y| x * y),
            Formula::Quotient(a, b) => zip(a.eval(values)?, b.eval(values)?, |x, y| x / y),
            Formula::Scale(k, a) => Some(match a.eval(values)? {
                Matrix::Dense(m) => Matrix::Dense(m * *k),
                Matrix::Diagonal(d) => Matrix::Diagonal(d * *k),
            }),
            Formula::Apply(activation, a) => {
                Some(Matrix::Dense(a.eval(values)?.dense().map(|z| activation.apply(z))))
            }
            Formula::Softmax(a) => {
                let m = a.eval(values)?.dense();
                let (rows, columns) = m.shape();
                let p = softmax(&DVector::from_iterator(rows * columns, m.iter().copied()));
                Some(Matrix::Dense(DMatrix::from_column_slice(rows, columns, p.as_slice())))
            }
            Formula::CrossEntropy { probabilities, class } => {
                let p = probabilities.eval(values)?.dense();
                let e = class.eval(values)?.dense();
                if p.shape() != e.shape() {
                    return None;
                }
                // The entry of p where the one-hot column has its 1.
                let at = e.iter().position(|&x| x == 1.0)?;
                Some(scalar(-p.iter().nth(at)?.ln()))
            }
            Formula::HalfSquaredError(a, b) => {
                let difference = zip(a.eval(values)?, b.eval(values)?, |x, y| x - y)?.dense();
                Some(scalar(0.5 * difference.norm_squared()))
            }
            Formula::Times(k, a) => {
                let k = k.eval(values)?;
                if k.shape() != (1, 1) {
                    return None;
                }
                let k = k.get(0, 0)?;
                Some(match a.eval(values)? {
                    Matrix::Dense(m) => Matrix::Dense(m * k),
                    Matrix::Diagonal(d) => Matrix::Diagonal(d * k),
                })
            }
            Formula::Mean(items) => {
                let sum = Formula::Sum(items.clone()).eval(values)?;
                let n = items.len() as f64;
                Some(match sum {
                    Matrix::Dense(m) => Matrix::Dense(m / n),
                    Matrix::Diagonal(d) => Matrix::Diagonal(d / n),
                })
            }
            Formula::TotalLoss(items) => {
                let parameters: Vec<DMatrix<f64>> =
                    items.iter().map(|item| Some(item.eval(values)?.dense())).collect::<Option<_>>()?;
                let network = with_parameters(values.network(), parameters)?;
                Some(scalar(crate::network::training::forward_all(&network).1))
            }
        }
    }
}

/// `network` with `parameters` (W(1), b(1) where it has one, …, W(o), b(o)) in place of its
/// own, each a matrix of the right shape (a bias a column or a row); `None` when one is not.
fn with_parameters(network: &Network, parameters: Vec<DMatrix<f64>>) -> Option<Network> {
    let mut parameters = parameters.into_iter();
    let mut wanted = Vec::new();
    for layer in network.hidden().iter().chain([network.output()]) {
        let weights = parameters.next().filter(|w| w.shape() == layer.weights().shape())?;
        let bias = match layer.bias() {
            Some(b) => {
                let given =
                    parameters.next().filter(|g| g.len() == b.len() && (g.nrows() == 1 || g.ncols() == 1))?;
                Some(DVector::from_iterator(b.len(), given.iter().copied()))
            }
            None => None,
        };
        wanted.push(Some((weights, bias)));
    }
    if parameters.next().is_some() {
        return None;
    }
    // One pair per layer, by the loop above: l = 1..=K + 1 takes each once.
    Some(network.with_parameters(|l, layer| {
        wanted[l - 1].take().unwrap_or_else(|| (layer.weights().clone(), layer.bias().cloned()))
    }))
}
