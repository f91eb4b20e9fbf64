//! Reading a learner's value in the shape a question expects, and comparing it entry by entry.

use crate::lesson::Tolerance;
use crate::value::{Shape, Value};
use nalgebra::{DMatrix, DVector};
use std::borrow::Cow;

/// The given value laid out as `expected`, when the two hold the same numbers in one of the
/// ways a learner may reasonably write them; `None` when the shapes really differ.
///
/// Accepted besides the exact shape:
/// - any one-entry value (`a`, `[a]`, `[[a]]`) for a scalar, and a scalar for a one-entry
///   vector or a 1×1 matrix: they are the same number;
/// - a single row or column matrix for a vector: the notes write gradients as 1×K rows
///   (Eq. 60) and activations as columns, and both are the same list of entries;
/// - a flat vector for a single-row or single-column matrix, for the same reason.
///
/// A matrix of the wrong orientation is *not* accepted (a 1×3 for a 3×1 weight gradient):
/// that is a transposition, which the diagnosis names.
pub fn conform(given: &Value, expected: Shape) -> Option<Cow<'_, Value>> {
    let given_shape = given.shape();
    if given_shape == expected {
        return Some(Cow::Borrowed(given));
    }
    let line = |r: usize, c: usize| r == 1 || c == 1;
    let fits = match (given_shape, expected) {
        (_, Shape::Scalar) => given_shape.entry_count() == 1,
        (Shape::Scalar, Shape::Vector(1) | Shape::Matrix(1, 1)) => true,
        (Shape::Matrix(r, c), Shape::Vector(n)) | (Shape::Vector(n), Shape::Matrix(r, c)) => {
            line(r, c) && r * c == n
        }
        _ => false,
    };
    fits.then(|| Cow::Owned(from_entries(expected, &given.entries())))
}

/// A value of `shape` from its entries in reading order (row by row).
pub fn from_entries(shape: Shape, entries: &[f64]) -> Value {
    match shape {
        Shape::Scalar => Value::Scalar(entries[0]),
        Shape::Vector(n) => Value::Vector(DVector::from_column_slice(&entries[..n])),
        Shape::Matrix(r, c) => Value::Matrix(DMatrix::from_row_slice(r, c, &entries[..r * c])),
    }
}

/// The entries in storage order (column by column for a matrix), without copying: two values
/// of one shape line up entry for entry.
fn storage(value: &Value) -> &[f64] {
    match value {
        Value::Scalar(s) => std::slice::from_ref(s),
        Value::Vector(v) => v.as_slice(),
        Value::Matrix(m) => m.as_slice(),
    }
}

/// The tolerance of each entry of one question: one for all of them, and those a lesson sets
/// for single entries (`[check."dL_dWo[2,1]"]`), which hold wherever the entry is graded.
#[derive(Debug, Clone, PartialEq)]
pub struct EntryTolerances {
    pub all: Tolerance,
    /// (reading-order position, tolerance) of each entry with a setting of its own.
    pub own: Vec<(usize, Tolerance)>,
}

impl EntryTolerances {
    pub fn uniform(all: Tolerance) -> Self {
        EntryTolerances { all, own: vec![] }
    }

    /// The tolerance of the entry at reading-order position `n`.
    pub fn at(&self, n: usize) -> Tolerance {
        self.own.iter().find(|(m, _)| *m == n).map_or(self.all, |(_, t)| *t)
    }

    /// Whether every entry of `given` is its counterpart in `target` within tolerance; both in
    /// reading order.
    fn accept_all(&self, given: &[f64], target: &[f64]) -> bool {
        given.len() == target.len()
            && given.iter().zip(target).enumerate().all(|(n, (g, t))| self.at(n).accepts(*g, *t))
    }

    /// Whether every entry of `value` is within its absolute tolerance of 0.
    pub fn all_near_zero(&self, value: &Value) -> bool {
        value.entries().iter().enumerate().all(|(n, x)| x.abs() <= self.at(n).atol)
    }

    /// Whether `value` is nothing beside a non-zero `truth`: every entry within the tolerance
    /// that would take it for 0 at the scale of the truth's largest entry. An answer of zeros,
    /// or of numbers too small to tell from zeros next to the true ones (0.002 where the truth
    /// is near 1), shows no work to follow.
    pub fn nothing_beside(&self, value: &Value, truth: &Value) -> bool {
        let scale = truth.entries().iter().fold(0.0_f64, |m, x| m.max(x.abs()));
        !self.all_near_zero(truth)
            && value.entries().iter().enumerate().all(|(n, x)| {
                let tolerance = self.at(n);
                x.abs() <= tolerance.atol + tolerance.rtol * scale
            })
    }
}

/// Whether `tolerance` accepts every entry of `given` against `expected`, both of one shape.
/// Allocates nothing in the usual case of one tolerance for every entry: it runs for every
/// answer of every file.
pub fn accepted(given: &Value, expected: &Value, tolerance: &EntryTolerances) -> bool {
    if given.shape() != expected.shape() {
        return false;
    }
    if tolerance.own.is_empty() {
        let all = tolerance.all;
        return storage(given).iter().zip(storage(expected)).all(|(g, e)| all.accepts(*g, *e));
    }
    tolerance.accept_all(&given.entries(), &expected.entries())
}

/// The indices of the entries of `given` that `tolerance` does not accept against `expected`.
/// Both must have the same shape (see [`conform`]).
pub fn wrong_entries(given: &Value, expected: &Value, tolerance: &EntryTolerances) -> Vec<Vec<usize>> {
    let pairs = given.entries().into_iter().zip(expected.entries());
    expected
        .shape()
        .indices()
        .into_iter()
        .zip(pairs)
        .enumerate()
        .filter(|(n, (_, (g, e)))| !tolerance.at(*n).accepts(*g, *e))
        .map(|(_, (index, _))| index)
        .collect()
}

/// Whether `given` is `target` within `tolerance`, in any layout [`conform`] accepts.
pub fn matches(given: &Value, target: &Value, tolerance: &EntryTolerances) -> bool {
    conform(given, target.shape()).is_some_and(|g| tolerance.accept_all(&g.entries(), &target.entries()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vector(v: &[f64]) -> Value {
        Value::Vector(DVector::from_column_slice(v))
    }

    #[test]
    fn one_entry_values_are_interchangeable() {
        let conformed = |v: &Value, shape| conform(v, shape).map(Cow::into_owned);
        assert_eq!(conformed(&vector(&[2.0]), Shape::Scalar), Some(Value::Scalar(2.0)));
        assert_eq!(conformed(&Value::Scalar(2.0), Shape::Vector(1)), Some(vector(&[2.0])));
        assert_eq!(conformed(&vector(&[1.0, 2.0]), Shape::Scalar), None);
    }

    #[test]
    fn rows_and_columns_are_vectors_but_matrices_keep_their_orientation() {
        let row = Value::Matrix(DMatrix::from_row_slice(1, 3, &[1.0, 2.0, 3.0]));
        let column = Value::Matrix(DMatrix::from_row_slice(3, 1, &[1.0, 2.0, 3.0]));
        let conformed = |v: &Value, shape| conform(v, shape).map(Cow::into_owned);
        assert_eq!(conformed(&row, Shape::Vector(3)), Some(vector(&[1.0, 2.0, 3.0])));
        assert_eq!(conformed(&vector(&[1.0, 2.0, 3.0]), Shape::Matrix(3, 1)), Some(column.clone()));
        assert_eq!(conform(&row, Shape::Matrix(3, 1)), None);
        assert_eq!(conform(&column, Shape::Matrix(1, 3)), None);
    }

    #[test]
    fn matrices_compare_entry_for_entry() {
        let default = EntryTolerances::uniform(Tolerance::DEFAULT);
        let a = Value::Matrix(DMatrix::from_row_slice(2, 3, &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]));
        assert!(accepted(&a, &a, &default));
        let b = Value::Matrix(DMatrix::from_row_slice(3, 2, &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]));
        assert!(!accepted(&a, &b, &default));
        let row = Value::Matrix(DMatrix::from_row_slice(1, 2, &[1.0, 2.0]));
        assert!(matches(&row, &vector(&[1.0, 2.0]), &default));
    }

    #[test]
    fn wrong_entries_are_one_based() {
        let expected = Value::Matrix(DMatrix::from_row_slice(2, 2, &[1.0, 2.0, 3.0, 4.0]));
        let given = Value::Matrix(DMatrix::from_row_slice(2, 2, &[1.0, 2.5, 3.0, 4.001]));
        let default = EntryTolerances::uniform(Tolerance::DEFAULT);
        assert_eq!(wrong_entries(&given, &expected, &default), vec![vec![1, 2]]);
    }

    #[test]
    fn an_entry_of_its_own_keeps_its_tolerance_in_the_whole_matrix() {
        let expected = Value::Matrix(DMatrix::from_row_slice(2, 2, &[1.0, 2.0, 3.0, 4.0]));
        let given = Value::Matrix(DMatrix::from_row_slice(2, 2, &[1.0, 2.5, 3.0, 4.0]));
        // Reading-order position 1 is entry [1,2].
        let loose =
            EntryTolerances { all: Tolerance::DEFAULT, own: vec![(1, Tolerance { rtol: 0.5, atol: 0.0 })] };
        assert!(accepted(&given, &expected, &loose));
        assert!(wrong_entries(&given, &expected, &loose).is_empty());
        let tight =
            EntryTolerances { all: Tolerance { rtol: 0.5, atol: 0.0 }, own: vec![(1, Tolerance::DEFAULT)] };
        assert!(!accepted(&given, &expected, &tight));
        assert_eq!(wrong_entries(&given, &expected, &tight), vec![vec![1, 2]]);
    }
}
