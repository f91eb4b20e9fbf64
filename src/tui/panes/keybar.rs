//! The last line: the keys that work where the keyboard is, from the one keymap table; or a
//! warning from the runtime, which takes the line's start until the next key. Keys that do not
//! fit are left to the help overlay, whose key is always on the line.

use super::tiles::width;
use crate::tui::keymap::{Action, Binding, Context, key_help, short_text};
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

/// Always on the line, wherever they come in the table.
const ALWAYS: &[Action] = &[Action::ToggleHelp, Action::Quit, Action::Exit];

impl Widget for &KeyBar<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let mut spans = Vec::new();
        let mut room = usize::from(area.width);
        if let Some(warning) = self.warning {
            let text = format!(" ⚠ {warning} ");
            room = room.saturating_sub(width(&text));
            spans.push(Span::styled(text, self.theme.warning()));
        }
        let mut bindings = key_help(self.context);
        // Ctrl-C quits too, but `q` says it where both work.
        if bindings.iter().any(|b| b.action == Action::Quit) {
            bindings.retain(|b| b.action != Action::Exit);
        }
        // Each binding in its own words, or in its short word alone if that is what fits.
        let text = |b: &Binding, full: bool| if full { short_text(b) } else { b.short.to_string() };
        let item = |b: &Binding, full: bool| width(&b.key_text()) + width(&text(b, full)) + 3;
        let always: usize =
            bindings.iter().filter(|b| ALWAYS.contains(&b.action)).map(|b| item(b, true)).sum();
        let mut left = room.saturating_sub(always);
        let mut shown: Vec<(&Binding, bool)> = Vec::new();
        for binding in bindings {
            if ALWAYS.contains(&binding.action) {
                shown.push((binding, true));
                continue;
            }
            if let Some(full) = [true, false].into_iter().find(|&full| item(binding, full) <= left) {
                left -= item(binding, full);
                shown.push((binding, full));
            }
        }
        for (binding, full) in shown {
            spans.push(Span::raw(" "));
            spans.push(Span::styled(binding.key_text(), self.theme.key()));
            spans.push(Span::raw(format!(" {} ", text(binding, full))));
        }
        Line::from(spans).render(area, buf);
    }
}
