//! Where a key path stands in lesson text, as a line and column: the loader's errors and
//! `lint`'s findings both point into the file with it.

use super::validate::Key;
use toml::de::{DeTable, DeValue};

/// The byte offset of the value at `path`; where a key is absent, of the deepest table that
/// holds it. `None` when the text is not TOML.
pub(super) fn offset_of(text: &str, path: &[Key]) -> Option<usize> {
    DeTable::parse(text).ok().map(|root| {
        let mut span = root.span();
        let mut node: Option<&DeValue> = None;
        let mut table = Some(root.get_ref());
        for key in path {
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
    })
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, column)
}

/// 1-based line and column of the value at `path`.
pub fn position_of(text: &str, path: &[Key]) -> Option<(usize, usize)> {
    offset_of(text, path).map(|offset| line_column(text, offset))
}
