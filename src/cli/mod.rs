//! The command line (SPEC §5): parsing with clap, one module per command, and the exit codes.

mod list;
mod solve;

use clap::{Parser, Subcommand, ValueEnum};
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(
    name = "backprop-tutor",
    version,
    about = "Learn the backward pass of a neural network, step by step"
)]
#[command(args_conflicts_with_subcommands = true)]
pub struct Cli {
    /// A lesson file, or the name of a shipped lesson (see `list`).
    pub lesson: Option<String>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print the worked solution of a lesson.
    Solve {
        /// A lesson file, or the name of a shipped lesson.
        lesson: String,
        #[arg(long, value_enum, default_value_t = SolveFormat::Text)]
        format: SolveFormat,
    },
    /// List the shipped lessons.
    List,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SolveFormat {
    Text,
    Json,
    Markdown,
}

/// Exit codes shared by every command.
pub mod exit {
    pub const OK: u8 = 0;
    /// `check`: some answer is not correct; `lint`: findings.
    pub const FINDINGS: u8 = 1;
    /// A lesson that cannot be loaded, or bad usage.
    pub const BAD_INPUT: u8 = 2;
}

pub fn run(cli: Cli) -> ExitCode {
    let code = match cli.command {
        Some(Command::Solve { lesson, format }) => solve::run(&lesson, format),
        Some(Command::List) => list::run(),
        None => match cli.lesson {
            Some(lesson) => solve::run(&lesson, SolveFormat::Text),
            None => list::run(),
        },
    };
    ExitCode::from(code)
}

/// Loads a lesson or prints why it cannot be loaded.
fn load_or_report(spec: &str) -> Result<crate::lesson::Lesson, u8> {
    crate::lesson::load_lesson(spec).map_err(|error| {
        eprintln!("{error}");
        exit::BAD_INPUT
    })
}

/// Writes to stdout, treating a closed pipe (`| head`) as a normal end rather than a panic.
fn print(text: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
}
