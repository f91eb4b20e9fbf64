//! The last line: the keys that work where the keyboard is, from the one keymap table; or a
//! warning from the runtime, which takes the line's start until the next key.

use crate::tui::keymap::{Context, key_help, short_text};
use crate::tui::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

pub struct KeyBar<'a> {
    pub context: Context,
    pub warning: Option<&'a str>,
    pub theme: Theme,
}

impl Widget for &KeyBar<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let mut spans = Vec::new();
        if let Some(warning) = self.warning {
            spans.push(Span::styled(format!(" ⚠ {warning} "), self.theme.warning()));
        }
        for binding in key_help(self.context) {
            spans.push(Span::raw(" "));
            spans.push(Span::styled(binding.key_text(), self.theme.key()));
            spans.push(Span::raw(format!(" {} ", short_text(binding))));
        }
        Line::from(spans).render(area, buf);
    }
}
