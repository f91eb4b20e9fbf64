//! Every input a fuzz target (fuzz/, README "Fuzzing") once crashed, hung or ran out of
//! memory on, checked as the target checks it: `tests/fixtures/fuzz/<target>/*`. Inputs of
//! `lesson_structured` are kept as the lesson text its edits produced, not as fuzzer bytes.

#[path = "fuzz_regressions/checks.rs"]
mod checks;

use std::path::Path;

fn replay(target: &str, check: fn(&str)) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fuzz").join(target);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        // The target has had no finding yet.
        return;
    };
    for entry in entries {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        // `lesson_bytes` decodes this way; the other targets are only ever given UTF-8.
        eprintln!("replaying {}", path.display());
        check(&String::from_utf8_lossy(&bytes));
    }
}

#[test]
fn answer_parser() {
    replay("answer_parser", checks::answer);
}

#[test]
fn lesson_bytes() {
    replay("lesson_bytes", checks::lesson);
}

#[test]
fn lesson_structured() {
    replay("lesson_structured", checks::lesson);
}

#[test]
fn answers_file() {
    replay("answers_file", checks::answers_file);
}
