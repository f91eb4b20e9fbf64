//! The lesson file as written (SPEC §1): plain serde types, checked by `validate` before use.
//! They are also the source of `assets/lesson.schema.json`.

use crate::network::{Activation, Reduction};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A backprop-tutor lesson: a small network, one input and its label or target (SPEC §1).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LessonFile {
    /// Shown in the lesson picker and on the first line of the tutor.
    pub title: String,
    /// What the lesson teaches, in a sentence or two.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The network, its input and what it should output.
    pub network: NetworkSpec,
    /// How close an answer must be: |a − e| ≤ atol + rtol·|e|, for every quantity or per quantity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check: Option<CheckSpec>,
    /// What is asked; by default every backward step.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub steps: Option<StepsSpec>,
    /// `lint` findings this lesson shows on purpose.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lint: Option<LintSpec>,
    /// One step of gradient descent after the backward pass: asks the updated weights (Step 5)
    /// and the loss with them (Step 6).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub train: Option<TrainSpec>,
    /// Several examples in place of network.input and its label or target: the loss is taken
    /// over all of them (Eq. 2), at most 64.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<Vec<ExampleSpec>>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TrainSpec {
    /// η in W ← W − η ∂L/∂W: a finite number above 0.
    pub learning_rate: f64,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExampleSpec {
    /// This example's input x.
    pub input: Vec<f64>,
    /// This example's true class y, 1-based as in the notes (loss = "softmax_cross_entropy").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<i64>,
    /// This example's target vector t (loss = "mse").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<Vec<f64>>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NetworkSpec {
    /// The input vector x (required unless the examples are given as [[data]]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input: Option<Vec<f64>>,
    /// The true class y, 1-based as in the notes (loss = "softmax_cross_entropy").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<i64>,
    /// The target vector t (loss = "mse").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<Vec<f64>>,
    /// The loss L; softmax cross-entropy by default.
    #[serde(default)]
    pub loss: LossKind,
    /// The default activation of every hidden layer.
    #[serde(default)]
    pub activation: Activation,
    /// With [[data]]: how the examples' losses make the total, "sum" (Eq. 2, the default) or
    /// "mean".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reduction: Option<Reduction>,
    /// Hidden layers 1..K, then the output layer W(o) last.
    pub layers: Vec<LayerSpec>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LayerSpec {
    /// One row per unit of this layer, one column per unit of the layer below.
    pub weights: Vec<Vec<f64>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bias: Option<Vec<f64>>,
    /// Overrides the network's activation for this hidden layer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activation: Option<Activation>,
}

/// The loss of a lesson: the one list of them (see [`Activation`] for who reads it).
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    Deserialize,
    Serialize,
    JsonSchema,
    strum::EnumIter,
    strum::EnumMessage,
    strum::EnumString,
    strum::IntoStaticStr,
    strum::VariantNames,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum LossKind {
    /// L = −log softmax(o)_y, with the label y; the notes' loss.
    #[default]
    SoftmaxCrossEntropy,
    /// L = ½ Σ (o_i − t_i)², with the target t.
    Mse,
}

// No `deny_unknown_fields`: serde cannot combine it with `flatten`, and every other key is
// checked as a quantity name by `validate` (`credit` is a key of its own, so no quantity).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
pub struct CheckSpec {
    /// Relative tolerance, 0.01 by default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rtol: Option<f64>,
    /// Absolute tolerance, 0.001 by default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub atol: Option<f64>,
    /// Whether an answer may be a formula in the lesson's names (`dL_do * Wo`), checked as
    /// an identity; true by default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub formulas: Option<bool>,
    /// Partial credit: the share of its point (0 to 1) an answer earns when it is diagnosed
    /// as a known mistake (`transposed = 0.5`; 0 by default) or carried from an earlier wrong
    /// answer (`carried = 0.5`; 1 by default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credit: Option<BTreeMap<String, f64>>,
    /// Per-quantity tolerances: `[check.dL_dW1] rtol = 0.05`.
    #[serde(flatten)]
    pub per_quantity: BTreeMap<String, ToleranceSpec>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ToleranceSpec {
    /// Relative tolerance for this quantity; the lesson's `rtol` by default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rtol: Option<f64>,
    /// Absolute tolerance for this quantity; the lesson's `atol` by default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub atol: Option<f64>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StepsSpec {
    /// What is asked, in order: "forward", step ids ("1", "2A", …), quantity names or
    /// single entries ("dL_dWo[2,1]").
    pub ask: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LintSpec {
    /// Findings this lesson shows on purpose, e.g. ["dead_layer"].
    #[serde(default)]
    pub allow: Vec<String>,
}

impl LossKind {
    /// The name in lesson files and on the command line: `softmax_cross_entropy`.
    pub fn name(self) -> &'static str {
        self.into()
    }
}
