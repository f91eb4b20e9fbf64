//! Formula answers (DESIGN.md §4): answers typed in the lesson's names, as the notes write their
//! matrix view, are graded on their value and then checked as identities on nearby lessons; a
//! formula that only matches the lesson's numbers is caught; a lesson can forbid formulas.

use assert_cmd::cargo::cargo_bin_cmd;
use backprop_tutor::answer::submission::grade_sheet;
use backprop_tutor::answer::{GradeOptions, Grader, Identity, Submission, Verdict, questions};
use backprop_tutor::engine::Solution;
use backprop_tutor::lesson::{Lesson, load_lesson, parse_lesson, shipped};
use backprop_tutor::plan::definition::definition_of;
use backprop_tutor::quantity::Quantity;

fn grade(lesson: &Lesson, text: &str, options: GradeOptions) -> Submission {
    let solution = Solution::new(lesson.network());
    let grader = Grader::new(lesson, &solution, options);
    grade_sheet(&grader, &questions(lesson), "answers.toml", text)
}

/// Every asked whole quantity answered with its formula, as the notes write it, in the
/// answer language; asked single entries answered by their value.
fn formula_file(lesson: &Lesson) -> String {
    let solution = Solution::new(lesson.network());
    questions(lesson)
        .iter()
        .map(|q| {
            let value = solution.value_of(&q.asked).unwrap();
            let formula = definition_of(lesson.network(), &q.asked.whole());
            // The loss after the step is a whole forward pass, which the language does not run.
            let typed = formula.and_then(|f| f.to_answer_of(q.asked.example));
            let answer = match (q.asked.index.is_empty(), typed) {
                (true, Some(formula)) => format!("{formula:?}"),
                _ => format!("{:?}", value.entries()[0]),
            };
            format!("\"{}\" = {answer}\n", q.asked)
        })
        .collect()
}

#[test]
fn the_notes_formulas_typed_as_written_are_correct_on_every_shipped_lesson() {
    for (name, _) in shipped::all() {
        let lesson = load_lesson(name).unwrap();
        let text = formula_file(&lesson);
        let submission = grade(&lesson, &text, GradeOptions::default());
        assert_eq!(submission.score, submission.max_score, "{name}:\n{text}\n{:?}", submission.results);
        for (question, result) in questions(&lesson).iter().zip(&submission.results) {
            if question.asked.index.is_empty() && question.asked.quantity != Quantity::LossNew {
                assert_eq!(result.grade.formula, Some(Identity::Holds), "{name} {}", question.asked);
            }
        }
    }
}

#[test]
fn the_notes_own_spellings_are_accepted() {
    // SPEC's examples, Eqs. (60), (65), (69), (75), (79), and Step 4 by analogy.
    let text = r#"
        dL_do = "(o_hat - e_y)'"
        dL_dh2 = "dL_do * Wo"
        dL_dWo = "dL_do' * h2'"
        dL_dh1 = "dL_dh2 * diag(z2 > 0) * W2"
        dL_dW2 = "diag(z2 > 0) * dL_dh2' * h1'"
        dL_dW1 = "diag(z1 > 0) dL_dh1' x'"
    "#;
    let lesson = load_lesson("notes-example").unwrap();
    let submission = grade(&lesson, text, GradeOptions::default());
    assert_eq!(submission.score, 6.0, "{:?}", submission.results);
    assert!(submission.results.iter().all(|r| r.grade.formula == Some(Identity::Holds)));
}

#[test]
fn a_formula_that_writes_the_lessons_numbers_agrees_only_by_coincidence() {
    let lesson = load_lesson("closed-gate").unwrap();
    let network = lesson.network();
    let rows: Vec<String> = network
        .output()
        .weights()
        .row_iter()
        .map(|r| format!("[{}]", r.iter().map(|x| x.to_string()).collect::<Vec<_>>().join(", ")))
        .collect();
    let literal = format!("[{}]", rows.join(", "));
    let text = format!("dL_do = \"(o_hat - e_y)'\"\ndL_dh2 = \"dL_do * {literal}\"\n");
    let submission = grade(&lesson, &text, GradeOptions::default());
    let step_2a = &submission.results[1].grade;
    assert_eq!(step_2a.verdict, Verdict::Incorrect, "{step_2a:?}");
    assert_eq!(step_2a.formula, Some(Identity::Coincidence));
    assert!(step_2a.message.contains("coincidence"), "{}", step_2a.message);
    // The same formula with the name: the general rule.
    let text = "dL_do = \"(o_hat - e_y)'\"\ndL_dh2 = \"dL_do * Wo\"\n";
    assert_eq!(grade(&lesson, text, GradeOptions::default()).results[1].grade.formula, Some(Identity::Holds));
}

#[test]
fn a_formula_built_on_the_learners_own_wrong_answer_is_carried_and_holds() {
    let lesson = load_lesson("notes-example").unwrap();
    // ô instead of ô − e_y, then the right formula from it.
    let text = "dL_do = \"o_hat'\"\ndL_dh2 = \"dL_do * Wo\"\n";
    let submission = grade(&lesson, text, GradeOptions::default());
    let step_2a = &submission.results[1].grade;
    assert_eq!(step_2a.verdict, Verdict::Carried, "{step_2a:?}");
    assert_eq!(step_2a.formula, Some(Identity::Holds));
}

#[test]
fn a_gradient_not_answered_is_no_name_to_use() {
    let lesson = load_lesson("notes-example").unwrap();
    let submission = grade(&lesson, "dL_dh2 = \"dL_do * Wo\"\n", GradeOptions::default());
    let step_2a = &submission.results[1].grade;
    assert_eq!(step_2a.verdict, Verdict::Invalid);
    assert!(step_2a.message.contains("not answered"), "{}", step_2a.message);
    // Nor is the quantity asked itself.
    let submission = grade(&lesson, "dL_do = \"dL_do\"\n", GradeOptions::default());
    assert_eq!(submission.results[0].grade.verdict, Verdict::Invalid);
}

#[test]
fn formulas_are_refused_where_the_lesson_or_the_grader_says_so() {
    let source = format!("{}\n[check]\nformulas = false\n", shipped::source("notes-example").unwrap());
    let strict = parse_lesson("no formulas", &source).unwrap();
    let text = "dL_do = \"(o_hat - e_y)'\"\ndL_dh2 = [0.288, -0.575]\n";
    let submission = grade(&strict, text, GradeOptions::default());
    let step_1 = &submission.results[0].grade;
    assert_eq!(step_1.verdict, Verdict::Invalid);
    assert!(step_1.message.contains("not formulas"), "{}", step_1.message);
    assert_eq!(step_1.error.as_ref().map(|e| e.column), Some(1), "the caret is under o_hat");
    assert_eq!(submission.results[1].grade.verdict, Verdict::Correct, "values still count");
    let lesson = load_lesson("notes-example").unwrap();
    let refused = grade(&lesson, text, GradeOptions { no_formulas: true, ..GradeOptions::default() });
    assert_eq!(refused.results[0].grade.verdict, Verdict::Invalid);
}

#[test]
fn the_same_formula_always_gets_the_same_verdict() {
    let lesson = load_lesson("sigmoid").unwrap();
    let text = formula_file(&lesson).replace("sigmoid(z1) .* (1 - sigmoid(z1))", "h1 .* (1 - h1)");
    let first = grade(&lesson, &text, GradeOptions::default());
    for _ in 0..3 {
        assert_eq!(grade(&lesson, &text, GradeOptions::default()), first);
    }
}

#[test]
fn check_reports_formulas_in_json_and_takes_no_formulas() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a.toml");
    std::fs::write(&file, "dL_do = \"(o_hat - e_y)'\"\ndL_dh2 = \"dL_do * [[0, 1], [1, -1], [0.5, 0]]\"\n")
        .unwrap();
    let output = cargo_bin_cmd!("backprop-tutor")
        .args(["check", "notes-example", file.to_str().unwrap(), "--format", "json"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let results = &json["submissions"][0]["results"];
    assert_eq!((&results[0]["formula"], &results[0]["identity"]), (&true.into(), &"holds".into()));
    assert_eq!(
        (&results[1]["verdict"], &results[1]["identity"]),
        (&"incorrect".into(), &"coincidence".into())
    );
    assert_eq!((&results[2]["formula"], &results[2]["identity"]), (&false.into(), &serde_json::Value::Null));
    let output = cargo_bin_cmd!("backprop-tutor")
        .args(["check", "notes-example", file.to_str().unwrap(), "--format", "json", "--no-formulas"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["submissions"][0]["results"][0]["verdict"], "invalid");
}

#[test]
fn every_quantity_with_a_formula_can_be_typed() {
    // The answer-language form of every definition parses, on every shipped lesson.
    for (name, _) in shipped::all() {
        let lesson = load_lesson(name).unwrap();
        let solution = Solution::new(lesson.network());
        for quantity in solution.names().into_iter().filter(|q| q.quantity != Quantity::X) {
            // The loss after the step is a whole forward pass, which the language does not run.
            if quantity.quantity == Quantity::LossNew {
                continue;
            }
            let formula = definition_of(lesson.network(), &quantity).unwrap();
            let typed = formula.to_answer().unwrap();
            assert!(backprop_tutor::answer::language::parse(&typed).is_ok(), "{name} {quantity}: {typed}");
        }
    }
}
