//! `check --format json`: one object, `{"lesson", "submissions": [{"file", "seed", "score",
//! "max_score", "error", "warnings", "results": [{"quantity", "step", "verdict", "message",
//! "diagnosis", "wrong_entries", "credit", "carried_from"}]}], "summary": {...}}`, on one line
//! (a class's worth is megabytes; `jq` shows it to people). The summary comes last so that the
//! submissions can be written as they are graded. A submission whose file could not be graded
//! has its `error` and no results: nothing in it was graded, not even as missing.

use super::canvas::{Gradebook, RosterJson};
use super::report::ReportJson;
use super::{Report, Tally, points};
use crate::answer::{Identity, Submission, Verdict};
use serde::Serialize;

#[derive(Serialize)]
struct SubmissionJson<'a> {
    file: &'a str,
    seed: Option<&'a str>,
    score: f64,
    max_score: f64,
    error: Option<&'a str>,
    warnings: &'a [String],
    results: Vec<ResultJson<'a>>,
}

#[derive(Serialize)]
struct ResultJson<'a> {
    quantity: String,
    step: &'a str,
    verdict: Verdict,
    message: &'a str,
    /// The diagnosis's id, or null.
    diagnosis: Option<&'static str>,
    wrong_entries: &'a [Vec<usize>],
    credit: f64,
    /// The earlier answers a carried answer follows from.
    carried_from: Vec<String>,
    /// Whether the answer was a formula in the lesson's names.
    formula: bool,
    /// For a formula: whether it holds on nearby lessons (`holds`), only here
    /// (`coincidence`), or was not tested (`untested`); null for a value.
    identity: Option<Identity>,
}

#[derive(Serialize)]
struct SummaryJson<'a> {
    submissions: usize,
    /// Submissions that earned every point.
    full_marks: usize,
    /// Submissions whose file could not be graded.
    errors: usize,
    /// Submissions with at least one warning.
    with_warnings: usize,
    /// Over every submission, those with an error counting 0; null for none.
    mean_score: Option<f64>,
    max_score: f64,
    /// Entries of the folders that are not named *.toml, so not submissions.
    skipped_entries: usize,
    /// What stderr said about the run itself: skipped AppleDouble files, odd roster rows.
    warnings: &'a [String],
    /// `--report`: its `graded`, `questions` and `most_common_diagnoses`, beside the rest.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    report: Option<ReportJson>,
    /// `--roster`: who submitted, and the submissions that match no student.
    #[serde(skip_serializing_if = "Option::is_none")]
    roster: Option<RosterJson<'a>>,
}

/// Everything before the first submission.
pub(super) fn head(report: &Report) -> String {
    format!("{{\"lesson\":{},\"submissions\":[", to_json(&report.title))
}

/// Everything after the last submission: the summary of them all, with the class report if
/// one was asked for.
pub(super) fn tail(tally: &Tally, report: Option<ReportJson>) -> String {
    let summary = SummaryJson {
        report,
        roster: tally.gradebook.as_ref().map(Gradebook::json),
        submissions: tally.submissions,
        full_marks: tally.full_marks,
        errors: tally.errors,
        with_warnings: tally.with_warnings,
        mean_score: tally.mean_score(),
        max_score: points(tally.max_score),
        skipped_entries: tally.skipped,
        warnings: &tally.notes,
    };
    format!("],\"summary\":{}}}\n", to_json(&summary))
}

/// One submission's object.
pub(super) fn submission(report: &Report, s: &Submission) -> String {
    let graded = if s.error.is_some() { &[][..] } else { &s.results[..] };
    let json = SubmissionJson {
        file: &s.file,
        seed: s.seed.as_deref(),
        score: points(s.score),
        max_score: points(s.max_score),
        error: s.error.as_deref(),
        warnings: &s.warnings,
        results: report
            .questions
            .iter()
            .zip(graded)
            .map(|(question, answered)| {
                let grade = &answered.grade;
                ResultJson {
                    quantity: question.asked.to_string(),
                    step: &question.step,
                    verdict: grade.verdict,
                    message: &grade.message,
                    diagnosis: grade.diagnosis.as_ref().map(|d| d.id.name()),
                    wrong_entries: &grade.wrong_entries,
                    credit: points(grade.credit),
                    carried_from: grade.carried_from.iter().map(ToString::to_string).collect(),
                    formula: grade.formula.is_some(),
                    identity: grade.formula,
                }
            })
            .collect(),
    };
    to_json(&json)
}

fn to_json(value: &impl Serialize) -> String {
    // Plain structs of strings, numbers and lists always serialize (serde_json fails only on
    // maps with non-string keys, or a type's own error); a non-finite number becomes null.
    serde_json::to_string(value).unwrap_or_else(|_| "null".to_string())
}
