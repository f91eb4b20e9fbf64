//! Where lessons come from (a file, or a lesson shipped in the binary) and the one clear
//! message a bad lesson gets: the file, the line and column, the key at fault, what was
//! expected.

use super::validate::{Invalid, Key, validate};
use super::{Lesson, LessonFile, shipped};
use std::fmt;
use std::io::Read;
use std::path::Path;
use toml::de::{DeTable, DeValue};

/// Larger lesson files are refused before they are read.
pub const MAX_LESSON_BYTES: u64 = 16 * 1024 * 1024;

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
            let gutter = " ".repeat(line.to_string().len());
            let pad: String =
                text.chars().take(column - 1).map(|c| if c == '\t' { '\t' } else { ' ' }).collect();
            write!(f, "\n{gutter} |\n{line} | {text}\n{gutter} | {pad}^")?;
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

/// 1-based line and column (in characters) of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, column)
}

/// Loads a lesson named by `spec`: a path to a TOML file, or the name of a shipped lesson.
pub fn load_lesson(spec: &str) -> Result<Lesson, LessonError> {
    let path = Path::new(spec);
    if !path.exists() {
        if let Some(text) = shipped::source(spec) {
            return parse_lesson(&format!("lesson '{spec}'"), text);
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
    parse_lesson(spec, &text)
}

fn read_text(path: &Path) -> Result<String, String> {
    let file = std::fs::File::open(path).map_err(|e| format!("cannot open the file: {e}"))?;
    let metadata = file.metadata().map_err(|e| format!("cannot read the file: {e}"))?;
    if metadata.is_dir() {
        return Err("this is a folder, not a lesson file".into());
    }
    let mut bytes = Vec::new();
    // `take` bounds the read even where the size on disk is not the size read (a pipe, /dev/zero).
    file.take(MAX_LESSON_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read the file: {e}"))?;
    if bytes.len() as u64 > MAX_LESSON_BYTES {
        return Err(format!(
            "the file is larger than {} MiB; a lesson is a small text file",
            MAX_LESSON_BYTES >> 20
        ));
    }
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "the file is not UTF-8 text (byte {} is not valid UTF-8): a lesson is a TOML text file",
            e.utf8_error().valid_up_to()
        )
    })
}

/// Parses and validates lesson text; `origin` names it in messages.
pub fn parse_lesson(origin: &str, text: &str) -> Result<Lesson, LessonError> {
    if text.trim().is_empty() {
        return Err(LessonError::whole_file(
            origin,
            "the file is empty: a lesson needs a title and a [network] with input, label and layers",
        ));
    }
    if text.contains('\0') {
        return Err(LessonError::whole_file(origin, "the file is not text (it contains NUL bytes)"));
    }
    let file: LessonFile = toml::from_str(text).map_err(|e| {
        let message = explain_serde(e.message());
        LessonError::at_offset(origin, text, e.span().map(|s| s.start), None, message)
    })?;
    validate(file, crate::fingerprint::stable_hash(text.as_bytes()))
        .map_err(|invalid| locate(origin, text, invalid))
}

/// toml's messages are right but terse; missing keys get a word on what they are.
fn explain_serde(message: &str) -> String {
    let message = message.trim_end();
    let hint = |field: &str| match field {
        "title" => " (the lesson's title, a string)",
        "network" => " (a [network] table with input, label and layers)",
        "input" => " in [network] (the input vector x, e.g. input = [1, 1, 1])",
        "layers" => " in [network] ([[network.layers]] tables: the hidden layers, then the output layer)",
        "weights" => " in a [[network.layers]] table (one row per unit)",
        _ => "",
    };
    match message.strip_prefix("missing field `").and_then(|rest| rest.strip_suffix('`')) {
        Some(field) => format!("missing key `{field}`{}", hint(field)),
        None => message.to_string(),
    }
}

/// Finds where `invalid`'s key path stands in the text; where a key is absent, the deepest
/// table that holds it.
fn locate(origin: &str, text: &str, invalid: Invalid) -> LessonError {
    let offset = DeTable::parse(text).ok().map(|root| {
        let mut span = root.span();
        let mut node: Option<&DeValue> = None;
        let mut table = Some(root.get_ref());
        for key in &invalid.path {
            let next = match (key, node, table) {
                (Key::Name(name), _, Some(t)) => t.get(name.as_str()),
                (Key::Index(i), Some(value), _) => value.as_array().and_then(|a| a.get(*i)),
                _ => None,
            };
            let Some(next) = next else { break };
            span = next.span();
            node = Some(next.get_ref());
            table = next.get_ref().as_table();
        }
        span.start
    });
    let key = Some(invalid.dotted());
    LessonError::at_offset(origin, text, offset, key, invalid.message)
}
