//! `solve`, `new` and `lint` on training lessons through the binary (DESIGN.md §8), and the
//! promise that a lesson without `[train]` or `[[data]]` is solved exactly as before: its JSON
//! is compared byte for byte with what the tool printed before training existed
//! (tests/fixtures/solve-json, written by that version).

use assert_cmd::cargo::cargo_bin_cmd;
use backprop_tutor::lesson::parse_lesson;
use serde_json::Value as Json;
use std::path::Path;

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(args: &[&str]) -> Run {
    let output = cargo_bin_cmd!("backprop-tutor").args(args).output().unwrap();
    let run = Run {
        code: output.status.code().unwrap(),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    };
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    run
}

fn solve_json(lesson: &str) -> Json {
    let out = run(&["solve", lesson, "--format", "json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    serde_json::from_str(&out.stdout).unwrap()
}

fn fixture(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/solve-json").join(name)
}

#[test]
fn a_generated_lesson_without_training_solves_to_the_same_bytes_as_before() {
    // The shipped lessons' JSON is checked byte for byte in tests/cli_solve.rs.
    let generated = fixture("generated.toml");
    let before = std::fs::read_to_string(fixture("generated.json")).unwrap();
    assert_eq!(run(&["solve", generated.to_str().unwrap(), "--format", "json"]).stdout, before);
}

fn ids(json: &Json) -> Vec<String> {
    json["steps"].as_array().unwrap().iter().map(|s| s["id"].as_str().unwrap().to_string()).collect()
}

#[test]
fn one_example_with_a_step_asks_steps_5_and_6_after_step_4() {
    let json = solve_json("notes-update");
    assert_eq!(ids(&json), ["1", "2A", "2B", "3A", "3B", "4", "5", "6"]);
    let steps = json["steps"].as_array().unwrap();
    assert_eq!(steps[6]["asks"], serde_json::json!(["W1_new", "W2_new", "Wo_new"]));
    assert_eq!(steps[6]["equations"], serde_json::json!(["§1.3"]));
    assert_eq!(steps[7]["asks"], serde_json::json!(["loss_new"]));
    let q = &json["quantities"];
    assert!(q["loss_new"].as_f64().unwrap() < q["loss"].as_f64().unwrap());
    assert!(q.as_object().unwrap().keys().all(|k| !k.contains('#')), "one example: no numbers");
}

#[test]
fn a_dataset_asks_every_examples_steps_then_the_sum() {
    let json = solve_json("batch-mean");
    let ids = ids(&json);
    let per_example = ["1", "2A", "2B", "3A", "3B", "4"];
    let expected: Vec<String> = (1..=3)
        .flat_map(|n| per_example.iter().map(move |id| format!("{id}#{n}")))
        .chain(["sum", "5", "6"].map(String::from))
        .collect();
    assert_eq!(ids, expected);
    let steps = json["steps"].as_array().unwrap();
    assert_eq!(steps[18]["asks"], serde_json::json!(["loss", "dL_dWo", "dL_dW2", "dL_dW1"]));
    assert_eq!(steps[18]["equations"], serde_json::json!(["(2)"]));
    let keys: Vec<&String> = json["quantities"].as_object().unwrap().keys().collect();
    for key in ["x#1", "z1#2", "o_hat#3", "dL_dW1#3", "dh2_dh1#2", "loss", "dL_dW1", "W1_new", "loss_new"] {
        assert!(keys.iter().any(|k| *k == key), "{key}");
    }
    assert!(!keys.iter().any(|k| *k == "z1" || *k == "dL_do"), "no name without its example");
}

#[test]
fn the_text_and_markdown_solutions_show_the_sum_the_step_and_the_loss_before_and_after() {
    let text = run(&["solve", "batch-mean"]).stdout;
    for expected in [
        "Step 0#2: the forward pass of example 2",
        "Step 2A#3: ∂L/∂h(2)#3",
        "Step sum: L, ∂L/∂W(o), ∂L/∂W(2), ∂L/∂W(1)",
        "∂L/∂W(1) = (1/3)·(∂L/∂W(1)#1 + ∂L/∂W(1)#2 + ∂L/∂W(1)#3)",
        "∂L/∂w1,1(1) = (−0.86282 + 2.6197 + 0.23996) / 3 = 0.6656",
        "W(1)_new = W(1) − η ∂L/∂W(1)",
        "w1,1(1)_new = 1 − 0.1·0.6656 = 0.9334",
        "(before the step: W(1) = [[1, 0, 0], [0, 1, 0]])",
        "Step 6: L_new",
        "notes' equations: (1)–(2), §1.3",
        "(before the step: L = 2.646)",
        "over 3 examples (mean, Eq. 2); one step of gradient descent, η = 0.1",
    ] {
        assert!(text.contains(expected), "{expected:?} in\n{text}");
    }
    let markdown = run(&["solve", "batch-mean", "--format", "markdown"]).stdout;
    for expected in [
        "## Step sum: L, ∂L/∂W(o), ∂L/∂W(2), ∂L/∂W(1)",
        r"\frac{1}{3}\left(",
        r"{\vec{x}}^{\langle 2 \rangle} &=",
        r"\eta &= 0.1",
        r"(\mathbf{W}^{(1)})_{\mathrm{new}} &= \mathbf{W}^{(1)} - \eta \,",
        "Before the step:",
        r"L_{\mathrm{new}}",
    ] {
        assert!(markdown.contains(expected), "{expected:?} in the markdown");
    }
}

#[test]
fn new_makes_datasets_whose_examples_keep_the_rules_and_whose_loss_drops() {
    for (seed, options) in [
        ("ada", vec!["--data", "3", "--learning-rate", "0.1"]),
        ("bo", vec!["--data", "2", "--reduction", "mean", "--learning-rate", "0.05", "--bias"]),
        ("cy", vec!["--data", "4", "--loss", "mse", "--activation", "tanh"]),
        ("di", vec!["--learning-rate", "0.2", "--layers", "2,3,2"]),
    ] {
        let args: Vec<&str> = ["new", "--seed", seed].into_iter().chain(options.iter().copied()).collect();
        let made = run(&args);
        assert_eq!(made.code, 0, "{}", made.stderr);
        assert_eq!(run(&args).stdout, made.stdout, "the same seed makes the same lesson");
        let lesson = parse_lesson("made", &made.stdout).unwrap();
        let network = lesson.network();
        let data =
            options.iter().position(|o| *o == "--data").map(|i| options[i + 1].parse::<usize>().unwrap());
        assert_eq!(network.dataset_size(), data, "{seed}");
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("made.toml");
        std::fs::write(&file, &made.stdout).unwrap();
        let json = solve_json(file.to_str().unwrap());
        let q = &json["quantities"];
        let mut patterns = Vec::new();
        for n in 1..=network.example_count() {
            let suffix = if data.is_some() { format!("#{n}") } else { String::new() };
            let z: Vec<f64> = (1..=network.depth())
                .flat_map(|l| {
                    q[format!("z{l}{suffix}")]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|v| v.as_f64().unwrap())
                        .collect::<Vec<_>>()
                })
                .collect();
            assert!(
                z.iter().all(|z| z.abs() > 0.05),
                "{seed}: example {n} has a pre-activation near a kink: {z:?}"
            );
            patterns.push(z.iter().map(|z| *z > 0.0).collect::<Vec<_>>());
        }
        if data.is_some() && !options.contains(&"tanh") {
            patterns.sort();
            patterns.dedup();
            assert!(patterns.len() > 1, "{seed}: the examples close different gates");
        }
        if options.contains(&"--learning-rate") {
            assert!(
                q["loss_new"].as_f64().unwrap() < q["loss"].as_f64().unwrap() - 0.01,
                "{seed}: the loss drops"
            );
        }
        let lint = run(&["lint", file.to_str().unwrap()]);
        assert_eq!(lint.code, 0, "{seed}: {}", lint.stdout);
    }
}

#[test]
fn new_refuses_options_it_cannot_meet() {
    for (args, message) in [
        (vec!["--data", "0"], "--data 0: a dataset has 1 to 64 examples"),
        (vec!["--data", "65"], "--data 65"),
        (vec!["--learning-rate=-1"], "η must be a finite number above 0"),
        (vec!["--learning-rate", "nan"], "η must be a finite number above 0"),
        (vec!["--reduction", "mean"], "--reduction needs --data"),
        (
            vec!["--loss", "mse", "--activation", "identity", "--learning-rate", "50"],
            "the loss does not drop with η = 50.0",
        ),
    ] {
        let all: Vec<&str> = ["new", "--seed", "x"].into_iter().chain(args.iter().copied()).collect();
        let out = run(&all);
        assert_eq!(out.code, 2, "{args:?}: {}", out.stdout);
        assert!(out.stderr.contains(message), "{message:?} in {}", out.stderr);
    }
}

#[test]
fn lint_reports_a_step_that_raises_the_loss() {
    // Squared error and η = 1: the step overshoots and the loss grows a thousandfold.
    let text =
        format!("{}\n[train]\nlearning_rate = 1\n", backprop_tutor::lesson::shipped::source("mse").unwrap());
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("uphill.toml");
    std::fs::write(&file, &text).unwrap();
    let out = run(&["lint", file.to_str().unwrap()]);
    assert_eq!(out.code, 1, "{}", out.stdout);
    let line = text.lines().position(|l| l.starts_with("learning_rate")).unwrap() + 1;
    assert!(
        out.stdout.contains(&format!("uphill.toml:{line}:17: loss_rises: the loss does not drop")),
        "{}",
        out.stdout
    );
    // The lesson's `[lint]` table already allows `indistinct` (every gate of mse is open).
    let allowed = text.replace("allow = [\"indistinct\"]", "allow = [\"indistinct\", \"loss_rises\"]");
    assert_ne!(allowed, text, "mse allows indistinct");
    std::fs::write(&file, allowed).unwrap();
    let out = run(&["lint", file.to_str().unwrap()]);
    assert_eq!(out.code, 0, "{}", out.stdout);
    assert!(out.stdout.contains("clean (allowed: indistinct, loss_rises)"), "{}", out.stdout);
    // A dataset's gradient check covers every example and the totals.
    let out = run(&["lint", "batch-mean"]);
    assert_eq!(out.code, 0);
    for name in ["dL_dW1#1 ", "dL_dW1#3 ", "dL_dWo "] {
        assert!(out.stdout.contains(name), "{name} in {}", out.stdout);
    }
}

#[test]
fn lint_checks_every_example_of_a_dataset() {
    // Example 1 is clear of the kink; example 2 puts z1(1) = 1 − 1 exactly on it.
    let text = "title = \"kink in example 2\"\n[network]\n[[network.layers]]\nweights = [[1, -1], [0.5, 2]]\n\
                [[network.layers]]\nweights = [[1, 1], [2, -1], [-1, 0.5]]\n\
                [[data]]\ninput = [2, 1]\nlabel = 2\n[[data]]\ninput = [1, 1]\nlabel = 1\n";
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("kink.toml");
    std::fs::write(&file, text).unwrap();
    let out = run(&["lint", file.to_str().unwrap()]);
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert!(out.stdout.contains("kink.toml:4:12: kink: example 2: z1(1) = 0"), "{}", out.stdout);
    assert!(!out.stdout.contains("example 1:"), "{}", out.stdout);
}
