//! Where lessons come from (a file, or a lesson shipped in the binary) and the one clear
//! message a bad lesson gets: the file, the line and column, the key at fault, what was
//! expected.

mod rows;

use super::position::{line_column, offset_of};
use super::validate::{Invalid, Key, validate};
use super::{Lesson, LessonFile, LossKind, MAX_HIDDEN_LAYERS, MAX_UNITS, MAX_WEIGHTS, shipped};
use crate::fingerprint::{stable_hash, stable_hash_alongside};
use crate::network::{Activation, Reduction};
use crate::textfile::{self, Accept, TextFileError};
use std::fmt;
use std::path::Path;
use strum::VariantNames;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// Larger lesson files are refused before they are read.
pub(super) const MAX_LESSON_BYTES: u64 = 16 * 1024 * 1024;

// The largest lesson the other limits allow fits a lesson file with 11 bytes a number
// (`-0.123456, `), biases and the input included.
const _: () = assert!(((MAX_WEIGHTS + (MAX_HIDDEN_LAYERS + 2) * MAX_UNITS) * 11) as u64 <= MAX_LESSON_BYTES);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LessonError {
    /// The file's path, or `lesson 'name'` for a shipped lesson.
    pub origin: String,
    /// 1-based line and column, where known.
    pub position: Option<(usize, usize)>,
    /// The key at fault, e.g. `network.layers[2].weights`, where known.
    pub key: Option<String>,
    pub message: String,
    /// The source line at `position`, for the caret display.
    source_line: Option<String>,
}

impl std::error::Error for LessonError {}

impl fmt::Display for LessonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "error: {}", self.origin)?;
        if let Some((line, column)) = self.position {
            write!(f, ":{line}:{column}")?;
        }
        write!(f, ": {}", self.message)?;
        if let (Some((line, column)), Some(text)) = (self.position, &self.source_line) {
            write!(f, "\n{}", caret_excerpt(line, text, column))?;
        }
        Ok(())
    }
}

impl LessonError {
    fn whole_file(origin: &str, message: impl Into<String>) -> Self {
        LessonError {
            origin: origin.to_string(),
            position: None,
            key: None,
            message: message.into(),
            source_line: None,
        }
    }

    fn at_offset(
        origin: &str,
        text: &str,
        offset: Option<usize>,
        key: Option<String>,
        message: String,
    ) -> Self {
        let position = offset.map(|offset| line_column(text, offset));
        let source_line = position.and_then(|(line, _)| text.lines().nth(line - 1)).map(str::to_string);
        LessonError { origin: origin.to_string(), position, key, message, source_line }
    }
}

/// Line `line` of a file, `text`, with a caret under its 1-based `column`, in the gutter
/// style of compilers; a long line is cut to a window around the caret (see [`snippet`]).
/// Lessons and answer files point at their errors alike.
pub fn caret_excerpt(line: usize, text: &str, column: usize) -> String {
    let gutter = " ".repeat(line.to_string().len());
    let (shown, caret) = snippet(text, column);
    let pad: String = shown.chars().take(caret).map(|c| if c == '\t' { '\t' } else { ' ' }).collect();
    format!("{gutter} |\n{line} | {shown}\n{gutter} | {pad}^")
}

/// How many characters of the source line the caret display shows at most: a generated lesson
/// can hold a whole matrix on one line of megabytes, and the message must stay one screen.
const SNIPPET_CHARS: usize = 100;

/// The part of `line` to show around the 1-based `column`, and the caret's 0-based position in
/// it: the whole line when it is short, else a window with `…` where it was cut.
pub fn snippet(line: &str, column: usize) -> (String, usize) {
    let length = line.chars().count();
    if length <= SNIPPET_CHARS {
        return (line.to_string(), column - 1);
    }
    let start = (column - 1).saturating_sub(SNIPPET_CHARS / 3).min(length - SNIPPET_CHARS);
    let end = start + SNIPPET_CHARS;
    let mut shown: String = line.chars().skip(start).take(SNIPPET_CHARS).collect();
    let mut caret = column - 1 - start;
    if start > 0 {
        shown.insert(0, '…');
        caret += 1;
    }
    if end < length {
        shown.push('…');
    }
    (shown, caret)
}

/// Loads a lesson named by `spec`: a path to a TOML file, or the name of a shipped lesson.
///
/// Validation needs the text only to point at what it finds wrong, and a large lesson's text is
/// as large as its weights, which validation holds twice (as rows, then as matrices): so the
/// text is let go before validating, and read again if there is something to point at. Where
/// it reads differently the second time (a pipe, a file being edited), the message comes
/// without its line and column.
pub fn load_lesson(spec: &str) -> Result<Lesson, LessonError> {
    let Source { origin, text } = read_lesson(spec)?;
    let (file, fingerprint) = parse_file(&origin, &text)?;
    drop(text);
    validate(file, fingerprint).map_err(|invalid| match read_lesson(spec) {
        Ok(again) if stable_hash(again.text.as_bytes()) == fingerprint => {
            locate(&origin, &again.text, invalid)
        }
        _ => LessonError::at_offset(&origin, "", None, Some(invalid.dotted()), invalid.message),
    })
}

/// A lesson's text and the name messages give it: its path, or `lesson 'name'`.
pub struct Source {
    pub origin: String,
    pub text: String,
}

/// Reads the lesson named by `spec` (as [`load_lesson`] does) without parsing it, for tools
/// that point into the text (`lint`).
pub fn read_lesson(spec: &str) -> Result<Source, LessonError> {
    let path = Path::new(spec);
    if !path.exists() {
        if let Some(text) = shipped::source(spec) {
            return Ok(Source { origin: format!("lesson '{spec}'"), text: text.to_string() });
        }
        return Err(LessonError::whole_file(
            spec,
            format!(
                "no such file, and no shipped lesson of that name (shipped: {})",
                shipped::names().collect::<Vec<_>>().join(", ")
            ),
        ));
    }
    let text = read_text(path).map_err(|message| LessonError::whole_file(spec, message))?;
    Ok(Source { origin: spec.to_string(), text })
}

fn read_text(path: &Path) -> Result<String, String> {
    textfile::read_text(path, MAX_LESSON_BYTES, Accept::AnyButFolders).map_err(|error| match error {
        TextFileError::NotAFile { kind: "a folder", .. } => {
            "this is a folder, not a lesson file (give the path of a .toml lesson)".into()
        }
        TextFileError::Missing | TextFileError::BrokenLink { .. } | TextFileError::NotAFile { .. } => {
            format!("cannot open the file: {error}")
        }
        TextFileError::Io(error) => format!("cannot read the file: {error}"),
        TextFileError::TooLarge { .. } => format!(
            "the file is larger than {} MiB (the limit for a lesson); a lesson is a small text file",
            MAX_LESSON_BYTES >> 20
        ),
        TextFileError::Nul(_) | TextFileError::NotUtf8(_) => not_text(&error.to_string()),
    })
}

fn not_text(why: &str) -> String {
    format!("this is not a text file ({why}): a lesson is a TOML text file in UTF-8")
}

/// Parses and validates lesson text; `origin` names it in messages.
pub fn parse_lesson(origin: &str, text: &str) -> Result<Lesson, LessonError> {
    let (file, fingerprint) = parse_file(origin, text)?;
    validate(file, fingerprint).map_err(|invalid| locate(origin, text, invalid))
}

/// The lesson file in `text`, not yet validated, and the text's fingerprint.
fn parse_file(origin: &str, text: &str) -> Result<(LessonFile, u64), LessonError> {
    if text.trim().is_empty() {
        return Err(LessonError::whole_file(
            origin,
            "the file is empty: a lesson needs a title and a [network] with input, label and layers",
        ));
    }
    if let Some(at) = textfile::first_nul(text.as_bytes()) {
        return Err(LessonError::whole_file(origin, not_text(&TextFileError::Nul(at).to_string())));
    }
    // Weight rows are read the lean way (see `rows`), which gives up on anything unusual;
    // `toml::from_str` then decides, bad lessons included, so their messages are its own.
    let (fingerprint, lean) = stable_hash_alongside(text.as_bytes(), || rows::parse(text));
    let file = match lean {
        Some(file) => file,
        None => parse_toml(origin, text)?,
    };
    Ok((file, fingerprint))
}

/// The lesson file in `text` through `toml::from_str`, or its error explained.
fn parse_toml(origin: &str, text: &str) -> Result<LessonFile, LessonError> {
    toml::from_str(text).map_err(|e| {
        let offset = e.span().map(|s| s.start);
        // The syntax was fine if serde complained, so the document parses again with spans,
        // and the span of the value at fault tells which key it is.
        let root = DeTable::parse(text).ok();
        let at = match (&root, offset) {
            (Some(root), Some(offset)) => key_path_at(root.get_ref(), offset),
            _ => Vec::new(),
        };
        let layers = root
            .as_ref()
            .and_then(|r| r.get_ref().get("network"))
            .and_then(|n| n.get_ref().as_table()?.get("layers")?.get_ref().as_array().map(|a| a.len()));
        let (key, message) = match root {
            Some(_) => explain_serde(e.message(), &at, layers),
            None => (None, format!("invalid TOML: {}", e.message().trim_end())),
        };
        LessonError::at_offset(origin, text, offset, key, message)
    })
}

/// The key path of the deepest key or value whose span holds `offset` (the inverse of
/// `offset_of`). Tables of an array of tables span only their `[[header]]`, so the search looks
/// into every entry, not only into spans that hold `offset`.
fn key_path_at(root: &DeTable, offset: usize) -> Vec<Key> {
    fn in_table(table: &DeTable, offset: usize, path: &mut Vec<Key>) -> bool {
        table.iter().any(|(key, child)| {
            visit(Key::Name(key.get_ref().to_string()), key.span().contains(&offset), child, offset, path)
        })
    }
    fn visit(key: Key, on_key: bool, child: &Spanned<DeValue>, offset: usize, path: &mut Vec<Key>) -> bool {
        path.push(key);
        let found = on_key
            || match child.get_ref() {
                DeValue::Table(table) => in_table(table, offset, path),
                DeValue::Array(array) => {
                    array.iter().enumerate().any(|(i, item)| visit(Key::Index(i), false, item, offset, path))
                }
                _ => false,
            }
            || child.span().contains(&offset);
        if !found {
            path.pop();
        }
        found
    }
    let mut path = Vec::new();
    in_table(root, offset, &mut path);
    path
}

/// The key path in messages: `network.layers[2].weights`, with "(layer 2)" or "(the output
/// layer W(o))" after a layer so the reader need not count `[[network.layers]]` tables.
fn describe(path: &[Key], layers: Option<usize>) -> String {
    let dotted = Invalid { path: path.to_vec(), message: String::new() }.dotted();
    match (path, layers) {
        ([Key::Name(n), Key::Name(l), Key::Index(i), ..], Some(count)) if n == "network" && l == "layers" => {
            if *i + 1 == count && count > 1 {
                format!("{dotted} (the output layer W(o))")
            } else {
                format!("{dotted} (layer {})", i + 1)
            }
        }
        _ => dotted,
    }
}

/// toml's serde messages are right but terse and do not say which key they are about: each
/// gets the key at fault and what the key holds.
fn explain_serde(message: &str, at: &[Key], layers: Option<usize>) -> (Option<String>, String) {
    let message = message.trim_end();
    let last_name = at.iter().rev().find_map(|k| match k {
        Key::Name(name) => Some(name.as_str()),
        Key::Index(_) => None,
    });
    let prefix = |path: &[Key]| {
        if path.is_empty() { String::new() } else { format!("{}: ", describe(path, layers)) }
    };
    let dotted = (!at.is_empty()).then(|| Invalid { path: at.to_vec(), message: String::new() }.dotted());

    if let Some(field) = message.strip_prefix("missing field `").and_then(|rest| rest.strip_suffix('`')) {
        let hint = match field {
            "title" => " (the lesson's title, a string)",
            "network" => " (a [network] table with input, label and layers)",
            "input" => " in [network] (the input vector x, e.g. input = [1, 1, 1])",
            "layers" => " in [network] ([[network.layers]] tables: the hidden layers, then the output layer)",
            "weights" => " (the layer's weight matrix, one row per unit, e.g. weights = [[1, 0], [0, 1]])",
            "ask" => " in [steps] (what to ask, e.g. ask = [\"1\", \"2A\"])",
            _ => "",
        };
        // The span is the table that lacks the key, but the top-level table and the first table
        // in the file start at the same offset: only a layer needs saying which one it is.
        let whose = if field == "weights" { prefix(at) } else { String::new() };
        return (dotted, format!("{whose}missing key `{field}`{hint}"));
    }
    if let Some(rest) = message.strip_prefix("unknown variant `") {
        let given = rest.split('`').next().unwrap_or("");
        let (what, valid): (&str, &[&str]) = match last_name {
            Some("loss") => ("loss", LossKind::VARIANTS),
            Some("activation") => ("activation", Activation::VARIANTS),
            Some("reduction") => ("reduction", Reduction::VARIANTS),
            // No other key of a lesson takes a name from a list.
            _ => ("value", &[]),
        };
        return (
            dotted,
            if valid.is_empty() {
                format!("{}unknown {what} \"{given}\"", prefix(at))
            } else {
                format!("{}unknown {what} \"{given}\"; expected one of: {}", prefix(at), valid.join(", "))
            },
        );
    }
    if let Some(rest) = message.strip_prefix("unknown field `") {
        // The span is the unknown key itself: name the table that holds it.
        let (given, expected) = rest.split_once('`').unwrap_or((rest, ""));
        let table = &at[..at.len().saturating_sub(1)];
        let expected = expected.trim_start_matches(',').trim();
        let place = if table.is_empty() {
            "at the top level".to_string()
        } else {
            format!("in {}", describe(table, layers))
        };
        return (dotted, format!("unknown key `{given}` {place}; {}", expected.replace('`', "")));
    }
    if let Some((found, expected)) =
        message.strip_prefix("invalid type: ").and_then(|rest| rest.split_once(", expected "))
    {
        let expected = match expected {
            "f64" => "a number".to_string(),
            "i64" => "a whole number".to_string(),
            "a sequence" => "an array".to_string(),
            "a string" => "a string".to_string(),
            other if other.starts_with("struct ") || other.starts_with("a map") => "a table".to_string(),
            other => other.to_string(),
        };
        let hint = match last_name {
            Some("weights") => " (weights are rows of numbers, e.g. weights = [[1, 0], [0, 1]])",
            Some("label") => " (the true class y, 1-based as in the notes, e.g. label = 3)",
            Some("input") => " (the input vector x, e.g. input = [1, 1, 1])",
            Some("target") => " (the target vector t, e.g. target = [0.5, -1])",
            Some("bias") => " (one number per unit, e.g. bias = [0.5, -1])",
            Some("layers") => " ([[network.layers]] tables, each with weights)",
            _ => "",
        };
        return (dotted, format!("{}expected {expected}, found {found}{hint}", prefix(at)));
    }
    let message = match message {
        "floating-point number overflowed" => {
            "the number is too large for f64 (beyond ±1.8e308): every number must be finite"
        }
        other => other,
    };
    (dotted, format!("{}{message}", prefix(at)))
}

/// Finds where `invalid`'s key path stands in the text; where a key is absent, the deepest
/// table that holds it.
fn locate(origin: &str, text: &str, invalid: Invalid) -> LessonError {
    let offset = offset_of(text, &invalid.path);
    let key = Some(invalid.dotted());
    LessonError::at_offset(origin, text, offset, key, invalid.message)
}
