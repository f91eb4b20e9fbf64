//! The screen shown instead of the tutor when the terminal is smaller than it needs: what the
//! size is, what it must be, and how to get out. Readable down to a few columns.

use super::wrap;
use crate::tui::keymap::{Action, key_anywhere};
use crate::tui::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget};

pub struct TooSmall {
    pub needed: (u16, u16),
    pub theme: Theme,
}

impl Widget for &TooSmall {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let columns = usize::from(area.width.saturating_sub(2)).max(1);
        let (width, height) = self.needed;
        let paragraphs = [
            ("The terminal is too small.".to_string(), self.theme.wrong()),
            (
                format!("It is {}×{}; the tutor needs at least {width}×{height}.", area.width, area.height),
                Default::default(),
            ),
            (
                format!("Enlarge the window to go on, or press {} to quit.", key_anywhere(Action::Exit)),
                self.theme.muted(),
            ),
        ];
        let mut lines: Vec<Line> = Vec::new();
        for (i, (text, style)) in paragraphs.iter().enumerate() {
            if i > 0 && area.height > 6 {
                lines.push(Line::raw(""));
            }
            lines.extend(wrap(text, columns).into_iter().map(|l| Line::styled(l, *style).centered()));
        }
        let height = (lines.len() as u16).min(area.height);
        let middle = area.centered_vertically(Constraint::Length(height));
        Paragraph::new(lines).render(middle, buf);
    }
}
