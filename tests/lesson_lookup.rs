//! How a lesson argument is resolved, and the two spellings of Step 0 in `[steps] ask`
//! (DESIGN.md §1.3, §7.3), through the binary.

use assert_cmd::cargo::cargo_bin_cmd;
use serde_json::Value as Json;
use std::path::Path;

const SHADOW: &str = r#"
title = "A file that happens to be named like a shipped lesson"
[network]
input = [1, 2]
label = 1
[[network.layers]]
weights = [[1, -1], [0.5, 2]]
[[network.layers]]
weights = [[1, 2], [-1, 1]]
"#;

fn solve_json(dir: &Path, lesson: &str) -> Json {
    let output = cargo_bin_cmd!("backprop-tutor")
        .current_dir(dir)
        .args(["solve", lesson, "--format", "json"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn an_existing_path_wins_over_a_shipped_name() {
    let here = tempfile::tempdir().unwrap();
    std::fs::write(here.path().join("notes-example"), SHADOW).unwrap();
    let elsewhere = tempfile::tempdir().unwrap();

    let file = solve_json(here.path(), "notes-example");
    let shipped = solve_json(elsewhere.path(), "notes-example");
    assert_eq!(file["title"], "A file that happens to be named like a shipped lesson");
    assert_eq!(shipped["title"], "The notes' worked example");
}

#[test]
fn step_zero_is_asked_as_forward_or_as_its_id() {
    let dir = tempfile::tempdir().unwrap();
    let steps = |name: &str, ask: &str| {
        std::fs::write(dir.path().join(name), format!("{SHADOW}\n[steps]\nask = {ask}\n")).unwrap();
        solve_json(dir.path(), name)["steps"].clone()
    };
    let by_word = steps("by-word.toml", r#"["forward", "1"]"#);
    let by_id = steps("by-id.toml", r#"["0", "1"]"#);
    assert_eq!(by_word, by_id);
    let ids: Vec<&str> = by_id.as_array().unwrap().iter().map(|s| s["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["0", "1"]);
    assert_eq!(by_id[0]["asks"], serde_json::json!(["z1", "h1", "o", "o_hat", "loss"]));
}
