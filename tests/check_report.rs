//! `check --report` through the binary (DESIGN.md §5): a class's verdicts and diagnoses per
//! question, counted against mistakes the test makes on purpose, and the three most common
//! mistakes with the equation that fixes each.

#[path = "support/check.rs"]
mod support;

use serde_json::Value as Json;
use support::{RIGHT, TRANSPOSED, check, fixture, folder, json, parse_csv, path, right_answers};

/// A class of notes-example: two transposed ∂L/∂W(o), one right, one with a slip per step
/// (mistakes.toml), one unreadable.
fn class() -> tempfile::TempDir {
    let mistakes = std::fs::read_to_string(fixture("mistakes.toml")).unwrap();
    folder(&[
        ("a.toml", TRANSPOSED),
        ("b.toml", TRANSPOSED),
        ("c.toml", RIGHT),
        ("d.toml", &mistakes),
        ("e.toml", "dL_do = [1,"),
    ])
}

fn question<'a>(summary: &'a Json, quantity: &str) -> &'a Json {
    summary["questions"].as_array().unwrap().iter().find(|q| q["quantity"] == quantity).unwrap()
}

#[test]
fn json_counts_each_verdict_and_diagnosis_per_question() {
    let dir = class();
    let run = check(&["notes-example", path(dir.path()), "--format", "json", "--report"]);
    let summary = &json(&run)["summary"];
    assert_eq!(summary["submissions"], 5);
    assert_eq!(summary["graded"], 4, "the unreadable file is left out of the shares");
    let wo = question(summary, "dL_dWo");
    assert_eq!(wo["step"], "2B");
    assert_eq!(wo["verdicts"]["correct"], serde_json::json!({"count": 1, "share": 0.25}));
    assert_eq!(wo["verdicts"]["incorrect"], serde_json::json!({"count": 3, "share": 0.75}));
    assert_eq!(wo["verdicts"]["carried"], serde_json::json!({"count": 0, "share": 0.0}));
    assert_eq!(wo["diagnoses"], serde_json::json!({"transposed": {"count": 3, "share": 0.75}}));
    let h2 = question(summary, "dL_dh2");
    assert_eq!(h2["verdicts"]["carried"]["count"], 1);
    assert_eq!(h2["verdicts"]["correct"]["count"], 3);
    let w2 = question(summary, "dL_dW2");
    assert_eq!(w2["verdicts"]["invalid"]["count"], 1);
    assert_eq!(question(summary, "dL_dW1")["verdicts"]["missing"]["count"], 1);
    // Every question's verdict counts add up to the graded submissions.
    for q in summary["questions"].as_array().unwrap() {
        let total: u64 =
            q["verdicts"].as_object().unwrap().values().map(|v| v["count"].as_u64().unwrap()).sum();
        assert_eq!(total, 4, "{q}");
    }

    let common = summary["most_common_diagnoses"].as_array().unwrap();
    let ids: Vec<&str> = common.iter().map(|c| c["diagnosis"].as_str().unwrap()).collect();
    assert_eq!(ids, ["transposed", "sign_flipped", "missing_onehot"], "by students, ties in the ids' order");
    assert_eq!(common[0]["students"], 3);
    assert_eq!(common[0]["share"], 0.75);
    assert_eq!(
        common[0]["where"],
        serde_json::json!([{"quantity": "dL_dWo", "step": "2B", "count": 3, "equation": "(69)"}])
    );
    assert_eq!(common[1]["where"][0]["equation"], "(75)");
    assert_eq!(common[2]["where"][0]["equation"], "(60)");
    assert!(common[0]["description"].as_str().unwrap().contains("transposed"));
}

#[test]
fn without_report_the_summary_has_no_class_counts() {
    let dir = class();
    let summary = &json(&check(&["notes-example", path(dir.path()), "--format", "json"]))["summary"];
    assert!(summary.get("questions").is_none() && summary.get("most_common_diagnoses").is_none());
}

#[test]
fn text_prints_a_table_with_a_bar_per_share() {
    let dir = class();
    let run = check(&["notes-example", path(dir.path()), "--report"]);
    let out = &run.stdout;
    let report = &out[out.find("Class report: 4 submissions graded (1 not graded, left out)").expect(out)..];
    let line = |start: &str| {
        report.lines().find(|l| l.contains(start)).unwrap_or_else(|| panic!("{start}:\n{report}"))
    };
    assert!(line("Step 2B  dL_dWo  correct").ends_with(&format!("1   25%  {}", "█".repeat(5))), "{report}");
    assert!(line("  transposed ").ends_with(&format!("3   75%  {}", "█".repeat(15))), "{report}");
    assert!(
        line("1. transposed: 3 of 4 students (75%): Step 2B dL_dWo ×3, see Eq. (69)").starts_with("  1.")
    );
    assert!(
        report.contains("2. sign_flipped: 1 of 4 students (25%): Step 3A dL_dh1 ×1, see Eq. (75)"),
        "{report}"
    );
    assert!(report.lines().all(|l| l == l.trim_end()), "no trailing blanks");
}

#[test]
fn with_csv_the_report_goes_to_stderr_and_stdout_stays_csv() {
    let dir = class();
    let run = check(&["notes-example", path(dir.path()), "--format", "csv", "--report"]);
    assert_eq!(parse_csv(&run.stdout).len(), 6);
    assert!(run.stderr.contains("Class report: 4 submissions graded"), "{}", run.stderr);
    assert!(run.stderr.contains("Most common mistakes"), "{}", run.stderr);
}

#[test]
fn an_empty_class_report_says_so() {
    let dir = folder(&[("a.toml", "dL_do = [1,")]);
    let run = check(&["notes-example", path(dir.path()), "--report"]);
    assert!(
        run.stdout.ends_with("Class report: 0 submissions graded (1 not graded, left out)\n"),
        "{}",
        run.stdout
    );
    let summary =
        &json(&check(&["notes-example", path(dir.path()), "--report", "--format", "json"]))["summary"];
    assert_eq!(
        question(summary, "dL_do")["verdicts"]["correct"],
        serde_json::json!({"count": 0, "share": null})
    );
}

/// `answers` with `quantity`'s value replaced by `change` of it.
fn with(answers: &str, quantity: &str, change: impl Fn(Json) -> Json) -> String {
    let mut table: toml::Table = answers.parse().unwrap();
    let value: Json = serde_json::to_value(&table[quantity]).unwrap();
    table.insert(quantity.into(), toml::Value::try_from(change(value)).unwrap());
    toml::to_string(&table).unwrap()
}

fn transposed(matrix: Json) -> Json {
    let rows = matrix.as_array().unwrap();
    let columns = rows[0].as_array().unwrap().len();
    (0..columns).map(|j| rows.iter().map(|r| r[j].clone()).collect::<Json>()).collect()
}

fn negated(vector: Json) -> Json {
    vector.as_array().unwrap().iter().map(|x| Json::from(-x.as_f64().unwrap())).collect()
}

#[test]
fn variants_are_counted_together() {
    // Each student's own exercise, each with the mistakes put in on purpose.
    let students = ["s1", "s2", "s3", "s4"];
    let files: Vec<(String, String)> = students
        .iter()
        .enumerate()
        .map(|(i, seed)| {
            let right = right_answers(seed, &[]);
            let answers = match i {
                0 => with(&right, "dL_dWo", transposed),
                1 => with(&with(&right, "dL_dWo", transposed), "dL_dh2", negated),
                2 => with(&right, "dL_dh2", negated),
                _ => right,
            };
            (format!("{seed}.toml"), answers)
        })
        .collect();
    let named: Vec<(&str, &str)> = files.iter().map(|(n, t)| (n.as_str(), t.as_str())).collect();
    let dir = folder(&named);
    let summary = &json(&check(&["--variants", path(dir.path()), "--format", "json", "--report"]))["summary"];
    assert_eq!(summary["graded"], 4);
    assert_eq!(question(summary, "dL_dWo")["diagnoses"]["transposed"]["count"], 2);
    assert_eq!(question(summary, "dL_dh2")["diagnoses"]["sign_flipped"]["count"], 2);
    let common = summary["most_common_diagnoses"].as_array().unwrap();
    assert_eq!(common.len(), 2, "{common:?}");
    assert_eq!(common[0]["diagnosis"], "transposed");
    assert_eq!(common[0]["where"][0]["equation"], "(69)");
    assert_eq!(common[1]["where"][0]["equation"], "(65)");
}
