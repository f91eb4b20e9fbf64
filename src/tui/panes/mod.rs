//! One widget per pane of DESIGN.md §6, each `impl Widget for &Pane`, and what they share: the
//! pane frame, word wrapping, and the cells of a quantity as the learner may see them.

pub(super) mod activations;
pub(super) mod answer;
pub(super) mod gradients;
pub(super) mod header;
pub(super) mod help;
pub(super) mod keybar;
pub(super) mod network;
pub(super) mod overlay;
pub(super) mod preview;
pub(super) mod scroll;
pub(super) mod step;
pub(super) mod tiles;
pub(super) mod too_small;

use super::keymap::{Action, key_for};
use super::lesson::{Drawn, LessonScreen, PaneId};
use super::theme::{CARRIED, NO_VALUE, Theme, UNKNOWN, WRONG};
use crate::plan::display::number;
use crate::quantity::Quantity;
use crate::tutor::{Session, Visibility};
use crate::value::Shape;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use scroll::scrolled;
use tiles::{Cell, MAX_COLUMNS, MAX_ROWS, Tile, width};

/// `text` cut to `columns`, ending in `…` when cut.
pub(super) fn shorten(text: &str, columns: usize) -> String {
    if width(text) <= columns {
        return text.to_string();
    }
    let mut out = String::new();
    for c in text.chars() {
        if width(&out) + width(&c.to_string()) + 1 > columns {
            break;
        }
        out.push(c);
    }
    if columns > 0 {
        out.push('…');
    }
    out
}

/// Draws a pane's frame in `area` and returns the room inside it: a rule across the top
/// carrying the title (cut with `…` if the pane is narrower; marked `◆` when the pane has the
/// focus), and one column of margin on the left (where the `▸` of a highlighted first name
/// goes). No side borders, so 80 columns hold two panes side by side.
pub(super) fn pane_frame(title: &str, focused: bool, theme: Theme, area: Rect, buf: &mut Buffer) -> Rect {
    if area.height == 0 || area.width == 0 {
        return Rect { height: 0, ..area };
    }
    let mark = if focused { "◆ " } else { "" };
    // The rule keeps a column at each end.
    let columns = usize::from(area.width);
    let title = shorten(&format!("{mark}{title}"), columns.saturating_sub(4));
    let style =
        if focused { theme.pane_title().add_modifier(Modifier::UNDERLINED) } else { theme.pane_title() };
    // Drawn by hand rather than with a `Block`: the same rule and title at a fraction of the
    // cost, and a frame draws several panes.
    buf.set_stringn(area.x, area.y, "─".repeat(columns), columns, theme.border());
    buf.set_stringn(area.x, area.y, format!(" {title} "), columns, style);
    Rect { x: area.x + 1, y: area.y + 1, width: area.width - 1, height: area.height - 1 }
}

/// A pane beside the step (network, activations, gradients): framed, folded to its title when
/// it has one row, scrolled when its content does not fit.
pub(super) struct ContextPane<'a> {
    pub screen: &'a LessonScreen,
    pub pane: PaneId,
    pub title: &'a str,
    pub theme: Theme,
}

impl ContextPane<'_> {
    /// Draws the pane in `area`; `draw` draws its `content_height` rows of content into an area
    /// of that height.
    pub(super) fn draw(
        &self,
        area: Rect,
        buf: &mut Buffer,
        content_height: usize,
        draw: impl FnOnce(Rect, &mut Buffer),
    ) {
        let (screen, pane, theme) = (self.screen, self.pane, self.theme);
        if area.height == 0 {
            screen.drawn(pane, Drawn::default());
            return;
        }
        let focused = screen.pane() == pane;
        if area.height == 1 {
            // The name alone: a legend after it would push the way to unfold it off the rule.
            let name = self.title.split(" · ").next().unwrap_or(self.title);
            let folded = format!("{name} · folded: {} gives it room", key_for(Action::FocusNextPane));
            pane_frame(&folded, focused, theme, area, buf);
            screen.drawn(pane, Drawn { area, max_scroll: 0 });
            return;
        }
        let inner = pane_frame(self.title, focused, theme, area, buf);
        let max_scroll =
            scrolled(inner, buf, content_height as u16, (screen.scroll(pane), focused), theme, draw);
        screen.drawn(pane, Drawn { area, max_scroll });
    }
}

/// How a name in a pane stands out: what the step asks, what it reads, or neither.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Emphasis {
    Asked,
    Involved,
    Plain,
}

impl Emphasis {
    pub(super) fn of(asked: bool, involved: bool) -> Emphasis {
        match (asked, involved) {
            (true, _) => Emphasis::Asked,
            (false, true) => Emphasis::Involved,
            (false, false) => Emphasis::Plain,
        }
    }

    pub(super) fn style(self, theme: Theme) -> Style {
        match self {
            Emphasis::Asked => theme.asked(),
            Emphasis::Involved => theme.involved(),
            Emphasis::Plain => Style::new(),
        }
    }

    /// Whether the name gets the `▸` marker (drawn in the gap before it), so that it stands
    /// out without colour too.
    pub(super) fn marked(self) -> bool {
        self != Emphasis::Plain
    }

    /// A tile of values headed by `name` in this emphasis.
    pub(super) fn tile(
        self,
        name: &str,
        (rows, more): (Vec<Vec<Cell>>, (usize, usize)),
        theme: Theme,
    ) -> Tile {
        Tile { marked: self.marked(), more, ..Tile::new(Cell::new(name, self.style(theme)), rows) }
    }
}

/// Greedy word wrap to `width` columns; a word longer than the width is cut into pieces.
pub(super) fn wrap(text: &str, columns: usize) -> Vec<String> {
    let columns = columns.max(1);
    if width(text) <= columns {
        return vec![text.to_string()];
    }
    let mut lines = Vec::new();
    let mut line = String::new();
    // The width of `line`, kept as it grows rather than measured again for every word.
    let mut used = 0;
    for word in text.split(' ') {
        let mut word = word.to_string();
        loop {
            let word_width = width(&word);
            let separator = usize::from(!line.is_empty());
            if used + separator + word_width <= columns {
                if separator == 1 {
                    line.push(' ');
                }
                line.push_str(&word);
                used += separator + word_width;
                break;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
                used = 0;
                continue;
            }
            // A word wider than a whole line. At least one character is cut, even one wider
            // than the line (a wide glyph in a 1-column pane), or the loop would never end.
            let mut cut = String::new();
            let mut cut_width = 0;
            for c in word.chars() {
                let w = width(c.encode_utf8(&mut [0; 4]));
                if !cut.is_empty() && cut_width + w > columns {
                    break;
                }
                cut.push(c);
                cut_width += w;
            }
            word = word[cut.len()..].to_string();
            if word.is_empty() {
                line = cut;
                used = cut_width;
                break;
            }
            lines.push(cut);
        }
    }
    lines.push(line);
    lines
}

/// Cells of `rows` × `columns` entries made by `cell` (1-based indices; none for a scalar), at
/// most [`MAX_ROWS`] × [`MAX_COLUMNS`] of them, and how many rows and columns were left out.
pub(super) fn grid(shape: Shape, cell: impl Fn(Vec<usize>) -> Cell) -> (Vec<Vec<Cell>>, (usize, usize)) {
    let (rows, columns) = match shape {
        Shape::Scalar => return (vec![vec![cell(vec![])]], (0, 0)),
        Shape::Vector(n) => (n, 1),
        Shape::Matrix(r, c) => (r, c),
    };
    let index = |i: usize, j: usize| if matches!(shape, Shape::Vector(_)) { vec![i] } else { vec![i, j] };
    let cells = (1..=rows.min(MAX_ROWS))
        .map(|i| (1..=columns.min(MAX_COLUMNS)).map(|j| cell(index(i, j))).collect())
        .collect();
    (cells, (rows.saturating_sub(MAX_ROWS), columns.saturating_sub(MAX_COLUMNS)))
}

/// The entries of `quantity` (as the step names it) as the learner may see them, row by row:
/// values found (or given), `?` for values still to find, `·` where the step has no such name,
/// and the learner's last wrong answer with its wrong entries marked `✗`; and how many rows
/// and columns were left out (see [`grid`]).
pub(super) fn quantity_cells(
    session: &Session,
    quantity: Quantity,
    theme: Theme,
) -> (Vec<Vec<Cell>>, (usize, usize)) {
    let network = session.lesson().network();
    let name = session.name_in_step(quantity);
    let value = session.solution().value_of(&name);
    let wrong = session.wrong_answer().filter(|(question, ..)| question.same_name(&name));
    let cell = |index: Vec<usize>| -> Cell {
        if value.is_none() {
            return Cell::new(NO_VALUE, theme.muted());
        }
        if let Some((question, given, wrong_entries)) = &wrong
            && (question.index.is_empty() || question.index == index)
        {
            // A single-entry question's answer is a scalar, as is the loss.
            let entry = given.entry(&index).or_else(|| given.entries().first().copied()).unwrap_or(f64::NAN);
            // A wrong scalar has no index to list: then the whole answer is the wrong entry.
            return if wrong_entries.is_empty() || wrong_entries.contains(&index) {
                Cell::new(format!("{}{WRONG}", number(entry)), theme.wrong())
            } else {
                Cell::new(number(entry), Style::new())
            };
        }
        match session.visibility(quantity, &index) {
            Visibility::Hidden => Cell::new(UNKNOWN, theme.muted()),
            Visibility::Shown => {
                // A carried answer stays the learner's own: the true value is not given away.
                if let Some(own) = session.carried_value(quantity, &index) {
                    return Cell::new(format!("{}{CARRIED}", number(own)), theme.note());
                }
                let entry =
                    value.as_ref().and_then(|v| v.entry(&index).or_else(|| v.entries().first().copied()));
                Cell::new(entry.map_or_else(|| UNKNOWN.to_string(), number), Style::new())
            }
        }
    };
    grid(network.shape(quantity), cell)
}

#[cfg(test)]
mod tests {
    use super::wrap;

    #[test]
    fn wraps_at_words_and_cuts_long_ones() {
        assert_eq!(wrap("the quick brown fox", 9), ["the quick", "brown fox"]);
        assert_eq!(wrap("abcdefghij", 4), ["abcd", "efgh", "ij"]);
        assert_eq!(wrap("", 4), [""]);
        assert_eq!(wrap("漢字", 1), ["漢", "字"]);
    }
}
