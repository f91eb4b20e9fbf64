//! Partial credit (`[check.credit]`, DESIGN.md §5) through the binary: a lesson's credit per
//! diagnosis and for carried answers is what every format and the exit code count, and a table
//! that names no known id, or a share outside 0..=1, is refused with its line and column.

#[path = "support/check.rs"]
mod support;

use assert_cmd::cargo::cargo_bin_cmd;
use support::{TRANSPOSED, check, fixture, folder, json, parse_csv, path};

const NOTES: &str = include_str!("../lessons/notes-example.toml");

/// notes-example with a `[check.credit]` table.
fn lesson_with(credit: &str) -> tempfile::TempDir {
    folder(&[("lesson.toml", &format!("{NOTES}\n[check.credit]\n{credit}\n"))])
}

fn lesson_path(dir: &tempfile::TempDir) -> String {
    path(&dir.path().join("lesson.toml")).to_string()
}

#[test]
fn credit_counts_the_same_in_every_format() {
    // mistakes.toml: missing_onehot, carried, transposed, sign_flipped, invalid, missing.
    let dir = lesson_with("missing_onehot = 0.25\ncarried = 0.5\ntransposed = 0.5\nsign_flipped = 0");
    let lesson = lesson_path(&dir);
    let answers = fixture("mistakes.toml");
    let answers = path(&answers);

    let submission = &json(&check(&[&lesson, answers, "--format", "json"]))["submissions"][0];
    assert_eq!(submission["score"], 1.25, "{submission}");
    let credits: Vec<f64> =
        submission["results"].as_array().unwrap().iter().map(|r| r["credit"].as_f64().unwrap()).collect();
    assert_eq!(credits, [0.25, 0.5, 0.5, 0.0, 0.0, 0.0]);
    let first = submission["results"][0]["message"].as_str().unwrap();
    assert!(first.contains("It earns 0.25 of the point (partial credit)."), "{first}");

    let csv = check(&[&lesson, answers, "--format", "csv"]);
    assert_eq!(parse_csv(&csv.stdout)[1][2], "1.25");

    let text = check(&[&lesson, answers]);
    assert!(text.stdout.contains("mistakes.toml: 1.25 of 6 points"), "{}", text.stdout);

    let gradescope = json(&check(&[&lesson, answers, "--format", "gradescope"]));
    assert_eq!(gradescope["score"], 1.25);
    let tests = gradescope["tests"].as_array().unwrap();
    assert_eq!(tests[0]["score"], 0.25);
    assert_eq!(tests[0]["status"], "failed", "partial credit is not a pass");

    // --strict takes the carry's credit away, not the diagnoses'.
    let strict = json(&check(&[&lesson, answers, "--format", "json", "--strict"]));
    assert_eq!(strict["submissions"][0]["score"], 0.75);
}

#[test]
fn full_credit_for_a_diagnosis_is_every_point() {
    let dir = lesson_with("transposed = 1");
    let answers = folder(&[("a.toml", TRANSPOSED)]);
    let run = check(&[&lesson_path(&dir), path(&answers.path().join("a.toml")), "--format", "json"]);
    assert_eq!(run.code, 0, "every point earned: {}", run.stdout);
    assert_eq!(json(&run)["submissions"][0]["score"], 6.0);
}

#[test]
fn without_a_table_diagnosed_answers_earn_nothing_and_carried_ones_everything() {
    let run = check(&["notes-example", path(&fixture("mistakes.toml")), "--format", "json"]);
    let credits: Vec<f64> = json(&run)["submissions"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["credit"].as_f64().unwrap())
        .collect();
    assert_eq!(credits, [0.0, 1.0, 0.0, 0.0, 0.0, 0.0]);
}

/// `lint` and `check` on a lesson with this credit table: both refuse it (exit 2) with the
/// loader's message.
fn refused(credit: &str) -> String {
    let dir = lesson_with(credit);
    let lesson = lesson_path(&dir);
    let lint = cargo_bin_cmd!("backprop-tutor").args(["lint", &lesson]).output().unwrap();
    assert_eq!(lint.status.code(), Some(2), "{credit}");
    let message = String::from_utf8(lint.stderr).unwrap();
    let checked = check(&[&lesson, path(&fixture("perfect.toml"))]);
    assert_eq!(checked.code, 2);
    assert_eq!(checked.stderr, message, "check and lint say the same");
    message
}

#[test]
fn unknown_ids_and_shares_outside_0_to_1_are_refused_where_they_stand() {
    let line = NOTES.lines().count() + 3;
    let message = refused("transposd = 0.5");
    assert!(
        message.contains(&format!("lesson.toml:{line}:13: check.credit: 'transposd' is no diagnosis id")),
        "{message}"
    );
    assert!(message.contains("carried, transposed, sign_flipped"), "the known ids are listed: {message}");
    for (value, shown) in [("1.5", "1.5"), ("-0.25", "-0.25"), ("nan", "NaN"), ("inf", "inf")] {
        let message = refused(&format!("carried = {value}"));
        assert!(
            message.contains(&format!(
                "lesson.toml:{line}:11: check.credit.carried = {shown}: a credit is a share"
            )),
            "{value}: {message}"
        );
    }
    let message = refused("transposed = \"half\"");
    assert!(message.contains(&format!("lesson.toml:{line}:")), "{message}");
}

#[test]
fn a_quantity_named_credit_is_not_a_tolerance_table() {
    // `[check.credit]` is its own key: tolerances in it are refused as unknown ids.
    let message = refused("rtol = 0.5");
    assert!(message.contains("'rtol' is no diagnosis id"), "{message}");
}
