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
    let mut entries: Vec<(Cow<str>, Item)> = Vec::with_capacity(8);
    each_entry(text, |key, value| {
        entries.push((Cow::Borrowed(key), value));
        Some(())
    })?;
    // Unstable is enough: a repeated key refuses the file below.
    entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    // A repeated key is an error in TOML: the general parser reports it.
    if entries.windows(2).any(|w| w[0].0 == w[1].0) {
        return None;
    }
    Some(entries)
}

/// The values of a file whose every key has a slot (`slot_of`, below `slots`), given once, with
/// a number or an array of numbers (or of equal rows of them) for its value: one per slot.
/// `None` for any other file (outside the subset, a key without a slot, another value, a key
/// given twice), which [`read`] or the general parser then reads.
pub(super) fn read_values(
    text: &str,
    slots: usize,
    slot_of: impl Fn(&str) -> Option<usize>,
) -> Option<Vec<Option<Value>>> {
    let mut values: Vec<Option<Value>> = vec![None; slots];
    each_entry(text, |key, item| {
        let slot = values.get_mut(slot_of(key)?)?;
        let value = match item {
            Item::Numbers(value) => value,
            Item::Number(x) => Value::Scalar(x),
            _ => return None,
        };
        slot.replace(value).is_none().then_some(())
    })?;
    Some(values)
}

/// Hands each `key = value` of the file to `entry`, in the file's order: `None` as soon as the
/// text leaves the subset or `entry` answers `None`.
fn each_entry<'a>(text: &'a str, mut entry: impl FnMut(&'a str, Item<'a>) -> Option<()>) -> Option<()> {
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
    loop {
        reader.blank();
        if reader.comment_or_line_end()? {
            if reader.at == text.len() {
                return Some(());
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
        entry(key, value)?;
        if reader.at == text.len() {
            return Some(());
        }
    }
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
            b'-' | b'0'..=b'9' => self.number().map(Item::Number),
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
        Some(Value::Matrix(column_major(rows, columns, entries)))
    }

    /// The numbers of a list whose `[` is read, through its `]`: at least one.
    fn number_list(&mut self, entries: &mut Vec<f64>) -> Option<()> {
        // Blanks are skipped once between two tokens (skipping them again finds none), and
        // not looked for between a number and the comma or bracket that most often follows it.
        self.blank_lines()?;
        loop {
            entries.push(self.number()?);
            if !matches!(self.peek(), Some(b',' | b']')) {
                self.blank_lines()?;
            }
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
    fn number(&mut self) -> Option<f64> {
        // Scanned with a local index over the bytes, the digits gathered on the way: this runs
        // for every number of every file.
        let bytes = self.text.as_bytes();
        let start = self.at;
        let mut at = start;
        let mut digits = Digits::default();
        let negative = bytes.get(at) == Some(&b'-');
        at += usize::from(negative);
        let whole = digits.scan(bytes, &mut at);
        if whole == 0 || (bytes[at - whole] == b'0' && whole > 1) {
            return None;
        }
        let mut integer = true;
        let mut places = 0;
        if bytes.get(at) == Some(&b'.') {
            at += 1;
            integer = false;
            places = digits.scan(bytes, &mut at);
            (places > 0).then_some(())?;
        }
        let mut written_exponent = 0;
        if matches!(bytes.get(at), Some(b'e' | b'E')) {
            at += 1;
            integer = false;
            let minus = bytes.get(at) == Some(&b'-');
            at += usize::from(matches!(bytes.get(at), Some(b'+' | b'-')));
            let mut exponent = Digits::default();
            (exponent.scan(bytes, &mut at) > 0).then_some(())?;
            // Past 10^6 the exact value does not matter: such a number is 0, inf or refused
            // by the general parse below.
            let magnitude = if exponent.count > 6 { 1_000_000 } else { exponent.value as i64 };
            written_exponent = if minus { -magnitude } else { magnitude };
        }
        self.at = at;
        if integer {
            // An integer too large for TOML's 64 bits is an error there: leave it to the parser.
            let n = match digits.count {
                ..=18 if negative => -(digits.value as i64),
                ..=18 => digits.value as i64,
                _ => self.text[start..at].parse::<i64>().ok()?,
            };
            return Some(n as f64);
        }
        let x = match exact(&digits, written_exponent - places as i64) {
            Some(x) if negative => -x,
            Some(x) => x,
            None => self.text[start..at].parse::<f64>().ok()?,
        };
        Some(x)
    }
}

/// The matrix whose entries `entries` lists row by row, in nalgebra's column-by-column order
/// in the same allocation: reordered in place, cycle by cycle, for a matrix of at most 64
/// entries (every answer's), else copied. The entry in row i and column j moves from i·cols + j
/// to j·rows + i, which is i·cols + j times `rows`, modulo the count less one; the last entry
/// stays (as does the first).
fn column_major(rows: usize, cols: usize, mut entries: Vec<f64>) -> DMatrix<f64> {
    let count = entries.len();
    if count > 64 {
        return DMatrix::from_row_slice(rows, cols, &entries);
    }
    if rows > 1 && cols > 1 {
        let mut moved = 0u64;
        for start in 1..count - 1 {
            if moved & (1 << start) != 0 {
                continue;
            }
            let (mut at, mut carried) = (start, entries[start]);
            loop {
                at = at * rows % (count - 1);
                std::mem::swap(&mut entries[at], &mut carried);
                moved |= 1 << at;
                if at == start {
                    break;
                }
            }
        }
    }
    DMatrix::from_vec(rows, cols, entries)
}

/// The digits of a number as they are scanned: their value while it fits, and how many.
#[derive(Default)]
struct Digits {
    value: u64,
    count: usize,
}

impl Digits {
    /// Reads the digits at `*at` on, moving past them; how many there were. Eight at a time
    /// while eight are left: a number written out in full has 17, and a byte at a time that
    /// loop was a third of reading a file. The value is the same modulo 2^64 either way.
    fn scan(&mut self, bytes: &[u8], at: &mut usize) -> usize {
        let from = *at;
        let (mut i, mut value) = (from, self.value);
        while let Some(&eight) = bytes.get(i..).and_then(|rest| rest.first_chunk::<8>()) {
            let word = u64::from_le_bytes(eight);
            if !eight_digits(word) {
                break;
            }
            value = value.wrapping_mul(100_000_000).wrapping_add(eight_digit_value(word));
            i += 8;
        }
        while let Some(&b) = bytes.get(i)
            && b.is_ascii_digit()
        {
            value = value.wrapping_mul(10).wrapping_add(u64::from(b - b'0'));
            i += 1;
        }
        (self.value, *at) = (value, i);
        self.count += i - from;
        i - from
    }
}

/// Whether all eight bytes of `word` are ASCII digits: each is 0x3_ and stays so when 6 is
/// added (0x3A–0x3F carry into 0x4_).
fn eight_digits(word: u64) -> bool {
    const HIGH: u64 = 0xF0F0_F0F0_F0F0_F0F0;
    const THREES: u64 = 0x3030_3030_3030_3030;
    (word & HIGH) == THREES && (word.wrapping_add(0x0606_0606_0606_0606) & HIGH) == THREES
}

/// The number eight ASCII digits spell, the first in the lowest byte: pairs of digits, then
/// fours, then the eight, each step one multiplication that puts ten (or 100, or 10,000) times
/// the left part beside the right one.
fn eight_digit_value(word: u64) -> u64 {
    let digits = word - 0x3030_3030_3030_3030;
    let pairs = (digits.wrapping_mul(10 * 256 + 1) >> 8) & 0x00FF_00FF_00FF_00FF;
    let fours = (pairs.wrapping_mul(100 * 65_536 + 1) >> 16) & 0x0000_FFFF_0000_FFFF;
    fours.wrapping_mul(10_000 * (1 << 32) + 1) >> 32
}

/// The powers of ten that are exact in an `f64`.
const EXACT_POWERS_OF_TEN: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18,
    1e19, 1e20, 1e21, 1e22,
];

/// 10^0 to 10^20 in 128 bits, looked up: `pow` would multiply them out for every number.
const POWERS_OF_TEN_128: [u128; 21] = {
    let mut powers = [1u128; 21];
    let mut n = 1;
    while n < powers.len() {
        powers[n] = powers[n - 1] * 10;
        n += 1;
    }
    powers
};

/// `digits × 10^exponent`, correctly rounded, for every number of at most 19 digits and 20
/// places: as the standard parser gives it (a property test holds the two to the same bits), in
/// a few operations where that parser scans the text again. `None` for the rest, which the
/// caller gives to the standard parser.
fn exact(digits: &Digits, exponent: i64) -> Option<f64> {
    // At most 19 digits cannot overflow the gathered value.
    if digits.count > 19 {
        return None;
    }
    let value = digits.value;
    // Both factors exact in an `f64` (at most 2^53, and a power of ten up to 10^22): IEEE
    // rounds the one product or quotient correctly (Clinger's fast path). An answer rounded to
    // a few places is always such a number.
    if value <= 1 << 53
        && let Some(&power) = EXACT_POWERS_OF_TEN.get(exponent.unsigned_abs() as usize)
    {
        let value = value as f64;
        return Some(if exponent < 0 { value / power } else { value * power });
    }
    // Else exactly in 128 bits, where a cast to `f64` rounds correctly (to nearest, ties to
    // even), as a float written out in full (17 digits) needs.
    match exponent {
        0..=19 => Some((u128::from(value) * POWERS_OF_TEN_128[exponent as usize]) as f64),
        -20..=-1 => {
            // The value moved up to the top bit, divided by the power of ten: a quotient of at
            // least 60 bits, with its last bit set if anything remains, rounds as the exact
            // quotient does; scaling it back by a power of two is exact.
            let shift = u128::from(value).leading_zeros();
            let top = u128::from(value).checked_shl(shift)?;
            let divisor = POWERS_OF_TEN_128[exponent.unsigned_abs() as usize];
            let quotient = (top / divisor) | u128::from(top % divisor != 0);
            Some(quotient as f64 * f64::from_bits((1023 - u64::from(shift)) << 52))
        }
        _ => None,
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
        values_agree(text)?;
        match read(text) {
            None => Ok(false),
            Some(fast) => match read_toml(text) {
                Ok(general) if same(&fast, &general) => Ok(true),
                Ok(general) => Err(format!("{text:?}: {fast:?} but toml reads {general:?}")),
                Err(e) => Err(format!("{text:?} accepted here, but toml says {e}")),
            },
        }
    }

    /// [`read_values`], with a slot for every key the file has, gives the values [`read`]
    /// gives when all are numbers or arrays of them, and refuses the file otherwise (a key
    /// given twice included).
    fn values_agree(text: &str) -> Result<(), String> {
        let mut keys: Vec<&str> = vec![];
        each_entry(text, |key, _| {
            if !keys.contains(&key) {
                keys.push(key);
            }
            Some(())
        });
        // In the order `read` gives them.
        keys.sort_unstable();
        let entries = read(text);
        let values = read_values(text, keys.len(), |key| keys.iter().position(|k| *k == key));
        let plain = entries.and_then(|entries| {
            let value = |item: &Item| match item {
                Item::Numbers(value) => Some(Some(value.clone())),
                Item::Number(x) => Some(Some(Value::Scalar(*x))),
                _ => None,
            };
            entries.iter().map(|(_, item)| value(item)).collect::<Option<Vec<_>>>()
        });
        if values == plain {
            Ok(())
        } else {
            Err(format!("{text:?}: values {values:?}, but read gives {plain:?}"))
        }
    }

    proptest! {
        /// Eight bytes at a time read as one at a time would: which are digits, and their value.
        #[test]
        fn eight_digits_at_once_are_eight_digits_one_by_one(eight in any::<[u8; 8]>(), digits in 0u64..100_000_000) {
            let word = u64::from_le_bytes(eight);
            prop_assert_eq!(eight_digits(word), eight.iter().all(u8::is_ascii_digit));
            let spelled: [u8; 8] = format!("{digits:08}").into_bytes().try_into().unwrap();
            let word = u64::from_le_bytes(spelled);
            prop_assert!(eight_digits(word));
            prop_assert_eq!(eight_digit_value(word), digits);
        }
    }

    proptest! {
        /// Reordered in place, a matrix's rows give the matrix nalgebra makes of them.
        #[test]
        fn rows_reordered_in_place_are_the_matrix_of_those_rows(rows in 1usize..12, cols in 1usize..12) {
            let entries: Vec<f64> = (0..rows * cols).map(|n| n as f64).collect();
            prop_assert_eq!(column_major(rows, cols, entries.clone()), DMatrix::from_row_slice(rows, cols, &entries));
        }
    }

    #[test]
    fn digits_are_gathered_alike_in_every_run_length() {
        for text in
            ["", "7", "0123456", "01234567", "012345678", "12345678901234567890123456", "123456789x12"]
        {
            let (mut digits, mut at) = (Digits::default(), 0);
            let read = digits.scan(text.as_bytes(), &mut at);
            let expected = text.bytes().take_while(u8::is_ascii_digit).count();
            let value = text
                .bytes()
                .take(expected)
                .fold(0u64, |v, b| v.wrapping_mul(10).wrapping_add(u64::from(b - b'0')));
            assert_eq!(
                (read, at, digits.count, digits.value),
                (expected, expected, expected, value),
                "{text}"
            );
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
            "a = 1\nb = [1, 2]\na = 2\n",
        ] {
            assert_eq!(read(text), None, "{text:?}");
            assert_eq!(agrees(text), Ok(false), "{text:?}");
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

    /// The number `text` reads as, with the bits the standard parser gives it.
    fn read_number(text: &str) -> (Option<u64>, u64) {
        let fast = match read(&format!("a = {text}")).as_deref() {
            Some([(_, Item::Number(x))]) => Some(x.to_bits()),
            _ => None,
        };
        let std = if text.contains(['.', 'e', 'E']) {
            text.parse::<f64>().unwrap()
        } else {
            text.parse::<i64>().map_or(f64::NAN, |n| n as f64)
        };
        (fast, std.to_bits())
    }

    #[test]
    fn numbers_have_the_standard_parsers_bits() {
        for text in [
            "0.1",
            "-0.0",
            "-0",
            "0.3",
            "9007199254740992.0",
            "9007199254740993.0",
            "0.09003057317038046",
            "0.36012229268152185",
            "1e22",
            "1e23",
            "1.5e-22",
            "123456789012345678e-40",
            "1e-400",
            "1e400",
            "9223372036854775807",
            "-9223372036854775808",
            "1e0000000000000000000000001",
            "5e-324",
            "0.0000000000000000000000000000000000001",
            "17976931348623157e292",
        ] {
            let (fast, std) = read_number(text);
            assert_eq!(fast, Some(std), "{text}");
        }
    }

    proptest! {
        #[test]
        fn any_number_has_the_standard_parsers_bits(
            text in "-?(0|[1-9][0-9]{0,20})(\\.[0-9]{1,22})?([eE][+-]?[0-9]{1,3})?",
        ) {
            let (fast, std) = read_number(&text);
            // A 64-bit integer overflows only past 18 digits: that is the general parser's.
            prop_assert!(fast == Some(std) || (fast.is_none() && f64::from_bits(std).is_nan()), "{}", text);
        }

        #[test]
        fn every_float_written_out_reads_back_to_its_bits(x in any::<f64>().prop_filter("finite", |x| x.is_finite())) {
            // Rust writes the shortest text that reads back, as solve's JSON does.
            let text = format!("{x:?}");
            prop_assert_eq!(read_number(&text), (Some(x.to_bits()), x.to_bits()), "{}", text);
        }

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
