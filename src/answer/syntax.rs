//! The answer language of SPEC §4: what a learner types for a scalar, a vector or a matrix.
//!
//! A hand-written lexer and Pratt parser that evaluate as they parse. No parser crate fits
//! (see issue 3): the usual ones divide integers, are unmaintained or read `-2^2` as 4.
//!
//! Choices a reader may wonder about:
//! - `^` binds tighter than unary minus (`-2^2` = −4) and is right-associative (`2^3^2` = 512);
//!   its right operand may carry a sign (`2^-1` = 0.5).
//! - Unary plus is accepted (`+0.5`, `1 + +2`): it cannot change a value, and learners paste
//!   signed numbers.
//! - There is no implicit multiplication: `2e`, `2 3` or `2(3)` ask for an operator, because
//!   `2e-3` next to `2e - 3` would be a trap. `2e3` is the number 2000.
//! - Brackets only go around the whole answer and, in `[[a, b], [c, d]]`, around the rows.
//!   Entries are expressions, but a vector never takes part in arithmetic.
//! - Only the value of an entry has to be finite: `1/exp(1000)` is 0, as in IEEE arithmetic.
//! - Errors point at characters, not bytes, so the caret lines up under multi-byte input.

use crate::value::Value;
use nalgebra::{DMatrix, DVector};
use std::f64::consts::{E, PI};
use std::fmt;

/// Longest accepted answer, in characters: far beyond any real answer, small enough to parse
/// instantly.
const MAX_CHARS: usize = 10_000;
/// Deepest accepted nesting of sub-expressions; keeps the recursive parser off the stack limit.
const MAX_DEPTH: usize = 64;
const KNOWN_NAMES: &str = "e, pi, exp, ln, log, sqrt";
const TOO_LARGE: &str = "it is too large";

/// Why an answer could not be read: a message for the learner and where the problem is.
#[derive(Debug, Clone, PartialEq)]
pub struct AnswerError {
    pub message: String,
    /// 0-based character (not byte) index into the input; the input's length in characters
    /// when the answer ends too soon.
    pub column: usize,
}

impl AnswerError {
    fn new(column: usize, message: impl Into<String>) -> Self {
        AnswerError { message: message.into(), column }
    }

    /// The input, a caret under the offending character, and the message, on three lines.
    pub fn render(&self, input: &str) -> String {
        // One character per column keeps the caret aligned, and echoing no control characters
        // keeps a pasted escape sequence from reaching the terminal.
        let line: String =
            input.chars().map(|c| if c.is_whitespace() || c.is_control() { ' ' } else { c }).collect();
        format!("{line}\n{}^\n{}", " ".repeat(self.column), self.message)
    }
}

/// `column N: message`, with the column first because messages may name columns themselves
/// ("missing ')' to close the '(' at column 4").
impl fmt::Display for AnswerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "column {}: {}", self.column + 1, self.message)
    }
}

impl std::error::Error for AnswerError {}

/// Reads an answer: a scalar expression, a vector `[a, b]`, or a matrix `[[a, b], [c, d]]`
/// or `[a, b; c, d]`, every entry a finite number.
pub fn parse_answer(input: &str) -> Result<Value, AnswerError> {
    if input.chars().nth(MAX_CHARS).is_some() {
        return Err(AnswerError::new(
            MAX_CHARS,
            format!("the answer is too long (the limit is {MAX_CHARS} characters)"),
        ));
    }
    let chars: Vec<char> = input.chars().collect();
    let mut parser = Parser { tokens: lex(&chars), chars: &chars, pos: 0, depth: 0 };
    if parser.peek().kind == Kind::End {
        return Err(AnswerError::new(0, "empty answer"));
    }
    let answer = parser.answer()?;
    check_finite(&answer)?;
    Ok(answer.into_value())
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Number(f64),
    Name,
    Plus,
    Minus,
    Times,
    Divide,
    Power,
    Open,
    Close,
    OpenBracket,
    CloseBracket,
    Comma,
    Semicolon,
    /// A character the language does not use; reported when the parser reaches it, so that
    /// errors come in reading order.
    Unknown,
    End,
}

impl Kind {
    /// Whether this token can begin an operand, i.e. whether the learner, having written it
    /// right after an operand, most likely left out a `*`.
    fn starts_operand(self) -> bool {
        matches!(self, Kind::Number(_) | Kind::Name | Kind::Open)
    }
}

#[derive(Debug, Clone, Copy)]
struct Token {
    kind: Kind,
    /// Character indices, end exclusive.
    start: usize,
    end: usize,
}

/// Never fails: unknown characters become [`Kind::Unknown`] tokens. Ends with one `End` token.
fn lex(chars: &[char]) -> Vec<Token> {
    let is_digit = |i: usize| chars.get(i).is_some_and(char::is_ascii_digit);
    let mut tokens = Vec::new();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        let start = i;
        i += 1;
        let kind = match c {
            c if c.is_whitespace() => continue,
            '0'..='9' | '.' if c != '.' || is_digit(i) => {
                i = number_end(chars, start);
                // `−` is accepted in exponents (`1e−3`) but Rust's parser only knows `-`.
                let text: String = chars[start..i].iter().map(|&c| if c == '−' { '-' } else { c }).collect();
                text.parse().map_or(Kind::Unknown, Kind::Number)
            }
            c if c.is_alphabetic() => {
                while chars.get(i).is_some_and(|&c| c.is_alphanumeric() || c == '_') {
                    i += 1;
                }
                Kind::Name
            }
            '+' => Kind::Plus,
            '-' | '−' => Kind::Minus,
            '*' | '×' | '·' => Kind::Times,
            '/' => Kind::Divide,
            '^' => Kind::Power,
            '(' => Kind::Open,
            ')' => Kind::Close,
            '[' => Kind::OpenBracket,
            ']' => Kind::CloseBracket,
            ',' => Kind::Comma,
            ';' => Kind::Semicolon,
            _ => Kind::Unknown,
        };
        tokens.push(Token { kind, start, end: i });
    }
    tokens.push(Token { kind: Kind::End, start: chars.len(), end: chars.len() });
    tokens
}

/// The end of the number starting at `start`: digits, an optional fraction, and an exponent
/// only if digits follow the `e`, so that `2e` stays the number 2 followed by the name `e`.
fn number_end(chars: &[char], start: usize) -> usize {
    let is_digit = |i: usize| chars.get(i).is_some_and(char::is_ascii_digit);
    let mut i = start;
    while is_digit(i) {
        i += 1;
    }
    if chars.get(i) == Some(&'.') {
        i += 1;
        while is_digit(i) {
            i += 1;
        }
    }
    if matches!(chars.get(i), Some('e' | 'E')) {
        let sign = usize::from(matches!(chars.get(i + 1), Some('+' | '-' | '−')));
        if is_digit(i + 1 + sign) {
            i += 1 + sign;
            while is_digit(i) {
                i += 1;
            }
        }
    }
    i
}

/// A value under evaluation, with the reason it stopped being finite (if it did), so the
/// error can name the first operation that went wrong rather than just the result.
#[derive(Debug, Clone, Copy)]
struct Num {
    value: f64,
    /// `Some` exactly when `value` is not finite.
    why: Option<&'static str>,
}

impl Num {
    fn new(value: f64, operands: &[Num], why: &'static str) -> Num {
        let why = if value.is_finite() { None } else { operands.iter().find_map(|n| n.why).or(Some(why)) };
        Num { value, why }
    }
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    num: Num,
    column: usize,
}

/// Entries in reading order, and the shape they were written in.
struct Answer {
    entries: Vec<Entry>,
    layout: Layout,
}

enum Layout {
    Scalar,
    Vector,
    Matrix { rows: usize, cols: usize },
}

impl Answer {
    fn into_value(self) -> Value {
        let values: Vec<f64> = self.entries.iter().map(|e| e.num.value).collect();
        match self.layout {
            Layout::Scalar => Value::Scalar(values[0]),
            Layout::Vector => Value::Vector(DVector::from_vec(values)),
            Layout::Matrix { rows, cols } => Value::Matrix(DMatrix::from_row_slice(rows, cols, &values)),
        }
    }
}

/// Runs after parsing, so that a typo anywhere is reported before a value problem.
fn check_finite(answer: &Answer) -> Result<(), AnswerError> {
    for (index, entry) in answer.entries.iter().enumerate() {
        if let Some(why) = entry.num.why {
            let which = match answer.layout {
                Layout::Scalar => "the answer".to_string(),
                Layout::Vector => format!("entry {}", index + 1),
                Layout::Matrix { cols, .. } => {
                    format!("entry [{},{}]", index / cols + 1, index % cols + 1)
                }
            };
            return Err(AnswerError::new(entry.column, format!("{which} is not a finite number ({why})")));
        }
    }
    Ok(())
}

#[derive(Debug, Clone, Copy)]
enum BinaryOp {
    Add,
    Subtract,
    Multiply,
    Divide,
    Power,
}

/// Binding powers (left, right). Left below right makes an operator left-associative; `^` is
/// the other way round, so it is right-associative.
fn infix(kind: Kind) -> Option<(BinaryOp, u8, u8)> {
    match kind {
        Kind::Plus => Some((BinaryOp::Add, 1, 2)),
        Kind::Minus => Some((BinaryOp::Subtract, 1, 2)),
        Kind::Times => Some((BinaryOp::Multiply, 3, 4)),
        Kind::Divide => Some((BinaryOp::Divide, 3, 4)),
        Kind::Power => Some((BinaryOp::Power, 6, 5)),
        _ => None,
    }
}

/// Between `*` (3) and `^` (6): a sign takes in a power (`-2^2` = −4) but not a product.
const PREFIX_POWER: u8 = 5;

fn binary(op: BinaryOp, a: Num, b: Num) -> Num {
    let (x, y) = (a.value, b.value);
    let (value, why) = match op {
        BinaryOp::Add => (x + y, TOO_LARGE),
        BinaryOp::Subtract => (x - y, TOO_LARGE),
        BinaryOp::Multiply => (x * y, TOO_LARGE),
        BinaryOp::Divide => (x / y, if y == 0.0 { "division by zero" } else { TOO_LARGE }),
        BinaryOp::Power => {
            let why = if x == 0.0 && y < 0.0 {
                "division by zero"
            } else if x < 0.0 && y.fract() != 0.0 {
                "a negative number to a fractional power"
            } else {
                TOO_LARGE
            };
            (x.powf(y), why)
        }
    };
    Num::new(value, &[a, b], why)
}

struct Parser<'a> {
    chars: &'a [char],
    tokens: Vec<Token>,
    /// Index of the next token; past the end means the final `End` again.
    pos: usize,
    depth: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Token {
        self.tokens[self.pos.min(self.tokens.len() - 1)]
    }

    fn next(&mut self) -> Token {
        let token = self.peek();
        self.pos += 1;
        token
    }

    /// The token before the one `next()` just returned.
    fn before(&self) -> Option<Token> {
        self.pos.checked_sub(2).and_then(|i| self.tokens.get(i)).copied()
    }

    fn text(&self, token: Token) -> String {
        self.chars[token.start..token.end].iter().collect()
    }

    fn answer(&mut self) -> Result<Answer, AnswerError> {
        let answer = if self.peek().kind == Kind::OpenBracket {
            let open = self.next();
            self.literal(open)?
        } else {
            Answer { entries: vec![self.entry()?], layout: Layout::Scalar }
        };
        let token = self.next();
        match token.kind {
            Kind::End => Ok(answer),
            _ if matches!(answer.layout, Layout::Scalar) => Err(self.misplaced(token, || match token.kind {
                Kind::Close => "unexpected ')': there is no '(' to close".to_string(),
                Kind::Comma | Kind::Semicolon => format!(
                    "unexpected '{}': decimals are written with '.', and a vector as [a, b]",
                    self.text(token)
                ),
                _ => format!("unexpected '{}'", self.text(token)),
            })),
            _ if infix(token.kind).is_some() => Err(AnswerError::new(
                token.start,
                "a vector or matrix cannot take part in arithmetic: do it inside each entry",
            )),
            _ => Err(AnswerError::new(
                token.start,
                format!("unexpected '{}' after the closing ']'", self.text(token)),
            )),
        }
    }

    /// After the opening `[`: either rows in brackets, `[[a, b], [c, d]]`, or rows separated
    /// by semicolons, `[a, b; c, d]`, which is a vector when there is only one row.
    fn literal(&mut self, open: Token) -> Result<Answer, AnswerError> {
        let bracketed_rows = self.peek().kind == Kind::OpenBracket;
        let mut entries = Vec::new();
        let mut rows = 0;
        let mut cols = 0;
        loop {
            let row_open = if bracketed_rows {
                let token = self.next();
                if token.kind != Kind::OpenBracket {
                    return Err(AnswerError::new(
                        token.start,
                        format!("expected '[' to start row {} (a matrix is [[a, b], [c, d]])", rows + 1),
                    ));
                }
                Some(token)
            } else {
                None
            };
            let row_start = self.peek().start;
            let (row, end) = self.row(row_open.unwrap_or(open), bracketed_rows)?;
            rows += 1;
            if rows == 1 {
                cols = row.len();
            } else if row.len() != cols {
                let column = row_open.map_or(row_start, |t| t.start);
                return Err(AnswerError::new(
                    column,
                    format!("row {rows} has {} but row 1 has {}", entries_count(row.len()), cols),
                ));
            }
            entries.extend(row);
            let end = if bracketed_rows {
                self.next_in_literal(open, "',' or ']'", &[Kind::Comma, Kind::CloseBracket])?
            } else {
                end
            };
            if end.kind == Kind::CloseBracket {
                break;
            }
        }
        let layout = if bracketed_rows || rows > 1 { Layout::Matrix { rows, cols } } else { Layout::Vector };
        Ok(Answer { entries, layout })
    }

    /// Entries separated by commas, up to the `]` (or, when rows are not bracketed, the `;`)
    /// that ends the row; returns them with that token.
    fn row(&mut self, open: Token, bracketed: bool) -> Result<(Vec<Entry>, Token), AnswerError> {
        if self.peek().kind == Kind::CloseBracket {
            return Err(AnswerError::new(
                self.peek().start,
                "empty brackets: a vector or a row needs at least one entry",
            ));
        }
        let (expected, ends): (&str, &[Kind]) = if bracketed {
            ("',' or ']'", &[Kind::Comma, Kind::CloseBracket])
        } else {
            ("',', ';' or ']'", &[Kind::Comma, Kind::Semicolon, Kind::CloseBracket])
        };
        let mut row = Vec::new();
        loop {
            row.push(self.entry()?);
            let token = self.next_in_literal(open, expected, ends)?;
            if token.kind != Kind::Comma {
                return Ok((row, token));
            }
        }
    }

    /// The next token, which must be one of `ends`, inside the bracket opened by `open`.
    fn next_in_literal(&mut self, open: Token, expected: &str, ends: &[Kind]) -> Result<Token, AnswerError> {
        let token = self.next();
        match token.kind {
            kind if ends.contains(&kind) => Ok(token),
            Kind::End => Err(AnswerError::new(
                token.start,
                format!("missing ']' to close the '[' at column {}", open.start + 1),
            )),
            _ => Err(self.misplaced(token, || format!("expected {expected} here"))),
        }
    }

    fn entry(&mut self) -> Result<Entry, AnswerError> {
        let column = self.peek().start;
        Ok(Entry { num: self.expression(0)?, column })
    }

    /// An operand, then every operator that binds at least `min_power`. All recursion passes
    /// through here, so this is where depth is bounded.
    fn expression(&mut self, min_power: u8) -> Result<Num, AnswerError> {
        if self.depth == MAX_DEPTH {
            return Err(AnswerError::new(
                self.peek().start,
                format!("the answer is nested too deeply (the limit is {MAX_DEPTH} levels)"),
            ));
        }
        self.depth += 1;
        let result = self.expression_within_depth(min_power);
        self.depth -= 1;
        result
    }

    /// The Pratt loop.
    fn expression_within_depth(&mut self, min_power: u8) -> Result<Num, AnswerError> {
        let token = self.next();
        let mut lhs = match token.kind {
            Kind::Number(value) => Num::new(value, &[], TOO_LARGE),
            Kind::Name => self.name(token)?,
            Kind::Minus => {
                let operand = self.expression(PREFIX_POWER)?;
                Num { value: -operand.value, why: operand.why }
            }
            Kind::Plus => self.expression(PREFIX_POWER)?,
            Kind::Open => {
                let inner = self.expression(0)?;
                self.close(token)?;
                inner
            }
            _ => return Err(self.expected_operand(token)),
        };
        while let Some((op, left, right)) = infix(self.peek().kind) {
            if left < min_power {
                break;
            }
            self.next();
            let rhs = self.expression(right)?;
            lhs = binary(op, lhs, rhs);
        }
        Ok(lhs)
    }

    fn name(&mut self, token: Token) -> Result<Num, AnswerError> {
        let name = self.text(token);
        let function: fn(f64) -> (f64, &'static str) = match name.as_str() {
            "e" => {
                return Ok(Num { value: E, why: None });
            }
            "pi" | "π" => {
                return Ok(Num { value: PI, why: None });
            }
            "exp" => |x| (x.exp(), TOO_LARGE),
            "ln" | "log" => |x| (x.ln(), "the logarithm of a number that is not positive"),
            "sqrt" => |x| (x.sqrt(), "the square root of a negative number"),
            _ => {
                return Err(AnswerError::new(
                    token.start,
                    format!("unknown name '{name}' (known: {KNOWN_NAMES})"),
                ));
            }
        };
        let open = self.next();
        if open.kind != Kind::Open {
            return Err(AnswerError::new(open.start, format!("expected '(' after '{name}'")));
        }
        let argument = self.expression(0)?;
        self.close(open)?;
        let (value, why) = function(argument.value);
        Ok(Num::new(value, &[argument], why))
    }

    fn close(&mut self, open: Token) -> Result<(), AnswerError> {
        let token = self.next();
        match token.kind {
            Kind::Close => Ok(()),
            Kind::End => Err(AnswerError::new(
                token.start,
                format!("missing ')' to close the '(' at column {}", open.start + 1),
            )),
            _ => Err(self
                .misplaced(token, || format!("expected ')' to close the '(' at column {}", open.start + 1))),
        }
    }

    /// `token` follows a complete operand where something else was expected: explain the
    /// common cases, else use `otherwise`.
    fn misplaced(&self, token: Token, otherwise: impl FnOnce() -> String) -> AnswerError {
        let message = match token.kind {
            Kind::Unknown => format!("unexpected character '{}'", self.text(token).escape_debug()),
            kind if kind.starts_operand() => format!(
                "expected an operator between '{}' and '{}' (write * for a product)",
                self.before().map_or(String::new(), |previous| self.text(previous)),
                self.text(token)
            ),
            _ => otherwise(),
        };
        AnswerError::new(token.start, message)
    }

    fn expected_operand(&self, token: Token) -> AnswerError {
        let message = match token.kind {
            Kind::End => "the answer ends too soon: expected a number, a name or '('".to_string(),
            Kind::Unknown => format!("unexpected character '{}'", self.text(token).escape_debug()),
            Kind::OpenBracket => {
                "unexpected '[': brackets go only around a whole vector or matrix and its rows".to_string()
            }
            Kind::Times
                if self.chars[token.start] == '*'
                    && self.chars.get(token.start.wrapping_sub(1)) == Some(&'*') =>
            {
                "use '^' for powers, not '**'".to_string()
            }
            _ => format!("expected a number, a name or '(' but found '{}'", self.text(token)),
        };
        AnswerError::new(token.start, message)
    }
}

fn entries_count(n: usize) -> String {
    if n == 1 { "1 entry".to_string() } else { format!("{n} entries") }
}
