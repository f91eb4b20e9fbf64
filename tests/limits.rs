//! Every resource limit on untrusted input (README, "Limits") at its boundary, where the other
//! suites leave it untested. Already covered elsewhere: a lesson file over 16 MiB, 17 hidden
//! layers refused and 16 solved, 1025 units and 1025 input entries refused, 100,000-deep
//! arrays in a lesson (tests/bad_lessons.rs); answers of 10,000 characters accepted and
//! longer refused, nesting refused without a stack overflow (tests/answer_syntax.rs).

use assert_cmd::cargo::cargo_bin_cmd;
use backprop_tutor::answer::language::parse_answer;
use backprop_tutor::lesson::{MAX_UNITS, MAX_WEIGHTS, load_lesson, parse_lesson};
use backprop_tutor::tutor::{Mode, ProgressStore};
use serde_json::Value as Json;

/// A lesson with `inputs` inputs, one hidden layer of `units` units and 2 outputs.
fn lesson_text(inputs: usize, units: usize) -> String {
    let matrix = |rows: usize, columns: usize| {
        let row = format!("[{}]", vec!["0.5"; columns].join(", "));
        format!("[{}]", vec![row; rows].join(",\n"))
    };
    format!(
        "title = \"wide\"\n[network]\ninput = [{}]\nlabel = 1\n[[network.layers]]\nweights = {}\n\
         [[network.layers]]\nweights = {}\n",
        vec!["1"; inputs].join(", "),
        matrix(units, inputs),
        matrix(2, units)
    )
}

#[test]
fn a_layer_of_1024_units_and_an_input_of_1024_entries_are_accepted() {
    let lesson = parse_lesson("wide.toml", &lesson_text(MAX_UNITS, MAX_UNITS)).unwrap();
    assert_eq!(lesson.network().units(0), 1024);
    assert_eq!(lesson.network().units(1), 1024);
}

/// A lesson of the given sizes (input, hidden…, output) with every weight 0, the fewest bytes.
fn zero_lesson(sizes: &[usize]) -> String {
    let mut text =
        format!("title = \"t\"\n[network]\ninput = [{}]\nlabel = 1\n", vec!["1"; sizes[0]].join(","));
    for pair in sizes.windows(2) {
        let row = format!("[{}]", vec!["0"; pair[0]].join(","));
        text.push_str(&format!("[[network.layers]]\nweights = [{}]\n", vec![row; pair[1]].join(",")));
    }
    text
}

fn weights(sizes: &[usize]) -> usize {
    sizes.windows(2).map(|pair| pair[0] * pair[1]).sum()
}

#[test]
fn a_lesson_of_1_500_000_weights_is_accepted_and_one_more_is_refused() {
    let (most, one_more) = ([1000, 1000, 500], [1015, 1024, 233, 953]);
    assert_eq!((weights(&most), weights(&one_more)), (MAX_WEIGHTS, MAX_WEIGHTS + 1));
    let lesson = parse_lesson("most.toml", &zero_lesson(&most)).unwrap();
    assert_eq!(lesson.network().units(1), 1000);
    let error = parse_lesson("one-more.toml", &zero_lesson(&one_more)).unwrap_err();
    assert_eq!(error.key.as_deref(), Some("network.layers[3].weights"));
    assert_eq!(
        error.message,
        "too many weights: 1,500,001 in layers 1 to 3 (at most 1,500,000 in a lesson; a 1024 × 1024 layer has \
         1,048,576)"
    );
}

#[test]
fn deep_arrays_in_weights_are_refused_without_a_stack_overflow() {
    // Test threads have small stacks. 3,000 levels are few enough tokens to go to the loader's
    // own reader of weight rows; 100,000 are not.
    for depth in [3_000, 100_000] {
        let text = lesson_text(2, 2).replace(
            "weights = [[0.5, 0.5]",
            &format!("weights = [{}1{}", "[".repeat(depth), "]".repeat(depth)),
        );
        let error = parse_lesson("deep.toml", &text).unwrap_err();
        assert!(error.to_string().contains("recurse"), "{error}");
    }
}

#[test]
fn toml_nests_80_levels_deep_in_a_lesson_and_no_deeper() {
    // The limit is the toml crate's: past it the file is not read at all.
    let nested = |depth: usize| {
        let text = format!("title = \"t\"\n[network]\ninput = {}1{}\n", "[".repeat(depth), "]".repeat(depth));
        parse_lesson("deep.toml", &text).unwrap_err().to_string()
    };
    assert!(nested(80).contains("expected a number, found sequence"), "{}", nested(80));
    assert!(nested(81).contains("invalid TOML: cannot recurse further"), "{}", nested(81));
}

#[cfg(unix)]
#[test]
fn a_lesson_with_no_size_on_disk_is_read_no_further_than_16_mib() {
    // A device reports no size, so only the bounded read stops it.
    let output = cargo_bin_cmd!("backprop-tutor").args(["solve", "/dev/zero"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("larger than 16 MiB"), "{stderr}");
}

#[test]
fn answers_nest_64_levels_deep_and_no_deeper() {
    // The answer itself is the first level: 63 parentheses around a number make 64.
    let nested = |parentheses: usize| format!("{}1{}", "(".repeat(parentheses), ")".repeat(parentheses));
    assert!(parse_answer(&nested(63)).is_ok());
    let error = parse_answer(&nested(64)).unwrap_err();
    assert!(error.message.contains("nested too deeply (the limit is 64 levels)"), "{}", error.message);
}

/// `check notes-example FILE --format json` on an answer file holding `text`.
fn check_one(text: &str) -> Json {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("answers.toml");
    std::fs::write(&file, text).unwrap();
    let output = cargo_bin_cmd!("backprop-tutor")
        .args(["check", "notes-example"])
        .arg(&file)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    serde_json::from_slice::<Json>(&output.stdout).unwrap()["submissions"][0].clone()
}

/// Valid TOML (comments) of exactly `bytes` bytes after one right answer.
fn padded(bytes: usize) -> String {
    let mut text = String::from("dL_do = [0.09, 0.665, -0.755]\n");
    while text.len() < bytes {
        text.push_str(&"#".repeat((bytes - text.len()).min(80)));
        text.push('\n');
    }
    text.truncate(bytes - 1);
    text.push('\n');
    text
}

#[test]
fn an_answer_file_of_1_mib_is_graded_and_a_larger_one_refused() {
    let graded = check_one(&padded(1024 * 1024));
    assert!(graded["error"].is_null(), "{graded}");
    assert_eq!(graded["score"], 1.0);

    let refused = check_one(&padded(1024 * 1024 + 1));
    assert_eq!(refused["score"], 0.0);
    let error = refused["error"].as_str().unwrap();
    assert!(error.contains("larger than 1024 KiB"), "{error}");
}

#[test]
fn toml_nests_80_levels_deep_in_an_answer_file_and_no_deeper() {
    let nested = |depth: usize| check_one(&format!("dL_do = {}1{}\n", "[".repeat(depth), "]".repeat(depth)));
    // Read, and graded as a wrong shape.
    assert!(nested(80)["error"].is_null());
    assert!(nested(81)["error"].as_str().unwrap().contains("cannot recurse further"));
}

#[test]
fn deep_arrays_in_an_answer_file_do_not_overflow_the_stack() {
    let depth = 100_000;
    let submission = check_one(&format!("dL_do = {}{}\n", "[".repeat(depth), "]".repeat(depth)));
    assert_eq!(submission["score"], 0.0);
    assert!(submission["error"].as_str().unwrap().contains("recurse"), "{submission}");
}

#[test]
fn a_progress_file_over_16_mib_is_set_aside_unread() {
    let dir = tempfile::tempdir().unwrap();
    let store = ProgressStore::at(dir.path());
    let lesson = load_lesson("notes-example").unwrap();
    let path = store.path_for(&lesson, Mode::Practice).unwrap();
    std::fs::write(&path, vec![b' '; 16 * 1024 * 1024 + 1]).unwrap();
    let (progress, warning) = store.load(&lesson, Mode::Practice);
    assert_eq!(progress, Default::default());
    assert!(warning.unwrap().contains("larger than a progress file can be"));
    assert!(!path.exists(), "the file is moved aside, so the next save does not destroy it");
}
