//! The lean way into a lesson with large layers: weight rows are read one at a time instead of
//! through `toml::from_str`, by a digit scanner where they are plain decimal numbers (`scan`),
//! else off `toml_parser`'s lexer.
//!
//! `toml::from_str` lexes the whole document into a vector of tokens, turns that into a vector
//! of events, then into a spanned tree: some 50 bytes of working memory per byte of text, so a
//! 10-512-512-512-512-10 lesson (4 MB of text) peaked at 200 MB. Here every array of numbers
//! that stands inside an array (a weight row) is checked and decoded on its own, by `scan` or
//! by `toml_parser` (the parser `toml` itself runs), and cut out of the text, leaving `[]` in
//! its place. The lexer costs most of the time of reading a wide lesson, so `scan` goes first
//! and the lexer only reads the lessons `scan` gives up on. What remains is small and goes through `toml` as before; each row is then put back
//! where the remaining tree says its `[]` stood, and that must be a row of a layer's
//! `weights`. Whatever is not as expected gives `None`, and the caller parses the whole text
//! with `toml::from_str`: lessons, and the messages of bad ones, come out exactly as they did.

mod scan;

use crate::lesson::{LessonFile, MAX_UNITS};
use serde::Deserialize;
use std::borrow::Cow;
use toml::de::{DeTable, DeValue, Deserializer};
use toml_parser::decoder::{Encoding, ScalarKind};
use toml_parser::lexer::{Token, TokenKind};
use toml_parser::parser::{EventReceiver, ValidateWhitespace, parse_value};
use toml_parser::{ErrorSink, ParseError, Source, Span};

/// A row is left in the text once it has more tokens than this: a row the validation accepts
/// has at most `MAX_UNITS` numbers, each some five tokens with its separators (`-0`, `.`, `5`,
/// `,`, a space) and room for a comment, and the buffer stays small however long a hostile
/// row is.
const MAX_ROW_TOKENS: usize = 8 * MAX_UNITS;

/// The lesson file in `text`, or `None` where the plain path must decide.
pub(super) fn parse(text: &str) -> Option<LessonFile> {
    scan::lift_plain_rows(text).and_then(put_back).or_else(|| lift_rows(text).and_then(put_back))
}

/// The lesson file from the skeleton, with each lifted row put back in its slot; `None` unless
/// every row lifted stood where a row of a layer's weights stands.
fn put_back((skeleton, rows): (String, Vec<Lifted>)) -> Option<LessonFile> {
    let root = DeTable::parse(&skeleton).ok()?;
    let slots = row_slots(root.get_ref());
    let mut file = LessonFile::deserialize(Deserializer::from(root)).ok()?;
    for (offset, values) in rows {
        let at = slots.binary_search_by_key(&offset, |&(start, _, _)| start).ok()?;
        let (_, layer, row) = slots[at];
        let slot = file.network.layers.get_mut(layer)?.weights.get_mut(row)?;
        // The skeleton's `[]` deserialized to an empty row; anything else is not our slot.
        if !slot.is_empty() {
            return None;
        }
        *slot = values;
    }
    Some(file)
}

/// What a `[` or `{` that is still open began.
#[derive(Clone, Copy, PartialEq)]
enum Open {
    Array,
    InlineTable,
    /// `[table]` and `[[array.of.tables]]` headers.
    Header,
}

/// Whether a `[` opens a table header rather than an array, given what is open before it and
/// whether it follows `=` outside any bracket.
fn opens_header(open: &[Open], value_next: bool) -> bool {
    (open.is_empty() && !value_next) || open.last() == Some(&Open::Header)
}

/// A row lifted out of the text: the offset of the `[]` left in the skeleton, and its numbers.
type Lifted = (usize, Vec<f64>);

/// The text with every row lifted out and replaced by `[]`, and the rows lifted. Only the
/// nesting of brackets is followed here; whether the skeleton is TOML is `toml`'s to say.
fn lift_rows(text: &str) -> Option<(String, Vec<Lifted>)> {
    let source = Source::new(text);
    let mut skeleton = String::new();
    let mut copied = 0;
    let mut rows = Vec::new();
    let mut open = Vec::new();
    // After `=` outside any bracket, `[` opens an array value, not a table header.
    let mut value_next = false;
    // The row being read: the depth of `open` outside it, and its tokens.
    let mut row: Option<usize> = None;
    let mut tokens: Vec<Token> = Vec::new();
    for token in source.lex() {
        if row.is_some() {
            tokens.push(token);
        }
        match token.kind() {
            TokenKind::Equals if open.is_empty() => value_next = true,
            TokenKind::LeftSquareBracket => {
                if opens_header(&open, value_next) {
                    open.push(Open::Header);
                } else {
                    if row.is_none() && open.last() == Some(&Open::Array) {
                        row = Some(open.len());
                        tokens.clear();
                        tokens.push(token);
                    }
                    open.push(Open::Array);
                }
            }
            TokenKind::LeftCurlyBracket => open.push(Open::InlineTable),
            TokenKind::RightSquareBracket | TokenKind::RightCurlyBracket => {
                open.pop()?;
                if row == Some(open.len()) {
                    row = None;
                    let start = tokens[0].span().start();
                    let end = token.span().end();
                    if let Some(values) = numbers(source, &tokens) {
                        skeleton.push_str(&text[copied..start]);
                        rows.push((skeleton.len(), values));
                        skeleton.push_str("[]");
                        copied = end;
                    }
                }
            }
            _ => {}
        }
        if !matches!(token.kind(), TokenKind::Equals | TokenKind::Whitespace | TokenKind::Comment) {
            value_next = false;
        }
        if tokens.len() > MAX_ROW_TOKENS {
            // Too long to be a row of a valid lesson: it stays in the text for `toml`.
            row = None;
            tokens.clear();
        }
    }
    skeleton.push_str(&text[copied..]);
    Some((skeleton, rows))
}

/// The numbers of a row `[a, b, …]` given as its tokens, or `None` unless it is a flat array
/// of integers and floats that `toml` reads without complaint.
fn numbers(source: Source<'_>, tokens: &[Token]) -> Option<Vec<f64>> {
    let mut row = Row { source, values: Vec::new(), depth: 0, plain: true };
    let mut errors: Option<ParseError> = None;
    parse_value(tokens, &mut ValidateWhitespace::new(&mut row, source), &mut errors);
    if errors.is_some() || !row.plain {
        return None;
    }
    row.values.shrink_to_fit();
    Some(row.values)
}

/// Collects a row's numbers from `toml_parser`'s events; `plain` turns false at anything else.
struct Row<'s> {
    source: Source<'s>,
    values: Vec<f64>,
    /// Arrays opened so far: the row's own is the only one a plain row has.
    depth: usize,
    plain: bool,
}

// Declining to enter a nested array or table (`false`) keeps the recursive parser from
// descending into a hostile `[[[[…` at all: the row is not plain either way.
impl EventReceiver for Row<'_> {
    fn array_open(&mut self, _span: Span, _error: &mut dyn ErrorSink) -> bool {
        self.depth += 1;
        self.plain &= self.depth == 1;
        self.plain
    }
    fn inline_table_open(&mut self, _span: Span, _error: &mut dyn ErrorSink) -> bool {
        self.plain = false;
        false
    }
    fn scalar(&mut self, span: Span, encoding: Option<Encoding>, _error: &mut dyn ErrorSink) {
        match encoding.is_none().then(|| number(self.source, span)).flatten() {
            Some(value) => self.values.push(value),
            None => self.plain = false,
        }
    }
    fn error(&mut self, _span: Span, _error: &mut dyn ErrorSink) {
        self.plain = false;
    }
}

/// The f64 that `toml` and serde make of an unquoted scalar, where they make one without an
/// error: an integer that fits i64, converted with `as`, or a float (nan included; an
/// infinity only when written as `inf`, else it overflowed).
fn number(source: Source<'_>, span: Span) -> Option<f64> {
    let raw = source.get(span)?;
    let mut decoded = Cow::Borrowed("");
    let mut errors: Option<ParseError> = None;
    let kind = raw.decode_scalar(&mut decoded, &mut errors);
    if errors.is_some() {
        return None;
    }
    match kind {
        ScalarKind::Integer(radix) => i64::from_str_radix(&decoded, radix.value()).ok().map(|i| i as f64),
        ScalarKind::Float => {
            let value: f64 = decoded.parse().ok()?;
            (!value.is_infinite() || decoded.contains("inf")).then_some(value)
        }
        ScalarKind::String | ScalarKind::Boolean(_) | ScalarKind::DateTime => None,
    }
}

/// The offset of every row of every layer's `weights` in the skeleton's tree, with the layer's
/// and the row's index, sorted by offset.
fn row_slots(root: &DeTable<'_>) -> Vec<(usize, usize, usize)> {
    let layers = root
        .get("network")
        .and_then(|network| network.get_ref().as_table()?.get("layers")?.get_ref().as_array());
    let mut slots = Vec::new();
    for (l, layer) in layers.into_iter().flatten().enumerate() {
        let weights = layer.get_ref().as_table().and_then(|t| t.get("weights"));
        if let Some(DeValue::Array(weights)) = weights.map(|w| w.get_ref()) {
            slots.extend(weights.iter().enumerate().map(|(r, row)| (row.span().start, l, r)));
        }
    }
    slots.sort_unstable();
    slots
}

#[cfg(test)]
mod tests {
    use super::{lift_rows, parse, scan};
    use crate::lesson::{LessonFile, shipped};
    use proptest::prelude::*;

    /// The lean path must give what `toml::from_str` gives, or leave the text to it. Compared
    /// as debug text, where NaN equals NaN and -0.0 differs from 0.0.
    fn same_as_toml(text: &str) -> Option<LessonFile> {
        let lean = parse(text);
        let plain = toml::from_str::<LessonFile>(text).ok();
        if lean.is_some() {
            assert_eq!(format!("{lean:?}"), format!("{plain:?}"), "lean and plain paths differ on:\n{text}");
        }
        lean
    }

    /// How many rows the lexer's way and the digit scanner's way lift.
    fn lifted(text: &str) -> usize {
        lift_rows(text).map_or(0, |(_, rows)| rows.len())
    }

    fn scanned(text: &str) -> usize {
        scan::lift_plain_rows(text).map_or(0, |(_, rows)| rows.len())
    }

    #[test]
    fn shipped_lessons_take_the_lean_path_unchanged() {
        for name in shipped::names() {
            let text = shipped::source(name).unwrap();
            assert!(same_as_toml(text).is_some(), "{name}");
            assert!(lifted(text) > 0, "{name}");
            assert_eq!(scanned(text), lifted(text), "{name}");
        }
    }

    #[test]
    fn a_wide_lesson_takes_the_lean_path_unchanged() {
        let row =
            |r: usize| (0..64).map(|c| format!("{}", (r * 31 + c) as f64 / 7.0 - 4.0)).collect::<Vec<_>>();
        let rows =
            |n: usize| (0..n).map(|r| format!("[{}]", row(r).join(", "))).collect::<Vec<_>>().join(",\n");
        let text = format!(
            "title = \"wide\"\n[network]\ninput = [{}]\nlabel = 1\n[[network.layers]]\nweights = [\n{}\n]\n\
             [[network.layers]]\nweights = [{}]\n",
            row(0).join(", "),
            rows(64),
            rows(10)
        );
        assert!(same_as_toml(&text).is_some());
        assert_eq!(lifted(&text), 74);
        assert_eq!(scanned(&text), 74);
    }

    #[test]
    fn every_number_syntax_reads_as_toml_reads_it() {
        let text = "title = \"t\"\n[network]\ninput = [1, 2]\nlabel = 1\n\
            [[network.layers]]\nweights = [ # rows follow\r\n  [1_000, -0.5, +3e-2, 0x1F], # one\n\
            [ 0o17 , 0b101,\n  -0.0, 5E+2 , ] ,\n  [inf, -inf, nan, 1.7976931348623157e308],\n]\n\
            [[network.layers]]\nweights = [[1, 2, 3]]\n";
        let file = same_as_toml(text).expect("the lean path reads it");
        assert_eq!(lifted(text), 4);
        assert_eq!(file.network.layers[0].weights[0], vec![1000.0, -0.5, 0.03, 31.0]);
        assert!(file.network.layers[0].weights[2][2].is_nan());
    }

    #[test]
    fn unusual_rows_read_as_toml_reads_them() {
        let lesson = |weights: &str| {
            format!(
                "title = \"t\"\n[network]\ninput = [1]\nlabel = 1\n[[network.layers]]\nweights = {weights}\n\
                 [[network.layers]]\nweights = [[1]]\n"
            )
        };
        for weights in [
            "[[1, \"2\"]]",
            "[[true]]",
            "[[1979-05-27]]",
            "[[[1]]]",
            "[[{ a = 1 }]]",
            "[[1 2]]",
            "[[1,,2]]",
            "[[9223372036854775808]]",
            "[[1e999]]",
            "[[1.]]",
            "[[01]]",
            "[[1]] [[2]]",
            "[[1]\n[2]]",
            "[[1] # comment with a \u{7} bell\n]",
            "[[1, # a \u{7} bell inside the row\n 2]]",
            "[[1,\r2]]",
        ] {
            same_as_toml(&lesson(weights));
        }
        // Few enough tokens to be read as a row, far deeper than `toml` allows.
        let deep = format!("[{}1{}]", "[".repeat(3000), "]".repeat(3000));
        assert!(same_as_toml(&lesson(&deep)).is_none());
        for misplaced in [
            "title = \"t\"\nnested = [[1]]\n[network]\ninput = [1]\nlayers = []\n",
            "title = \"t\"\n[network]\ninput = [[1]]\nlayers = [{ weights = [[1]] }, { weights = [[1]] }]\n",
            "title = \"t\"\n[network]\ninput = [1]\n[[network.layers]]\nweights = [[1]]\nbias = [[1]]\n",
        ] {
            assert!(same_as_toml(misplaced).is_none(), "{misplaced}");
        }
    }

    #[test]
    fn rows_the_scanner_lifts_wrongly_are_read_by_the_lexer() {
        // A string and a second array of rows that look like weights to the scanner: the tree
        // of the rest shows they are not, and the lexer's way reads the lesson instead.
        let text = "title = \"t\"\nnested = [[1]]\n[network]\ninput = [1]\nlabel = 1\n\
                    [[network.layers]]\nweights = [[2]]\n[[network.layers]]\nweights = [[3]]\n";
        assert_eq!(scanned(text), 3);
        assert!(same_as_toml(text).is_none(), "toml refuses the unknown key itself");
        let text = "title = \"t\"\ndescription = \"\"\"\nweights = [[9]]\"\"\"\n[network]\ninput = [1]\nlabel = 1\n\
                    [[network.layers]]\nweights = [[2], [1e0]]\n[[network.layers]]\nweights = [[3]]\n";
        assert_eq!(scanned(text), 0, "the exponent makes the scanner give up");
        let file = same_as_toml(text).expect("the lexer's way reads it");
        assert_eq!(file.network.layers[0].weights, [[2.0], [1.0]]);
    }

    proptest! {
        /// Rows of plain decimal numbers, spaced and signed every way TOML allows, read as
        /// `toml` reads them (bit for bit, −0 included).
        #[test]
        fn plain_rows_read_as_toml_reads_them(
            rows in prop::collection::vec(
                prop::collection::vec((any::<bool>(), 0u64..2_000_000, 0usize..9, 0usize..3), 1..6),
                1..5,
            ),
            trailing_comma in any::<bool>(),
        ) {
            let blanks = ["", " ", "\t ", "\n  ", "\r\n"];
            let columns = rows[0].len();
            let written: Vec<String> = rows
                .iter()
                .map(|row| {
                    let numbers: Vec<String> = (0..columns)
                        .map(|c| {
                            let (negative, digits, point, blank) = row[c % row.len()];
                            let digits = digits.to_string();
                            let point = point.min(digits.len() - 1);
                            let number = if point == 0 {
                                digits
                            } else {
                                let (whole, fraction) = digits.split_at(digits.len() - point);
                                format!("{}.{fraction}", if whole.is_empty() { "0" } else { whole })
                            };
                            format!("{}{}{number}", blanks[blank], if negative { "-" } else { "" })
                        })
                        .collect();
                    let comma = if trailing_comma { "," } else { "" };
                    format!("[{}{comma}]", numbers.join(","))
                })
                .collect();
            let text = format!(
                "title = \"t\"\n[network]\ninput = [{}]\nlabel = 1\n[[network.layers]]\nweights = [\n{}\n]\n\
                 [[network.layers]]\nweights = [[{}]]\n",
                vec!["1"; columns].join(", "),
                written.join(",\n"),
                vec!["1"; rows.len()].join(", "),
            );
            prop_assert_eq!(scanned(&text), rows.len() + 1);
            prop_assert!(same_as_toml(&text).is_some());
        }
    }

    #[test]
    fn inline_layers_and_headers_with_spaces_take_the_lean_path() {
        let text = "title = \"t\"\n[ network ]\ninput = [1]\nlabel = 1\n\
                    layers = [{ weights = [[0.5], [2]] }, { weights = [[1, 2]] }]\n";
        assert!(same_as_toml(text).is_some());
        assert_eq!(lifted(text), 3);
        let text = "title = \"t\"\n[network]\ninput = [1]\nlabel = 1\n[[ network . \"layers\" ]]\n\
                    weights = [[0.5]]\n[[network.layers]]\nweights = [[1]]\n";
        assert!(same_as_toml(text).is_some());
        assert_eq!(lifted(text), 2);
    }
}
