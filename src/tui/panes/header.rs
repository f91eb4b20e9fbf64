//! The first line: the lesson and `Step <id>` on the left, the mode and progress on the right.
//! When the line is short, what the step asks gives way first, then the status's extra (the
//! score), then the title, then the status: `Step <id>` always shows.

use super::shorten;
use super::tiles::width;
use crate::tui::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::Widget;

pub struct Header {
    /// The lesson's title (or the program's name in the picker).
    pub title: String,
    /// `Step 2A`: always shown.
    pub step: String,
    /// What the step asks, `∂L/∂h(2)`.
    pub what: String,
    /// `practice · 1/6 steps done`.
    pub status: String,
    /// After the status where the line has room: `2.5/6 points`.
    pub extra: Option<String>,
    pub theme: Theme,
}

/// The shortest a title is cut to before the status gives way.
const MIN_TITLE: usize = 12;

impl Header {
    /// The left part in `columns`: what the step asks gives way first, then the title.
    fn left(&self, columns: usize) -> String {
        let step = format!(" · {}", self.step);
        let what = if self.what.is_empty() { String::new() } else { format!(": {}", self.what) };
        let full_title = width(&self.title) + 1;
        let for_what = columns.saturating_sub(full_title + width(&step));
        let what = if for_what >= 6 { shorten(&what, for_what) } else { String::new() };
        let title = shorten(&self.title, columns.saturating_sub(1 + width(&step) + width(&what)));
        shorten(&format!(" {title}{step}{what}"), columns)
    }
}

impl Widget for &Header {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let columns = usize::from(area.width);
        buf.set_style(area, self.theme.header());
        // The status stays if the title keeps a readable length beside it, its extra only
        // beside the whole title.
        let fits = |status: &str, title: usize| {
            let beside = columns.saturating_sub(width(status) + 2);
            beside >= 1 + title + 3 + width(&self.step)
        };
        let status = match &self.extra {
            Some(extra) if fits(&format!("{} · {extra} ", self.status), width(&self.title)) => {
                format!("{} · {extra} ", self.status)
            }
            _ => format!("{} ", self.status),
        };
        let beside = columns.saturating_sub(width(&status) + 2);
        let keep_status = fits(&status, MIN_TITLE.min(width(&self.title)));
        let left = self.left(if keep_status { beside } else { columns });
        buf.set_stringn(area.x, area.y, &left, columns, self.theme.header());
        if keep_status {
            let x = area.right() - width(&status) as u16;
            buf.set_stringn(x, area.y, &status, width(&status), self.theme.header());
        }
    }
}
