//! Every kind of bad lesson through the built binary (issue 2, item 3): one clear message on
//! stderr naming the file, the line and column where known, the key or layer at fault and what
//! was expected; exit code 2; nothing on stdout; never a panic.

use assert_cmd::cargo::cargo_bin_cmd;
use std::path::{Path, PathBuf};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/bad-lessons");

/// Runs `solve` on `lesson` and checks everything a bad lesson must get; returns stderr.
fn refused(lesson: &Path, position: Option<&str>, fragments: &[&str]) -> String {
    let output = cargo_bin_cmd!("backprop-tutor").arg("solve").arg(lesson).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let shown = lesson.display().to_string();
    assert_eq!(output.status.code(), Some(2), "{shown}: exit status, stderr:\n{stderr}");
    assert!(
        output.stdout.is_empty(),
        "{shown}: stdout must be empty, got:\n{}",
        String::from_utf8_lossy(&output.stdout)
    );
    assert!(!stderr.contains("panicked") && !stderr.contains("RUST_BACKTRACE"), "{shown}: {stderr}");
    // One message: a single `error:` line, then at most the source line with a caret.
    assert_eq!(stderr.matches("error").count(), 1, "{shown}: one message expected:\n{stderr}");
    assert!(stderr.starts_with("error: "), "{shown}: {stderr}");
    assert!(stderr.lines().count() <= 5, "{shown}: {stderr}");
    let first = stderr.lines().next().unwrap_or_default();
    match position {
        Some(at) => assert!(
            first.starts_with(&format!("error: {shown}:{at}: ")),
            "{shown}: expected :{at}:\n{stderr}"
        ),
        None => assert!(first.starts_with(&format!("error: {shown}: ")), "{shown}: {stderr}"),
    }
    // The caret stands under the reported column of the quoted source line (short lines are
    // quoted whole): `N | text` then `  | ␣␣␣^`.
    if let (Some(at), [_, _, quoted, caret]) = (position, stderr.lines().collect::<Vec<_>>().as_slice()) {
        let column: usize = at.split(':').nth(1).unwrap().parse().unwrap();
        let gutter = quoted.find(" | ").unwrap() + 3;
        if quoted.chars().count() < 100 {
            assert_eq!(caret.chars().count(), gutter + column, "{shown}: caret misplaced:\n{stderr}");
            assert!(caret.ends_with('^'), "{shown}: {stderr}");
        }
    }
    for fragment in fragments {
        assert!(first.contains(fragment), "{shown}: expected {fragment:?} in\n{stderr}");
    }
    stderr
}

fn fixture(name: &str) -> PathBuf {
    Path::new(FIXTURES).join(name)
}

/// A scratch folder for the cases too large (or too odd) to keep in the repository.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("bad-lessons");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// A lesson with the given hidden layer sizes, every weight 1 except the diagonal, so that
/// rows differ; `inputs` inputs and 2 outputs.
fn lesson_text(inputs: usize, hidden: &[usize]) -> String {
    let matrix = |rows: usize, columns: usize| {
        let rows: Vec<String> = (0..rows)
            .map(|r| {
                let row: Vec<&str> = (0..columns).map(|c| if r == c { "2" } else { "1" }).collect();
                format!("[{}]", row.join(", "))
            })
            .collect();
        format!("[{}]", rows.join(", "))
    };
    let mut text =
        format!("title = \"generated\"\n[network]\ninput = [{}]\nlabel = 1\n", vec!["1"; inputs].join(", "));
    let mut below = inputs;
    for &units in hidden.iter().chain([&2]) {
        text.push_str(&format!("\n[[network.layers]]\nweights = {}\n", matrix(units, below)));
        below = units;
    }
    text
}

#[test]
fn malformed_toml() {
    refused(&fixture("malformed.toml"), Some("2:9"), &["invalid TOML", "expected `]`"]);
}

#[test]
fn empty_file() {
    refused(&fixture("empty.toml"), None, &["empty", "title", "[network]"]);
}

#[test]
fn whitespace_only_file_is_empty() {
    let path = scratch("blank.toml");
    std::fs::write(&path, "\n  \n\t\n").unwrap();
    refused(&path, None, &["empty"]);
}

#[test]
fn binary_file() {
    refused(&fixture("binary.toml"), None, &["not a text file", "NUL"]);
    // Not UTF-8 but without NUL bytes: Latin-1 text, or UTF-16.
    let path = scratch("latin1.toml");
    std::fs::write(&path, b"title = \"caf\xe9\"\n").unwrap();
    refused(&path, None, &["not a text file", "UTF-8"]);
}

#[test]
fn missing_keys() {
    refused(&fixture("missing-input.toml"), Some("2:1"), &["missing key `input`", "[network]", "input = ["]);
    refused(&fixture("missing-layers.toml"), Some("2:1"), &["missing key `layers`", "[[network.layers]]"]);
    refused(&fixture("missing-label.toml"), Some("2:1"), &["network.label is missing", "1-based"]);
    refused(&fixture("missing-target.toml"), Some("2:1"), &["network.target is missing", "mse"]);
}

#[test]
fn wrong_value_types() {
    refused(
        &fixture("string-for-number.toml"),
        Some("3:13"),
        &["network.input[2]", "expected a number", "\"two\""],
    );
    refused(&fixture("float-label.toml"), Some("4:9"), &["network.label", "expected a whole number", "1.5"]);
    refused(
        &fixture("flat-weights.toml"),
        Some("7:12"),
        &["network.layers[1].weights", "layer 1", "expected an array"],
    );
}

#[test]
fn ragged_or_empty_weight_rows() {
    refused(&fixture("ragged-rows.toml"), Some("7:20"), &["layer 1", "row 2 has 1 entry but row 1 has 2"]);
    refused(&fixture("empty-row.toml"), Some("7:20"), &["layer 1", "row 2 is empty"]);
    refused(&fixture("empty-weights.toml"), Some("7:11"), &["layer 1", "weights are empty"]);
}

#[test]
fn shapes_that_do_not_chain() {
    // The caret stands on the `weights` of the layer at fault (line 10), not on layer 1's.
    refused(
        &fixture("shapes-do-not-chain.toml"),
        Some("10:11"),
        &["layer 2: weights have 3 columns but layer 1 has 2 units"],
    );
    refused(
        &fixture("output-does-not-chain.toml"),
        Some("10:11"),
        &["the output layer W(o): weights have 3 columns but layer 1 has 2 units"],
    );
}

#[test]
fn bias_of_the_wrong_length() {
    refused(
        &fixture("bias-length.toml"),
        Some("8:8"),
        &["layer 1", "bias has 3 entries but the layer has 2 units"],
    );
}

#[test]
fn nan_and_infinite_numbers() {
    refused(&fixture("nan.toml"), Some("7:24"), &["layer 1", "[2, 2]", "NaN", "finite"]);
    refused(&fixture("infinite.toml"), Some("3:13"), &["network.input", "inf", "finite"]);
    // Too large for f64 in the file itself, and finite numbers whose products overflow.
    let path = scratch("1e400.toml");
    std::fs::write(&path, lesson_text(2, &[2]).replace("input = [1, 1]", "input = [1, 1e400]")).unwrap();
    refused(&path, Some("3:13"), &["network.input[2]", "too large"]);
    refused(&fixture("overflow.toml"), Some("7:11"), &["too large", "z1(1)", "smaller"]);
}

#[test]
fn labels_outside_the_classes() {
    for name in ["label-zero.toml", "label-too-large.toml"] {
        refused(&fixture(name), Some("4:9"), &["network.label", "outside 1..=3", "1-based as in the notes"]);
    }
}

#[test]
fn unknown_activation_or_loss() {
    let activations = "relu, leaky_relu, sigmoid, tanh, identity";
    refused(&fixture("unknown-activation.toml"), Some("5:14"), &["unknown activation \"gelu\"", activations]);
    refused(
        &fixture("unknown-layer-activation.toml"),
        Some("8:14"),
        &["layer 1", "unknown activation \"Relu\"", activations],
    );
    refused(
        &fixture("unknown-loss.toml"),
        Some("5:8"),
        &["unknown loss \"cross_entropy\"", "softmax_cross_entropy, mse"],
    );
}

#[test]
fn unknown_key() {
    refused(&fixture("unknown-key.toml"), Some("7:1"), &["unknown key `weight`", "layer 1", "weights"]);
}

#[test]
fn no_hidden_layer() {
    refused(&fixture("no-hidden-layer.toml"), Some("6:1"), &["no hidden layer", "output layer"]);
}

#[test]
fn too_many_hidden_layers() {
    let path = scratch("seventeen-layers.toml");
    let text = lesson_text(2, &[2; 17]);
    std::fs::write(&path, &text).unwrap();
    // The 17th hidden layer's header is the 17th `[[network.layers]]`.
    let line = text.lines().enumerate().filter(|(_, l)| *l == "[[network.layers]]").nth(16).unwrap().0 + 1;
    refused(&path, Some(&format!("{line}:1")), &["too many hidden layers: 17", "at most 16"]);
    // 16 is allowed.
    let path = scratch("sixteen-layers.toml");
    std::fs::write(&path, lesson_text(2, &[2; 16])).unwrap();
    cargo_bin_cmd!("backprop-tutor").arg("solve").arg(&path).assert().success();
}

#[test]
fn too_many_units() {
    let path = scratch("wide-layer.toml");
    std::fs::write(&path, lesson_text(2, &[1025])).unwrap();
    let stderr = refused(&path, Some("7:11"), &["layer 1 has 1025 units", "at most 1024"]);
    // The offending line is megabytes long; the message shows a window of it.
    assert!(stderr.len() < 1000, "{} bytes of message", stderr.len());
    let path = scratch("wide-input.toml");
    std::fs::write(&path, lesson_text(1025, &[2])).unwrap();
    refused(&path, Some("3:9"), &["network.input has 1025 entries", "at most 1024"]);
}

#[test]
fn file_over_16_mib() {
    let path = scratch("huge.toml");
    // Valid TOML all the way (comments), so only the size can be at fault.
    let mut text = lesson_text(2, &[2]);
    let padding = "# padding padding padding padding padding padding padding padding\n";
    while text.len() <= 16 * 1024 * 1024 {
        text.push_str(padding);
    }
    std::fs::write(&path, &text).unwrap();
    refused(&path, None, &["larger than 16 MiB"]);
}

#[test]
fn file_that_does_not_exist() {
    let stderr = refused(Path::new("no/such/lesson.toml"), None, &["no such file"]);
    // It also says which names would have worked.
    assert!(stderr.contains("notes-example"), "{stderr}");
    refused(Path::new("notes-exmaple"), None, &["no such file", "shipped"]);
}

#[test]
fn a_directory() {
    let dir = scratch("a-folder.toml");
    std::fs::create_dir_all(&dir).unwrap();
    refused(&dir, None, &["folder", "not a lesson file"]);
}

#[test]
fn deeply_nested_arrays_do_not_overflow_the_stack() {
    let path = scratch("nested.toml");
    let depth = 100_000;
    std::fs::write(
        &path,
        format!("title = \"t\"\n[network]\ninput = {}{}\n", "[".repeat(depth), "]".repeat(depth)),
    )
    .unwrap();
    let output = cargo_bin_cmd!("backprop-tutor").arg("solve").arg(&path).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    assert!(!String::from_utf8_lossy(&output.stderr).contains("panicked"));
}

#[test]
fn every_fixture_is_covered_by_a_test() {
    // A fixture nobody runs is a case nobody checks.
    let source = include_str!("bad_lessons.rs");
    for entry in std::fs::read_dir(FIXTURES).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        assert!(source.contains(&format!("\"{name}\"")), "fixture {name} is not used");
    }
}
