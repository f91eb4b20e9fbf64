//! The ids of the known mistakes (DESIGN.md §9): the one list of them. Grading names a
//! diagnosed answer by its id; answer files' outputs, `[check.credit]` and the help all read
//! this list, and a test checks that every id is documented.

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
    /// The gate diag(f'(z)) dropped from a gradient (Steps 3A, 3B, 4).
    GateMissing,
    /// The gate of another layer used (Step 3A).
    GateWrongLayer,
    /// z, or another layer's activation, in place of the activation a weight scales (2B, 3B).
    WrongActivation,
    /// W + η ∂L/∂W: a step uphill, which raises the loss (Steps 5, 6).
    Ascent,
    /// W − ∂L/∂W: the learning rate η left out of the update (Steps 5, 6).
    ForgotEta,
    /// One example's gradient (or loss) given where the total over the dataset belongs (sum, 5).
    OneExample,
    /// A total divided by N under reduction = "sum", or not divided under "mean" (sum, 5).
    MeanVsSum,
}

impl DiagnosisId {
    /// The id as printed: `sign_flipped`.
    pub fn name(self) -> &'static str {
        self.into()
    }
}
