//! Under the answer box: what the text typed so far reads as (its shape and entries, said
//! against the shape asked), or where it stops being readable; and a line on how to answer (the
//! names the step's formula reads, as typed, and the digits to give).

use super::{shorten, wrap};
use crate::answer::shape::conform;
use crate::plan::display;
use crate::tui::theme::Theme;
use crate::tutor::{Preview, Prompt};
use crate::value::Shape;
use ratatui::text::{Line, Span};

/// The preview of the box's text, for a question whose value has `expected` shape, on
/// `columns`: one line for a value (its entries cut with `…`), the message for an error.
pub(crate) fn preview_lines(
    preview: &Preview,
    expected: Option<Shape>,
    columns: usize,
    theme: Theme,
) -> Vec<Line<'static>> {
    match preview {
        Preview::Value { value, formula } => {
            let kind = if *formula { "a formula giving " } else { "" };
            let mut said = format!("→ {kind}{}", value.shape());
            let fits = expected.is_none_or(|shape| conform(value, shape).is_some());
            let mut spans = Vec::new();
            if let (false, Some(shape)) = (fits, expected) {
                spans.push(Span::styled(format!("{said}, but {shape} is asked"), theme.warning()));
                said.clear();
            }
            let entries = format!("{said}: {}", display::value(value));
            let room = columns.saturating_sub(spans.iter().map(|s| s.width()).sum());
            spans.push(Span::styled(shorten(&entries, room), theme.muted()));
            vec![Line::from(spans)]
        }
        Preview::Error(error) => wrap(&format!("⋯ as typed so far: {}", error.message), columns)
            .into_iter()
            .map(|line| Line::styled(line, theme.muted()))
            .collect(),
    }
}

/// How to answer, on `columns`: the digits to give and the names a formula may use.
pub(crate) fn prompt_lines(prompt: &Prompt, columns: usize, theme: Theme) -> Vec<Line<'static>> {
    let Some(text) = prompt.advice() else { return vec![] };
    wrap(&text, columns).into_iter().map(|line| Line::styled(line, theme.muted())).collect()
}
