use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    backprop_tutor::cli::run(backprop_tutor::cli::Cli::parse())
}
