//! `solve`: the worked solution as text, JSON (SPEC §5) or Markdown.

use super::{SolveFormat, exit, load_or_report, print};
use crate::report;

pub fn run(spec: &str, format: SolveFormat) -> u8 {
    let lesson = match load_or_report(spec) {
        Ok(lesson) => lesson,
        Err(code) => return code,
    };
    let text = match format {
        SolveFormat::Text => report::solution_text(&lesson),
        SolveFormat::Json => report::solution_json(&lesson),
        SolveFormat::Markdown => report::solution_markdown(&lesson),
    };
    print(&text);
    exit::OK
}
