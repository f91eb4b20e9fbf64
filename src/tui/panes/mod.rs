//! One widget per pane of DESIGN.md §6, each `impl Widget for &Pane`, and what they share: the
//! pane frame, word wrapping, and the cells of a quantity as the learner may see them.

pub mod activations;
pub mod answer;
pub mod equations;
pub mod gradients;
pub mod header;
pub mod help;
pub mod jacobians;
pub mod keybar;
pub mod network;
pub mod tiles;
pub mod too_small;

use super::theme::{CARRIED, Theme, UNKNOWN, WRONG};
use crate::plan::format_number;
use crate::quantity::Quantity;
use crate::tutor::{Session, Visibility};
use crate::value::Shape;
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Padding};
use tiles::{Cell, Tile, width};

/// A pane: a rule across its top carrying the title, and one column of margin on the left
/// (where the `▸` of a highlighted first name goes). No side borders, so 80 columns hold two
/// panes side by side.
pub fn pane_block<'a>(title: &str, theme: Theme) -> Block<'a> {
    Block::new()
        .borders(Borders::TOP)
        .padding(Padding::left(1))
        .border_style(theme.border())
        .title(Line::styled(format!(" {title} "), theme.pane_title()))
}

/// How a name in a pane stands out: what the step asks, what it reads, or neither.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Emphasis {
    Asked,
    Involved,
    Plain,
}

impl Emphasis {
    pub fn of(asked: bool, involved: bool) -> Emphasis {
        match (asked, involved) {
            (true, _) => Emphasis::Asked,
            (false, true) => Emphasis::Involved,
            (false, false) => Emphasis::Plain,
        }
    }

    pub fn style(self, theme: Theme) -> Style {
        match self {
            Emphasis::Asked => theme.asked(),
            Emphasis::Involved => theme.involved(),
            Emphasis::Plain => Style::new(),
        }
    }

    /// Whether the name gets the `▸` marker (drawn in the gap before it), so that it stands
    /// out without colour too.
    pub fn marked(self) -> bool {
        self != Emphasis::Plain
    }

    /// A tile of values headed by `name` in this emphasis.
    pub fn tile(self, name: &str, rows: Vec<Vec<Cell>>, theme: Theme) -> Tile {
        Tile { header: Cell::new(name, self.style(theme)), marked: self.marked(), rows, brackets: false }
    }
}

/// Greedy word wrap to `width` columns; a word longer than the width is cut into pieces.
pub fn wrap(text: &str, columns: usize) -> Vec<String> {
    let columns = columns.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        let mut word = word.to_string();
        loop {
            let separator = usize::from(!line.is_empty());
            if width(&line) + separator + width(&word) <= columns {
                if separator == 1 {
                    line.push(' ');
                }
                line.push_str(&word);
                break;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
                continue;
            }
            // A word wider than a whole line. At least one character is cut, even one wider
            // than the line (a wide glyph in a 1-column pane), or the loop would never end.
            let cut: String = word
                .chars()
                .enumerate()
                .scan(0, |w, (i, c)| {
                    *w += width(&c.to_string());
                    (i == 0 || *w <= columns).then_some(c)
                })
                .collect();
            word = word[cut.len()..].to_string();
            if word.is_empty() {
                line = cut;
                break;
            }
            lines.push(cut);
        }
    }
    lines.push(line);
    lines
}

/// The entries of `quantity` as the learner may see them, row by row: values found (or given),
/// `?` for values still to find, and the learner's last wrong answer with its wrong entries
/// marked `✗`.
pub fn quantity_cells(session: &Session, quantity: Quantity, theme: Theme) -> Vec<Vec<Cell>> {
    let network = session.lesson().network();
    let value = session.solution().value(quantity);
    let wrong = session.wrong_answer().filter(|(question, ..)| question.quantity == quantity);
    let cell = |index: Vec<usize>| -> Cell {
        if let Some((question, given, wrong_entries)) = &wrong
            && (question.index.is_empty() || question.index == index)
        {
            // A single-entry question's answer is a scalar, as is the loss.
            let entry = given.entry(&index).or_else(|| given.entries().first().copied()).unwrap_or(f64::NAN);
            // A wrong scalar has no index to list: then the whole answer is the wrong entry.
            return if wrong_entries.is_empty() || wrong_entries.contains(&index) {
                Cell::new(format!("{}{WRONG}", format_number(entry)), theme.wrong())
            } else {
                Cell::new(format_number(entry), Style::new())
            };
        }
        match session.visibility(quantity, &index) {
            Visibility::Hidden => Cell::new(UNKNOWN, theme.muted()),
            Visibility::Shown => {
                // A carried answer stays the learner's own: the true value is not given away.
                if let Some(own) = session.carried_value(quantity, &index) {
                    return Cell::new(format!("{}{CARRIED}", format_number(own)), theme.note());
                }
                let entry =
                    value.as_ref().and_then(|v| v.entry(&index).or_else(|| v.entries().first().copied()));
                Cell::new(entry.map_or_else(|| UNKNOWN.to_string(), format_number), Style::new())
            }
        }
    };
    match network.shape(quantity) {
        Shape::Scalar => vec![vec![cell(vec![])]],
        Shape::Vector(n) => (1..=n).map(|i| vec![cell(vec![i])]).collect(),
        Shape::Matrix(r, c) => (1..=r).map(|i| (1..=c).map(|j| cell(vec![i, j])).collect()).collect(),
    }
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
