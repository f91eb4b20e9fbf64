//! `new`: a random lesson, the same for the same seed (DESIGN.md §7).

use super::variant::VariantArgs;
use super::{exit, print};
use crate::fingerprint::stable_hash;
use clap::Args;
use std::path::PathBuf;
use std::time::{SystemTime, UNIX_EPOCH};

/// Which mistakes each shape can show, for `new --help`.
const SHAPES: &str = "\
Every lesson `new` makes tells apart every known mistake its shape can show: at each question the
right answer and each mistake land outside each other's tolerance (`lint` calls a pair that does
not `indistinct`). What each shape can show:
  every shape           sign_flipped, too_few_digits; transposed where a weight gradient has
                        two entries or more
  softmax_cross_entropy missing_onehot, used_logits, label_off_by_one, nontarget_zero,
                        wrt_probabilities
  --loss mse            mse_factor ((o - t)/K needs two outputs or more)
  a square W(l) or W(o) weights_not_transposed: two neighbouring sizes alike after the input, as
                        W(2) in 3,2,2,3; with 3,4,2 no W is square and W·δ has no shape
  a gate other than 1   gate_missing: sigmoid or tanh, or a relu/leaky_relu layer of two units or
                        more (a one-unit ReLU layer stays open); not identity
  two hidden layers     gate_wrong_layer, where their gates can differ
  any hidden layer      gate_used_activation (h or z is no slope, whatever f is)
  a weight gradient     wrong_activation: z for h (not identity; with ReLUs, a layer of two
                        units or more), or another layer's activation of the same size
  sigmoid, tanh         derivative_wrong_argument
  leaky_relu            leaky_as_relu, where a closed unit's 0.01 outweighs the tolerance (not
                        Step 3A, where it hides within 1%)
  the notes' sizes      notes_numbers: a last hidden layer of 2 units (Step 2B's h(2) = [1, 2]),
                        3 outputs with softmax (Step 1's o = [1, 3, 2]), or two neighbouring
                        hidden layers of 2 units (Step 3A's W(2))
  --expose index_swap   index_swap: the lesson then asks one entry of each gradient first
  --learning-rate η     ascent, forgot_eta (Step 5's update)
  --data N, N >= 2      one_example, mean_vs_sum (the dataset's totals)
Two slips at once (a+b) show where both can. --expose ID,... makes the remediation variant for a
learner who showed those mistakes: each also stands clear of every other answer, by more than
twice the tolerance, in some question; an id the shape cannot show is refused with what it needs.";

#[derive(Debug, Args)]
#[command(after_long_help = SHAPES)]
pub struct NewArgs {
    #[command(flatten)]
    pub variant: VariantArgs,
    /// Any text that is not blank, e.g. a student's email: the same seed always gives the same
    /// lesson. Without it, a random seed, written in the lesson's description.
    #[arg(long)]
    pub seed: Option<String>,
    /// Write the lesson to this file instead of printing it.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// A seed for when none is given, from the clock and the process id: 12 hex digits, short
/// enough to retype.
fn fresh_seed() -> String {
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_nanos() as u64);
    let bytes = [nanos.to_le_bytes(), u64::from(std::process::id()).to_le_bytes()].concat();
    format!("{:012x}", stable_hash(&bytes) >> 16)
}

pub(super) fn run(args: &NewArgs) -> u8 {
    let seed = args.seed.clone().unwrap_or_else(fresh_seed);
    let text = match args.variant.lesson_text(&seed) {
        Ok(text) => text,
        Err(error) => {
            eprintln!("error: {error}");
            return exit::BAD_INPUT;
        }
    };
    // Only a lesson made has a seed worth keeping.
    if args.seed.is_none() {
        eprintln!("seed: {seed} (written in the lesson's description)");
    }
    let Some(path) = &args.output else {
        return print(&text, exit::OK);
    };
    match std::fs::write(path, &text) {
        Ok(()) => {
            eprintln!("wrote {} (`{}` makes it again)", path.display(), args.variant.command_line(&seed));
            exit::OK
        }
        Err(error) => {
            eprintln!("error: cannot write {}: {error}", path.display());
            exit::BAD_INPUT
        }
    }
}
