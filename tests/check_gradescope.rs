//! `check --format gradescope` through the binary: Gradescope's results.json as its published
//! specification describes it (top-level `score`, `output`, `output_format`, `visibility`,
//! `extra_data`, `tests[]` with `name`, `number`, `score`, `max_score`, `status`, `output`,
//! `output_format`, `tags`), printed whatever the submission holds.

use crate::support::check as support;

use serde_json::Value as Json;
use support::{RIGHT, Run, TRANSPOSED, check, fixture, folder, json, keys, path, sorted};

const TOP: [&str; 6] = ["score", "output", "output_format", "visibility", "extra_data", "tests"];
const TEST: [&str; 8] = ["name", "number", "score", "max_score", "status", "output", "output_format", "tags"];

fn gradescope(answers: &[&str], extra: &[&str]) -> Run {
    let mut args = vec!["notes-example", "--format", "gradescope"];
    args.extend(answers);
    args.extend(extra);
    check(&args)
}

/// results.json with every key Gradescope reads, all text marked as plain text.
fn results(run: &Run) -> Json {
    let results = json(run);
    assert_eq!(keys(&results), sorted(&TOP), "{results}");
    assert_eq!(results["output_format"], "text");
    for test in results["tests"].as_array().unwrap() {
        assert_eq!(keys(test), sorted(&TEST), "{test}");
        assert_eq!(test["output_format"], "text");
        assert_eq!(test["max_score"], 1.0);
        let full = test["score"] == test["max_score"];
        assert_eq!(test["status"], if full { "passed" } else { "failed" }, "{test}");
    }
    results
}

/// A submission that is not graded: score 0, every test at 0, the reason in `output`.
fn scores_0_because(run: &Run, reason: &str) -> Json {
    assert_eq!(run.code, 1, "{}", run.stderr);
    let results = results(run);
    assert_eq!(results["score"], 0.0);
    let tests = results["tests"].as_array().unwrap();
    assert_eq!(tests.len(), 6, "every question is still listed, at 0");
    assert!(tests.iter().all(|t| t["score"] == 0.0 && t["status"] == "failed"));
    let output = results["output"].as_str().unwrap();
    assert!(output.contains(reason), "{reason:?} not in {output:?}");
    results
}

#[test]
fn one_test_per_question_named_numbered_and_tagged() {
    let dir = folder(&[("answers.toml", TRANSPOSED)]);
    let run = gradescope(&[path(&dir.path().join("answers.toml"))], &[]);
    assert_eq!(run.code, 1);
    let results = results(&run);
    assert_eq!(results["score"], 5.0);
    assert_eq!(results["visibility"], "visible", "the default");
    assert_eq!(results["output"], "answers.toml: 5 of 6 points.");
    let tests = results["tests"].as_array().unwrap();
    let column =
        |key: &str| -> Vec<String> { tests.iter().map(|t| t[key].as_str().unwrap().to_string()).collect() };
    assert_eq!(
        column("name"),
        [
            "Step 1: dL/do",
            "Step 2A: dL/dh(2)",
            "Step 2B: dL/dW(o)",
            "Step 3A: dL/dh(1)",
            "Step 3B: dL/dW(2)",
            "Step 4: dL/dW(1)"
        ]
    );
    assert_eq!(column("number"), ["1", "2A", "2B", "3A", "3B", "4"]);
    assert_eq!(column("status"), ["passed", "passed", "failed", "passed", "passed", "passed"]);
    let tags: Vec<&Json> = tests.iter().map(|t| &t["tags"]).collect();
    let none = serde_json::json!([]);
    assert_eq!(tags, [&none, &none, &serde_json::json!(["transposed"]), &none, &none, &none]);
    assert!(tests[2]["output"].as_str().unwrap().starts_with("incorrect: Expected a 3×2 matrix"));
}

#[test]
fn extra_data_names_the_lesson_its_fingerprint_and_the_seed() {
    let run = gradescope(&[path(&fixture("perfect.toml"))], &[]);
    assert_eq!(run.code, 0, "full marks");
    let results = results(&run);
    assert_eq!(results["score"], 6.0);
    let lesson = backprop_tutor::lesson::load_lesson("notes-example").unwrap();
    assert_eq!(
        results["extra_data"],
        serde_json::json!({
            "lesson": "The notes' worked example",
            "fingerprint": format!("{:016x}", lesson.fingerprint()),
            "seed": null,
        })
    );
}

#[test]
fn visibility_comes_from_the_option() {
    for visibility in ["visible", "hidden", "after_due_date", "after_published"] {
        let run = gradescope(&[path(&fixture("perfect.toml"))], &["--visibility", visibility]);
        assert_eq!(results(&run)["visibility"], visibility);
    }
    let run = gradescope(&[path(&fixture("perfect.toml"))], &["--visibility", "later"]);
    assert_eq!(run.code, 2);
}

#[test]
fn a_students_markup_stays_text() {
    // Gradescope renders the top-level output as HTML unless told otherwise.
    let dir = folder(&[("answers.toml", &format!("{RIGHT}\"<img src=x onerror=alert(1)>\" = 1\n"))]);
    let run = gradescope(&[path(&dir.path().join("answers.toml"))], &[]);
    let results = results(&run);
    let output = results["output"].as_str().unwrap();
    assert!(output.contains("Warning: '<img src=x onerror=alert(1)>' is not a quantity"), "{output}");
    assert_eq!(results["output_format"], "text");
}

#[test]
fn a_folder_holding_one_answer_file_is_that_file() {
    let dir = folder(&[("answers.toml", RIGHT), ("README.md", "notes")]);
    let run = gradescope(&[path(dir.path())], &[]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(results(&run)["score"], 6.0);
    // In any case.
    let dir = folder(&[("ANSWERS.TOML", RIGHT)]);
    assert_eq!(results(&gradescope(&[path(dir.path())], &[]))["score"], 6.0);
}

#[test]
fn a_folder_with_no_answer_file_scores_0_and_says_what_it_holds() {
    let dir = folder(&[("answers.txt", RIGHT), ("notes.pdf", "%PDF")]);
    let run = gradescope(&[path(dir.path())], &[]);
    scores_0_because(
        &run,
        "the submission holds no answer file (a file whose name ends in .toml); it holds: answers.txt, notes.pdf",
    );
    let empty = tempfile::tempdir().unwrap();
    let run = gradescope(&[path(empty.path())], &[]);
    let results = scores_0_because(&run, "the submission holds no answer file");
    assert!(!results["output"].as_str().unwrap().contains("it holds"));
}

#[test]
fn several_answer_files_score_0_and_are_named() {
    let dir = folder(&[("a.toml", RIGHT), ("b.toml", RIGHT)]);
    let run = gradescope(&[path(dir.path())], &[]);
    scores_0_because(&run, "the submission holds 2 answer files (a.toml, b.toml); submit exactly one");
    // Two paths are two files too.
    let run = gradescope(&[path(&dir.path().join("a.toml")), path(&dir.path().join("b.toml"))], &[]);
    scores_0_because(&run, "holds 2 answer files");
}

#[test]
fn an_unreadable_submission_scores_0_with_the_reason() {
    let dir = folder(&[("empty.toml", ""), ("broken.toml", "dL_do = [1,")]);
    let at = |name: &str| path(&dir.path().join(name)).to_string();
    std::fs::write(dir.path().join("binary.toml"), b"\x7fELF\x02\x01\x01\x00").unwrap();
    std::fs::write(dir.path().join("big.toml"), vec![b' '; 1024 * 1024 + 1]).unwrap();
    for (name, reason) in [
        ("missing.toml", "no such file"),
        ("empty.toml", "the file is empty"),
        ("binary.toml", "the file holds a NUL byte"),
        ("big.toml", "larger than 1024 KiB"),
        ("broken.toml", "TOML parse error"),
    ] {
        let run = gradescope(&[&at(name)], &[]);
        let results = scores_0_because(&run, reason);
        assert!(results["output"].as_str().unwrap().starts_with("Your submission was not graded"), "{name}");
        assert!(run.stderr.contains(reason), "{name}: the staff's log has it too: {}", run.stderr);
    }
}

#[test]
fn a_broken_lesson_still_prints_results_json_and_exits_2() {
    let dir = folder(&[("lesson.toml", "title = \"x\"\n[network]\ninput = [1]\n")]);
    for lesson in [path(&dir.path().join("lesson.toml")), "no-such-lesson"] {
        let run = check(&[lesson, path(&fixture("perfect.toml")), "--format", "gradescope"]);
        assert_eq!(run.code, 2, "{lesson}");
        let results = json(&run);
        assert_eq!(keys(&results), sorted(&TOP));
        assert_eq!(results["score"], 0.0);
        assert_eq!(results["tests"], serde_json::json!([]));
        assert_eq!(results["output_format"], "text");
        assert!(results["output"].as_str().unwrap().contains("tell the course staff"), "{results}");
        assert!(!run.stderr.is_empty(), "why, for the staff's log");
    }
}
