//! A formula as the learner reads it: text with the notes' symbols (`∂L/∂h(2) ·
//! diag(1[z(2) > 0]) · W(2)`) and LaTeX for the Markdown handout.

use super::{Formula, Gate, NotesNumber, Slope, Term, WeightLayer};
use crate::network::Activation;
use crate::plan::latex::{Var, quantity_latex, var};
use crate::quantity::Quantity;

fn layer_name(layer: WeightLayer) -> String {
    match layer {
        WeightLayer::Hidden(l) => l.to_string(),
        WeightLayer::Output => "o".into(),
    }
}

fn latex_layer(layer: WeightLayer) -> Option<usize> {
    match layer {
        WeightLayer::Hidden(l) => Some(l),
        WeightLayer::Output => None,
    }
}

impl Gate {
    /// The notes' `diag(1[z(2) > 0])` for a ReLU (Eq. 73), `diag(f'(z(2)))` otherwise;
    /// `diag(h(2) ⊙ (1 − h(2)))` for a sigmoid's slope read off its output, `diag(z(2))` for
    /// the argument itself.
    fn text(&self) -> String {
        let a = self.argument.symbol();
        match (self.slope, self.activation) {
            (Slope::Argument, _) => format!("diag({a})"),
            (Slope::FromOutput, Activation::Sigmoid) => format!("diag({a} ⊙ (1 − {a}))"),
            (Slope::FromOutput, Activation::Tanh) => format!("diag(1 − {a}²)"),
            (_, Activation::Relu) => format!("diag(1[{a} > 0])"),
            _ => format!("diag(f'({a}))"),
        }
    }

    fn latex(&self) -> String {
        let a = quantity_latex(self.argument, &[]);
        let diag = r"\operatorname{diag}";
        match (self.slope, self.activation) {
            (Slope::Argument, _) => format!("{diag}({a})"),
            (Slope::FromOutput, Activation::Sigmoid) => format!(r"{diag}({a} \odot (1 - {a}))"),
            (Slope::FromOutput, Activation::Tanh) => format!("{diag}(1 - {a}^2)"),
            (_, Activation::Relu) => format!(r"{diag}(\mathbb{{1}}[{a} > 0])"),
            _ => format!("{diag}(f'({a}))"),
        }
    }
}

impl NotesNumber {
    /// The number as the notes print it: `[1, 2]`, `[[1, 3], [2, −1]]`.
    pub fn text(self) -> String {
        let m = self.matrix();
        let row = |r: usize| {
            let entries: Vec<String> = m.row(r).iter().map(|&x| crate::plan::format_number(x)).collect();
            format!("[{}]", entries.join(", "))
        };
        if m.ncols() == 1 {
            let entries: Vec<String> = m.iter().map(|&x| crate::plan::format_number(x)).collect();
            format!("[{}]", entries.join(", "))
        } else {
            format!("[{}]", (0..m.nrows()).map(row).collect::<Vec<_>>().join(", "))
        }
    }
}

impl Term {
    pub fn text(&self) -> String {
        match self {
            Term::Value(q) => q.symbol(),
            Term::Weights(layer) => format!("W({})", layer_name(*layer)),
            Term::Bias(layer) => format!("b({})", layer_name(*layer)),
            Term::Label => "e_y".into(),
            Term::OneHot(class) => format!("e_{class}"),
            Term::Target => "t".into(),
            Term::Gate(gate) => gate.text(),
            Term::Example(q, n) => format!("{}#{n}", q.symbol()),
            Term::LearningRate => "η".into(),
            Term::Notes(number) => number.text(),
        }
    }

    pub fn latex(&self) -> String {
        match self {
            Term::Value(q) => quantity_latex(*q, &[]),
            Term::Example(q, n) => crate::plan::latex::example_latex(&quantity_latex(*q, &[]), Some(*n)),
            Term::LearningRate => r"\eta".into(),
            Term::Weights(layer) => var(Var::W(latex_layer(*layer)), &[]),
            Term::Bias(layer) => var(Var::B(latex_layer(*layer)), &[]),
            Term::Label => r"\vec{e}_y".into(),
            Term::OneHot(class) => format!(r"\vec{{e}}_{{{class}}}"),
            Term::Target => r"\vec{t}".into(),
            Term::Gate(gate) => gate.latex(),
            Term::Notes(number) => format!(r"\text{{{}}}", number.text()),
        }
    }
}

/// How tightly a formula holds together when it stands inside another.
fn is_compound(formula: &Formula) -> bool {
    matches!(
        formula,
        Formula::Product(_)
            | Formula::Sum(_)
            | Formula::Difference(..)
            | Formula::Scale(..)
            | Formula::Hadamard(..)
            | Formula::Times(..)
            | Formula::Mean(_)
            | Formula::Quotient(..)
    )
}

/// The notes join a row vector and the matrices after it with `·` (∂L/∂o · W(o)) and write the
/// other products side by side ((∂L/∂o)ᵀ (h(2))ᵀ).
fn dotted(items: &[Formula]) -> bool {
    matches!(items.first(), Some(Formula::Term(Term::Value(q))) if Term::is_row(*q))
}

fn number(k: f64) -> String {
    crate::plan::format_number(k)
}

/// A long total (every example of a dataset) written with its first two and last items.
fn items_text(items: &[Formula], text: impl Fn(&Formula) -> String) -> String {
    let all_examples = items.iter().all(|i| matches!(i, Formula::Term(Term::Example(..))));
    if all_examples && items.len() > 4 {
        let last = items.len() - 1;
        return format!("{} + {} + … + {}", text(&items[0]), text(&items[1]), text(&items[last]));
    }
    items.iter().map(text).collect::<Vec<_>>().join(" + ")
}

/// `L(W(1)_new, W(o)_new)`: the loss as a function of the weights it is computed with.
fn loss_with(items: &[Formula], text: impl Fn(&Formula) -> String) -> Vec<String> {
    items.iter().map(text).collect()
}

impl Formula {
    pub fn to_text(&self) -> String {
        let inner = |f: &Formula| if is_compound(f) { format!("({})", f.to_text()) } else { f.to_text() };
        match self {
            Formula::Term(term) => term.text(),
            Formula::Transpose(a) => {
                let text = a.to_text();
                // xᵀ, but (h(1))ᵀ and (ô − e_y)ᵀ.
                if text.chars().count() == 1 { format!("{text}ᵀ") } else { format!("({text})ᵀ") }
            }
            Formula::Product(items) => {
                let separator = if dotted(items) { " · " } else { " " };
                items.iter().map(inner).collect::<Vec<_>>().join(separator)
            }
            Formula::Sum(items) => items_text(items, Formula::to_text),
            Formula::Mean(items) => format!("(1/{})·({})", items.len(), items_text(items, Formula::to_text)),
            Formula::Times(k, a) => format!("{} {}", inner(k), inner(a)),
            Formula::TotalLoss(items) => format!("L({})", loss_with(items, Formula::to_text).join(", ")),
            Formula::Difference(a, b) if matches!(**b, Formula::Times(..)) => {
                format!("{} − {}", a.to_text(), b.to_text())
            }
            Formula::Difference(a, b) => format!("{} − {}", a.to_text(), inner(b)),
            Formula::Scale(k, a) if *k == -1.0 => format!("−{}", inner(a)),
            Formula::Scale(k, a) => format!("{}·{}", number(*k), inner(a)),
            Formula::Hadamard(a, b) => format!("{} ⊙ {}", inner(a), inner(b)),
            Formula::Quotient(a, b) => format!("{} ⊘ {}", inner(a), inner(b)),
            Formula::Apply(activation, a) => format!("{}({})", activation.name(), a.to_text()),
            Formula::Softmax(a) => format!("softmax({})", a.to_text()),
            Formula::CrossEntropy { probabilities, class } => {
                let class = match class {
                    Term::OneHot(c) => c.to_string(),
                    _ => "y".into(),
                };
                match probabilities.as_ref() {
                    Formula::Term(Term::Value(Quantity::OHat)) => format!("−log ô_{class}"),
                    other => format!("−log ({})_{class}", other.to_text()),
                }
            }
            Formula::HalfSquaredError(a, b) => match (a.as_ref(), b.as_ref()) {
                (Formula::Term(Term::Value(Quantity::O)), Formula::Term(Term::Target)) => {
                    "½ Σ (o_i − t_i)²".into()
                }
                _ => format!("½ Σ ({} − {})²", a.to_text(), inner(b)),
            },
        }
    }

    pub fn to_latex(&self) -> String {
        let inner = |f: &Formula| {
            if is_compound(f) { format!(r"\left({}\right)", f.to_latex()) } else { f.to_latex() }
        };
        match self {
            Formula::Term(term) => term.latex(),
            Formula::Transpose(a) => match a.as_ref() {
                Formula::Term(Term::Value(Quantity::X)) => format!("{}^\\top", a.to_latex()),
                Formula::Term(Term::Value(q)) if !Term::is_row(*q) => format!("({})^\\top", a.to_latex()),
                Formula::Difference(..) => format!("({})^\\top", a.to_latex()),
                _ => format!(r"\left({}\right)^\top", a.to_latex()),
            },
            Formula::Product(items) => items.iter().map(inner).collect::<Vec<_>>().join(r" \, "),
            Formula::Sum(items) => items_text(items, Formula::to_latex).replace('…', r"\dots"),
            Formula::Mean(items) => format!(
                r"\frac{{1}}{{{}}}\left({}\right)",
                items.len(),
                items_text(items, Formula::to_latex).replace('…', r"\dots")
            ),
            Formula::Times(k, a) => format!(r"{} \, {}", inner(k), inner(a)),
            Formula::TotalLoss(items) => {
                format!(r"L\left({}\right)", loss_with(items, Formula::to_latex).join(", "))
            }
            Formula::Difference(a, b) if matches!(**b, Formula::Times(..)) => {
                format!("{} - {}", a.to_latex(), b.to_latex())
            }
            Formula::Difference(a, b) => format!("{} - {}", a.to_latex(), inner(b)),
            Formula::Scale(k, a) => format!(r"{} \cdot {}", crate::plan::latex_number(*k), inner(a)),
            Formula::Hadamard(a, b) => format!(r"{} \odot {}", inner(a), inner(b)),
            Formula::Quotient(a, b) => format!(r"{} \oslash {}", inner(a), inner(b)),
            Formula::Apply(activation, a) => {
                format!("{}({})", crate::plan::latex::activation_name(*activation), a.to_latex())
            }
            Formula::Softmax(a) => format!(r"\operatorname{{softmax}}({})", a.to_latex()),
            Formula::CrossEntropy { class, .. } => match class {
                Term::OneHot(c) => format!(r"-\log \hat{{o}}_{{{c}}}"),
                _ => r"-\log \hat{o}_y".into(),
            },
            Formula::HalfSquaredError(a, b) => {
                format!(r"\tfrac{{1}}{{2}} \sum_i ({} - {})_i^2", a.to_latex(), inner(b))
            }
        }
    }
}

impl Gate {
    /// The gate in the answer language: `diag(z2 > 0)` for a ReLU (Eq. 73), f' written out
    /// for the others.
    fn answer(&self, suffix: &str) -> String {
        let z = format!("{}{suffix}", self.argument);
        match (self.slope, self.activation) {
            (Slope::Argument, _) => return format!("diag({z})"),
            (Slope::FromOutput, Activation::Sigmoid) => return format!("diag({z} .* (1 - {z}))"),
            (Slope::FromOutput, Activation::Tanh) => return format!("diag(1 - {z}.^2)"),
            _ => {}
        }
        match self.activation {
            Activation::Relu => format!("diag({z} > 0)"),
            Activation::LeakyRelu => format!("diag(({z} > 0) + 0.01*({z} <= 0))"),
            Activation::Sigmoid => format!("diag(sigmoid({z}) .* (1 - sigmoid({z})))"),
            Activation::Tanh => format!("diag(1 - tanh({z}).^2)"),
            Activation::Identity => format!("diag(0*{z} + 1)"),
        }
    }
}

impl Term {
    /// The term's name in the answer language (DESIGN.md §4): `dL_dh2`, `W2`, `bo`, `e_y`;
    /// `suffix` (`#2`) after the names of one example's values.
    fn answer(&self, suffix: &str) -> Option<String> {
        let layer = |layer: WeightLayer| match layer {
            WeightLayer::Hidden(l) => l.to_string(),
            WeightLayer::Output => "o".into(),
        };
        Some(match self {
            Term::Value(q) => format!("{q}{suffix}"),
            Term::Weights(l) => format!("W{}", layer(*l)),
            Term::Bias(l) => format!("b{}", layer(*l)),
            Term::Label => format!("e_y{suffix}"),
            Term::Target => format!("t{suffix}"),
            Term::Gate(gate) => gate.answer(suffix),
            Term::Example(q, n) => format!("{q}#{n}"),
            Term::LearningRate => "eta".into(),
            // The language has no name for another class's one-hot column, nor for the notes'
            // numbers (only known mistakes use them).
            Term::OneHot(_) | Term::Notes(_) => return None,
        })
    }
}

impl Formula {
    /// The formula as a learner would type it in the answer language, the notes' way round:
    /// `dL_dh2 * diag(z2 > 0) * W2`. `None` for a formula the language cannot name a term of.
    pub fn to_answer(&self) -> Option<String> {
        self.to_answer_of(None)
    }

    /// [`Formula::to_answer`] of one example of a dataset: its values, label and target with
    /// the example's `#n` (`dL_do#2 * Wo`).
    pub fn to_answer_of(&self, example: Option<usize>) -> Option<String> {
        let suffix = example.map_or(String::new(), |n| format!("#{n}"));
        self.answer_with(&suffix)
    }

    fn answer_with(&self, suffix: &str) -> Option<String> {
        let inner = |f: &Formula| -> Option<String> {
            let text = f.answer_with(suffix)?;
            Some(if is_compound(f) { format!("({text})") } else { text })
        };
        let all = |items: &[Formula], separator: &str| -> Option<String> {
            Some(items.iter().map(inner).collect::<Option<Vec<_>>>()?.join(separator))
        };
        Some(match self {
            Formula::Term(term) => term.answer(suffix)?,
            Formula::Transpose(a) => {
                format!("{}'", inner(a).map(|t| if t.contains(' ') { format!("({t})") } else { t })?)
            }
            Formula::Product(items) => all(items, " * ")?,
            Formula::Sum(items) => all(items, " + ")?,
            Formula::Mean(items) => format!("({}) / {}", all(items, " + ")?, items.len()),
            Formula::Times(k, a) => format!("{} * {}", inner(k)?, inner(a)?),
            // The language has no forward pass to run with other weights.
            Formula::TotalLoss(_) => return None,
            Formula::Difference(a, b) => format!("{} - {}", a.answer_with(suffix)?, inner(b)?),
            Formula::Scale(k, a) => format!("{k}*{}", inner(a)?),
            Formula::Hadamard(a, b) => format!("{} .* {}", inner(a)?, inner(b)?),
            Formula::Quotient(a, b) => format!("{} ./ {}", inner(a)?, inner(b)?),
            Formula::Apply(activation, a) => {
                let a = a.answer_with(suffix)?;
                match activation {
                    Activation::Relu => format!("relu({a})"),
                    Activation::LeakyRelu => format!("(relu({a}) - 0.01*relu(-({a})))"),
                    Activation::Sigmoid => format!("sigmoid({a})"),
                    Activation::Tanh => format!("tanh({a})"),
                    Activation::Identity => a,
                }
            }
            Formula::Softmax(a) => format!("softmax({})", a.answer_with(suffix)?),
            Formula::CrossEntropy { probabilities, class } => {
                format!("-log(sum({} .* {}))", inner(probabilities)?, class.answer(suffix)?)
            }
            Formula::HalfSquaredError(a, b) => {
                format!("0.5*sum(({} - {}).^2)", a.answer_with(suffix)?, inner(b)?)
            }
        })
    }
}
