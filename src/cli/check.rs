//! `check`: grades answer files against a lesson (SPEC §5), in batch, as text for a student or
//! as JSON, Gradescope's results.json or CSV for course staff.

mod csv;
mod gradescope;
mod json;
mod text;

use super::{exit, load_or_report};
use crate::answer::batch::{answer_files, grade_files_with};
use crate::answer::{GradeOptions, Grader, Question, questions};
use crate::engine::Solution;
use clap::{Args, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// A lesson file, or the name of a shipped lesson.
    pub lesson: String,
    /// Answer files (TOML: keys are quantity names such as dL_do or dL_dWo[2,1]); a folder
    /// means every *.toml in it.
    #[arg(required = true)]
    pub answers: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    pub format: CheckFormat,
    /// Relative tolerance for every answer, instead of the lesson's rtol values (its atol
    /// values stay).
    #[arg(long, value_parser = non_negative)]
    pub rtol: Option<f64>,
    /// Absolute tolerance for every answer, instead of the lesson's atol values (its rtol
    /// values stay).
    #[arg(long, value_parser = non_negative)]
    pub atol: Option<f64>,
    /// Give no point for an answer that is only wrong because of an earlier wrong answer.
    #[arg(long)]
    pub strict: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// For a student: per step, the verdict, the wrong entries, the diagnosis.
    Text,
    /// One object with every submission (SPEC §5).
    Json,
    /// Gradescope's results.json, for exactly one answer file.
    Gradescope,
    /// One row per file, one column per question.
    Csv,
}

fn non_negative(text: &str) -> Result<f64, String> {
    let value: f64 = text.parse().map_err(|_| format!("'{text}' is not a number"))?;
    if value.is_finite() && value >= 0.0 {
        Ok(value)
    } else {
        Err("a tolerance is a finite number ≥ 0".into())
    }
}

/// What every format needs besides the submissions: the lesson's title and its questions.
pub struct Report<'a> {
    pub title: &'a str,
    pub questions: &'a [Question],
}

/// One submission as its format prints it, made in the worker that graded it so that only
/// this text (not the grades) waits for the output.
struct Rendered {
    text: String,
    /// Warnings for stderr, in the formats whose stdout is read by programs.
    stderr: String,
    full_marks: bool,
}

pub fn run(args: &CheckArgs) -> u8 {
    let lesson = match load_or_report(&args.lesson) {
        Ok(lesson) => lesson,
        Err(code) => return code,
    };
    let files = match answer_files(&args.answers) {
        Ok(files) => files,
        Err(message) => {
            eprintln!("error: {message}");
            return exit::BAD_INPUT;
        }
    };
    if args.format == CheckFormat::Gradescope && files.len() != 1 {
        eprintln!(
            "error: --format gradescope grades exactly one answer file, but {} were given",
            files.len()
        );
        return exit::BAD_INPUT;
    }
    let solution = Solution::new(lesson.network());
    let options = GradeOptions { rtol: args.rtol, atol: args.atol, strict: args.strict };
    let grader = Grader::new(&lesson, &solution, options);
    let questions = questions(&lesson);
    let report = Report { title: lesson.title(), questions: &questions };
    let rendered = grade_files_with(&grader, &questions, &files, |submission| Rendered {
        text: match args.format {
            CheckFormat::Text => text::submission(&report, &submission),
            CheckFormat::Json => json::submission(&report, &submission),
            CheckFormat::Gradescope => gradescope::render(&submission, &questions),
            CheckFormat::Csv => csv::row(&submission),
        },
        // Machine-read formats keep their exact shape on stdout; the warnings go to stderr
        // (the text format and Gradescope's own `output` field carry them too).
        stderr: match args.format {
            CheckFormat::Json | CheckFormat::Csv => {
                submission.warnings.iter().map(|w| format!("{}: warning: {w}\n", submission.file)).collect()
            }
            CheckFormat::Text | CheckFormat::Gradescope => String::new(),
        },
        full_marks: submission.score == submission.max_score,
    });
    let layout = match args.format {
        CheckFormat::Text => {
            let full = rendered.iter().filter(|r| r.full_marks).count();
            text::layout(&report, rendered.len(), full)
        }
        CheckFormat::Json => json::layout(&report),
        CheckFormat::Gradescope => Layout::default(),
        CheckFormat::Csv => csv::layout(&report),
    };
    for r in &rendered {
        eprint!("{}", r.stderr);
    }
    write_out(&layout, rendered.iter().map(|r| r.text.as_str()));
    if rendered.iter().all(|r| r.full_marks) { exit::OK } else { exit::FINDINGS }
}

/// What a format puts around the submissions it prints.
#[derive(Default)]
pub struct Layout {
    pub head: String,
    pub separator: &'static str,
    pub tail: String,
}

/// Writes the output piece by piece (a class's JSON is megabytes: no need to join it first),
/// treating a closed pipe (`| head`) as a normal end.
fn write_out<'a>(layout: &Layout, pieces: impl Iterator<Item = &'a str>) {
    use std::io::Write;
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let write = || -> std::io::Result<()> {
        out.write_all(layout.head.as_bytes())?;
        for (i, piece) in pieces.enumerate() {
            if i > 0 {
                out.write_all(layout.separator.as_bytes())?;
            }
            out.write_all(piece.as_bytes())?;
        }
        out.write_all(layout.tail.as_bytes())?;
        out.flush()
    };
    let _ = write();
}
