//! `solve` and `list` through the built binary (DESIGN.md §5): the JSON contract, the text a learner
//! reads, Markdown, shipped lessons from any folder, and the step ids for other depths.

use assert_cmd::cargo::cargo_bin_cmd;
use backprop_tutor::lesson::shipped;
use serde_json::Value as Json;
use std::f64::consts::E;

fn run(args: &[&str]) -> String {
    let output = cargo_bin_cmd!("backprop-tutor").args(args).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{args:?} failed: {stderr}");
    assert!(stderr.is_empty(), "{args:?} wrote to stderr: {stderr}");
    String::from_utf8(output.stdout).unwrap()
}

fn solve_json(lesson: &str) -> Json {
    let text = run(&["solve", lesson, "--format", "json"]);
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{lesson}: not JSON ({e}):\n{text}"))
}

fn step_ids(json: &Json) -> Vec<String> {
    json["steps"].as_array().unwrap().iter().map(|s| s["id"].as_str().unwrap().to_string()).collect()
}

fn numbers(value: &Json) -> Vec<f64> {
    match value {
        Json::Number(n) => vec![n.as_f64().unwrap()],
        Json::Array(items) => items.iter().flat_map(numbers).collect(),
        other => panic!("not a number or array: {other}"),
    }
}

#[test]
fn json_has_exactly_the_spec_keys_and_steps() {
    let json = solve_json("notes-example");
    let keys: Vec<&str> = json.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys.len(), 3, "{keys:?}");
    for key in ["title", "quantities", "steps"] {
        assert!(keys.contains(&key), "{key} missing from {keys:?}");
    }
    assert_eq!(json["title"], "The notes' worked example");
    assert_eq!(step_ids(&json), ["1", "2A", "2B", "3A", "3B", "4"]);
    let asks: Vec<Vec<&str>> = json["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["asks"].as_array().unwrap().iter().map(|a| a.as_str().unwrap()).collect())
        .collect();
    assert_eq!(asks, [["dL_do"], ["dL_dh2"], ["dL_dWo"], ["dL_dh1"], ["dL_dW2"], ["dL_dW1"]]);
    // Each step's notes' equations (DESIGN.md §3), first and last of each range.
    let expected: [&[&str]; 6] = [
        &["(8)", "(12)", "(54)", "(59)", "(60)"],
        &["(13)", "(19)", "(55)", "(61)", "(65)"],
        &["(20)", "(25)", "(26)", "(56)", "(66)", "(69)"],
        &["(28)", "(39)", "(57)", "(70)", "(75)"],
        &["(40)", "(47)", "(58)", "(76)", "(79)"],
        &["(48)", "(53)"],
    ];
    for (step, wanted) in json["steps"].as_array().unwrap().iter().zip(expected) {
        let equations: Vec<&str> =
            step["equations"].as_array().unwrap().iter().map(|e| e.as_str().unwrap()).collect();
        for equation in wanted {
            assert!(equations.contains(equation), "step {}: {equation} not in {equations:?}", step["id"]);
        }
    }
}

#[test]
fn json_quantities_are_flat_vectors_and_rows() {
    let json = solve_json("notes-example");
    let q = json["quantities"].as_object().unwrap();
    // Every name DESIGN.md §2 gives a two-hidden-layer network without biases, and nothing else.
    let mut names: Vec<&str> = q.keys().map(String::as_str).collect();
    names.sort_unstable();
    let mut expected = vec![
        "x", "z1", "h1", "z2", "h2", "o", "o_hat", "loss", "dL_do", "dL_dh2", "dL_dh1", "dL_dWo", "dL_dW2",
        "dL_dW1", "do_dh2", "dh2_dz2", "dh1_dz1", "dz2_dh1", "dh2_dh1",
    ];
    expected.sort_unstable();
    assert_eq!(names, expected);

    assert_eq!(q["x"], serde_json::json!([1.0, 1.0, 1.0]));
    assert_eq!(q["o"], serde_json::json!([1.0, 3.0, 2.0]));
    assert!(q["loss"].is_number());
    // Matrices are arrays of rows: W(2) as ∂z(2)/∂h(1), and the 3×2 ∂L/∂W(o) of Eq. (25).
    assert_eq!(q["dz2_dh1"], serde_json::json!([[1.0, 3.0], [2.0, -1.0]]));
    assert_eq!(q["dh2_dh1"][0][1], 3.0);
    let dwo = q["dL_dWo"].as_array().unwrap();
    assert_eq!(dwo.len(), 3);
    assert!(dwo.iter().all(|row| row.as_array().unwrap().len() == 2));
    // Full precision, not the text's three decimals.
    let sum = E + E.powi(3) + E.powi(2);
    let o_hat = numbers(&q["o_hat"]);
    let want = [E / sum, E.powi(3) / sum, E.powi(2) / sum];
    for (got, want) in o_hat.iter().zip(want) {
        assert!((got - want).abs() < 1e-15, "{o_hat:?}");
    }
    let dl_do = numbers(&q["dL_do"]);
    assert!((dl_do[2] - (want[2] - 1.0)).abs() < 1e-15);
}

#[test]
fn text_shows_equation_numbers_and_derivations() {
    let text = run(&["solve", "notes-example"]);
    for equation in ["(8)", "(60)", "(13)", "(65)", "(69)", "(75)", "(79)", "(48)", "(53)"] {
        assert!(text.contains(equation), "{equation} missing:\n{text}");
    }
    // The steps in the notes' order.
    let positions: Vec<usize> = ["Step 1", "Step 2A", "Step 2B", "Step 3A", "Step 3B", "Step 4"]
        .iter()
        .map(|s| text.find(&format!("{s}:")).unwrap_or_else(|| panic!("{s} missing:\n{text}")))
        .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "steps out of order: {positions:?}");
    // DESIGN.md §3's example derivation, entry by entry with the lesson's numbers.
    assert!(text.contains("∂L/∂h1(1) = 0.2876·1·1 + (−0.5752)·1·2 = −0.8628"), "{text}");
    assert!(text.contains("∂L/∂o3 = 0.2447 − 1 = −0.7553"), "{text}");
    // Step 4's matrix form is not numbered in the notes (ERRATA §6).
    assert!(text.contains("by analogy with (79)"), "{text}");
}

/// A shown number as the value it stands for, and half a unit of its last significant digit
/// (of four: the tutor's digits), the most a value rounded to it can be off.
fn shown(text: &str) -> Option<(f64, f64)> {
    let x: f64 = text.trim_start_matches('(').trim_end_matches(')').replace('−', "-").parse().ok()?;
    let unit = if x == 0.0 { 0.0 } else { 10f64.powi(x.abs().log10().floor() as i32 - 3) };
    Some((x, unit / 2.0))
}

/// The sum of products `a·b + (−c)·d` a derivation line shows, redone on its shown numbers.
fn redo_products(arithmetic: &str) -> Option<f64> {
    arithmetic
        .split(" + ")
        .map(|term| term.split('·').map(|factor| shown(factor).map(|(x, _)| x)).product::<Option<f64>>())
        .sum()
}

#[test]
fn the_text_arithmetic_checks_out_at_the_digits_shown() {
    let text = run(&["solve", "notes-example"]);
    // The lines a QA run found off by a digit when solve printed three decimals.
    for line in [
        "∂L/∂w2,1(o) = 0.6652·4 = 2.661",
        "L = −ln 0.2447 = 1.408",
        "ô1 = e^1 / (e^1 + e^3 + e^2) = 0.09003",
        "⇒ ô = [0.09003, 0.6652, 0.2447]",
    ] {
        assert!(text.contains(line), "{line:?} in\n{text}");
    }
    products_check_out("text", |line| {
        let parts: Vec<&str> = line.strip_prefix("    ")?.trim().split(" = ").collect();
        let [_, arithmetic, value] = parts[..] else { return None };
        Some((arithmetic.to_string(), value.to_string()))
    });
}

#[test]
fn the_handouts_arithmetic_checks_out_at_the_digits_shown() {
    products_check_out("markdown", |line| {
        let (_, right) = line.trim_end_matches(r" \\").split_once(" &= ")?;
        let parts: Vec<&str> = right.split(" = ").collect();
        let [arithmetic, value] = parts[..] else { return None };
        Some((arithmetic.replace(r" \cdot ", "·"), value.to_string()))
    });
}

/// Every line of every shipped lesson's solution in `format` that `products` reads as a sum
/// of products (as text) and its value: redone on the shown numbers, it gives the shown value.
fn products_check_out(format: &str, products: impl Fn(&str) -> Option<(String, String)>) {
    let mut checked = 0;
    for lesson in shipped::names() {
        let solution = run(&["solve", lesson, "--format", format]);
        for line in solution.lines() {
            let Some((arithmetic, value)) = products(line) else { continue };
            let (Some(redone), Some((value, slack))) = (redo_products(&arithmetic), shown(&value)) else {
                continue;
            };
            assert!((redone - value).abs() <= slack * (1.0 + 1e-9), "{lesson}: {line} (redone: {redone})");
            checked += 1;
        }
    }
    assert!(checked > 300, "{format}: only {checked} lines of products were found to check");
}

#[test]
fn markdown_is_a_handout() {
    let markdown = run(&["solve", "notes-example", "--format", "markdown"]);
    assert!(markdown.starts_with("# The notes' worked example"), "{markdown}");
    for step in ["Step 1", "Step 2A", "Step 2B", "Step 3A", "Step 3B", "Step 4"] {
        assert!(markdown.contains(&format!("## {step}")), "{step} missing:\n{markdown}");
    }
    assert!(markdown.contains("(60)"), "{markdown}");
}

#[test]
fn list_names_every_shipped_lesson() {
    let text = run(&["list"]);
    let listed: Vec<&str> =
        text.lines().filter(|l| !l.starts_with(' ')).filter_map(|l| l.split_whitespace().next()).collect();
    let shipped: Vec<&str> = shipped::names().collect();
    assert_eq!(listed, shipped, "{text}");
    assert_eq!(shipped.first(), Some(&"notes-example"));
    assert!(!text.contains("broken"), "{text}");
    // The lessons issue 2 asks for, at least.
    for name in ["notes-example", "notes-step2b"] {
        assert!(shipped.contains(&name));
    }
    assert!(shipped.len() >= 7);
}

#[test]
fn shipped_lessons_work_from_any_folder() {
    // An empty folder: nothing there could be mistaken for a lesson file.
    let elsewhere = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("empty-folder");
    std::fs::create_dir_all(&elsewhere).unwrap();
    for name in shipped::names() {
        let output = cargo_bin_cmd!("backprop-tutor")
            .current_dir(&elsewhere)
            .args(["solve", name, "--format", "json"])
            .output()
            .unwrap();
        assert!(output.status.success(), "{name}: {}", String::from_utf8_lossy(&output.stderr));
        let json: Json = serde_json::from_slice(&output.stdout).unwrap();
        // A dataset lesson names each example's ∂L/∂o (DESIGN.md §8).
        let dl_do = &json["quantities"]["dL_do"];
        assert!(dl_do.is_array() || json["quantities"]["dL_do#1"].is_array(), "{name}");
    }
}

#[test]
fn a_lesson_file_and_its_shipped_name_give_the_same_solution() {
    let by_path = cargo_bin_cmd!("backprop-tutor")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["solve", "lessons/notes-example.toml", "--format", "json"])
        .output()
        .unwrap();
    assert!(by_path.status.success());
    let by_path: Json = serde_json::from_slice(&by_path.stdout).unwrap();
    assert_eq!(by_path, solve_json("notes-example"));
}

#[test]
fn every_shipped_lesson_solves_in_every_format_with_finite_numbers() {
    for name in shipped::names() {
        let json = solve_json(name);
        for (quantity, value) in json["quantities"].as_object().unwrap() {
            // serde_json writes NaN and infinities as null, which `numbers` rejects.
            assert!(numbers(value).iter().all(|x| x.is_finite()), "{name}: {quantity} = {value}");
        }
        for format in ["text", "markdown"] {
            assert!(!run(&["solve", name, "--format", format]).is_empty());
        }
    }
}

#[test]
fn one_hidden_layer_has_no_step_3() {
    let json = solve_json("one-hidden-layer");
    assert_eq!(step_ids(&json), ["1", "2A", "2B", "4"]);
    let q = json["quantities"].as_object().unwrap();
    assert!(q.contains_key("do_dh1") && q.contains_key("dL_dW1"));
    assert!(!q.contains_key("h2") && !q.contains_key("dh2_dh1"));
    // No step heading for Step 3 (the description may still mention it).
    let text = run(&["solve", "one-hidden-layer"]);
    assert!(text.lines().any(|l| l.starts_with("Step 4")), "{text}");
    assert!(!text.lines().any(|l| l.starts_with("Step 3")), "{text}");
}

#[test]
fn three_hidden_layers_repeat_step_3_per_layer() {
    let json = solve_json("three-hidden-layers");
    assert_eq!(step_ids(&json), ["1", "2A", "2B", "3A.3", "3B.3", "3A.2", "3B.2", "4"]);
    let asks: Vec<&str> =
        json["steps"].as_array().unwrap().iter().map(|s| s["asks"][0].as_str().unwrap()).collect();
    assert_eq!(asks, ["dL_do", "dL_dh3", "dL_dWo", "dL_dh2", "dL_dW3", "dL_dh1", "dL_dW2", "dL_dW1"]);
    let text = run(&["solve", "three-hidden-layers"]);
    assert!(text.contains("Step 3A.3 (layer 3→2)"), "{text}");
    assert!(text.contains("Step 3A.2 (layer 2→1)"), "{text}");
}

#[test]
fn biases_are_asked_after_their_weights() {
    let json = solve_json("biases");
    assert_eq!(step_ids(&json), ["1", "2A", "2B", "2B.b", "3A", "3B", "3B.b", "4", "4.b"]);
    let q = &json["quantities"];
    // ∂L/∂b(o) = ∂L/∂o.
    assert_eq!(q["dL_dbo"], q["dL_do"]);
    assert!(q["dL_db1"].is_array() && q["dL_db2"].is_array());
}

#[test]
fn mse_step_1_is_the_error() {
    let json = solve_json("mse");
    let q = &json["quantities"];
    assert!(q.get("o_hat").is_none());
    let o = numbers(&q["o"]);
    let dl_do = numbers(&q["dL_do"]);
    assert_eq!(dl_do, [o[0] - 1.0, o[1] - 4.0]);
    assert_eq!(json["steps"][0]["asks"], serde_json::json!(["dL_do"]));
}

#[test]
fn large_logits_stay_finite_in_json() {
    let json = solve_json("large-logits");
    let q = &json["quantities"];
    assert_eq!(numbers(&q["o"]), [1000.0, -1000.0, 999.0]);
    let t = (-1.0f64).exp();
    let loss = q["loss"].as_f64().unwrap();
    assert!((loss - (1.0 + t.ln_1p())).abs() < 1e-12, "{loss}");
    let o_hat = numbers(&q["o_hat"]);
    assert!((o_hat[0] - 1.0 / (1.0 + t)).abs() < 1e-15 && o_hat[1] == 0.0, "{o_hat:?}");
}

#[test]
fn huge_numbers_print_in_powers_of_ten_and_a_saturated_loss_says_so() {
    let notes =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/lessons/notes-example.toml")).unwrap();
    let huge = notes.replace("weights = [[1, 3], [2, -1]]", "weights = [[1e300, 3], [2, -1]]");
    assert_ne!(huge, notes, "the notes' W(2) was not found to change");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.toml");
    std::fs::write(&path, huge).unwrap();
    let path = path.to_str().unwrap();
    for format in ["text", "markdown"] {
        let text = run(&["solve", path, "--format", format]);
        let longest = text.split(|c: char| !c.is_ascii_digit()).map(str::len).max().unwrap_or(0);
        assert!(longest < 20, "{format}: a number of {longest} digits in\n{text}");
    }
    let text = run(&["solve", path]);
    for line in ["z1(2) = 1e300·1 + 3·1 = 1e300", "⇒ o = [1, 1e300, 5e299]", "⇒ L = 5e299"] {
        assert!(text.contains(line), "{line:?} in\n{text}");
    }
    // ô3 underflows to 0, but L = 5e299 is right: it is found from the logits, not as −ln 0.
    assert!(!text.contains("−ln 0 ="), "{text}");
    assert!(text.contains("L = 5e299: ô_y underflows f64 to 0"), "{text}");
    // The handout says the same, in its LaTeX.
    let markdown = run(&["solve", path, "--format", "markdown"]);
    assert!(!markdown.contains(r"-\ln 0"), "{markdown}");
    assert!(markdown.contains(r"\text{($\hat o_y$ underflows to 0: the softmax saturates"), "{markdown}");
}

#[test]
fn json_is_byte_for_byte_what_it_was_for_every_shipped_lesson() {
    // The fixtures are the output before issue 16's speed work (the training lessons': as
    // they were merged, checked against benches/reference first); faster loading and writing
    // must not change a byte, whether the lesson is read from its file or from the binary.
    let root = env!("CARGO_MANIFEST_DIR");
    for name in shipped::names() {
        let expected =
            std::fs::read_to_string(format!("{root}/tests/fixtures/solve-json/{name}.json")).unwrap();
        for spec in [name.to_string(), format!("{root}/lessons/{name}.toml")] {
            let json = run(&["solve", &spec, "--format", "json"]);
            assert!(json == expected, "{spec}: the JSON changed:\n{json}\nwas:\n{expected}");
        }
    }
}

#[cfg(unix)]
#[test]
fn a_lesson_read_from_a_pipe_is_solved_and_a_bad_one_explained() {
    // The loader reads a lesson again to point at what is wrong; a pipe cannot be read twice,
    // so the message comes without its place, but with the rest of what it says.
    let good =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/lessons/notes-example.toml")).unwrap();
    let output =
        cargo_bin_cmd!("backprop-tutor").args(["solve", "/dev/stdin"]).write_stdin(good).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let bad = "title = \"t\"\n[network]\ninput = [1, 2]\nlabel = 1\n[[network.layers]]\nweights = [[1, 2], [3]]\n\
               [[network.layers]]\nweights = [[1, 2]]\n";
    let output =
        cargo_bin_cmd!("backprop-tutor").args(["solve", "/dev/stdin"]).write_stdin(bad).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(
        stderr.trim_end(),
        "error: /dev/stdin: layer 1: weights row 2 has 1 entry but row 1 has 2 (every row needs one entry per \
         unit of the layer below)"
    );
}
