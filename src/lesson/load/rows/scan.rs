//! The direct way to the rows: one pass over the bytes that follows only brackets, strings and
//! comments, and reads each row of plain decimal numbers (`-0.5`, `12`, `0.1234`) with a digit
//! scanner. It gives up on the first row written any other way (an exponent, `_`, `+`, `inf`,
//! a comment inside the row, …): the lexer's way in `rows` reads those. What it lifts is
//! checked the same way as the lexer's lifts, against the tree `toml` makes of the rest.

use super::{Lifted, Open, opens_header};
use crate::lesson::MAX_UNITS;

/// The text with every row (an array inside an array) lifted out and replaced by `[]`, and the
/// rows lifted; `None` at the first row that is not plain, or where the brackets do not pair.
pub(super) fn lift_plain_rows(text: &str) -> Option<(String, Vec<Lifted>)> {
    let bytes = text.as_bytes();
    let mut skeleton = String::new();
    let mut copied = 0;
    let mut rows = Vec::new();
    let mut open = Vec::new();
    // After `=` outside any bracket, `[` opens an array value, not a table header.
    let mut value_next = false;
    let mut at = 0;
    while let Some(&byte) = bytes.get(at) {
        match byte {
            b'#' => {
                at = bytes[at..].iter().position(|&b| b == b'\n').map_or(bytes.len(), |n| at + n);
                continue;
            }
            b'"' | b'\'' => {
                at = end_of_string(bytes, at)?;
                value_next = false;
                continue;
            }
            b'=' if open.is_empty() => value_next = true,
            b'[' if open.last() == Some(&Open::Array) => {
                let (values, end) = plain_row(bytes, at)?;
                skeleton.push_str(&text[copied..at]);
                rows.push((skeleton.len(), values));
                skeleton.push_str("[]");
                copied = end;
                at = end;
                continue;
            }
            b'[' if opens_header(&open, value_next) => open.push(Open::Header),
            b'[' => open.push(Open::Array),
            b'{' => open.push(Open::InlineTable),
            b']' | b'}' => {
                open.pop()?;
            }
            _ => {}
        }
        if !matches!(byte, b'=' | b' ' | b'\t') {
            value_next = false;
        }
        at += 1;
    }
    skeleton.push_str(&text[copied..]);
    open.is_empty().then_some((skeleton, rows))
}

/// Where the string that opens at `at` ends (one past its closing quote), for the four kinds
/// of TOML string; `None` if it does not end.
fn end_of_string(bytes: &[u8], at: usize) -> Option<usize> {
    let quote = bytes[at];
    let escapes = quote == b'"';
    let multiline = bytes[at..].starts_with(&[quote; 3]);
    let mut i = at + if multiline { 3 } else { 1 };
    loop {
        match *bytes.get(i)? {
            b'\\' if escapes => i += 2,
            b'\n' if !multiline => return None,
            b if b == quote => {
                let run = bytes[i..].iter().take_while(|&&b| b == quote).count();
                if !multiline {
                    return Some(i + 1);
                }
                // Up to two quotes just before the closing three belong to the string.
                if run >= 3 {
                    return Some(i + run.min(5));
                }
                i += run;
            }
            _ => i += 1,
        }
    }
}

/// The numbers of the row `[a, b, …]` that opens at `at`, and where it ends (one past its `]`),
/// if every entry is a plain decimal number and the row holds no more than a lesson allows.
fn plain_row(bytes: &[u8], at: usize) -> Option<(Vec<f64>, usize)> {
    let mut values = Vec::new();
    let mut i = skip_blanks(bytes, at + 1)?;
    loop {
        if bytes[i] == b']' {
            return Some((values, i + 1));
        }
        let (value, end) = plain_number(bytes, i)?;
        if values.len() == MAX_UNITS {
            return None;
        }
        values.push(value);
        i = skip_blanks(bytes, end)?;
        match bytes[i] {
            b',' => i = skip_blanks(bytes, i + 1)?,
            b']' => {}
            _ => return None,
        }
        // `[1, ]` is a row of one; `[1, , 2]` and `[, 1]` are not TOML.
        if bytes[i] == b',' {
            return None;
        }
    }
}

/// The first byte at or after `i` that is not a space, a tab or a line end, if there is one.
fn skip_blanks(bytes: &[u8], mut i: usize) -> Option<usize> {
    loop {
        match *bytes.get(i)? {
            b' ' | b'\t' | b'\n' => i += 1,
            b'\r' if bytes.get(i + 1) == Some(&b'\n') => i += 2,
            _ => return Some(i),
        }
    }
}

/// 10⁰ … 10¹⁵, each exact in f64.
const POWERS_OF_TEN: [f64; 16] =
    [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/// The number at `i` written `-?(0|[1-9][0-9]*)(\.[0-9]+)?` and followed by a blank, `,` or `]`,
/// as the f64 `toml` makes of it, and where it ends.
///
/// An integer becomes an i64 and then an f64, so `-0` is 0; a float is rounded once from its
/// decimal value, so `-0.0` is −0. With at most 15 digits, the digits as an integer and the
/// power of ten are both exact in f64 and one division rounds correctly, as `str::parse` does;
/// longer numbers go to `str::parse` itself.
fn plain_number(bytes: &[u8], i: usize) -> Option<(f64, usize)> {
    let negative = bytes[i] == b'-';
    let whole_start = i + usize::from(negative);
    let digits = |from: usize| bytes[from..].iter().take_while(|b| b.is_ascii_digit()).count();
    let whole = digits(whole_start);
    if whole == 0 || (whole > 1 && bytes[whole_start] == b'0') {
        return None;
    }
    let point = whole_start + whole;
    let fraction = if bytes.get(point) == Some(&b'.') { Some(digits(point + 1)) } else { None };
    let end = fraction.map_or(point, |n| point + 1 + n);
    if fraction == Some(0) || !matches!(bytes.get(end)?, b' ' | b'\t' | b'\n' | b'\r' | b',' | b']') {
        return None;
    }
    let mantissa = |from: usize, to: usize| {
        bytes[from..to].iter().filter(|b| b.is_ascii_digit()).fold(0u64, |m, b| m * 10 + u64::from(b - b'0'))
    };
    let value = match fraction {
        // An i64 needs 18 digits at most to be sure of fitting; longer ones the lexer checks.
        None if whole > 18 => return None,
        None => {
            let magnitude = mantissa(whole_start, end) as f64;
            if negative { 0.0 - magnitude } else { magnitude }
        }
        Some(decimals) if whole + decimals <= 15 => {
            let magnitude = mantissa(whole_start, end) as f64 / POWERS_OF_TEN[decimals];
            if negative { -magnitude } else { magnitude }
        }
        Some(_) => {
            // Only digits, a sign and a point: valid UTF-8, and finite unless absurdly long.
            let value: f64 = std::str::from_utf8(&bytes[i..end]).ok()?.parse().ok()?;
            if value.is_infinite() {
                return None;
            }
            value
        }
    };
    Some((value, end))
}

#[cfg(test)]
mod tests {
    use super::{lift_plain_rows, plain_number};

    fn number(text: &str) -> Option<f64> {
        plain_number(format!("{text},").as_bytes(), 0).map(|(value, _)| value)
    }

    #[test]
    fn plain_numbers_read_as_std_reads_them() {
        for text in [
            "0",
            "7",
            "-12",
            "0.5",
            "-0.1234",
            "123456.789012345",
            "0.30000000000000004",
            "9.999999999999999999",
        ] {
            let expected: f64 = text.parse().unwrap();
            assert_eq!(number(text).map(f64::to_bits), Some(expected.to_bits()), "{text}");
        }
        // toml reads an integer as an i64 first, which has no −0.
        assert_eq!(number("-0").map(f64::to_bits), Some(0.0f64.to_bits()));
        assert_eq!(number("-0.0").map(f64::to_bits), Some((-0.0f64).to_bits()));
        assert_eq!(number("123456789012345678"), Some(123456789012345678.0));
    }

    #[test]
    fn anything_else_is_left_to_the_lexer() {
        for text in [
            "01",
            "-01",
            "00.5",
            "1.",
            ".5",
            "+1",
            "1e3",
            "1_000",
            "0x1F",
            "inf",
            "nan",
            "-",
            "1234567890123456789",
        ] {
            assert_eq!(number(text), None, "{text}");
        }
        assert_eq!(plain_number(b"1#", 0), None);
        assert_eq!(plain_number(b"1", 0), None, "a number must end before the text does");
    }

    #[test]
    fn rows_are_lifted_and_strings_and_comments_skipped() {
        let text = "title = \"[[1]] ' \\\" [\"\ndescription = \"\"\"\n[[2, 3]] \"\" \"\"\"\"\nnote = '''[[4]]'''\n\
                    x = 'a\\' # [[5]]\n[network]\nlayers = [{ weights = [[1, -0.5],\r\n [2,3,], ] }]\n";
        let (skeleton, rows) = lift_plain_rows(text).unwrap();
        assert_eq!(
            rows.iter().map(|(_, values)| values.clone()).collect::<Vec<_>>(),
            [vec![1.0, -0.5], vec![2.0, 3.0]]
        );
        assert!(skeleton.ends_with("layers = [{ weights = [[],\r\n [], ] }]\n"), "{skeleton}");
        for (offset, _) in rows {
            assert_eq!(&skeleton[offset..offset + 2], "[]");
        }
    }

    #[test]
    fn the_first_unusual_row_gives_up() {
        for weights in [
            "[[1, 2e3]]",
            "[[1 # one\n]]",
            "[[1 2]]",
            "[[1,,2]]",
            "[[,1]]",
            "[[[1]]]",
            "[[1]",
            "[[1,\r2]]",
            "[[\"1\"]]",
        ] {
            assert!(lift_plain_rows(&format!("weights = {weights}\n")).is_none(), "{weights}");
        }
        let long = format!("weights = [[{}]]\n", vec!["1"; crate::lesson::MAX_UNITS + 1].join(","));
        assert!(lift_plain_rows(&long).is_none());
        assert!(lift_plain_rows("title = \"unterminated\n").is_none());
        assert!(lift_plain_rows("a = ]\n").is_none());
    }
}
