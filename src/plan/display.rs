//! How the tutor shows numbers (DESIGN.md §6.5), on the screen, in plain mode and in `solve`'s
//! text alike: four significant digits with trailing zeros dropped, `−` for minus, and
//! derivation lines whose arithmetic holds at the digits shown, so that a printed solution
//! checks out by hand as the screen does.

use super::derive::{Expr, Line};
use crate::value::Value;

/// Significant digits of every value shown.
pub const DIGITS: usize = 4;
/// The most digits a derivation line's operands get to make its arithmetic hold.
const MAX_DIGITS: usize = 12;
/// Below this magnitude (and from [`LARGE`] up) a value is written in powers of ten, so that
/// it keeps its significant digits without a row of zeros.
const SMALL: f64 = 1e-4;
pub(super) const LARGE: f64 = 1e6;

/// A value as the tutor shows it: `0.09003`, `−0.7553`, `1.408`, `2`, `4.79e−5`.
pub fn number(x: f64) -> String {
    number_to(x, DIGITS)
}

/// A value to `digits` significant digits, trailing zeros dropped.
pub fn number_to(x: f64, digits: usize) -> String {
    let digits = digits.max(1);
    let text = if x == 0.0 {
        "0".to_string()
    } else if !x.is_finite() {
        match x {
            f64::INFINITY => "∞".into(),
            f64::NEG_INFINITY => "−∞".into(),
            _ => "NaN".into(),
        }
    } else if x.abs() < SMALL || x.abs() >= LARGE {
        scientific(x, digits)
    } else {
        fixed(x, digits)
    };
    text.replace('-', "−")
}

/// Fixed notation with as many decimals as `digits` significant digits need; a value that
/// rounds up to the next power of ten (9.9996 → 10.00) loses the decimal it no longer needs.
///
/// Rounded with integer arithmetic rather than `format!("{:.*}")`, whose exact decimal
/// expansion is what a frame of the tutor spent most of its time on.
fn fixed(x: f64, digits: usize) -> String {
    let magnitude = x.abs().log10().floor() as i32;
    let decimals = |magnitude: i32| u32::try_from(digits as i32 - 1 - magnitude).unwrap_or(0);
    let mut places = decimals(magnitude);
    let mut scaled = (x.abs() * 10f64.powi(places as i32)).round();
    // Rounded up to the next power of ten: one significant digit too many.
    if scaled >= 10f64.powi(digits as i32) && places > 0 {
        places -= 1;
        scaled = (x.abs() * 10f64.powi(places as i32)).round();
    }
    if scaled >= 9e15 {
        return trim(&format!("{x:.*}", places as usize));
    }
    let units = format!("{:0>width$}", scaled as u64, width = places as usize + 1);
    let (whole, fraction) = units.split_at(units.len() - places as usize);
    let sign = if x < 0.0 && scaled > 0.0 { "-" } else { "" };
    trim(&format!("{sign}{whole}.{fraction}"))
}

fn scientific(x: f64, digits: usize) -> String {
    let text = format!("{x:.*e}", digits - 1);
    match text.split_once('e') {
        Some((mantissa, exponent)) => format!("{}e{exponent}", trim(mantissa)),
        None => text,
    }
}

/// Drops trailing zeros after a decimal point, and the point itself if nothing follows it.
fn trim(text: &str) -> String {
    if !text.contains('.') {
        return if text == "-0" { "0".into() } else { text.into() };
    }
    let trimmed = text.trim_end_matches('0').trim_end_matches('.');
    if trimmed == "-0" { "0".into() } else { trimmed.into() }
}

/// The value a shown number stands for, so that arithmetic can be redone on what is on screen.
fn shown_value(x: f64, digits: usize) -> f64 {
    number_to(x, digits).replace('−', "-").parse().unwrap_or(x)
}

/// A derivation line as the tutor shows it: the value to [`DIGITS`] digits, and the numbers it
/// is computed from to the fewest digits (at least [`DIGITS`]) at which redoing the arithmetic
/// on them gives that same shown value. So `−0.3293·1·2 = −0.6587`, never `−0.329·1·2 = −0.659`.
///
/// A line whose arithmetic does not give its value even at full precision says so instead of
/// showing it (see [`unworkable`]).
pub fn line(line: &Line) -> String {
    if let Some(why) = unworkable(line) {
        return format!("{} = {}: {}", line.entry.symbol(), number(line.value), why.text());
    }
    let value = |x: f64| number(x);
    let digits = operand_digits(line);
    line.text_with(&|x| number_to(x, digits), &value)
}

/// Why a line's arithmetic, redone in f64, does not give the value the engine found another
/// way: a number on the way under- or overflowed. Mostly a saturated softmax, whose ô_y is 0,
/// while the engine takes the loss from the logits (Eq. (7), the largest logit taken out): the
/// line would claim `−ln 0 = 5e299`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unworkable {
    /// ô_y is 0 in f64: L comes from the logits.
    Saturated,
    /// Another number on the way under- or overflows.
    OutOfRange,
}

impl Unworkable {
    /// The reason in words, after "L = 5e299: ".
    pub(crate) fn text(self) -> &'static str {
        match self {
            Unworkable::Saturated => {
                "ô_y underflows f64 to 0 (the numbers are too large: the softmax saturates), so L comes \
                 from the logits by Eq. (7), −o_y + ln Σ e^(o_k), not as −ln 0"
            }
            Unworkable::OutOfRange => {
                "its arithmetic does not hold in f64 (a number on the way under- or overflows), so it is \
                 not shown"
            }
        }
    }
}

pub(crate) fn unworkable(line: &Line) -> Option<Unworkable> {
    let redone = line.expr.eval()?;
    let holds = redone.is_finite() && (redone - line.value).abs() <= 1e-9 * line.value.abs().max(1.0);
    // A value that is no number has no other way it was found: nothing to explain.
    if holds || !line.value.is_finite() {
        None
    } else if takes_log_of_zero(&line.expr) {
        Some(Unworkable::Saturated)
    } else {
        Some(Unworkable::OutOfRange)
    }
}

fn takes_log_of_zero(expr: &Expr) -> bool {
    match expr {
        Expr::NegLog(p) => *p == 0.0,
        Expr::Total { parts, .. } => parts.iter().any(takes_log_of_zero),
        Expr::Minus(inner, _) => takes_log_of_zero(inner),
        _ => false,
    }
}

/// The fewest significant digits of a line's operands at which its arithmetic holds.
pub fn operand_digits(line: &Line) -> usize {
    let target = number(line.value);
    (DIGITS..=MAX_DIGITS)
        .find(|&digits| {
            line.expr
                .map_numbers(&|x| shown_value(x, digits))
                .eval()
                .is_none_or(|redone| number(redone) == target)
        })
        .unwrap_or(MAX_DIGITS)
}

/// A value as text on one line: `0.4172`, `[0.09003, 0.6652, −0.7553]`, `[[1, −1], [0.5, 2]]`.
pub fn value(value: &Value) -> String {
    let row =
        |xs: &mut dyn Iterator<Item = f64>| format!("[{}]", xs.map(number).collect::<Vec<_>>().join(", "));
    match value {
        Value::Scalar(x) => number(*x),
        Value::Vector(v) => row(&mut v.iter().copied()),
        Value::Matrix(m) => {
            format!("[{}]", m.row_iter().map(|r| row(&mut r.iter().copied())).collect::<Vec<_>>().join(", "))
        }
    }
}

/// Where a shown number's decimal point is, for lining numbers up in a column: the width of
/// what comes before it (all of a number without a point; `?` and other marks count as digits).
pub fn integer_width(text: &str) -> usize {
    let before = match text.find(['.', 'e']) {
        Some(at) => &text[..at],
        None => text.trim_end_matches(|c: char| !c.is_ascii_digit() && c != '?'),
    };
    before.chars().count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::Expr;
    use crate::quantity::{Quantity, QuantityRef};

    #[test]
    fn four_significant_digits_and_a_true_minus() {
        assert_eq!(number(0.090030573), "0.09003");
        assert_eq!(number(-0.75527), "−0.7553");
        assert_eq!(number(1.40760596), "1.408");
        assert_eq!(number(2.0), "2");
        assert_eq!(number(0.5), "0.5");
        assert_eq!(number(-0.0), "0");
        assert_eq!(number(-0.00000001), "−1e−8");
        assert_eq!(number(0.0000479123), "4.791e−5");
        assert_eq!(number(9.99996), "10");
        assert_eq!(number(0.099996), "0.1");
        assert_eq!(number(123.456), "123.5");
        assert_eq!(number(12345.6), "12346");
        assert_eq!(number(2.5e7), "2.5e7");
        assert_eq!(number(-0.004123), "−0.004123");
    }

    fn line_of(expr: Expr, value: f64) -> Line {
        Line {
            entry: QuantityRef { quantity: Quantity::DlDh(1), example: None, index: vec![1] },
            expr,
            value,
        }
    }

    #[test]
    fn a_line_gets_the_digits_its_arithmetic_needs() {
        // −0.32933·2 = −0.65866: at four digits −0.3293·2 = −0.6586, which is not −0.6587.
        let tight = line_of(Expr::Products(vec![vec![-0.32933, 1.0, 2.0]]), -0.65866);
        assert_eq!(operand_digits(&tight), 5);
        assert_eq!(line(&tight), "∂L/∂h1(1) = −0.32933·1·2 = −0.6587");
        let easy = line_of(Expr::Products(vec![vec![0.28764, 1.0, 1.0], vec![-0.5753, 1.0, 2.0]]), -0.86296);
        assert_eq!(line(&easy), "∂L/∂h1(1) = 0.2876·1·1 + (−0.5753)·1·2 = −0.863");
    }

    #[test]
    fn every_shown_line_of_every_shipped_lesson_checks_out() {
        use crate::engine::Solution;
        use crate::lesson::{parse_lesson, shipped};
        use crate::network::steps::StepKind;
        use crate::plan::{derivation, plan, step};
        for (name, source) in shipped::all() {
            let lesson = parse_lesson(name, source).unwrap();
            let solution = Solution::new(lesson.network());
            let mut steps = plan(&lesson);
            steps.push(step(lesson.network(), StepKind::Forward, None));
            for step in &steps {
                for shown in derivation(step, &solution, usize::MAX).0 {
                    assert_eq!(unworkable(&shown), None, "{name}: {}", line(&shown));
                    let digits = operand_digits(&shown);
                    assert!(digits < MAX_DIGITS, "{name}: {}", line(&shown));
                    let redone = shown.expr.map_numbers(&|x| shown_value(x, digits)).eval();
                    assert!(
                        redone.is_none_or(|r| number(r) == number(shown.value)),
                        "{name}: {}",
                        line(&shown)
                    );
                }
            }
        }
    }

    #[test]
    fn a_line_that_does_not_hold_in_f64_says_why_instead() {
        let loss = |expr: Expr| Line {
            entry: QuantityRef { quantity: Quantity::Loss, example: None, index: vec![] },
            expr,
            value: 5e299,
        };
        let saturated = line(&loss(Expr::NegLog(0.0)));
        assert!(saturated.starts_with("L = 5e299: ô_y underflows f64 to 0"), "{saturated}");
        assert!(!saturated.contains("−ln 0 ="), "{saturated}");
        let cancelled = line(&loss(Expr::Products(vec![vec![1e300], vec![-1e300]])));
        assert!(cancelled.starts_with("L = 5e299: its arithmetic does not hold in f64"), "{cancelled}");
        let holds = line(&loss(Expr::Products(vec![vec![5e299, 1.0]])));
        assert_eq!(holds, "L = 5e299·1 = 5e299");
    }

    #[test]
    fn decimal_points_are_found_in_every_kind_of_number() {
        assert_eq!(integer_width("−0.7553"), 2);
        assert_eq!(integer_width("12"), 2);
        assert_eq!(integer_width("4.79e−5"), 1);
        assert_eq!(integer_width("0.245✗"), 1);
        assert_eq!(integer_width("1✗"), 1);
        assert_eq!(integer_width("?"), 1);
    }
}
