//! Every integration test, compiled as one test binary: one link of the crate and its
//! dev-dependencies instead of one per file keeps CI within its time budget (README,
//! "How it is built"). `autotests = false` in Cargo.toml stops Cargo from building each file on its
//! own, so `every_test_file_is_a_module` below fails when a new file is not listed here.
// Tests may unwrap: a panic is how a test fails.
#![allow(clippy::unwrap_used, clippy::expect_used)]

/// Helpers several test modules share.
mod support {
    pub(crate) mod check;
    #[cfg(unix)]
    pub(crate) mod pty;
    pub(crate) mod screens;
    pub(crate) mod typing;
}

mod answer_language;
mod answer_language_properties;
mod answer_syntax;
mod autograder;
mod bad_lessons;
mod check_canvas;
mod check_cli;
mod check_folders;
mod check_formats;
mod check_gradescope;
mod check_report;
mod check_variants;
mod cli_solve;
mod credit;
mod diagnoses;
mod engine;
mod formula_answers;
mod fuzz_regressions;
mod grade;
mod grade_sheet;
mod grading_integrity;
mod lesson_lookup;
mod lessons;
mod limits;
mod lint;
mod manual;
mod markdown;
mod named_lists;
mod new;
mod output_errors;
mod plain;
mod progress_store;
mod reference;
mod schema;
mod step_forms;
mod steps;
mod training;
mod training_check;
mod training_solve;
mod tui_cuts;
mod tui_needs;
mod tui_pty;
mod tui_snapshots;
mod tui_training;
mod tui_variants;
mod tutor_session;

#[test]
fn every_test_file_is_a_module() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/tests");
    let listed = include_str!("suite.rs");
    let mut missing = Vec::new();
    for entry in std::fs::read_dir(root).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        if let Some(stem) = name.strip_suffix(".rs")
            && stem != "suite"
            && !listed.contains(&format!("mod {stem};"))
        {
            missing.push(name);
        }
    }
    assert!(missing.is_empty(), "tests/suite.rs does not list {missing:?}: they would never run");
}

/// Comments cite the repository's own design (`DESIGN.md §n`) or the notes' equations, never
/// a document the repository does not hold.
#[test]
fn sources_cite_design_md_not_the_spec() {
    fn walk(dir: &std::path::Path, found: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, found);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                for (n, line) in text.lines().enumerate() {
                    if line.contains(concat!("SPEC", " §")) {
                        found.push(format!("{}:{}", path.display(), n + 1));
                    }
                }
            }
        }
    }
    let mut found = Vec::new();
    for dir in ["src", "tests", "benches"] {
        walk(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir), &mut found);
    }
    assert!(found.is_empty(), "cite DESIGN.md §n instead: {found:?}");
}
