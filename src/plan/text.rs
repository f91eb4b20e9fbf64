//! Numbers and derivation lines as plain text, the way a student writes them by hand.

use super::derive::{Expr, Line};

/// Three decimals with trailing zeros dropped ("0.288", "1", "−0.5"), a true minus sign, and
/// three significant digits in powers of ten for tiny non-zero values, so they never print as
/// 0, and for huge ones (from the tutor's [`super::display`] bound up), so that 1e300 is not
/// three hundred digits.
pub fn format_number(x: f64) -> String {
    let text = if x != 0.0 && (x.abs() < 0.0005 || x.abs() >= super::display::LARGE) {
        format!("{x:.2e}")
    } else {
        let fixed = format!("{x:.3}");
        let trimmed = fixed.trim_end_matches('0').trim_end_matches('.');
        if trimmed == "-0" { "0".to_string() } else { trimmed.to_string() }
    };
    text.replace('-', "−")
}

/// How a number is written: by [`super::display`], whose digits make a line's arithmetic hold.
pub(super) type NumberText<'a> = &'a dyn Fn(f64) -> String;

fn factor(number: NumberText, x: f64, first: bool) -> String {
    if x < 0.0 && !first { format!("({})", number(x)) } else { number(x) }
}

impl Expr {
    /// The arithmetic as text, each number written by `number`.
    pub fn text_with(&self, number: NumberText) -> String {
        let factor = |x: f64, first: bool| factor(number, x, first);
        match self {
            Expr::Products(terms) => terms
                .iter()
                .enumerate()
                .map(|(t, factors)| {
                    factors
                        .iter()
                        .enumerate()
                        .map(|(f, &x)| factor(x, t == 0 && f == 0))
                        .collect::<Vec<_>>()
                        .join("·")
                })
                .collect::<Vec<_>>()
                .join(" + "),
            Expr::Difference(a, b) => format!("{} − {}", number(*a), factor(*b, false)),
            Expr::Activation(activation, z) => format!("{}({})", activation.name(), number(*z)),
            Expr::Softmax { numerator, all } => {
                let power = |x: f64| format!("e^{}", factor(x, false));
                let sum = all.iter().map(|&x| power(x)).collect::<Vec<_>>().join(" + ");
                format!("{} / ({sum})", power(*numerator))
            }
            Expr::NegLog(p) => format!("−ln {}", number(*p)),
            Expr::HalfSquares(pairs) => {
                let squares = pairs
                    .iter()
                    .map(|&(o, t)| format!("({} − {})²", number(o), factor(t, false)))
                    .collect::<Vec<_>>()
                    .join(" + ");
                format!("½ [{squares}]")
            }
            Expr::Entry(reference) => reference.symbol(),
            Expr::Weight { layer, i, j } => match layer {
                Some(l) => format!("w{i},{j}({l})"),
                None => format!("w{i},{j}(o)"),
            },
            Expr::Derivative(activation, z) => format!("{}'({})", activation.name(), number(*z)),
            Expr::Minus(a, b) => format!("{} − {}", a.text_with(number), factor(*b, false)),
            Expr::Update { weight, rate, gradient } => {
                format!("{} − {}·{}", number(*weight), number(*rate), factor(*gradient, false))
            }
            Expr::Mean(values) => {
                let sum = Expr::Products(values.iter().map(|&x| vec![x]).collect()).text_with(number);
                format!("({sum}) / {}", values.len())
            }
            Expr::Total { parts, mean } => {
                let sum = join_signed(parts.iter().map(|part| part.text_with(number)));
                if *mean { format!("({sum}) / {}", parts.len()) } else { sum }
            }
        }
    }
}

/// Terms joined by `+`, or by `−` before one that starts with a minus: `−ln 0.5 − ln 0.7`.
fn join_signed(parts: impl Iterator<Item = String>) -> String {
    let mut out = String::new();
    for part in parts {
        match part.strip_prefix('−') {
            Some(rest) if !out.is_empty() => out.push_str(&format!(" − {rest}")),
            _ if !out.is_empty() => out.push_str(&format!(" + {part}")),
            _ => out.push_str(&part),
        }
    }
    out
}

impl Line {
    /// The line with the arithmetic's numbers written by `number` and the value by `value`.
    pub fn text_with(&self, number: NumberText, value: NumberText) -> String {
        format!("{} = {} = {}", self.entry.symbol(), self.expr.text_with(number), value(self.value))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_like_hand_work() {
        assert_eq!(format_number(0.28764), "0.288");
        assert_eq!(format_number(1.0), "1");
        assert_eq!(format_number(-0.5), "−0.5");
        assert_eq!(format_number(-0.0001), "−1.00e−4");
        assert_eq!(format_number(-0.0), "0");
        assert_eq!(format_number(-0.0002), "−2.00e−4");
        assert_eq!(format_number(999_999.0), "999999");
        assert_eq!(format_number(1e300), "1.00e300");
        assert_eq!(format_number(-2.5e7), "−2.50e7");
    }

    #[test]
    fn products_put_negative_factors_in_parentheses() {
        let expr = Expr::Products(vec![vec![0.288, 1.0, 1.0], vec![-0.575, 1.0, 2.0]]);
        assert_eq!(expr.text_with(&format_number), "0.288·1·1 + (−0.575)·1·2");
    }
}
