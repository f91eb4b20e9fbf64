//! Running `backprop-tutor check` in tests: what the check_* test files share. Each includes
//! this file as `mod support` and uses what it needs.
#![allow(dead_code)]

use assert_cmd::cargo::cargo_bin_cmd;
use serde_json::Value as Json;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Far more than `check` takes on a loaded machine: past it, `check` hangs (on a named pipe,
/// say) and the test fails instead of hanging too.
const DEADLINE: Duration = Duration::from_secs(60);

pub(crate) fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/answers").join(name)
}

pub(crate) struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// `backprop-tutor check ARGS…`.
pub(crate) fn check(args: &[&str]) -> Run {
    check_in(Path::new(env!("CARGO_MANIFEST_DIR")), args)
}

/// `backprop-tutor check ARGS…` run in the folder `dir`.
pub(crate) fn check_in(dir: &Path, args: &[&str]) -> Run {
    let output = cargo_bin_cmd!("backprop-tutor")
        .current_dir(dir)
        .arg("check")
        .args(args)
        .timeout(DEADLINE)
        .output()
        .unwrap();
    let run = Run {
        code: output.status.code().expect("check exits (it was not killed)"),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    };
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    run
}

pub(crate) fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// An object's keys, sorted.
pub(crate) fn keys(value: &Json) -> Vec<&str> {
    let mut keys: Vec<&str> = value.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort_unstable();
    keys
}

pub(crate) fn sorted<'a>(names: &[&'a str]) -> Vec<&'a str> {
    let mut names = names.to_vec();
    names.sort_unstable();
    names
}

pub(crate) fn json(run: &Run) -> Json {
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}:\n{}\n{}", run.stdout, run.stderr))
}

/// A folder holding the given files.
pub(crate) fn folder(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

/// Every answer of notes-example, right: 6 of 6 points.
pub(crate) const RIGHT: &str = r#"
dL_do = [0.09, 0.665, -0.755]
dL_dh2 = [0.288, -0.575]
dL_dWo = [[0.36, 0.09], [2.661, 0.665], [-3.021, -0.755]]
dL_dh1 = [-0.863, 1.438]
dL_dW2 = [[0.288, 0.288], [-0.575, -0.575]]
dL_dW1 = [[-0.863, -0.863, -0.863], [1.438, 1.438, 1.438]]
"#;

/// Every answer right but ∂L/∂W(o), which is transposed (no later answer depends on it):
/// 5 of 6 points, and the diagnosis `transposed`.
pub(crate) const TRANSPOSED: &str = r#"
dL_do = [0.09, 0.665, -0.755]
dL_dh2 = [0.288, -0.575]
dL_dWo = [[0.36, 2.661, -3.021], [0.09, 0.665, -0.755]]
dL_dh1 = [-0.863, 1.438]
dL_dW2 = [[0.288, 0.288], [-0.575, -0.575]]
dL_dW1 = [[-0.863, -0.863, -0.863], [1.438, 1.438, 1.438]]
"#;

/// notes-example's questions, in order.
pub(crate) const QUANTITIES: [&str; 6] = ["dL_do", "dL_dh2", "dL_dWo", "dL_dh1", "dL_dW2", "dL_dW1"];

/// Parses CSV as RFC 4180 defines it (records end with CRLF; quoted fields may hold commas,
/// quotes doubled, and line breaks), failing on anything else: a reader as strict as the RFC.
pub(crate) fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    let mut at_start = true;
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => {
                    quoted = false;
                    assert!(matches!(chars.peek(), Some(',' | '\r') | None), "text after a closing quote");
                }
                _ => field.push(c),
            }
            continue;
        }
        match c {
            '"' if at_start => quoted = true,
            '"' => panic!("a quote inside an unquoted field: {field:?}"),
            ',' => {
                record.push(std::mem::take(&mut field));
                at_start = true;
                continue;
            }
            '\r' => {
                assert_eq!(chars.next(), Some('\n'), "CR without LF");
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
                at_start = true;
                continue;
            }
            '\n' => panic!("a bare LF outside quotes ends no record"),
            _ => field.push(c),
        }
        at_start = false;
    }
    assert!(!quoted, "an unclosed quote");
    assert!(field.is_empty() && record.is_empty(), "the last record has no CRLF");
    records
}

/// `backprop-tutor ARGS…` (any command), with its exit code and both outputs.
pub(crate) fn run_binary(args: &[&str]) -> Run {
    let output = cargo_bin_cmd!("backprop-tutor").args(args).timeout(DEADLINE).output().unwrap();
    let run = Run {
        code: output.status.code().expect("the binary exits (it was not killed)"),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    };
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    run
}

/// The right answers, as an answer file, to the exercise `new --seed seed FLAGS…` makes:
/// every asked quantity, worked out by `solve` on that lesson.
pub(crate) fn right_answers(seed: &str, flags: &[&str]) -> String {
    let mut args = vec!["new", "--seed", seed];
    args.extend(flags);
    let lesson = run_binary(&args);
    assert_eq!(lesson.code, 0, "{}", lesson.stderr);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("lesson.toml");
    std::fs::write(&file, &lesson.stdout).unwrap();
    let solved: Json =
        serde_json::from_str(&run_binary(&["solve", path(&file), "--format", "json"]).stdout).unwrap();
    let mut answers = String::new();
    for step in solved["steps"].as_array().unwrap() {
        for asked in step["asks"].as_array().unwrap() {
            let name = asked.as_str().unwrap();
            answers.push_str(&format!("{name} = {}\n", solved["quantities"][name]));
        }
    }
    answers
}

/// A TOML basic string holding `text`.
pub(crate) fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}
