//! The answer language as students type it: one table of inputs with their exact values or
//! error positions, covering every part of the language (numbers and functions, products
//! without '*', MATLAB and numpy forms, pasted characters, matrix arithmetic, names, errors
//! and limits), and the API a caller uses for formula answers.

use backprop_tutor::answer::language::{Binding, Environment, Names, NoNames, parse, parse_answer};
use backprop_tutor::value::Value;
use nalgebra::{DMatrix, DVector};
use std::borrow::Cow;
use std::f64::consts::{E, PI};

/// What an input must give: a value, or an error at a column whose message holds the text.
enum Expect {
    Is(Value),
    Fails(usize, &'static str),
}

fn scalar(x: f64) -> Expect {
    Expect::Is(Value::Scalar(x))
}

fn list(entries: &[f64]) -> Expect {
    Expect::Is(Value::Vector(DVector::from_column_slice(entries)))
}

fn matrix(rows: usize, cols: usize, entries: &[f64]) -> Expect {
    Expect::Is(Value::Matrix(DMatrix::from_row_slice(rows, cols, entries)))
}

fn of(m: DMatrix<f64>) -> Expect {
    Expect::Is(Value::Matrix(m))
}

fn fails(column: usize, message: &'static str) -> Expect {
    Expect::Fails(column, message)
}

fn rows(r: usize, c: usize, entries: &[f64]) -> DMatrix<f64> {
    DMatrix::from_row_slice(r, c, entries)
}

/// A small two-hidden-layer network's quantities, in the notes' orientation: gradients are
/// rows, activations columns.
fn lesson() -> Names {
    let mut names = Names::new();
    names
        .insert("x", rows(2, 1, &[1.0, -1.0]))
        .insert("W1", rows(2, 2, &[1.0, 2.0, -1.0, 0.5]))
        .insert("z1", rows(2, 1, &[-1.0, -1.5]))
        .insert("h1", rows(2, 1, &[0.5, 2.0]))
        .insert("W2", rows(2, 2, &[1.0, -2.0, 3.0, 1.0]))
        .insert("z2", rows(2, 1, &[1.5, -0.5]))
        .insert("h2", rows(2, 1, &[1.5, 0.0]))
        .insert("Wo", rows(3, 2, &[1.0, 0.5, -1.0, 2.0, 0.25, 1.0]))
        .insert("o", rows(3, 1, &[1.5, -1.5, 0.375]))
        .insert("o_hat", rows(3, 1, &[0.2, 0.3, 0.5]))
        .insert("e_y", rows(3, 1, &[0.0, 0.0, 1.0]))
        .insert("dL_do", rows(1, 3, &[0.2, 0.3, -0.5]))
        .insert("dL_dh2", rows(1, 2, &[-0.225, 0.2]))
        .insert("dL_dh1", rows(1, 2, &[-0.225, 0.45]))
        .insert("b1", rows(2, 1, &[0.1, -0.1]));
    names
}

fn value_of(names: &Names, name: &str) -> DMatrix<f64> {
    match names.lookup(name) {
        Binding::Value(m) => m.into_owned(),
        other => panic!("{name}: {other:?}"),
    }
}

fn close(a: f64, b: f64) -> bool {
    a == b || (a - b).abs() <= 1e-12 * a.abs().max(b.abs()).max(1.0)
}

fn same(got: &Value, expected: &Value) -> bool {
    got.shape() == expected.shape() && got.entries().iter().zip(expected.entries()).all(|(g, e)| close(*g, e))
}

fn check(env: &dyn Environment, input: &str, expected: &Expect) {
    let result = parse(input).and_then(|parsed| parsed.evaluate(env));
    match (result, expected) {
        (Ok(got), Expect::Is(value)) => {
            assert!(same(got.value(), value), "{input:?} gave {:?}, expected {value:?}", got.value())
        }
        (Err(error), Expect::Fails(column, message)) => {
            assert_eq!(error.column, *column, "{input:?}:\n{}", error.render(input));
            assert!(
                error.message.contains(message),
                "{input:?}:\n{}\nlacks {message:?}",
                error.render(input)
            );
        }
        (Ok(got), Expect::Fails(..)) => panic!("{input:?} gave {:?}, expected an error", got.value()),
        (Err(error), Expect::Is(_)) => panic!("{input:?} failed:\n{}", error.render(input)),
    }
}

#[test]
fn every_part_of_the_language() {
    let names = lesson();
    let v = |name: &str| value_of(&names, name);
    let gate = DMatrix::from_diagonal(&DVector::from_column_slice(&[1.0, 0.0]));
    let sum = E + E.powi(3) + E.powi(2);
    let softmax = {
        let total = 1f64.exp() + 2f64.exp() + 3f64.exp();
        [1f64.exp() / total, 2f64.exp() / total, 3f64.exp() / total]
    };
    let table: Vec<(&str, Expect)> = vec![
        // Numbers and operators.
        ("-0.755", scalar(-0.755)),
        ("1e-3", scalar(0.001)),
        (".5", scalar(0.5)),
        ("5.", scalar(5.0)),
        ("2E+5", scalar(200_000.0)),
        ("2**3", scalar(8.0)),
        ("2^3^2", scalar(512.0)),
        ("2**3**2", scalar(512.0)),
        ("-2^2", scalar(-4.0)),
        ("2^-1", scalar(0.5)),
        ("(1+2)*3", scalar(9.0)),
        ("8/4/2", scalar(1.0)),
        ("1-2-3", scalar(-4.0)),
        // Constants and functions.
        ("e", scalar(E)),
        ("pi", scalar(PI)),
        ("π/2", scalar(PI / 2.0)),
        ("exp(1)", scalar(E)),
        ("ln(e^2)", scalar(2.0)),
        ("log(e)", scalar(1.0)),
        ("log10(1000)", scalar(3.0)),
        ("sqrt(16)", scalar(4.0)),
        ("abs(-3)", scalar(3.0)),
        ("tanh(0.5)", scalar(0.5f64.tanh())),
        ("sigmoid(0)", scalar(0.5)),
        ("sigmoid(-1000)", scalar(0.0)),
        ("relu(-2)", scalar(0.0)),
        ("relu(3)", scalar(3.0)),
        ("relu([-1 2])", matrix(1, 2, &[0.0, 2.0])),
        ("exp([0; 1])", matrix(2, 1, &[1.0, E])),
        ("np.exp(0) + math.pi", scalar(1.0 + PI)),
        // Products without '*'.
        ("2pi", scalar(2.0 * PI)),
        ("2(3+1)", scalar(8.0)),
        ("(1+2)(3)", scalar(9.0)),
        ("2 e^3", scalar(2.0 * E.powi(3))),
        ("2e-3", scalar(0.002)),
        ("2e", scalar(2.0 * E)),
        ("2 sqrt(4)", scalar(4.0)),
        ("1/2pi", scalar(PI / 2.0)),
        ("3x", of(v("x") * 3.0)),
        ("2e_y", of(v("e_y") * 2.0)),
        ("2 3", fails(2, "expected an operator between '2' and '3'")),
        // Inside brackets a space separates entries.
        ("[1 -2]", list(&[1.0, -2.0])),
        ("[1 - 2]", list(&[-1.0])),
        ("[1 -  2]", list(&[-1.0])),
        ("[1 +2]", list(&[1.0, 2.0])),
        ("[-1 -2]", list(&[-1.0, -2.0])),
        ("[2 e^3]", list(&[2.0, E.powi(3)])),
        ("[2e^3]", list(&[2.0 * E.powi(3)])),
        ("[2 e ^ 3]", list(&[2.0, E.powi(3)])),
        ("[(1 -2)]", list(&[-1.0])),
        ("[exp(1 -1) 2]", list(&[1.0, 2.0])),
        ("[1e-3 2]", list(&[0.001, 2.0])),
        // Vectors and matrices, MATLAB and numpy.
        ("[1, 2, 3]", list(&[1.0, 2.0, 3.0])),
        ("[1 2 3]", list(&[1.0, 2.0, 3.0])),
        ("[1;2;3]", list(&[1.0, 2.0, 3.0])),
        ("[1, 2, 3,]", list(&[1.0, 2.0, 3.0])),
        ("[1;2;3;]", list(&[1.0, 2.0, 3.0])),
        ("([1, 2])", list(&[1.0, 2.0])),
        ("[[1, 2], [3, 4]]", matrix(2, 2, &[1.0, 2.0, 3.0, 4.0])),
        ("[1 2; 3 4]", matrix(2, 2, &[1.0, 2.0, 3.0, 4.0])),
        ("[1, 2; 3, 4]", matrix(2, 2, &[1.0, 2.0, 3.0, 4.0])),
        ("[1 2; 3 4;]", matrix(2, 2, &[1.0, 2.0, 3.0, 4.0])),
        ("[[1, 2], [3, 4],]", matrix(2, 2, &[1.0, 2.0, 3.0, 4.0])),
        ("[[1. 2.] [3. 6.]]", matrix(2, 2, &[1.0, 2.0, 3.0, 6.0])),
        ("[[1. 2.]\n [3. 6.]]", matrix(2, 2, &[1.0, 2.0, 3.0, 6.0])),
        ("[[ 0.288 -0.575]]", matrix(1, 2, &[0.288, -0.575])),
        ("[ 2.88e-01 -5.75e-01]", list(&[0.288, -0.575])),
        ("array([[1, 2], [3, 4]])", matrix(2, 2, &[1.0, 2.0, 3.0, 4.0])),
        ("array([0.5, -1.])", list(&[0.5, -1.0])),
        ("np.array([1, 2], dtype=float32)", list(&[1.0, 2.0])),
        ("[[1, 2, 3]]", matrix(1, 3, &[1.0, 2.0, 3.0])),
        ("[[1], [2]]", matrix(2, 1, &[1.0, 2.0])),
        // Pasted characters.
        ("−0.5", scalar(-0.5)),
        ("2 – 1", scalar(1.0)),
        ("2×3 + 2·3 + 2⋅3 + 2∙3", scalar(24.0)),
        ("6÷4", scalar(1.5)),
        ("√4", scalar(2.0)),
        ("√(9)+1", scalar(4.0)),
        ("3² + 2³", scalar(17.0)),
        ("10⁻³", scalar(0.001)),
        ("１.５", scalar(1.5)),
        ("（１＋２）＊３", scalar(9.0)),
        ("［１，２］", list(&[1.0, 2.0])),
        ("1e−3", scalar(0.001)),
        ("\u{feff}0.5\u{200b}", scalar(0.5)),
        // Matrix arithmetic in the notes' orientation.
        ("[1 2 3]'", matrix(3, 1, &[1.0, 2.0, 3.0])),
        ("[1 2 3].T", matrix(3, 1, &[1.0, 2.0, 3.0])),
        ("[1 2 3]^T", matrix(3, 1, &[1.0, 2.0, 3.0])),
        ("[1 2 3]ᵀ", matrix(3, 1, &[1.0, 2.0, 3.0])),
        ("[1 2 3]’", matrix(3, 1, &[1.0, 2.0, 3.0])),
        ("[1 2] * [3; 4]", scalar(11.0)),
        ("[1 2] @ [3; 4]", scalar(11.0)),
        ("[1; 2] * [3 4]", matrix(2, 2, &[3.0, 4.0, 6.0, 8.0])),
        ("2 * [1 2]", matrix(1, 2, &[2.0, 4.0])),
        ("[1 2] / 2", matrix(1, 2, &[0.5, 1.0])),
        ("[1 2] .* [3 4]", matrix(1, 2, &[3.0, 8.0])),
        ("[1 2].*[3 4]", matrix(1, 2, &[3.0, 8.0])),
        ("[1 2] ./ [4 8]", matrix(1, 2, &[0.25, 0.25])),
        ("[1 2] .^ 2", matrix(1, 2, &[1.0, 4.0])),
        ("2.^[1 2]", matrix(1, 2, &[2.0, 4.0])),
        ("[1 2] + 1", matrix(1, 2, &[2.0, 3.0])),
        ("-[1 2]", matrix(1, 2, &[-1.0, -2.0])),
        ("[1 2] > 1", matrix(1, 2, &[0.0, 1.0])),
        ("[1 2] >= 1", matrix(1, 2, &[1.0, 1.0])),
        ("[1 2] ≤ 1", matrix(1, 2, &[1.0, 0.0])),
        ("[0 2] < [1 1]", matrix(1, 2, &[1.0, 0.0])),
        ("diag([1 2])", matrix(2, 2, &[1.0, 0.0, 0.0, 2.0])),
        ("diag([1 2; 3 4])", matrix(2, 1, &[1.0, 4.0])),
        ("outer([1 2], [3 4 5])", matrix(2, 3, &[3.0, 4.0, 5.0, 6.0, 8.0, 10.0])),
        ("sum([1 2 3])", scalar(6.0)),
        ("max([1 5 2])", scalar(5.0)),
        ("softmax([1 2 3])", matrix(1, 3, &softmax)),
        ("softmax([1000 0])", matrix(1, 2, &[1.0, 0.0])),
        ("onehot(2, 3)", matrix(3, 1, &[0.0, 1.0, 0.0])),
        (
            "[e^1 e^3 e^2] ./ (e^1+e^3+e^2) - [0 0 1]",
            matrix(1, 3, &[E / sum, E.powi(3) / sum, E.powi(2) / sum - 1.0]),
        ),
        // The notes' formulas with the lesson's names, Eqs. (60), (65), (69), (75), (79).
        ("(o_hat - e_y)'", of((v("o_hat") - v("e_y")).transpose())),
        ("(o_hat - onehot(3, 3)).T", of((v("o_hat") - v("e_y")).transpose())),
        ("dL_do * Wo", of(v("dL_do") * v("Wo"))),
        ("dL_do' * h2'", of(v("dL_do").transpose() * v("h2").transpose())),
        ("dL_dh2 * diag(z2 > 0) * W2", of(v("dL_dh2") * &gate * v("W2"))),
        ("diag(z2 > 0) * dL_dh2' * h1'", of(&gate * v("dL_dh2").transpose() * v("h1").transpose())),
        ("diag(z2 > 0) dL_dh2' h1'", of(&gate * v("dL_dh2").transpose() * v("h1").transpose())),
        ("diag(z2>0)@dL_dh2.T@h1.T", of(&gate * v("dL_dh2").transpose() * v("h1").transpose())),
        ("dL_do * W2", fails(6, "1×3 times 2×2: the inner sizes differ")),
        ("dL_dh", fails(0, "unknown name 'dL_dh' (known here, nearest first: dL_dh1, dL_dh2")),
        ("h2(1)", fails(0, "unknown function 'h2'")),
        ("sigmoud(0)", fails(0, "did you mean sigmoid?")),
        // Shapes that do not fit.
        ("[1 2] * [3 4]", fails(6, "1×2 times 1×2: the inner sizes differ; for entry by entry use .*")),
        ("[1 2 3] + [1; 2; 3]", fails(8, "1×3 plus 3×1: the shapes differ; transpose one of them")),
        ("[1 2] .* [1 2 3]", fails(6, "1×2 .* 1×3: entry by entry needs one shape")),
        ("2 / [1 2]", fails(2, "'/' divides by a number only; for entry by entry use ./")),
        ("[1 2]^2", fails(5, "'^' is for numbers; for entry by entry use .^")),
        ("W2 * h2'", fails(3, "2×2 times 1×2: the inner sizes differ; transpose the second factor")),
        ("diag([1 2 3; 4 5 6])", fails(0, "diag(v) takes a vector")),
        ("sum([1 2; 3 4])", fails(0, "sum(x) takes a vector")),
        ("onehot(4, 3)", fails(0, "1 ≤ k ≤ K")),
        ("onehot(1.5, 3)", fails(0, "whole numbers")),
        ("[x, 1]", fails(1, "each entry is one number, but this one is 2×1")),
        ("[[1, 2], 3]", fails(9, "expected '[' to start row 2")),
        ("[1, 2; 3]", fails(7, "row 2 has 1 entry but row 1 has 2")),
        ("[[1,2],[3]]", fails(7, "row 2 has 1 entry but row 1 has 2")),
        ("[1 2; 3 4 5]", fails(6, "row 2 has 3 entries but row 1 has 2")),
        ("[[1;2]]", fails(1, "row 1 is not a row")),
        ("[[[1]]]", fails(2, "two levels of brackets")),
        // Values that are not finite.
        ("1/0", fails(0, "the answer is not a finite number (division by zero)")),
        ("[1, 1/0]", fails(4, "entry 2 is not a finite number (division by zero)")),
        ("[1 2; 3 ln(0)]", fails(8, "entry [2,2] is not a finite number (the logarithm")),
        ("sqrt(-1)", fails(0, "the square root of a negative number")),
        ("[1 2] ./ [1 0]", fails(0, "entry [1,2] is not a finite number (division by zero)")),
        ("e^1000/(e^1000+e^999)", fails(0, "subtract the largest logit")),
        ("exp(1000)", fails(0, "subtract the largest logit")),
        ("exp(o * 1000) / sum(exp(o * 1000))", fails(0, "subtract the largest logit")),
        ("1/exp(1000)", scalar(0.0)),
        // Syntax.
        ("", fails(0, "empty answer")),
        ("1 +", fails(3, "ends too soon")),
        ("(1", fails(2, "missing ')' to close the '(' at column 1")),
        ("[1, 2", fails(5, "missing ']' to close the '[' at column 1")),
        ("[]", fails(1, "empty brackets")),
        ("1 $ 2", fails(2, "unexpected character '$'")),
        ("0,5", fails(1, "decimals are written with '.'")),
        ("dL_do = (o_hat - e_y)'", fails(6, "without 'name ='")),
        ("exp 2", fails(4, "expected '(' after 'exp'")),
        ("outer([1 2])", fails(0, "outer(u, v) takes 2 arguments")),
        ("exp(1, 2)", fails(5, "exp(x) takes 1 argument")),
        ("np.foo(1)", fails(0, "unknown function 'np.foo'")),
        ("array([1], 2)", fails(11, "dtype=")),
    ];
    assert!(table.len() >= 80, "{} inputs", table.len());
    for (input, expected) in &table {
        check(&names, input, expected);
    }
}

#[test]
fn a_formula_is_parsed_once_and_evaluated_in_any_environment() {
    let parsed = parse("dL_do * Wo + 0 * dL_do * Wo").unwrap();
    assert!(parsed.is_formula());
    assert_eq!(parsed.names(), ["dL_do", "Wo"]);
    assert_eq!(parsed.name_uses().collect::<Vec<_>>(), [("dL_do", 0), ("Wo", 8), ("dL_do", 17), ("Wo", 25)]);

    let mut one = Names::new();
    one.insert("dL_do", rows(1, 2, &[1.0, 2.0])).insert("Wo", rows(2, 1, &[3.0, 4.0]));
    let mut other = one.clone();
    other.insert("Wo", rows(2, 1, &[1.0, 1.0]));
    assert_eq!(parsed.evaluate(&one).unwrap().into_value(), Value::Scalar(11.0));
    assert_eq!(parsed.evaluate(&other).unwrap().into_value(), Value::Scalar(3.0));

    let numbers = parse("[2pi, e]").unwrap();
    assert!(!numbers.is_formula());
    assert!(numbers.names().is_empty());
}

#[test]
fn lists_are_vectors_and_computed_values_keep_their_shape() {
    let names = lesson();
    let evaluate = |input: &str| parse(input).unwrap().evaluate(&names).unwrap();
    // A list is accepted for a row or a column; what arithmetic makes keeps its orientation,
    // so that a transposed answer can be told apart.
    let row = evaluate("[1 2 3]");
    assert_eq!(row.shape(), (1, 3));
    assert!(matches!(row.value(), Value::Vector(_)));
    let column = evaluate("[1; 2; 3]");
    assert_eq!(column.shape(), (3, 1));
    assert!(matches!(column.value(), Value::Vector(_)));
    let transposed = evaluate("(o_hat - e_y)");
    assert_eq!(transposed.shape(), (3, 1));
    assert!(matches!(transposed.value(), Value::Matrix(m) if m.shape() == (3, 1)));
    assert_eq!(transposed.matrix(), value_of(&names, "o_hat") - value_of(&names, "e_y"));
    let one = evaluate("dL_do * o");
    assert_eq!(one.shape(), (1, 1));
    assert!(matches!(one.value(), Value::Scalar(_)));
    let explicit = evaluate("[[1, 2, 3]]");
    assert!(matches!(explicit.value(), Value::Matrix(m) if m.shape() == (1, 3)));
}

/// Knows `dL_do` but will not give it, as the grader does with a gradient not yet answered.
struct NotYet;

impl Environment for NotYet {
    fn lookup(&self, name: &str) -> Binding<'_> {
        match name {
            "dL_do" => Binding::Unavailable("dL_do is used before it is answered".into()),
            "Wo" => Binding::Value(Cow::Owned(DMatrix::identity(3, 3))),
            _ => Binding::Unknown,
        }
    }

    fn names(&self) -> Vec<&str> {
        vec!["Wo", "dL_do"]
    }
}

#[test]
fn an_environment_explains_a_name_it_will_not_give() {
    let error = parse("2 * Wo + dL_do").unwrap().evaluate(&NotYet).unwrap_err();
    assert_eq!((error.column, error.message.as_str()), (9, "dL_do is used before it is answered"));
    let error = parse("wo").unwrap().evaluate(&NotYet).unwrap_err();
    assert_eq!(error.message, "unknown name 'wo' (known here, nearest first: Wo, dL_do, e, pi)");
}

#[test]
fn unknown_names_list_the_known_ones_nearest_first_and_not_too_many() {
    let mut many = Names::new();
    for l in 1..=16 {
        many.insert(format!("h{l}"), DMatrix::zeros(2, 1));
    }
    let error = parse("h17").unwrap().evaluate(&many).unwrap_err();
    assert!(
        error.message.starts_with("unknown name 'h17' (known here, nearest first: h1, h10,"),
        "{}",
        error.message
    );
    assert!(error.message.ends_with("and 8 more)"), "{}", error.message);
    let error = parse_answer("sigmod").unwrap_err();
    assert!(error.message.contains("did you mean the function sigmoid(…)?"), "{}", error.message);
}

#[test]
fn notes_point_out_what_a_learner_may_not_have_meant() {
    let notes = |input: &str| -> Vec<(usize, String)> {
        parse(input).unwrap().notes().iter().map(|n| (n.column, n.message.clone())).collect()
    };
    let log = notes("log(100)");
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].0, 0);
    assert!(log[0].1.contains("natural") && log[0].1.contains("log10"), "{}", log[0].1);
    assert!(notes("log10(100) + ln(2)").is_empty());
    let product = notes("1/2pi");
    assert_eq!(product.len(), 1);
    assert_eq!(product[0].0, 3);
    assert!(product[0].1.contains("(a/b)·pi"), "{}", product[0].1);
    assert!(notes("(1/2)pi").is_empty());
    assert!(notes("2pi/3").is_empty());
    // A note renders with a caret like an error.
    let parsed = parse("2 + log(2)").unwrap();
    assert_eq!(parsed.notes()[0].render("2 + log(2)").lines().nth(1), Some("    ^"));
}

#[test]
fn pasted_characters_keep_the_caret_under_what_was_typed() {
    let input = "［１，２］ × [１ ２ ３]";
    let error = parse_answer(input).unwrap_err();
    assert_eq!(error.column, 6);
    assert!(error.message.starts_with("1×2 times 1×3"), "{}", error.message);
    assert_eq!(error.render(input).lines().nth(1), Some("      ^"));
}

#[test]
fn length_and_size_are_bounded_without_a_stack_overflow() {
    // Nesting is bounded in tests/answer_syntax.rs; long flat answers are evaluated without recursion.
    let long_product = format!("{}1", "1*".repeat(4999));
    assert_eq!(parse_answer(&long_product), Ok(Value::Scalar(1.0)));
    let long_chain = format!("[1 2]{}", "'".repeat(9000));
    assert!(parse_answer(&long_chain).is_ok());

    let huge = parse_answer("outer(onehot(1, 1e6), onehot(1, 1e6))").unwrap_err();
    assert!(huge.message.contains("entries, more than the"), "{}", huge.message);
    assert_eq!(huge.column, 0);
    let onehot = parse_answer("onehot(1, 1e300)").unwrap_err();
    assert!(onehot.message.contains("more than the"), "{}", onehot.message);
    let big = "onehot(1, 1e6)";
    let held = parse_answer(&format!("[{big}, {big}, {big}, {big}, {big}]")).unwrap_err();
    assert!(held.message.contains("entries at once"), "{}", held.message);
    let square = "outer(onehot(1, 1000), onehot(1, 1000))";
    let slow = parse_answer(&format!("{square} * {square} * {square}")).unwrap_err();
    assert!(slow.message.contains("too much computation"), "{}", slow.message);
}

#[test]
fn the_plain_reader_knows_no_names() {
    let error = parse("x").unwrap().evaluate(&NoNames).unwrap_err();
    assert_eq!(error.message, "unknown name 'x' (known here, nearest first: e, pi)");
    assert_eq!(parse_answer("x").unwrap_err(), error);
}

#[test]
fn a_name_whose_value_is_not_finite_is_reported_where_it_is_used() {
    let mut names = Names::new();
    names.insert("h1", rows(2, 1, &[1.0, f64::NAN]));
    let error = parse("2 * h1").unwrap().evaluate(&names).unwrap_err();
    assert_eq!(error.column, 4);
    assert!(
        error.message.contains("entry [2,1] is not a finite number (the value of h1 is not finite)"),
        "{}",
        error.message
    );
    // A comparison does not turn it into a plain 0.
    assert!(parse("h1 > 0").unwrap().evaluate(&names).is_err());
}
