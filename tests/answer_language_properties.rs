//! Properties of the answer language over generated input: a random matrix expression,
//! printed in any of the notations a learner may use, evaluates to what nalgebra computes;
//! and no text at all, in any script, makes it panic or point outside the input.

use backprop_tutor::answer::language::{Environment, Names, parse};
use nalgebra::DMatrix;
use proptest::prelude::*;
use proptest::sample::select;

/// Names of several shapes, for expressions to use.
fn names() -> Names {
    let mut names = Names::new();
    names
        .insert("W1", DMatrix::from_row_slice(2, 3, &[0.5, -1.0, 2.0, 1.5, 0.25, -0.75]))
        .insert("Wo", DMatrix::from_row_slice(2, 2, &[1.0, -0.5, 0.25, 2.0]))
        .insert("h1", DMatrix::from_row_slice(3, 1, &[0.5, 0.0, -1.25]))
        .insert("dL_do", DMatrix::from_row_slice(1, 2, &[0.125, -0.375]))
        .insert("loss", DMatrix::from_row_slice(1, 1, &[0.75]));
    names
}

/// An expression whose value has a known shape.
#[derive(Debug, Clone)]
enum Expr {
    /// Entries row by row, printed in one of the bracket notations (a 1×1 as a bare number).
    Literal {
        rows: usize,
        cols: usize,
        entries: Vec<f64>,
        notation: Notation,
    },
    Name(&'static str),
    Transpose(&'static str, Box<Expr>),
    /// `+`, `-` or `.*` on two operands of one shape.
    Entrywise(&'static str, Box<Expr>, Box<Expr>),
    /// A number times a matrix.
    Scale(f64, Box<Expr>),
    /// The matrix product, with the spelling of its operator (`""` for none).
    Product(&'static str, Box<Expr>, Box<Expr>),
    Call(&'static str, Box<Expr>),
    Diag(Box<Expr>),
    Outer(Box<Expr>, Box<Expr>),
}

#[derive(Debug, Clone, Copy)]
enum Notation {
    Numpy,
    NumpyPrintout,
    MatlabSpaces,
    MatlabCommas,
}

/// A number as a learner might type it: with a sign, a point, an exponent.
fn number() -> impl Strategy<Value = f64> {
    (-40i32..40, 0i32..3).prop_map(|(n, shift)| f64::from(n) / 10f64.powi(shift) / 4.0)
}

fn print_number(x: f64, scientific: bool) -> String {
    if scientific { format!("{x:e}") } else { format!("{x}") }
}

impl Expr {
    fn eval(&self, names: &Names) -> DMatrix<f64> {
        let sigmoid = |x: f64| if x >= 0.0 { 1.0 / (1.0 + (-x).exp()) } else { x.exp() / (1.0 + x.exp()) };
        match self {
            Expr::Literal { rows, cols, entries, .. } => DMatrix::from_row_slice(*rows, *cols, entries),
            Expr::Name(name) => match names.lookup(name) {
                backprop_tutor::answer::language::Binding::Value(m) => m.into_owned(),
                other => panic!("{name}: {other:?}"),
            },
            Expr::Transpose(_, x) => x.eval(names).transpose(),
            Expr::Entrywise(op, a, b) => {
                let (a, b) = (a.eval(names), b.eval(names));
                match *op {
                    "+" => a + b,
                    "-" | "−" => a - b,
                    _ => a.component_mul(&b),
                }
            }
            Expr::Scale(s, x) => x.eval(names) * *s,
            Expr::Product(_, a, b) => a.eval(names) * b.eval(names),
            Expr::Call(f, x) => x.eval(names).map(|v| match *f {
                "tanh" => v.tanh(),
                "sigmoid" => sigmoid(v),
                "relu" => v.max(0.0),
                _ => v.abs(),
            }),
            Expr::Diag(v) => {
                let v = v.eval(names);
                DMatrix::from_diagonal(&nalgebra::DVector::from_column_slice(v.as_slice()))
            }
            Expr::Outer(u, v) => {
                let (u, v) = (u.eval(names), v.eval(names));
                DMatrix::from_fn(u.len(), v.len(), |i, j| u[i] * v[j])
            }
        }
    }

    fn print(&self) -> String {
        match self {
            Expr::Literal { rows, cols, entries, notation } => {
                print_literal(*rows, *cols, entries, *notation)
            }
            Expr::Name(name) => name.to_string(),
            Expr::Transpose(mark, x) => format!("({}){mark}", x.print()),
            Expr::Entrywise(op, a, b) => format!("({} {op} {})", a.print(), b.print()),
            Expr::Scale(s, x) => format!("({} * {})", print_number(*s, false), x.print()),
            Expr::Product("", a, b) => format!("(({}) ({}))", a.print(), b.print()),
            Expr::Product(op, a, b) => format!("({} {op} {})", a.print(), b.print()),
            Expr::Call(f, x) => format!("{f}({})", x.print()),
            Expr::Diag(v) => format!("diag({})", v.print()),
            Expr::Outer(u, v) => format!("outer({}, {})", u.print(), v.print()),
        }
    }
}

fn print_literal(rows: usize, cols: usize, entries: &[f64], notation: Notation) -> String {
    let row = |r: usize, separator: &str| -> String {
        let printed: Vec<String> = entries[r * cols..(r + 1) * cols]
            .iter()
            .enumerate()
            .map(|(j, &x)| print_number(x, j % 2 == 1))
            .collect();
        printed.join(separator)
    };
    let all = |separator: &str, wrap: &dyn Fn(String) -> String, between: &str| -> String {
        let printed: Vec<String> = (0..rows).map(|r| wrap(row(r, separator))).collect();
        format!("[{}]", printed.join(between))
    };
    match notation {
        Notation::Numpy => all(", ", &|r| format!("[{r}]"), ", "),
        Notation::NumpyPrintout => all(" ", &|r| format!("[{r}]"), "\n "),
        Notation::MatlabSpaces => all(" ", &|r| r, "; "),
        Notation::MatlabCommas => all(", ", &|r| r, ";"),
    }
}

const NAMED: [(&str, usize, usize); 5] =
    [("W1", 2, 3), ("Wo", 2, 2), ("h1", 3, 1), ("dL_do", 1, 2), ("loss", 1, 1)];

fn literal(rows: usize, cols: usize) -> BoxedStrategy<Expr> {
    let notation = select(vec![
        Notation::Numpy,
        Notation::NumpyPrintout,
        Notation::MatlabSpaces,
        Notation::MatlabCommas,
    ]);
    (prop::collection::vec(number(), rows * cols), notation)
        .prop_map(move |(entries, notation)| Expr::Literal { rows, cols, entries, notation })
        .boxed()
}

/// An expression of shape `rows`×`cols`, at most `depth` operations deep.
fn expr(rows: usize, cols: usize, depth: u32) -> BoxedStrategy<Expr> {
    let named: Vec<&'static str> =
        NAMED.iter().filter(|&&(_, r, c)| (r, c) == (rows, cols)).map(|&(n, _, _)| n).collect();
    let leaf = if named.is_empty() {
        literal(rows, cols)
    } else {
        prop_oneof![2 => literal(rows, cols), 1 => select(named).prop_map(Expr::Name)].boxed()
    };
    if depth == 0 {
        return leaf;
    }
    let sub = move |r: usize, c: usize| expr(r, c, depth - 1);
    let boxed = |x: Expr| Box::new(x);
    let mut choices: Vec<(u32, BoxedStrategy<Expr>)> = vec![
        (3, leaf),
        (
            1,
            (select(vec!["'", ".T", "^T", "ᵀ", ".'"]), sub(cols, rows))
                .prop_map(move |(mark, x)| Expr::Transpose(mark, boxed(x)))
                .boxed(),
        ),
        (
            1,
            (select(vec!["+", "-", "−", ".*"]), sub(rows, cols), sub(rows, cols))
                .prop_map(move |(op, a, b)| Expr::Entrywise(op, boxed(a), boxed(b)))
                .boxed(),
        ),
        (1, (number(), sub(rows, cols)).prop_map(move |(s, x)| Expr::Scale(s, boxed(x))).boxed()),
        (
            1,
            (1usize..=3)
                .prop_flat_map(move |k| (select(vec!["*", "@", "×", ""]), sub(rows, k), sub(k, cols)))
                .prop_map(move |(op, a, b)| Expr::Product(op, boxed(a), boxed(b)))
                .boxed(),
        ),
        (
            1,
            (select(vec!["tanh", "sigmoid", "relu", "abs"]), sub(rows, cols))
                .prop_map(move |(f, x)| Expr::Call(f, boxed(x)))
                .boxed(),
        ),
        (
            1,
            (prop_oneof![sub(rows, 1), sub(1, rows)], prop_oneof![sub(cols, 1), sub(1, cols)])
                .prop_map(move |(u, v)| Expr::Outer(boxed(u), boxed(v)))
                .boxed(),
        ),
    ];
    if rows == cols && rows > 1 {
        choices.push((
            1,
            prop_oneof![sub(rows, 1), sub(1, rows)].prop_map(move |v| Expr::Diag(boxed(v))).boxed(),
        ));
    }
    proptest::strategy::Union::new_weighted(choices).boxed()
}

fn shaped_expr() -> impl Strategy<Value = (usize, usize, Expr)> {
    (1usize..=3, 1usize..=3).prop_flat_map(|(r, c)| (Just(r), Just(c), expr(r, c, 3)))
}

/// Where an answer points must be inside it (or just past its end), and render in three lines.
fn check_positions(input: &str, env: &dyn Environment) {
    let length = input.chars().count();
    match parse(input) {
        Ok(parsed) => {
            for (name, column) in parsed.name_uses() {
                assert!(column < length, "{name} at {column} in {input:?}");
            }
            for note in parsed.notes() {
                assert!(note.column < length, "{note:?} in {input:?}");
            }
            match parsed.evaluate(env) {
                Ok(evaluation) => {
                    assert!(evaluation.value().is_finite(), "{input:?} gave {evaluation:?}");
                    assert_eq!(parsed.evaluate(env), Ok(evaluation), "{input:?} twice");
                }
                Err(error) => {
                    assert!(error.column <= length, "{error:?} for {input:?}");
                    assert_eq!(error.render(input).lines().count(), 3);
                }
            }
        }
        Err(error) => {
            assert!(error.column <= length, "{error:?} for {input:?}");
            assert_eq!(error.render(input).lines().count(), 3);
        }
    }
}

/// Pieces of answers, for text that is nearly right far more often than random characters.
const PIECES: &[&str] = &[
    "0",
    "1",
    "2.5",
    ".5",
    "5.",
    "1e-3",
    "2e",
    "e",
    "pi",
    "π",
    "W1",
    "Wo",
    "h1",
    "dL_do",
    "loss",
    "x",
    "+",
    "-",
    "−",
    "–",
    "*",
    "**",
    "@",
    "×",
    "·",
    "/",
    "÷",
    "^",
    ".*",
    "./",
    ".^",
    "'",
    ".T",
    "^T",
    "ᵀ",
    "√",
    "²",
    "⁻¹",
    ">",
    "<=",
    "≥",
    "(",
    ")",
    "[",
    "]",
    "[[",
    "]]",
    ",",
    ";",
    " ",
    "  ",
    "exp(",
    "log(",
    "diag(",
    "outer(",
    "sum(",
    "softmax(",
    "onehot(",
    "max(",
    "sigmoid(",
    "relu(",
    "np.",
    "array(",
    "dtype=float32",
    "=",
    "１",
    "，",
    "\u{200b}",
    "\n",
    "$",
];

proptest! {
    #[test]
    fn printed_matrix_expressions_parse_back_to_their_value((rows, cols, tree) in shaped_expr()) {
        let env = names();
        let text = tree.print();
        let expected = tree.eval(&env);
        let evaluation = parse(&text)
            .and_then(|parsed| parsed.evaluate(&env))
            .map_err(|e| TestCaseError::fail(e.render(&text)))?;
        prop_assert_eq!(evaluation.shape(), (rows, cols), "{}", text);
        let got = evaluation.matrix();
        for (g, e) in got.iter().zip(expected.iter()) {
            prop_assert!((g - e).abs() <= 1e-9 * (1.0 + e.abs()), "{} gave {} expected {}", text, got, expected);
        }
    }

    #[test]
    fn arbitrary_text_never_panics(input in "\\PC*") {
        check_positions(&input, &names());
    }

    #[test]
    fn arbitrary_unicode_never_panics(input in any::<String>()) {
        check_positions(&input, &names());
    }

    #[test]
    fn near_answers_never_panic(pieces in prop::collection::vec(select(PIECES), 0..40)) {
        check_positions(&pieces.concat(), &names());
    }
}
