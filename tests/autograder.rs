//! `autograder gradescope` through the binary (DESIGN.md §5): the folder and the zip it writes,
//! and `run_autograder` run with bash against a temporary `AUTOGRADER_ROOT`, as Gradescope
//! would run it, for a right, a wrong, an empty and a missing submission; with `--variants`,
//! the seed from `submission_metadata.json`.

#[path = "support/check.rs"]
mod support;

use serde_json::Value as Json;
use std::io::Read;
use std::path::Path;
use support::{RIGHT, TRANSPOSED, folder, path, right_answers, run_binary};

/// Runs `script` (a run_autograder) with bash against `root`, and reads the results.json it
/// wrote, which must be there and valid whatever happened.
fn run_autograder(script: &Path, root: &Path) -> Json {
    let status =
        std::process::Command::new("bash").arg(script).env("AUTOGRADER_ROOT", root).status().unwrap();
    assert!(status.success(), "run_autograder exits 0: the results say how it went");
    let text = std::fs::read_to_string(root.join("results/results.json")).expect("results.json is written");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

/// A fresh root whose submission folder holds `files` (`None`: no submission folder at all).
fn root_with(files: Option<&[(&str, &str)]>) -> tempfile::TempDir {
    let root = tempfile::tempdir().unwrap();
    if let Some(files) = files {
        let submission = root.path().join("submission");
        std::fs::create_dir(&submission).unwrap();
        for (name, text) in files {
            std::fs::write(submission.join(name), text).unwrap();
        }
    }
    root
}

#[test]
fn a_folder_for_one_lesson_grades_right_wrong_empty_and_missing() {
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("autograder");
    let made = run_binary(&[
        "autograder",
        "gradescope",
        "notes-example",
        "-o",
        path(&dir),
        "--visibility",
        "after_due_date",
    ]);
    assert_eq!(made.code, 0, "{}", made.stderr);
    let mut names: Vec<String> =
        std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    names.sort();
    assert_eq!(names, ["backprop-tutor", "lesson.toml", "run_autograder", "setup.sh"]);
    let lesson = std::fs::read_to_string(dir.join("lesson.toml")).unwrap();
    assert_eq!(lesson, include_str!("../lessons/notes-example.toml"));
    #[cfg(unix)]
    for name in ["backprop-tutor", "run_autograder", "setup.sh"] {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.join(name)).unwrap().permissions().mode();
        assert_eq!(mode & 0o111, 0o111, "{name} is executable");
    }
    let script = dir.join("run_autograder");

    let right = run_autograder(&script, root_with(Some(&[("answers.toml", RIGHT)])).path());
    assert_eq!(right["score"], 6.0);
    assert_eq!(right["visibility"], "after_due_date");
    assert_eq!(right["tests"].as_array().unwrap().len(), 6);

    let wrong =
        run_autograder(&script, root_with(Some(&[("mine.toml", TRANSPOSED), ("notes.pdf", "%PDF")])).path());
    assert_eq!(wrong["score"], 5.0);
    assert_eq!(wrong["tests"][2]["tags"], serde_json::json!(["transposed"]));

    let empty = run_autograder(&script, root_with(Some(&[("answers.toml", "")])).path());
    assert_eq!(empty["score"], 0.0);
    assert!(empty["output"].as_str().unwrap().contains("the file is empty"), "{empty}");

    for root in [root_with(Some(&[])), root_with(None)] {
        let missing = run_autograder(&script, root.path());
        assert_eq!(missing["score"], 0.0);
        assert!(missing["output"].as_str().unwrap().contains("not graded"), "{missing}");
    }
}

#[test]
fn a_grader_that_cannot_run_still_leaves_a_valid_results_json() {
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("ag");
    assert_eq!(run_binary(&["autograder", "gradescope", "notes-example", "-o", path(&dir)]).code, 0);
    // A binary built for another machine, say.
    std::fs::write(dir.join("backprop-tutor"), "#!/bin/sh\nkill -SEGV $$\n").unwrap();
    let results = run_autograder(&dir.join("run_autograder"), root_with(Some(&[("a.toml", RIGHT)])).path());
    assert_eq!(results["score"], 0);
    assert!(results["output"].as_str().unwrap().contains("tell the course staff"));
    let setup = std::process::Command::new("bash").arg(dir.join("setup.sh")).output().unwrap();
    assert!(!setup.status.success(), "setup.sh fails the image build instead");
}

#[test]
fn setup_installs_nothing_and_checks_the_binary_runs() {
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("ag");
    assert_eq!(run_binary(&["autograder", "gradescope", "mse", "-o", path(&dir)]).code, 0);
    let setup = std::process::Command::new("bash").arg(dir.join("setup.sh")).output().unwrap();
    assert!(setup.status.success());
    assert!(String::from_utf8(setup.stdout).unwrap().starts_with("backprop-tutor "));
}

#[test]
fn a_zip_of_variants_unpacked_as_gradescope_does() {
    let out = tempfile::tempdir().unwrap();
    let zip_path = out.path().join("autograder.zip");
    let made =
        run_binary(&["autograder", "gradescope", "--variants", "--bias", "-o", path(&zip_path), "--strict"]);
    assert_eq!(made.code, 0, "{}", made.stderr);
    // Gradescope's layout: the zip's files in $root/source, run_autograder copied to $root.
    let root = root_with(None);
    let source = root.path().join("source");
    std::fs::create_dir(&source).unwrap();
    let mut archive = zip::ZipArchive::new(std::fs::File::open(&zip_path).unwrap()).unwrap();
    let mut names = Vec::new();
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let name = entry.name().unwrap().to_string();
        assert!(!name.contains('/'), "{name}: files at the zip's root");
        assert_eq!(entry.unix_mode().unwrap() & 0o777, 0o755, "{name} is executable");
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        std::fs::write(source.join(&name), bytes).unwrap();
        names.push(name);
    }
    names.sort();
    assert_eq!(
        names,
        ["backprop-tutor", "run_autograder", "setup.sh"],
        "no lesson: each student has their own"
    );
    let status = std::process::Command::new("bash").arg(source.join("setup.sh")).status().unwrap();
    assert!(status.success(), "setup.sh makes the binary executable again");
    std::fs::copy(source.join("run_autograder"), root.path().join("run_autograder")).unwrap();

    let email = "kim@uni.edu";
    let submission = root.path().join("submission");
    std::fs::create_dir(&submission).unwrap();
    std::fs::write(submission.join("whatever.toml"), right_answers(email, &["--bias"])).unwrap();
    let metadata = serde_json::json!({"users": [{"email": email, "name": "Kim", "id": 3}]});
    std::fs::write(root.path().join("submission_metadata.json"), metadata.to_string()).unwrap();
    let results = run_autograder(&root.path().join("run_autograder"), root.path());
    assert_eq!(results["extra_data"]["seed"], email);
    assert_eq!(results["score"], 9.0, "six questions and three biases: {results}");
    assert!(results["tests"].as_array().unwrap().iter().any(|t| t["name"].as_str().unwrap().contains("db")));

    // Someone else's answers score less on this student's exercise.
    std::fs::write(submission.join("whatever.toml"), right_answers("lee@uni.edu", &["--bias"])).unwrap();
    let results = run_autograder(&root.path().join("run_autograder"), root.path());
    assert!(results["score"].as_f64().unwrap() < 9.0);
}

#[test]
fn usage_errors_write_nothing() {
    let out = folder(&[]);
    std::fs::create_dir(out.path().join("busy")).unwrap();
    std::fs::write(out.path().join("busy/keep.txt"), "mine").unwrap();
    let target = out.path().join("new");
    let bad_lesson = out.path().join("bad.toml");
    std::fs::write(&bad_lesson, "title = 1").unwrap();
    let busy = out.path().join("busy");
    for args in [
        vec!["autograder", "gradescope", "-o", path(&target)],
        vec!["autograder", "gradescope", "notes-example", "--variants", "-o", path(&target)],
        vec!["autograder", "gradescope", "notes-example", "--layers", "3,2,3", "-o", path(&target)],
        vec!["autograder", "gradescope", path(&bad_lesson), "-o", path(&target)],
        vec!["autograder", "gradescope", "--variants", "--layers", "3", "-o", path(&target)],
        vec!["autograder", "gradescope", "notes-example", "-o", path(&busy)],
    ] {
        let run = run_binary(&args);
        assert_eq!(run.code, 2, "{args:?}");
        assert!(!target.exists(), "{args:?}");
    }
    assert_eq!(std::fs::read_to_string(busy.join("keep.txt")).unwrap(), "mine");
}
