//! The answer language (DESIGN.md §4) on any text, with and without names: no panic, no hang,
//! and the promises in
//! `checks::answer`.

#![no_main]

// Each target uses one of the checks.
#[allow(dead_code)]
#[path = "../../tests/fuzz_regressions/checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|input: &str| checks::answer(input));
