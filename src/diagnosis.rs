//! The ids of the known mistakes (DESIGN.md §9): the one list of them. Grading names a
//! diagnosed answer by its id; answer files' outputs, `[check.credit]` and the help all read
//! this list, and a test checks that every id is documented.
//!
//! The single mistakes come in the order of DESIGN.md §9's table, which is also the order in
//! which grading tries them (the first match wins). Then come the *composed* ids, for an answer
//! with two slips at once, named `first+second`:
//! - `sign_flipped` (negating the finished answer) composes with every other slip of a formula,
//!   and always comes last: `transposed+sign_flipped`, `gate_missing+sign_flipped`;
//! - `transposed` (transposing the finished matrix) composes with every slip inside a weight
//!   gradient or a Jacobian, and comes after it: `gate_missing+transposed`;
//! - `weights_not_transposed+gate_missing`: W(l)·(∂L/∂h(l))ᵀ, the row-for-column slip of
//!   Step 3A with the gate left out too (two slips inside one formula are named in the table's
//!   order).
//!
//! The slip made first is named first: a slip inside the formula, then what was done to the
//! whole answer. `index_swap` and `too_few_digits` are not slips of a formula and compose with
//! nothing; nor do the mistakes of a dataset's totals and of the update (`ascent`, `forgot_eta`,
//! `one_example`, `mean_vs_sum`, DESIGN.md §8), which come after the other single ones. Only the
//! pairs listed here compose; [`DiagnosisId::compose`] finds them by name.

use serde::Serialize;

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    strum::Display,
    strum::EnumIter,
    strum::EnumMessage,
    strum::EnumString,
    strum::IntoStaticStr,
    strum::VariantNames,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum DiagnosisId {
    /// The matrix, or the outer product, transposed (Steps 2B, 3B, 4).
    Transposed,
    /// Every entry negated.
    SignFlipped,
    /// ô given for ∂L/∂o: the one-hot label e_y never subtracted (Step 1).
    MissingOnehot,
    /// The logits o used in place of the probabilities ô: o − e_y (Step 1).
    UsedLogits,
    /// The 1 subtracted at class y − 1 or y + 1, as if classes counted from 0 (Step 1).
    LabelOffByOne,
    /// Only the true class's entry ô_y − 1, the other classes left 0: Eq. (9) forgotten (Step 1).
    NontargetZero,
    /// ∂L/∂ô (−1/ô_y at the true class, 0 elsewhere) given for ∂L/∂o (Step 1).
    WrtProbabilities,
    /// 2(o − t) or (o − t)/K for the squared error L = ½ Σ (o − t)² (Step 1, mse).
    MseFactor,
    /// W·(∂L/∂h)ᵀ where (∂L/∂h)·W is meant: the columns of W for its rows (Steps 2A, 3A).
    WeightsNotTransposed,
    /// The gate diag(f'(z)) dropped from a gradient (Steps 3A, 3B, 4).
    GateMissing,
    /// The gate of another layer used (Step 3A).
    GateWrongLayer,
    /// Multiplied by h(l) or z(l) where the gate f'(z(l)) belongs (Steps 3A, 3B, 4).
    GateUsedActivation,
    /// The slope at the wrong variable: f'(h) for f'(z), or h(1 − h) / 1 − h² worked with z.
    DerivativeWrongArgument,
    /// A leaky ReLU's closed units given slope 0 instead of 0.01 (Steps 3A, 3B, 4).
    LeakyAsRelu,
    /// z, or another layer's activation, in place of the activation a weight scales (2B, 3B).
    WrongActivation,
    /// A single entry answered with the `[j,i]` entry, another unit's, or layer and unit swapped.
    IndexSwap,
    /// The notes' own example numbers used instead of the lesson's (h(2) = [1, 2], ERRATA 4).
    NotesNumbers,
    /// The right value, rounded to fewer significant digits than the tolerance allows.
    TooFewDigits,
    /// W + η ∂L/∂W: a step uphill, which raises the loss (Steps 5, 6).
    Ascent,
    /// W − ∂L/∂W: the learning rate η left out of the update (Steps 5, 6).
    ForgotEta,
    /// One example's gradient (or loss) given where the total over the dataset belongs (sum, 5).
    OneExample,
    /// A total divided by N under reduction = "sum", or not divided under "mean" (sum, 5).
    MeanVsSum,
    /// Transposed, and every entry negated.
    #[strum(serialize = "transposed+sign_flipped")]
    #[serde(rename = "transposed+sign_flipped")]
    TransposedSignFlipped,
    /// ô given for ∂L/∂o, negated: −ô.
    #[strum(serialize = "missing_onehot+sign_flipped")]
    #[serde(rename = "missing_onehot+sign_flipped")]
    MissingOnehotSignFlipped,
    /// e_y − o: the logits used, and the sign flipped.
    #[strum(serialize = "used_logits+sign_flipped")]
    #[serde(rename = "used_logits+sign_flipped")]
    UsedLogitsSignFlipped,
    /// e_(y±1) − ô: the wrong class, and the sign flipped.
    #[strum(serialize = "label_off_by_one+sign_flipped")]
    #[serde(rename = "label_off_by_one+sign_flipped")]
    LabelOffByOneSignFlipped,
    /// 1 − ô_y at the true class and 0 elsewhere.
    #[strum(serialize = "nontarget_zero+sign_flipped")]
    #[serde(rename = "nontarget_zero+sign_flipped")]
    NontargetZeroSignFlipped,
    /// 1/ô_y at the true class and 0 elsewhere: ∂L/∂ô without its minus.
    #[strum(serialize = "wrt_probabilities+sign_flipped")]
    #[serde(rename = "wrt_probabilities+sign_flipped")]
    WrtProbabilitiesSignFlipped,
    /// 2(t − o) or (t − o)/K for the squared error.
    #[strum(serialize = "mse_factor+sign_flipped")]
    #[serde(rename = "mse_factor+sign_flipped")]
    MseFactorSignFlipped,
    /// W·(∂L/∂h)ᵀ, negated.
    #[strum(serialize = "weights_not_transposed+sign_flipped")]
    #[serde(rename = "weights_not_transposed+sign_flipped")]
    WeightsNotTransposedSignFlipped,
    /// W·(∂L/∂h)ᵀ without the gate: the Step 3A formula typed weights first, gate forgotten.
    #[strum(serialize = "weights_not_transposed+gate_missing")]
    #[serde(rename = "weights_not_transposed+gate_missing")]
    WeightsNotTransposedGateMissing,
    /// The gate dropped, and every entry negated.
    #[strum(serialize = "gate_missing+sign_flipped")]
    #[serde(rename = "gate_missing+sign_flipped")]
    GateMissingSignFlipped,
    /// The gate dropped from a weight gradient, and the matrix transposed.
    #[strum(serialize = "gate_missing+transposed")]
    #[serde(rename = "gate_missing+transposed")]
    GateMissingTransposed,
    /// Another layer's gate, and every entry negated.
    #[strum(serialize = "gate_wrong_layer+sign_flipped")]
    #[serde(rename = "gate_wrong_layer+sign_flipped")]
    GateWrongLayerSignFlipped,
    /// h(l) or z(l) for the gate, and every entry negated.
    #[strum(serialize = "gate_used_activation+sign_flipped")]
    #[serde(rename = "gate_used_activation+sign_flipped")]
    GateUsedActivationSignFlipped,
    /// h(l) or z(l) for the gate of a weight gradient, and the matrix transposed.
    #[strum(serialize = "gate_used_activation+transposed")]
    #[serde(rename = "gate_used_activation+transposed")]
    GateUsedActivationTransposed,
    /// The slope at the wrong variable, and every entry negated.
    #[strum(serialize = "derivative_wrong_argument+sign_flipped")]
    #[serde(rename = "derivative_wrong_argument+sign_flipped")]
    DerivativeWrongArgumentSignFlipped,
    /// The slope at the wrong variable in a weight gradient, and the matrix transposed.
    #[strum(serialize = "derivative_wrong_argument+transposed")]
    #[serde(rename = "derivative_wrong_argument+transposed")]
    DerivativeWrongArgumentTransposed,
    /// Slope 0 on closed leaky units, and every entry negated.
    #[strum(serialize = "leaky_as_relu+sign_flipped")]
    #[serde(rename = "leaky_as_relu+sign_flipped")]
    LeakyAsReluSignFlipped,
    /// Slope 0 on closed leaky units in a weight gradient, and the matrix transposed.
    #[strum(serialize = "leaky_as_relu+transposed")]
    #[serde(rename = "leaky_as_relu+transposed")]
    LeakyAsReluTransposed,
    /// The wrong activation in a weight gradient, and every entry negated.
    #[strum(serialize = "wrong_activation+sign_flipped")]
    #[serde(rename = "wrong_activation+sign_flipped")]
    WrongActivationSignFlipped,
    /// The wrong activation in a weight gradient, and the matrix transposed.
    #[strum(serialize = "wrong_activation+transposed")]
    #[serde(rename = "wrong_activation+transposed")]
    WrongActivationTransposed,
    /// The notes' example numbers, and every entry negated.
    #[strum(serialize = "notes_numbers+sign_flipped")]
    #[serde(rename = "notes_numbers+sign_flipped")]
    NotesNumbersSignFlipped,
    /// The notes' example numbers in a weight gradient, and the matrix transposed.
    #[strum(serialize = "notes_numbers+transposed")]
    #[serde(rename = "notes_numbers+transposed")]
    NotesNumbersTransposed,
}

impl DiagnosisId {
    /// The id as printed: `sign_flipped`.
    pub fn name(self) -> &'static str {
        self.into()
    }

    /// The id of an answer with both slips, `a` and `b` in either order, if the two compose
    /// (the module's documentation says which do, and in what order they are named).
    pub fn compose(a: DiagnosisId, b: DiagnosisId) -> Option<DiagnosisId> {
        let (first, second) = if a.naming_rank() <= b.naming_rank() { (a, b) } else { (b, a) };
        format!("{first}+{second}").parse().ok()
    }

    /// The two slips of a composed id, in the order the id names them; `None` for a single one.
    pub fn parts(self) -> Option<(DiagnosisId, DiagnosisId)> {
        let (first, second) = self.name().split_once('+')?;
        Some((first.parse().ok()?, second.parse().ok()?))
    }

    /// Where a slip stands in a composed id: slips inside a formula in the table's order, then
    /// transposing the whole answer, then negating it.
    fn naming_rank(self) -> (u8, DiagnosisId) {
        let outer = match self {
            DiagnosisId::SignFlipped => 2,
            DiagnosisId::Transposed => 1,
            _ => 0,
        };
        (outer, self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use strum::IntoEnumIterator;

    #[test]
    fn every_composed_id_is_the_composition_of_its_parts() {
        for id in DiagnosisId::iter().filter(|id| id.parts().is_some()) {
            let (first, second) = id.parts().unwrap();
            assert_eq!(DiagnosisId::compose(first, second), Some(id));
            assert_eq!(DiagnosisId::compose(second, first), Some(id));
            assert!(first.parts().is_none() && second.parts().is_none(), "{id}: two slips, no more");
        }
        assert_eq!(
            DiagnosisId::compose(DiagnosisId::SignFlipped, DiagnosisId::Transposed),
            Some(DiagnosisId::TransposedSignFlipped)
        );
        assert_eq!(DiagnosisId::compose(DiagnosisId::IndexSwap, DiagnosisId::SignFlipped), None);
        assert_eq!(DiagnosisId::compose(DiagnosisId::SignFlipped, DiagnosisId::SignFlipped), None);
    }

    #[test]
    fn sign_flipped_composes_with_every_slip_of_a_formula() {
        use DiagnosisId::*;
        let not_formulas = [SignFlipped, IndexSwap, TooFewDigits, Ascent, ForgotEta, OneExample, MeanVsSum];
        for id in DiagnosisId::iter().filter(|id| id.parts().is_none() && !not_formulas.contains(id)) {
            assert!(DiagnosisId::compose(id, DiagnosisId::SignFlipped).is_some(), "{id}");
        }
    }
}
