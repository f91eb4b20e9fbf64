//! `[steps] ask` and `[check.<quantity>]` end to end (SPEC §7): the shipped `notes-questions`
//! asks the notes' own questions in their order, `solve` and `check` follow exactly what is
//! asked, and a per-quantity tolerance changes the verdict.

use assert_cmd::cargo::cargo_bin_cmd;
use backprop_tutor::engine::Solution;
use backprop_tutor::lesson::{Tolerance, load_lesson, parse_lesson, shipped};
use backprop_tutor::plan::plan;
use backprop_tutor::quantity::{Quantity, QuantityRef};
use serde_json::Value as Json;

/// The notes' worked questions, in the order the notes work them.
const NOTES_QUESTIONS: [&str; 11] = [
    "dL_do",
    "dL_dh2[1]",
    "dL_dh2[2]",
    "dL_dWo[2,1]",
    "dL_dWo",
    "dL_dh1[1]",
    "dL_dh1[2]",
    "dh2_dh1[1,2]",
    "dL_dW2[2,1]",
    "dL_dW2",
    "dL_dW1",
];

fn json(args: &[&str]) -> Json {
    let output = cargo_bin_cmd!("backprop-tutor").args(args).output().unwrap();
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("{args:?}: {e}"))
}

#[test]
fn notes_questions_asks_the_notes_questions_in_order() {
    let lesson = load_lesson("notes-questions").unwrap();
    let asked: Vec<String> =
        plan(&lesson).iter().flat_map(|s| s.asks.iter().map(ToString::to_string)).collect();
    assert_eq!(asked, NOTES_QUESTIONS);
    let steps: Vec<String> = plan(&lesson).into_iter().map(|s| s.id).collect();
    assert_eq!(steps, ["1", "2A", "2B", "3A", "3B", "4"]);

    // The numbers the notes give: ∂h1(2)/∂h2(1) = 3 (Step 3A example), and ∂L/∂o = [ô1, ô2, ô3 − 1].
    let solution = Solution::new(lesson.network());
    let entry = |name: &str| solution.value_of(&name.parse::<QuantityRef>().unwrap()).unwrap().entries()[0];
    assert_eq!(entry("dh2_dh1[1,2]"), 3.0);
    let e = std::f64::consts::E;
    assert!((entry("dL_do[3]") - (e.powi(2) / (e + e.powi(3) + e.powi(2)) - 1.0)).abs() < 1e-12);
}

#[test]
fn notes_questions_is_the_notes_example_network() {
    let questions = load_lesson("notes-questions").unwrap();
    let example = load_lesson("notes-example").unwrap();
    assert_eq!(questions.network(), example.network());
    assert!(shipped::source("notes-questions").unwrap().starts_with("#:schema ../assets/lesson.schema.json"));
}

#[test]
fn solve_json_lists_exactly_the_asked_steps() {
    let solved = json(&["solve", "notes-questions", "--format", "json"]);
    let steps = solved["steps"].as_array().unwrap();
    let asks: Vec<&str> =
        steps.iter().flat_map(|s| s["asks"].as_array().unwrap()).map(|a| a.as_str().unwrap()).collect();
    assert_eq!(asks, NOTES_QUESTIONS);
    assert_eq!(steps[0]["id"], "1");
    assert!(steps[4]["equations"].as_array().unwrap().iter().any(|e| e == "(76)"), "3B cites Eq. 76");
}

#[test]
fn check_grades_exactly_what_is_asked() {
    let dir = tempfile::tempdir().unwrap();
    let answers = dir.path().join("answers.toml");
    std::fs::write(&answers, "\"dh2_dh1[1,2]\" = 3\n").unwrap();
    let graded = json(&["check", "notes-questions", answers.to_str().unwrap(), "--format", "json"]);
    let results = graded["submissions"][0]["results"].as_array().unwrap();
    let quantities: Vec<&str> = results.iter().map(|r| r["quantity"].as_str().unwrap()).collect();
    assert_eq!(quantities, NOTES_QUESTIONS);
    assert_eq!(graded["submissions"][0]["max_score"], 11.0);
    let verdict = |q: &str| results.iter().find(|r| r["quantity"] == q).unwrap()["verdict"].as_str().unwrap();
    assert_eq!(verdict("dh2_dh1[1,2]"), "correct");
    assert_eq!(verdict("dL_dW1"), "missing");
}

const NOTES: &str = include_str!("../lessons/notes-example.toml");

#[test]
fn a_per_quantity_tolerance_applies_to_its_quantity_and_its_entries_only() {
    let lesson = parse_lesson(
        "tolerances",
        &format!("{NOTES}\n[check]\natol = 0.002\n\n[check.dL_dW1]\nrtol = 0.05\n\n[check.\"dL_dWo[2,1]\"]\natol = 0.5\n"),
    )
    .unwrap();
    let tolerances = lesson.tolerances();
    let of = |name: &str| {
        let r: QuantityRef = name.parse().unwrap();
        tolerances.for_entry(&r)
    };
    assert_eq!(of("dL_dW1"), Tolerance { rtol: 0.05, atol: 0.002 });
    assert_eq!(of("dL_dW1[2,3]"), Tolerance { rtol: 0.05, atol: 0.002 }, "an entry inherits its quantity's");
    assert_eq!(of("dL_dWo[2,1]"), Tolerance { rtol: 0.01, atol: 0.5 });
    assert_eq!(of("dL_dWo[1,1]"), Tolerance { rtol: 0.01, atol: 0.002 });
    assert_eq!(of("dL_do"), Tolerance { rtol: 0.01, atol: 0.002 });

    // 3% off: wrong by the lesson's default, right for dL_dW1.
    let expected = 0.5;
    assert!(!of("dL_do").accepts(expected * 1.03, expected));
    assert!(of("dL_dW1").accepts(expected * 1.03, expected));
}

#[test]
fn a_per_quantity_tolerance_changes_the_verdict_of_check() {
    let dir = tempfile::tempdir().unwrap();
    let strict = dir.path().join("strict.toml");
    let lenient = dir.path().join("lenient.toml");
    std::fs::write(&strict, NOTES).unwrap();
    std::fs::write(&lenient, format!("{NOTES}\n[check.dL_dW1]\nrtol = 0.05\n")).unwrap();

    // Every entry of ∂L/∂W(1) 3% too large.
    let solution = Solution::new(load_lesson("notes-example").unwrap().network());
    let value = solution.value(Quantity::DlDw(1)).unwrap();
    let rows: Vec<String> = value
        .entries()
        .chunks(3)
        .map(|row| format!("[{}]", row.iter().map(|x| (x * 1.03).to_string()).collect::<Vec<_>>().join(", ")))
        .collect();
    let answers = dir.path().join("answers.toml");
    std::fs::write(&answers, format!("dL_dW1 = [{}]\n", rows.join(", "))).unwrap();

    let verdict = |lesson: &std::path::Path| {
        let graded =
            json(&["check", lesson.to_str().unwrap(), answers.to_str().unwrap(), "--format", "json"]);
        let results = graded["submissions"][0]["results"].as_array().unwrap().clone();
        let dl_dw1 = results.into_iter().find(|r| r["quantity"] == "dL_dW1").unwrap();
        dl_dw1["verdict"].as_str().unwrap().to_string()
    };
    assert_eq!(verdict(&strict), "incorrect");
    assert_eq!(verdict(&lenient), "correct");
}
