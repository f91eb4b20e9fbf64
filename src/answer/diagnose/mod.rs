//! The known wrong answers of DESIGN.md §9's table, computed from a lesson: each is the correct
//! method with one ingredient swapped (a formula rewrite of `plan::definition`), so an
//! incorrect answer that equals one of them has most likely made exactly that mistake. A single
//! entry may also be another entry (`index_swap`), an answer may be the right value rounded too
//! early (`too_few_digits`), and two slips may come together (the composed ids of
//! `crate::diagnosis`). A dataset's totals and the update have mistakes of their own
//! (`super::training`).

mod digits;
mod entries;
mod message;
mod rewrites;

pub use digits::{digits_needed, too_few_digits};
pub use entries::at_entry;
pub use message::equation;

pub use super::method::compute;
use super::method::right_formula;
pub use super::training::is_pass_name;
use super::training::{TrainingMistake, training_mistakes};
use crate::diagnosis::DiagnosisId;
use crate::plan::formula::{NotesNumber, Values};
use crate::quantity::{Quantity, QuantityRef};
use crate::value::{Shape, Value};

/// One known mistake, with what its message needs to name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mistake {
    /// The matrix (or outer product) transposed.
    Transposed,
    /// Every entry negated.
    SignFlipped,
    /// ô given for ∂L/∂o.
    MissingOnehot,
    /// o − e_y given for ∂L/∂o.
    UsedLogits,
    /// ô − e_class with `class` = y ± 1.
    LabelOffByOne { class: usize },
    /// (ô_y − 1) at the true class, 0 elsewhere.
    NontargetZero,
    /// −1/ô_y at the true class, 0 elsewhere: ∂L/∂ô.
    WrtProbabilities,
    /// The squared error's derivative with a factor: 2(o − t), or (o − t)/K.
    MseFactor { doubled: bool },
    /// W·(∂L/∂h)ᵀ for (∂L/∂h)·W.
    WeightsNotTransposed,
    /// diag(f'(z(l))) left out.
    GateMissing,
    /// The gate of hidden layer `layer` used in place of the right one, or (`after`) after the
    /// weights, as if it belonged to the layer being computed.
    GateWrongLayer { layer: usize, after: bool },
    /// diag(`used`), h(l) or z(l), where the gate belongs.
    GateUsedActivation { used: Quantity },
    /// The slope worked at the wrong variable: f'(h(l)) when `at` is h(l), or the form of f'
    /// in h (h(1 − h), 1 − h²) worked with z(l) when `at` is z(l).
    DerivativeWrongArgument { at: Quantity },
    /// A ReLU's slope (0) on the closed units of a leaky ReLU layer.
    LeakyAsRelu,
    /// `used` (z(l), or another layer's activation) in place of the activation a weight scales.
    WrongActivation { used: Quantity },
    /// A single entry answered with the entry `given`.
    IndexSwap { given: QuantityRef },
    /// A number of the notes' examples used in place of the lesson's.
    NotesNumbers(NotesNumber),
    /// The right value rounded to `given` significant digits; `needed` are enough.
    TooFewDigits { given: usize, needed: usize },
    /// Two slips at once, in the order `id` names them.
    Both { id: DiagnosisId, first: Box<Mistake>, second: Box<Mistake> },
    /// A mistake of a dataset's totals or of the update (DESIGN.md §8).
    Training(TrainingMistake),
}

/// Every known wrong answer to the whole of `name` from `values`, in the order of DESIGN.md
/// §9's table (the first match wins), then the composed slips made inside one formula.
/// `values` are those of the network `name` belongs to: one example's pass for a quantity of
/// that pass (`Solution::pass`), the whole lesson for a dataset's total or the update.
pub fn candidates(values: &impl Values, name: &QuantityRef) -> Vec<(Mistake, Value)> {
    let network = values.network();
    let Some(right) = right_formula(network, name) else { return vec![] };
    let quantity = name.quantity;
    let shape = network.shape(quantity);
    let formulas = if is_pass_name(network, name) {
        rewrites::mistakes(values, quantity, &right)
    } else {
        let mut formulas = rewrites::general_mistakes(network, quantity, &right);
        formulas.extend(training_mistakes(network, name, &right));
        formulas
    };
    formulas
        .into_iter()
        .filter_map(|(mistake, formula)| Some((mistake, formula.eval(values)?.into_value_as(shape)?)))
        .collect()
}

/// The known wrong answers to `asked`: those of the whole quantity, or, for a single entry,
/// the same entry of each (a transposed matrix's entry is the mirrored one, which is an
/// `index_swap` here) with the other entries the learner may have read instead.
pub fn known_answers(values: &impl Values, asked: &QuantityRef) -> Vec<(Mistake, Value)> {
    let whole = candidates(values, &asked.whole());
    if asked.index.is_empty() {
        return whole;
    }
    match compute(values, &asked.whole()) {
        Some(right) => at_entry(&whole, &right, values, asked),
        None => vec![],
    }
}

/// The answer as a learner who made a slip to the whole of it would have had it before that
/// slip: negated back, and (for a matrix) transposed back. Grading looks for a known mistake
/// behind each, for the composed diagnoses; undoing is its own inverse, so this is also the
/// slip made to a known wrong answer. Each is made when it is asked for: the search for a
/// mistake behind them most often ends at the first, or finds none.
pub fn undo_whole_slips(answer: &Value, expected: Shape) -> impl Iterator<Item = (Mistake, Value)> + '_ {
    let matrix = match (expected, answer) {
        (Shape::Matrix(..), Value::Matrix(m)) => Some(m),
        _ => None,
    };
    std::iter::once_with(|| (Mistake::SignFlipped, answer.map(|x| -x)))
        .chain(matrix.into_iter().map(|m| (Mistake::Transposed, Value::Matrix(m.transpose()))))
}

impl Mistake {
    /// The stable id of DESIGN.md §9's table.
    pub fn id(&self) -> DiagnosisId {
        match self {
            Mistake::Transposed => DiagnosisId::Transposed,
            Mistake::SignFlipped => DiagnosisId::SignFlipped,
            Mistake::MissingOnehot => DiagnosisId::MissingOnehot,
            Mistake::UsedLogits => DiagnosisId::UsedLogits,
            Mistake::LabelOffByOne { .. } => DiagnosisId::LabelOffByOne,
            Mistake::NontargetZero => DiagnosisId::NontargetZero,
            Mistake::WrtProbabilities => DiagnosisId::WrtProbabilities,
            Mistake::MseFactor { .. } => DiagnosisId::MseFactor,
            Mistake::WeightsNotTransposed => DiagnosisId::WeightsNotTransposed,
            Mistake::GateMissing => DiagnosisId::GateMissing,
            Mistake::GateWrongLayer { .. } => DiagnosisId::GateWrongLayer,
            Mistake::GateUsedActivation { .. } => DiagnosisId::GateUsedActivation,
            Mistake::DerivativeWrongArgument { .. } => DiagnosisId::DerivativeWrongArgument,
            Mistake::LeakyAsRelu => DiagnosisId::LeakyAsRelu,
            Mistake::WrongActivation { .. } => DiagnosisId::WrongActivation,
            Mistake::IndexSwap { .. } => DiagnosisId::IndexSwap,
            Mistake::NotesNumbers(_) => DiagnosisId::NotesNumbers,
            Mistake::TooFewDigits { .. } => DiagnosisId::TooFewDigits,
            Mistake::Both { id, .. } => *id,
            Mistake::Training(mistake) => mistake.id(),
        }
    }

    /// Both slips in one answer, named in the order of `crate::diagnosis`; `None` where the two
    /// do not compose.
    pub fn compose(a: Mistake, b: Mistake) -> Option<Mistake> {
        let id = DiagnosisId::compose(a.id(), b.id())?;
        let (first, second) =
            if id.parts().is_some_and(|(first, _)| first == a.id()) { (a, b) } else { (b, a) };
        Some(Mistake::Both { id, first: Box::new(first), second: Box::new(second) })
    }

    /// Whether the mistake transposes a matrix, which a single entry cannot show as such.
    fn transposes(&self) -> bool {
        match self {
            Mistake::Transposed => true,
            Mistake::Both { first, second, .. } => first.transposes() || second.transposes(),
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn composed_mistakes_name_their_slips_in_order() {
        let both = Mistake::compose(Mistake::SignFlipped, Mistake::Transposed).unwrap();
        assert_eq!(both.id(), DiagnosisId::TransposedSignFlipped);
        let Mistake::Both { first, second, .. } = both else { unreachable!() };
        assert_eq!((*first, *second), (Mistake::Transposed, Mistake::SignFlipped));
        assert_eq!(
            Mistake::compose(Mistake::IndexSwap { given: Quantity::DlDo.into() }, Mistake::SignFlipped),
            None
        );
    }
}
