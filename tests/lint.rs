//! `lint` (SPEC §7): each finding on a lesson made to trigger it, with its position; `[lint]
//! allow`; the loader's errors; exit codes through the binary; every shipped lesson clean, and
//! its `indistinct` findings allowed exactly where it has them.

use assert_cmd::cargo::cargo_bin_cmd;
use backprop_tutor::authoring::lint::{Check, Finding, lint, render, review};
use backprop_tutor::engine::Solution;
use backprop_tutor::engine::gradcheck;
use backprop_tutor::lesson::{Key, parse_lesson, shipped};
use backprop_tutor::quantity::Quantity;
use predicates::prelude::PredicateBooleanExt;
use predicates::str::contains;
use std::path::PathBuf;

/// A lesson of the notes' shape (3 inputs, two hidden layers of 2, 3 outputs).
fn network(input: &str, label: usize, w1: &str, w2: &str, wo: &str, extra: &str) -> String {
    format!(
        "title = \"lint test\"\n\
         \n\
         [network]\n\
         input = {input}\n\
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

/// The notes' network with its three weight matrices replaced.
fn notes_with(w1: &str, w2: &str, wo: &str, label: usize, extra: &str) -> String {
    network("[1, 1, 1]", label, w1, w2, wo, extra)
}

const W1: &str = "[[1, 0, 0], [0, 1, 0]]";
const W2: &str = "[[1, 3], [2, -1]]";
const WO: &str = "[[0, 1], [1, -1], [0.5, 0]]";

/// A network of the notes' shape that tells every known mistake apart (`new --seed lint-clean`):
/// x = (0.6, −1.4, −2), z(1) = (1.22, −2.86), z(2) = (−1.22, 1.83), y = 2.
fn distinct_with(w1: &str, w2: &str, extra: &str) -> String {
    network("[0.6, -1.4, -2.0]", 2, w1, w2, "[[1.1, -0.3], [-0.2, 1.3], [-1.2, 1.5]]", extra)
}

const DISTINCT_W1: &str = "[[-0.6, 0.3, -1.0], [0.8, 1.1, 0.9]]";
const DISTINCT_W2: &str = "[[-1.0, -0.4], [1.5, -0.5]]";

fn distinct() -> String {
    distinct_with(DISTINCT_W1, DISTINCT_W2, "")
}

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

/// The findings of one check.
fn findings_of(text: &str, check: Check) -> Vec<Finding> {
    findings(text).into_iter().filter(|f| f.check == check).collect()
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
        // The notes' open gates also make mistakes indistinct, which is beside the point here.
        let found: Vec<Finding> =
            findings(&text).into_iter().filter(|f| f.check != Check::Indistinct).collect();
        assert_eq!(found.len(), 1, "{check:?}: {found:?}");
        assert_eq!(found[0].check, check);
        assert_eq!(found[0].at, key(at), "{check:?}");
        assert!(!found[0].allowed);
    }
}

#[test]
fn a_clean_lesson_has_no_findings_and_a_small_gradient_error() {
    let lesson = parse_lesson("test", &distinct()).unwrap();
    let report = lint(&lesson);
    assert_eq!(report.findings, []);
    assert!(report.gradients.iter().all(|c| c.relative_error < 1e-6), "{:?}", report.gradients);
}

#[test]
fn a_gradient_the_engine_gets_wrong_is_a_finding_at_its_weights() {
    // The engine has no wrong gradient to show, so the comparison is doctored.
    let lesson = parse_lesson("test", &distinct()).unwrap();
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
    // A dead layer zeroes every gradient below it, where no mistake can show either.
    let text = dead() + "\n[lint]\nallow = [\"dead_layer\", \"indistinct\"]\n";
    let lesson = parse_lesson("test", &text).unwrap();
    let report = lint(&lesson);
    let checks: Vec<Check> = report.findings.iter().map(|f| f.check).collect();
    assert_eq!(checks[0], Check::DeadLayer);
    assert!(checks[1..].iter().all(|&c| c == Check::Indistinct) && checks.len() > 1, "{checks:?}");
    assert!(report.findings.iter().all(|f| f.allowed));
    assert_eq!(report.defects().count(), 0);
    let printed = render("dead.toml", &text, &report);
    assert!(printed.ends_with("dead.toml: clean (allowed: dead_layer, indistinct)\n"), "{printed}");
    assert!(!printed.contains(": dead_layer:") && !printed.contains(": indistinct:"), "{printed}");
}

#[test]
fn findings_print_with_line_and_column() {
    let text = kink() + "\n[lint]\nallow = [\"indistinct\"]\n";
    let printed = render("kink.toml", &text, &lint(&parse_lesson("kink.toml", &text).unwrap()));
    // Line 8 is `weights = [[1, -1, 0], …]`; row 1 starts at column 12.
    assert!(printed.contains("kink.toml:8:12: kink: z1(1) = 0"), "{printed}");
    assert!(printed.starts_with("kink.toml: gradient check"), "{printed}");
    assert!(printed.contains("dL_dW1 "), "relative error per quantity: {printed}");
    assert!(printed.ends_with("kink.toml: 1 finding (allowed: indistinct)\n"), "{printed}");
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
    let clean = write(&dir, "clean.toml", &distinct());
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

// ---------------------------------------------------------------- indistinct

/// The `indistinct` findings as (question, what they name), for assertions.
fn indistinct(text: &str) -> Vec<String> {
    findings_of(text, Check::Indistinct)
        .iter()
        .map(|f| {
            assert!(f.at.is_empty(), "the numbers are at fault, not one key: {f:?}");
            f.message.split(" within the tolerance").next().unwrap().to_string()
        })
        .collect()
}

#[test]
fn every_gate_open_hides_a_dropped_gate() {
    // The notes' own example: a dropped gate is the right answer, in Steps 3A, 3B and 4.
    let found = indistinct(&notes_with(W1, W2, WO, 3, ""));
    for question in ["dL_dh1", "dL_dW2", "dL_dW1"] {
        let wanted = format!("{question}: the right answer and `gate_missing` are the same");
        assert!(found.contains(&wanted), "{wanted} in {found:?}");
    }
    // z(2) = h(2) with every gate open: z for h in Step 2B is right too.
    assert!(found.contains(&"dL_dWo: the right answer and `wrong_activation` are the same".to_string()));
}

#[test]
fn a_symmetric_square_w2_hides_weights_not_transposed() {
    let symmetric = distinct_with(DISTINCT_W1, "[[-1.0, 1.5], [1.5, -0.5]]", "");
    let found = indistinct(&symmetric);
    assert_eq!(found, ["dL_dh1: the right answer and `weights_not_transposed` are the same"]);
}

#[test]
fn a_closed_gate_in_one_layer_only_hides_gate_wrong_layer() {
    // Layer 1 wholly open: its gate is the identity, so using it is dropping the gate.
    let open_below = distinct_with("[[-0.6, 0.3, -1.0], [-0.8, -1.1, -0.9]]", DISTINCT_W2, "");
    let found = indistinct(&open_below);
    assert!(
        found.contains(&"dL_dh1: `gate_missing` and `gate_wrong_layer` give the same numbers".to_string()),
        "{found:?}"
    );
    assert!(
        found.contains(&"dL_dW1: the right answer and `gate_missing` are the same".to_string()),
        "{found:?}"
    );
}

#[test]
fn what_no_lesson_of_the_shape_could_tell_apart_is_no_finding() {
    let lesson = |layers: &str, activation: &str| {
        format!(
            "title = \"t\"\n[network]\ninput = [0.6, -1.4]\nlabel = 2\nactivation = \"{activation}\"\n{layers}"
        )
    };
    // One ReLU unit must stay open, so dropping its gate is always right; the identity's slope
    // is 1 everywhere, and its z is its h.
    let one_unit =
        "[[network.layers]]\nweights = [[1.0, -0.5]]\n[[network.layers]]\nweights = [[1.2], [-0.7]]\n";
    assert_eq!(indistinct(&lesson(one_unit, "relu")), Vec::<String>::new());
    let identity = "[[network.layers]]\nweights = [[1.0, -0.5], [0.3, 0.8]]\n\
                    [[network.layers]]\nweights = [[1.2, 0.4], [-0.7, 0.9]]\n";
    let found = indistinct(&lesson(identity, "identity"));
    assert!(
        found.iter().all(|f| !f.contains("gate_missing") && !f.contains("wrong_activation")),
        "{found:?}"
    );
}

#[test]
fn every_shipped_lesson_allows_indistinct_exactly_where_it_has_such_findings() {
    for (name, text) in shipped::all() {
        let lesson = parse_lesson(name, text).unwrap();
        let has = lint(&lesson).findings.iter().any(|f| f.check == Check::Indistinct);
        let allows = lesson.lint_allow().iter().any(|id| id == "indistinct");
        assert_eq!(has, allows, "{name}: indistinct findings {has}, allowed {allows}");
        if allows {
            let why = text.split("[lint]").nth(1).unwrap();
            assert!(why.trim_start().starts_with('#'), "{name}: say why the lesson allows it");
        }
    }
    // The notes' own example is one of them.
    assert!(
        parse_lesson("n", shipped::source("notes-example").unwrap())
            .unwrap()
            .lint_allow()
            .contains(&"indistinct".to_string())
    );
}

#[test]
fn cli_reports_indistinct_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let open = write(&dir, "open.toml", &notes_with(W1, W2, WO, 3, ""));
    cargo_bin_cmd!("backprop-tutor").arg("lint").arg(&open).assert().code(1).stdout(contains(format!(
        "{}: indistinct: dL_dh1: the right answer and `gate_missing`",
        open.display()
    )));
}
