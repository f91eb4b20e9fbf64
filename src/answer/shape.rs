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

    /// The tightest rtol and the tightest atol of any entry: what a value another question
    /// reads must meet to count as right for every entry of this one.
    pub fn tightest(&self) -> Tolerance {
        self.own.iter().fold(self.all, |t, (_, own)| Tolerance {
            rtol: t.rtol.min(own.rtol),
            atol: t.atol.min(own.atol),
        })
    }

    /// Each entry's tolerance, made no looser than `floor`.
    fn capped(&self, floor: Tolerance) -> Self {
        let cap = |t: Tolerance| Tolerance { rtol: t.rtol.min(floor.rtol), atol: t.atol.min(floor.atol) };
        EntryTolerances { all: cap(self.all), own: self.own.iter().map(|&(n, t)| (n, cap(t))).collect() }
    }

    /// Whether `given` is zeros, or as good as zeros, beside a truth that is not itself
    /// negligible, judged at tolerances no looser than [`Tolerance::DEFAULT`]: an answer that
    /// shows no work, which no tolerance a lesson or `--atol` sets can make correct
    /// (DESIGN.md §4).
    pub fn shows_nothing(&self, given: &Value, truth: &Value) -> bool {
        self.capped(Tolerance::DEFAULT).nothing_beside(given, truth)
    }

    /// Whether an answer of zeros would be within this tolerance of a `truth` it shows nothing
    /// of: a tolerance too loose to grade by, which `lint` reports (DESIGN.md §7.2) and
    /// grading overrules.
    pub fn accepts_zeros(&self, truth: &Value) -> bool {
        let zeros = from_entries(truth.shape(), &vec![0.0; truth.shape().entry_count()]);
        accepted(&zeros, truth, self) && self.shows_nothing(&zeros, truth)
    }

    /// Each entry of `value` with its tolerance, in storage order (column by column for a
    /// matrix), without copying: for what holds of every entry, whatever the order.
    pub fn each_entry<'v>(&'v self, value: &'v Value) -> impl Iterator<Item = (Tolerance, f64)> + 'v {
        let shape = value.shape();
        storage(value).iter().enumerate().map(move |(k, &x)| (self.at_stored(shape, k), x))
    }

    /// The tolerance of the entry at storage position `k` of a value of `shape` (see
    /// [`storage`]).
    fn at_stored(&self, shape: Shape, k: usize) -> Tolerance {
        if self.own.is_empty() { self.all } else { self.at(reading_position(shape, k)) }
    }

    /// Whether every entry of `given` is its counterpart in `target` within tolerance; both of
    /// one shape.
    fn accept_all(&self, given: &Value, target: &Value) -> bool {
        let shape = target.shape();
        given.shape() == shape
            && storage(given)
                .iter()
                .zip(storage(target))
                .enumerate()
                .all(|(k, (g, t))| self.at_stored(shape, k).accepts(*g, *t))
    }

    /// Whether every entry of `value` is within its absolute tolerance of 0.
    pub fn all_near_zero(&self, value: &Value) -> bool {
        let shape = value.shape();
        storage(value).iter().enumerate().all(|(k, x)| x.abs() <= self.at_stored(shape, k).atol)
    }

    /// Whether `value` is nothing beside a non-zero `truth`: every entry within the tolerance
    /// that would take it for 0 at the scale of the truth's largest entry. An answer of zeros,
    /// or of numbers too small to tell from zeros next to the true ones (0.002 where the truth
    /// is near 1), shows no work to follow.
    pub fn nothing_beside(&self, value: &Value, truth: &Value) -> bool {
        let scale = storage(truth).iter().fold(0.0_f64, |m, x| m.max(x.abs()));
        let shape = value.shape();
        // The answer first: it is rarely all small, and then the truth is never looked at again.
        storage(value).iter().enumerate().all(|(k, x)| {
            let tolerance = self.at_stored(shape, k);
            x.abs() <= tolerance.atol + tolerance.rtol * scale
        }) && !self.all_near_zero(truth)
    }
}

/// The reading-order position (row by row) of the entry at storage position `k` (column by
/// column) of a value of `shape`.
fn reading_position(shape: Shape, k: usize) -> usize {
    match shape {
        Shape::Matrix(rows, columns) => (k % rows) * columns + k / rows,
        Shape::Scalar | Shape::Vector(_) => k,
    }
}

/// Whether `tolerance` accepts every entry of `given` against `expected`, both of one shape.
/// Allocates nothing: it runs for every answer of every file, and for every known mistake
/// tried against a wrong one.
pub fn accepted(given: &Value, expected: &Value, tolerance: &EntryTolerances) -> bool {
    tolerance.accept_all(given, expected)
}

/// The indices of the entries of `given` that `tolerance` does not accept against `expected`.
/// Both must have the same shape (see [`conform`]).
pub fn wrong_entries(given: &Value, expected: &Value, tolerance: &EntryTolerances) -> Vec<Vec<usize>> {
    let shape = expected.shape();
    // Judged where they lie, then put in reading order; only the wrong entries' indices are
    // made: a wrong answer is often right in most entries.
    let mut wrong: Vec<usize> =
        rejected_at(given, expected, tolerance).map(|(k, ..)| reading_position(shape, k)).collect();
    wrong.sort_unstable();
    wrong.into_iter().map(|n| shape.index(n)).collect()
}

/// The (given, expected) pairs of the entries of `given` that `tolerance` does not accept
/// against `expected`, both of one shape, in storage order: allocates nothing, for what holds
/// of every wrong entry whatever the order (see [`wrong_entries`] for their indices).
pub fn rejected<'v>(
    given: &'v Value,
    expected: &'v Value,
    tolerance: &'v EntryTolerances,
) -> impl Iterator<Item = (f64, f64)> + 'v {
    rejected_at(given, expected, tolerance).map(|(_, g, e)| (g, e))
}

/// [`rejected`], each pair with its storage position.
fn rejected_at<'v>(
    given: &'v Value,
    expected: &'v Value,
    tolerance: &'v EntryTolerances,
) -> impl Iterator<Item = (usize, f64, f64)> + 'v {
    storage(given)
        .iter()
        .zip(tolerance.each_entry(expected))
        .enumerate()
        .filter(|(_, (g, (t, e)))| !t.accepts(**g, *e))
        .map(|(k, (&g, (_, e)))| (k, g, e))
}

/// Whether `given` is `target` within `tolerance`, in any layout [`conform`] accepts.
pub fn matches(given: &Value, target: &Value, tolerance: &EntryTolerances) -> bool {
    conform(given, target.shape()).is_some_and(|g| tolerance.accept_all(&g, target))
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

    /// A matrix is stored column by column; its wrong entries are listed row by row, and an
    /// entry's own tolerance holds wherever it is stored.
    #[test]
    fn wrong_entries_are_in_reading_order() {
        let expected = Value::Matrix(DMatrix::from_row_slice(2, 3, &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]));
        let given = Value::Matrix(DMatrix::from_row_slice(2, 3, &[1.0, 2.0, 9.0, 9.0, 5.0, 6.5]));
        let mut tolerance = EntryTolerances::uniform(Tolerance::DEFAULT);
        assert_eq!(wrong_entries(&given, &expected, &tolerance), vec![vec![1, 3], vec![2, 1], vec![2, 3]]);
        // [2,3] is reading position 5, storage position 5; [1,3] is reading 2, storage 4.
        tolerance.own = vec![(2, Tolerance { rtol: 0.0, atol: 10.0 })];
        assert_eq!(wrong_entries(&given, &expected, &tolerance), vec![vec![2, 1], vec![2, 3]]);
        let pairs: Vec<(f64, f64)> = rejected(&given, &expected, &tolerance).collect();
        assert_eq!(pairs, vec![(9.0, 4.0), (6.5, 6.0)]);
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

    #[test]
    fn entry_tolerances_follow_the_entry_in_a_wide_matrix() {
        // Reading-order position 2 of a 2×3 matrix is entry [1,3], stored fifth.
        let expected = Value::Matrix(DMatrix::from_row_slice(2, 3, &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]));
        let off_at = |at: usize| {
            let mut entries = expected.entries();
            entries[at] *= 1.5;
            Value::Matrix(DMatrix::from_row_slice(2, 3, &entries))
        };
        let loose =
            EntryTolerances { all: Tolerance::DEFAULT, own: vec![(2, Tolerance { rtol: 0.5, atol: 0.0 })] };
        assert!(accepted(&off_at(2), &expected, &loose));
        assert!(matches(&off_at(2), &expected, &loose));
        for at in [0, 1, 3, 4, 5] {
            assert!(!accepted(&off_at(at), &expected, &loose), "entry {at}");
        }
        let zeros = Value::Matrix(DMatrix::from_row_slice(2, 3, &[0.0, 0.0, 2.9, 0.0, 0.0, 0.0]));
        assert!(loose.nothing_beside(&zeros, &expected), "3 within half of the largest entry, 6");
        let zeros_elsewhere = Value::Matrix(DMatrix::from_row_slice(2, 3, &[0.0, 0.0, 0.0, 2.9, 0.0, 0.0]));
        assert!(!loose.nothing_beside(&zeros_elsewhere, &expected));
    }
}
