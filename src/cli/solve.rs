//! `solve`: the worked solution as text, JSON (DESIGN.md §5) or Markdown.

use super::{SolveFormat, exit, load_or_report, print, written};
use crate::report;
use std::io::{BufWriter, Write};

pub(super) fn run(spec: &str, format: SolveFormat) -> u8 {
    let lesson = match load_or_report(spec) {
        Ok(lesson) => lesson,
        Err(code) => return code,
    };
    match format {
        SolveFormat::Text => print(&report::solution_text(&lesson), exit::OK),
        SolveFormat::Markdown => print(&report::solution_markdown(&lesson), exit::OK),
        SolveFormat::Json => {
            let mut out = BufWriter::new(std::io::stdout().lock());
            written(report::write_solution_json(lesson, &mut out).and_then(|()| out.flush()), exit::OK)
        }
    }
}
