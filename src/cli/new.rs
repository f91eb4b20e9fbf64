//! `new`: a random lesson, the same for the same seed (DESIGN.md §7).

use super::variant::VariantArgs;
use super::{exit, print};
use crate::authoring::generate::generate;
use crate::fingerprint::stable_hash;
use clap::Args;
use std::path::PathBuf;
use std::time::{SystemTime, UNIX_EPOCH};

#[derive(Debug, Args)]
pub struct NewArgs {
    #[command(flatten)]
    pub variant: VariantArgs,
    /// Any string, e.g. a student's email: the same seed always gives the same lesson. Without
    /// it, a random seed, written in the lesson's description.
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

pub fn run(args: &NewArgs) -> u8 {
    let seed = args.seed.clone().unwrap_or_else(|| {
        let seed = fresh_seed();
        eprintln!("seed: {seed} (written in the lesson's description)");
        seed
    });
    let options = args.variant.options(&seed);
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
            eprintln!("wrote {} (`{}` makes it again)", path.display(), options.command_line());
            exit::OK
        }
        Err(error) => {
            eprintln!("error: cannot write {}: {error}", path.display());
            exit::BAD_INPUT
        }
    }
}
