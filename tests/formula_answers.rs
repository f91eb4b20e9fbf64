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
    // DESIGN.md §4.6's examples, Eqs. (60), (65), (69), (75), (79), and Step 4 by analogy.
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

// ------------------------------------------------------------ through the binary

use crate::support::check as support;

/// The JSON results of `check LESSON` on an answer file holding `text`.
fn checked(lesson: &str, text: &str) -> serde_json::Value {
    let dir = support::folder(&[("a.toml", text)]);
    let run = support::check(&[lesson, support::path(&dir.path().join("a.toml")), "--format", "json"]);
    support::json(&run)["submissions"][0]["results"].clone()
}

#[test]
fn a_formula_may_use_only_earlier_answers() {
    // ∂L/∂h(1) from ∂L/∂W(1), which Step 4 asks later: a right ∂L/∂W(1) must not make it
    // correct, nor a wrong one be "carried" from an answer computed from itself.
    for w1 in ["[[-0.86282, -0.86282, -0.86282], [1.43803, 1.43803, 1.43803]]", "[[5, 5, 5], [7, 7, 7]]"] {
        let text = format!(
            "dL_do = [0.09003, 0.66524, -0.75527]\ndL_dh2 = [0.28761, -0.57521]\n\
             dL_dh1 = \"(dL_dW1 * x)' / (x' * x)\"\ndL_dW1 = {w1}\n"
        );
        let results = checked("notes-example", &text);
        let step_3a = &results[3];
        assert_eq!(step_3a["verdict"], "invalid", "{step_3a}");
        let message = step_3a["message"].as_str().unwrap();
        assert!(
            message.contains("dL_dW1 is Step 4, after Step 3A: a formula may use only earlier answers"),
            "{message}"
        );
        assert_ne!(results[5]["verdict"], "carried", "{}", results[5]);
    }
    // Earlier answers stay usable (∂L/∂h(2), given entry by entry), and a Jacobian the lesson
    // asks later still stands for its value: the forward pass fixes it.
    let text =
        "\"dL_dh2[1]\" = 0.28761\n\"dL_dh2[2]\" = -0.57521\n\"dL_dh1[1]\" = \"dL_dh2 * dh2_dh1 * [1; 0]\"\n";
    let results = checked("notes-questions", text);
    assert_eq!(results[5]["verdict"], "correct", "{}", results[5]);
}

#[test]
fn the_jacobians_stand_for_their_values() {
    // The notes' chain-rule form, Eqs. (55), (57), (58): Jacobians are fixed by the forward
    // pass, like the weights.
    let text = "dL_do = \"o_hat' - e_y'\"\ndL_dh2 = \"dL_do * do_dh2\"\ndL_dWo = \"dL_do' * h2'\"\n\
                dL_dh1 = \"dL_dh2 * dh2_dh1\"\ndL_dW2 = \"dh2_dz2 * dL_dh2' * h1'\"\n\
                dL_dW1 = \"dh1_dz1 * dL_dh1' * x'\"\n";
    for lesson in ["notes-example", "closed-gate", "sigmoid"] {
        let results = checked(lesson, text);
        for result in results.as_array().unwrap() {
            assert_eq!(result["verdict"], "correct", "{lesson}: {result}");
            assert_eq!(result["identity"], "holds", "{lesson}: {result}");
        }
    }
    // A Jacobian written as the lesson's numbers is still caught by the identity test.
    let text = "dL_do = \"o_hat' - e_y'\"\ndL_dh2 = \"dL_do * [[0, 1], [1, -1], [0.5, 0]]\"\n";
    assert_eq!(checked("notes-example", text)[1]["identity"], "coincidence");
}

#[test]
fn the_overflow_tip_is_for_exponentials_only() {
    let results = checked("notes-example", "dL_dh2 = \"[1 2] * 1e308 * 1e308 / 1e308 / 1e308\"\n");
    let message = results[1]["message"].as_str().unwrap();
    assert!(message.contains("not a finite number"), "{message}");
    assert!(!message.contains("exp"), "{message}");
    let results = checked("notes-example", "dL_dh2 = \"[exp(1000) 2]\"\n");
    assert!(results[1]["message"].as_str().unwrap().contains("subtract the largest logit"), "{}", results[1]);
    let results = checked("notes-example", "dL_dh2 = \"[e^1000 2]\"\n");
    assert!(results[1]["message"].as_str().unwrap().contains("subtract the largest logit"), "{}", results[1]);
}

#[test]
fn the_tutor_refuses_later_answers_in_formulas_too() {
    use backprop_tutor::tutor::{Feedback, Mode, Progress, QuestionProgress, Session};
    // A saved session that somehow holds an answer to Step 4 already (a lesson edited since).
    let mut progress = Progress::default();
    let later = QuestionProgress { last_input: "[[5,5,5],[7,7,7]]".into(), ..QuestionProgress::default() };
    progress.questions.insert("dL_dW1".into(), later);
    let mut session = Session::new(load_lesson("notes-example").unwrap(), Mode::Practice, progress);
    for answer in ["(o_hat - e_y)'", "dL_do * Wo", "dL_do' * h2'"] {
        session.set_draft(answer);
        session.submit();
    }
    session.set_draft("(dL_dW1 * x)' / (x' * x)");
    session.submit();
    let Some(Feedback::Graded { grade, .. }) = session.feedback() else { panic!("graded") };
    assert_eq!(grade.verdict, Verdict::Invalid, "{grade:?}");
    assert!(grade.message.contains("dL_dW1 is Step 4, after Step 3A"), "{}", grade.message);
    // The Jacobians are there in the tutor as in check.
    session.set_draft("dL_dh2 * dh2_dh1");
    session.submit();
    let Some(Feedback::Graded { grade, .. }) = session.feedback() else { panic!("graded") };
    assert_eq!(grade.verdict, Verdict::Correct, "{grade:?}");
}
