//! `lint`: the loader's checks, then the findings of DESIGN.md §7, for each lesson given.

use super::{exit, print};
use crate::authoring::lint::{lint, render};
use crate::lesson::{parse_lesson, read_lesson};
use clap::Args;

#[derive(Debug, Args)]
pub struct LintArgs {
    /// Lesson files, or names of shipped lessons.
    #[arg(required = true)]
    pub lessons: Vec<String>,
}

/// Exit 0 when every lesson is clean, 1 when one has findings, 2 when one cannot be loaded.
pub(super) fn run(args: &LintArgs) -> u8 {
    args.lessons.iter().map(|spec| lint_one(spec)).max().unwrap_or(exit::OK)
}

fn lint_one(spec: &str) -> u8 {
    let loaded =
        read_lesson(spec).and_then(|source| Ok((parse_lesson(&source.origin, &source.text)?, source)));
    let (lesson, source) = match loaded {
        Ok(loaded) => loaded,
        Err(error) => {
            eprintln!("{error}");
            return exit::BAD_INPUT;
        }
    };
    let report = lint(&lesson);
    let code = if report.defects().next().is_some() { exit::FINDINGS } else { exit::OK };
    print(&render(&source.origin, &source.text, &report), code)
}
