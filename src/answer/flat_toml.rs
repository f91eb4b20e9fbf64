//! A one-pass reader for the TOML that answer files are made of: `key = value` lines whose
//! values are decimal numbers, plain double-quoted strings and arrays of them, with comments.
//!
//! Grading a class of files is mostly reading them, and the general TOML parser spends most of
//! the time (tokens, spans, tables). This reader accepts only a strict subset, every file of
//! which is valid TOML with the same meaning, and answers `None` for anything else (other
//! number forms, escapes, literal or multi-line strings, tables, dotted or repeated keys…),
//! which the caller then gives to the general parser. A test checks the two agree.

use super::sheet::Item;
use crate::value::Value;
use nalgebra::{DMatrix, DVector};
use std::borrow::Cow;

/// The file's keys (sorted, as the general parser's table gives them) and values, or `None`
/// when the file is outside the subset.
pub(super) fn read(text: &str) -> Option<Vec<(Cow<'_, str>, Item<'_>)>> {
    // Control characters other than tab and line ends are invalid TOML almost anywhere;
    // leaving them (and a byte-order mark) to the general parser keeps this reader simple.
    // One branch-free pass (the compiler vectorizes it) finds both, then a look at each
    // carriage return if there is one.
    let bytes = text.as_bytes();
    let control = |b: u8| (b < 0x20 && b != b'\t' && b != b'\n' && b != b'\r') | (b == 0x7f);
    let lone_return = |(i, &b): (usize, &u8)| b == b'\r' && bytes.get(i + 1) != Some(&b'\n');
    let (controls, returns) = bytes
        .iter()
        .fold((false, false), |(controls, returns), &b| (controls | control(b), returns | (b == b'\r')));
    if controls || (returns && bytes.iter().enumerate().any(lone_return)) || text.starts_with('\u{feff}') {
        return None;
    }
    let mut reader = Reader { text, at: 0 };
    let mut entries: Vec<(Cow<str>, Item)> = Vec::with_capacity(8);
    loop {
        reader.blank();
        if reader.comment_or_line_end()? {
            if reader.at == text.len() {
                break;
            }
            continue;
        }
        let key = reader.key()?;
        reader.blank();
        reader.expect(b'=')?;
        reader.blank();
        let value = reader.value(0)?;
        reader.blank();
        reader.comment_or_line_end()?.then_some(())?;
        entries.push((Cow::Borrowed(key), value));
        if reader.at == text.len() {
            break;
        }
    }
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    // A repeated key is an error in TOML: the general parser reports it.
    if entries.windows(2).any(|w| w[0].0 == w[1].0) {
        return None;
    }
    Some(entries)
}

/// Arrays nest at most this deep here (answers need two); deeper ones go to the general parser.
const MAX_DEPTH: usize = 4;

struct Reader<'a> {
    text: &'a str,
    /// Byte offset of the next character.
    at: usize,
}

impl<'a> Reader<'a> {
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    fn expect(&mut self, byte: u8) -> Option<()> {
        (self.peek()? == byte).then(|| self.at += 1)
    }

    /// Spaces and tabs.
    fn blank(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.at += 1;
        }
    }

    /// A comment and the line end, a line end, or the end of the text: `Some(true)`. Anything
    /// else: `Some(false)`, nothing consumed.
    fn comment_or_line_end(&mut self) -> Option<bool> {
        if self.peek() == Some(b'#') {
            self.at = self.text[self.at..].find('\n').map_or(self.text.len(), |n| self.at + n);
        }
        match self.peek() {
            None => Some(true),
            Some(b'\n') => {
                self.at += 1;
                Some(true)
            }
            Some(b'\r') => {
                self.at += 2;
                Some(true)
            }
            Some(_) => Some(false),
        }
    }

    /// Blanks, line ends and comments, as allowed inside an array.
    fn blank_lines(&mut self) -> Option<()> {
        loop {
            self.blank();
            if self.at == self.text.len() || !self.comment_or_line_end()? {
                return Some(());
            }
        }
    }

    /// A bare key or a plain quoted one.
    fn key(&mut self) -> Option<&'a str> {
        if self.peek()? == b'"' {
            return self.string();
        }
        let start = self.at;
        while matches!(self.peek(), Some(b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'_' | b'-')) {
            self.at += 1;
        }
        (self.at > start).then(|| &self.text[start..self.at])
    }

    /// A double-quoted string without escapes.
    fn string(&mut self) -> Option<&'a str> {
        self.expect(b'"')?;
        let rest = &self.text[self.at..];
        let end = rest.find(['"', '\\', '\n', '\r'])?;
        if rest.as_bytes()[end] != b'"' {
            return None;
        }
        self.at += end + 1;
        Some(&rest[..end])
    }

    fn value(&mut self, depth: usize) -> Option<Item<'a>> {
        match self.peek()? {
            b'"' => {
                // `"""` opens a multi-line string.
                if self.text[self.at..].starts_with("\"\"\"") {
                    return None;
                }
                self.string().map(|s| Item::Text(Cow::Borrowed(s)))
            }
            b'[' if depth == 0 => {
                let start = self.at;
                match self.numbers() {
                    Some(value) => Some(Item::Numbers(value)),
                    // Anything else in the array: read it again, item by item.
                    None => {
                        self.at = start;
                        self.array(depth + 1)
                    }
                }
            }
            b'[' if depth < MAX_DEPTH => self.array(depth + 1),
            b'-' | b'0'..=b'9' => self.number(),
            _ => None,
        }
    }

    fn array(&mut self, depth: usize) -> Option<Item<'a>> {
        self.expect(b'[')?;
        let mut items = Vec::new();
        loop {
            self.blank_lines()?;
            if self.peek()? == b']' {
                self.at += 1;
                return Some(Item::Array(items));
            }
            items.push(self.value(depth)?);
            self.blank_lines()?;
            match self.peek()? {
                b',' => self.at += 1,
                b']' => {
                    self.at += 1;
                    return Some(Item::Array(items));
                }
                _ => return None,
            }
        }
    }

    /// An array of numbers, or of rows of numbers that all have the same length: the usual
    /// answer, read straight into its vector or matrix. `None` for anything else (an empty
    /// array or row, a string, ragged rows…), which [`Reader::array`] then reads.
    fn numbers(&mut self) -> Option<Value> {
        self.expect(b'[')?;
        let mut entries = Vec::with_capacity(8);
        self.blank_lines()?;
        if self.peek()? != b'[' {
            self.number_list(&mut entries)?;
            return Some(Value::Vector(DVector::from_vec(entries)));
        }
        let (mut rows, mut columns) = (0, 0);
        loop {
            self.blank_lines()?;
            if self.peek()? == b']' && rows > 0 {
                self.at += 1;
                break;
            }
            self.expect(b'[')?;
            let before = entries.len();
            self.number_list(&mut entries)?;
            let length = entries.len() - before;
            if rows > 0 && length != columns {
                return None;
            }
            (rows, columns) = (rows + 1, length);
            self.blank_lines()?;
            match self.peek()? {
                b',' => self.at += 1,
                b']' => {
                    self.at += 1;
                    break;
                }
                _ => return None,
            }
        }
        Some(Value::Matrix(DMatrix::from_row_slice(rows, columns, &entries)))
    }

    /// The numbers of a list whose `[` is read, through its `]`: at least one.
    fn number_list(&mut self, entries: &mut Vec<f64>) -> Option<()> {
        loop {
            self.blank_lines()?;
            let Item::Number(x) = self.number()? else { return None };
            entries.push(x);
            self.blank_lines()?;
            match self.peek()? {
                b',' => {
                    self.at += 1;
                    self.blank_lines()?;
                    if self.peek()? == b']' {
                        self.at += 1;
                        return Some(());
                    }
                }
                b']' => {
                    self.at += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`: TOML's decimal integers and floats
    /// without `+`, underscores, `inf` or `nan`.
    fn number(&mut self) -> Option<Item<'a>> {
        // Scanned with a local index over the bytes: this runs for every number of every file.
        let bytes = self.text.as_bytes();
        let start = self.at;
        let mut at = start;
        let digits = |at: &mut usize| {
            let from = *at;
            while bytes.get(*at).is_some_and(u8::is_ascii_digit) {
                *at += 1;
            }
            *at - from
        };
        if bytes.get(at) == Some(&b'-') {
            at += 1;
        }
        let whole = at;
        if digits(&mut at) == 0 || (bytes[whole] == b'0' && at - whole > 1) {
            return None;
        }
        let mut integer = true;
        if bytes.get(at) == Some(&b'.') {
            at += 1;
            integer = false;
            (digits(&mut at) > 0).then_some(())?;
        }
        if matches!(bytes.get(at), Some(b'e' | b'E')) {
            at += 1;
            integer = false;
            if matches!(bytes.get(at), Some(b'+' | b'-')) {
                at += 1;
            }
            (digits(&mut at) > 0).then_some(())?;
        }
        self.at = at;
        let text = &self.text[start..self.at];
        // An integer too large for TOML's 64 bits is an error there: leave it to the parser.
        let number = if integer { text.parse::<i64>().ok()? as f64 } else { text.parse().ok()? };
        Some(Item::Number(number))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answer::sheet::{item_value, read_toml};
    use proptest::prelude::*;

    /// The same entries, an array read straight into its value counting as the general
    /// parser's array of that value.
    fn same(fast: &[(Cow<str>, Item)], general: &[(Cow<str>, Item)]) -> bool {
        fast.len() == general.len()
            && fast.iter().zip(general).all(|((key, fast), (general_key, general))| {
                key == general_key
                    && match fast {
                        Item::Numbers(value) => {
                            matches!(general, Item::Array(_)) && item_value(general).as_ref() == Ok(value)
                        }
                        _ => fast == general,
                    }
            })
    }

    /// Whatever the subset reader accepts, the general parser reads the same way.
    fn agrees(text: &str) -> Result<bool, String> {
        match read(text) {
            None => Ok(false),
            Some(fast) => match read_toml(text) {
                Ok(general) if same(&fast, &general) => Ok(true),
                Ok(general) => Err(format!("{text:?}: {fast:?} but toml reads {general:?}")),
                Err(e) => Err(format!("{text:?} accepted here, but toml says {e}")),
            },
        }
    }

    #[test]
    fn answer_files_are_read_as_toml_reads_them() {
        for text in [
            "",
            "\n\n# only a comment",
            "dL_do = [0.09, 0.665, -0.755]\n",
            "dL_do=[0.09,0.665,-0.755]",
            "\"dL_dWo[2,1]\" = 0.09  # a quoted key\r\n",
            "dL_dWo = [[1, 2],\n  [3, 4], # row 2\n]\n",
            "a = [[1, 2], [3]]\nb = [[1, 2], [3, 4], [5]]\nc = [1, \"2\"]\nd = [[1], 2]\ne = [ [ 1 , 2 ] , ]",
            "x = \"[e^1/(e^1+e^3), -2^2; 1, 2]\"\ny = -0\nz = 1e-3\nw = 2.5E+10\nv = 1e05",
            "\t a = [ ]\n\"\" = 1",
            "a = 9223372036854775807",
            "a = \"π − 0.5 · 2\"",
        ] {
            assert_eq!(agrees(text), Ok(true), "{text:?}");
        }
    }

    #[test]
    fn arrays_of_numbers_are_read_as_values_and_the_rest_item_by_item() {
        fn first(text: &str) -> Item<'_> {
            read(text).unwrap().remove(0).1
        }
        assert!(matches!(first("a = [1, 2.5, -3e2,]"), Item::Numbers(Value::Vector(v)) if v.len() == 3));
        assert!(matches!(
            first("a = [[1, 2, 3], [4, 5, 6]]"),
            Item::Numbers(Value::Matrix(m)) if m.shape() == (2, 3) && m[(1, 0)] == 4.0
        ));
        for ragged in ["a = [[1, 2], [3]]", "a = [[1, 2], [3, 4], [5]]", "a = [[1], [2, 3]]"] {
            assert!(matches!(first(ragged), Item::Array(_)), "{ragged}");
            assert!(item_value(&first(ragged)).is_err(), "{ragged}");
        }
        for mixed in ["a = []", "a = [[]]", "a = [1, \"2\"]", "a = [[1], 2]", "a = [1, [2]]", "a = [[[1]]]"] {
            assert!(matches!(first(mixed), Item::Array(_)), "{mixed}");
        }
    }

    #[test]
    fn everything_else_goes_to_the_general_parser() {
        for text in [
            "a = +1",
            "a = inf",
            "a = nan",
            "a = 1_000",
            "a = 01",
            "a = 1.",
            "a = .5",
            "a = 0x10",
            "a = true",
            "a = 'literal'",
            "a = \"\"\"multi\nline\"\"\"",
            "a = \"esc\\\"aped\"",
            "[table]\na = 1",
            "a.b = 1",
            "a = 1\na = 2",
            "a = {b = 1}",
            "a = 1 b = 2",
            "a = [1 2]",
            "a = [1, 2",
            "a = 9223372036854775808",
            "a = [[[[[1]]]]]",
            "a = 1\r",
            "\u{feff}a = 1",
            "a = \"bell\u{7}\"",
            "a = 1 # del \u{7f}",
            "= 1",
            "a =",
        ] {
            assert_eq!(read(text), None, "{text:?}");
        }
    }

    fn value() -> impl Strategy<Value = String> {
        let number = "-?(0|[1-9][0-9]{0,5})(\\.[0-9]{1,4})?([eE][+-]?[0-9]{1,2})?";
        let string = "\"[a-z0-9 ^*/+\\-\\[\\],;.()π−]{0,12}\"";
        let leaf = prop_oneof![number.prop_map(String::from), string.prop_map(String::from)];
        leaf.prop_recursive(3, 16, 4, |inner| {
            (prop::collection::vec(inner, 0..4), "[ \n]{0,2}", any::<bool>()).prop_map(
                |(items, gap, trailing)| {
                    let sep = format!(",{gap}");
                    let comma = if trailing && !items.is_empty() { "," } else { "" };
                    format!("[{gap}{}{comma}]", items.join(&sep))
                },
            )
        })
    }

    fn file() -> impl Strategy<Value = String> {
        let key = prop_oneof!["[A-Za-z0-9_-]{1,8}", "\"[A-Za-z0-9_, \\[\\]]{0,10}\""];
        let line = (key, "[ \t]{0,2}", value(), "( # [a-z ]{0,8})?")
            .prop_map(|(k, gap, v, c)| format!("{k}{gap}={gap}{v}{c}"));
        (prop::collection::vec(line, 0..6), prop_oneof![Just("\n"), Just("\r\n")])
            .prop_map(|(lines, end)| lines.join(end))
    }

    /// Snippets that leave the subset or break TOML, spliced in anywhere.
    const NOISE: &[&str] = &[
        "+1", "inf", "nan", "1_0", "'x'", "\"\"\"", "\\", "[t]\n", "a.b", "\r", "\u{7f}", "true", "01", "1.",
        ".5", "#", "\n", ",", "]", "[", "\"", "=", " ", "0x1",
    ];

    proptest! {
        #[test]
        fn files_of_the_subset_are_read_and_agree(text in file()) {
            // Repeated keys are the one part of the grammar above outside the subset.
            match agrees(&text) {
                Ok(true) => {}
                Ok(false) => prop_assert!(read_toml(&text).is_err(), "{text:?} is in the subset"),
                Err(e) => prop_assert!(false, "{}", e),
            }
        }

        #[test]
        fn mutated_files_are_read_alike_or_left_to_toml(text in file(), at in any::<prop::sample::Index>(), noise in prop::sample::select(NOISE)) {
            let mut text = text;
            let mut cut = at.index(text.len() + 1);
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            text.insert_str(cut, noise);
            prop_assert!(agrees(&text).is_ok(), "{:?}", agrees(&text));
        }
    }
}
