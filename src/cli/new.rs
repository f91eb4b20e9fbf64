//! `new`: a random lesson, the same for the same seed (DESIGN.md §7).

use super::named;
use super::{exit, print};
use crate::authoring::generate::{Options, generate};
use crate::fingerprint::stable_hash;
use crate::lesson::LossKind;
use crate::network::Activation;
use clap::Args;
use std::path::PathBuf;
use std::time::{SystemTime, UNIX_EPOCH};

#[derive(Debug, Args)]
pub struct NewArgs {
    /// Sizes of the input, each hidden layer, then the outputs (the default is the notes' shape).
    #[arg(long, value_delimiter = ',', default_value = "3,2,2,3")]
    pub layers: Vec<usize>,
    /// Any string, e.g. a student's email: the same seed always gives the same lesson. Without
    /// it, a random seed, written in the lesson's description.
    #[arg(long)]
    pub seed: Option<String>,
    /// The activation of the hidden layers.
    #[arg(long, default_value = "relu", value_parser = named::<Activation>())]
    pub activation: Activation,
    /// Give every layer a bias.
    #[arg(long)]
    pub bias: bool,
    /// The loss.
    #[arg(long, default_value = "softmax_cross_entropy", value_parser = named::<LossKind>())]
    pub loss: LossKind,
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

pub fn run(args: &NewArgs) -> u8 {
    let seed = args.seed.clone().unwrap_or_else(|| {
        let seed = fresh_seed();
        eprintln!("seed: {seed} (written in the lesson's description)");
        seed
    });
    let options = Options {
        layers: args.layers.clone(),
        seed,
        activation: args.activation,
        bias: args.bias,
        loss: args.loss,
    };
    let text = match generate(&options) {
        Ok(text) => text,
        Err(error) => {
            eprintln!("error: {error}");
            return exit::BAD_INPUT;
        }
    };
    let Some(path) = &args.output else {
        print(&text);
        return exit::OK;
    };
    match std::fs::write(path, &text) {
        Ok(()) => {
            eprintln!("wrote {}", path.display());
            exit::OK
        }
        Err(error) => {
            eprintln!("error: cannot write {}: {error}", path.display());
            exit::BAD_INPUT
        }
    }
}
