//! Derivations with the lesson's numbers substituted, entry by entry (DESIGN.md §3): each line is
//! one entry of an asked quantity, the arithmetic that gives it, and its value.

use super::Step;
use super::definition::definition_of;
use super::formula::{Formula, Matrix, Term, WeightLayer};
use crate::engine::Solution;
use crate::network::steps::StepKind;
use crate::network::{Activation, Objective};
use crate::quantity::{Quantity, QuantityRef};
use crate::value::{Shape, Value};
use std::collections::HashMap;

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
    /// A weight moved by one step of gradient descent: w − η·g.
    Update { weight: f64, rate: f64, gradient: f64 },
    /// The average of the examples' values: (a + b + c) / 3.
    Mean(Vec<f64>),
    /// A total over the examples of their own arithmetic, summed or (`mean`) averaged: the loss
    /// after the step, −ln ô_y of each example with the new weights.
    Total { parts: Vec<Expr>, mean: bool },
    /// An expanded expression minus a number: e^2 / (e^1 + e^3 + e^2) − 1.
    Minus(Box<Expr>, f64),
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
/// shown are built, and each term's matrix is computed once, not once per line.
pub fn derivation(step: &Step, solution: &Solution, limit: usize) -> (Vec<Line>, usize) {
    derive_with(step, solution, limit, |name| definition_of(solution.network(), name))
}

/// Step 1 with ô written out as the softmax of o: the notes' exact form, ∂L/∂o3 =
/// e^2 / (e^1 + e^3 + e^2) − 1. `None` for any other step, or without a softmax.
pub fn softmax_form(step: &Step, solution: &Solution, limit: usize) -> Option<(Vec<Line>, usize)> {
    let network = solution.network();
    if step.kind != StepKind::OutputGradient || !network.is_softmax() {
        return None;
    }
    let softmax = Formula::Softmax(Box::new(Formula::value(Quantity::O)));
    let inlined = |name: &QuantityRef| {
        definition_of(network, name).map(|f| f.replace_term(Term::Value(Quantity::OHat), &softmax))
    };
    Some(derive_with(step, solution, limit, inlined))
}

fn derive_with(
    step: &Step,
    solution: &Solution,
    limit: usize,
    formula_of: impl Fn(&QuantityRef) -> Option<Formula>,
) -> (Vec<Line>, usize) {
    let network = solution.network();
    let mut lines = Vec::new();
    let mut total = 0;
    for asked in &step.asks {
        let shape = network.shape(asked.quantity);
        let count = if asked.index.is_empty() { shape.entry_count() } else { 1 };
        total += count;
        let room = count.min(limit - lines.len());
        if room == 0 {
            continue;
        }
        let whole = solution.value_of(&asked.whole());
        let formula = formula_of(asked);
        // One example's quantities are worked on its own pass; totals and updates on the lesson's.
        let pass = solution.pass(asked.example);
        let mut terms =
            Terms { solution: pass, lesson: solution, example: asked.example, cache: HashMap::new() };
        let orientation = formula.as_ref().and_then(|f| f.eval(pass)).map(|m| m.rows() == 1);
        for n in 0..room {
            let index = if asked.index.is_empty() { shape.index(n) } else { asked.index.clone() };
            let value = whole.as_ref().map_or(f64::NAN, |whole| entry_value(whole, &index));
            let entry = QuantityRef { index, ..asked.whole() };
            let (r, c) = match (entry.index.as_slice(), orientation) {
                ([i], Some(true)) => (0, i - 1),
                ([i], _) => (i - 1, 0),
                ([i, j], _) => (i - 1, j - 1),
                _ => (0, 0),
            };
            let expr = formula
                .as_ref()
                .and_then(|f| terms.expand(f, r, c))
                .unwrap_or(Expr::Products(vec![vec![value]]));
            lines.push(Line { expr, entry, value });
        }
    }
    let shown = lines.len();
    (lines, total - shown)
}

impl Expr {
    /// The value the arithmetic gives; `None` for a reference to another entry (or a weight),
    /// which is no arithmetic.
    pub fn eval(&self) -> Option<f64> {
        Some(match self {
            Expr::Products(terms) => terms.iter().map(|factors| factors.iter().product::<f64>()).sum(),
            Expr::Difference(a, b) => a - b,
            Expr::Activation(activation, z) => activation.apply(*z),
            Expr::Softmax { numerator, all } => {
                // Shifted by the largest power, as the engine does, so e^1000 does not overflow.
                let top = all.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                (numerator - top).exp() / all.iter().map(|x| (x - top).exp()).sum::<f64>()
            }
            Expr::NegLog(p) => -p.ln(),
            Expr::HalfSquares(pairs) => 0.5 * pairs.iter().map(|(o, t)| (o - t) * (o - t)).sum::<f64>(),
            Expr::Entry(_) | Expr::Weight { .. } => return None,
            Expr::Derivative(activation, z) => activation.derivative(*z),
            Expr::Update { weight, rate, gradient } => weight - rate * gradient,
            Expr::Mean(values) => values.iter().sum::<f64>() / values.len() as f64,
            Expr::Total { parts, mean } => {
                let sum = parts.iter().map(Expr::eval).sum::<Option<f64>>()?;
                if *mean { sum / parts.len() as f64 } else { sum }
            }
            Expr::Minus(a, b) => a.eval()? - b,
        })
    }

    /// The same arithmetic with every number passed through `f` (rounded as shown, say).
    pub fn map_numbers(&self, f: &impl Fn(f64) -> f64) -> Expr {
        match self {
            Expr::Products(terms) => {
                Expr::Products(terms.iter().map(|factors| factors.iter().map(|&x| f(x)).collect()).collect())
            }
            Expr::Difference(a, b) => Expr::Difference(f(*a), f(*b)),
            Expr::Activation(activation, z) => Expr::Activation(*activation, f(*z)),
            Expr::Softmax { numerator, all } => {
                Expr::Softmax { numerator: f(*numerator), all: all.iter().map(|&x| f(x)).collect() }
            }
            Expr::NegLog(p) => Expr::NegLog(f(*p)),
            Expr::HalfSquares(pairs) => Expr::HalfSquares(pairs.iter().map(|&(o, t)| (f(o), f(t))).collect()),
            Expr::Entry(_) | Expr::Weight { .. } => self.clone(),
            Expr::Derivative(activation, z) => Expr::Derivative(*activation, f(*z)),
            Expr::Update { weight, rate, gradient } => {
                Expr::Update { weight: f(*weight), rate: f(*rate), gradient: f(*gradient) }
            }
            Expr::Mean(values) => Expr::Mean(values.iter().map(|&x| f(x)).collect()),
            Expr::Total { parts, mean } => {
                Expr::Total { parts: parts.iter().map(|part| part.map_numbers(f)).collect(), mean: *mean }
            }
            Expr::Minus(a, b) => Expr::Minus(Box::new(a.map_numbers(f)), f(*b)),
        }
    }
}

/// The entry of `whole` at the 1-based `index` (a scalar's own value for `[]`), NaN where there
/// is none.
fn entry_value(whole: &Value, index: &[usize]) -> f64 {
    match (whole, index) {
        (Value::Scalar(x), []) => *x,
        _ => whole.entry(index).unwrap_or(f64::NAN),
    }
}

/// Where a product's factors stand in a derivation line: the gradient first, then the gate,
/// the weight and the activation, as the notes write the scalar forms (Eqs. (17), (36), (44)).
fn order(term: &Term) -> u8 {
    match term {
        Term::Value(q) if Term::is_row(*q) => 0,
        Term::Gate(_) => 1,
        Term::Weights(_) => 2,
        Term::Bias(_) => 4,
        _ => 3,
    }
}

/// The lesson's matrices of a formula's terms, each computed once.
struct Terms<'a> {
    /// The pass the formula is evaluated on: the asked example's.
    solution: &'a Solution,
    /// The whole lesson, for the pass after the update.
    lesson: &'a Solution,
    /// The example the formula's own values belong to.
    example: Option<usize>,
    cache: HashMap<Term, Option<Matrix>>,
}

impl Terms<'_> {
    fn matrix(&mut self, term: Term) -> Option<&Matrix> {
        let solution = self.solution;
        self.cache.entry(term).or_insert_with(|| term.eval(solution)).as_ref()
    }

    fn entry(&mut self, term: Term, r: usize, c: usize) -> Option<f64> {
        self.matrix(term)?.get(r, c)
    }

    /// The reference of entry (r, c) of a quantity's matrix, in the notes' 1-based indices, of
    /// `example` (the formula's own when `None`).
    fn reference(&self, quantity: Quantity, example: Option<usize>, r: usize, c: usize) -> QuantityRef {
        let index = match self.solution.network().shape(quantity) {
            Shape::Scalar => vec![],
            Shape::Vector(_) => vec![r.max(c) + 1],
            Shape::Matrix(..) => vec![r + 1, c + 1],
        };
        QuantityRef { quantity, example: example.or(self.example), index }
    }

    /// w − η·g at (r, c), for `weight − Times(η, gradient)`.
    fn update(
        &mut self,
        weight: &Formula,
        rate: &Formula,
        gradient: &Formula,
        r: usize,
        c: usize,
    ) -> Option<Expr> {
        let at = |(term, transposed): (Term, bool)| if transposed { (term, c, r) } else { (term, r, c) };
        let (w, wr, wc) = at(Self::factor(weight)?);
        let (g, gr, gc) = at(Self::factor(gradient)?);
        let (eta, _) = Self::factor(rate)?;
        Some(Expr::Update {
            weight: self.entry(w, wr, wc)?,
            rate: self.entry(eta, 0, 0)?,
            gradient: self.entry(g, gr, gc)?,
        })
    }

    /// Every example's loss with the updated weights, as the arithmetic of its loss.
    fn losses_after(&self, mean: bool) -> Option<Expr> {
        let update = self.lesson.trained()?.update()?;
        let network = self.lesson.network();
        let parts = update
            .passes
            .iter()
            .enumerate()
            .map(|(i, pass)| match network.objective_of(i + 1) {
                Objective::SoftmaxCrossEntropy { label } => {
                    Some(Expr::NegLog(*pass.o_hat.as_ref()?.get(label - 1)?))
                }
                Objective::Mse { target } => {
                    Some(Expr::HalfSquares(pass.o.iter().copied().zip(target.iter().copied()).collect()))
                }
            })
            .collect::<Option<Vec<Expr>>>()?;
        Some(Expr::Total { parts, mean })
    }

    /// A term, or a transposed one, as a factor: the term and the (row, column) it is read at.
    fn factor(formula: &Formula) -> Option<(Term, bool)> {
        match formula {
            Formula::Term(t) => Some((*t, false)),
            Formula::Transpose(inner) => match inner.as_ref() {
                Formula::Term(t) => Some((*t, true)),
                _ => None,
            },
            _ => None,
        }
    }

    /// Entry (r, c) of `formula` written out with the lesson's numbers; `None` for a formula
    /// whose form a derivation does not spell out.
    fn expand(&mut self, formula: &Formula, r: usize, c: usize) -> Option<Expr> {
        match formula {
            Formula::Term(Term::Value(q)) => Some(Expr::Entry(self.reference(*q, None, r, c))),
            Formula::Term(Term::Example(q, n)) => Some(Expr::Entry(self.reference(*q, Some(*n), r, c))),
            Formula::Difference(weight, step) if matches!(**step, Formula::Times(..)) => {
                let Formula::Times(rate, gradient) = step.as_ref() else { return None };
                self.update(weight, rate, gradient, r, c)
            }
            Formula::Mean(items) => {
                let values = items.iter().map(|item| self.products(item, r, c)?.first()?.first().copied());
                Some(Expr::Mean(values.collect::<Option<Vec<f64>>>()?))
            }
            Formula::TotalLoss(_) => {
                self.losses_after(self.lesson.network().reduction() == crate::network::Reduction::Mean)
            }
            Formula::Term(Term::Weights(layer)) => {
                let layer = match layer {
                    WeightLayer::Hidden(l) => Some(*l),
                    WeightLayer::Output => None,
                };
                Some(Expr::Weight { layer, i: r + 1, j: c + 1 })
            }
            Formula::Term(Term::Gate(gate)) if r == c => {
                let z = self.solution.value(gate.argument)?.entries().get(r).copied()?;
                Some(Expr::Derivative(gate.activation, z))
            }
            Formula::Term(Term::Gate(_)) => Some(Expr::Products(vec![vec![0.0]])),
            Formula::Transpose(inner) => self.expand(inner, c, r),
            Formula::Product(_) | Formula::Sum(_) => Some(Expr::Products(self.products(formula, r, c)?)),
            Formula::Difference(a, b) if Self::factor(a).is_none() => {
                // An expanded left side (the softmax of o in place of ô) minus a term's entry.
                let (b, b_transposed) = Self::factor(b)?;
                let (br, bc) = if b_transposed { (c, r) } else { (r, c) };
                let subtrahend = self.entry(b, br, bc)?;
                let left = self.expand(a, r, c)?;
                Some(if subtrahend == 0.0 { left } else { Expr::Minus(Box::new(left), subtrahend) })
            }
            Formula::Difference(a, b) => {
                let (a, a_transposed) = Self::factor(a)?;
                let (b, b_transposed) = Self::factor(b)?;
                let at = |transposed: bool| if transposed { (c, r) } else { (r, c) };
                let (ar, ac) = at(a_transposed);
                let (br, bc) = at(b_transposed);
                let subtrahend = self.entry(b, br, bc)?;
                match a {
                    // ∂L/∂o_i = ô_i where e_y has a 0: the notes write it that way.
                    Term::Value(q) if subtrahend == 0.0 && matches!(b, Term::Label | Term::OneHot(_)) => {
                        Some(Expr::Entry(self.reference(q, None, ar, ac)))
                    }
                    _ => Some(Expr::Difference(self.entry(a, ar, ac)?, subtrahend)),
                }
            }
            Formula::Apply(activation, inner) => {
                let (term, transposed) = Self::factor(inner)?;
                let (r, c) = if transposed { (c, r) } else { (r, c) };
                Some(Expr::Activation(*activation, self.entry(term, r, c)?))
            }
            Formula::Softmax(inner) => {
                let (term, _) = Self::factor(inner)?;
                let all: Vec<f64> = self.matrix(term)?.entries();
                Some(Expr::Softmax { numerator: *all.get(r.max(c))?, all })
            }
            Formula::CrossEntropy { probabilities, class } => {
                let (term, _) = Self::factor(probabilities)?;
                let p = self.matrix(term)?.entries();
                let e = self.matrix(*class)?.entries();
                let at = e.iter().position(|&x| x == 1.0)?;
                Some(Expr::NegLog(*p.get(at)?))
            }
            Formula::HalfSquaredError(a, b) => {
                let (a, _) = Self::factor(a)?;
                let (b, _) = Self::factor(b)?;
                let pairs = self.matrix(a)?.entries().into_iter().zip(self.matrix(b)?.entries()).collect();
                Some(Expr::HalfSquares(pairs))
            }
            Formula::Term(_)
            | Formula::Scale(..)
            | Formula::Hadamard(..)
            | Formula::Quotient(..)
            | Formula::Times(..) => None,
        }
    }

    /// Entry (r, c) of a product (or a sum of them) as a sum of products of numbers: every
    /// path through the inner indices, where a gate only links an index to itself.
    fn products(&mut self, formula: &Formula, r: usize, c: usize) -> Option<Vec<Vec<f64>>> {
        match formula {
            Formula::Sum(items) => {
                let mut out = Vec::new();
                for item in items {
                    out.extend(self.products(item, r, c)?);
                }
                Some(out)
            }
            Formula::Product(items) => {
                let factors: Vec<(Term, bool)> = items.iter().map(Self::factor).collect::<Option<_>>()?;
                let mut shapes = Vec::with_capacity(factors.len());
                for &(term, transposed) in &factors {
                    let (rows, columns) = self.matrix(term)?.shape();
                    shapes.push(if transposed { (columns, rows) } else { (rows, columns) });
                }
                let mut out = Vec::new();
                let mut path = vec![r];
                self.paths(&factors, &shapes, c, &mut path, &mut out)?;
                for term in &mut out {
                    term.sort_by_key(|(t, _)| order(t));
                }
                Some(out.into_iter().map(|term| term.into_iter().map(|(_, x)| x).collect()).collect())
            }
            Formula::Term(term) => Some(vec![vec![self.entry(*term, r, c)?]]),
            _ => None,
        }
    }

    /// Extends `path` (the row indices chosen so far) through every factor, collecting one
    /// product of entries per complete path.
    fn paths(
        &mut self,
        factors: &[(Term, bool)],
        shapes: &[(usize, usize)],
        column: usize,
        path: &mut Vec<usize>,
        out: &mut Vec<Vec<(Term, f64)>>,
    ) -> Option<()> {
        let m = path.len() - 1;
        if m == factors.len() {
            return Some(());
        }
        let (term, transposed) = factors[m];
        let from = path[m];
        let last = m + 1 == factors.len();
        let choices: Vec<usize> = match term {
            _ if last => vec![column],
            Term::Gate(_) => vec![from],
            _ => (0..shapes[m].1).collect(),
        };
        for to in choices {
            let (r, c) = if transposed { (to, from) } else { (from, to) };
            let x = self.entry(term, r, c)?;
            if matches!(term, Term::Gate(_)) && r != c {
                continue;
            }
            path.push(to);
            let mut rest = Vec::new();
            self.paths(factors, shapes, column, path, &mut rest)?;
            path.pop();
            if last {
                out.push(vec![(term, x)]);
            } else {
                out.extend(rest.into_iter().map(|mut tail| {
                    tail.insert(0, (term, x));
                    tail
                }));
            }
        }
        Some(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lesson::{parse_lesson, shipped};
    use crate::plan::plan;

    fn notes() -> (Vec<Step>, Solution) {
        let lesson = parse_lesson("notes-example", shipped::source("notes-example").unwrap()).unwrap();
        (plan(&lesson), Solution::new(lesson.network()))
    }

    #[test]
    fn step_1_in_the_notes_exact_form() {
        let (steps, solution) = notes();
        let (lines, more) = softmax_form(&steps[0], &solution, 10).unwrap();
        assert_eq!(more, 0);
        let texts: Vec<String> = lines.iter().map(crate::plan::display::line).collect();
        assert_eq!(
            texts,
            [
                "∂L/∂o1 = e^1 / (e^1 + e^3 + e^2) = 0.09003",
                "∂L/∂o2 = e^3 / (e^1 + e^3 + e^2) = 0.6652",
                "∂L/∂o3 = e^2 / (e^1 + e^3 + e^2) − 1 = −0.7553",
            ]
        );
        for line in &lines {
            assert!(
                (line.expr.eval().unwrap() - line.value).abs() < 1e-12,
                "{}",
                crate::plan::display::line(line)
            );
        }
        assert!(softmax_form(&steps[1], &solution, 10).is_none());
    }

    #[test]
    fn a_derivation_line_evaluates_to_its_value() {
        let (steps, solution) = notes();
        for step in &steps {
            for line in derivation(step, &solution, usize::MAX).0 {
                if let Some(value) = line.expr.eval() {
                    assert!((value - line.value).abs() < 1e-9, "{}", crate::plan::display::line(&line));
                }
            }
        }
    }
}
