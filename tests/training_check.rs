//! `check` on the training steps through the binary (DESIGN.md §8): every new question graded
//! right when it is right, each of the four training mistakes diagnosed where a lesson makes it
//! visible, error carried forward through the sum, the update and the loss after it, and the
//! `#n` names in every output. The wrong answers are computed here from the lesson's own
//! numbers (`solve --format json`), each the way a learner making that mistake would.

use crate::support::check as support;

use assert_cmd::cargo::cargo_bin_cmd;
use serde_json::Value as Json;
use support::{check, folder, json, path};

fn solve(lesson: &str) -> Json {
    let output =
        cargo_bin_cmd!("backprop-tutor").args(["solve", lesson, "--format", "json"]).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).unwrap()
}

/// A quantity's value: a number, a vector or rows.
#[derive(Clone, Debug, PartialEq)]
struct Numbers(Json);

impl Numbers {
    fn of(solved: &Json, name: &str) -> Numbers {
        let value = solved["quantities"].get(name).unwrap_or_else(|| panic!("no {name}"));
        Numbers(value.clone())
    }

    /// Entry by entry with `other`: a·self + b·other.
    fn combine(&self, a: f64, other: &Numbers, b: f64) -> Numbers {
        fn go(x: &Json, y: &Json, a: f64, b: f64) -> Json {
            match (x, y) {
                (Json::Array(xs), Json::Array(ys)) => {
                    Json::Array(xs.iter().zip(ys).map(|(x, y)| go(x, y, a, b)).collect())
                }
                _ => Json::from(a * x.as_f64().unwrap() + b * y.as_f64().unwrap()),
            }
        }
        Numbers(go(&self.0, &other.0, a, b))
    }

    fn scaled(&self, k: f64) -> Numbers {
        self.combine(k, self, 0.0)
    }

    /// As an answer file writes it: a TOML number or array.
    fn toml(&self) -> String {
        self.0.to_string()
    }
}

/// An answer file: `name = value` lines.
fn answers(lines: &[(&str, Numbers)]) -> String {
    lines.iter().map(|(name, value)| format!("\"{name}\" = {}\n", value.toml())).collect()
}

/// Every question of `lesson` answered with its true value.
fn right_answers(lesson: &str) -> Vec<(String, Numbers)> {
    let solved = solve(lesson);
    let asked: Vec<String> = solved["steps"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|step| step["asks"].as_array().unwrap().iter().map(|a| a.as_str().unwrap().to_string()))
        .collect();
    asked.into_iter().map(|name| (name.clone(), Numbers::of(&solved, &name))).collect()
}

/// `right` with some answers replaced.
fn with(right: &[(String, Numbers)], replaced: &[(&str, Numbers)]) -> String {
    let lines: Vec<(&str, Numbers)> = right
        .iter()
        .map(|(name, value)| {
            let wrong = replaced.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone());
            (name.as_str(), wrong.unwrap_or_else(|| value.clone()))
        })
        .collect();
    answers(&lines)
}

/// The result of `quantity` in `check --format json` of one answer file.
fn result<'a>(report: &'a Json, quantity: &str) -> &'a Json {
    let results = report["submissions"][0]["results"].as_array().unwrap();
    results.iter().find(|r| r["quantity"] == quantity).unwrap_or_else(|| panic!("no {quantity} in {report}"))
}

fn graded(lesson: &str, file: &str) -> Json {
    graded_with(lesson, file, &[])
}

/// [`graded`] with more options (`--strict`).
fn graded_with(lesson: &str, file: &str, options: &[&str]) -> Json {
    let dir = folder(&[("answers.toml", file)]);
    let answers = dir.path().join("answers.toml");
    let mut args = vec![lesson, path(&answers), "--format", "json"];
    args.extend(options);
    json(&check(&args))
}

/// A folder holding `batch-mean` with `tables` appended (tolerances of its own), and the
/// lesson's path in it.
fn batch_mean_with(tables: &str) -> (tempfile::TempDir, String) {
    let shipped = concat!(env!("CARGO_MANIFEST_DIR"), "/lessons/batch-mean.toml");
    let text = std::fs::read_to_string(shipped).unwrap();
    let dir = folder(&[("lesson.toml", &format!("{text}\n{tables}"))]);
    let lesson = path(&dir.path().join("lesson.toml")).to_string();
    (dir, lesson)
}

/// The true value of `name` among the `right` answers.
fn answer<'a>(right: &'a [(String, Numbers)], name: &str) -> &'a Numbers {
    &right.iter().find(|(n, _)| n == name).unwrap_or_else(|| panic!("{name} is not asked")).1
}

/// Every answer of `batch-mean` right, but those to `names` scaled by `factor`.
fn batch_mean_scaled(names: &[&str], factor: f64) -> String {
    let right = right_answers("batch-mean");
    let scaled: Vec<(&str, Numbers)> =
        names.iter().map(|&name| (name, answer(&right, name).scaled(factor))).collect();
    with(&right, &scaled)
}

#[test]
fn right_answers_to_every_training_question_earn_every_point() {
    for lesson in ["notes-update", "batch-mean"] {
        let right = right_answers(lesson);
        let dir = folder(&[("answers.toml", &with(&right, &[]))]);
        let run = check(&[lesson, path(&dir.path().join("answers.toml"))]);
        assert_eq!(run.code, 0, "{lesson}:\n{}{}", run.stdout, run.stderr);
        let points = right.len();
        assert!(run.stdout.contains(&format!("answers.toml: {points} of {points} points")), "{}", run.stdout);
    }
    // The names a learner writes: every example's steps, the totals, the update.
    let names: Vec<String> = right_answers("batch-mean").into_iter().map(|(name, _)| name).collect();
    for name in ["dL_do#1", "dL_dW1#3", "loss", "dL_dWo", "W1_new", "Wo_new", "loss_new"] {
        assert!(names.contains(&name.to_string()), "{name} in {names:?}");
    }
}

#[test]
fn a_step_uphill_and_a_step_without_eta_are_diagnosed() {
    let solved = solve("notes-update");
    let right = right_answers("notes-update");
    let eta = 0.1;
    let weights = |l: usize| Numbers(solved_weights(l));
    let g1 = Numbers::of(&solved, "dL_dW1");
    let g2 = Numbers::of(&solved, "dL_dW2");
    let ascent = weights(1).combine(1.0, &g1, eta);
    let forgot = weights(2).combine(1.0, &g2, -1.0);
    let report = graded("notes-update", &with(&right, &[("W1_new", ascent), ("W2_new", forgot)]));
    let w1 = result(&report, "W1_new");
    assert_eq!(
        (w1["verdict"].as_str(), w1["diagnosis"].as_str()),
        (Some("incorrect"), Some("ascent")),
        "{w1}"
    );
    assert!(w1["message"].as_str().unwrap().contains("W(1)_new = W(1) − η ∂L/∂W(1)"), "{w1}");
    let w2 = result(&report, "W2_new");
    assert_eq!(
        (w2["verdict"].as_str(), w2["diagnosis"].as_str()),
        (Some("incorrect"), Some("forgot_eta")),
        "{w2}"
    );
    assert_eq!(result(&report, "Wo_new")["verdict"], "correct");
    // The true loss after the step stays correct, whatever the weights answered.
    assert_eq!(result(&report, "loss_new")["verdict"], "correct");
}

/// W(l) of notes-update (Wo for l = 3), from the lesson file's numbers.
fn solved_weights(l: usize) -> Json {
    let text = backprop_tutor::lesson::shipped::source("notes-update").unwrap();
    let file: backprop_tutor::lesson::LessonFile = toml::from_str(text).unwrap();
    serde_json::to_value(&file.network.layers[l - 1].weights).unwrap()
}

#[test]
fn the_loss_after_a_wrong_step_is_carried_from_it_and_after_an_uphill_one_diagnosed() {
    let solved = solve("notes-update");
    let right = right_answers("notes-update");
    let g1 = Numbers::of(&solved, "dL_dW1");
    let uphill = Numbers(solved_weights(1)).combine(1.0, &g1, 0.1);
    // The loss with that W(1) (and the right W(2), W(o)), from a lesson written with it.
    let lesson_after = |w1: &Numbers, w2: &Json, wo: &Json| {
        format!(
            "title = \"after\"\n[network]\ninput = [1, 1, 1]\nlabel = 3\n[[network.layers]]\nweights = {}\n\
             [[network.layers]]\nweights = {}\n[[network.layers]]\nweights = {}\n",
            w1.toml(),
            w2,
            wo
        )
    };
    let loss_with = |text: String| {
        let dir = folder(&[("after.toml", &text)]);
        Numbers::of(&solve(path(&dir.path().join("after.toml"))), "loss")
    };
    let w2_new = solved["quantities"]["W2_new"].clone();
    let wo_new = solved["quantities"]["Wo_new"].clone();
    let carried = loss_with(lesson_after(&uphill, &w2_new, &wo_new));
    let report = graded("notes-update", &with(&right, &[("W1_new", uphill.clone()), ("loss_new", carried)]));
    let loss = result(&report, "loss_new");
    assert_eq!(loss["verdict"], "carried", "{loss}");
    assert!(loss["message"].as_str().unwrap().contains("W1_new"), "{loss}");

    // Every weight stepped uphill, the weights themselves answered right: the loss is `ascent`.
    let all_uphill = ["W1_new", "W2_new", "Wo_new"].map(|name| {
        let gradient = Numbers::of(&solved, &name.replace("W", "dL_dW").replace("_new", ""));
        let l = match name {
            "W1_new" => 1,
            "W2_new" => 2,
            _ => 3,
        };
        Numbers(solved_weights(l)).combine(1.0, &gradient, 0.1)
    });
    let uphill_loss = loss_with(lesson_after(&all_uphill[0], &all_uphill[1].0, &all_uphill[2].0));
    let report = graded("notes-update", &with(&right, &[("loss_new", uphill_loss)]));
    let loss = result(&report, "loss_new");
    assert_eq!(
        (loss["verdict"].as_str(), loss["diagnosis"].as_str()),
        (Some("incorrect"), Some("ascent")),
        "{loss}"
    );
}

#[test]
fn the_totals_of_a_mean_batch_diagnose_a_sum_and_one_example() {
    let solved = solve("batch-mean");
    let right = right_answers("batch-mean");
    let sum = |name: &str| {
        let of = |n: usize| Numbers::of(&solved, &format!("{name}#{n}"));
        of(1).combine(1.0, &of(2), 1.0).combine(1.0, &of(3), 1.0)
    };
    let w = |l: usize| Numbers(solved_weights_of("batch-mean", l));
    let report = graded(
        "batch-mean",
        &with(
            &right,
            &[
                ("dL_dW1", sum("dL_dW1")),
                ("dL_dW2", Numbers::of(&solved, "dL_dW2#2")),
                ("loss", Numbers::of(&solved, "loss#3")),
                ("W1_new", w(1).combine(1.0, &sum("dL_dW1"), -0.1)),
                ("W2_new", w(2).combine(1.0, &Numbers::of(&solved, "dL_dW2#2"), -0.1)),
            ],
        ),
    );
    for (quantity, diagnosis) in
        [("dL_dW1", "mean_vs_sum"), ("dL_dW2", "one_example"), ("loss", "one_example")]
    {
        let r = result(&report, quantity);
        assert_eq!(
            (r["verdict"].as_str(), r["diagnosis"].as_str()),
            (Some("incorrect"), Some(diagnosis)),
            "{r}"
        );
        assert_eq!(r["step"], "sum");
    }
    let message = result(&report, "dL_dW1")["message"].as_str().unwrap().to_string();
    assert!(message.contains("reduction = \"mean\"") && message.contains("N = 3"), "{message}");
    assert!(result(&report, "dL_dW2")["message"].as_str().unwrap().contains("example 2"));
    // The updates follow from those wrong totals: carried.
    for quantity in ["W1_new", "W2_new"] {
        assert_eq!(result(&report, quantity)["verdict"], "carried", "{quantity}");
    }
}

#[test]
fn a_step_with_the_sum_or_one_example_is_diagnosed_at_step_5() {
    let solved = solve("batch-mean");
    let right = right_answers("batch-mean");
    let w = |l: usize| Numbers(solved_weights_of("batch-mean", l));
    let total = |name: &str| {
        let of = |n: usize| Numbers::of(&solved, &format!("{name}#{n}"));
        of(1).combine(1.0, &of(2), 1.0).combine(1.0, &of(3), 1.0)
    };
    let with_sum = w(1).combine(1.0, &total("dL_dW1"), -0.1);
    let with_one = w(3).combine(1.0, &Numbers::of(&solved, "dL_dWo#1"), -0.1);
    let report = graded("batch-mean", &with(&right, &[("W1_new", with_sum), ("Wo_new", with_one)]));
    let w1 = result(&report, "W1_new");
    assert_eq!((w1["diagnosis"].as_str(), w1["step"].as_str()), (Some("mean_vs_sum"), Some("5")), "{w1}");
    let wo = result(&report, "Wo_new");
    assert_eq!(wo["diagnosis"], "one_example", "{wo}");
    assert!(wo["message"].as_str().unwrap().contains("example 1"), "{wo}");
}

fn solved_weights_of(lesson: &str, l: usize) -> Json {
    let text = backprop_tutor::lesson::shipped::source(lesson).unwrap();
    let file: backprop_tutor::lesson::LessonFile = toml::from_str(text).unwrap();
    serde_json::to_value(&file.network.layers[l - 1].weights).unwrap()
}

#[test]
fn totals_carry_from_wrong_answers_of_one_example() {
    let solved = solve("batch-mean");
    let right = right_answers("batch-mean");
    // Example 2's ∂L/∂W(2) with its sign flipped; the mean taken of what was answered.
    let wrong = Numbers::of(&solved, "dL_dW2#2").scaled(-1.0);
    let of = |n: usize| Numbers::of(&solved, &format!("dL_dW2#{n}"));
    let followed = of(1).combine(1.0, &wrong, 1.0).combine(1.0, &of(3), 1.0).scaled(1.0 / 3.0);
    let report = graded("batch-mean", &with(&right, &[("dL_dW2#2", wrong), ("dL_dW2", followed.clone())]));
    assert_eq!(result(&report, "dL_dW2#2")["diagnosis"], "sign_flipped");
    let total = result(&report, "dL_dW2");
    assert_eq!(total["verdict"], "carried", "{total}");
    // Under --strict the same answer earns nothing.
    let dir = folder(&[("a.toml", &with(&right, &[("dL_dW2", followed)]))]);
    let run = check(&["batch-mean", path(&dir.path().join("a.toml")), "--strict", "--format", "json"]);
    assert_eq!(result(&json(&run), "dL_dW2")["verdict"], "incorrect");
}

#[test]
fn formula_answers_use_example_names_and_eta() {
    let right = right_answers("batch-mean");
    let mut file = with(&right, &[]);
    file = file.replace(
        &format!("\"dL_dW1\" = {}\n", right.iter().find(|(n, _)| n == "dL_dW1").unwrap().1.toml()),
        "\"dL_dW1\" = \"(dL_dW1#1 + dL_dW1#2 + dL_dW1#3) / 3\"\n",
    );
    file = file.replace(
        &format!("\"W2_new\" = {}\n", right.iter().find(|(n, _)| n == "W2_new").unwrap().1.toml()),
        "\"W2_new\" = \"W2 - eta * dL_dW2\"\n",
    );
    assert!(file.contains("eta * dL_dW2") && file.contains("dL_dW1#3) / 3"));
    let report = graded("batch-mean", &file);
    for quantity in ["dL_dW1", "W2_new"] {
        assert_eq!(result(&report, quantity)["verdict"], "correct", "{}", result(&report, quantity));
    }
    // The sum where the lesson averages: a formula that is wrong in general.
    let summed = with(&right, &[]).replace(
        &format!("\"dL_dW1\" = {}\n", right.iter().find(|(n, _)| n == "dL_dW1").unwrap().1.toml()),
        "\"dL_dW1\" = \"dL_dW1#1 + dL_dW1#2 + dL_dW1#3\"\n",
    );
    let r = graded("batch-mean", &summed);
    assert_eq!(result(&r, "dL_dW1")["diagnosis"], "mean_vs_sum");
}

#[test]
fn every_output_names_example_questions_with_their_number() {
    let right = right_answers("batch-mean");
    let dir = folder(&[("a.toml", &with(&right, &[]))]);
    let file = dir.path().join("a.toml");
    let csv = check(&["batch-mean", path(&file), "--format", "csv"]);
    let header = csv.stdout.lines().next().unwrap();
    assert!(
        header.contains(",dL_do#1,") && header.contains(",dL_dW1#3,") && header.ends_with(",loss_new"),
        "{header}"
    );
    let text = check(&["batch-mean", path(&file)]);
    assert!(
        text.stdout.contains("Step 2A#3")
            && text.stdout.contains("Step sum")
            && text.stdout.contains("Step 6")
    );
    let gradescope = check(&["batch-mean", path(&file), "--format", "gradescope"]);
    let tests = json(&gradescope)["tests"].as_array().unwrap().clone();
    let names: Vec<&str> = tests.iter().map(|t| t["name"].as_str().unwrap()).collect();
    assert!(names.contains(&"Step 1#2: dL/do#2") && names.contains(&"Step 5: W(1)_new"), "{names:?}");
    // A key a dataset lesson does not have is a warning that says why.
    let dir = folder(&[("b.toml", "z1 = [1, 1]\n\"dL_do#4\" = [1, 2, 3]\n\"W1_new#1\" = 1\n")]);
    let run = check(&["batch-mean", path(&dir.path().join("b.toml"))]);
    for warning in [
        "'z1' is not a quantity of this lesson: z1 is one example's",
        "there is no example 4",
        "W1_new belongs to the whole dataset",
    ] {
        assert!(
            run.stderr.contains(warning) || run.stdout.contains(warning),
            "{warning}:\n{}{}",
            run.stdout,
            run.stderr
        );
    }
}

// ------------------------------------------------------------ the grading rules, per example

#[test]
fn no_tolerance_makes_zeros_correct_for_an_example_or_a_total() {
    // atol = 5 would pass zeros for ∂L/∂o#2, atol = 100 for the total ∂L/∂W(o).
    let (_dir, lesson) = batch_mean_with("[check.\"dL_do#2\"]\natol = 5\n\n[check.dL_dWo]\natol = 100\n");
    let file = batch_mean_scaled(&["dL_do#2", "dL_dh2#2", "dL_dWo"], 0.0);
    let report = graded(&lesson, &file);
    for quantity in ["dL_do#2", "dL_dWo"] {
        let r = result(&report, quantity);
        assert_eq!((r["verdict"].as_str(), r["credit"].as_f64()), (Some("incorrect"), Some(0.0)), "{r}");
        assert!(r["message"].as_str().unwrap().starts_with("Every entry is 0"), "{r}");
    }
    // Zeros that follow from those zeros show no work either.
    let next = result(&report, "dL_dh2#2");
    assert_eq!((next["verdict"].as_str(), next["credit"].as_f64()), (Some("incorrect"), Some(0.0)), "{next}");
    assert!(next["message"].as_str().unwrap().contains("all zeros"), "{next}");
    // The other examples' answers are untouched.
    assert_eq!(result(&report, "dL_do#1")["verdict"], "correct");
    // lint names both tables.
    let lint = cargo_bin_cmd!("backprop-tutor").arg("lint").arg(&lesson).output().unwrap();
    let stdout = String::from_utf8(lint.stdout).unwrap();
    assert_eq!(lint.status.code(), Some(1), "{stdout}");
    for finding in [
        "loose_tolerance: dL_do#2: at its tolerance (rtol = 0.01, atol = 5)",
        "loose_tolerance: dL_dWo: at its tolerance (rtol = 0.01, atol = 100)",
    ] {
        assert!(stdout.contains(finding), "{finding}:\n{stdout}");
    }
}

#[test]
fn a_loose_tolerance_on_an_examples_answer_passes_nothing_on_as_correct() {
    // rtol = 0.6 makes a halved ∂L/∂o#2 correct; the ∂L/∂h(2)#2 that follows from it is then a
    // carry (no credit under --strict), not a rounding of a right answer.
    let (_dir, lesson) = batch_mean_with("[check.\"dL_do#2\"]\nrtol = 0.6\n");
    let file = batch_mean_scaled(&["dL_do#2", "dL_dh2#2"], 0.5);
    let report = graded_with(&lesson, &file, &["--strict"]);
    assert_eq!(result(&report, "dL_do#2")["verdict"], "correct");
    let next = result(&report, "dL_dh2#2");
    assert_eq!((next["verdict"].as_str(), next["credit"].as_f64()), (Some("carried"), Some(0.0)), "{next}");
    assert_eq!(next["carried_from"], serde_json::json!(["dL_do#2"]), "{next}");
}

#[test]
fn a_formula_may_use_only_earlier_answers_in_the_training_order() {
    // ∂L/∂o read back from Step 5's W(o)_new = W(o) − η ∂L/∂W(o): a right update must not make
    // Step 1 correct.
    let right = right_answers("notes-update");
    let cheat = "\"((Wo - Wo_new) / eta * h2)' / (h2' * h2)\"";
    let file = with(&right, &[]).replacen(
        &format!("\"dL_do\" = {}", right[0].1.toml()),
        &format!("\"dL_do\" = {cheat}"),
        1,
    );
    assert!(file.contains("Wo_new) / eta"), "{file}");
    let report = graded("notes-update", &file);
    let step_1 = result(&report, "dL_do");
    assert_eq!(step_1["verdict"], "invalid", "{step_1}");
    assert!(
        step_1["message"]
            .as_str()
            .unwrap()
            .contains("Wo_new is Step 5, after Step 1: a formula may use only earlier answers"),
        "{step_1}"
    );
    // With a dataset: the total of Step sum comes after every example's steps, and a later
    // example's answer after this one's.
    let right = right_answers("batch-mean");
    let answer_of =
        |name: &str| format!("\"{name}\" = {}", right.iter().find(|(n, _)| n == name).unwrap().1.toml());
    let file = with(&right, &[])
        .replacen(
            &answer_of("dL_do#1"),
            "\"dL_do#1\" = \"((3 * dL_dWo - dL_dWo#2 - dL_dWo#3) * h2#1)' / (h2#1' * h2#1)\"",
            1,
        )
        .replacen(&answer_of("dL_dWo#3"), "\"dL_dWo#3\" = \"3 * dL_dWo - dL_dWo#1 - dL_dWo#2\"", 1)
        .replacen(&answer_of("dL_dh2#1"), "\"dL_dh2#1\" = \"dL_do#2 * Wo\"", 1);
    let report = graded("batch-mean", &file);
    for (quantity, why) in [
        ("dL_do#1", "dL_dWo is Step sum, after Step 1#1"),
        ("dL_dWo#3", "dL_dWo is Step sum, after Step 2B#3"),
        ("dL_dh2#1", "dL_do#2 is Step 1#2, after Step 2A#1"),
    ] {
        let r = result(&report, quantity);
        assert_eq!(r["verdict"], "invalid", "{r}");
        assert!(
            r["message"]
                .as_str()
                .unwrap()
                .contains(&format!("{why}: a formula may use only earlier answers")),
            "{r}"
        );
    }
    // The total itself may use every example's answer: they come before it.
    assert_eq!(result(&report, "dL_dWo")["verdict"], "correct");
}

#[test]
fn an_examples_quantity_given_whole_and_by_an_entry_is_given_twice() {
    let right = right_answers("batch-mean");
    let dl_do_2 = answer(&right, "dL_do#2").clone();
    let third = dl_do_2.0[2].clone();
    let file = format!(
        "\"dL_do#2\" = {}\n\"dL_do#2[3]\" = {third}\n\"dL_do#1[3]\" = 1\n\"dL_do#3[4]\" = 1\n",
        dl_do_2.toml()
    );
    let submission = graded("batch-mean", &file)["submissions"][0].clone();
    let results = submission["results"].as_array().unwrap();
    let of = |quantity: &str| results.iter().find(|r| r["quantity"] == quantity).unwrap();
    assert_eq!(of("dL_do#2")["verdict"], "invalid", "{}", of("dL_do#2"));
    let warnings = submission["warnings"].to_string();
    assert!(warnings.contains("dL_do#2 is given twice, as 'dL_do#2' and 'dL_do#2[3]'"), "{warnings}");
    assert!(!warnings.contains("'dL_do#2[3]' is not asked"), "one warning for the pair: {warnings}");
    // Another example's entry alone is too few entries of that example's question, and an
    // index past the end is told the range of that example's quantity.
    assert!(!warnings.contains("'dL_do#1[3]' is not asked"), "{warnings}");
    let message = of("dL_do#1")["message"].as_str().unwrap();
    assert!(message.contains("gives 1 of its 3 entries"), "{message}");
    assert!(
        warnings.contains(
            "'dL_do#3[4]' is no entry of dL_do#3: entries are numbered from 1, and dL_do#3 is a vector of 3"
        ),
        "{warnings}"
    );
    assert_eq!(of("dL_do#1")["verdict"], "missing");
    // Every entry of an example's quantity, each by its own key, is that whole.
    let entries: String = (0..3).map(|i| format!("\"dL_do#2[{}]\" = {}\n", i + 1, dl_do_2.0[i])).collect();
    let submission = graded("batch-mean", &entries)["submissions"][0].clone();
    let results = submission["results"].as_array().unwrap();
    let dl_do = results.iter().find(|r| r["quantity"] == "dL_do#2").unwrap();
    assert_eq!(dl_do["verdict"], "correct", "{dl_do}");
    assert!(!submission["warnings"].to_string().contains("not asked"), "{}", submission["warnings"]);
}
