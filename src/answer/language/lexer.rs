//! Splitting an answer into tokens. Never fails: a character the language does not use
//! becomes an [`Kind::Unknown`] token, reported when the parser reaches it, so that errors
//! come in reading order.

use super::pasted::{is_invisible, is_transpose_mark, normalize, superscript_digit};

#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Kind {
    Number(f64),
    Name,
    Plus,
    Minus,
    /// `*` (and `×`, `·`, …): the matrix product, which scales when one side is a number.
    Star,
    /// numpy's matrix product.
    At,
    Slash,
    /// `^`, and `**` for Python users.
    Caret,
    DotStar,
    DotSlash,
    DotCaret,
    /// `'`, `.'`, `.T`, `ᵀ` and `⊤`.
    Transpose,
    /// A power written in superscripts, `x²` or `10⁻³`: the exponent.
    Superscript(f64),
    Sqrt,
    Greater,
    Less,
    GreaterEqual,
    LessEqual,
    /// Only ever an error (or `dtype=` in a numpy printout), but one worth explaining.
    Equals,
    Open,
    Close,
    OpenBracket,
    CloseBracket,
    Comma,
    Semicolon,
    Unknown,
    End,
}

#[derive(Debug, Clone, Copy)]
pub(super) struct Token {
    pub kind: Kind,
    /// Character indices, end exclusive.
    pub start: usize,
    pub end: usize,
    /// Whether white space separates this token from the one before: inside brackets a
    /// space can separate entries, as in MATLAB.
    pub spaced: bool,
}

/// Prefixes of numpy and Python spellings (`np.exp`, `math.pi`), read as part of the name.
const MODULES: [&str; 3] = ["np", "numpy", "math"];

/// The tokens of `chars`, ending with one `End` token.
pub(super) fn lex(chars: &[char]) -> Vec<Token> {
    let at = |i: usize| chars.get(i).copied().map(normalize);
    // One token per character at most (and the `End`): one allocation.
    let mut tokens = Vec::with_capacity(chars.len() + 1);
    let mut spaced = false;
    let mut i = 0;
    while let Some(c) = at(i) {
        let start = i;
        i += 1;
        let kind = match c {
            c if c.is_whitespace() => {
                spaced = true;
                continue;
            }
            c if is_invisible(c) => continue,
            '0'..='9' => number_token(chars, start, &mut i),
            '.' => match at(i) {
                Some('0'..='9') => number_token(chars, start, &mut i),
                Some('*') => advance(&mut i, Kind::DotStar),
                Some('/') => advance(&mut i, Kind::DotSlash),
                Some('^') => advance(&mut i, Kind::DotCaret),
                Some('\'') => advance(&mut i, Kind::Transpose),
                Some('T') if !at(i + 1).is_some_and(continues_name) => advance(&mut i, Kind::Transpose),
                _ => Kind::Unknown,
            },
            c if starts_name(c) => {
                while at(i).is_some_and(continues_name) {
                    i += 1;
                }
                let word: String = chars[start..i].iter().map(|&c| normalize(c)).collect();
                if MODULES.contains(&word.as_str())
                    && at(i) == Some('.')
                    && at(i + 1).is_some_and(starts_name)
                {
                    i += 1;
                    while at(i).is_some_and(continues_name) {
                        i += 1;
                    }
                }
                // One example's quantity of a dataset: `dL_dW1#2`.
                if at(i) == Some('#') && at(i + 1).is_some_and(|c| c.is_ascii_digit()) {
                    i += 1;
                    while at(i).is_some_and(|c| c.is_ascii_digit()) {
                        i += 1;
                    }
                }
                Kind::Name
            }
            '+' => Kind::Plus,
            '-' => Kind::Minus,
            '*' if at(i) == Some('*') => advance(&mut i, Kind::Caret),
            '*' => Kind::Star,
            '@' => Kind::At,
            '/' => Kind::Slash,
            '^' => Kind::Caret,
            '\'' => Kind::Transpose,
            c if is_transpose_mark(c) => Kind::Transpose,
            '√' => Kind::Sqrt,
            '>' if at(i) == Some('=') => advance(&mut i, Kind::GreaterEqual),
            '<' if at(i) == Some('=') => advance(&mut i, Kind::LessEqual),
            '>' => Kind::Greater,
            '<' => Kind::Less,
            '≥' => Kind::GreaterEqual,
            '≤' => Kind::LessEqual,
            '=' => Kind::Equals,
            '(' => Kind::Open,
            ')' => Kind::Close,
            '[' => Kind::OpenBracket,
            ']' => Kind::CloseBracket,
            ',' => Kind::Comma,
            ';' => Kind::Semicolon,
            '⁻' | '⁰'..='⁹' | '¹' | '²' | '³' => superscript(chars, start, &mut i),
            _ => Kind::Unknown,
        };
        tokens.push(Token { kind, start, end: i, spaced });
        spaced = false;
    }
    tokens.push(Token { kind: Kind::End, start: chars.len(), end: chars.len(), spaced });
    tokens
}

fn advance(i: &mut usize, kind: Kind) -> Kind {
    *i += 1;
    kind
}

fn starts_name(c: char) -> bool {
    c.is_alphabetic() && !is_transpose_mark(c)
}

/// Superscripts and `ᵀ` count as letters or digits to Unicode, but here they end a name:
/// `x²` is x squared and `hᵀ` is h transposed.
fn continues_name(c: char) -> bool {
    (c.is_alphanumeric() || c == '_') && superscript_digit(c).is_none() && !is_transpose_mark(c)
}

/// Reads the number starting at `start` (with `*i` just past its first character). Its
/// characters are ASCII once normalized, and a usual number is copied to the stack to be
/// parsed: most answers are lists of numbers.
fn number_token(chars: &[char], start: usize, i: &mut usize) -> Kind {
    *i = number_end(chars, start);
    let digits = chars[start..*i].iter().map(|&c| normalize(c) as u8);
    let mut short = [0u8; 32];
    let parsed = if *i - start <= short.len() {
        for (slot, byte) in short.iter_mut().zip(digits) {
            *slot = byte;
        }
        std::str::from_utf8(&short[..*i - start]).ok().and_then(|text| text.parse().ok())
    } else {
        String::from_utf8(digits.collect()).ok().and_then(|text| text.parse().ok())
    };
    parsed.map_or(Kind::Unknown, Kind::Number)
}

/// The end of the number starting at `start`: digits, an optional fraction, and an exponent
/// only if digits follow the `e`, so that `2e` stays the number 2 followed by the name `e`
/// and `2e-3` is 0.002. A point followed by an operator belongs to the operator, so `2.*x`
/// is `2 .* x` as in MATLAB.
fn number_end(chars: &[char], start: usize) -> usize {
    let at = |i: usize| chars.get(i).copied().map(normalize);
    let is_digit = |i: usize| at(i).is_some_and(|c| c.is_ascii_digit());
    let mut i = start;
    while is_digit(i) {
        i += 1;
    }
    if at(i) == Some('.') && !matches!(at(i + 1), Some('*' | '/' | '^' | '\'')) {
        i += 1;
        while is_digit(i) {
            i += 1;
        }
    }
    if matches!(at(i), Some('e' | 'E')) {
        let sign = usize::from(matches!(at(i + 1), Some('+' | '-')));
        if is_digit(i + 1 + sign) {
            i += 1 + sign;
            while is_digit(i) {
                i += 1;
            }
        }
    }
    i
}

/// A superscript exponent, `²` or `⁻¹²`, starting at `start`.
fn superscript(chars: &[char], start: usize, i: &mut usize) -> Kind {
    let negative = chars[start] == '⁻';
    let mut end = start + usize::from(negative);
    let mut value = 0.0;
    while let Some(digit) = chars.get(end).copied().and_then(superscript_digit) {
        value = value * 10.0 + f64::from(digit);
        end += 1;
    }
    if end == start + usize::from(negative) {
        return Kind::Unknown;
    }
    *i = end;
    Kind::Superscript(if negative { -value } else { value })
}
