//! The lesson loader on near-valid lessons: a shipped lesson edited by the fuzzer (pieces of
//! TOML and lesson keys inserted, stretches deleted or repeated, numbers replaced), which
//! reaches validation and the engine far more often than random bytes do. No panic, no hang,
//! and the promises in `checks::lesson`. A finding is kept as the edited lesson's text in
//! tests/fixtures/fuzz/lesson_structured/.

#![no_main]

// Each target uses one of the checks.
#[allow(dead_code)]
#[path = "../../tests/fuzz_regressions/checks.rs"]
mod checks;

use arbitrary::Arbitrary;
use backprop_tutor::lesson::shipped;
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
struct Case {
    lesson: u8,
    edits: Vec<Edit>,
}

/// Positions and lengths are taken modulo the text's length, then moved back to a character
/// boundary.
#[derive(Arbitrary, Debug)]
enum Edit {
    Insert {
        at: u16,
        piece: Piece,
    },
    Delete {
        at: u16,
        len: u8,
    },
    /// Repeats a stretch elsewhere: duplicate keys, tables and rows, ragged rows.
    Copy {
        from: u16,
        len: u16,
        to: u16,
    },
    /// Replaces the `nth` number of the text.
    Number {
        nth: u16,
        piece: Piece,
    },
}

#[derive(Arbitrary, Debug)]
enum Piece {
    Known(u8),
    Float(f64),
    Integer(i64),
    Text(String),
}

/// Pieces that make a lesson subtly wrong, or right in an unusual way.
const PIECES: &[&str] = &[
    "[",
    "]",
    "[[",
    "]]",
    "{",
    "}",
    ",",
    "=",
    ".",
    "\n",
    "\r\n",
    " ",
    "\t",
    "#",
    "\"",
    "'",
    "'''",
    "\"\"\"",
    "\u{feff}",
    "é",
    "\u{202e}",
    "inf",
    "-inf",
    "nan",
    "+0",
    "-0.0",
    "1e308",
    "1e309",
    "5e-324",
    "1_000",
    "0x7fffffffffffffff",
    "0o17",
    "0b101",
    "9223372036854775808",
    "1979-05-27",
    "true",
    "[]",
    "[[]]",
    "[[1]]",
    "[1, 2]",
    "[[1, 2], [3]]",
    "[network]\n",
    "[[network.layers]]\n",
    "[network.layers]\n",
    "[[network]]\n",
    "weights = [[1, 0], [0, 1]]\n",
    "weights = []\n",
    "weights = [[0.5, -1, 2]]\n",
    "bias = [0.5, -1]\n",
    "bias = []\n",
    "activation = \"tanh\"\n",
    "activation = \"identity\"\n",
    "activation = \"sigmoid\"\n",
    "activation = \"gelu\"\n",
    "loss = \"mse\"\n",
    "target = [1, 2, 3]\n",
    "label = 0\n",
    "label = 2\n",
    "label = 1.5\n",
    "label = -9223372036854775808\n",
    "input = [1, 2]\n",
    "input = []\n",
    "title = \"\"\n",
    "title = \"t\"\n",
    "description = \"d\"\n",
    "[check]\nrtol = -1\n",
    "[check]\natol = nan\n",
    "[check.dL_dW1]\natol = 1e-9\n",
    "[check.\"dL_dWo[2,1]\"]\nrtol = 0.5\n",
    "[check.x]\n",
    "[steps]\nask = [\"forward\", \"2A\", \"3B\"]\n",
    "[steps]\nask = [\"dL_dWo[9,9]\", \"dh2_dh1[1,2]\"]\n",
    "[steps]\nask = []\n",
    "[lint]\nallow = [\"kink\", \"dead_layer\"]\n",
    "[lint]\nallow = [\"x\"]\n",
    "layers = [{ weights = [[1]] }, { weights = [[1]] }]\n",
    "extra = 1\n",
];

fn piece(piece: &Piece) -> String {
    match piece {
        Piece::Known(i) => PIECES[*i as usize % PIECES.len()].to_string(),
        // Rust writes floats as TOML does, but for NaN.
        Piece::Float(x) if x.is_nan() => "nan".to_string(),
        Piece::Float(x) => format!("{x:?}"),
        Piece::Integer(n) => n.to_string(),
        Piece::Text(s) => s.clone(),
    }
}

fn boundary(text: &str, at: usize) -> usize {
    let mut at = at % (text.len() + 1);
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// Byte ranges of the number-like words of `text`: a digit not preceded by a word character,
/// and what follows of digits, letters, `.`, `_`, `+` and `-`.
fn numbers(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_digit() && (i == 0 || !word(bytes[i - 1])) {
            let start = if i > 0 && bytes[i - 1] == b'-' { i - 1 } else { i };
            let mut end = i;
            while end < bytes.len() && (word(bytes[end]) || matches!(bytes[end], b'.' | b'+' | b'-')) {
                end += 1;
            }
            found.push((start, end));
            i = end;
        } else {
            i += 1;
        }
    }
    found
}

fn apply(text: &mut String, edit: &Edit) {
    match edit {
        Edit::Insert { at, piece: p } => text.insert_str(boundary(text, *at as usize), &piece(p)),
        Edit::Delete { at, len } => {
            let start = boundary(text, *at as usize);
            let end = boundary(text, start + *len as usize).max(start);
            text.replace_range(start..end, "");
        }
        Edit::Copy { from, len, to } => {
            let start = boundary(text, *from as usize);
            let end = boundary(text, start + *len as usize).max(start);
            let stretch = text[start..end].to_string();
            text.insert_str(boundary(text, *to as usize), &stretch);
        }
        Edit::Number { nth, piece: p } => {
            let found = numbers(text);
            if !found.is_empty() {
                let (start, end) = found[*nth as usize % found.len()];
                text.replace_range(start..end, &piece(p));
            }
        }
    }
}

fuzz_target!(|case: Case| {
    let lessons: Vec<&str> = shipped::names().collect();
    let name = lessons[case.lesson as usize % lessons.len()];
    let mut text = shipped::source(name).expect("a shipped lesson").to_string();
    // A few dozen edits are plenty, and keep each run fast.
    for edit in case.edits.iter().take(32) {
        apply(&mut text, edit);
    }
    // To keep a finding as a regression test: `PRINT_LESSON=1 cargo fuzz run … ARTIFACT`.
    if std::env::var_os("PRINT_LESSON").is_some() {
        eprintln!("{text}");
    }
    checks::lesson(&text);
});
