//! The `?` overlay: every key that works on this screen, grouped by where it works, printed
//! from the keymap table; then what the screen's symbols mean and what an answer may contain.
//! On a small terminal it scrolls (↑/↓, PgUp/PgDn), its titles never cut.

use super::overlay::Popup;
use super::wrap;
use crate::tui::keymap::{Action, Binding, Scope, When, bindings};
use crate::tui::lesson::Drawn;
use crate::tui::theme::{CARRIED, CLOSED_GATE, INVOLVED, Theme, UNKNOWN, WRONG};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;
use std::cell::Cell;

pub struct HelpOverlay<'a> {
    /// A lesson (its keys and symbols) or the picker.
    pub lesson: bool,
    pub practice: bool,
    pub theme: Theme,
    pub scroll: u16,
    /// Set while drawing: how far the help can scroll.
    pub limit: &'a Cell<Drawn>,
}

const WIDTH: u16 = 76;

impl HelpOverlay<'_> {
    fn groups(&self) -> Vec<(&'static str, Scope)> {
        if self.lesson {
            vec![
                ("Anywhere", Scope::Anywhere),
                ("In the answer box", Scope::AnswerBox),
                ("Outside the answer box", Scope::Screen),
                ("When asked to confirm", Scope::Confirm),
                ("In this help", Scope::Overlay),
            ]
        } else {
            vec![("Anywhere", Scope::Anywhere), ("Choosing a lesson", Scope::Picker)]
        }
    }

    fn shown(&self, binding: &Binding, scope: Scope) -> bool {
        let mode = match binding.when {
            When::Answering | When::Practice | When::Complete => self.practice,
            When::Walkthrough => !self.practice,
            When::Always => true,
        };
        binding.scopes.contains(&scope) && mode
    }

    /// The overlay's text for an inner width of `columns`: each entry's description wraps
    /// under itself, clear of the key column.
    fn lines(&self, columns: usize) -> Vec<Line<'static>> {
        let theme = self.theme;
        let heading = |text: &str| Line::styled(text.to_string(), theme.pane_title());
        let key_width = bindings().iter().map(|b| b.key_text().chars().count()).max().unwrap_or(0);
        let indent = 2 + key_width + 2;
        let entry = |key: String, key_style: Style, text: &str| -> Vec<Line<'static>> {
            wrap(text, columns.saturating_sub(indent))
                .into_iter()
                .enumerate()
                .map(|(i, part)| {
                    let key = if i == 0 { format!("  {key:<key_width$}  ") } else { " ".repeat(indent) };
                    Line::from(vec![Span::styled(key, key_style), Span::raw(part)])
                })
                .collect()
        };
        let mut lines = Vec::new();
        for (title, scope) in self.groups() {
            let rows: Vec<Line> = bindings()
                .iter()
                .filter(|b| self.shown(b, scope))
                .flat_map(|b| entry(b.key_text(), theme.key(), b.help))
                .collect();
            if !rows.is_empty() {
                lines.push(heading(title));
                lines.extend(rows);
            }
        }
        if self.lesson && self.practice {
            // tui-input's editing keys, which the keymap leaves to the box.
            lines.push(heading("Editing the answer"));
            lines.extend(entry(
                String::new(),
                Style::new(),
                "after Enter the answer stays in the box, selected: typing replaces it, while ←, →, \
                 Home, End, Backspace or Delete first end the selection and edit it. Ctrl-U clears \
                 the box, Ctrl-K clears to its end, Ctrl-W deletes a word.",
            ));
        }
        if self.lesson {
            lines.push(heading("Symbols"));
            for (symbol, meaning) in [
                (INVOLVED, "what the step works on (highlighted), as in the notes' figures"),
                (UNKNOWN, "a value still to find"),
                (WRONG, "an entry of your last answer that is off"),
                (CARRIED, "your own value, credited as carried from an earlier answer"),
                ("⋯", "more than fits: scroll the pane, or Tab to give it room"),
                (CLOSED_GATE, "a closed ReLU gate: f'(z) = 0 stops the gradient"),
            ] {
                lines.extend(entry(symbol.to_string(), Style::new(), meaning));
            }
            lines.push(heading("Answers"));
            lines.extend(entry(
                String::new(),
                Style::new(),
                "numbers (-0.75, 1e-3), + - * / ^, ( ), e, pi, exp, ln, log, sqrt; vectors [a, b, c], as a \
                 row or a column; matrices [[a, b], [c, d]] or [a, b; c, d].",
            ));
        }
        lines
    }

    /// The keys that close the overlay, for its bottom border.
    fn closing_keys(&self) -> String {
        let keys: Vec<String> = bindings()
            .iter()
            .filter(|b| {
                matches!(b.action, Action::ToggleHelp | Action::CloseOverlay)
                    && b.scopes.contains(&Scope::Overlay)
            })
            .map(Binding::key_text)
            .collect();
        format!("{} close", keys.join(" or "))
    }
}

impl Widget for &HelpOverlay<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let bottom = self.closing_keys();
        let popup =
            Popup { title: "Help", bottom: &bottom, theme: self.theme, scroll: self.scroll, width: WIDTH };
        self.limit.set(popup.draw(area, buf, |columns| self.lines(columns)));
    }
}
