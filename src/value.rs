//! The one value type shared by the engine, the answer language and every output format:
//! a scalar, a vector or a matrix of `f64`.

use nalgebra::{DMatrix, DVector};
use serde::ser::{Serialize, Serializer};
use std::fmt;

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Scalar(f64),
    Vector(DVector<f64>),
    Matrix(DMatrix<f64>),
}

/// The shape of a [`Value`], printed the way the notes write it (`3×2`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Shape {
    Scalar,
    Vector(usize),
    Matrix(usize, usize),
}

impl Value {
    pub fn shape(&self) -> Shape {
        match self {
            Value::Scalar(_) => Shape::Scalar,
            Value::Vector(v) => Shape::Vector(v.len()),
            Value::Matrix(m) => Shape::Matrix(m.nrows(), m.ncols()),
        }
    }

    /// Entries in reading order (row by row for a matrix).
    pub fn entries(&self) -> Vec<f64> {
        match self {
            Value::Scalar(s) => vec![*s],
            Value::Vector(v) => v.iter().copied().collect(),
            Value::Matrix(m) => {
                let mut out = Vec::with_capacity(m.len());
                for row in m.row_iter() {
                    out.extend(row.iter().copied());
                }
                out
            }
        }
    }

    /// The entry at the notes' 1-based index: `[i]` for a vector, `[i, j]` for a matrix.
    pub fn entry(&self, index: &[usize]) -> Option<f64> {
        match (self, index) {
            (Value::Vector(v), [i]) if *i >= 1 => v.get(i - 1).copied(),
            (Value::Matrix(m), [i, j]) if *i >= 1 && *j >= 1 => m.get((i - 1, j - 1)).copied(),
            _ => None,
        }
    }

    /// The same shape with every entry mapped through `f`.
    pub fn map(&self, f: impl Fn(f64) -> f64) -> Value {
        match self {
            Value::Scalar(s) => Value::Scalar(f(*s)),
            Value::Vector(v) => Value::Vector(v.map(f)),
            Value::Matrix(m) => Value::Matrix(m.map(f)),
        }
    }

    pub fn is_finite(&self) -> bool {
        match self {
            Value::Scalar(s) => s.is_finite(),
            Value::Vector(v) => v.iter().all(|x| x.is_finite()),
            Value::Matrix(m) => m.iter().all(|x| x.is_finite()),
        }
    }
}

impl Shape {
    /// How many entries a value of this shape has.
    pub fn entry_count(self) -> usize {
        match self {
            Shape::Scalar => 1,
            Shape::Vector(n) => n,
            Shape::Matrix(r, c) => r * c,
        }
    }

    /// The notes' 1-based index of entry `n` (0-based, in reading order, below
    /// [`Shape::entry_count`]): `[]` for a scalar, `[i]` for a vector, `[i, j]` for a matrix.
    pub fn index(self, n: usize) -> Vec<usize> {
        match self {
            Shape::Scalar => vec![],
            Shape::Vector(_) => vec![n + 1],
            Shape::Matrix(_, c) => vec![n / c + 1, n % c + 1],
        }
    }

    /// The reading-order position of the entry at the notes' 1-based `index` (the inverse of
    /// [`Shape::index`]); `None` for an index outside the shape, or the empty index of a whole
    /// vector or matrix.
    pub fn position(self, index: &[usize]) -> Option<usize> {
        match (self, index) {
            (Shape::Scalar, []) => Some(0),
            (Shape::Vector(n), [i]) if (1..=n).contains(i) => Some(i - 1),
            (Shape::Matrix(r, c), [i, j]) if (1..=r).contains(i) && (1..=c).contains(j) => {
                Some((i - 1) * c + (j - 1))
            }
            _ => None,
        }
    }

    /// The index of every entry, in reading order (see [`Shape::index`]).
    pub fn indices(self) -> Vec<Vec<usize>> {
        (0..self.entry_count()).map(|n| self.index(n)).collect()
    }
}

impl fmt::Display for Shape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Shape::Scalar => write!(f, "a scalar"),
            Shape::Vector(n) => write!(f, "a vector of {n}"),
            Shape::Matrix(r, c) => write!(f, "a {r}×{c} matrix"),
        }
    }
}

/// Adding +0.0 turns −0.0 (a gradient stopped by a closed gate times a negative number)
/// into 0.0, which is what a reader expects to see.
pub(crate) fn positive_zero(x: f64) -> f64 {
    x + 0.0
}

/// Vectors serialize as flat arrays and matrices as arrays of rows (SPEC §2).
impl Serialize for Value {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Scalar(s) => serializer.serialize_f64(positive_zero(*s)),
            Value::Vector(v) => serializer.collect_seq(v.iter().map(|&x| positive_zero(x))),
            Value::Matrix(m) => serializer.collect_seq((0..m.nrows()).map(|i| Row(m, i))),
        }
    }
}

/// Row `.1` of a matrix, serialized in place rather than copied out first.
struct Row<'a>(&'a DMatrix<f64>, usize);

impl Serialize for Row<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let Row(m, i) = *self;
        serializer.collect_seq((0..m.ncols()).map(|j| positive_zero(m[(i, j)])))
    }
}
