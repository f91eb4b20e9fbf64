//! `check` on the training steps through the binary (DESIGN.md §8): every new question graded
//! right when it is right, each of the four training mistakes diagnosed where a lesson makes it
//! visible, error carried forward through the sum, the update and the loss after it, and the
//! `#n` names in every output. The wrong answers are computed here from the lesson's own
//! numbers (`solve --format json`), each the way a learner making that mistake would.

#[path = "support/check.rs"]
mod support;

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
    let dir = folder(&[("answers.toml", file)]);
    let run = check(&[lesson, path(&dir.path().join("answers.toml")), "--format", "json"]);
    json(&run)
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
