//! The parsed form of an answer: a program in postfix order, kept apart from evaluation so
//! that one parse can be evaluated in many environments (the identity test of a formula
//! answer evaluates it on several perturbed lessons).
//!
//! Postfix order is the order in which the parser completes nodes, so building it needs no
//! tree, and evaluating it needs only a loop and a stack: no recursion, however long the
//! answer (`1+1+…+1` is 5,000 nodes deep as a tree).

use super::error::Note;
use super::functions::Function;

#[derive(Debug, Clone, PartialEq)]
pub(super) struct Program {
    pub nodes: Vec<Node>,
    /// Every name other than the constants and functions, once each, in order of first use.
    pub names: Vec<String>,
    /// Each use of a name: its column and its index in `names`.
    pub uses: Vec<(usize, usize)>,
    pub notes: Vec<Note>,
    /// Whether the whole answer is one bracket list with a single row or column and nothing
    /// done to it: it is then reported as a flat vector (see the module documentation).
    pub written_as_list: bool,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Node {
    pub op: Op,
    /// Where the node's whole expression starts: where a value that went wrong is pointed at.
    pub start: usize,
    /// Where its operator is: where a shape that does not fit is pointed at.
    pub at: usize,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Op {
    Number(f64),
    /// An index into [`Program::names`].
    Name(usize),
    Negate,
    Transpose,
    Binary(Binary),
    Call(Function),
    /// A bracket literal `[a, b; c, d]`: takes `rows * cols` numbers in reading order.
    Literal {
        rows: usize,
        cols: usize,
    },
    /// numpy's nesting `[[a, b], [c, d]]`: takes that many rows, each a `Literal` of one row.
    Rows(usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Binary {
    Add,
    Subtract,
    /// `*`, `@` and a product written without an operator: the matrix product.
    Product,
    Divide,
    Power,
    EntryProduct,
    EntryDivide,
    EntryPower,
    Greater,
    Less,
    GreaterEqual,
    LessEqual,
}

impl Binary {
    /// How the operation reads in a message: "1×2 times 2×3".
    pub(super) fn word(self) -> &'static str {
        match self {
            Binary::Add => "plus",
            Binary::Subtract => "minus",
            Binary::Product => "times",
            Binary::Divide => "divided by",
            Binary::Power => "to the power",
            Binary::EntryProduct => ".*",
            Binary::EntryDivide => "./",
            Binary::EntryPower => ".^",
            Binary::Greater => ">",
            Binary::Less => "<",
            Binary::GreaterEqual => ">=",
            Binary::LessEqual => "<=",
        }
    }
}
