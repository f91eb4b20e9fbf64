//! Running a parsed answer in an environment: a loop over the postfix program with a stack
//! of values, each remembering the first operation that made it stop being finite.

use super::algebra::{Budget, Dims, MAX_HELD, OpError, TOO_LARGE, Val, binary, why_not_finite};
use super::ast::{Node, Op, Program};
use super::error::AnswerError;
use super::names::{Binding, Environment, unknown_name};
use crate::value::Value;
use nalgebra::{DMatrix, DVector};
use std::borrow::Cow;

/// The value of an answer: its shape as computed, in the notes' orientation, and the
/// [`Value`] the grader compares (see the module documentation for how one gives the other).
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    rows: usize,
    cols: usize,
    value: Value,
}

impl Evaluation {
    /// Rows and columns: `(1, 1)` for a number, `(1, 3)` for `[a b c]`.
    pub fn shape(&self) -> (usize, usize) {
        (self.rows, self.cols)
    }

    pub fn value(&self) -> &Value {
        &self.value
    }

    pub fn into_value(self) -> Value {
        self.value
    }

    /// The value as a matrix of [`Evaluation::shape`].
    pub fn matrix(&self) -> DMatrix<f64> {
        DMatrix::from_row_slice(self.rows, self.cols, &self.value.entries())
    }
}

/// Where a value stopped being finite, and why.
#[derive(Debug, Clone)]
struct Culprit {
    column: usize,
    why: Cow<'static, str>,
}

/// A value on the stack, with where its expression starts.
struct Item {
    val: Val,
    start: usize,
    culprit: Option<Culprit>,
}

pub(super) fn evaluate(program: &Program, env: &dyn Environment) -> Result<Evaluation, AnswerError> {
    let mut stack = Stack { items: Vec::with_capacity(program.nodes.len()), held: 0 };
    let mut budget = Budget::new();
    for node in &program.nodes {
        let item = step(program, node, &mut stack, &mut budget, env)?;
        stack.push(item)?;
    }
    let item = stack.pop()?;
    if let Some(at) = first_not_finite(&item.val) {
        let which = which_entry(item.val.dims(), at, program.written_as_list);
        let culprit = item.culprit.unwrap_or(Culprit { column: item.start, why: Cow::Borrowed(TOO_LARGE) });
        let tip = if culprit.why == TOO_LARGE { LARGE_LOGITS } else { "" };
        return Err(AnswerError::new(
            culprit.column,
            format!("{which} is not a finite number ({}){tip}", culprit.why),
        ));
    }
    Ok(evaluation(item.val, program.written_as_list))
}

const LARGE_LOGITS: &str = "; tip: exp overflows past about 709, so subtract the largest logit \
     first, e.g. exp(o - max(o)): the softmax does not change";

/// The value of one node, from the values of its operands on top of `stack`.
fn step(
    program: &Program,
    node: &Node,
    stack: &mut Stack,
    budget: &mut Budget,
    env: &dyn Environment,
) -> Result<Item, AnswerError> {
    let at = |OpError(message)| AnswerError::new(node.at, message);
    let (val, culprit) = match node.op {
        Op::Number(x) => (Val::Scalar(x), fresh(&Val::Scalar(x), node, TOO_LARGE)),
        Op::Name(index) => {
            let name = program.names.get(index).map_or("", String::as_str);
            let matrix = match env.lookup(name) {
                Binding::Value(matrix) => matrix,
                Binding::Unknown => return Err(AnswerError::new(node.at, unknown_name(name, env))),
                Binding::Unavailable(message) => return Err(AnswerError::new(node.at, message)),
            };
            budget.spend(matrix.len(), matrix.len()).map_err(at)?;
            let val = Val::from_matrix(matrix.into_owned());
            let culprit = (!val.is_finite()).then(|| Culprit {
                column: node.start,
                why: format!("the value of {name} is not finite").into(),
            });
            (val, culprit)
        }
        Op::Negate | Op::Transpose => {
            let a = stack.pop()?;
            let val = if node.op == Op::Negate { a.val.map(|x| -x) } else { a.val.transpose() };
            (val, a.culprit)
        }
        Op::Binary(op) => {
            let b = stack.pop()?;
            let a = stack.pop()?;
            let val = binary(op, &a.val, &b.val, budget).map_err(at)?;
            let culprit = inherited(&val, [&a, &b])
                .or_else(|| fresh(&val, node, why_not_finite(op, &a.val, &b.val, &val)));
            (val, culprit)
        }
        Op::Call(function) => {
            let args = stack.split_top(function.arity())?;
            let culprit = args.iter().find_map(|a| a.culprit.clone());
            let args: Vec<Val> = args.into_iter().map(|a| a.val).collect();
            let val = function.apply(&args, budget).map_err(at)?;
            let culprit = if val.is_finite() {
                None
            } else {
                culprit.or_else(|| fresh(&val, node, function.why_not_finite()))
            };
            (val, culprit)
        }
        Op::Literal { rows, cols } => {
            let entries = stack.top(rows.saturating_mul(cols))?;
            if let Some(entry) = entries.iter().find(|e| !matches!(e.val, Val::Scalar(_))) {
                return Err(AnswerError::new(
                    entry.start,
                    format!(
                        "inside brackets each entry is one number, but this one is {}; write a matrix on its own",
                        entry.val.dims()
                    ),
                ));
            }
            budget.spend(entries.len(), entries.len()).map_err(at)?;
            let matrix = DMatrix::from_row_iterator(
                rows,
                cols,
                entries.iter().map(|e| match e.val {
                    Val::Scalar(x) => x,
                    Val::Matrix(_) => f64::NAN,
                }),
            );
            let val = Val::from_matrix(matrix);
            let culprit = inherited(&val, entries.iter());
            stack.drop_top(rows.saturating_mul(cols));
            (val, culprit)
        }
        Op::Rows(count) => {
            let rows = stack.top(count)?;
            let cols = rows.first().map_or(0, |r| r.val.dims().1);
            if let Some(row) = rows.iter().find(|r| r.val.dims() != Dims(1, cols)) {
                return Err(AnswerError::new(
                    row.start,
                    format!("this row is {}, not 1×{cols}", row.val.dims()),
                ));
            }
            budget.spend(count.saturating_mul(cols), count).map_err(at)?;
            let matrix = DMatrix::from_row_iterator(
                count,
                cols,
                rows.iter().flat_map(|r| r.val.entries().iter().copied()),
            );
            let val = Val::from_matrix(matrix);
            let culprit = inherited(&val, rows.iter());
            stack.drop_top(count);
            (val, culprit)
        }
    };
    Ok(Item { val, start: node.start, culprit })
}

/// The first culprit among `operands` when `val` is not finite.
fn inherited<'a>(val: &Val, operands: impl IntoIterator<Item = &'a Item>) -> Option<Culprit> {
    if val.is_finite() {
        return None;
    }
    operands.into_iter().find_map(|o| o.culprit.clone())
}

/// `node` as the culprit when `val` is not finite.
fn fresh(val: &Val, node: &Node, why: &'static str) -> Option<Culprit> {
    (!val.is_finite()).then_some(Culprit { column: node.start, why: Cow::Borrowed(why) })
}

/// The stack never runs short for a program the parser built; an error rather than a panic
/// keeps that promise cheap to break.
fn malformed() -> AnswerError {
    AnswerError::new(0, "the answer could not be evaluated")
}

/// The values computed and not yet used, and how many entries they hold together.
struct Stack {
    items: Vec<Item>,
    held: usize,
}

impl Stack {
    fn push(&mut self, item: Item) -> Result<(), AnswerError> {
        self.held += item.val.entries().len();
        if self.held > MAX_HELD {
            return Err(AnswerError::new(
                item.start,
                format!("the answer holds more than {MAX_HELD} entries at once"),
            ));
        }
        self.items.push(item);
        Ok(())
    }

    fn pop(&mut self) -> Result<Item, AnswerError> {
        let item = self.items.pop().ok_or_else(malformed)?;
        self.held -= item.val.entries().len();
        Ok(item)
    }

    /// The top `n` items, oldest first, left on the stack.
    fn top(&self, n: usize) -> Result<&[Item], AnswerError> {
        let from = self.items.len().checked_sub(n).ok_or_else(malformed)?;
        Ok(&self.items[from..])
    }

    /// The top `n` items, oldest first, taken off the stack.
    fn split_top(&mut self, n: usize) -> Result<Vec<Item>, AnswerError> {
        let from = self.items.len().checked_sub(n).ok_or_else(malformed)?;
        let taken = self.items.split_off(from);
        self.held -= taken.iter().map(|i| i.val.entries().len()).sum::<usize>();
        Ok(taken)
    }

    /// Takes the top `n` items off the stack.
    fn drop_top(&mut self, n: usize) {
        let from = self.items.len().saturating_sub(n);
        self.held -= self.items[from..].iter().map(|i| i.val.entries().len()).sum::<usize>();
        self.items.truncate(from);
    }
}

/// Reading-order position of the first entry that is not finite.
fn first_not_finite(val: &Val) -> Option<usize> {
    let Dims(rows, cols) = val.dims();
    let entries = val.entries();
    (0..rows * cols).find(|&n| !entries[(n % cols) * rows + n / cols].is_finite())
}

/// "the answer", "entry 2" or "entry [2,1]", as the learner would count.
fn which_entry(dims: Dims, at: usize, list: bool) -> String {
    match dims {
        Dims(1, 1) if !list => "the answer".to_string(),
        _ if list => format!("entry {}", at + 1),
        Dims(_, cols) => format!("entry [{},{}]", at / cols + 1, at % cols + 1),
    }
}

/// A list written as such is a flat vector, a number is a scalar, anything else a matrix.
fn evaluation(val: Val, list: bool) -> Evaluation {
    let Dims(rows, cols) = val.dims();
    let value = match val {
        Val::Scalar(x) if list => Value::Vector(DVector::from_element(1, x)),
        Val::Scalar(x) => Value::Scalar(x),
        Val::Matrix(m) if list => Value::Vector(DVector::from_vec(Vec::from(m.data))),
        Val::Matrix(m) => Value::Matrix(m),
    };
    Evaluation { rows, cols, value }
}
