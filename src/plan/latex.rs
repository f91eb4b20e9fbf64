//! The plan in LaTeX, for the Markdown handout: quantities in the notes' notation
//! (`\frac{\partial L}{\partial h^{(1)}_{1}}`), values as `bmatrix`, each step's formula and its
//! derivation lines, all rendered by GitHub's `$…$` / `$$…$$` math.

use super::derive::{Expr, Line};
use super::display::{self, Unworkable, unworkable};
use crate::network::Activation;
use crate::quantity::{Quantity, QuantityRef};
use crate::value::Value;

/// A number as the tutor shows it ([`display::number`]: significant digits, powers of ten
/// for the huge and the tiny), in LaTeX: an ASCII minus, `1.5 \times 10^{-5}`.
pub fn latex_number(x: f64) -> String {
    latex_of(&display::number(x))
}

/// A number the tutor has written, in LaTeX.
fn latex_of(text: &str) -> String {
    let text = text.replace('−', "-").replace('∞', r"\infty");
    match text.split_once('e') {
        Some((mantissa, exponent)) => format!(r"{mantissa} \times 10^{{{exponent}}}"),
        None => text,
    }
}

/// A factor after the first, in parentheses when negative: `0.288 \cdot (-0.575)`.
fn factor(x: f64, first: bool, number: &dyn Fn(f64) -> String) -> String {
    if x < 0.0 && !first { format!("({})", number(x)) } else { number(x) }
}

/// The vectors and matrices of the network.
#[derive(Clone, Copy)]
pub(super) enum Var {
    X,
    Z(usize),
    H(usize),
    O,
    OHat,
    /// `None` for the output layer's W(o).
    W(Option<usize>),
    B(Option<usize>),
}

/// `\vec{h}^{(2)}` for the whole, `h^{(2)}_{1}` for the entry at `index` (1-based); layer 0 of
/// `H` is the input x, as in the notes' Step 4.
pub(super) fn var(v: Var, index: &[usize]) -> String {
    let layer = |l: Option<usize>| Some(l.map_or("o".to_string(), |l| l.to_string()));
    let (whole, entry, layer) = match v {
        Var::X | Var::H(0) => (r"\vec{x}", "x", None),
        Var::Z(l) => (r"\vec{z}", "z", layer(Some(l))),
        Var::H(l) => (r"\vec{h}", "h", layer(Some(l))),
        Var::O => (r"\vec{o}", "o", None),
        Var::OHat => (r"\hat{\vec{o}}", r"\hat{o}", None),
        Var::W(l) => (r"\mathbf{W}", "w", layer(l)),
        Var::B(l) => (r"\vec{b}", "b", layer(l)),
    };
    let base = if index.is_empty() { whole } else { entry };
    let layer = layer.map_or(String::new(), |l| format!("^{{({l})}}"));
    let sub = if index.is_empty() {
        String::new()
    } else {
        format!("_{{{}}}", index.iter().map(usize::to_string).collect::<Vec<_>>().join(","))
    };
    format!("{base}{layer}{sub}")
}

fn partial(top: &str, bottom: &str) -> String {
    format!(r"\frac{{\partial {top}}}{{\partial {bottom}}}")
}

/// A quantity (empty `index`) or one of its entries, in the notes' notation:
/// `\frac{\partial L}{\partial \mathbf{W}^{(o)}}`, `\frac{\partial L}{\partial w^{(o)}_{2,1}}`,
/// `\frac{\partial h^{(2)}_{1}}{\partial h^{(1)}_{2}}`.
pub fn quantity_latex(quantity: Quantity, index: &[usize]) -> String {
    // A Jacobian's row index belongs to its numerator, its column index to its denominator.
    let (row, column) = index.split_at(index.len().min(1));
    let layer = |l: usize| Some(l);
    match quantity {
        Quantity::X => var(Var::X, index),
        Quantity::Z(l) => var(Var::Z(l), index),
        Quantity::H(l) => var(Var::H(l), index),
        Quantity::O => var(Var::O, index),
        Quantity::OHat => var(Var::OHat, index),
        Quantity::Loss => "L".into(),
        Quantity::DlDo => partial("L", &var(Var::O, index)),
        Quantity::DlDh(l) => partial("L", &var(Var::H(l), index)),
        Quantity::DlDwo => partial("L", &var(Var::W(None), index)),
        Quantity::DlDbo => partial("L", &var(Var::B(None), index)),
        Quantity::DlDw(l) => partial("L", &var(Var::W(layer(l)), index)),
        Quantity::DlDb(l) => partial("L", &var(Var::B(layer(l)), index)),
        Quantity::DoDh(l) => partial(&var(Var::O, row), &var(Var::H(l), column)),
        Quantity::DhDz(l) => partial(&var(Var::H(l), row), &var(Var::Z(l), column)),
        Quantity::DzDh(l) => partial(&var(Var::Z(l), row), &var(Var::H(l - 1), column)),
        Quantity::DhDh(l) => partial(&var(Var::H(l), row), &var(Var::H(l - 1), column)),
        Quantity::WNew(l) => updated(var(Var::W(layer(l)), index)),
        Quantity::WoNew => updated(var(Var::W(None), index)),
        Quantity::BNew(l) => updated(var(Var::B(layer(l)), index)),
        Quantity::BoNew => updated(var(Var::B(None), index)),
        Quantity::LossNew => r"L_{\mathrm{new}}".into(),
    }
}

/// A weight or bias after the step of gradient descent: `(\mathbf{W}^{(1)})_{\mathrm{new}}`.
fn updated(symbol: String) -> String {
    format!(r"({symbol})_{{\mathrm{{new}}}}")
}

/// A symbol of example n of a dataset, marked as the notes mark nothing else: `…^{\langle 2\rangle}`.
pub fn example_latex(symbol: &str, example: Option<usize>) -> String {
    match example {
        Some(n) => format!(r"{{{symbol}}}^{{\langle {n} \rangle}}"),
        None => symbol.to_string(),
    }
}

/// Rows end their line after `\\`: GitHub protects a LaTeX line break from Markdown only at
/// the end of a line.
fn bmatrix(rows: impl Iterator<Item = Vec<f64>>) -> String {
    let rows: Vec<String> =
        rows.map(|row| row.into_iter().map(latex_number).collect::<Vec<_>>().join(" & ")).collect();
    format!("\\begin{{bmatrix}} {} \\end{{bmatrix}}", rows.join(" \\\\\n"))
}

/// A value as a `bmatrix`; a vector as one row, or (`row` false) as a column written as a
/// transposed row, to stay on one line.
pub fn value_latex(value: &Value, row: bool) -> String {
    match value {
        Value::Scalar(x) => latex_number(*x),
        Value::Vector(v) => {
            let matrix = bmatrix(std::iter::once(v.iter().copied().collect()));
            if row { matrix } else { format!(r"{matrix}^\top") }
        }
        Value::Matrix(m) => bmatrix(m.row_iter().map(|r| r.iter().copied().collect())),
    }
}

pub(super) fn activation_name(activation: Activation) -> &'static str {
    match activation {
        Activation::Relu => r"\mathrm{ReLU}",
        Activation::LeakyRelu => r"\mathrm{LeakyReLU}",
        Activation::Sigmoid => r"\sigma",
        Activation::Tanh => r"\tanh",
        Activation::Identity => r"\mathrm{id}",
    }
}

impl Expr {
    /// The expression, each number written by `number`.
    pub fn to_latex(&self, number: &dyn Fn(f64) -> String) -> String {
        let join = |parts: Vec<String>| parts.join(" + ");
        match self {
            Expr::Products(terms) => join(
                terms
                    .iter()
                    .enumerate()
                    .map(|(t, factors)| {
                        let factors =
                            factors.iter().enumerate().map(|(f, &x)| factor(x, t == 0 && f == 0, number));
                        factors.collect::<Vec<_>>().join(r" \cdot ")
                    })
                    .collect(),
            ),
            Expr::Difference(a, b) => format!("{} - {}", number(*a), factor(*b, false, number)),
            Expr::Activation(activation, z) => {
                format!("{}({})", activation_name(*activation), number(*z))
            }
            Expr::Softmax { numerator, all } => {
                let power = |x: f64| format!("e^{{{}}}", number(x));
                format!(
                    r"\frac{{{}}}{{{}}}",
                    power(*numerator),
                    join(all.iter().map(|&x| power(x)).collect())
                )
            }
            Expr::NegLog(p) => format!(r"-\ln {}", number(*p)),
            Expr::HalfSquares(pairs) => {
                let squares =
                    pairs.iter().map(|&(o, t)| format!("({} - {})^2", number(o), factor(t, false, number)));
                format!(r"\tfrac{{1}}{{2}}\left[{}\right]", join(squares.collect()))
            }
            Expr::Entry(reference) => reference_latex(reference),
            Expr::Weight { layer, i, j } => var(Var::W(*layer), &[*i, *j]),
            Expr::Derivative(Activation::Relu, z) => format!(r"\mathbb{{1}}[{} > 0]", number(*z)),
            Expr::Derivative(activation, z) => {
                format!("{}'({})", activation_name(*activation), number(*z))
            }
            Expr::Minus(a, b) => format!("{} - {}", a.to_latex(number), factor(*b, false, number)),
            Expr::Update { weight, rate, gradient } => {
                format!(r"{} - {} \cdot {}", number(*weight), number(*rate), factor(*gradient, false, number))
            }
            Expr::Mean(values) => {
                let sum = Expr::Products(values.iter().map(|&x| vec![x]).collect()).to_latex(number);
                format!(r"\frac{{{sum}}}{{{}}}", values.len())
            }
            Expr::Total { parts, mean } => {
                let sum = join(parts.iter().map(|part| part.to_latex(number)).collect()).replace("+ -", "- ");
                if *mean { format!(r"\frac{{{sum}}}{{{}}}", parts.len()) } else { sum }
            }
        }
    }
}

/// A quantity or entry of one example: `\frac{\partial L}{\partial o_{1}}^{\langle 2 \rangle}`.
pub fn reference_latex(reference: &QuantityRef) -> String {
    example_latex(&quantity_latex(reference.quantity, &reference.index), reference.example)
}

impl Line {
    /// `\frac{\partial L}{\partial h^{(1)}_{1}} &= 0.288 \cdot 1 \cdot 1 + … = -0.863`, with `&`
    /// before the first `=` so lines stack in an `aligned` block.
    pub fn to_latex(&self) -> String {
        let (entry, value) = (reference_latex(&self.entry), latex_number(self.value));
        match unworkable(self) {
            // The operands to the digits at which the arithmetic checks out, as on screen.
            None => {
                let digits = display::operand_digits(self);
                let operand = |x: f64| latex_of(&display::number_to(x, digits));
                format!("{entry} &= {} = {value}", self.expr.to_latex(&operand))
            }
            Some(Unworkable::Saturated) => format!(
                r"{entry} &= {value} && \text{{($\hat o_y$ underflows to 0: the softmax saturates, so $L = -o_y + \ln \sum_k e^{{o_k}}$, Eq. (7))}}"
            ),
            Some(Unworkable::OutOfRange) => {
                format!(r"{entry} &= {value} && \text{{(a number on the way under- or overflows f64)}}")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn symbols_follow_the_notes() {
        assert_eq!(quantity_latex(Quantity::DlDh(1), &[1]), r"\frac{\partial L}{\partial h^{(1)}_{1}}");
        assert_eq!(quantity_latex(Quantity::DlDwo, &[2, 1]), r"\frac{\partial L}{\partial w^{(o)}_{2,1}}");
        assert_eq!(quantity_latex(Quantity::DlDw(2), &[]), r"\frac{\partial L}{\partial \mathbf{W}^{(2)}}");
        assert_eq!(
            quantity_latex(Quantity::DhDh(2), &[1, 2]),
            r"\frac{\partial h^{(2)}_{1}}{\partial h^{(1)}_{2}}"
        );
        assert_eq!(
            quantity_latex(Quantity::DhDz(2), &[]),
            r"\frac{\partial \vec{h}^{(2)}}{\partial \vec{z}^{(2)}}"
        );
    }

    #[test]
    fn numbers_use_an_ascii_minus_and_powers_of_ten() {
        assert_eq!(latex_number(-0.755), "-0.755");
        assert_eq!(latex_number(-0.28764), "-0.2876");
        assert_eq!(latex_number(-0.00001), r"-1 \times 10^{-5}");
        assert_eq!(latex_number(2.5e300), r"2.5 \times 10^{300}");
    }

    #[test]
    fn derivation_lines_render_like_the_notes() {
        let line = Line {
            entry: QuantityRef { quantity: Quantity::DlDh(1), example: None, index: vec![1] },
            expr: Expr::Products(vec![vec![0.288, 1.0, 1.0], vec![-0.575, 1.0, 2.0]]),
            value: 0.288 - 0.575 * 2.0,
        };
        assert_eq!(
            line.to_latex(),
            r"\frac{\partial L}{\partial h^{(1)}_{1}} &= 0.288 \cdot 1 \cdot 1 + (-0.575) \cdot 1 \cdot 2 = -0.862"
        );
        assert_eq!(Expr::Derivative(Activation::Relu, 4.0).to_latex(&latex_number), r"\mathbb{1}[4 > 0]");
        let softmax = Expr::Softmax { numerator: 1.0, all: vec![1.0, 3.0, 2.0] };
        assert_eq!(softmax.to_latex(&latex_number), r"\frac{e^{1}}{e^{1} + e^{3} + e^{2}}");
    }
}
