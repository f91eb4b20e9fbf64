//! `backprop-tutor check` through the binary (DESIGN.md §5): the text format, the options and
//! the exit codes. The machine-read formats are in check_formats.rs and check_gradescope.rs,
//! folder mode in check_folders.rs.

use crate::support::check as support;

use support::{RIGHT, TRANSPOSED, check, fixture, folder, json, path};

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

#[test]
fn text_ends_with_a_count_of_the_files_for_several() {
    let dir = folder(&[("a.toml", RIGHT), ("b.toml", TRANSPOSED), ("c.toml", "dL_do = [1,")]);
    let run = check(&["notes-example", path(dir.path())]);
    assert_eq!(run.code, 1);
    let out = &run.stdout;
    assert!(out.contains("a.toml: 6 of 6 points"), "{out}");
    assert!(out.contains("b.toml: 5 of 6 points"), "{out}");
    assert!(out.contains("c.toml: 0 of 6 points\n  the file was not graded:\n    TOML parse error"), "{out}");
    assert!(out.ends_with("\n3 answer files; 1 earned every point; 1 could not be graded.\n"), "{out}");
    // People read the text format: the file's problems are in it, not repeated on stderr.
    assert!(!run.stderr.contains("TOML parse error"), "{}", run.stderr);
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

#[test]
fn a_missing_answer_file_is_that_submissions_error() {
    let missing = fixture("no-such-file.toml");
    let run = check(&["notes-example", path(&fixture("perfect.toml")), path(&missing), "--format", "json"]);
    assert_eq!(run.code, 1);
    let report = json(&run);
    assert_eq!(report["submissions"][0]["score"], 6.0);
    assert_eq!(report["submissions"][1]["error"], "no such file");
}

#[test]
fn exit_0_needs_every_point_of_every_file() {
    let all_right = folder(&[("a.toml", RIGHT), ("b.toml", RIGHT)]);
    for format in ["text", "json", "csv"] {
        assert_eq!(check(&["notes-example", path(all_right.path()), "--format", format]).code, 0, "{format}");
    }
    let one_wrong = folder(&[("a.toml", RIGHT), ("b.toml", TRANSPOSED)]);
    for format in ["text", "json", "csv"] {
        assert_eq!(check(&["notes-example", path(one_wrong.path()), "--format", format]).code, 1, "{format}");
    }
    // A file that cannot be read earns nothing, even when the others earn everything.
    let unread = all_right.path().join("missing.toml");
    assert_eq!(check(&["notes-example", path(all_right.path()), path(&unread)]).code, 1);
}

#[test]
fn visibility_is_for_gradescope_only() {
    let run = check(&["notes-example", path(&fixture("perfect.toml")), "--visibility", "hidden"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("--format gradescope only"), "{}", run.stderr);
    assert!(run.stdout.is_empty());
}

#[test]
fn a_students_control_characters_reach_no_terminal() {
    // A file name and a key that would clear the TA's screen and retitle the terminal.
    let key = "\"\\u001b]0;owned\\u0007\" = 1\n";
    let dir = folder(&[("\u{1b}[2Jclear.toml", &format!("{RIGHT}{key}")), ("\u{1b}[2Jnote.txt", "")]);
    for format in ["text", "json", "csv"] {
        let run = check(&["notes-example", path(dir.path()), "--format", format]);
        assert!(!run.stderr.contains('\u{1b}'), "{format}: {:?}", run.stderr);
        assert!(run.stderr.contains("\\u{1b}[2Jnote.txt"), "{format}: {:?}", run.stderr);
        if format == "text" {
            assert!(!run.stdout.contains('\u{1b}'), "{:?}", run.stdout);
            assert!(run.stdout.contains("\\u{1b}[2Jclear.toml: 6 of 6 points"), "{:?}", run.stdout);
            assert!(
                run.stdout.contains("warning: '\\u{1b}]0;owned\\u{7}' is not a quantity"),
                "{:?}",
                run.stdout
            );
        } else {
            assert!(
                run.stderr.contains("warning: '\\u{1b}]0;owned\\u{7}' is not a quantity"),
                "{:?}",
                run.stderr
            );
        }
    }
}

#[test]
fn an_answer_file_where_the_lesson_goes_is_named_for_what_it_is() {
    let dir = folder(&[("good.toml", RIGHT), ("zeros.toml", "dL_do = [0, 0, 0]\n")]);
    let good = dir.path().join("good.toml");
    let run = check(&[path(&good), path(&dir.path().join("zeros.toml"))]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "good.toml looks like an answer file, not a lesson: give the lesson first: check LESSON ANSWERS"
        ),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("unknown key"), "{}", run.stderr);
    // A broken lesson is still a broken lesson.
    let broken = dir.path().join("broken.toml");
    std::fs::write(&broken, "title = \"x\"\ndL_do = [1, 2, 3]\n").unwrap();
    let run = check(&[path(&broken), path(&good)]);
    assert_eq!(run.code, 2);
    assert!(!run.stderr.contains("looks like an answer file"), "{}", run.stderr);
}
