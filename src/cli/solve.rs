//! `solve`: the worked solution as text, JSON (DESIGN.md §5) or Markdown.

use super::{SolveFormat, exit, load_or_report, print};
use crate::report;
use std::io::{BufWriter, Write};

pub(super) fn run(spec: &str, format: SolveFormat) -> u8 {
    let lesson = match load_or_report(spec) {
        Ok(lesson) => lesson,
        Err(code) => return code,
    };
    match format {
        SolveFormat::Text => print(&report::solution_text(&lesson)),
        SolveFormat::Markdown => print(&report::solution_markdown(&lesson)),
        SolveFormat::Json => {
            let mut out = BufWriter::new(std::io::stdout().lock());
            // A closed pipe (`| head`) is a normal end for a command-line tool.
            let _ = report::write_solution_json(&lesson, &mut out).and_then(|()| out.flush());
        }
    }
    exit::OK
}
