//! A quantity's formula in the notes' matrix view (DESIGN.md §3), as a small expression tree:
//! the one description of a step's maths. The formula text, its LaTeX, its form in the answer
//! language, the derivation entry by entry, the Jacobians and values a step uses, the correct
//! method that grading re-runs on a learner's own numbers and the known mistakes (the formula
//! with one ingredient swapped) are all read off the same tree.

mod eval;
mod render;

pub use eval::{Matrix, Values};

use crate::network::{Activation, Network};
use crate::quantity::Quantity;

/// A layer that has weights: hidden layer `l` (1-based), or the output layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum WeightLayer {
    Hidden(usize),
    Output,
}

/// diag(f'(argument)), the gate of a hidden layer (Eq. 73). The right one evaluates the layer's
/// own f' at its z(l); known mistakes swap the layer, the function, the argument or the slope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Gate {
    pub layer: usize,
    pub activation: Activation,
    pub argument: Quantity,
    pub slope: Slope,
}

/// What a gate puts on its diagonal for each entry a of its argument.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Slope {
    /// f'(a): the right gate, with a = z(l).
    Derivative,
    /// f' written in terms of f's own output (h(1 − h) for sigmoid, 1 − h² for tanh, as a
    /// learner reads the gate off the forward pass) with a in place of that output: right for
    /// a = h(l), a known mistake for a = z(l).
    FromOutput,
    /// a itself, no derivative taken: diag(h(l)) or diag(z(l)), a known mistake.
    Argument,
}

/// A number of the notes' worked examples, which do not all describe one network (ERRATA 4):
/// a learner who copies one into a lesson with other numbers makes a known mistake.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NotesNumber {
    /// o = [1, 3, 2], the logits of Step 1's example.
    Logits,
    /// h(2) = [1, 2], the activation Step 2B's example uses (Eq. 27).
    StepTwoBActivation,
    /// h(2) = [4, 1], what Step 3A's network gives (W(2) [1, 1] = z(2) = [4, 1]).
    StepThreeAActivation,
    /// W(2) = [[1, 3], [2, −1]], Step 3A's weights.
    StepThreeAWeights,
}

/// A named matrix of the lesson. Vectors take the notes' orientation (DESIGN.md §4): the input,
/// activations, pre-activations, outputs, biases, e_y and t are columns; the gradients of the
/// loss with respect to a vector are rows (Eq. 60 writes ∂L/∂o as a 1×K matrix).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Term {
    /// A quantity of DESIGN.md §2.
    Value(Quantity),
    Weights(WeightLayer),
    Bias(WeightLayer),
    /// e_y, the one-hot column of the true class.
    Label,
    /// The one-hot column of class `c` (1-based), for mistakes with the wrong class.
    OneHot(usize),
    /// t, the target of mse.
    Target,
    Gate(Gate),
    /// A quantity of example n (1-based) of a dataset, as the totals read it (DESIGN.md §8).
    Example(Quantity, usize),
    /// η, the learning rate of `[train]`.
    LearningRate,
    /// A number of the notes' examples, for the mistake of using it instead of the lesson's.
    Notes(NotesNumber),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Formula {
    Term(Term),
    Transpose(Box<Formula>),
    /// A matrix product, factors in order.
    Product(Vec<Formula>),
    Sum(Vec<Formula>),
    Difference(Box<Formula>, Box<Formula>),
    Scale(f64, Box<Formula>),
    /// Entry by entry.
    Hadamard(Box<Formula>, Box<Formula>),
    /// Entry by entry.
    Quotient(Box<Formula>, Box<Formula>),
    /// f(z) entry by entry.
    Apply(Activation, Box<Formula>),
    Softmax(Box<Formula>),
    /// −ln p_y (Eq. 6–7, from the probabilities): `class` is the one-hot column of the class,
    /// [`Term::Label`] in the right formula.
    CrossEntropy {
        probabilities: Box<Formula>,
        class: Term,
    },
    /// ½ Σ (a − b)².
    HalfSquaredError(Box<Formula>, Box<Formula>),
    /// A scalar (1×1) times a matrix: η ∂L/∂W.
    Times(Box<Formula>, Box<Formula>),
    /// The average of its items: a total with reduction = "mean".
    Mean(Vec<Formula>),
    /// The lesson's total loss (every example's, summed or averaged as the lesson says) with
    /// these weights and biases in place of its own, in layer order: W(1) (then b(1) where
    /// layer 1 has one), …, W(o) (then b(o)). Step 6 reads the updated ones.
    TotalLoss(Vec<Formula>),
}

impl Term {
    /// The right gate of hidden layer `l` of `network`.
    pub fn gate(network: &Network, l: usize) -> Term {
        Term::Gate(Gate {
            layer: l,
            activation: network.layer(l).activation(),
            argument: Quantity::Z(l),
            slope: Slope::Derivative,
        })
    }

    /// The quantity a term stands for, and its example when it names one: what the term
    /// reads from the lesson or the learner (`None` for weights, labels and η, which are given).
    pub fn read(&self) -> Option<(Quantity, Option<usize>)> {
        match *self {
            Term::Value(q) => Some((q, None)),
            Term::Example(q, n) => Some((q, Some(n))),
            Term::Gate(gate) => Some((gate.argument, None)),
            _ => None,
        }
    }

    /// A vector quantity the notes write as a row: a gradient of the loss.
    pub fn is_row(quantity: Quantity) -> bool {
        matches!(quantity, Quantity::DlDo | Quantity::DlDh(_) | Quantity::DlDbo | Quantity::DlDb(_))
    }
}

impl Formula {
    pub fn term(term: Term) -> Formula {
        Formula::Term(term)
    }
    pub fn value(quantity: Quantity) -> Formula {
        Formula::Term(Term::Value(quantity))
    }
    pub fn transpose(self) -> Formula {
        Formula::Transpose(Box::new(self))
    }
    pub fn minus(self, other: Formula) -> Formula {
        Formula::Difference(Box::new(self), Box::new(other))
    }

    /// The terms of the formula, in reading order.
    pub fn terms(&self) -> Vec<Term> {
        let mut out = Vec::new();
        self.visit(&mut |f| {
            if let Formula::Term(t) = f {
                out.push(*t);
            }
        });
        out
    }

    /// The quantities the formula reads: its values, the z (or other argument) of its gates,
    /// and other examples' quantities (with their example; `None` is the formula's own).
    pub fn reads(&self) -> Vec<(Quantity, Option<usize>)> {
        let mut out = Vec::new();
        for read in self.terms().iter().filter_map(Term::read) {
            if !out.contains(&read) {
                out.push(read);
            }
        }
        out
    }

    fn visit(&self, f: &mut impl FnMut(&Formula)) {
        f(self);
        match self {
            Formula::Term(_) => {}
            Formula::Transpose(a)
            | Formula::Scale(_, a)
            | Formula::Apply(_, a)
            | Formula::Softmax(a)
            | Formula::CrossEntropy { probabilities: a, .. } => a.visit(f),
            Formula::Product(items)
            | Formula::Sum(items)
            | Formula::Mean(items)
            | Formula::TotalLoss(items) => items.iter().for_each(|i| i.visit(f)),
            Formula::Difference(a, b)
            | Formula::Hadamard(a, b)
            | Formula::Quotient(a, b)
            | Formula::HalfSquaredError(a, b)
            | Formula::Times(a, b) => {
                a.visit(f);
                b.visit(f);
            }
        }
    }

    /// The formula with every subtree for which `swap` gives a replacement replaced by it
    /// (outermost first): how a known mistake is made from the right formula.
    pub fn replace(&self, swap: &impl Fn(&Formula) -> Option<Formula>) -> Formula {
        if let Some(replacement) = swap(self) {
            return replacement;
        }
        let inner = |a: &Formula| Box::new(a.replace(swap));
        match self {
            Formula::Term(_) => self.clone(),
            Formula::Transpose(a) => Formula::Transpose(inner(a)),
            Formula::Scale(k, a) => Formula::Scale(*k, inner(a)),
            Formula::Apply(f, a) => Formula::Apply(*f, inner(a)),
            Formula::Softmax(a) => Formula::Softmax(inner(a)),
            Formula::CrossEntropy { probabilities, class } => {
                Formula::CrossEntropy { probabilities: inner(probabilities), class: *class }
            }
            Formula::Product(items) => Formula::Product(items.iter().map(|i| i.replace(swap)).collect()),
            Formula::Sum(items) => Formula::Sum(items.iter().map(|i| i.replace(swap)).collect()),
            Formula::Mean(items) => Formula::Mean(items.iter().map(|i| i.replace(swap)).collect()),
            Formula::TotalLoss(items) => Formula::TotalLoss(items.iter().map(|i| i.replace(swap)).collect()),
            Formula::Times(a, b) => Formula::Times(inner(a), inner(b)),
            Formula::Difference(a, b) => Formula::Difference(inner(a), inner(b)),
            Formula::Hadamard(a, b) => Formula::Hadamard(inner(a), inner(b)),
            Formula::Quotient(a, b) => Formula::Quotient(inner(a), inner(b)),
            Formula::HalfSquaredError(a, b) => Formula::HalfSquaredError(inner(a), inner(b)),
        }
    }

    /// The formula with `term` replaced by `by` wherever it stands.
    pub fn replace_term(&self, term: Term, by: &Formula) -> Formula {
        self.replace(&|f| matches!(f, Formula::Term(t) if *t == term).then(|| by.clone()))
    }

    /// The formula with the factor `term` left out of every product it stands in (a product
    /// left with one factor becomes that factor).
    pub fn without_factor(&self, term: Term) -> Formula {
        self.replace(&|f| {
            let Formula::Product(items) = f else { return None };
            if !items.iter().any(|i| matches!(i, Formula::Term(t) if *t == term)) {
                return None;
            }
            let mut rest: Vec<Formula> = items
                .iter()
                .filter(|i| !matches!(i, Formula::Term(t) if *t == term))
                .map(|i| i.without_factor(term))
                .collect();
            Some(if rest.len() == 1 { rest.remove(0) } else { Formula::Product(rest) })
        })
    }
}
