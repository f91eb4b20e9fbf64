//! `check --format json`: one object, `{"lesson", "submissions": [{"file", "seed", "score",
//! "max_score", "error", "warnings", "results": [{"quantity", "step", "verdict", "message",
//! "diagnosis", "wrong_entries", "credit", "carried_from"}]}], "summary": {...}}`, on one line
//! (a class's worth is megabytes; `jq` shows it to people). The summary comes last so that the
//! submissions can be written as they are graded. A submission whose file could not be graded
//! has its `error` and no results: nothing in it was graded, not even as missing.

use super::canvas::{Gradebook, RosterJson};
use super::report::ReportJson;
use super::{Report, Tally, points};
use crate::answer::{Identity, Submission};
use serde::Serialize;

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

/// One submission's object, written by hand: it is most of the output, one per file of a class,
/// and serializing it through serde's generic path cost more than grading some files. The test
/// below holds it to the same object built with `serde_json::json!`.
pub(super) fn submission(out: &mut String, report: &Report, s: &Submission) {
    let mut out = Json(out);
    out.raw("{\"file\":");
    out.string(&s.file);
    out.raw(",\"seed\":");
    out.optional(s.seed.as_deref());
    out.raw(",\"score\":");
    out.number(points(s.score));
    out.raw(",\"max_score\":");
    out.number(points(s.max_score));
    out.raw(",\"error\":");
    out.optional(s.error.as_deref());
    out.raw(",\"warnings\":");
    out.list(&s.warnings, |out, warning| out.string(warning));
    out.raw(",\"results\":[");
    let graded = if s.error.is_some() { &[][..] } else { &s.results[..] };
    let openings = report.json_openings(|| openings(report));
    for (i, (opening, answered)) in openings.iter().zip(graded).enumerate() {
        let grade = &answered.grade;
        out.raw(if i == 0 { "{" } else { ",{" });
        out.raw(opening);
        // A verdict's word is lowercase letters: nothing in it is escaped.
        out.raw(grade.verdict.word());
        out.raw("\",\"message\":");
        out.string(&grade.message);
        let plain = grade.diagnosis.is_none()
            && grade.wrong_entries.is_empty()
            && grade.carried_from.is_empty()
            && grade.formula.is_none();
        // Most results are right or missing: their tail is one constant, not a dozen pieces.
        let credit = points(grade.credit);
        if plain && credit == 1.0 {
            out.raw(PLAIN_TAIL_CREDIT_1);
        } else if plain && credit == 0.0 {
            out.raw(PLAIN_TAIL_CREDIT_0);
        } else {
            out.raw(",\"diagnosis\":");
            out.optional(grade.diagnosis.as_ref().map(|d| d.id.name()));
            out.raw(",\"wrong_entries\":");
            out.list(&grade.wrong_entries, |out, index| {
                out.list(index, |out, i| out.raw(itoa::Buffer::new().format(*i)));
            });
            out.raw(",\"credit\":");
            out.number(credit);
            out.raw(",\"carried_from\":");
            out.list(&grade.carried_from, |out, name| out.string(&name.to_string()));
            out.raw(if grade.formula.is_some() { ",\"formula\":true" } else { ",\"formula\":false" });
            out.raw(",\"identity\":");
            out.optional(grade.formula.map(Identity::name));
        }
        out.raw("}");
    }
    out.raw("]}");
}

/// Per question, its result's keys up to the verdict's word: `"quantity":"dL_do","step":"1",
/// "verdict":"` (without the spaces), the same in every submission.
fn openings(report: &Report) -> Vec<String> {
    report
        .questions
        .iter()
        .map(|question| {
            let mut opening = String::new();
            let mut out = Json(&mut opening);
            out.raw("\"quantity\":");
            out.string(&question.key);
            out.raw(",\"step\":");
            out.string(&question.step);
            out.raw(",\"verdict\":\"");
            opening
        })
        .collect()
}

/// What follows a result's message when it has no diagnosis, wrong entries, carry or formula.
const PLAIN_TAIL_CREDIT_1: &str = ",\"diagnosis\":null,\"wrong_entries\":[],\"credit\":1.0,\"carried_from\":[],\"formula\":false,\"identity\":null";
const PLAIN_TAIL_CREDIT_0: &str = ",\"diagnosis\":null,\"wrong_entries\":[],\"credit\":0.0,\"carried_from\":[],\"formula\":false,\"identity\":null";

/// JSON text being written, compact, as serde_json writes it.
struct Json<'a>(&'a mut String);

impl Json<'_> {
    fn raw(&mut self, text: &str) {
        self.0.push_str(text);
    }

    /// A string, escaped as serde_json escapes one: `"` and `\\`, and control characters
    /// (`\n`, `\t`… or `\u00XX`); everything else is written as it is.
    fn string(&mut self, text: &str) {
        let out = &mut *self.0;
        out.push('"');
        // Most strings need no escape: one branch-free look (vectorized) finds that out.
        let plain = !text.bytes().fold(false, |escape, b| escape | (b < 0x20) | (b == b'"') | (b == b'\\'));
        if plain {
            out.push_str(text);
            out.push('"');
            return;
        }
        let mut run = 0;
        for (at, byte) in text.bytes().enumerate() {
            let escape = match byte {
                b'"' => "\\\"",
                b'\\' => "\\\\",
                b'\n' => "\\n",
                b'\t' => "\\t",
                b'\r' => "\\r",
                0x08 => "\\b",
                0x0c => "\\f",
                0x00..=0x1f => "",
                _ => continue,
            };
            out.push_str(&text[run..at]);
            run = at + 1;
            if escape.is_empty() {
                out.push_str(&format!("\\u{byte:04x}"));
            } else {
                out.push_str(escape);
            }
        }
        out.push_str(&text[run..]);
        out.push('"');
    }

    fn optional(&mut self, text: Option<&str>) {
        match text {
            Some(text) => self.string(text),
            None => self.raw("null"),
        }
    }

    /// A number as serde_json writes an `f64`: the shortest decimal that reads back as it
    /// (`6.0`, `0.5`), and `null` when it is not finite.
    fn number(&mut self, x: f64) {
        if x.is_finite() {
            self.raw(zmij::Buffer::new().format_finite(x));
        } else {
            self.raw("null");
        }
    }

    fn list<T>(&mut self, items: &[T], mut item: impl FnMut(&mut Self, &T)) {
        self.0.push('[');
        for (i, x) in items.iter().enumerate() {
            if i > 0 {
                self.0.push(',');
            }
            item(self, x);
        }
        self.0.push(']');
    }
}

fn to_json(value: &impl Serialize) -> String {
    // Plain structs of strings, numbers and lists always serialize (serde_json fails only on
    // maps with non-string keys, or a type's own error); a non-finite number becomes null.
    serde_json::to_string(value).unwrap_or_else(|_| "null".to_string())
}

#[cfg(test)]
mod tests {
    use super::submission;
    use crate::answer::submission::grade_sheet;
    use crate::answer::{GradeOptions, Grader, Submission, questions};
    use crate::cli::check::{Report, points};
    use crate::engine::Solution;
    use crate::lesson::{parse_lesson, shipped};
    use serde_json::{Value, json};

    /// The object as serde builds it from the same fields: what the hand-written text must be.
    fn reference(report: &Report, s: &Submission) -> Value {
        let graded = if s.error.is_some() { &[][..] } else { &s.results[..] };
        let results: Vec<Value> = report
            .questions
            .iter()
            .zip(graded)
            .map(|(question, answered)| {
                let grade = &answered.grade;
                json!({
                    "quantity": question.asked.to_string(),
                    "step": question.step,
                    "verdict": grade.verdict,
                    "message": grade.message,
                    "diagnosis": grade.diagnosis.as_ref().map(|d| d.id.name()),
                    "wrong_entries": grade.wrong_entries,
                    "credit": points(grade.credit),
                    "carried_from": grade.carried_from.iter().map(ToString::to_string).collect::<Vec<_>>(),
                    "formula": grade.formula.is_some(),
                    "identity": grade.formula,
                })
            })
            .collect();
        json!({
            "file": s.file,
            "seed": s.seed,
            "score": points(s.score),
            "max_score": points(s.max_score),
            "error": s.error,
            "warnings": s.warnings,
            "results": results,
        })
    }

    fn written(report: &Report, s: &Submission) -> String {
        let mut out = String::new();
        submission(&mut out, report, s);
        out
    }

    #[test]
    fn submissions_are_written_as_serde_writes_them() {
        let text = shipped::all().find(|(name, _)| *name == "notes-example").unwrap().1;
        let lesson = parse_lesson("notes-example", text).unwrap();
        let solution = Solution::new(lesson.network());
        let grader = Grader::new(&lesson, &solution, GradeOptions::default());
        let questions = questions(&lesson);
        let report = Report::new("t", &questions, &[]);
        let sheets = [
            // Wrong, carried, a diagnosis, an unreadable formula with its caret, a warning.
            "seed = \"s\\\"q\\\\u\\u0001 ☃\"\ndL_do = [0.09, 0.66, 0.24]\ndL_dh2 = [0.58, -1.15]\n\
             dL_dWo = [[0.36, 0.09], [2.66, 0.67], [-3.02, -0.76]]\ndL_dh1 = \"dL_dh2 *\"\nzz = 1\n",
            "dL_do = \"dL_do_hat - y\"\ndL_dh2 = 1e300\n",
            "",
        ];
        for (i, sheet) in sheets.iter().enumerate() {
            let file = format!("a \"file\"\t\u{7}\u{1b}\u{7f}é{i}.toml");
            let graded = grade_sheet(&grader, &questions, &file, sheet);
            let written = written(&report, &graded);
            assert_eq!(
                serde_json::from_str::<Value>(&written).unwrap(),
                reference(&report, &graded),
                "{written}"
            );
        }
        let mut broken = grade_sheet(&grader, &questions, "b.toml", "a = [");
        assert!(broken.error.is_some());
        broken.score = f64::NAN;
        let written = written(&report, &broken);
        assert_eq!(
            serde_json::from_str::<Value>(&written).unwrap(),
            reference(&report, &broken),
            "{written}"
        );
    }
}
