//! Grading one answer (DESIGN.md §4): every verdict, every diagnosis id on a lesson where that
//! mistake changes the numbers, error carried forward, shapes and tolerances.
//!
//! The wrong answers here are built from the engine's values with plain nalgebra, not with the
//! grader's own formulas, so they check the grader rather than restate it.

use backprop_tutor::answer::{Grade, GradeOptions, Grader, Verdict};
use backprop_tutor::engine::Solution;
use backprop_tutor::lesson::{Lesson, load_lesson, parse_lesson};
use backprop_tutor::quantity::QuantityRef;
use backprop_tutor::value::{Shape, Value};
use nalgebra::{DMatrix, DVector};
use std::borrow::Cow;

/// Different closed ReLU gates in layers 1 and 2 (z(1) = (−1, 2.5), z(2) = (1, −1)), two
/// inputs like layer 1's two units, and label 2 of 3, so that every mistake of DESIGN.md §9's table
/// changes the numbers.
const GATES: &str = r#"
title = "Closed gates in both hidden layers"
[network]
input = [1, 2]
label = 2
[[network.layers]]
weights = [[1, -1], [0.5, 1]]
[[network.layers]]
weights = [[1, 0.4], [-1, -0.4]]
[[network.layers]]
weights = [[1, 2], [0.5, -1], [-1, 1]]
"#;

/// One hidden layer with biases everywhere, for the bias steps.
const BIASES: &str = r#"
title = "Biases"
[network]
input = [1, -1]
label = 1
[[network.layers]]
weights = [[1, 0.5], [-0.5, 1], [0.3, 0.3]]
bias = [0.5, 0.2, -1]
[[network.layers]]
weights = [[1, -1, 0.5], [0.5, 0.5, 1]]
bias = [0.1, -0.1]
"#;

const MSE: &str = r#"
title = "Squared error"
[network]
input = [1, 2]
target = [0.5, -1]
loss = "mse"
[[network.layers]]
weights = [[1, -1], [0.5, 0.5]]
[[network.layers]]
weights = [[1, 2], [-1, 0.5]]
"#;

struct Case {
    lesson: Lesson,
    solution: Solution,
}

impl Case {
    fn new(source: &str) -> Case {
        let lesson = parse_lesson("test", source).unwrap();
        let solution = Solution::new(lesson.network());
        Case { lesson, solution }
    }

    fn notes() -> Case {
        let lesson = load_lesson("notes-example").unwrap();
        let solution = Solution::new(lesson.network());
        Case { lesson, solution }
    }

    fn grader(&self) -> Grader<'_> {
        Grader::new(&self.lesson, &self.solution, GradeOptions::default())
    }

    fn value(&self, name: &str) -> Value {
        self.solution.value_of(&name.parse().unwrap()).unwrap()
    }

    fn vector(&self, name: &str) -> DVector<f64> {
        match self.value(name) {
            Value::Vector(v) => v,
            other => panic!("{name} is {other:?}"),
        }
    }

    fn matrix(&self, name: &str) -> DMatrix<f64> {
        match self.value(name) {
            Value::Matrix(m) => m,
            other => panic!("{name} is {other:?}"),
        }
    }

    fn grade(&self, asked: &str, answer: Value) -> Grade {
        self.grade_after(asked, answer, &[])
    }

    /// Grades `answer` after the learner answered the questions `earlier`, each of which the
    /// lesson must ask (else it could not feed a carry and the test would prove nothing).
    fn grade_after(&self, asked: &str, answer: Value, earlier: &[(&str, Value)]) -> Grade {
        let grader = self.grader();
        let mut feed = grader.earlier();
        for (question, value) in earlier {
            assert!(
                feed.record(&question.parse().unwrap(), Cow::Borrowed(value), false),
                "{question} is not asked"
            );
        }
        grader.grade_value(&asked.parse().unwrap(), &answer, &feed)
    }

    /// Asserts that `answer` to `asked` is incorrect with diagnosis `id`, and returns the grade.
    fn diagnosed(&self, asked: &str, answer: Value, id: &str) -> Grade {
        let grade = self.grade(asked, answer);
        assert_eq!(grade.verdict, Verdict::Incorrect, "{asked}: {grade:?}");
        assert_eq!(grade.diagnosis.as_ref().map(|d| d.id.name()), Some(id), "{asked}: {grade:?}");
        grade
    }
}

fn vector(v: DVector<f64>) -> Value {
    Value::Vector(v)
}

fn matrix(m: DMatrix<f64>) -> Value {
    Value::Matrix(m)
}

fn onehot(n: usize, class: usize) -> DVector<f64> {
    DVector::from_fn(n, |i, _| if i + 1 == class { 1.0 } else { 0.0 })
}

// ---------------------------------------------------------------- verdicts

#[test]
fn every_true_value_is_correct() {
    for case in [Case::notes(), Case::new(GATES), Case::new(BIASES), Case::new(MSE)] {
        for quantity in case.solution.names() {
            let name = quantity.to_string();
            let grade = case.grade(&name, case.value(&name));
            assert_eq!(grade.verdict, Verdict::Correct, "{name}: {grade:?}");
            assert!(grade.is_credited() && grade.wrong_entries.is_empty() && grade.diagnosis.is_none());
        }
    }
}

#[test]
fn typed_expressions_are_graded_by_value() {
    let case = Case::notes();
    let input = "[e^1/(e^1+e^3+e^2), e^3/(e^1+e^3+e^2), e^2/(e^1+e^3+e^2) - 1]";
    let grade = case.grader().grade_text(&"dL_do".parse().unwrap(), input, &case.grader().earlier());
    assert_eq!(grade.verdict, Verdict::Correct);
    // Rounded to the notes' three decimals is within the default tolerance.
    let grade =
        case.grader().grade_text(&"dL_dh2".parse().unwrap(), "[0.288, -0.575]", &case.grader().earlier());
    assert_eq!(grade.verdict, Verdict::Correct, "{grade:?}");
}

#[test]
fn incorrect_names_the_wrong_entries() {
    let case = Case::notes();
    let mut answer = case.matrix("dL_dWo");
    answer[(1, 0)] += 0.5;
    answer[(2, 1)] += 0.5;
    let grade = case.grade("dL_dWo", matrix(answer));
    assert_eq!(grade.verdict, Verdict::Incorrect);
    assert_eq!(grade.wrong_entries, vec![vec![2, 1], vec![3, 2]]);
    assert_eq!(grade.message, "Entries [2,1] and [3,2] are off.");
    assert!(grade.diagnosis.is_none() && grade.expected_shape.is_none() && !grade.is_credited());
}

#[test]
fn a_wrong_shape_names_the_expected_shape() {
    let case = Case::notes();
    let grade = case.grade("dL_dWo", matrix(DMatrix::zeros(2, 2)));
    assert_eq!(grade.verdict, Verdict::Incorrect);
    assert_eq!(grade.expected_shape, Some(Shape::Matrix(3, 2)));
    assert!(grade.message.contains("a 3×2 matrix"), "{}", grade.message);
    assert!(grade.wrong_entries.is_empty() && grade.diagnosis.is_none());
}

#[test]
fn unreadable_and_non_finite_answers_are_invalid() {
    let case = Case::notes();
    let asked: QuantityRef = "dL_dh2".parse().unwrap();
    let grade = case.grader().grade_text(&asked, "[0.288, -0.575", &case.grader().earlier());
    assert_eq!(grade.verdict, Verdict::Invalid);
    assert_eq!(grade.error.as_ref().map(|e| e.column), Some(14));
    assert_eq!(grade.message, "Cannot read the answer: column 15: missing ']' to close the '[' at column 1.");
    assert!(!grade.is_credited());
    let grade = case.grader().grade_text(&asked, "[1/0, 1]", &case.grader().earlier());
    assert_eq!(grade.verdict, Verdict::Invalid);
    assert!(grade.message.contains("not a finite number"), "{}", grade.message);
    let grade = case.grade("dL_dh2", vector(DVector::from_vec(vec![f64::NAN, 1.0])));
    assert_eq!(grade.verdict, Verdict::Invalid);
    assert!(grade.message.contains("entry 1 is not a finite number"), "{}", grade.message);
}

#[test]
fn blank_text_is_missing() {
    let case = Case::notes();
    let asked: QuantityRef = "dL_do".parse().unwrap();
    let grade = case.grader().grade_text(&asked, "  ", &case.grader().earlier());
    assert_eq!(grade.verdict, Verdict::Missing);
    assert_eq!(case.grader().missing(&asked).verdict, Verdict::Missing);
}

#[test]
fn one_entry_values_and_rows_are_read_as_the_shape_asked() {
    let case = Case::notes();
    // A vector of one for a single entry, and the notes' 1×K row for ∂L/∂o (Eq. 60).
    let entry = case.value("dL_dWo[2,1]").entries()[0];
    let grade = case.grade("dL_dWo[2,1]", vector(DVector::from_vec(vec![entry])));
    assert_eq!(grade.verdict, Verdict::Correct);
    let row = DMatrix::from_row_slice(1, 3, case.vector("dL_do").as_slice());
    assert_eq!(case.grade("dL_do", matrix(row)).verdict, Verdict::Correct);
}

#[test]
fn a_wrong_single_entry_is_listed_by_its_own_index() {
    let case = Case::notes();
    let grade = case.grade("dL_dWo[2,1]", Value::Scalar(0.5));
    assert_eq!(grade.verdict, Verdict::Incorrect);
    assert_eq!(grade.wrong_entries, vec![vec![2, 1]]);
    assert_eq!(case.grade("dh2_dh1[1,2]", Value::Scalar(3.0)).verdict, Verdict::Correct);
}

#[test]
fn tolerances_come_from_the_lesson_unless_overridden() {
    let off = |case: &Case| vector(case.vector("dL_dh2") * 1.03);
    let case = Case::notes();
    assert_eq!(case.grade("dL_dh2", off(&case)).verdict, Verdict::Incorrect);
    let loose = Grader::new(
        &case.lesson,
        &case.solution,
        GradeOptions { rtol: Some(0.05), atol: Some(0.0), ..GradeOptions::default() },
    );
    let grade = loose.grade_value(&"dL_dh2".parse().unwrap(), &off(&case), &case.grader().earlier());
    assert_eq!(grade.verdict, Verdict::Correct);
    let per_quantity = Case::new(&format!("{}\n[check.dL_dh2]\nrtol = 0.05\n", notes_source()));
    assert_eq!(per_quantity.grade("dL_dh2", off(&per_quantity)).verdict, Verdict::Correct);
    assert_eq!(
        per_quantity.grade("dL_dh1", vector(per_quantity.vector("dL_dh1") * 1.03)).verdict,
        Verdict::Incorrect
    );
}

fn notes_source() -> &'static str {
    backprop_tutor::lesson::shipped::source("notes-example").unwrap()
}

// ---------------------------------------------------------------- diagnoses

#[test]
fn transposed() {
    let case = Case::new(GATES);
    // 2B: a 2×3 given for the 3×2 ∂L/∂W(o), h(2)ᵀ-first outer product.
    let grade = case.diagnosed("dL_dWo", matrix(case.matrix("dL_dWo").transpose()), "transposed");
    assert_eq!(grade.expected_shape, Some(Shape::Matrix(3, 2)));
    assert!(grade.message.contains("(69)"), "{}", grade.message);
    // 3B: a square one, where only the diagnosis tells.
    let grade = case.diagnosed("dL_dW2", matrix(case.matrix("dL_dW2").transpose()), "transposed");
    assert!(grade.message.contains("(79)"), "{}", grade.message);
    // An entry asked alone is no matrix: its mirrored entry is an index swap (see diagnoses.rs).
    let mirrored = case.value("dL_dW2[1,2]");
    case.diagnosed("dL_dW2[2,1]", mirrored, "index_swap");
}

#[test]
fn sign_flipped() {
    let case = Case::new(GATES);
    for name in ["dL_do", "dL_dh2", "dL_dh1", "dL_dWo", "dL_dW2", "dL_dW1"] {
        let negated = case.value(name).map(|x| -x);
        case.diagnosed(name, negated, "sign_flipped");
    }
    let grade = case.diagnosed("dL_do", vector(-case.vector("dL_do")), "sign_flipped");
    assert!(grade.message.contains("(60)"), "{}", grade.message);
}

#[test]
fn missing_onehot() {
    let case = Case::new(GATES);
    let grade = case.diagnosed("dL_do", case.value("o_hat"), "missing_onehot");
    assert!(grade.message.contains("(60)"), "{}", grade.message);
    assert_eq!(grade.wrong_entries, vec![vec![2]]);
}

#[test]
fn used_logits() {
    let case = Case::new(GATES);
    let answer = case.vector("o") - onehot(3, 2);
    let grade = case.diagnosed("dL_do", vector(answer), "used_logits");
    assert!(grade.message.contains("(60)"), "{}", grade.message);
}

#[test]
fn label_off_by_one() {
    let case = Case::new(GATES);
    for class in [1, 3] {
        let answer = case.vector("o_hat") - onehot(3, class);
        let grade = case.diagnosed("dL_do", vector(answer), "label_off_by_one");
        assert!(grade.message.contains(&format!("class {class}")), "{}", grade.message);
    }
    // The notes' own example: y = 3, the −1 put at class 2.
    let notes = Case::notes();
    notes.diagnosed("dL_do", vector(notes.vector("o_hat") - onehot(3, 2)), "label_off_by_one");
}

#[test]
fn gate_missing() {
    let case = Case::new(GATES);
    let w2 = case.matrix("dz2_dh1");
    // 3A: ∂L/∂h(1) = ∂L/∂h(2) · W(2), with layer 2's closed unit let through.
    let grade = case.diagnosed("dL_dh1", vector(w2.tr_mul(&case.vector("dL_dh2"))), "gate_missing");
    assert!(
        grade.message.contains("(75)") && grade.message.contains("diag(1[z(2) > 0])"),
        "{}",
        grade.message
    );
    // 3B and 4: the outer product without the gate.
    let ungated = case.vector("dL_dh2") * case.vector("h1").transpose();
    let grade = case.diagnosed("dL_dW2", matrix(ungated), "gate_missing");
    assert!(grade.message.contains("(79)"), "{}", grade.message);
    let ungated = case.vector("dL_dh1") * case.vector("x").transpose();
    case.diagnosed("dL_dW1", matrix(ungated), "gate_missing");
    // The Jacobian ∂h(2)/∂h(1) given as W(2) alone.
    case.diagnosed("dh2_dh1", matrix(w2), "gate_missing");
}

#[test]
fn gate_missing_for_a_bias() {
    let case = Case::new(BIASES);
    // A closed unit in layer 1, so the gate changes ∂L/∂b(1).
    assert!(case.vector("z1").iter().any(|&z| z <= 0.0));
    case.diagnosed("dL_db1", case.value("dL_dh1"), "gate_missing");
}

#[test]
fn gate_wrong_layer() {
    let case = Case::new(GATES);
    let w2 = case.matrix("dz2_dh1");
    let gate1 = case.matrix("dh1_dz1").diagonal();
    let dl_dh2 = case.vector("dL_dh2");
    // Layer 1's gate where layer 2's belongs …
    let answer = w2.tr_mul(&dl_dh2.component_mul(&gate1));
    let grade = case.diagnosed("dL_dh1", vector(answer), "gate_wrong_layer");
    assert!(grade.message.contains("layer 1") && grade.message.contains("(75)"), "{}", grade.message);
    // … or after W(2), as if the gate belonged to the layer being computed.
    let answer = w2.tr_mul(&dl_dh2).component_mul(&gate1);
    case.diagnosed("dL_dh1", vector(answer), "gate_wrong_layer");
}

#[test]
fn wrong_activation() {
    let case = Case::new(GATES);
    // 2B: z(2) instead of h(2).
    let answer = case.vector("dL_do") * case.vector("z2").transpose();
    let grade = case.diagnosed("dL_dWo", matrix(answer), "wrong_activation");
    assert!(grade.message.contains("z(2)") && grade.message.contains("(69)"), "{}", grade.message);
    // 3B: z(1) instead of h(1).
    let delta2 = case.vector("dL_dh2").component_mul(&case.matrix("dh2_dz2").diagonal());
    let answer = &delta2 * case.vector("z1").transpose();
    case.diagnosed("dL_dW2", matrix(answer), "wrong_activation");
    // 4: layer 1's own activation h(1) instead of x.
    let delta1 = case.vector("dL_dh1").component_mul(&case.matrix("dh1_dz1").diagonal());
    let answer = &delta1 * case.vector("h1").transpose();
    let grade = case.diagnosed("dL_dW1", matrix(answer), "wrong_activation");
    assert!(grade.message.contains("h(1)") && grade.message.contains("scales x"), "{}", grade.message);
}

#[test]
fn an_answer_matching_no_known_mistake_gets_no_diagnosis() {
    let case = Case::new(GATES);
    let grade = case.grade("dL_dh1", vector(case.vector("dL_dh1") * 2.0));
    assert_eq!(grade.verdict, Verdict::Incorrect);
    assert!(grade.diagnosis.is_none(), "{grade:?}");
}

#[test]
fn mse_step_one() {
    let case = Case::new(MSE);
    let answer = case.vector("o") - DVector::from_vec(vec![0.5, -1.0]);
    assert_eq!(case.grade("dL_do", vector(answer.clone())).verdict, Verdict::Correct);
    let grade = case.diagnosed("dL_do", vector(-answer), "sign_flipped");
    assert!(grade.message.contains("o − t"), "{}", grade.message);
}

// ---------------------------------------------------------------- carried forward

#[test]
fn step_2a_and_2b_carry_a_wrong_step_1() {
    let case = Case::new(GATES);
    let their_dl_do = case.vector("o_hat"); // forgot e_y
    let earlier = [("dL_do", vector(their_dl_do.clone()))];
    let answer = case.matrix("do_dh2").tr_mul(&their_dl_do);
    let grade = case.grade_after("dL_dh2", vector(answer), &earlier);
    assert_eq!(grade.verdict, Verdict::Carried, "{grade:?}");
    assert_eq!(grade.carried_from, vec!["dL_do".parse::<QuantityRef>().unwrap()]);
    assert!(grade.is_credited());
    assert!(grade.message.contains("dL_do"), "{}", grade.message);
    let answer = &their_dl_do * case.vector("h2").transpose();
    assert_eq!(case.grade_after("dL_dWo", matrix(answer), &earlier).verdict, Verdict::Carried);
}

#[test]
fn steps_3_and_4_carry_a_wrong_gradient_above() {
    let case = Case::new(GATES);
    let their_dl_dh2 = -case.vector("dL_dh2");
    let earlier = [("dL_dh2", vector(their_dl_dh2.clone()))];
    let gate2 = case.matrix("dh2_dz2").diagonal();
    let delta = their_dl_dh2.component_mul(&gate2);
    let dl_dh1 = case.matrix("dz2_dh1").tr_mul(&delta);
    let grade = case.grade_after("dL_dh1", vector(dl_dh1.clone()), &earlier);
    assert_eq!(grade.verdict, Verdict::Carried, "{grade:?}");
    let dl_dw2 = &delta * case.vector("h1").transpose();
    assert_eq!(case.grade_after("dL_dW2", matrix(dl_dw2), &earlier).verdict, Verdict::Carried);
    // Step 4 from their (carried) ∂L/∂h(1).
    let earlier = [("dL_dh2", vector(their_dl_dh2)), ("dL_dh1", vector(dl_dh1.clone()))];
    let gate1 = case.matrix("dh1_dz1").diagonal();
    let dl_dw1 = dl_dh1.component_mul(&gate1) * case.vector("x").transpose();
    let grade = case.grade_after("dL_dW1", matrix(dl_dw1), &earlier);
    assert_eq!(grade.verdict, Verdict::Carried, "{grade:?}");
    assert_eq!(grade.carried_from, vec!["dL_dh1".parse::<QuantityRef>().unwrap()]);
}

#[test]
fn bias_steps_carry_too() {
    let case = Case::new(BIASES);
    let their_dl_do = case.vector("dL_do") * 2.0;
    let earlier = [("dL_do", vector(their_dl_do.clone()))];
    assert_eq!(case.grade_after("dL_dbo", vector(their_dl_do.clone()), &earlier).verdict, Verdict::Carried);
    let their_dl_dh1 = case.vector("dL_dh1") * 3.0;
    let earlier = [("dL_dh1", vector(their_dl_dh1.clone()))];
    let answer = their_dl_dh1.component_mul(&case.matrix("dh1_dz1").diagonal());
    assert_eq!(case.grade_after("dL_db1", vector(answer), &earlier).verdict, Verdict::Carried);
}

/// The notes' network, without what it asks.
const BY_ENTRY_NETWORK: &str = r#"
title = "By entry"
[network]
input = [1, 1, 1]
label = 3
[[network.layers]]
weights = [[1, 0, 0], [0, 1, 0]]
[[network.layers]]
weights = [[1, 3], [2, -1]]
[[network.layers]]
weights = [[0, 1], [1, -1], [0.5, 0]]
"#;

#[test]
fn an_earlier_answer_asked_by_entry_carries() {
    let case = Case::new(&format!("{BY_ENTRY_NETWORK}\n[steps]\nask = [\"dL_do[3]\", \"2A\"]\n"));
    let mut their_dl_do = case.vector("dL_do");
    their_dl_do[2] = 0.2447; // ô_3, the −1 forgotten
    let earlier = [("dL_do[3]", Value::Scalar(0.2447))];
    let answer = case.matrix("do_dh2").tr_mul(&their_dl_do);
    let grade = case.grade_after("dL_dh2", vector(answer), &earlier);
    assert_eq!(grade.verdict, Verdict::Carried, "{grade:?}");
    assert_eq!(grade.carried_from, vec!["dL_do[3]".parse::<QuantityRef>().unwrap()]);
}

#[test]
fn strict_grading_gives_carried_answers_no_point() {
    let case = Case::new(GATES);
    let their_dl_do = case.vector("o_hat");
    let strict =
        Grader::new(&case.lesson, &case.solution, GradeOptions { strict: true, ..GradeOptions::default() });
    let mut earlier = strict.earlier();
    assert!(earlier.record(&"dL_do".parse().unwrap(), Cow::Owned(vector(their_dl_do.clone())), false));
    let answer = vector(case.matrix("do_dh2").tr_mul(&their_dl_do));
    let grade = strict.grade_value(&"dL_dh2".parse().unwrap(), &answer, &earlier);
    assert_eq!(grade.verdict, Verdict::Carried);
    assert!(!grade.is_credited());
}

// ------------------------------------------- what may not feed a carry (gaming patterns)

/// Records `earlier` (asked or not) the way `check` and the tutor do, and grades `answer`.
fn grade_with_feed(case: &Case, asked: &str, answer: Value, earlier: &[(&str, Value, bool)]) -> Grade {
    let grader = case.grader();
    let mut feed = grader.earlier();
    for (question, value, revealed) in earlier {
        feed.record(&question.parse().unwrap(), Cow::Borrowed(value), *revealed);
    }
    grader.grade_value(&asked.parse().unwrap(), &answer, &feed)
}

#[test]
fn keys_that_are_not_asked_never_feed_a_carry() {
    let case = Case::notes();
    // ô = e_y makes ∂L/∂o = 0 "by the method"; z(2) < 0 would close every gate of layer 2; and
    // h(2) = 0 makes ∂L/∂W(o) = 0: none of them is asked, so none may be used.
    let zero = |n: usize| vector(DVector::zeros(n));
    let feed = [
        ("o_hat", vector(onehot(3, 3)), false),
        ("z2", vector(DVector::from_vec(vec![-1.0, -1.0])), false),
        ("h2", zero(2), false),
        ("dL_do[3]", Value::Scalar(0.0), false),
    ];
    for (asked, answer) in [("dL_do", zero(3)), ("dL_dh1", zero(2)), ("dL_dWo", matrix(DMatrix::zeros(3, 2)))]
    {
        let grade = grade_with_feed(&case, asked, answer, &feed);
        assert_eq!(grade.verdict, Verdict::Incorrect, "{asked}: {grade:?}");
        assert!(!grade.is_credited());
    }
}

#[test]
fn a_revealed_answer_never_feeds_a_carry() {
    let case = Case::new(GATES);
    let their_dl_do = case.vector("o_hat");
    let answer = vector(case.matrix("do_dh2").tr_mul(&their_dl_do));
    let revealed = [("dL_do", vector(their_dl_do.clone()), true)];
    assert_eq!(grade_with_feed(&case, "dL_dh2", answer.clone(), &revealed).verdict, Verdict::Incorrect);
    let typed = [("dL_do", vector(their_dl_do), false)];
    assert_eq!(grade_with_feed(&case, "dL_dh2", answer, &typed).verdict, Verdict::Carried);
}

#[test]
fn following_an_all_zero_answer_earns_nothing() {
    let case = Case::notes();
    let grade =
        case.grade_after("dL_dh2", vector(DVector::zeros(2)), &[("dL_do", vector(DVector::zeros(3)))]);
    assert_eq!(grade.verdict, Verdict::Incorrect, "{grade:?}");
    assert!(grade.message.contains("all zeros") && grade.message.contains("dL_do"), "{}", grade.message);
    // Tiny numbers are zeros too.
    let tiny = vector(DVector::from_vec(vec![1e-4, -1e-4, 1e-4]));
    let answer = vector(case.matrix("do_dh2").tr_mul(&DVector::from_vec(vec![1e-4, -1e-4, 1e-4])));
    assert_eq!(case.grade_after("dL_dh2", answer, &[("dL_do", tiny)]).verdict, Verdict::Incorrect);
}

#[test]
fn a_carry_that_lands_on_zeros_earns_nothing() {
    let case = Case::new(GATES);
    // ∂L/∂h(2) with its nonzero entry where layer 2's gate is closed: every path back through
    // W(2) is stopped, so "the method" gives ∂L/∂h(1) = 0 while the true value is not.
    let gate = case.matrix("dh2_dz2").diagonal();
    let closed = gate.iter().position(|g| *g == 0.0).expect("GATES closes a unit of layer 2");
    let their_dl_dh2 = DVector::from_fn(2, |i, _| if i == closed { 1.5 } else { 0.0 });
    let grade = case.grade_after("dL_dh1", vector(DVector::zeros(2)), &[("dL_dh2", vector(their_dl_dh2))]);
    assert_eq!(grade.verdict, Verdict::Incorrect, "{grade:?}");
    assert!(grade.message.contains("all zeros"), "{}", grade.message);
}

#[test]
fn an_answer_computed_from_an_honestly_rounded_one_is_correct() {
    let lesson = load_lesson("mse").unwrap();
    let solution = Solution::new(lesson.network());
    let case = Case { lesson, solution };
    let round = |x: f64| (x * 100.0).round() / 100.0;
    let rounded = case.vector("dL_dh2").map(round);
    assert_eq!(case.grade("dL_dh2", vector(rounded.clone())).verdict, Verdict::Correct);
    let gate = case.matrix("dh2_dz2").diagonal();
    let from_rounded = rounded.component_mul(&gate) * case.vector("h1").transpose();
    // On its own it is off: the rounding has grown past the tolerance.
    assert_eq!(case.grade("dL_dW2", matrix(from_rounded.clone())).verdict, Verdict::Incorrect);
    let grade = case.grade_after("dL_dW2", matrix(from_rounded), &[("dL_dh2", vector(rounded))]);
    assert_eq!(grade.verdict, Verdict::Correct, "{grade:?}");
    assert!(grade.is_credited() && grade.carried_from.is_empty());
}

#[test]
fn nothing_is_carried_from_right_earlier_answers() {
    let case = Case::new(GATES);
    let earlier = [("dL_do", case.value("dL_do"))];
    let grade = case.grade_after("dL_dh2", vector(case.vector("dL_dh2") * 2.0), &earlier);
    assert_eq!(grade.verdict, Verdict::Incorrect);
    assert!(grade.carried_from.is_empty());
}

#[test]
fn a_mistake_made_on_the_learners_own_numbers_is_still_diagnosed() {
    let case = Case::new(GATES);
    // A wrong ∂L/∂h(2), then Step 3A without the gate, from that wrong value.
    let their_dl_dh2 = case.vector("dL_dh2") * 2.0;
    let earlier = [("dL_dh2", vector(their_dl_dh2.clone()))];
    let answer = case.matrix("dz2_dh1").tr_mul(&their_dl_dh2);
    let grade = case.grade_after("dL_dh1", vector(answer), &earlier);
    assert_eq!(grade.verdict, Verdict::Incorrect);
    assert_eq!(grade.diagnosis.map(|d| d.id.name()), Some("gate_missing"));
}

#[test]
fn verdicts_print_as_lowercase_words() {
    let words: Vec<String> =
        [Verdict::Correct, Verdict::Incorrect, Verdict::Invalid, Verdict::Missing, Verdict::Carried]
            .iter()
            .map(|v| format!("{v}={}", serde_json::to_string(v).unwrap()))
            .collect();
    assert_eq!(
        words,
        [
            "correct=\"correct\"",
            "incorrect=\"incorrect\"",
            "invalid=\"invalid\"",
            "missing=\"missing\"",
            "carried=\"carried\""
        ]
    );
}

#[test]
fn the_forward_pass_carries_when_the_lesson_asks_it() {
    let case = Case::new(&format!("{BY_ENTRY_NETWORK}\n[steps]\nask = [\"forward\", \"1\"]\n"));
    // A slip in o(2), then ô, L and ∂L/∂o computed right from it.
    let their_o = DVector::from_vec(vec![1.0, 2.0, 2.0]);
    let exp = their_o.map(f64::exp);
    let their_o_hat = &exp / exp.sum();
    let earlier = [("o", vector(their_o.clone())), ("o_hat", vector(their_o_hat.clone()))];
    let grade = case.grade_after("o_hat", vector(their_o_hat.clone()), &earlier);
    assert_eq!((grade.verdict, grade.carried_from.len()), (Verdict::Carried, 1), "{grade:?}");
    let grade = case.grade_after("loss", Value::Scalar(-their_o_hat[2].ln()), &earlier);
    assert_eq!(grade.verdict, Verdict::Carried, "{grade:?}");
    let grade = case.grade_after("dL_do", vector(their_o_hat.clone() - onehot(3, 3)), &earlier);
    assert_eq!(grade.verdict, Verdict::Carried, "{grade:?}");
    assert_eq!(grade.carried_from, vec!["o_hat".parse::<QuantityRef>().unwrap()]);
    // Where the lesson does not ask the forward pass, ô is the lesson's own.
    let notes = Case::notes();
    let grade = grade_with_feed(
        &notes,
        "dL_do",
        vector(their_o_hat - onehot(3, 3)),
        &[("o_hat", vector(DVector::zeros(3)), false)],
    );
    assert_eq!(grade.verdict, Verdict::Incorrect, "{grade:?}");
}
