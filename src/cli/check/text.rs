//! `check --format text`: for a student. Per answer file, per step: the verdict, and for
//! anything short of correct, what is wrong (entries, shape, diagnosis, the caret under an
//! unreadable answer).

use super::exercise::Graded;
use super::{Report, Tally, points};
use crate::answer::Verdict;
use crate::answer::batch::escape_controls;
use std::fmt::Write;

/// Message lines are wrapped to this width, so they read well in an 80-column terminal.
const WIDTH: usize = 80;

/// The lesson's title, before the files' blocks (each from [`submission`]).
pub(super) fn head(report: &Report) -> String {
    format!("{}\n\n", report.title)
}

/// For several files, a summary after their blocks.
pub(super) fn tail(tally: &Tally) -> String {
    if tally.submissions < 2 {
        return String::new();
    }
    let unread = match tally.errors {
        0 => String::new(),
        1 => "; 1 could not be graded".to_string(),
        n => format!("; {n} could not be graded"),
    };
    format!("\n{} answer files; {} earned every point{unread}.\n", tally.submissions, tally.full_marks)
}

pub(super) fn submission(report: &Report, graded: &Graded) -> String {
    let mut out = String::new();
    submission_text(&mut out, report, graded);
    out
}

fn submission_text(out: &mut String, report: &Report, graded: &Graded) {
    let submission = &graded.submission;
    let seed = submission.seed.as_ref().map_or(String::new(), |seed| format!(" (seed {seed})"));
    let (score, max) = (points(submission.score), points(submission.max_score));
    let _ = writeln!(out, "{}{seed}: {score} of {max} points", escape_controls(&submission.file));
    if let Some(variant) = &graded.variant {
        let _ = writeln!(out, "  your exercise, to work offline: {}", variant.command);
    }
    if let Some(error) = &submission.error {
        let _ = writeln!(out, "  the file was not graded:");
        for line in error.lines() {
            let _ = writeln!(out, "    {line}");
        }
        return;
    }
    let step_width = report.questions.iter().map(|q| q.step.chars().count()).max().unwrap_or(0);
    let name_width = report.questions.iter().map(|q| q.key.chars().count()).max().unwrap_or(0);
    let indent = " ".repeat(2 + "Step ".len() + step_width + 2 + name_width + 2);
    for (question, answered) in report.questions.iter().zip(&submission.results) {
        let grade = &answered.grade;
        let _ = writeln!(
            out,
            "  Step {:<step_width$}  {:<name_width$}  {}",
            question.step, question.key, grade.verdict
        );
        if grade.verdict == Verdict::Correct {
            continue;
        }
        wrap(out, &grade.message, &indent);
        if let Some(diagnosis) = &grade.diagnosis {
            let _ = writeln!(out, "{indent}(diagnosis: {})", diagnosis.id);
        }
        if let (Some(error), Some(input)) = (&grade.error, &answered.input) {
            for line in error.render(input).lines().take(2) {
                let _ = writeln!(out, "{indent}  {line}");
            }
        }
    }
    for warning in &submission.warnings {
        let _ = writeln!(out, "  warning: {warning}");
    }
}

/// Writes `text` word-wrapped, each line behind `indent`.
fn wrap(out: &mut String, text: &str, indent: &str) {
    let room = WIDTH.saturating_sub(indent.chars().count()).max(40);
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > room {
            let _ = writeln!(out, "{indent}{line}");
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        let _ = writeln!(out, "{indent}{line}");
    }
}
