//! The functions an answer may call: the activations and logarithms entry by entry, and the
//! few matrix functions the notes' matrix view needs.

use super::algebra::{Budget, EXP_TOO_LARGE, OpError, TOO_LARGE, Val};
use crate::network::Activation;
use nalgebra::{DMatrix, DVector};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Function {
    Exp,
    Ln,
    Log,
    Log10,
    Sqrt,
    Abs,
    Tanh,
    Sigmoid,
    Relu,
    Diag,
    Outer,
    Sum,
    Max,
    Softmax,
    Onehot,
}

const ALL: [Function; 15] = [
    Function::Exp,
    Function::Ln,
    Function::Log,
    Function::Log10,
    Function::Sqrt,
    Function::Abs,
    Function::Tanh,
    Function::Sigmoid,
    Function::Relu,
    Function::Diag,
    Function::Outer,
    Function::Sum,
    Function::Max,
    Function::Softmax,
    Function::Onehot,
];

const NOT_POSITIVE: &str = "the logarithm of a number that is not positive";

impl Function {
    pub(super) fn from_name(name: &str) -> Option<Function> {
        ALL.into_iter().find(|f| f.name() == name)
    }

    /// Every function's name, for suggestions.
    pub(super) fn names() -> impl Iterator<Item = &'static str> {
        ALL.into_iter().map(Function::name)
    }

    pub(super) fn name(self) -> &'static str {
        match self {
            Function::Exp => "exp",
            Function::Ln => "ln",
            Function::Log => "log",
            Function::Log10 => "log10",
            Function::Sqrt => "sqrt",
            Function::Abs => "abs",
            Function::Tanh => "tanh",
            Function::Sigmoid => "sigmoid",
            Function::Relu => "relu",
            Function::Diag => "diag",
            Function::Outer => "outer",
            Function::Sum => "sum",
            Function::Max => "max",
            Function::Softmax => "softmax",
            Function::Onehot => "onehot",
        }
    }

    pub(super) fn arity(self) -> usize {
        match self {
            Function::Outer | Function::Onehot => 2,
            _ => 1,
        }
    }

    /// How to call it, for messages.
    pub(super) fn signature(self) -> String {
        match self {
            Function::Outer => "outer(u, v)".to_string(),
            Function::Onehot => "onehot(k, K)".to_string(),
            f => format!("{}(x)", f.name()),
        }
    }

    /// Why a result is not finite when the arguments are.
    pub(super) fn why_not_finite(self) -> &'static str {
        match self {
            Function::Ln | Function::Log | Function::Log10 => NOT_POSITIVE,
            Function::Sqrt => "the square root of a negative number",
            Function::Exp => EXP_TOO_LARGE,
            _ => TOO_LARGE,
        }
    }

    /// Applies the function to exactly [`Function::arity`] arguments.
    pub(super) fn apply(self, args: &[Val], budget: &mut Budget) -> Result<Val, OpError> {
        let wrong_count = || OpError(format!("{} takes {} argument(s)", self.signature(), self.arity()));
        let (Some(x), second) = (args.first(), args.get(1)) else { return Err(wrong_count()) };
        if let Some(f) = self.entrywise() {
            budget.spend(x.entries().len(), x.entries().len())?;
            return Ok(x.map(f));
        }
        match (self, second) {
            (Function::Diag, _) => diag(x, budget),
            (Function::Sum, _) => Ok(Val::Scalar(vector(self, x)?.iter().sum())),
            (Function::Max, _) => Ok(Val::Scalar(largest(vector(self, x)?))),
            (Function::Softmax, _) => softmax(x, budget),
            (Function::Outer, Some(v)) => outer(x, v, budget),
            (Function::Onehot, Some(total)) => onehot(x, total, budget),
            _ => Err(wrong_count()),
        }
    }

    fn entrywise(self) -> Option<fn(f64) -> f64> {
        Some(match self {
            Function::Exp => f64::exp,
            Function::Ln | Function::Log => f64::ln,
            Function::Log10 => f64::log10,
            Function::Sqrt => f64::sqrt,
            Function::Abs => f64::abs,
            Function::Tanh => f64::tanh,
            // The engine's own, so that a typed sigmoid(z) is the lesson's to the last bit.
            Function::Sigmoid => |x| Activation::Sigmoid.apply(x),
            // `f64::max` would turn NaN into 0 and hide where the answer went wrong.
            Function::Relu => |x| if x > 0.0 || x.is_nan() { x } else { 0.0 },
            _ => return None,
        })
    }
}

/// The entries of `x`, which must be a row or a column (or a number).
fn vector(function: Function, x: &Val) -> Result<&[f64], OpError> {
    let dims = x.dims();
    if dims.is_vector() {
        Ok(x.entries())
    } else {
        Err(OpError(format!(
            "{} takes a vector (a row or a column), not a {dims} matrix",
            function.signature()
        )))
    }
}

/// The largest entry; NaN if any entry is NaN, so that it is reported rather than skipped.
fn largest(entries: &[f64]) -> f64 {
    entries
        .iter()
        .try_fold(f64::NEG_INFINITY, |m, &x| if x.is_nan() { None } else { Some(m.max(x)) })
        .unwrap_or(f64::NAN)
}

/// As MATLAB's `diag`: a vector becomes the square matrix with it on the diagonal (Eq. (73)'s
/// gate), and a square matrix gives its diagonal as a column.
fn diag(x: &Val, budget: &mut Budget) -> Result<Val, OpError> {
    let dims = x.dims();
    if dims.is_vector() {
        let n = x.entries().len();
        budget.spend(n.saturating_mul(n), n)?;
        Ok(Val::from_matrix(DMatrix::from_diagonal(&DVector::from_column_slice(x.entries()))))
    } else {
        match x {
            Val::Matrix(m) if m.is_square() => {
                Ok(Val::Matrix(DMatrix::from_column_slice(dims.0, 1, m.diagonal().as_slice())))
            }
            _ => Err(OpError(format!(
                "diag(v) takes a vector (and makes a square matrix) or a square matrix (and gives its \
                 diagonal), not a {dims} matrix"
            ))),
        }
    }
}

/// Keeps the orientation of its argument, and subtracts the largest entry first, so that
/// logits of ±1000 give the right answer.
fn softmax(x: &Val, budget: &mut Budget) -> Result<Val, OpError> {
    let entries = vector(Function::Softmax, x)?;
    budget.spend(entries.len(), entries.len())?;
    let top = largest(entries);
    let total: f64 = entries.iter().map(|&e| (e - top).exp()).sum();
    Ok(x.map(|e| (e - top).exp() / total))
}

/// The column `u` times the row `v`, whichever way each was written.
fn outer(u: &Val, v: &Val, budget: &mut Budget) -> Result<Val, OpError> {
    let (u, v) = (vector(Function::Outer, u)?, vector(Function::Outer, v)?);
    budget.spend(u.len().saturating_mul(v.len()), u.len().saturating_mul(v.len()))?;
    Ok(Val::from_matrix(DMatrix::from_fn(u.len(), v.len(), |i, j| u[i] * v[j])))
}

/// The K×1 column with a 1 at k (1-based, as the notes count classes): e_y.
fn onehot(k: &Val, total: &Val, budget: &mut Budget) -> Result<Val, OpError> {
    let whole = |v: &Val| match v {
        Val::Scalar(x) if x.fract() == 0.0 && *x >= 1.0 => Some(*x),
        _ => None,
    };
    match (whole(k), whole(total)) {
        (Some(k), Some(total)) if k <= total => {
            // Both are whole numbers no larger than the entry limit once `spend` agrees.
            let size = if total > super::algebra::MAX_ENTRIES as f64 { usize::MAX } else { total as usize };
            budget.spend(size, size)?;
            let mut column = DMatrix::zeros(size, 1);
            column[(k as usize - 1, 0)] = 1.0;
            Ok(Val::from_matrix(column))
        }
        _ => Err(OpError(format!(
            "onehot(k, K) takes whole numbers with 1 ≤ k ≤ K (k = 1 is the first class); got {} and {}",
            describe(k),
            describe(total)
        ))),
    }
}

/// A number as itself, a matrix by its shape.
fn describe(v: &Val) -> String {
    match v {
        Val::Scalar(x) => format!("{x}"),
        Val::Matrix(_) => format!("a {} matrix", v.dims()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_function_is_found_by_its_name() {
        for f in ALL {
            assert_eq!(Function::from_name(f.name()), Some(f));
        }
        assert_eq!(Function::from_name("cos"), None);
    }

    #[test]
    fn largest_reports_nan() {
        assert_eq!(largest(&[1.0, 3.0, 2.0]), 3.0);
        assert!(largest(&[1.0, f64::NAN]).is_nan());
    }
}
