//! Every input a fuzz target (fuzz/, README "Fuzzing") once crashed, hung or ran out of
//! memory on, checked as the target checks it: `tests/fixtures/fuzz/<target>/*`. Inputs of
//! `lesson_structured` are kept as the lesson text its edits produced, not as fuzzer bytes.
//! The targets' seed inputs are replayed too, so the checks run on real inputs even while no
//! finding has been kept.

#[path = "fuzz_regressions/checks.rs"]
mod checks;

use std::path::Path;

/// Replays every file in `folders` (relative to the project root; a missing folder is a
/// target with no finding yet) and returns how many were replayed.
fn replay(folders: &[&str], check: fn(&str)) -> usize {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut replayed = 0;
    for folder in folders {
        let Ok(entries) = std::fs::read_dir(root.join(folder)) else { continue };
        for entry in entries {
            let path = entry.unwrap().path();
            let bytes = std::fs::read(&path).unwrap();
            // `lesson_bytes` decodes this way; the other targets are only ever given UTF-8.
            eprintln!("replaying {}", path.display());
            check(&String::from_utf8_lossy(&bytes));
            replayed += 1;
        }
    }
    replayed
}

#[test]
fn answer_parser() {
    assert!(replay(&["tests/fixtures/fuzz/answer_parser", "fuzz/seeds/answer_parser"], checks::answer) > 0);
}

#[test]
fn lesson_bytes() {
    let folders = ["tests/fixtures/fuzz/lesson_bytes", "lessons", "tests/fixtures/bad-lessons"];
    assert!(replay(&folders, checks::lesson) > 0);
}

#[test]
fn lesson_structured() {
    assert!(replay(&["tests/fixtures/fuzz/lesson_structured", "lessons"], checks::lesson) > 0);
}

#[test]
fn answers_file() {
    let folders = ["tests/fixtures/fuzz/answers_file", "tests/fixtures/answers"];
    assert!(replay(&folders, checks::answers_file) > 0);
}
