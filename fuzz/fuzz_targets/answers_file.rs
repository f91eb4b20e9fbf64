//! The answer-file reader on any text, graded against notes-example as `check` grades a file:
//! no panic, no hang, and the promises in `checks::answers_file`.

#![no_main]

// Each target uses one of the checks.
#[allow(dead_code)]
#[path = "../../tests/fuzz_regressions/checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|text: &str| checks::answers_file(text));
