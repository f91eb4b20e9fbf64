//! The command line (DESIGN.md §5): parsing with clap, one module per command, and the exit codes.

mod autograder;
mod check;
mod lint;
mod list;
mod manual;
mod new;
mod solve;
mod tutor;
mod variant;

pub use check::{CheckArgs, CheckFormat};

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
    /// A lesson file, or the name of a shipped lesson (see `list`); without one, a picker.
    pub lesson: Option<String>,
    /// How the lesson is taught.
    #[arg(long, value_enum, default_value_t = tutor::TutorMode::Practice)]
    pub mode: tutor::TutorMode,
    /// Start afresh, ignoring the saved progress of this mode (the next save replaces it; the
    /// other mode's record is left alone).
    #[arg(long)]
    pub fresh: bool,
    /// Plain lines on stdin and stdout instead of the full-screen tutor, for screen readers
    /// and scripts; the end of input saves and quits.
    #[arg(long)]
    pub plain: bool,
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
    /// Grade answer files against a lesson (exit 0: every point earned, 1: not, 2: bad input).
    Check(CheckArgs),
    /// List the shipped lessons.
    List,
    /// Check lessons: the loader's rules, findings such as a kink, and a gradient check.
    ///
    /// After the loader's rules, each lesson is checked for a pre-activation on a ReLU kink, a
    /// wholly closed layer, a saturated softmax and duplicate weight rows, and the engine's
    /// gradients are compared with centered finite differences. Findings print as
    /// `file:line:col: id: message`; `[lint] allow = [...]` in a lesson accepts them on purpose.
    /// Exit 0: clean, 1: findings, 2: a lesson cannot be loaded.
    Lint(lint::LintArgs),
    /// Make a random lesson (an exercise variant), the same for the same seed.
    New(new::NewArgs),
    /// Write an autograder for a course platform (Gradescope), grading a lesson or each
    /// student's own variant.
    Autograder {
        #[command(subcommand)]
        platform: autograder::Platform,
    },
    /// Print the completion script for a shell, e.g. `source <(backprop-tutor completions bash)`.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff), e.g. `backprop-tutor man > backprop-tutor.1`.
    Man,
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
    /// The output could not be written (a full disk), so what was written is not all of it. A
    /// closed pipe (`| head`) is a normal end, not this.
    pub const OUTPUT_FAILED: u8 = 3;
}

pub fn run(cli: Cli) -> ExitCode {
    let code = match cli.command {
        Some(Command::Solve { lesson, format }) => solve::run(&lesson, format),
        Some(Command::Check(args)) => check::run(&args),
        Some(Command::List) => list::run(),
        Some(Command::Lint(args)) => lint::run(&args),
        Some(Command::New(args)) => new::run(&args),
        Some(Command::Autograder { platform }) => autograder::run(&platform),
        Some(Command::Completions { shell }) => manual::completions(shell),
        Some(Command::Man) => manual::man(),
        None => tutor::run(tutor::TutorArgs {
            lesson: cli.lesson.as_deref(),
            mode: cli.mode,
            fresh: cli.fresh,
            plain: cli.plain,
        }),
    };
    ExitCode::from(code)
}

/// A parser for one of the crate's named enums (activations, losses): every name, with its
/// documentation as the help `--help` shows for it.
fn named<T>() -> impl clap::builder::TypedValueParser<Value = T>
where
    T: strum::IntoEnumIterator + strum::EnumMessage + Into<&'static str> + std::str::FromStr,
    T: Clone + Send + Sync + 'static,
    T::Err: std::error::Error + Send + Sync + 'static,
{
    use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
    let values = T::iter().map(|v| {
        let help = v.get_documentation().unwrap_or_default();
        PossibleValue::new(v.into()).help(help)
    });
    PossibleValuesParser::new(values).try_map(|name| name.parse::<T>())
}

/// Loads a lesson or prints why it cannot be loaded.
fn load_or_report(spec: &str) -> Result<crate::lesson::Lesson, u8> {
    crate::lesson::load_lesson(spec).map_err(|error| {
        eprintln!("{error}");
        exit::BAD_INPUT
    })
}

/// Writes `text` to stdout and gives the exit code: `code` once it is written (see
/// [`written`]).
fn print(text: &str, code: u8) -> u8 {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    written(out.write_all(text.as_bytes()).and_then(|()| out.flush()), code)
}

/// The exit code once the output is written: `code`, also when its reader closed the pipe
/// (`| head`), a normal end; for any other failure (a full disk) the error on stderr and
/// [`exit::OUTPUT_FAILED`], so that a cut report is never taken for a whole one.
fn written(result: std::io::Result<()>, code: u8) -> u8 {
    match result {
        Ok(()) => code,
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => code,
        Err(error) => {
            eprintln!("error: cannot write the output: {error}");
            exit::OUTPUT_FAILED
        }
    }
}
