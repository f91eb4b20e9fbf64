//! Rounding too early: an answer that is the right value to fewer significant digits than
//! its tolerance accepts (`too_few_digits`).

use super::Mistake;
use crate::answer::shape::{EntryTolerances, conform, rejected};
use crate::value::Value;

/// Whether `answer` is the `expected` value rounded (or cut) to fewer significant digits than
/// its tolerance accepts: then the mistake, with the digits given and the digits needed.
pub fn too_few_digits(answer: &Value, expected: &Value, tolerance: &EntryTolerances) -> Option<Mistake> {
    let given = conform(answer, expected.shape())?;
    let wrong = || rejected(&given, expected, tolerance);
    // Rounding or cutting to one significant digit or more moves a number by at most half of
    // it; a wrong entry further off is no rounding, and then the digits the tolerance needs
    // (many roundings of every entry) are never worked out.
    if wrong().any(|(a, e)| (a - e).abs() > 0.5 * e.abs() + 2e-9 * a.abs().max(e.abs())) {
        return None;
    }
    let needed = digits_needed(expected, tolerance)?;
    let mut coarsest = None;
    for (a, e) in wrong() {
        let digits = (1..needed).find(|&d| [round_to(e, d), cut_to(e, d)].iter().any(|&r| same(a, r)))?;
        coarsest = coarsest.max(Some(digits));
    }
    coarsest.map(|given| Mistake::TooFewDigits { given, needed })
}

/// The fewest significant digits to which every entry of `expected`, rounded, is accepted.
pub fn digits_needed(expected: &Value, tolerance: &EntryTolerances) -> Option<usize> {
    (1..=17).find(|&d| tolerance.each_entry(expected).all(|(t, e)| t.accepts(round_to(e, d), e)))
}

/// `x` rounded to `digits` significant digits.
fn round_to(x: f64, digits: usize) -> f64 {
    let scale = significant_scale(x, digits);
    (x * scale).round() / scale
}

/// `x` cut (towards 0) to `digits` significant digits.
fn cut_to(x: f64, digits: usize) -> f64 {
    let scale = significant_scale(x, digits);
    (x * scale).trunc() / scale
}

/// The power of ten that puts `digits` significant digits of `x` before the decimal point.
fn significant_scale(x: f64, digits: usize) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return 1.0;
    }
    let exponent = x.abs().log10().floor() as i32;
    10f64.powi(digits as i32 - 1 - exponent)
}

/// Equal but for the last bits of a decimal number read from text.
fn same(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn significant_digits_round_and_cut() {
        assert_eq!(round_to(0.28766, 2), 0.29);
        assert_eq!(cut_to(0.28766, 2), 0.28);
        assert_eq!(round_to(-1437.5, 3), -1440.0);
        assert_eq!(round_to(0.0, 3), 0.0);
    }

    #[test]
    fn the_digits_needed_follow_the_tolerance() {
        let tolerance = EntryTolerances::uniform(crate::lesson::Tolerance::DEFAULT);
        // 1.4377 to 2 digits is 1.4, off by 0.038 > 0.001 + 0.0144: 3 digits are needed.
        assert_eq!(digits_needed(&Value::Scalar(1.4377), &tolerance), Some(3));
        // 0.2877 to 2 digits is 0.29, off by 0.0023, within 0.001 + 0.0029.
        assert_eq!(digits_needed(&Value::Scalar(0.28766), &tolerance), Some(2));
        assert_eq!(digits_needed(&Value::Scalar(0.5), &tolerance), Some(1));
        let coarse = too_few_digits(&Value::Scalar(1.4), &Value::Scalar(1.4377), &tolerance);
        assert_eq!(coarse, Some(Mistake::TooFewDigits { given: 2, needed: 3 }));
        assert_eq!(
            too_few_digits(&Value::Scalar(1.0), &Value::Scalar(1.4377), &tolerance),
            Some(Mistake::TooFewDigits { given: 1, needed: 3 })
        );
        assert_eq!(too_few_digits(&Value::Scalar(1.5), &Value::Scalar(1.4377), &tolerance), None);
        assert_eq!(too_few_digits(&Value::Scalar(-1.4), &Value::Scalar(1.4377), &tolerance), None);
    }

    proptest::proptest! {
        /// What `too_few_digits` leans on to turn an answer away unrounded: no rounding or cut
        /// to one significant digit or more moves a number by more than half of it, and the
        /// farthest of them (1.99… cut to 1) is still found.
        #[test]
        fn a_rounding_moves_a_number_by_at_most_half(mantissa in 1.0f64..10.0, exponent in -300i32..300, digits in 1usize..18) {
            let x = mantissa * 10f64.powi(exponent);
            // Far below 1, the scale overflows and the rounding is NaN, which matches nothing.
            let roundings = [round_to(x, digits), cut_to(x, digits), round_to(-x, digits), cut_to(-x, digits)];
            for r in roundings.into_iter().filter(|r| r.is_finite()) {
                proptest::prop_assert!((r.abs() - x).abs() <= 0.5 * x * (1.0 + 1e-12), "{x} {digits} {r}");
            }
            let tolerance = EntryTolerances::uniform(crate::lesson::Tolerance::DEFAULT);
            let cut = cut_to(x, 1);
            if !tolerance.at(0).accepts(cut, x) && digits_needed(&Value::Scalar(x), &tolerance).is_some_and(|n| n > 1) {
                proptest::prop_assert_eq!(
                    too_few_digits(&Value::Scalar(cut), &Value::Scalar(x), &tolerance).map(|m| matches!(m, Mistake::TooFewDigits { given: 1, .. })),
                    Some(true)
                );
            }
        }
    }
}
