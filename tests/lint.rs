//! `lint` (SPEC §7): each finding on a lesson made to trigger it, with its position; `[lint]
//! allow`; the loader's errors; exit codes through the binary; and every shipped lesson clean.

use assert_cmd::cargo::cargo_bin_cmd;
use backprop_tutor::authoring::lint::{Check, Finding, lint, render, review};
use backprop_tutor::engine::Solution;
use backprop_tutor::engine::gradcheck;
use backprop_tutor::lesson::{Key, parse_lesson, shipped};
use backprop_tutor::quantity::Quantity;
use predicates::prelude::PredicateBooleanExt;
use predicates::str::contains;
use std::path::PathBuf;

/// The notes' network with its three weight matrices replaced.
fn notes_with(w1: &str, w2: &str, wo: &str, label: usize, extra: &str) -> String {
    format!(
        "title = \"lint test\"\n\
         \n\
         [network]\n\
         input = [1, 1, 1]\n\
         label = {label}\n\
         \n\
         [[network.layers]]\n\
         weights = {w1}\n\
         \n\
         [[network.layers]]\n\
         weights = {w2}\n\
         \n\
         [[network.layers]]\n\
         weights = {wo}\n\
         {extra}"
    )
}

const W1: &str = "[[1, 0, 0], [0, 1, 0]]";
const W2: &str = "[[1, 3], [2, -1]]";
const WO: &str = "[[0, 1], [1, -1], [0.5, 0]]";

/// z1(1) = 1 − 1 + 0 = 0: on the kink.
fn kink() -> String {
    notes_with("[[1, -1, 0], [0, 1, 0]]", W2, WO, 3, "")
}

/// z(2) = (−4, −3): every gate of layer 2 closed.
fn dead() -> String {
    notes_with(W1, "[[-1, -3], [-2, -1]]", WO, 3, "")
}

/// o = (0.4, 0.1, 20) with y = 3: ô3 = 1 − 2e−9.
fn saturated() -> String {
    notes_with(W1, W2, "[[0.1, 0], [0, 0.1], [5, 0]]", 3, "")
}

/// The two rows of W(1) are equal.
fn duplicate() -> String {
    notes_with("[[1, 0, 0], [1, 0, 0]]", W2, WO, 3, "")
}

fn findings(text: &str) -> Vec<Finding> {
    lint(&parse_lesson("test", text).unwrap()).findings
}

fn key(path: &str) -> Vec<Key> {
    // "network.layers.1.weights.0" → keys, numbers as 0-based indices.
    path.split('.')
        .map(|part| part.parse().map_or_else(|_| Key::Name(part.to_string()), Key::Index))
        .collect()
}

#[test]
fn each_finding_on_a_lesson_made_to_trigger_it() {
    let cases = [
        (kink(), Check::Kink, "network.layers.0.weights.0"),
        (dead(), Check::DeadLayer, "network.layers.1"),
        (saturated(), Check::Saturated, "network.layers.2.weights"),
        (duplicate(), Check::DuplicateRows, "network.layers.0.weights.1"),
    ];
    for (text, check, at) in cases {
        let found = findings(&text);
        assert_eq!(found.len(), 1, "{check:?}: {found:?}");
        assert_eq!(found[0].check, check);
        assert_eq!(found[0].at, key(at), "{check:?}");
        assert!(!found[0].allowed);
    }
}

#[test]
fn a_clean_lesson_has_no_findings_and_a_small_gradient_error() {
    let lesson = parse_lesson("test", &notes_with(W1, W2, WO, 3, "")).unwrap();
    let report = lint(&lesson);
    assert_eq!(report.findings, []);
    assert!(report.gradients.iter().all(|c| c.relative_error < 1e-6), "{:?}", report.gradients);
}

#[test]
fn a_gradient_the_engine_gets_wrong_is_a_finding_at_its_weights() {
    // The engine has no wrong gradient to show, so the comparison is doctored.
    let lesson = parse_lesson("test", &notes_with(W1, W2, WO, 3, "")).unwrap();
    let solution = Solution::new(lesson.network());
    let mut gradients = gradcheck::check(&solution);
    let w2 = gradients.iter_mut().find(|c| c.quantity == Quantity::DlDw(2)).unwrap();
    w2.relative_error = 3e-4;
    let report = review(&lesson, &solution, gradients);
    assert_eq!(report.findings.len(), 1);
    let finding = &report.findings[0];
    assert_eq!((finding.check, finding.at.clone()), (Check::GradientCheck, key("network.layers.1.weights")));
    assert!(finding.message.contains("dL_dW2") && finding.message.contains("3.0e-4"), "{}", finding.message);
}

#[test]
fn allow_accepts_a_finding_on_purpose() {
    let text = dead() + "\n[lint]\nallow = [\"dead_layer\"]\n";
    let lesson = parse_lesson("test", &text).unwrap();
    let report = lint(&lesson);
    assert_eq!(report.findings.len(), 1);
    assert!(report.findings[0].allowed);
    assert_eq!(report.defects().count(), 0);
    let printed = render("dead.toml", &text, &report);
    assert!(printed.ends_with("dead.toml: clean (allowed: dead_layer)\n"), "{printed}");
    assert!(!printed.contains(": dead_layer:"), "{printed}");
}

#[test]
fn findings_print_with_line_and_column() {
    let text = kink();
    let printed = render("kink.toml", &text, &lint(&parse_lesson("kink.toml", &text).unwrap()));
    // Line 8 is `weights = [[1, -1, 0], …]`; row 1 starts at column 12.
    assert!(printed.contains("kink.toml:8:12: kink: z1(1) = 0"), "{printed}");
    assert!(printed.starts_with("kink.toml: gradient check"), "{printed}");
    assert!(printed.contains("dL_dW1 "), "relative error per quantity: {printed}");
    assert!(printed.ends_with("kink.toml: 1 finding\n"), "{printed}");
}

#[test]
fn every_shipped_lesson_lints_clean() {
    for (name, text) in shipped::all() {
        let lesson = parse_lesson(name, text).unwrap_or_else(|e| panic!("{e}"));
        let report = lint(&lesson);
        let defects: Vec<String> =
            report.defects().map(|f| format!("{}: {}", f.check.id(), f.message)).collect();
        assert!(defects.is_empty(), "{name}: {defects:?}");
    }
}

fn write(dir: &tempfile::TempDir, name: &str, text: &str) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn cli_exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    let clean = write(&dir, "clean.toml", &notes_with(W1, W2, WO, 3, ""));
    let dead = write(&dir, "dead.toml", &dead());
    let broken = write(&dir, "broken.toml", "title = \"x\"\n[network\n");

    cargo_bin_cmd!("backprop-tutor").arg("lint").arg(&clean).arg("notes-example").assert().code(0);

    let dead_name = dead.display().to_string();
    cargo_bin_cmd!("backprop-tutor")
        .arg("lint")
        .arg(&dead)
        .assert()
        .code(1)
        .stdout(contains(format!("{dead_name}:10:1: dead_layer: layer 2: every gate is closed")));

    let broken_name = broken.display().to_string();
    cargo_bin_cmd!("backprop-tutor")
        .arg("lint")
        .arg(&broken)
        .assert()
        .code(2)
        .stderr(contains(format!("error: {broken_name}:2:")));

    // The worst outcome wins, and every lesson is still linted.
    cargo_bin_cmd!("backprop-tutor")
        .arg("lint")
        .args([&broken, &dead, &clean])
        .assert()
        .code(2)
        .stdout(contains("dead_layer").and(contains("clean.toml: clean")));
    cargo_bin_cmd!("backprop-tutor").arg("lint").arg("no-such-lesson").assert().code(2);
}
