//! Every diagnosis id of DESIGN.md §9 (the training ones aside): an answer with exactly that
//! mistake, on a lesson where it changes the numbers, gets that id, with a message naming the
//! notes' equation (and the notes' own slip, where the mistake follows one); two slips at once
//! get the composed id; and no answer is diagnosed that is right, or wrong at random (a
//! property test over generated lessons).
//!
//! The wrong answers are built here from the engine's values with plain nalgebra, not with the
//! grader's formulas, so they check the grader rather than restate it.

use backprop_tutor::answer::{Grade, GradeOptions, Grader, Verdict};
use backprop_tutor::authoring::generate::{Options, generate};
use backprop_tutor::diagnosis::DiagnosisId;
use backprop_tutor::engine::Solution;
use backprop_tutor::lesson::{Lesson, LossKind, load_lesson, parse_lesson};
use backprop_tutor::network::Activation;
use backprop_tutor::value::{Shape, Value};
use nalgebra::{DMatrix, DVector};
use proptest::prelude::*;
use strum::IntoEnumIterator;

/// The notes' shape with closed gates in both hidden layers (unit 2 of layer 1, unit 1 of
/// layer 2), a square W(2) that is not symmetric, label 2: `new --seed lint-clean`, where every
/// mistake changes the numbers.
const DISTINCT: &str = r#"
title = "distinct"
[network]
input = [0.6, -1.4, -2.0]
label = 2
[[network.layers]]
weights = [[-0.6, 0.3, -1.0], [0.8, 1.1, 0.9]]
[[network.layers]]
weights = [[-1.0, -0.4], [1.5, -0.5]]
[[network.layers]]
weights = [[1.1, -0.3], [-0.2, 1.3], [-1.2, 1.5]]
"#;

/// Leaky ReLUs with a closed unit in each layer, whose slope 0.01 shows in Steps 3B and 4:
/// `new --seed diagnoses --activation leaky_relu --expose leaky_as_relu`.
const LEAKY: &str = r#"
title = "leaky"
[network]
input = [2.0, -1.6, -1.5]
label = 3
activation = "leaky_relu"
[[network.layers]]
weights = [[0.2, 0.5, 0.2], [-0.4, -1.0, -1.0]]
[[network.layers]]
weights = [[0.7, 1.4], [1.2, -0.3]]
[[network.layers]]
weights = [[1.3, -0.5], [0.2, 0.9], [-0.2, 1.3]]
"#;

/// A lesson and its engine's values.
struct On {
    lesson: Lesson,
    solution: Solution,
}

impl On {
    fn text(source: &str) -> On {
        On::lesson(parse_lesson("test", source).unwrap())
    }

    fn shipped(name: &str) -> On {
        On::lesson(load_lesson(name).unwrap())
    }

    fn lesson(lesson: Lesson) -> On {
        let solution = Solution::new(lesson.network());
        On { lesson, solution }
    }

    fn column(&self, name: &str) -> DVector<f64> {
        match self.solution.value_of(&name.parse().unwrap()).unwrap() {
            Value::Vector(v) => v,
            other => panic!("{name} is {other:?}"),
        }
    }

    fn matrix(&self, name: &str) -> DMatrix<f64> {
        match self.solution.value_of(&name.parse().unwrap()).unwrap() {
            Value::Matrix(m) => m,
            other => panic!("{name} is {other:?}"),
        }
    }

    fn entry(&self, name: &str) -> f64 {
        self.solution.value_of(&name.parse().unwrap()).unwrap().entries()[0]
    }

    /// f'(z(l)), as the gate's diagonal.
    fn slope(&self, l: usize) -> DVector<f64> {
        self.matrix(&format!("dh{l}_dz{l}")).diagonal()
    }

    fn grade(&self, asked: &str, answer: &Value) -> Grade {
        let grader = Grader::new(&self.lesson, &self.solution, GradeOptions::default());
        grader.grade_value(&asked.parse().unwrap(), answer, &grader.earlier())
    }

    fn label(&self) -> usize {
        match self.lesson.network().objective() {
            backprop_tutor::network::Objective::SoftmaxCrossEntropy { label } => *label,
            backprop_tutor::network::Objective::Mse { .. } => unreachable!("softmax lessons only"),
        }
    }
}

fn onehot(n: usize, class: usize) -> DVector<f64> {
    DVector::from_fn(n, |i, _| if i + 1 == class { 1.0 } else { 0.0 })
}

fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

/// ∂L/∂h(l − 1) through layer l with `gate` in place of f'(z(l)): Wᵀ (∂L/∂h(l) ⊙ gate).
fn back_through(on: &On, l: usize, gate: &DVector<f64>) -> Value {
    let w = on.matrix(&format!("dz{l}_dh{}", l - 1));
    Value::Vector(w.tr_mul(&on.column(&format!("dL_dh{l}")).component_mul(gate)))
}

/// ∂L/∂W(l) with `gate` in place of f'(z(l)): (∂L/∂h(l) ⊙ gate) (h(l − 1))ᵀ.
fn weights_with(on: &On, l: usize, gate: &DVector<f64>) -> Value {
    let below = if l == 1 { on.column("x") } else { on.column(&format!("h{}", l - 1)) };
    Value::Matrix(on.column(&format!("dL_dh{l}")).component_mul(gate) * below.transpose())
}

/// One answer with exactly one mistake.
struct Example {
    id: DiagnosisId,
    on: On,
    asked: &'static str,
    answer: Value,
    /// What the message must say: the notes' equation, or their slip.
    says: &'static [&'static str],
}

fn example(
    id: DiagnosisId,
    on: On,
    asked: &'static str,
    answer: Value,
    says: &'static [&'static str],
) -> Example {
    Example { id, on, asked, answer, says }
}

/// An answer with each single mistake, several for some.
fn examples() -> Vec<Example> {
    use DiagnosisId::*;
    let d = || On::text(DISTINCT);
    let sig = || On::shipped("sigmoid");
    let tanh = || On::shipped("tanh");
    let leaky = || On::text(LEAKY);
    let mse = || On::shipped("mse");
    let mut out = Vec::new();
    let on = d();
    let transposed = Value::Matrix(on.matrix("dL_dW2").transpose());
    out.push(example(Transposed, on, "dL_dW2", transposed, &["(79)"]));
    let on = d();
    let negated = Value::Matrix(-on.matrix("dL_dW1"));
    out.push(example(SignFlipped, on, "dL_dW1", negated, &[]));

    // Step 1 (Eqs. (8)–(12), (60)).
    let on = d();
    let (o_hat, y) = (on.column("o_hat"), on.label());
    out.push(example(MissingOnehot, d(), "dL_do", Value::Vector(o_hat.clone()), &["(60)"]));
    let used = on.column("o") - onehot(3, y);
    out.push(example(UsedLogits, d(), "dL_do", Value::Vector(used), &["(60)"]));
    let off = &o_hat - onehot(3, y + 1);
    out.push(example(LabelOffByOne, d(), "dL_do", Value::Vector(off), &["(60)"]));
    let only = onehot(3, y).component_mul(&(&o_hat - onehot(3, y)));
    out.push(example(NontargetZero, d(), "dL_do", Value::Vector(only), &["(9)", "(60)"]));
    let wrt = DVector::from_fn(3, |i, _| if i + 1 == y { -1.0 / o_hat[i] } else { 0.0 });
    out.push(example(WrtProbabilities, d(), "dL_do", Value::Vector(wrt), &["(8)–(12)", "(60)"]));
    let on = mse();
    let error = on.column("o") - DVector::from_vec(vec![1.0, 4.0]);
    out.push(example(MseFactor, on, "dL_do", Value::Vector(&error * 2.0), &["o − t", "(12)"]));
    out.push(example(MseFactor, mse(), "dL_do", Value::Vector(&error / 2.0), &["o − t"]));

    // Steps 2A and 3A: the column of W where its row belongs. A 2×1 column, as the product
    // W(2)·(∂L/∂h(2))ᵀ comes out when typed in the tutor.
    let on = d();
    let wrong = on.matrix("dz2_dh1") * on.column("dL_dh2").component_mul(&on.slope(2));
    let column = Value::Matrix(DMatrix::from_column_slice(2, 1, wrong.as_slice()));
    out.push(example(WeightsNotTransposed, on, "dL_dh1", column, &["(75)", "W(2)"]));
    let on = tanh();
    let wrong = on.matrix("do_dh2") * on.column("dL_do");
    out.push(example(WeightsNotTransposed, on, "dL_dh2", Value::Vector(wrong), &["(65)", "W(o)"]));

    // The gates (Eqs. (73), (75), (79)).
    let on = d();
    let ones = DVector::from_element(2, 1.0);
    let ungated = weights_with(&on, 1, &ones);
    out.push(example(GateMissing, on, "dL_dW1", ungated, &["(79), with h(0) = x"]));
    let on = d();
    let wrong_layer = back_through(&on, 2, &on.slope(1));
    out.push(example(GateWrongLayer, on, "dL_dh1", wrong_layer, &["layer 1", "(75)"]));
    let on = sig();
    let by_h = weights_with(&on, 2, &on.column("h2"));
    out.push(example(GateUsedActivation, on, "dL_dW2", by_h, &["h(2)", "(79)"]));
    let on = sig();
    let by_z = back_through(&on, 2, &on.column("z2"));
    out.push(example(GateUsedActivation, on, "dL_dh1", by_z, &["z(2)", "(75)"]));
    // f' at h: σ'(h) = σ(h)(1 − σ(h)); and the h-form h(1 − h) worked with z.
    let on = sig();
    let at_h = on.column("h2").map(|h| sigmoid(h) * (1.0 - sigmoid(h)));
    let wrong = weights_with(&on, 2, &at_h);
    out.push(example(DerivativeWrongArgument, on, "dL_dW2", wrong, &["h(2)", "(79)"]));
    let on = sig();
    let form_at_z = on.column("z2").map(|z| z * (1.0 - z));
    let wrong = back_through(&on, 2, &form_at_z);
    out.push(example(DerivativeWrongArgument, on, "dL_dh1", wrong, &["h(1 − h)", "(75)"]));
    let on = tanh();
    let at_h = on.column("h2").map(|h| 1.0 - h.tanh().powi(2));
    let wrong = back_through(&on, 2, &at_h);
    out.push(example(DerivativeWrongArgument, on, "dL_dh1", wrong, &["(75)"]));
    let on = tanh();
    let form_at_z = on.column("z1").map(|z| 1.0 - z * z);
    let wrong = weights_with(&on, 1, &form_at_z);
    out.push(example(DerivativeWrongArgument, on, "dL_dW1", wrong, &["1 − h²", "(79)"]));
    let on = leaky();
    let relu_slope = on.column("z2").map(|z| if z > 0.0 { 1.0 } else { 0.0 });
    let wrong = weights_with(&on, 2, &relu_slope);
    out.push(example(LeakyAsRelu, on, "dL_dW2", wrong, &["0.01", "(79)"]));
    let on = leaky();
    let relu_slope = on.column("z1").map(|z| if z > 0.0 { 1.0 } else { 0.0 });
    let wrong = weights_with(&on, 1, &relu_slope);
    out.push(example(LeakyAsRelu, on, "dL_dW1", wrong, &["0.01"]));

    // Step 2B with z(2) for h(2).
    let on = d();
    let with_z = Value::Matrix(on.column("dL_do") * on.column("z2").transpose());
    out.push(example(WrongActivation, on, "dL_dWo", with_z, &["z(2)", "(69)"]));

    // A single entry: the mirrored one, another unit's.
    let on = d();
    let mirrored = Value::Scalar(on.entry("dL_dWo[1,2]"));
    out.push(example(IndexSwap, on, "dL_dWo[2,1]", mirrored, &["[1,2]", "(69)"]));
    let on = d();
    let other_unit = Value::Scalar(on.entry("dL_do[1]"));
    out.push(example(IndexSwap, on, "dL_do[3]", other_unit, &["∂L/∂o1"]));

    // The notes' own numbers: Step 2B's h(2) = [1, 2] on the network whose h(2) is [4, 1].
    let on = On::shipped("notes-example");
    let copied = Value::Matrix(on.column("dL_do") * DMatrix::from_row_slice(1, 2, &[1.0, 2.0]));
    out.push(example(NotesNumbers, on, "dL_dWo", copied, &["[1, 2]", "[4, 1]", "(69)"]));
    // Step 3A's W(2) on the lesson of the Step 2B numbers, whose W(2) is diag(1, 2).
    let on = On::shipped("notes-step2b");
    let notes_w2 = DMatrix::from_row_slice(2, 2, &[1.0, 3.0, 2.0, -1.0]);
    let copied = Value::Vector(notes_w2.tr_mul(&on.column("dL_dh2").component_mul(&on.slope(2))));
    out.push(example(NotesNumbers, on, "dL_dh1", copied, &["[[1, 3], [2, −1]]", "(75)"]));
    // Step 1's o = [1, 3, 2].
    let on = d();
    let e = DVector::from_vec(vec![1.0, 3.0, 2.0]).map(f64::exp);
    let copied = &e / e.sum() - onehot(3, on.label());
    out.push(example(NotesNumbers, on, "dL_do", Value::Vector(copied), &["[1, 3, 2]", "(60)"]));

    // Rounded too early: ∂L/∂h(1) = [−0.863, 1.438] to 2 digits.
    let on = On::shipped("notes-example");
    let rounded = Value::Vector(on.column("dL_dh1").map(|x| round_to(x, 2)));
    out.push(example(
        TooFewDigits,
        on,
        "dL_dh1",
        rounded,
        &["2 significant digits", "give 3 significant digits"],
    ));
    out
}

/// The power of ten that puts `digits` significant digits of `x` before the decimal point.
fn scale(x: f64, digits: i32) -> f64 {
    10f64.powi(digits - 1 - x.abs().log10().floor() as i32)
}

/// `x` rounded to `digits` significant digits.
fn round_to(x: f64, digits: i32) -> f64 {
    (x * scale(x, digits)).round() / scale(x, digits)
}

fn assert_diagnosed(on: &On, asked: &str, answer: &Value, id: DiagnosisId) -> Grade {
    let grade = on.grade(asked, answer);
    assert_eq!(grade.verdict, Verdict::Incorrect, "{id} at {asked}: {grade:?}");
    assert_eq!(grade.diagnosis.as_ref().map(|d| d.id), Some(id), "{id} at {asked}: {grade:?}");
    grade
}

#[test]
fn every_single_mistake_gets_its_id_and_names_the_fix() {
    let examples = examples();
    // The mistakes of a dataset's totals and of the update: tests/training_check.rs.
    let training =
        [DiagnosisId::Ascent, DiagnosisId::ForgotEta, DiagnosisId::OneExample, DiagnosisId::MeanVsSum];
    for id in DiagnosisId::iter().filter(|id| id.parts().is_none() && !training.contains(id)) {
        assert!(examples.iter().any(|e| e.id == id), "no example of {id}");
    }
    for e in &examples {
        let grade = assert_diagnosed(&e.on, e.asked, &e.answer, e.id);
        let message = &grade.diagnosis.unwrap().message;
        for &words in e.says {
            assert!(message.contains(words), "{} at {}: {message:?} lacks {words:?}", e.id, e.asked);
        }
        assert!(grade.message.ends_with(message.as_str()), "the grade's message ends with the diagnosis");
    }
}

/// `answer` with the whole-answer slip `slip` made to it.
fn slipped(answer: &Value, slip: DiagnosisId) -> Option<Value> {
    match (slip, answer) {
        (DiagnosisId::SignFlipped, _) => Some(answer.map(|x| -x)),
        (DiagnosisId::Transposed, Value::Matrix(m)) => Some(Value::Matrix(m.transpose())),
        _ => None,
    }
}

#[test]
fn two_slips_at_once_get_the_composed_id() {
    let examples = examples();
    for id in DiagnosisId::iter() {
        let Some((first, second)) = id.parts() else { continue };
        if id == DiagnosisId::WeightsNotTransposedGateMissing {
            continue; // Below: two slips inside one formula.
        }
        // Every composed id but that one is a slip inside the formula, then one to the whole.
        let e = examples
            .iter()
            .find(|e| e.id == first && slipped(&e.answer, second).is_some())
            .unwrap_or_else(|| panic!("no example of {first} to {second}"));
        let answer = slipped(&e.answer, second).unwrap();
        let grade = assert_diagnosed(&e.on, e.asked, &answer, id);
        assert!(grade.diagnosis.unwrap().message.starts_with("Two slips at once."));
    }
    // Step 3A typed weights first, without the gate: W(2)·(∂L/∂h(2))ᵀ, as a column.
    let on = On::text(DISTINCT);
    let typed = on.matrix("dz2_dh1") * on.column("dL_dh2");
    let column = Value::Matrix(DMatrix::from_column_slice(2, 1, typed.as_slice()));
    assert_diagnosed(&on, "dL_dh1", &column, DiagnosisId::WeightsNotTransposedGateMissing);
    // The spec's example, on Step 2B: the outer product transposed and negated.
    let negated = Value::Matrix(-on.matrix("dL_dWo").transpose());
    assert_diagnosed(&on, "dL_dWo", &negated, DiagnosisId::TransposedSignFlipped);
}

#[test]
fn on_the_notes_network_the_weights_first_step_3a_is_named() {
    // In the tutor, W(2)·(∂L/∂h(2))ᵀ for Step 3A got only "Both entries are off": every gate is
    // open there, so it is the row-for-column slip alone.
    let on = On::shipped("notes-example");
    let typed = on.matrix("dz2_dh1") * on.column("dL_dh2");
    let column = Value::Matrix(DMatrix::from_column_slice(2, 1, typed.as_slice()));
    let grade = assert_diagnosed(&on, "dL_dh1", &column, DiagnosisId::WeightsNotTransposed);
    assert!(grade.message.starts_with("Both entries are off. This is W(2)·(∂L/∂h(2))ᵀ"), "{}", grade.message);
    // As a flat list or a row, the same.
    assert_diagnosed(&on, "dL_dh1", &Value::Vector(typed), DiagnosisId::WeightsNotTransposed);
}

#[test]
fn index_swaps_that_follow_the_misprint_of_eq_37_say_so() {
    // The notes' Eq. (37) computes ∂L/∂h2(1) but prints ∂L/∂h1(2) on its left.
    let on = On::shipped("notes-questions");
    let h2_1 = Value::Scalar(on.entry("dL_dh2[1]"));
    let grade = assert_diagnosed(&on, "dL_dh1[2]", &h2_1, DiagnosisId::IndexSwap);
    let message = grade.diagnosis.unwrap().message;
    assert!(message.contains("∂L/∂h1(2)") && message.contains("Eq. (37)"), "{message}");
    let h1_2 = Value::Scalar(on.entry("dL_dh1[2]"));
    let grade = assert_diagnosed(&on, "dL_dh2[1]", &h1_2, DiagnosisId::IndexSwap);
    assert!(grade.diagnosis.unwrap().message.contains("Eq. (37)"));
}

#[test]
fn the_notes_numbers_say_where_the_notes_slip() {
    // On the lesson that reproduces Step 2B, h(2) = [4, 1] is the Step 3A network's.
    let on = On::shipped("notes-step2b");
    let copied = Value::Matrix(on.column("dL_do") * DMatrix::from_row_slice(1, 2, &[4.0, 1.0]));
    let grade = assert_diagnosed(&on, "dL_dWo", &copied, DiagnosisId::NotesNumbers);
    assert!(grade.message.contains("[1, 2]") && grade.message.contains("Step 3A"), "{}", grade.message);
    // Where the lesson's own numbers are the notes', they are no mistake: right is right.
    let right = Value::Matrix(on.column("dL_do") * DMatrix::from_row_slice(1, 2, &[1.0, 2.0]));
    assert_eq!(on.grade("dL_dWo", &right).verdict, Verdict::Correct);
}

#[test]
fn rounding_within_the_tolerance_is_right_and_below_it_is_named() {
    let on = On::shipped("notes-example");
    let three = Value::Vector(on.column("dL_dh1").map(|x| round_to(x, 3)));
    assert_eq!(on.grade("dL_dh1", &three).verdict, Verdict::Correct);
    // Cut rather than rounded, to one digit: [−0.8, 1], still too early.
    let cut = Value::Vector(on.column("dL_dh1").map(|x| (x * scale(x, 1)).trunc() / scale(x, 1)));
    let grade = assert_diagnosed(&on, "dL_dh1", &cut, DiagnosisId::TooFewDigits);
    assert!(grade.message.contains("1 significant digit —"), "{}", grade.message);
    // An entry rounded the other way is no rounding.
    let mut wrong = on.column("dL_dh1").map(|x| round_to(x, 2));
    wrong[1] += 0.1;
    assert_eq!(on.grade("dL_dh1", &Value::Vector(wrong)).diagnosis, None);
}

// ---------------------------------------------------------------- no false alarms

const ACTIVATIONS: [Activation; 5] =
    [Activation::Relu, Activation::LeakyRelu, Activation::Sigmoid, Activation::Tanh, Activation::Identity];

prop_compose! {
    fn any_lesson()(
        seed in "[a-z]{1,8}",
        hidden in prop::collection::vec(1usize..=4, 1..=3),
        sizes in (1usize..=4, 2usize..=4),
        activation in prop::sample::select(ACTIVATIONS.to_vec()),
        bias in any::<bool>(),
        mse in any::<bool>(),
    ) -> Options {
        let loss = if mse { LossKind::Mse } else { LossKind::SoftmaxCrossEntropy };
        let layers = [vec![sizes.0], hidden, vec![sizes.1]].concat();
        Options { layers, seed, activation, bias, loss, training: Default::default() }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn right_and_random_answers_get_no_diagnosis(options in any_lesson(), noise in prop::collection::vec(-3.0f64..3.0, 64)) {
        let on = On::lesson(parse_lesson("generated", &generate(&options).unwrap()).unwrap());
        for question in backprop_tutor::answer::questions(&on.lesson) {
            let name = question.asked.to_string();
            let right = on.solution.value_of(&question.asked).unwrap();
            let grade = on.grade(&name, &right);
            prop_assert_eq!(grade.verdict, Verdict::Correct, "{}", name);
            prop_assert!(grade.diagnosis.is_none());
            // A random single number lands within 1% of some known wrong answer now and then;
            // for two numbers or more at once that is chance no longer.
            let shape = right.shape();
            if shape.entry_count() < 2 {
                continue;
            }
            let draws: Vec<f64> = noise.iter().copied().cycle().take(shape.entry_count()).collect();
            let random = match shape {
                Shape::Scalar => Value::Scalar(draws[0]),
                Shape::Vector(_) => Value::Vector(DVector::from_vec(draws)),
                Shape::Matrix(r, c) => Value::Matrix(DMatrix::from_row_slice(r, c, &draws)),
            };
            let grade = on.grade(&name, &random);
            if grade.verdict == Verdict::Incorrect {
                prop_assert!(grade.diagnosis.is_none(), "{}: {:?} for {:?}", name, grade.diagnosis, random);
            }
        }
    }
}
