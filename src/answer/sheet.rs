//! Answer files (DESIGN.md §5): TOML whose keys are quantity names, or single entries in the
//! notes' 1-based notation (`"dL_dWo[2,1]" = 0.09`), and whose values are strings in the
//! answer language or plain TOML numbers and arrays.

use super::flat_toml;
use super::language::{AnswerError, NoNames, ParsedAnswer, parse, parse_answer};
use crate::lesson::{caret_excerpt, line_column};
use crate::network::Network;
use crate::quantity::QuantityRef;
use crate::value::{Shape, Value};
use nalgebra::{DMatrix, DVector};
use std::borrow::Cow;
use toml::de::{DeTable, DeValue};

/// Why an answer file is not TOML: the TOML parser's own message, with the line, the column
/// and a caret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct NotToml(pub String);

/// An answer as a file gives it: a value, or a formula in the lesson's names, whose value
/// depends on the file's other answers (DESIGN.md §4).
#[derive(Debug, Clone, PartialEq)]
pub enum Given {
    Value(Value),
    Formula(ParsedAnswer),
}

/// A string in the answer language.
fn given(text: &str) -> Result<Given, AnswerError> {
    let parsed = parse(text)?;
    if parsed.is_formula() {
        return Ok(Given::Formula(parsed));
    }
    Ok(Given::Value(parsed.evaluate(&NoNames)?.into_value()))
}

/// One answer file, read.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Sheet<'a> {
    /// Answers to quantities of the lesson's network, by key. Blank strings are left out:
    /// they are no answer.
    pub answers: Vec<SheetAnswer<'a>>,
    /// Keys that name no quantity of the network, each with a message ("did you mean").
    pub unknown: Vec<String>,
    /// The top-level `seed` key: whose variant of the lesson the answers are for.
    pub seed: Option<String>,
}

/// The key that names the learner's variant (`new --seed`), not a quantity.
pub const SEED_KEY: &str = "seed";

#[derive(Debug, Clone, PartialEq)]
pub struct SheetAnswer<'a> {
    pub key: QuantityRef,
    /// The key as the file spells it (`" dL_do"`, `"dL_do[ 1]"`): two spellings of one key
    /// are reported, never resolved silently. Borrowed from the file's text where it can be.
    pub spelling: Cow<'a, str>,
    /// The text as written, when the value was a string (for the caret under an error).
    pub text: Option<String>,
    pub value: Result<Given, AnswerError>,
}

/// A TOML value as far as an answer file is concerned.
#[derive(Debug, Clone, PartialEq)]
pub enum Item<'a> {
    Text(Cow<'a, str>),
    Number(f64),
    Array(Vec<Item<'a>>),
    /// An array of numbers or of equal rows of numbers, read as the vector or matrix it is
    /// (by [`flat_toml`]; the general parser gives such arrays as [`Item::Array`]).
    Numbers(Value),
    /// Anything else (a boolean, a date, a table, an integer beyond 64 bits): why it is no
    /// answer.
    Other(String),
}

/// Reads an answer file against `network`; `Err` is the TOML parser's message (the whole file
/// cannot be graded).
pub fn read_sheet<'a>(text: &'a str, network: &Network, names: &[QuantityRef]) -> Result<Sheet<'a>, NotToml> {
    let entries = entries(text)?;
    let mut sheet = Sheet { answers: Vec::with_capacity(entries.len()), unknown: vec![], seed: None };
    for (key, item) in entries {
        if key == SEED_KEY {
            match seed_value(item) {
                Ok(seed) => sheet.seed = Some(seed),
                Err(why) => sheet.unknown.push(why),
            }
            continue;
        }
        let reference = match key.parse::<QuantityRef>() {
            Ok(r) if network.has_ref(&r) => r,
            _ => {
                sheet.unknown.push(unknown_key(&key, network, names));
                continue;
            }
        };
        let (text, value) = match item {
            Item::Text(s) if s.trim().is_empty() => continue,
            Item::Text(s) => {
                let value = given(&s);
                (Some(s.into_owned()), value)
            }
            Item::Numbers(value) => (None, Ok(Given::Value(value))),
            other => (None, item_value(&other).map(Given::Value)),
        };
        sheet.answers.push(SheetAnswer { key: reference, spelling: key, text, value });
    }
    Ok(sheet)
}

/// The top-level `seed` key of an answer file, read without grading the rest: `Ok(None)` when
/// there is none, `Ok(Some(Err(why)))` when it is not a string; `Err` is the TOML parser's
/// message, as [`read_sheet`] gives it.
pub fn read_seed(text: &str) -> Result<Option<Result<String, String>>, NotToml> {
    let entries = entries(text)?;
    Ok(entries.into_iter().find(|(key, _)| key == SEED_KEY).map(|(_, item)| seed_value(item)))
}

/// The file's top-level keys and values: by the lean reader where it can, else by the general
/// TOML parser.
fn entries(text: &str) -> Result<Vec<(Cow<'_, str>, Item<'_>)>, NotToml> {
    match flat_toml::read(text) {
        Some(entries) => Ok(entries),
        None => read_toml(text),
    }
}

/// The seed a `seed` value gives, or why it gives none.
fn seed_value(item: Item<'_>) -> Result<String, String> {
    match item {
        Item::Text(text) => Ok(text.into_owned()),
        // A number is no seed: written back as text it need not be what the student meant
        // (007, 1e3), and `check --help` promises that only a string is one.
        Item::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => {
            Err(format!("{SEED_KEY} must be a string: write {SEED_KEY} = \"{n}\""))
        }
        _ => Err(format!("{SEED_KEY} must be a string, e.g. {SEED_KEY} = \"s1234567\"")),
    }
}

/// The general TOML parser, for files outside [`flat_toml`]'s subset: its borrowing
/// `DeTable`, which copies no key or string.
pub fn read_toml(text: &str) -> Result<Vec<(Cow<'_, str>, Item<'_>)>, NotToml> {
    let table = DeTable::parse(text).map_err(|e| not_toml(text, &e))?.into_inner();
    Ok(table.into_iter().map(|(key, value)| (key.into_inner(), item(value.into_inner()))).collect())
}

/// The TOML parser's message, pointing at the place it names as lessons' errors do: its own
/// rendering quotes the whole line, which in a hostile file is hundreds of kilobytes.
fn not_toml(text: &str, error: &toml::de::Error) -> NotToml {
    let message = error.message().trim_end();
    let Some(span) = error.span() else { return NotToml(message.to_string()) };
    let (line, column) = line_column(text, span.start);
    let source = text.lines().nth(line - 1).unwrap_or_default();
    // At the end of a line the caret stands just past its last character.
    let column = column.min(source.chars().count() + 1);
    NotToml(format!(
        "TOML parse error at line {line}, column {column}\n{}\n{message}",
        caret_excerpt(line, source, column)
    ))
}

fn item(value: DeValue<'_>) -> Item<'_> {
    match value {
        DeValue::String(s) => Item::Text(s),
        DeValue::Integer(i) => match i64::from_str_radix(i.as_str(), i.radix()) {
            Ok(n) => Item::Number(n as f64),
            Err(_) => Item::Other(format!("the integer {i} is out of range")),
        },
        // toml gives floats (inf and nan included) in Rust's own syntax.
        DeValue::Float(x) => match x.as_str().parse() {
            Ok(x) => Item::Number(x),
            Err(_) => Item::Other(format!("cannot read the number {x}")),
        },
        DeValue::Array(items) => Item::Array(items.into_iter().map(|i| item(i.into_inner())).collect()),
        other => Item::Other(format!(
            "expected a number, an array of numbers or a string in the answer language, not {}",
            other.type_str()
        )),
    }
}

/// "'dL_dh' is not a quantity of this lesson (did you mean 'dL_dh2'?)"; for a quantity of the
/// lesson with an example it does not have, why; with an index it does not have, which indices
/// it has: the suggestion must not be the bad key again.
fn unknown_key(key: &str, network: &Network, names: &[QuantityRef]) -> String {
    // Compare the name part, and keep an entry's index: "dl_dwo[2,1]" → "dL_dWo[2,1]".
    let (name, index) = key.find('[').map_or((key, ""), |at| key.split_at(at));
    if let Ok(whole) = name.trim().parse::<QuantityRef>()
        && network.has(whole.quantity)
    {
        return match network.misnamed(whole.quantity, whole.example) {
            Some(why) => format!("'{key}' is not a quantity of this lesson: {why}"),
            None => entry_range(key, &whole, network.shape(whole.quantity)),
        };
    }
    let wanted = name.trim().to_lowercase();
    let best = names
        .iter()
        .map(|q| {
            let candidate = q.to_string();
            let score = strsim::normalized_damerau_levenshtein(&wanted, &candidate.to_lowercase());
            (score, candidate)
        })
        // The first best in walkthrough order: `max_by` would keep the last.
        .fold(None::<(f64, String)>, |best, (score, name)| match best {
            Some((s, _)) if s >= score => best,
            _ => Some((score, name)),
        })
        .filter(|(score, _)| *score >= 0.5);
    match best {
        Some((_, name)) => {
            format!("'{key}' is not a quantity of this lesson (did you mean '{name}{index}'?)")
        }
        None => format!("'{key}' is not a quantity of this lesson"),
    }
}

/// Why `key`, which names the quantity `whole` of this lesson, names none of its entries: the
/// range of its indices, numbered from 1 as in the notes.
fn entry_range(key: &str, whole: &QuantityRef, shape: Shape) -> String {
    let range = match shape {
        Shape::Scalar => format!("{whole} is a single number: give it as '{whole}', with no index"),
        Shape::Vector(n) => {
            format!(
                "entries are numbered from 1, and {whole} is a vector of {n}: '{whole}[1]' to '{whole}[{n}]'"
            )
        }
        Shape::Matrix(r, c) => format!(
            "entries are numbered from 1, and {whole} is {r}×{c}: '{whole}[1,1]' to '{whole}[{r},{c}]'"
        ),
    };
    format!("'{key}' is no entry of {whole}: {range}")
}

/// A number, an array of numbers (a vector) or an array of equal-length arrays (a matrix).
/// Entries may also be strings in the answer language, each one number.
pub(super) fn item_value(item: &Item) -> Result<Value, AnswerError> {
    let error = |message: String| AnswerError { message, column: 0 };
    let Item::Array(items) = item else {
        return number(item).map(Value::Scalar).map_err(error);
    };
    let row = |item: &'_ Item<'_>| match item {
        Item::Array(row) => Some(row.len()),
        _ => None,
    };
    if items.is_empty() {
        return Err(error("an empty array: give every entry".into()));
    }
    if !items.iter().all(|i| row(i).is_some()) {
        let mut entries = Vec::with_capacity(items.len());
        push_numbers(&mut entries, items, None)?;
        return Ok(Value::Vector(DVector::from_vec(entries)));
    }
    // Rows: read into one buffer, row after row, and check their lengths agree.
    let cols = row(&items[0]).unwrap_or(0);
    let mut entries = Vec::with_capacity(items.len() * cols);
    for (i, item) in items.iter().enumerate() {
        let Item::Array(entries_of_row) = item else { unreachable!("every item is a row") };
        push_numbers(&mut entries, entries_of_row, Some(i + 1))?;
        if entries_of_row.len() != cols {
            let message = format!("row {} has {} entries but row 1 has {cols}", i + 1, entries_of_row.len());
            return Err(error(message));
        }
    }
    if cols == 0 {
        return Err(error("an empty row: give every entry".into()));
    }
    Ok(Value::Matrix(DMatrix::from_row_slice(items.len(), cols, &entries)))
}

/// Appends the entries of one array (row `row` of a matrix, if given), each a number or a
/// string holding one number.
fn push_numbers(out: &mut Vec<f64>, items: &[Item], row: Option<usize>) -> Result<(), AnswerError> {
    for (i, item) in items.iter().enumerate() {
        let x = number(item).map_err(|message| {
            let place = row.map_or(String::new(), |r| format!("row {r}, "));
            AnswerError { message: format!("{place}entry {}: {message}", i + 1), column: 0 }
        })?;
        out.push(x);
    }
    Ok(())
}

fn number(item: &Item) -> Result<f64, String> {
    match item {
        Item::Number(x) => Ok(*x),
        Item::Text(s) => match parse_answer(s) {
            Ok(value) if value.shape() == Shape::Scalar => Ok(value.entries()[0]),
            Ok(_) => Err("expected one number here, not a vector".into()),
            Err(e) => Err(e.to_string()),
        },
        Item::Array(_) | Item::Numbers(_) => Err("expected a number here, not an array".into()),
        Item::Other(why) => Err(why.clone()),
    }
}
