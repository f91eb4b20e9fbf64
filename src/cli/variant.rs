//! The options that shape a generated exercise, shared by `new`, `check --variants` and
//! `autograder gradescope --variants`: the same options make the same lesson for a seed in all
//! three, so a student's `new --seed S` rebuilds exactly what the grader graded.

use super::named;
use crate::authoring::generate::{GenerateError, Options, TrainingOptions, generate_exposing};
use crate::diagnosis::DiagnosisId;
use crate::lesson::LossKind;
use crate::network::{Activation, Reduction};
use clap::Args;

#[derive(Debug, Clone, Args)]
pub struct VariantArgs {
    /// Sizes of the input, each hidden layer, then the outputs (the default is the notes' shape).
    #[arg(long, value_delimiter = ',', default_value = "3,2,2,3")]
    pub layers: Vec<usize>,
    /// The activation of the hidden layers.
    #[arg(long, default_value = "relu", value_parser = named::<Activation>())]
    pub activation: Activation,
    /// Give every layer a bias.
    #[arg(long)]
    pub bias: bool,
    /// The loss.
    #[arg(long, default_value = "softmax_cross_entropy", value_parser = named::<LossKind>())]
    pub loss: LossKind,
    /// A dataset of N examples ([[data]], at most 64) in place of one input: Steps 1–4 for each,
    /// then their totals (Eq. 2).
    #[arg(long, value_name = "N")]
    pub data: Option<usize>,
    /// With --data: how the examples' losses make the total.
    #[arg(long, value_parser = named::<Reduction>())]
    pub reduction: Option<Reduction>,
    /// η: add one step of gradient descent (Step 5, the updated weights) and the loss after it
    /// (Step 6); the numbers are drawn so that the loss drops.
    #[arg(long, value_name = "η")]
    pub learning_rate: Option<f64>,
    /// Known mistakes the lesson must show clearly, each distinct from the right answer and
    /// from the others: a remediation variant.
    #[arg(long, value_delimiter = ',', value_name = "ID,...", value_parser = named::<DiagnosisId>(), hide_possible_values = true)]
    pub expose: Vec<DiagnosisId>,
}

/// A seed the shell keeps as one word, unquoted.
const PLAIN_SEED: &str = "seed";

/// The ids of [`VariantArgs`]' options, for a command that takes them only with `--variants`.
pub(super) const VARIANT_OPTIONS: [&str; 8] =
    ["layers", "activation", "bias", "loss", "data", "reduction", "learning_rate", "expose"];

impl VariantArgs {
    /// The generator's options for the variant of `seed`.
    pub fn options(&self, seed: &str) -> Options {
        Options {
            layers: self.layers.clone(),
            activation: self.activation,
            bias: self.bias,
            loss: self.loss,
            training: TrainingOptions {
                data: self.data,
                learning_rate: self.learning_rate,
                reduction: self.reduction,
            },
            ..Options::with_seed(seed)
        }
    }

    /// The lesson `new --seed seed` makes with these options.
    pub fn lesson_text(&self, seed: &str) -> Result<String, GenerateError> {
        generate_exposing(&self.options(seed), &self.expose)
    }

    /// The command line that makes the lesson of `seed` again.
    pub fn command_line(&self, seed: &str) -> String {
        self.options(seed).command_line_exposing(&self.expose)
    }

    /// These options as `new`'s flags (the defaults left out, the sizes always given), for a
    /// command line that passes them on: [`Options::command_line`] less its seed.
    pub fn flags(&self) -> Vec<String> {
        let line = self.command_line(PLAIN_SEED);
        let after_seed = line.split_once(&format!(" --seed {PLAIN_SEED} ")).map_or("", |(_, rest)| rest);
        // Every flag and value is a plain word: a number list or a name.
        after_seed.split(' ').map(str::to_string).collect()
    }
}
