//! A Pratt parser from tokens to the postfix [`Program`]. It only reads: names get their
//! values, and shapes are checked, when the program is evaluated.

use super::ast::{Binary, Node, Op, Program};
use super::error::{AnswerError, Note};
use super::functions::Function;
use super::lexer::{Kind, Token, lex};
use super::pasted::normalize;
use std::f64::consts::{E, PI};

/// Longest accepted answer, in characters: far beyond any real answer, small enough to parse
/// instantly.
pub(super) const MAX_CHARS: usize = 10_000;
/// Deepest accepted nesting of sub-expressions; keeps the recursive parser off the stack limit.
const MAX_DEPTH: usize = 64;

/// Binding powers (left, right): left below right makes an operator left-associative, the
/// other way round right-associative (`^`). Comparisons bind loosest, so `z2 > 0` needs no
/// parentheses inside `diag(…)`.
const COMPARISON: (u8, u8) = (1, 2);
const SUM: (u8, u8) = (3, 4);
/// Also the power of a product written without an operator, `2pi` or `W1 x`.
const PRODUCT: (u8, u8) = (5, 6);
/// A sign takes in a power but not a product: `-2^2` is −4.
const SIGN: u8 = 7;
const POWER: (u8, u8) = (9, 8);
/// `√` takes only what follows it directly: `√2^2` is (√2)².
const ROOT: u8 = 10;

pub(super) fn parse(input: &str) -> Result<Program, AnswerError> {
    if input.chars().nth(MAX_CHARS).is_some() {
        return Err(AnswerError::new(
            MAX_CHARS,
            format!("the answer is too long (the limit is {MAX_CHARS} characters)"),
        ));
    }
    let mut chars = Vec::with_capacity(input.len());
    chars.extend(input.chars());
    let tokens = lex(&chars);
    let mut parser = Parser {
        program: Program {
            nodes: Vec::with_capacity(tokens.len()),
            names: Vec::new(),
            uses: Vec::new(),
            notes: Vec::new(),
            written_as_list: false,
        },
        tokens,
        chars: &chars,
        pos: 0,
        depth: 0,
        in_brackets: false,
    };
    if parser.peek().kind == Kind::End {
        return Err(AnswerError::new(0, "empty answer"));
    }
    parser.expression(0)?;
    let token = parser.next();
    if token.kind != Kind::End {
        return Err(parser.misplaced(token, || match token.kind {
            Kind::Close => "unexpected ')': there is no '(' to close".to_string(),
            Kind::CloseBracket => "unexpected ']': there is no '[' to close".to_string(),
            Kind::Comma | Kind::Semicolon => format!(
                "unexpected '{}': decimals are written with '.', and a vector as [a, b]",
                parser.shown(token)
            ),
            _ => format!("unexpected '{}'", parser.shown(token)),
        }));
    }
    let mut program = parser.program;
    program.written_as_list = matches!(
        program.nodes.last(),
        Some(Node { op: Op::Literal { rows, cols }, .. }) if *rows == 1 || *cols == 1
    );
    Ok(program)
}

struct Parser<'a> {
    chars: &'a [char],
    tokens: Vec<Token>,
    /// Index of the next token; past the end means the final `End` again.
    pos: usize,
    depth: usize,
    /// Whether the innermost group is a bracket, where a space separates entries as in
    /// MATLAB; inside parentheses within it a space is only a space again.
    in_brackets: bool,
    program: Program,
}

/// What the token after a complete operand does to it.
enum Step {
    Postfix,
    /// `^T`, two tokens.
    CaretT,
    Infix(Binary, (u8, u8)),
    /// An operand follows directly: a product without an operator.
    Implicit,
    Stop,
}

fn infix(kind: Kind) -> Option<(Binary, (u8, u8))> {
    Some(match kind {
        Kind::Plus => (Binary::Add, SUM),
        Kind::Minus => (Binary::Subtract, SUM),
        Kind::Star | Kind::At => (Binary::Product, PRODUCT),
        Kind::Slash => (Binary::Divide, PRODUCT),
        Kind::DotStar => (Binary::EntryProduct, PRODUCT),
        Kind::DotSlash => (Binary::EntryDivide, PRODUCT),
        Kind::Caret => (Binary::Power, POWER),
        Kind::DotCaret => (Binary::EntryPower, POWER),
        Kind::Greater => (Binary::Greater, COMPARISON),
        Kind::Less => (Binary::Less, COMPARISON),
        Kind::GreaterEqual => (Binary::GreaterEqual, COMPARISON),
        Kind::LessEqual => (Binary::LessEqual, COMPARISON),
        _ => return None,
    })
}

/// Whether a token can begin an entry of a bracket after a space: `[1 -2]`, `[2 e^3]`.
fn starts_entry(kind: Kind) -> bool {
    matches!(
        kind,
        Kind::Number(_) | Kind::Name | Kind::Open | Kind::OpenBracket | Kind::Sqrt | Kind::Plus | Kind::Minus
    )
}

/// What a word stands for.
enum Meaning {
    Number(f64),
    Array,
    Function(Function),
    /// A word right before `(` that is no function: the message.
    UnknownFunction(String),
    Name(String),
}

/// The prefixes numpy and Python users write (`np.exp`), which change nothing.
fn without_module(word: &str) -> &str {
    ["np.", "numpy.", "math."].iter().find_map(|m| word.strip_prefix(m)).unwrap_or(word)
}

impl Parser<'_> {
    fn peek(&self) -> Token {
        self.token(self.pos)
    }

    fn token(&self, index: usize) -> Token {
        self.tokens[index.min(self.tokens.len() - 1)]
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

    /// The token as typed, for messages.
    fn shown(&self, token: Token) -> String {
        self.chars[token.start..token.end].iter().collect()
    }

    /// `f` of the token as read (full-width letters are letters). A short ASCII word, as
    /// every keyword is, is read on the stack: `e^2/(e^1+e^3)` allocates nothing for its names.
    fn with_word<T>(&self, token: Token, f: impl FnOnce(&str) -> T) -> T {
        let chars = self.chars[token.start..token.end].iter().map(|&c| normalize(c));
        let mut short = [0u8; 16];
        if token.end - token.start <= short.len() && chars.clone().all(|c| c.is_ascii()) {
            for (slot, c) in short.iter_mut().zip(chars.clone()) {
                *slot = c as u8;
            }
            if let Ok(word) = std::str::from_utf8(&short[..token.end - token.start]) {
                return f(word);
            }
        }
        f(&chars.collect::<String>())
    }

    fn reads_as(&self, token: Token, word: &str) -> bool {
        self.chars[token.start..token.end].iter().map(|&c| normalize(c)).eq(word.chars())
    }

    fn push(&mut self, op: Op, start: usize, at: usize) {
        self.program.nodes.push(Node { op, start, at });
    }

    fn note(&mut self, column: usize, message: impl Into<String>) {
        self.program.notes.push(Note { message: message.into(), column });
    }

    /// Runs `parse` with `in_brackets` set to `inside`, restoring it afterwards.
    fn grouped<T>(&mut self, inside: bool, parse: impl FnOnce(&mut Self) -> T) -> T {
        let outside = std::mem::replace(&mut self.in_brackets, inside);
        let result = parse(self);
        self.in_brackets = outside;
        result
    }

    /// An operand, then every operator that binds at least `min_power`. All recursion passes
    /// through here, so this is where depth is bounded.
    fn expression(&mut self, min_power: u8) -> Result<(), AnswerError> {
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
    fn expression_within_depth(&mut self, min_power: u8) -> Result<(), AnswerError> {
        let token = self.next();
        let start = token.start;
        match token.kind {
            Kind::Number(value) => self.push(Op::Number(value), start, start),
            Kind::Name => self.name(token)?,
            Kind::Minus => {
                let before = self.program.nodes.len();
                self.expression(SIGN)?;
                let single = before + 1 == self.program.nodes.len();
                match self.program.nodes.as_mut_slice() {
                    // A negative number is read as one, which spares evaluation a step.
                    [.., Node { op: Op::Number(x), start: number_start, .. }] if single => {
                        *x = -*x;
                        *number_start = start;
                    }
                    _ => self.push(Op::Negate, start, start),
                }
            }
            Kind::Plus => self.expression(SIGN)?,
            Kind::Sqrt => {
                self.expression(ROOT)?;
                self.push(Op::Call(Function::Sqrt), start, start);
            }
            Kind::Open => self.grouped(false, |p| {
                p.expression(0)?;
                p.close(token)
            })?,
            Kind::OpenBracket => self.grouped(true, |p| p.literal(token))?,
            _ => return Err(self.expected_operand(token)),
        }
        // Set after a division at this level, for the note on `1/2pi`.
        let mut after_division = false;
        loop {
            let next = self.peek();
            match self.step(next) {
                Step::Postfix => {
                    self.next();
                    if let Kind::Superscript(power) = next.kind {
                        self.push(Op::Number(power), next.start, next.start);
                        self.push(Op::Binary(Binary::Power), start, next.start);
                    } else {
                        self.push(Op::Transpose, start, next.start);
                    }
                }
                Step::CaretT => {
                    self.pos += 2;
                    self.push(Op::Transpose, start, next.start);
                }
                Step::Infix(op, (left, right)) if left >= min_power => {
                    self.next();
                    self.expression(right)?;
                    self.push(Op::Binary(op), start, next.start);
                    after_division = matches!(op, Binary::Divide | Binary::EntryDivide);
                }
                Step::Implicit if PRODUCT.0 >= min_power => {
                    if after_division {
                        let shown = self.shown(next);
                        self.note(
                            next.start,
                            format!(
                                "a product written without '*' binds as '*' does: a/b {shown} is (a/b)·{shown}; \
                                 write a/(b {shown}) to divide by both"
                            ),
                        );
                    }
                    self.expression(PRODUCT.1)?;
                    self.push(Op::Binary(Binary::Product), start, next.start);
                    after_division = false;
                }
                _ => return Ok(()),
            }
        }
    }

    fn step(&self, next: Token) -> Step {
        let spaced_in_brackets = self.in_brackets && next.spaced;
        match next.kind {
            Kind::Transpose | Kind::Superscript(_) => Step::Postfix,
            Kind::Caret if self.is_t(self.token(self.pos + 1)) => Step::CaretT,
            // `[1 -2]` is two entries, `[1 - 2]` and `[1 -  2]`… one: a sign right before
            // a number, after a space, starts an entry.
            Kind::Plus | Kind::Minus if spaced_in_brackets && !self.token(self.pos + 1).spaced => Step::Stop,
            kind => match infix(kind) {
                Some((op, powers)) => Step::Infix(op, powers),
                None if matches!(kind, Kind::Name | Kind::Open | Kind::Sqrt) && !spaced_in_brackets => {
                    Step::Implicit
                }
                None => Step::Stop,
            },
        }
    }

    /// Whether `token` is the `T` of `x^T`.
    fn is_t(&self, token: Token) -> bool {
        token.kind == Kind::Name && self.reads_as(token, "T")
    }

    fn name(&mut self, token: Token) -> Result<(), AnswerError> {
        let next = self.peek();
        let called = next.kind == Kind::Open;
        let meaning = self.with_word(token, |word| {
            let bare = without_module(word);
            match bare {
                "e" => Meaning::Number(E),
                "pi" | "π" => Meaning::Number(PI),
                "array" if called => Meaning::Array,
                _ => match Function::from_name(bare) {
                    Some(function) => Meaning::Function(function),
                    None if called && !next.spaced || bare.len() != word.len() => {
                        Meaning::UnknownFunction(unknown_function(word))
                    }
                    None => Meaning::Name(word.to_string()),
                },
            }
        });
        match meaning {
            Meaning::Number(x) => self.push(Op::Number(x), token.start, token.start),
            Meaning::Array => self.array()?,
            Meaning::Function(function) => self.call(function, token)?,
            Meaning::UnknownFunction(message) => return Err(AnswerError::new(token.start, message)),
            Meaning::Name(word) => {
                let index = match self.program.names.iter().position(|n| *n == word) {
                    Some(index) => index,
                    None => {
                        self.program.names.push(word);
                        self.program.names.len() - 1
                    }
                };
                self.program.uses.push((token.start, index));
                self.push(Op::Name(index), token.start, token.start);
            }
        }
        Ok(())
    }

    fn call(&mut self, function: Function, name: Token) -> Result<(), AnswerError> {
        let open = self.next();
        if open.kind != Kind::Open {
            return Err(AnswerError::new(open.start, format!("expected '(' after '{}'", self.shown(name))));
        }
        let count = self.grouped(false, |p| {
            let mut count = 0;
            loop {
                p.expression(0)?;
                count += 1;
                let next = p.peek();
                if next.kind != Kind::Comma {
                    break;
                }
                if count == function.arity() {
                    return Err(AnswerError::new(
                        next.start,
                        format!("{} takes {}", function.signature(), arguments(function.arity())),
                    ));
                }
                p.next();
            }
            p.close(open)?;
            Ok(count)
        })?;
        if count != function.arity() {
            return Err(AnswerError::new(
                name.start,
                format!("{} takes {}, not {count}", function.signature(), arguments(function.arity())),
            ));
        }
        if function == Function::Log {
            self.note(name.start, "log is the natural logarithm here (as ln is); for base 10 write log10");
        }
        self.push(Op::Call(function), name.start, name.start);
        Ok(())
    }

    /// numpy's printout `array([[1, 2], [3, 4]])`, maybe with `dtype=float32`: the matrix
    /// itself, so that a list stays a list.
    fn array(&mut self) -> Result<(), AnswerError> {
        let open = self.next();
        self.grouped(false, |p| {
            p.expression(0)?;
            if p.peek().kind == Kind::Comma {
                p.next();
                let (keyword, equals, value) = (p.next(), p.next(), p.next());
                if !(keyword.kind == Kind::Name
                    && p.reads_as(keyword, "dtype")
                    && equals.kind == Kind::Equals
                    && value.kind == Kind::Name)
                {
                    return Err(AnswerError::new(
                        keyword.start,
                        "array(…) takes the matrix and, optionally, dtype=…",
                    ));
                }
            }
            p.close(open)
        })
    }

    /// After the opening `[`: rows of entries, MATLAB's `[a b; c d]` (or with commas), or
    /// numpy's bracketed rows `[[a, b], [c, d]]`.
    fn literal(&mut self, open: Token) -> Result<(), AnswerError> {
        let mut shape = LiteralShape::default();
        let close = loop {
            let token = self.peek();
            match token.kind {
                Kind::CloseBracket => {
                    self.next();
                    shape.end_row()?;
                    break token;
                }
                Kind::Semicolon => {
                    self.next();
                    shape.end_row()?;
                    continue;
                }
                Kind::End => return Err(missing_bracket(token, open)),
                _ => {}
            }
            self.expression(0)?;
            let item = match self.program.nodes.last() {
                Some(&Node { op: Op::Literal { rows: 1, cols }, .. }) => Item::Row(cols),
                Some(&Node { op: Op::Literal { .. }, .. }) => Item::Rows,
                Some(&Node { op: Op::Rows(_), at, .. }) => Item::Nested(at),
                _ => Item::Entry,
            };
            shape.item(token.start, item)?;
            let next = self.peek();
            match next.kind {
                Kind::Comma => {
                    self.next();
                }
                Kind::Semicolon | Kind::CloseBracket => {}
                Kind::OpenBracket if shape.bracketed_rows == Some(true) => {}
                kind if next.spaced && starts_entry(kind) => {}
                Kind::End => return Err(missing_bracket(next, open)),
                _ => {
                    self.next();
                    return Err(self.misplaced(next, || "expected ',', ';' or ']' here".to_string()));
                }
            }
        };
        let op = match shape.bracketed_rows {
            None => {
                return Err(AnswerError::new(
                    close.start,
                    "empty brackets: a vector or a row needs at least one entry",
                ));
            }
            Some(true) => Op::Rows(shape.rows),
            Some(false) => Op::Literal { rows: shape.rows, cols: shape.cols },
        };
        let at = shape.first_row.unwrap_or(open.start);
        self.push(op, open.start, at);
        Ok(())
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
            Kind::Unknown => format!("unexpected character '{}'", self.shown(token).escape_debug()),
            Kind::Equals => EQUALS.to_string(),
            Kind::Number(_) | Kind::OpenBracket => format!(
                "expected an operator between '{}' and '{}' (write * for a product)",
                self.before().map_or(String::new(), |previous| self.shown(previous)),
                self.shown(token)
            ),
            _ => otherwise(),
        };
        AnswerError::new(token.start, message)
    }

    fn expected_operand(&self, token: Token) -> AnswerError {
        let message = match token.kind {
            Kind::End => "the answer ends too soon: expected a number, a name or '('".to_string(),
            Kind::Unknown => format!("unexpected character '{}'", self.shown(token).escape_debug()),
            Kind::Equals => EQUALS.to_string(),
            _ => format!("expected a number, a name or '(' but found '{}'", self.shown(token)),
        };
        AnswerError::new(token.start, message)
    }
}

const EQUALS: &str = "unexpected '=': write only the answer (a value or a formula), without 'name ='; \
     comparisons are > < >= <=";

fn missing_bracket(token: Token, open: Token) -> AnswerError {
    AnswerError::new(token.start, format!("missing ']' to close the '[' at column {}", open.start + 1))
}

fn arguments(n: usize) -> String {
    if n == 1 { "1 argument".to_string() } else { format!("{n} arguments") }
}

fn entries(n: usize) -> String {
    if n == 1 { "1 entry".to_string() } else { format!("{n} entries") }
}

/// "unknown function 'sigmod' (did you mean sigmoid?)"; a name right before '(' is most
/// likely a product or MATLAB's indexing.
fn unknown_function(word: &str) -> String {
    let nearest = Function::names()
        .map(|f| (strsim::normalized_damerau_levenshtein(without_module(word), f), f))
        .filter(|&(similarity, _)| similarity >= 0.5)
        .max_by(|a, b| a.0.total_cmp(&b.0));
    match nearest {
        Some((_, f)) => format!("unknown function '{word}' (did you mean {f}?)"),
        None => format!(
            "unknown function '{word}': a name is not a function, and entries are not indexed; \
             for a product write {word}*(…)"
        ),
    }
}

/// The rows of a bracket literal as they are read, checked as soon as each ends.
#[derive(Default)]
struct LiteralShape {
    /// Whether the rows are bracketed (`[[a, b], [c, d]]`); `None` before the first entry.
    bracketed_rows: Option<bool>,
    rows: usize,
    cols: usize,
    /// Entries of the row being read, and where it starts.
    in_row: usize,
    row_start: usize,
    /// Where the first row starts.
    first_row: Option<usize>,
}

/// What an entry of a bracket literal is, as far as the rows are concerned.
enum Item {
    /// An expression: a number, once evaluated.
    Entry,
    /// A bracket literal of one row, `[a, b, …]`, with that many entries.
    Row(usize),
    /// A bracket literal of several rows.
    Rows,
    /// Bracketed rows, where their first `[` is.
    Nested(usize),
}

impl LiteralShape {
    /// An entry starting at `start`.
    fn item(&mut self, start: usize, item: Item) -> Result<(), AnswerError> {
        let bracketed = *self.bracketed_rows.get_or_insert(!matches!(item, Item::Entry));
        self.first_row.get_or_insert(start);
        match (bracketed, item) {
            (true, Item::Row(cols)) => {
                self.rows += 1;
                self.check_row(start, cols)
            }
            (_, Item::Nested(at)) => Err(AnswerError::new(
                at,
                "unexpected '[': a matrix has two levels of brackets at most, [[a, b], [c, d]]",
            )),
            (true, Item::Rows) => Err(AnswerError::new(
                start,
                format!(
                    "row {} is not a row: inside [[…]] each row is written [a, b, …], without ';'",
                    self.rows + 1
                ),
            )),
            (true, Item::Entry) => Err(AnswerError::new(
                start,
                format!("expected '[' to start row {} (a matrix is [[a, b], [c, d]])", self.rows + 1),
            )),
            (false, Item::Entry) => {
                if self.in_row == 0 {
                    self.row_start = start;
                }
                self.in_row += 1;
                Ok(())
            }
            (false, _) => Err(AnswerError::new(
                start,
                "unexpected '[' inside a row: a matrix is [[a, b], [c, d]] or [a, b; c, d]",
            )),
        }
    }

    /// A `;` or the closing `]`: the end of a MATLAB row (an empty one is skipped).
    fn end_row(&mut self) -> Result<(), AnswerError> {
        if self.bracketed_rows != Some(false) || self.in_row == 0 {
            return Ok(());
        }
        let (start, count) = (self.row_start, std::mem::take(&mut self.in_row));
        self.rows += 1;
        self.check_row(start, count)
    }

    fn check_row(&mut self, start: usize, count: usize) -> Result<(), AnswerError> {
        if self.rows == 1 {
            self.cols = count;
            Ok(())
        } else if count == self.cols {
            Ok(())
        } else {
            Err(AnswerError::new(
                start,
                format!("row {} has {} but row 1 has {}", self.rows, entries(count), self.cols),
            ))
        }
    }
}
