//! The lesson loader on any bytes, lossily decoded as text: no panic, no hang, and the
//! promises in `checks::lesson`.

#![no_main]

// Each target uses one of the checks.
#[allow(dead_code)]
#[path = "../../tests/fuzz_regressions/checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::lesson(&String::from_utf8_lossy(data)));
