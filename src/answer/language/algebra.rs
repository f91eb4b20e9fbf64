//! Values under evaluation and the shape rules of every operation, in the notes' matrix view:
//! every value is a matrix, a number is 1×1 and acts on every entry of the other operand.

use super::ast::Binary;
use nalgebra::DMatrix;
use std::fmt;

/// Why a value stopped being finite when nothing more specific went wrong: an overflow.
pub(super) const TOO_LARGE: &str = "it is too large";
/// Why an `exp` or `e^` is not finite: the one overflow that subtracting the largest logit
/// avoids, and so the only one that earns that tip.
pub(super) const EXP_TOO_LARGE: &str = "the exponential is too large";

/// Most entries any value may have (1024 × 1024, the largest layer a lesson may have, squared):
/// checked before a matrix is built, so `outer(onehot(1, 1e6), onehot(1, 1e6))` is refused
/// rather than allocated.
pub(super) const MAX_ENTRIES: usize = 1 << 20;
/// Most entries an evaluation may hold at once, so that `[onehot(1, 1e6), onehot(1, 1e6), …]`
/// stops at a few values of the largest size rather than at the memory's end.
pub(super) const MAX_HELD: usize = 4 * MAX_ENTRIES;
/// Most arithmetic one evaluation may do (in multiply-adds), so that a short answer cannot
/// keep `check` busy: far above any formula on the largest lesson.
const MAX_WORK: usize = 1 << 26;

/// A value: a number is kept apart from matrices because most answers are lists of numbers,
/// and a number needs no allocation.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Val {
    Scalar(f64),
    /// Never 1×1: see [`Val::from_matrix`].
    Matrix(DMatrix<f64>),
}

/// Rows and columns, printed as the notes print them: `2×3`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Dims(pub usize, pub usize);

impl fmt::Display for Dims {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}×{}", self.0, self.1)
    }
}

impl Dims {
    pub(super) fn is_vector(self) -> bool {
        self.0 == 1 || self.1 == 1
    }

    fn transposed(self) -> Dims {
        Dims(self.1, self.0)
    }
}

/// Why an operation cannot be done; the evaluator adds where.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct OpError(pub String);

impl Val {
    /// A 1×1 matrix is a number: `dL_do * x` with one output is a number, and a number scales.
    pub(super) fn from_matrix(matrix: DMatrix<f64>) -> Val {
        if matrix.shape() == (1, 1) { Val::Scalar(matrix[(0, 0)]) } else { Val::Matrix(matrix) }
    }

    pub(super) fn dims(&self) -> Dims {
        match self {
            Val::Scalar(_) => Dims(1, 1),
            Val::Matrix(m) => Dims(m.nrows(), m.ncols()),
        }
    }

    /// The entries in storage order (column by column), which for a row or a column is
    /// reading order.
    pub(super) fn entries(&self) -> &[f64] {
        match self {
            Val::Scalar(x) => std::slice::from_ref(x),
            Val::Matrix(m) => m.as_slice(),
        }
    }

    pub(super) fn is_finite(&self) -> bool {
        self.entries().iter().all(|x| x.is_finite())
    }

    pub(super) fn map(&self, f: impl Fn(f64) -> f64) -> Val {
        match self {
            Val::Scalar(x) => Val::Scalar(f(*x)),
            Val::Matrix(m) => Val::Matrix(m.map(f)),
        }
    }

    pub(super) fn transpose(&self) -> Val {
        match self {
            Val::Scalar(x) => Val::Scalar(*x),
            Val::Matrix(m) => Val::Matrix(m.transpose()),
        }
    }
}

/// What an evaluation may still allocate and compute.
#[derive(Debug)]
pub(super) struct Budget {
    work_left: usize,
}

impl Budget {
    pub(super) fn new() -> Budget {
        Budget { work_left: MAX_WORK }
    }

    /// Allows building a value of `entries` entries at a cost of `work`.
    pub(super) fn spend(&mut self, entries: usize, work: usize) -> Result<(), OpError> {
        if entries > MAX_ENTRIES {
            return Err(OpError(format!(
                "this makes a matrix of {entries} entries, more than the {MAX_ENTRIES} an answer may build"
            )));
        }
        self.work_left = self
            .work_left
            .checked_sub(work.max(entries))
            .ok_or_else(|| OpError("the answer takes too much computation to evaluate".to_string()))?;
        Ok(())
    }
}

/// `a op b`, or why the shapes do not allow it.
pub(super) fn binary(op: Binary, a: &Val, b: &Val, budget: &mut Budget) -> Result<Val, OpError> {
    let (da, db) = (a.dims(), b.dims());
    match op {
        Binary::Product => product(a, b, budget),
        Binary::Divide if !matches!(b, Val::Scalar(_)) => Err(OpError(format!(
            "{da} divided by {db}: '/' divides by a number only; for entry by entry use ./"
        ))),
        Binary::Power if !(matches!(a, Val::Scalar(_)) && matches!(b, Val::Scalar(_))) => {
            Err(OpError(format!(
                "{da} to the power {db}: '^' is for numbers; for entry by entry use .^ \
                 (and for a matrix product write A*A)"
            )))
        }
        _ => entrywise(op, a, b, budget),
    }
}

fn entry_function(op: Binary) -> fn(f64, f64) -> f64 {
    /// Comparisons keep a value that is not finite from turning into a plain 0 or 1.
    fn compare(x: f64, y: f64, holds: bool) -> f64 {
        if x.is_finite() && y.is_finite() { f64::from(u8::from(holds)) } else { f64::NAN }
    }
    match op {
        Binary::Add => |x, y| x + y,
        Binary::Subtract => |x, y| x - y,
        Binary::Product | Binary::EntryProduct => |x, y| x * y,
        Binary::Divide | Binary::EntryDivide => |x, y| x / y,
        Binary::Power | Binary::EntryPower => f64::powf,
        Binary::Greater => |x, y| compare(x, y, x > y),
        Binary::Less => |x, y| compare(x, y, x < y),
        Binary::GreaterEqual => |x, y| compare(x, y, x >= y),
        Binary::LessEqual => |x, y| compare(x, y, x <= y),
    }
}

/// Entry by entry, a number acting on every entry of the other operand.
fn entrywise(op: Binary, a: &Val, b: &Val, budget: &mut Budget) -> Result<Val, OpError> {
    let f = entry_function(op);
    let entries = a.entries().len().max(b.entries().len());
    budget.spend(entries, entries)?;
    match (a, b) {
        (&Val::Scalar(x), &Val::Scalar(y)) => Ok(Val::Scalar(f(x, y))),
        (&Val::Scalar(x), Val::Matrix(m)) => Ok(Val::Matrix(m.map(|y| f(x, y)))),
        (Val::Matrix(m), &Val::Scalar(y)) => Ok(Val::Matrix(m.map(|x| f(x, y)))),
        (Val::Matrix(m), Val::Matrix(n)) if m.shape() == n.shape() => Ok(Val::Matrix(m.zip_map(n, f))),
        (a, b) => Err(OpError(mismatch(op, a.dims(), b.dims()))),
    }
}

fn product(a: &Val, b: &Val, budget: &mut Budget) -> Result<Val, OpError> {
    match (a, b) {
        (&Val::Scalar(x), other) | (other, &Val::Scalar(x)) => {
            budget.spend(other.entries().len(), 0)?;
            Ok(other.map(|y| x * y))
        }
        (Val::Matrix(m), Val::Matrix(n)) => {
            let (da, db) = (Dims(m.nrows(), m.ncols()), Dims(n.nrows(), n.ncols()));
            if da.1 != db.0 {
                return Err(OpError(product_mismatch(da, db)));
            }
            budget.spend(da.0.saturating_mul(db.1), da.0.saturating_mul(da.1).saturating_mul(db.1))?;
            Ok(Val::from_matrix(m * n))
        }
    }
}

/// "1×2 times 1×2: the inner sizes differ; for entry by entry use .*", with the fixes that
/// would make the shapes fit.
fn product_mismatch(a: Dims, b: Dims) -> String {
    let mut fixes = Vec::new();
    if a == b {
        fixes.push("for entry by entry use .*".to_string());
    }
    if a.1 == b.1 {
        fixes.push("transpose the second factor (')".to_string());
    } else if a.0 == b.0 {
        fixes.push("transpose the first factor (')".to_string());
    } else if b.1 == a.0 {
        fixes.push("swap the factors".to_string());
    }
    let fixes = if fixes.is_empty() { String::new() } else { format!("; {}", fixes.join(", or ")) };
    format!("{a} times {b}: the inner sizes differ{fixes}")
}

/// "1×3 plus 3×1: the shapes differ; transpose one of them (')".
fn mismatch(op: Binary, a: Dims, b: Dims) -> String {
    let needs = match op {
        Binary::Add | Binary::Subtract => "the shapes differ",
        Binary::EntryProduct | Binary::EntryDivide | Binary::EntryPower => {
            "entry by entry needs one shape (or a number)"
        }
        _ => "a comparison needs one shape (or a number)",
    };
    let fix = if a == b.transposed() { "; transpose one of them (')" } else { "" };
    format!("{a} {} {b}: {needs}{fix}", op.word())
}

/// Why `result` of `a op b` is not finite when `a` and `b` are: looks at the first entry
/// that is not.
pub(super) fn why_not_finite(op: Binary, a: &Val, b: &Val, result: &Val) -> &'static str {
    let Some(at) = result.entries().iter().position(|r| !r.is_finite()) else { return TOO_LARGE };
    let operand = |v: &Val| v.entries().get(at).or_else(|| v.entries().first()).copied().unwrap_or(0.0);
    let (x, y) = (operand(a), operand(b));
    match op {
        Binary::Divide | Binary::EntryDivide if y == 0.0 => "division by zero",
        Binary::Power | Binary::EntryPower if x == 0.0 && y < 0.0 => "division by zero",
        Binary::Power | Binary::EntryPower if x < 0.0 && y.fract() != 0.0 => {
            "a negative number to a fractional power"
        }
        Binary::Power | Binary::EntryPower if x == std::f64::consts::E => EXP_TOO_LARGE,
        _ => TOO_LARGE,
    }
}
