//! `backprop-tutor check` through the binary (SPEC §5): every format, every exit code.

use assert_cmd::cargo::cargo_bin_cmd;
use serde_json::Value as Json;
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/answers").join(name)
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn check(args: &[&str]) -> Run {
    let output = cargo_bin_cmd!("backprop-tutor").arg("check").args(args).output().unwrap();
    Run {
        code: output.status.code().unwrap(),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    }
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// An object's keys, sorted (serde_json's map sorts them).
fn keys(value: &Json) -> Vec<&str> {
    let mut keys: Vec<&str> = value.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort_unstable();
    keys
}

fn sorted(mut names: Vec<&str>) -> Vec<&str> {
    names.sort_unstable();
    names
}

fn json(run: &Run) -> Json {
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}:\n{}", run.stdout))
}

/// A folder holding the given files.
fn folder(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

const RIGHT: &str = r#"
dL_do = [0.09, 0.665, -0.755]
dL_dh2 = [0.288, -0.575]
dL_dWo = [[0.36, 0.09], [2.661, 0.665], [-3.021, -0.755]]
dL_dh1 = [-0.863, 1.438]
dL_dW2 = [[0.288, 0.288], [-0.575, -0.575]]
dL_dW1 = [[-0.863, -0.863, -0.863], [1.438, 1.438, 1.438]]
"#;

// ---------------------------------------------------------------- text

#[test]
fn text_all_correct_exits_0() {
    let run = check(&["notes-example", path(&fixture("perfect.toml"))]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.starts_with("The notes' worked example\n"), "{}", run.stdout);
    assert!(run.stdout.contains("perfect.toml: 6 of 6 points"), "{}", run.stdout);
    assert_eq!(run.stdout.matches(" correct\n").count(), 6, "{}", run.stdout);
}

#[test]
fn text_shows_verdicts_entries_diagnoses_and_carets() {
    let run = check(&["notes-example", path(&fixture("mistakes.toml"))]);
    assert_eq!(run.code, 1);
    let out = &run.stdout;
    for expected in [
        "mistakes.toml: 1 of 6 points",
        "Step 1   dL_do   incorrect",
        "Entry 3 is off.",
        "(diagnosis: missing_onehot)",
        "Step 2A  dL_dh2  carried",
        "(diagnosis: transposed)",
        "Expected a 3×2 matrix, but this is a 2×3 matrix.",
        "(diagnosis: sign_flipped)",
        "Step 3B  dL_dW2  invalid",
        "[[0.288, 0.288], [-0.575, -0.575]\n",
        "Step 4   dL_dW1  missing",
        "warning: 'dL_dh' is not a quantity of this lesson (did you mean 'dL_dh2'?)",
    ] {
        assert!(out.contains(expected), "missing {expected:?} in\n{out}");
    }
    // The caret stands under the end of the unreadable answer.
    let line = out.lines().position(|l| l.ends_with("[[0.288, 0.288], [-0.575, -0.575]")).unwrap();
    let text_line = out.lines().nth(line).unwrap();
    let caret_line = out.lines().nth(line + 1).unwrap();
    assert_eq!(caret_line.trim(), "^");
    assert_eq!(caret_line.chars().count(), text_line.chars().count() + 1);
}

// ---------------------------------------------------------------- json

#[test]
fn json_has_the_shape_of_spec_5() {
    let run = check(&["notes-example", path(&fixture("")), "--format", "json"]);
    assert_eq!(run.code, 1);
    let report = json(&run);
    assert_eq!(keys(&report), ["lesson", "submissions"]);
    assert_eq!(report["lesson"], "The notes' worked example");
    let submissions = report["submissions"].as_array().unwrap();
    let files: Vec<&str> = submissions.iter().map(|s| s["file"].as_str().unwrap()).collect();
    assert_eq!(files.len(), 3);
    assert!(
        files[0].ends_with("broken.toml")
            && files[1].ends_with("mistakes.toml")
            && files[2].ends_with("perfect.toml")
    );
    for submission in submissions {
        assert_eq!(keys(submission), sorted(vec!["file", "score", "max_score", "error", "results"]));
        assert_eq!(submission["max_score"], 6.0);
        let results = submission["results"].as_array().unwrap();
        assert_eq!(results.len(), 6);
        for result in results {
            let expected = vec!["quantity", "step", "verdict", "message", "diagnosis", "wrong_entries"];
            assert_eq!(keys(result), sorted(expected));
            assert!(result["diagnosis"].is_null() || result["diagnosis"].is_string());
            assert!(result["wrong_entries"].as_array().unwrap().iter().all(|e| e.is_array()));
            let verdict = result["verdict"].as_str().unwrap();
            assert!(["correct", "incorrect", "invalid", "missing", "carried"].contains(&verdict));
        }
    }
    // The unreadable file: its error, score 0; the others still graded.
    assert!(submissions[0]["error"].as_str().unwrap().contains("TOML parse error"));
    assert_eq!(submissions[0]["score"], 0.0);
    assert!(submissions[1]["error"].is_null());
    assert_eq!(submissions[2]["score"], 6.0);
    // The mistakes file, result by result.
    let results = submissions[1]["results"].as_array().unwrap();
    let row = |i: usize| {
        let r = &results[i];
        (
            r["quantity"].as_str().unwrap(),
            r["step"].as_str().unwrap(),
            r["verdict"].as_str().unwrap(),
            r["diagnosis"].as_str(),
        )
    };
    assert_eq!(row(0), ("dL_do", "1", "incorrect", Some("missing_onehot")));
    assert_eq!(row(1), ("dL_dh2", "2A", "carried", None));
    assert_eq!(row(2), ("dL_dWo", "2B", "incorrect", Some("transposed")));
    assert_eq!(row(3), ("dL_dh1", "3A", "incorrect", Some("sign_flipped")));
    assert_eq!(row(4), ("dL_dW2", "3B", "invalid", None));
    assert_eq!(row(5), ("dL_dW1", "4", "missing", None));
    assert_eq!(results[0]["wrong_entries"], serde_json::json!([[3]]));
    assert_eq!(submissions[1]["score"], 1.0);
    // Warnings keep stdout pure JSON and go to stderr.
    assert!(run.stderr.contains("did you mean 'dL_dh2'?"), "{}", run.stderr);
}

#[test]
fn json_all_correct_exits_0() {
    let dir = folder(&[("a.toml", RIGHT), ("b.toml", RIGHT)]);
    let run = check(&["notes-example", path(dir.path()), "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    let report = json(&run);
    assert!(
        report["submissions"].as_array().unwrap().iter().all(|s| s["score"] == 6.0 && s["error"].is_null())
    );
}

#[test]
fn a_missing_answer_file_is_that_submissions_error() {
    let missing = fixture("no-such-file.toml");
    let run = check(&["notes-example", path(&fixture("perfect.toml")), path(&missing), "--format", "json"]);
    assert_eq!(run.code, 1);
    let report = json(&run);
    assert_eq!(report["submissions"][0]["score"], 6.0);
    assert!(report["submissions"][1]["error"].as_str().unwrap().contains("cannot open"));
}

// ---------------------------------------------------------------- gradescope

#[test]
fn gradescope_prints_results_json_for_one_file() {
    let run = check(&["notes-example", path(&fixture("mistakes.toml")), "--format", "gradescope"]);
    assert_eq!(run.code, 1);
    let results = json(&run);
    assert_eq!(results["score"], 1.0);
    let tests = results["tests"].as_array().unwrap();
    let names: Vec<&str> = tests.iter().map(|t| t["name"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        [
            "Step 1: dL/do",
            "Step 2A: dL/dh(2)",
            "Step 2B: dL/dW(o)",
            "Step 3A: dL/dh(1)",
            "Step 3B: dL/dW(2)",
            "Step 4: dL/dW(1)"
        ]
    );
    for test in tests {
        assert_eq!(keys(test), sorted(vec!["name", "score", "max_score", "output", "status"]));
        assert_eq!(test["max_score"], 1.0);
        let passed = test["score"] == 1.0;
        assert_eq!(test["status"], if passed { "passed" } else { "failed" });
    }
    assert_eq!(tests[1]["status"], "passed", "carried earns the point");
    assert!(tests[0]["output"].as_str().unwrap().contains("ô itself"));
    assert!(results["output"].as_str().unwrap().contains("did you mean"));
}

#[test]
fn gradescope_full_marks_exits_0() {
    let run = check(&["notes-example", path(&fixture("perfect.toml")), "--format", "gradescope"]);
    assert_eq!(run.code, 0);
    assert_eq!(json(&run)["score"], 6.0);
}

#[test]
fn gradescope_refuses_more_than_one_file() {
    let run = check(&[
        "notes-example",
        path(&fixture("perfect.toml")),
        path(&fixture("mistakes.toml")),
        "--format",
        "gradescope",
    ]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("exactly one answer file"), "{}", run.stderr);
    assert!(run.stdout.is_empty());
    // A folder of several files is several files.
    let run = check(&["notes-example", path(&fixture("")), "--format", "gradescope"]);
    assert_eq!(run.code, 2);
}

// ---------------------------------------------------------------- csv

#[test]
fn csv_has_a_header_and_a_row_per_file() {
    let run = check(&["notes-example", path(&fixture("")), "--format", "csv"]);
    assert_eq!(run.code, 1);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines[0], "file,score,max_score,dL_do,dL_dh2,dL_dWo,dL_dh1,dL_dW2,dL_dW1");
    assert_eq!(lines.len(), 4);
    assert!(
        lines[1].ends_with("broken.toml,0,6,missing,missing,missing,missing,missing,missing"),
        "{}",
        lines[1]
    );
    assert!(
        lines[2].ends_with("mistakes.toml,1,6,incorrect,carried,incorrect,incorrect,invalid,missing"),
        "{}",
        lines[2]
    );
    assert!(
        lines[3].ends_with("perfect.toml,6,6,correct,correct,correct,correct,correct,correct"),
        "{}",
        lines[3]
    );
}

#[test]
fn csv_quotes_cells_with_commas_and_quotes() {
    let dir = folder(&[(
        "lesson.toml",
        &format!("{}\n[steps]\nask = [\"dL_dWo[2,1]\", \"dL_do\"]\n", notes_lesson()),
    )]);
    let answers = dir.path().join("a, \"b\".toml");
    std::fs::write(&answers, "\"dL_dWo[2,1]\" = 2.661").unwrap();
    let run = check(&[path(&dir.path().join("lesson.toml")), path(&answers), "--format", "csv"]);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines[0], "file,score,max_score,\"dL_dWo[2,1]\",dL_do");
    assert!(
        lines[1].starts_with('"') && lines[1].contains("a, \"\"b\"\".toml\",1,2,correct,missing"),
        "{}",
        lines[1]
    );
    assert_eq!(run.code, 1);
}

fn notes_lesson() -> &'static str {
    backprop_tutor::lesson::shipped::source("notes-example").unwrap()
}

// ---------------------------------------------------------------- options and exit codes

#[test]
fn strict_gives_carried_answers_no_point() {
    let file = path(&fixture("mistakes.toml")).to_string();
    let score = |extra: &[&str]| {
        let mut args = vec!["notes-example", file.as_str(), "--format", "json"];
        args.extend(extra);
        json(&check(&args))["submissions"][0]["score"].clone()
    };
    assert_eq!(score(&[]), 1.0);
    assert_eq!(score(&["--strict"]), 0.0);
}

#[test]
fn rtol_and_atol_override_the_lesson() {
    // Every entry 3% high: wrong at the default rtol of 1%, right at 5%.
    let high = "dL_do = [0.0927, 0.6852, -0.7779]";
    let dir = folder(&[("a.toml", high)]);
    let file = dir.path().join("a.toml");
    let verdict = |extra: &[&str]| {
        let mut args = vec!["notes-example", path(&file), "--format", "json"];
        args.extend(extra);
        json(&check(&args))["submissions"][0]["results"][0]["verdict"].clone()
    };
    assert_eq!(verdict(&[]), "incorrect");
    assert_eq!(verdict(&["--rtol", "0.05"]), "correct");
    assert_eq!(verdict(&["--atol", "0.05"]), "correct");
    assert_eq!(check(&["notes-example", path(&file), "--rtol", "-1"]).code, 2);
}

#[test]
fn a_bad_lesson_exits_2() {
    let run = check(&["no-such-lesson", path(&fixture("perfect.toml"))]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("no such file"), "{}", run.stderr);
    let dir = folder(&[("bad.toml", "title = \"x\"\n[network]\ninput = [1]\n")]);
    let run = check(&[path(&dir.path().join("bad.toml")), path(&fixture("perfect.toml"))]);
    assert_eq!(run.code, 2);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
}

#[test]
fn bad_usage_exits_2() {
    assert_eq!(check(&["notes-example"]).code, 2, "no answer files");
    assert_eq!(check(&["notes-example", path(&fixture("perfect.toml")), "--format", "xml"]).code, 2);
    let empty = tempfile::tempdir().unwrap();
    let run = check(&["notes-example", path(empty.path())]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("no *.toml"), "{}", run.stderr);
}
