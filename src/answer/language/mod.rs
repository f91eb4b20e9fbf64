//! The answer language: what a learner types for a number, a vector, a matrix or a formula
//! (DESIGN.md §4).
//!
//! A hand-written lexer and Pratt parser (no parser crate fits: the usual ones divide
//! integers, are unmaintained, or read `-2^2` as 4) turn the text into a postfix program
//! ([`parse`]); evaluating it in an [`Environment`] gives its value ([`ParsedAnswer::evaluate`]).
//! Parsing once and evaluating many times is what checking a formula as an identity needs.
//!
//! # The language
//! - Numbers `-0.755`, `1e-3`, `.5`, `5.`; `+ - * / ^`, `**` for `^`, parentheses; `^`
//!   binds tighter than a sign (`-2^2` = −4) and to the right (`2^3^2` = 512), and its right
//!   operand may carry a sign (`2^-1`). The constants `e` and `pi` (`π`); the functions `exp`,
//!   `ln`, `log` (natural, with a note saying so), `log10`, `sqrt`, `abs`, `tanh`,
//!   `sigmoid` and `relu`, entry by entry; `diag`, `outer`, `sum`, `max`, `softmax` and
//!   `onehot(k, K)`. numpy's and Python's `np.`, `numpy.` and `math.` prefixes are accepted.
//! - A product needs no `*` where nothing else is meant: `2pi`, `2(3+1)`, `(1+2)(3)`,
//!   `2 e^3`, `W2 h1`. It binds as `*` does, so `1/2pi` is (1/2)·π, which a note points out.
//!   `2e-3` stays a number, and `2 3` asks for an operator.
//! - Inside brackets a space separates entries, as in MATLAB: `[1 -2]` is two entries,
//!   `[1 - 2]` one, `[2 e^3]` two; inside parentheses within brackets a space is a space.
//! - Every value is a matrix, in the notes' orientation: a number is 1×1, `[a, b, c]` and
//!   `[a b c]` are 1×3 rows, `[a; b; c]` a 3×1 column, `[[a, b], [c, d]]` and `[a b; c d]`
//!   2×2. `'`, `.'`, `^T`, `.T` and `ᵀ` transpose; `*` (and `@`) is the matrix product and
//!   scales by a number; `.* ./ .^` work entry by entry; `+ -` need one shape, or a number;
//!   `> < >= <=` give 1 or 0 per entry, so `diag(z2 > 0)` is the ReLU gate of Eq. (73).
//!   `/` divides by a number only and `^` takes numbers only: a matrix power would mean
//!   `A*A` to a MATLAB user and `A.^2` to a numpy user.
//! - Pasted characters: `−` and dashes (minus), `× · ⋅ ∙` (times), `÷`, `√x`, `x²`, `x³`,
//!   `10⁻³`, `≥ ≤`, `’` (transpose), full-width digits and punctuation; numpy's printouts
//!   `[[1. 2.] [3. 6.]]` and `array([1, 2], dtype=float32)`.
//! - Names (`dL_do`, `W1`, `h1`, `e_y`, …) are whatever the environment says; an answer that
//!   uses one is a formula ([`ParsedAnswer::is_formula`]). `e`, `pi` and the function names
//!   are the language's own and never looked up.
//!
//! # From a matrix to a [`Value`]
//! The grader compares [`Value`]s, and accepts a flat vector for a vector and for a one-row
//! or one-column matrix. So an answer that is just one bracket list of a single row or
//! column, with nothing done to it (`[a, b, c]`, `[a b c]`, `[a; b; c]`, also in
//! parentheses or `array(…)`), is a [`Value::Vector`]: it is accepted whichever way a vector
//! quantity is oriented. Anything else keeps the shape it computes to, a 1×1 result being a
//! [`Value::Scalar`]: `dL_do'` is a 3×1 matrix, and given for a 1×3 quantity it is
//! diagnosed as transposed. numpy's explicit 2-D `[[a, b, c]]` is a 1×3 matrix.
//!
//! # Errors, notes and limits
//! Every error points at a character (not a byte) and renders with a caret. A value has to
//! be finite only at the end, as in IEEE arithmetic (`1/exp(1000)` is 0); when it is not,
//! the error names the first operation that went wrong, and an overflow comes with the tip
//! to subtract the largest logit. Answers are at most 10,000 characters and 64 levels deep,
//! and evaluation allocates and computes a bounded amount, so no input can exhaust the stack,
//! the memory or the time. Nothing here panics, and the same input always gives the same
//! result.

mod algebra;
mod ast;
mod error;
mod eval;
mod functions;
mod lexer;
mod names;
mod parser;
mod pasted;

pub use error::{AnswerError, Note};
pub use eval::Evaluation;
pub use names::{Binding, Environment, Names, NoNames};

use crate::value::Value;

/// An answer read but not yet evaluated.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedAnswer {
    program: ast::Program,
}

/// Reads an answer. Names are only recorded here: whether they exist is up to the
/// environment the answer is evaluated in.
pub fn parse(input: &str) -> Result<ParsedAnswer, AnswerError> {
    parser::parse(input).map(|program| ParsedAnswer { program })
}

/// Reads and evaluates an answer that uses no names: a number, a vector or a matrix.
pub fn parse_answer(input: &str) -> Result<Value, AnswerError> {
    Ok(parse(input)?.evaluate(&NoNames)?.into_value())
}

impl ParsedAnswer {
    /// The value in `env`. Errors here are about values and shapes (an unknown name, a
    /// product of shapes that do not fit, an entry that is not finite), never syntax.
    pub fn evaluate(&self, env: &dyn Environment) -> Result<Evaluation, AnswerError> {
        eval::evaluate(&self.program, env)
    }

    /// Whether the answer uses a name, i.e. is a formula rather than a value.
    pub fn is_formula(&self) -> bool {
        !self.program.names.is_empty()
    }

    /// The names used, each once, in order of first use.
    pub fn names(&self) -> &[String] {
        &self.program.names
    }

    /// Every use of a name with its column, in reading order: where to point when names are
    /// not allowed.
    pub fn name_uses(&self) -> impl Iterator<Item = (&str, usize)> {
        self.program.uses.iter().map(|&(column, index)| (self.program.names[index].as_str(), column))
    }

    /// Remarks that do not change the value, such as `log` being natural here.
    pub fn notes(&self) -> &[Note] {
        &self.program.notes
    }
}
