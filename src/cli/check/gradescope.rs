//! `check --format gradescope`: Gradescope's autograder `results.json` for one submission,
//! one test per question ("Step 2A: dL/dh(2)").

use crate::answer::{Question, Submission};
use serde::Serialize;

#[derive(Serialize)]
struct ResultsJson {
    score: f64,
    /// Shown above the tests: why the file could not be read, or keys that were not graded.
    #[serde(skip_serializing_if = "Option::is_none")]
    output: Option<String>,
    tests: Vec<TestJson>,
}

#[derive(Serialize)]
struct TestJson {
    name: String,
    score: f64,
    max_score: f64,
    output: String,
    status: &'static str,
}

pub fn render(submission: &Submission, questions: &[Question]) -> String {
    let tests = questions
        .iter()
        .zip(&submission.results)
        .map(|(question, answered)| {
            let grade = &answered.grade;
            let mut output = format!("{}: {}", grade.verdict, grade.message);
            if let (Some(error), Some(input)) = (&grade.error, &answered.input) {
                output.push('\n');
                output.push_str(&error.render(input));
            }
            TestJson {
                name: question.title(),
                score: grade.credit,
                max_score: 1.0,
                output,
                status: if grade.credit >= 1.0 { "passed" } else { "failed" },
            }
        })
        .collect();
    let notes: Vec<String> = submission
        .error
        .iter()
        .map(|e| format!("The answer file could not be read: {e}"))
        .chain(submission.warnings.iter().map(|w| format!("Warning: {w}")))
        .collect();
    let results =
        ResultsJson { score: submission.score, output: (!notes.is_empty()).then(|| notes.join("\n")), tests };
    let mut text = serde_json::to_string_pretty(&results).expect("plain data serializes");
    text.push('\n');
    text
}
