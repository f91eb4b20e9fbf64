//! The engine against the independent numpy + autograd reference, quantity by quantity at
//! rtol 1e-9, on the shipped lessons and on hundreds of lessons `new` makes (datasets of both
//! reductions and update steps among them): benches/reference/cross_check.py.
//!
//! It needs Python with numpy and autograd, which `cargo test` must not, so it is ignored by
//! default. Run it with
//!
//!     pip install numpy autograd
//!     PYTHON=python3 cargo test --test reference -- --ignored

use std::path::Path;
use std::process::Command;

#[test]
#[ignore = "needs Python with numpy and autograd"]
fn the_engine_agrees_with_numpy_and_autograd() {
    let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".into());
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/reference/cross_check.py");
    let output = Command::new(&python)
        .arg(&script)
        .arg(env!("CARGO_BIN_EXE_backprop-tutor"))
        .arg("300")
        .output()
        .unwrap_or_else(|e| panic!("cannot run {python}: {e}"));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stdout}{stderr}");
    assert!(stdout.contains(" 0 mismatches"), "{stdout}");
}
