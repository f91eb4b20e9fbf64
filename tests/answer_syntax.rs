//! The answer language's numbers and bracket lists, as they were before it had matrix
//! arithmetic and names (those are in tests/answer_language.rs): values of valid inputs,
//! positions of errors, limits, and properties over generated expressions and arbitrary strings.

use backprop_tutor::answer::language::{AnswerError, parse_answer};
use backprop_tutor::value::Value;
use nalgebra::{DMatrix, DVector};
use proptest::prelude::*;
use std::f64::consts::{E, PI};

fn close(a: f64, b: f64) -> bool {
    a == b || (a - b).abs() <= 1e-12 * a.abs().max(b.abs())
}

fn assert_value(input: &str, expected: &Value) {
    let got = parse_answer(input).unwrap_or_else(|e| panic!("{input:?} failed:\n{}", e.render(input)));
    assert_eq!(got.shape(), expected.shape(), "{input:?}");
    let pairs = got.entries().into_iter().zip(expected.entries());
    for (g, x) in pairs {
        assert!(close(g, x), "{input:?} gave {got:?}, expected {expected:?}");
    }
}

#[test]
fn valid_scalars() {
    let softmax = E.powi(2) / (E + E.powi(3) + E.powi(2)) - 1.0;
    let table: &[(&str, f64)] = &[
        ("e^2/(e^1+e^3+e^2) - 1", softmax),
        ("-0.755", -0.755),
        ("−0.5", -0.5),
        ("-2^2", -4.0),
        ("2^3^2", 512.0),
        ("2^-1", 0.5),
        ("2^−1*3", 1.5),
        ("-2*3", -6.0),
        ("2×3", 6.0),
        ("2·3", 6.0),
        ("2*3^2", 18.0),
        ("1-2-3", -4.0),
        ("8/4/2", 1.0),
        ("(1+2)*3", 9.0),
        (".5", 0.5),
        ("3.", 3.0),
        ("1e-3", 0.001),
        ("2E+5", 200_000.0),
        ("2.e1", 20.0),
        ("1e−3", 0.001),
        ("2e3", 2000.0),
        ("sqrt(4)", 2.0),
        ("ln(e)", 1.0),
        ("log(e^2)", 2.0),
        ("exp(0)", 1.0),
        ("exp(-1)", (-1.0f64).exp()),
        ("pi", PI),
        ("π/2", PI / 2.0),
        ("e", E),
        // Unary plus is accepted: it cannot change a value.
        ("+0.5", 0.5),
        ("1 + +2", 3.0),
        ("1 ++ 2", 3.0),
        ("1 - -2", 3.0),
        ("--2", 2.0),
        ("\t1 +\t2 ", 3.0),
        // Only the entry's value must be finite, as in IEEE arithmetic.
        ("1/exp(1000)", 0.0),
        ("((((1))))", 1.0),
    ];
    for &(input, value) in table {
        assert_value(input, &Value::Scalar(value));
    }
}

#[test]
fn valid_vectors_and_matrices() {
    let two_by_two = Value::Matrix(DMatrix::from_row_slice(2, 2, &[1.0, 2.0, 3.0, 4.0]));
    let sum = E + E.powi(3) + E.powi(2);
    let table: Vec<(&str, Value)> = vec![
        ("[1, 2; 3, 4]", two_by_two.clone()),
        ("[[1,2],[3,4]]", two_by_two.clone()),
        (" [ [ 1 , 2 ] , [ 3 , 4 ] ] ", two_by_two),
        ("[1, 2, 3]", Value::Vector(DVector::from_vec(vec![1.0, 2.0, 3.0]))),
        ("[-1]", Value::Vector(DVector::from_vec(vec![-1.0]))),
        ("[[1,2]]", Value::Matrix(DMatrix::from_row_slice(1, 2, &[1.0, 2.0]))),
        ("[[1],[2]]", Value::Matrix(DMatrix::from_row_slice(2, 1, &[1.0, 2.0]))),
        // A single column written as a list is a list, like a single row.
        ("[1; 2]", Value::Vector(DVector::from_vec(vec![1.0, 2.0]))),
        ("[2^-1, -2^2]", Value::Vector(DVector::from_vec(vec![0.5, -4.0]))),
        (
            "[e^1/(e^1+e^3+e^2), e^3/(e^1+e^3+e^2), e^2/(e^1+e^3+e^2) - 1]",
            Value::Vector(DVector::from_vec(vec![E / sum, E.powi(3) / sum, E.powi(2) / sum - 1.0])),
        ),
    ];
    for (input, value) in &table {
        assert_value(input, value);
    }
}

#[test]
fn invalid_inputs_say_where_and_what() {
    // (input, 0-based character column, part of the message)
    let table: &[(&str, usize, &str)] = &[
        ("", 0, "empty answer"),
        ("  \t", 0, "empty answer"),
        ("1 +", 3, "ends too soon"),
        ("(1", 2, "missing ')' to close the '(' at column 1"),
        ("exp(1", 5, "missing ')' to close the '(' at column 4"),
        ("(1]", 2, "expected ')' to close the '(' at column 1"),
        ("1)", 1, "unexpected ')'"),
        ("()", 1, "expected a number, a name or '(' but found ')'"),
        ("1 * * 2", 4, "expected a number, a name or '('"),
        ("foo", 0, "unknown name 'foo' (known here, nearest first: e, pi)"),
        ("1 + αβ", 4, "unknown name 'αβ'"),
        ("E", 0, "unknown name 'E'"),
        ("exp 2", 4, "expected '(' after 'exp'"),
        ("sqrt", 4, "expected '(' after 'sqrt'"),
        // A product may go without '*' (tests/answer_language.rs), but not between numbers.
        ("2 3", 2, "expected an operator between '2' and '3'"),
        ("(1)2", 3, "expected an operator between ')' and '2'"),
        ("1.2.3", 3, "expected an operator between '1.2' and '.3'"),
        ("1 $ 2", 2, "unexpected character '$'"),
        ("−1 + )", 5, "but found ')'"),
        (". 5", 0, "unexpected character '.'"),
        ("0,5", 1, "decimals are written with '.'"),
        ("1; 2", 1, "unexpected ';'"),
        // Brackets.
        ("[]", 1, "empty brackets"),
        ("[[]]", 2, "empty brackets"),
        ("[1, 2", 5, "missing ']' to close the '[' at column 1"),
        ("[[1,2],[3,4]", 12, "missing ']' to close the '[' at column 1"),
        ("[[1,2],[3,4", 11, "missing ']' to close the '[' at column 8"),
        ("[1,,]", 3, "but found ','"),
        ("[1, 2; 3]", 7, "row 2 has 1 entry but row 1 has 2"),
        ("[1; 2, 3]", 4, "row 2 has 2 entries but row 1 has 1"),
        ("[[1,2],[3]]", 7, "row 2 has 1 entry but row 1 has 2"),
        ("[[1],[2],[3,4]]", 9, "row 3 has 2 entries but row 1 has 1"),
        ("[[1,2], 3]", 8, "expected '[' to start row 2"),
        ("[1, 2)", 5, "expected ',', ';' or ']' here"),
        ("[[[1]]]", 2, "unexpected '['"),
        ("[1, [2]]", 4, "unexpected '['"),
        ("[1,2] 3", 6, "expected an operator between ']' and '3'"),
        // Values that are not finite point at the entry.
        ("1/0", 0, "the answer is not a finite number (division by zero)"),
        ("0^-1", 0, "division by zero"),
        ("[1, 1/0]", 4, "entry 2 is not a finite number (division by zero)"),
        ("[1, 2; 3, ln(0)]", 10, "entry [2,2] is not a finite number (the logarithm"),
        ("[[1, 2], [sqrt(-1), 4]]", 10, "entry [2,1] is not a finite number (the square root"),
        ("(-8)^(1/3)", 0, "a negative number to a fractional power"),
        ("1e999", 0, "too large"),
        ("exp(1000)", 0, "too large"),
        ("10^400", 0, "too large"),
        ("exp(1000) - exp(1000)", 0, "too large"),
        ("1/0 * 0", 0, "division by zero"),
        // A syntax error anywhere comes before a value error.
        ("[1/0, 2 $]", 8, "unexpected character '$'"),
    ];
    for &(input, column, message) in table {
        let err = parse_answer(input).expect_err(input);
        assert_eq!(err.column, column, "{input:?}:\n{}", err.render(input));
        assert!(err.message.contains(message), "{input:?}: {:?} lacks {message:?}", err.message);
    }
}

#[test]
fn render_puts_a_caret_under_the_offending_character() {
    let input = "−1 ×\t* 2";
    let err = parse_answer(input).unwrap_err();
    assert_eq!(err.render(input), "−1 × * 2\n     ^\nexpected a number, a name or '(' but found '*'");
}

#[test]
fn display_gives_the_one_based_column() {
    let err = parse_answer("1)").unwrap_err();
    assert_eq!(err.to_string(), "column 2: unexpected ')': there is no '(' to close");
}

#[test]
fn unexpected_end_points_past_the_last_character() {
    let input = "π + ";
    let err = parse_answer(input).unwrap_err();
    assert_eq!(err.column, input.chars().count());
    assert_eq!(err.render(input).lines().nth(1), Some("    ^"));
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    // Each input stays within the length limit, so it is the depth that is refused.
    for input in [
        "(".repeat(10_000),
        format!("{}1{}", "(".repeat(4000), ")".repeat(4000)),
        format!("{}1", "-".repeat(9000)),
        format!("{}1", "2^".repeat(4000)),
        format!("{}1{}", "exp(".repeat(1500), ")".repeat(1500)),
        "[".repeat(10_000),
        format!("{}1{}", "[".repeat(3000), "]".repeat(3000)),
        format!("{}4", "√".repeat(5000)),
        format!("{}1{}", "diag(".repeat(1500), ")".repeat(1500)),
        format!("{}1{}", "array(".repeat(1000), ")".repeat(1000)),
        format!("[{}1{}]", "(".repeat(4000), ")".repeat(4000)),
    ] {
        let err = parse_answer(&input).unwrap_err();
        assert!(err.message.contains("nested too deeply"), "{}", err.message);
    }
    assert_value(&format!("{}1{}", "(".repeat(60), ")".repeat(60)), &Value::Scalar(1.0));
}

#[test]
fn length_is_bounded() {
    // 10,000 characters are fine: a long flat sum needs no nesting.
    let longest = format!("{}1 ", "1+".repeat(4999));
    assert_eq!(longest.chars().count(), 10_000);
    assert_value(&longest, &Value::Scalar(5000.0));

    let too_long = format!("{longest}1");
    let err = parse_answer(&too_long).unwrap_err();
    assert_eq!(err.column, 10_000);
    assert!(err.message.contains("10000"), "{}", err.message);
    // Characters, not bytes: 10,000 two-byte characters are within the limit.
    assert!(
        !parse_answer(&"π".repeat(10_000)).unwrap_err().message.contains("too long"),
        "the limit counts characters"
    );
}

#[test]
fn errors_are_values() {
    let err: AnswerError = parse_answer("1 +").unwrap_err();
    let boxed: Box<dyn std::error::Error> = Box::new(err.clone());
    assert_eq!(boxed.to_string(), err.to_string());
}

/// An expression tree, evaluated with plain f64 arithmetic and printed fully parenthesised.
#[derive(Debug, Clone)]
enum Expr {
    Number { value: f64, scientific: bool },
    Constant(&'static str),
    Negate(&'static str, Box<Expr>),
    Binary(&'static str, Box<Expr>, Box<Expr>),
    Call(&'static str, Box<Expr>),
}

impl Expr {
    fn eval(&self) -> f64 {
        match self {
            Expr::Number { value, .. } => *value,
            Expr::Constant("e") => E,
            Expr::Constant(_) => PI,
            Expr::Negate(_, x) => -x.eval(),
            Expr::Binary(op, a, b) => {
                let (a, b) = (a.eval(), b.eval());
                match *op {
                    "+" => a + b,
                    "-" | "−" => a - b,
                    "*" | "×" | "·" => a * b,
                    "/" => a / b,
                    _ => a.powf(b),
                }
            }
            Expr::Call(f, x) => {
                let x = x.eval();
                match *f {
                    "exp" => x.exp(),
                    "sqrt" => x.sqrt(),
                    _ => x.ln(),
                }
            }
        }
    }

    fn print(&self) -> String {
        match self {
            Expr::Number { value, scientific: true } => format!("{value:e}"),
            Expr::Number { value, .. } => format!("{value}"),
            Expr::Constant(name) => name.to_string(),
            Expr::Negate(minus, x) => format!("({minus}{})", x.print()),
            Expr::Binary(op, a, b) => format!("({} {op} {})", a.print(), b.print()),
            Expr::Call(f, x) => format!("{f}({})", x.print()),
        }
    }
}

fn expr() -> impl Strategy<Value = Expr> {
    let number = (0u32..2000, 0i32..4, any::<bool>()).prop_map(|(digits, shift, scientific)| Expr::Number {
        value: f64::from(digits) / 10f64.powi(shift),
        scientific,
    });
    let constant = prop::sample::select(vec!["e", "pi", "π"]).prop_map(Expr::Constant);
    let leaf = prop_oneof![4 => number, 1 => constant];
    leaf.prop_recursive(6, 48, 2, |inner| {
        prop_oneof![
            (prop::sample::select(vec!["-", "−"]), inner.clone())
                .prop_map(|(m, x)| Expr::Negate(m, Box::new(x))),
            (
                prop::sample::select(vec!["+", "-", "−", "*", "×", "·", "/", "^"]),
                inner.clone(),
                inner.clone()
            )
                .prop_map(|(op, a, b)| Expr::Binary(op, Box::new(a), Box::new(b))),
            (prop::sample::select(vec!["exp", "ln", "log", "sqrt"]), inner)
                .prop_map(|(f, x)| Expr::Call(f, Box::new(x))),
        ]
    })
}

proptest! {
    #[test]
    fn printed_expressions_parse_back_to_their_value(tree in expr()) {
        let text = tree.print();
        let expected = tree.eval();
        match parse_answer(&text) {
            Ok(Value::Scalar(got)) => {
                prop_assert!(expected.is_finite(), "{text} gave {got}, expected {expected}");
                prop_assert!(close(got, expected), "{text} gave {got}, expected {expected}");
            }
            Ok(other) => prop_assert!(false, "{text} gave {other:?}"),
            Err(e) => {
                prop_assert!(!expected.is_finite(), "{}", e.render(&text));
                prop_assert!(e.message.contains("not a finite number"), "{}", e.render(&text));
            }
        }
    }

    #[test]
    fn printed_matrices_parse_back_in_both_notations(
        (rows, cols, entries) in (1usize..4, 1usize..4).prop_flat_map(|(rows, cols)| {
            let finite = expr().prop_filter("finite", |t| t.eval().is_finite());
            (Just(rows), Just(cols), prop::collection::vec(finite, rows * cols))
        }),
    ) {
        let printed: Vec<Vec<String>> =
            entries.chunks(cols).map(|row| row.iter().map(Expr::print).collect()).collect();
        let semicolons = format!(
            "[{}]",
            printed.iter().map(|r| r.join(", ")).collect::<Vec<_>>().join("; ")
        );
        let bracketed = format!(
            "[{}]",
            printed.iter().map(|r| format!("[{}]", r.join(", "))).collect::<Vec<_>>().join(", ")
        );
        let values: Vec<f64> = entries.iter().map(Expr::eval).collect();
        let matrix = Value::Matrix(DMatrix::from_row_slice(rows, cols, &values));
        // A 1×1 matrix is a number, however it is written.
        if rows * cols == 1 {
            assert_value(&bracketed, &Value::Scalar(values[0]));
        } else {
            assert_value(&bracketed, &matrix);
        }
        if rows == 1 || cols == 1 {
            assert_value(&semicolons, &Value::Vector(DVector::from_vec(values)));
        } else {
            assert_value(&semicolons, &matrix);
        }
    }

    #[test]
    fn arbitrary_text_never_panics(input in "\\PC*") {
        check_error_position(&input);
    }

    #[test]
    fn text_over_the_languages_alphabet_never_panics(
        input in "[0-9a-zE .+\\-−*×·/^()\\[\\],;π\t]{0,60}"
    ) {
        check_error_position(&input);
    }
}

fn check_error_position(input: &str) {
    if let Err(err) = parse_answer(input) {
        assert!(err.column <= input.chars().count(), "{err:?} for {input:?}");
        assert_eq!(err.render(input).lines().count(), 3);
    }
}
