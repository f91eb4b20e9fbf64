//! A pane taller than its room: drawn whole into a buffer of its own, of which the rows in view
//! are copied to the screen, or (content that can draw a window of itself) only those rows. Rows cut above or below are counted on a marker row
//! (`⋯ 12 more lines · PgDn`), so nothing disappears without a word. The marker names the key
//! that reaches the rest: the scrolling keys scroll only the focused pane, so another pane's
//! marker names the key that focuses it (and gives it room) instead.

use super::tiles;
use crate::tui::keymap::{Action, key_for};
use crate::tui::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

/// Draws `content_height` rows of content (by `draw`, into an area of that height) into
/// `area`, from row `offset` on. Returns how far the content can scroll.
pub(crate) fn scrolled(
    area: Rect,
    buf: &mut Buffer,
    content_height: u16,
    (offset, focused): (u16, bool),
    theme: Theme,
    draw: impl FnOnce(Rect, &mut Buffer),
) -> u16 {
    scrolled_window(area, buf, content_height, (offset, focused), theme, |window, offset, buf| {
        if offset == 0 && window.height == content_height {
            draw(window, buf);
        } else {
            draw_cut(window, offset, content_height, draw, buf);
        }
    })
}

/// Draws `content_height` rows of content (by `draw`, into an area of that height) whole on a
/// buffer of its own, and copies its rows from `first` on into `window`. The column left of the
/// window comes along: a highlighted name's `▸` is drawn there.
pub(crate) fn draw_cut(
    window: Rect,
    first: u16,
    content_height: u16,
    draw: impl FnOnce(Rect, &mut Buffer),
    buf: &mut Buffer,
) {
    let margin = window.x.min(1);
    let mut scratch = Buffer::empty(Rect::new(window.x - margin, 0, window.width + margin, content_height));
    draw(Rect::new(window.x, 0, window.width, content_height), &mut scratch);
    let rows = window.height.min(content_height.saturating_sub(first));
    for row in 0..rows {
        for x in window.x - margin..window.right() {
            let cell = &scratch[(x, first + row)];
            // The margin column is the pane's (a popup's border): only a mark drawn there counts.
            if x >= window.x || cell.symbol() != " " {
                buf[(x, window.y + row)] = cell.clone();
            }
        }
    }
}

/// As [`scrolled`], for content that can draw a window of itself: `draw(window, first, buf)`
/// draws the content's rows from `first` on into `window` (as many as it is tall), so that a
/// long pane costs what is in view, not what is below it. `focused`: whether the scrolling
/// keys scroll this content.
pub(crate) fn scrolled_window(
    area: Rect,
    buf: &mut Buffer,
    content_height: u16,
    (offset, focused): (u16, bool),
    theme: Theme,
    draw: impl FnOnce(Rect, u16, &mut Buffer),
) -> u16 {
    if area.height == 0 || area.width == 0 {
        return 0;
    }
    if content_height <= area.height {
        draw(Rect { height: content_height, ..area }, 0, buf);
        return 0;
    }
    // A marker row above once scrolled (where there is room for one), and one below while
    // there is more: scrolled to the end, everything after the top marker is content.
    let markers_above = area.height > 2;
    let max_offset = content_height - if markers_above { area.height - 1 } else { area.height };
    let offset = offset.min(max_offset);
    let above = u16::from(offset > 0 && markers_above);
    let room = area.height - above;
    let left = content_height - offset;
    let rows = if left <= room { left } else { room.saturating_sub(1).max(1) };
    draw(Rect { y: area.y + above, height: rows, ..area }, offset, buf);
    // Another pane's marker names the key that focuses it: the scrolling keys then reach it.
    let reach = |scroll: Action| key_for(if focused { scroll } else { Action::FocusNextPane });
    if above == 1 {
        let text = format!("⋯ {} above · {}", more(offset), reach(Action::PageUp));
        buf.set_stringn(area.x, area.y, text, usize::from(area.width), theme.muted());
    }
    let below = left - rows;
    if below > 0 && above + rows < area.height {
        let text = format!("⋯ {} · {}", more(below), reach(Action::PageDown));
        buf.set_stringn(area.x, area.bottom() - 1, text, usize::from(area.width), theme.muted());
    } else if below > 0 {
        // One row of room: the marker goes at its end, over the content.
        let short = format!("⋯ {below}");
        let x = area.right().saturating_sub(tiles::width(&short) as u16 + 1).max(area.x);
        buf.set_stringn(
            x,
            area.bottom() - 1,
            format!(" {short}"),
            usize::from(area.right() - x),
            theme.muted(),
        );
    }
    max_offset
}

fn more(n: u16) -> String {
    if n == 1 { "1 more line".into() } else { format!("{n} more lines") }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbered(area: Rect, buf: &mut Buffer) {
        for row in 0..area.height {
            buf.set_string(area.x, area.y + row, format!("line {row}"), ratatui::style::Style::new());
        }
    }

    fn rows(buf: &Buffer) -> Vec<String> {
        (0..buf.area.height)
            .map(|y| (0..buf.area.width).map(|x| buf[(x, y)].symbol()).collect::<String>().trim_end().into())
            .collect()
    }

    fn scroll_to(offset: u16) -> (u16, Vec<String>) {
        let mut buf = Buffer::empty(Rect::new(0, 0, 30, 4));
        let max = scrolled(buf.area, &mut buf, 10, (offset, true), Theme::new(false), numbered);
        (max, rows(&buf))
    }

    #[test]
    fn a_cut_pane_counts_what_is_above_and_below() {
        assert_eq!(
            scroll_to(0),
            (7, vec!["line 0".into(), "line 1".into(), "line 2".into(), "⋯ 7 more lines · PgDn".into()])
        );
        assert_eq!(
            scroll_to(5).1,
            ["⋯ 5 more lines above · PgUp", "line 5", "line 6", "⋯ 3 more lines · PgDn"]
        );
        // At the end every row after the marker is content, the last line included.
        assert_eq!(scroll_to(99).1, ["⋯ 7 more lines above · PgUp", "line 7", "line 8", "line 9"]);
    }

    #[test]
    fn a_pane_the_scrolling_keys_do_not_reach_names_the_key_that_does() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 40, 3));
        scrolled(buf.area, &mut buf, 10, (0, false), Theme::new(false), numbered);
        assert_eq!(rows(&buf)[2], "⋯ 8 more lines · Tab");
    }
}
