//! `check --format json`, exactly as SPEC §5: `{"lesson", "submissions": [{"file", "score",
//! "max_score", "error", "results": [{"quantity", "step", "verdict", "message", "diagnosis",
//! "wrong_entries"}]}]}`, with the diagnosis as its id or null. Each submission is printed by
//! the worker that graded it, then set in the object in order.

use super::{Layout, Report};
use crate::answer::{Submission, Verdict};
use serde::Serialize;

#[derive(Serialize)]
struct SubmissionJson<'a> {
    file: &'a str,
    score: f64,
    max_score: f64,
    error: Option<&'a str>,
    results: Vec<ResultJson<'a>>,
}

#[derive(Serialize)]
struct ResultJson<'a> {
    quantity: String,
    step: &'a str,
    verdict: Verdict,
    message: &'a str,
    diagnosis: Option<&'static str>,
    wrong_entries: &'a [Vec<usize>],
}

/// The object around the submissions (each printed by [`submission`]), on one line: the
/// format is for programs (a class's worth is megabytes; `jq` shows it to people).
pub fn layout(report: &Report) -> Layout {
    let title = serde_json::to_string(report.title).expect("a string serializes");
    Layout {
        head: format!("{{\"lesson\":{title},\"submissions\":["),
        separator: ",",
        tail: "]}\n".to_string(),
    }
}

/// One submission's object.
pub fn submission(report: &Report, s: &Submission) -> String {
    let json = SubmissionJson {
        file: &s.file,
        score: s.score,
        max_score: s.max_score,
        error: s.error.as_deref(),
        results: report
            .questions
            .iter()
            .zip(&s.results)
            .map(|(question, answered)| ResultJson {
                quantity: question.asked.to_string(),
                step: &question.step,
                verdict: answered.grade.verdict,
                message: &answered.grade.message,
                diagnosis: answered.grade.diagnosis.as_ref().map(|d| d.id),
                wrong_entries: &answered.grade.wrong_entries,
            })
            .collect(),
    };
    serde_json::to_string(&json).expect("plain data serializes")
}
