//! Training lessons (DESIGN.md §8): a dataset's per-example quantities, its totals, the update
//! and the loss after it, each against an independent route: the single-example lesson of each
//! example, centered finite differences of the total loss, a lesson written with the updated
//! weights, and the first-order change of the loss. Then the validation of `[train]` and
//! `[[data]]`.

use backprop_tutor::engine::Solution;
use backprop_tutor::engine::training::check_totals;
use backprop_tutor::lesson::{Lesson, load_lesson, parse_lesson};
use backprop_tutor::quantity::{Quantity, QuantityRef};
use backprop_tutor::value::Value;

/// The layers of the notes' network, for lessons made here.
const LAYERS: &str = r#"
[[network.layers]]
weights = [[1, 0, 0], [0, 1, 0]]
[[network.layers]]
weights = [[1, 3], [2, -1]]
[[network.layers]]
weights = [[0, 1], [1, -1], [0.5, 0]]
"#;

/// Biases, tanh and ReLU: the layers of the dataset lessons made here.
const TANH_LAYERS: &str = r#"
[[network.layers]]
weights = [[0.5, -0.3, 0.2], [0.1, 0.4, -0.6]]
bias = [0.1, -0.2]
[[network.layers]]
weights = [[1.0, -1.5], [0.7, 0.2]]
activation = "relu"
[[network.layers]]
weights = [[0.6, -0.4], [-0.3, 0.9], [0.2, 0.5]]
bias = [0.0, 0.1, -0.1]
"#;

/// The three examples of [`dataset`]: input and label.
const EXAMPLES: [(&str, usize); 3] = [("[1, 2, -1]", 1), ("[-0.5, 1, 2]", 3), ("[2, -1, 0.5]", 2)];

/// A softmax lesson over the three [`EXAMPLES`], by `reduction`, with a step of size `eta`.
fn dataset(reduction: &str, eta: f64) -> Lesson {
    let data: String = EXAMPLES
        .iter()
        .map(|(input, label)| format!("[[data]]\ninput = {input}\nlabel = {label}\n"))
        .collect();
    let text = format!(
        "title = \"dataset\"\n[network]\nactivation = \"tanh\"\nreduction = \"{reduction}\"\n{TANH_LAYERS}\n{data}\
         [train]\nlearning_rate = {eta}\n"
    );
    parse_lesson("dataset", &text).unwrap()
}

/// Example `n` of [`dataset`] as a lesson of its own.
fn alone(n: usize) -> Lesson {
    let (input, label) = EXAMPLES[n - 1];
    let text = format!(
        "title = \"alone\"\n[network]\ninput = {input}\nlabel = {label}\nactivation = \"tanh\"\n{TANH_LAYERS}"
    );
    parse_lesson("alone", &text).unwrap()
}

fn value(solution: &Solution, name: &str) -> Value {
    let reference: QuantityRef = name.parse().unwrap();
    solution.value_of(&reference).unwrap_or_else(|| panic!("no {name}"))
}

fn entries(solution: &Solution, name: &str) -> Vec<f64> {
    value(solution, name).entries()
}

fn assert_close(a: &[f64], b: &[f64], tolerance: f64, what: &str) {
    assert_eq!(a.len(), b.len(), "{what}");
    for (x, y) in a.iter().zip(b) {
        assert!((x - y).abs() <= tolerance * (1.0 + y.abs()), "{what}: {a:?} vs {b:?}");
    }
}

#[test]
fn each_example_has_the_quantities_of_its_own_lesson() {
    let lesson = dataset("mean", 0.1);
    let solution = Solution::new(lesson.network());
    for n in 1..=3 {
        let own = Solution::new(alone(n).network());
        for (name, expected) in own.quantities() {
            if name.quantity.is_update() {
                continue;
            }
            let of_example = QuantityRef { example: Some(n), ..name.clone() };
            let got = solution.value_of(&of_example).unwrap_or_else(|| panic!("no {of_example}"));
            assert_eq!(got, expected, "{of_example}: per-example values are that example's own, unscaled");
        }
    }
}

#[test]
fn totals_add_up_or_average_the_examples() {
    for (reduction, scale) in [("sum", 1.0), ("mean", 1.0 / 3.0)] {
        let solution = Solution::new(dataset(reduction, 0.1).network());
        for name in ["loss", "dL_dWo", "dL_dbo", "dL_dW2", "dL_dW1", "dL_db1"] {
            let total = entries(&solution, name);
            let mut sum = vec![0.0; total.len()];
            for n in 1..=3 {
                for (s, x) in sum.iter_mut().zip(entries(&solution, &format!("{name}#{n}"))) {
                    *s += x;
                }
            }
            let expected: Vec<f64> = sum.iter().map(|s| s * scale).collect();
            assert_close(&total, &expected, 1e-12, &format!("{reduction} {name}"));
        }
    }
}

#[test]
fn totals_agree_with_finite_differences_of_the_total_loss() {
    for lesson in [dataset("sum", 0.1), dataset("mean", 0.1), load_lesson("batch-mean").unwrap()] {
        let solution = Solution::new(lesson.network());
        let comparisons = check_totals(&solution);
        assert!(comparisons.len() >= 3, "every weight and bias total is checked");
        for c in comparisons {
            assert!(c.relative_error < 1e-6, "{}: {:e}", c.quantity, c.relative_error);
            assert_eq!(c.kink_entries, 0, "{} crossed a kink", c.quantity);
        }
    }
}

#[test]
fn the_update_steps_against_the_finite_difference_gradient() {
    let eta = 0.05;
    let lesson = dataset("mean", eta);
    let solution = Solution::new(lesson.network());
    let network = lesson.network();
    // W − η·∂L/∂W, with a total gradient that finite differences of the total loss confirm.
    let checked = |gradient: &str| -> Vec<f64> {
        let analytic = entries(&solution, gradient);
        let relative = check_totals(&solution)
            .into_iter()
            .find(|c| c.quantity.to_string() == gradient)
            .map(|c| c.relative_error)
            .unwrap();
        assert!(relative < 1e-6, "{gradient}");
        analytic
    };
    for (new, weights, gradient) in [
        ("W1_new", network.layer(1).weights().clone(), "dL_dW1"),
        ("W2_new", network.layer(2).weights().clone(), "dL_dW2"),
        ("Wo_new", network.output().weights().clone(), "dL_dWo"),
    ] {
        let g = checked(gradient);
        let w: Vec<f64> = weights.row_iter().flat_map(|r| r.iter().copied().collect::<Vec<_>>()).collect();
        let expected: Vec<f64> = w.iter().zip(&g).map(|(w, g)| w - eta * g).collect();
        assert_close(&entries(&solution, new), &expected, 1e-12, new);
    }
    let b: Vec<f64> = network.layer(1).bias().unwrap().iter().copied().collect();
    let expected: Vec<f64> = b.iter().zip(entries(&solution, "dL_db1")).map(|(b, g)| b - eta * g).collect();
    assert_close(&entries(&solution, "b1_new"), &expected, 1e-12, "b1_new");
}

/// `W` as TOML rows.
fn rows(value: &Value) -> String {
    let Value::Matrix(m) = value else { panic!("a matrix") };
    let row =
        |r: Vec<f64>| format!("[{}]", r.iter().map(|x| format!("{x:?}")).collect::<Vec<_>>().join(", "));
    format!("[{}]", m.row_iter().map(|r| row(r.iter().copied().collect())).collect::<Vec<_>>().join(", "))
}

#[test]
fn the_loss_after_the_step_is_the_loss_of_a_lesson_with_the_new_weights() {
    let solution = Solution::new(load_lesson("notes-update").unwrap().network());
    let text = format!(
        "title = \"after\"\n[network]\ninput = [1, 1, 1]\nlabel = 3\n[[network.layers]]\nweights = {}\n\
         [[network.layers]]\nweights = {}\n[[network.layers]]\nweights = {}\n",
        rows(&value(&solution, "W1_new")),
        rows(&value(&solution, "W2_new")),
        rows(&value(&solution, "Wo_new"))
    );
    let after = Solution::new(parse_lesson("after", &text).unwrap().network());
    assert_close(&entries(&solution, "loss_new"), &entries(&after, "loss"), 1e-12, "loss_new");
    assert!(entries(&solution, "loss_new")[0] < entries(&solution, "loss")[0], "the step lowers the loss");
}

#[test]
fn for_a_small_step_the_loss_falls_by_eta_times_the_squared_gradient() {
    // L(W − η g) = L(W) − η ‖g‖² + O(η²): the update and the loss after it agree with the
    // gradient to first order.
    let base = Solution::new(dataset("sum", 1e-6).network());
    let squared: f64 = ["dL_dW1", "dL_db1", "dL_dW2", "dL_dWo", "dL_dbo"]
        .iter()
        .flat_map(|name| entries(&base, name))
        .map(|g| g * g)
        .sum();
    let drop = (entries(&base, "loss")[0] - entries(&base, "loss_new")[0]) / 1e-6;
    assert!((drop - squared).abs() <= 1e-4 * squared, "{drop} vs {squared}");
}

#[test]
fn names_follow_the_dataset() {
    let lesson = dataset("sum", 0.1);
    let network = lesson.network();
    let names: Vec<String> = Solution::new(network).names().iter().map(ToString::to_string).collect();
    for name in ["x#1", "z1#3", "o_hat#2", "loss#2", "dL_dh1#3", "dh2_dh1#1", "loss", "dL_dW1", "dL_dbo"] {
        assert!(names.contains(&name.to_string()), "{name} in {names:?}");
    }
    for name in ["W1_new", "b1_new", "W2_new", "Wo_new", "bo_new", "loss_new"] {
        assert!(names.contains(&name.to_string()), "{name}");
    }
    for absent in ["z1", "dL_do", "x#4", "dL_db2", "W1_new#1", "b2_new"] {
        assert!(!names.contains(&absent.to_string()), "{absent}");
    }
    let named = |name: &str| {
        let r: QuantityRef = name.parse().unwrap();
        network.has_ref(&r)
    };
    assert!(named("dL_dW1#2[2,3]") && !named("dL_dW1#2[3,1]") && !named("z1#9[1]"));
    // Without a dataset no name has a number, and the update is there with [train].
    let one = load_lesson("notes-update").unwrap();
    let names: Vec<String> = Solution::new(one.network()).names().iter().map(ToString::to_string).collect();
    assert!(names.iter().all(|n| !n.contains('#')));
    assert!(names.ends_with(&["W1_new".into(), "W2_new".into(), "Wo_new".into(), "loss_new".into()]));
    assert!(Solution::new(one.network()).value(Quantity::DlDw(1)).is_some());
}

fn refused(text: &str, needles: &[&str]) {
    let error = parse_lesson("bad.toml", text).expect_err("refused").to_string();
    for needle in needles {
        assert!(error.contains(needle), "{needle:?} not in: {error}");
    }
}

#[test]
fn bad_datasets_and_learning_rates_get_one_clear_message() {
    let lesson = |network: &str, rest: &str| format!("title = \"t\"\n[network]\n{network}\n{LAYERS}\n{rest}");
    let data = "[[data]]\ninput = [1, 1, 1]\nlabel = 3\n";
    refused(
        &lesson("", &format!("{data}[[data]]\ninput = [1, 1]\nlabel = 1\n")),
        &["bad.toml:16:9", "data[2].input has 2 entries but data[1].input has 3"],
    );
    refused(
        &lesson("", &format!("{data}[[data]]\ninput = [1, 1, 1]\n")),
        &["data[2].label is missing", "1-based"],
    );
    refused(
        &lesson("", &format!("{data}[[data]]\ninput = [1, 1, 1]\nlabel = 4\n")),
        &["data[2].label = 4 is outside 1..=3"],
    );
    refused(
        &lesson("", &format!("{data}[[data]]\ninput = [1, nan, 1]\nlabel = 1\n")),
        &["data[2].input entry 2 is NaN"],
    );
    refused(
        &lesson("", &format!("{data}[[data]]\ninput = [1, 1, 1]\nlabel = 1\ntarget = [1, 2, 3]\n")),
        &["data[2].target is for loss = \"mse\""],
    );
    refused(&lesson("input = [1, 1, 1]", data), &["network.input and [[data]] are both given"]);
    refused(&lesson("label = 2", data), &["network.label and [[data]] are both given"]);
    refused(
        &lesson("input = [1, 1, 1]\nlabel = 3\nreduction = \"mean\"", ""),
        &["network.reduction is for a dataset"],
    );
    refused(&lesson("reduction = \"median\"", data), &["unknown", "median", "sum, mean"]);
    refused(&format!("title = \"t\"\ndata = []\n[network]\n{LAYERS}"), &["data is empty"]);
    let many: String = (0..65).map(|_| data).collect();
    refused(&lesson("", &many), &["too many [[data]] examples: 65 (at most 64)"]);
    refused(&lesson("", "[[data]]\nlabel = 3\n"), &["missing key `input`"]);
    for eta in ["0", "-0.1", "inf", "nan"] {
        refused(
            &lesson("input = [1, 1, 1]\nlabel = 3", &format!("[train]\nlearning_rate = {eta}\n")),
            &["train.learning_rate", "finite number above 0"],
        );
    }
    refused(
        &lesson("input = [1, 1, 1]\nlabel = 3", "[train]\nlearning_rate = 1e300\n"),
        &["train.learning_rate = 1e300 is too large"],
    );
    refused(
        &lesson("input = [1, 1, 1]\nlabel = 3", "[train]\neta = 0.1\n"),
        &["unknown key `eta`", "learning_rate"],
    );
    refused(&lesson("input = [1, 1, 1]\nlabel = 3", "[train]\n"), &["missing key `learning_rate`"]);
}

#[test]
fn names_in_a_lesson_follow_its_dataset() {
    let with = |table: &str| {
        format!(
            "title = \"t\"\n[network]\n{LAYERS}\n[[data]]\ninput = [1, 1, 1]\nlabel = 3\n[[data]]\ninput = [1, 0, 2]\nlabel = 1\n{table}"
        )
    };
    refused(
        &with("[steps]\nask = [\"z1\"]\n"),
        &["z1 is one example's in this dataset lesson", "z1#1 … z1#2"],
    );
    refused(&with("[steps]\nask = [\"dL_do#3\"]\n"), &["there is no example 3", "#1 to #2"]);
    refused(&with("[steps]\nask = [\"W1_new\"]\n"), &["no W1_new", "[train]"]);
    refused(&with("[steps]\nask = [\"2A#3\"]\n"), &["or a step id such as 1#1, 2A#1, 2B#1, sum"]);
    refused(&with("[check.\"dL_dW1#1[3,1]\"]\nrtol = 0.1\n"), &["dL_dW1#1[3,1] is out of range"]);
    let single = format!(
        "title = \"t\"\n[network]\ninput = [1, 1, 1]\nlabel = 3\n{LAYERS}\n[steps]\nask = [\"dL_do#1\"]\n"
    );
    refused(&single, &["this lesson has one example, not a dataset: write dL_do, without #1"]);
    let asked = parse_lesson(
        "ask.toml",
        &with(
            "[train]\nlearning_rate = 0.1\n[steps]\nask = [\"2A#2\", \"sum\", \"dL_dW1\", \"Wo_new[1,2]\", \"6\"]\n[check.\"dL_dW1#2\"]\nrtol = 0.2\n",
        ),
    );
    assert!(asked.is_ok(), "{asked:?}");
}

#[test]
fn a_dataset_may_not_hold_more_numbers_than_the_limit() {
    // 64 examples of a 300-input, 1024-unit layer: 64 × 310,272 numbers, over 2^24.
    let row = format!("[{}]", vec!["0.1"; 300].join(", "));
    let weights = format!("[{}]", vec![row.as_str(); 1024].join(", "));
    let output = format!("[{}]", vec![format!("[{}]", vec!["0.1"; 1024].join(", ")); 3].join(", "));
    let input = format!("[{}]", vec!["1"; 300].join(", "));
    let data: String = (0..64).map(|_| format!("[[data]]\ninput = {input}\nlabel = 1\n")).collect();
    let text = format!(
        "title = \"big\"\n[network]\n[[network.layers]]\nweights = {weights}\n[[network.layers]]\nweights = {output}\n{data}"
    );
    refused(
        &text,
        &["64 examples of a network with 310272 weights and biases are too many numbers", "at most 16777216"],
    );
}
