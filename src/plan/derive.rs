//! Derivations with the lesson's numbers substituted, entry by entry (SPEC §3): each line is
//! one entry of an asked quantity, the arithmetic that gives it, and its value.

use super::Step;
use crate::engine::Solution;
use crate::network::steps::StepKind;
use crate::network::{Activation, Objective};
use crate::quantity::{Quantity, QuantityRef};
use crate::value::Value;

/// The arithmetic of one entry, kept structured so text and LaTeX can both render it.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// A sum of products of numbers: 0.288·1·1 + (−0.575)·1·2.
    Products(Vec<Vec<f64>>),
    /// a − b, e.g. ô3 − 1 or o_i − t_i.
    Difference(f64, f64),
    /// f(z) for a hidden unit.
    Activation(Activation, f64),
    /// e^(o_i) / Σ_k e^(o_k).
    Softmax { numerator: f64, all: Vec<f64> },
    /// −ln p.
    NegLog(f64),
    /// ½ Σ (o_i − t_i)².
    HalfSquares(Vec<(f64, f64)>),
    /// Another entry, by name (∂L/∂o1 = ô1).
    Entry(QuantityRef),
    /// The weight w_i,j(l) (1-based; `layer` None for W(o)): what ∂z/∂h and ∂o/∂h entries equal.
    Weight { layer: Option<usize>, i: usize, j: usize },
    /// f'(z) on the diagonal of ∂h/∂z.
    Derivative(Activation, f64),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub entry: QuantityRef,
    pub expr: Expr,
    pub value: f64,
}

/// The step's derivation: at most `limit` lines, and how many more there would be.
///
/// The TUI calls this on every frame, and a layer may have a million weights: only the lines
/// shown are built, and each asked quantity's value is fetched once, not once per line.
pub fn derivation(step: &Step, solution: &Solution, limit: usize) -> (Vec<Line>, usize) {
    let mut lines = Vec::new();
    let mut total = 0;
    for asked in &step.asks {
        let shape = solution.network().shape(asked.quantity);
        let count = if asked.index.is_empty() { shape.entry_count() } else { 1 };
        total += count;
        let room = count.min(limit - lines.len());
        if room == 0 {
            continue;
        }
        let whole = solution.value(asked.quantity);
        for n in 0..room {
            let index = if asked.index.is_empty() { shape.index(n) } else { asked.index.clone() };
            let value = whole.as_ref().map_or(f64::NAN, |whole| entry_value(whole, &index));
            let entry = QuantityRef { quantity: asked.quantity, index };
            lines.push(Line { expr: expr(step.kind, solution, &entry), entry, value });
        }
    }
    let shown = lines.len();
    (lines, total - shown)
}

/// The entry of `whole` at the 1-based `index` (a scalar's own value for `[]`), NaN where there
/// is none.
fn entry_value(whole: &Value, index: &[usize]) -> f64 {
    match (whole, index) {
        (Value::Scalar(x), []) => *x,
        _ => whole.entry(index).unwrap_or(f64::NAN),
    }
}

fn expr(kind: StepKind, s: &Solution, entry: &QuantityRef) -> Expr {
    let n = s.network();
    let f = &s.forward;
    let g = &s.gradients;
    let k = n.depth();
    let i = entry.index.first().map_or(0, |i| i - 1);
    let j = entry.index.get(1).map_or(0, |j| j - 1);
    // Activation of layer l, with layer 0 the input x.
    let act = |l: usize| if l == 0 { n.input() } else { &f.h[l - 1] };
    let gate = |l: usize, unit: usize| s.gates[l - 1][unit];
    match (kind, entry.quantity) {
        (_, Quantity::Z(l)) => {
            let layer = n.layer(l);
            let mut terms: Vec<Vec<f64>> =
                (0..layer.weights().ncols()).map(|c| vec![layer.weights()[(i, c)], act(l - 1)[c]]).collect();
            terms.extend(layer.bias().map(|b| vec![b[i]]));
            Expr::Products(terms)
        }
        (_, Quantity::H(l)) => Expr::Activation(n.layer(l).activation(), f.z[l - 1][i]),
        (_, Quantity::O) => {
            let out = n.output();
            let mut terms: Vec<Vec<f64>> =
                (0..out.weights().ncols()).map(|c| vec![out.weights()[(i, c)], act(k)[c]]).collect();
            terms.extend(out.bias().map(|b| vec![b[i]]));
            Expr::Products(terms)
        }
        (_, Quantity::OHat) => Expr::Softmax { numerator: f.o[i], all: f.o.iter().copied().collect() },
        (_, Quantity::Loss) => match n.objective() {
            Objective::SoftmaxCrossEntropy { label } => {
                Expr::NegLog(f.o_hat.as_ref().map_or(f64::NAN, |p| p[label - 1]))
            }
            Objective::Mse { target } => {
                Expr::HalfSquares(f.o.iter().zip(target.iter()).map(|(&o, &t)| (o, t)).collect())
            }
        },
        (_, Quantity::DlDo) => match n.objective() {
            Objective::SoftmaxCrossEntropy { label } if *label == i + 1 => {
                Expr::Difference(f.o_hat.as_ref().map_or(f64::NAN, |p| p[i]), 1.0)
            }
            Objective::SoftmaxCrossEntropy { .. } => {
                Expr::Entry(QuantityRef { quantity: Quantity::OHat, index: vec![i + 1] })
            }
            Objective::Mse { target } => Expr::Difference(f.o[i], target[i]),
        },
        (StepKind::LastHidden, Quantity::DlDh(_)) => {
            let w = n.output().weights();
            Expr::Products((0..w.nrows()).map(|r| vec![g.dl_do[r], w[(r, i)]]).collect())
        }
        (_, Quantity::DlDh(below)) => {
            let l = below + 1;
            let w = n.layer(l).weights();
            Expr::Products((0..w.nrows()).map(|r| vec![g.dl_dh[l - 1][r], gate(l, r), w[(r, i)]]).collect())
        }
        (_, Quantity::DlDwo) => Expr::Products(vec![vec![g.dl_do[i], act(k)[j]]]),
        (_, Quantity::DlDbo) => Expr::Entry(QuantityRef { quantity: Quantity::DlDo, index: vec![i + 1] }),
        (_, Quantity::DlDw(l)) => Expr::Products(vec![vec![g.dl_dh[l - 1][i], gate(l, i), act(l - 1)[j]]]),
        (_, Quantity::DlDb(l)) => Expr::Products(vec![vec![g.dl_dh[l - 1][i], gate(l, i)]]),
        (_, Quantity::X) => Expr::Products(vec![vec![n.input()[i]]]),
        (_, Quantity::DoDh(_)) => Expr::Weight { layer: None, i: i + 1, j: j + 1 },
        (_, Quantity::DzDh(l)) => Expr::Weight { layer: Some(l), i: i + 1, j: j + 1 },
        (_, Quantity::DhDz(l)) if i == j => Expr::Derivative(n.layer(l).activation(), f.z[l - 1][i]),
        (_, Quantity::DhDz(_)) => Expr::Products(vec![vec![0.0]]),
        (_, Quantity::DhDh(l)) => Expr::Products(vec![vec![gate(l, i), n.layer(l).weights()[(i, j)]]]),
    }
}
