//! The equations pane: the step's notes equation numbers (in its title), its formula, the
//! derivation with this lesson's numbers entry by entry, and what the step does in words.
//!
//! In practice mode the formula and the derivation are what hints and a reveal uncover: the
//! formula from the first hint, then the shapes, then the first entry; the whole derivation once
//! a question is done (solved, carried or revealed). A walkthrough shows everything.

use super::{pane_block, wrap};
use crate::plan::{Step, derivation};
use crate::report::equation_list;
use crate::tui::keymap::{Action, key_for};
use crate::tui::theme::Theme;
use crate::tutor::Mode;
use crate::tutor::Status;
use crate::tutor::hints::hint;
use crate::tutor::{HINT_STAGES, Session};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget};

pub struct EquationsPane<'a> {
    pub session: &'a Session,
    pub theme: Theme,
}

/// What each hint stage uncovers, for the prompt.
const STAGE_NAMES: [&str; HINT_STAGES as usize] = ["the formula", "the shapes", "the first entry"];

impl EquationsPane<'_> {
    fn title(&self) -> String {
        let step = self.session.step();
        if step.equations.is_empty() {
            "Equations (beyond the notes)".into()
        } else {
            format!("Equations · notes {}", equation_list(&step.equations))
        }
    }

    /// The pane's text, wrapped to `columns` and fitted into `rows`.
    fn lines(&self, columns: usize, rows: usize) -> Vec<Line<'static>> {
        let session = self.session;
        let step = session.step();
        let theme = self.theme;
        let walkthrough = session.mode() == Mode::Walkthrough;
        let question = session.current_question();
        let hints = question.map_or(0, |q| session.question(q).hints);
        let done: Vec<_> =
            step.asks.iter().filter(|q| walkthrough || session.status(q) != Status::Open).cloned().collect();

        let mut top: Vec<(String, Style)> = Vec::new();
        if walkthrough || !done.is_empty() || hints >= 1 {
            top.push((step.formula_text(), Style::new().add_modifier(Modifier::BOLD)));
        }
        if let Some(question) = question {
            for stage in 2..=hints {
                top.push((hint(session.solution(), step, question, stage), theme.involved()));
            }
        }
        let mut bottom: Vec<(String, Style)> = Vec::new();
        if question.is_some() && hints < HINT_STAGES {
            let prompt = format!(
                "{}: hint {} of {HINT_STAGES} ({}) · {}: reveal the answer",
                key_for(Action::Hint),
                hints + 1,
                STAGE_NAMES[hints as usize],
                key_for(Action::Reveal)
            );
            bottom.push((prompt, theme.muted()));
        }

        // Each item (formula, hint, derivation entry, prompt) as its wrapped lines.
        let item = |text: &str, style: Style| -> Vec<Line<'static>> {
            wrap(text, columns).into_iter().map(|l| Line::styled(l, style)).collect()
        };
        let mut items: Vec<Vec<Line<'static>>> = top.iter().map(|(text, style)| item(text, *style)).collect();
        let bottom: Vec<Vec<Line<'static>>> = bottom.iter().map(|(text, style)| item(text, *style)).collect();
        if !done.is_empty() {
            let used = items.iter().chain(&bottom).map(Vec::len).sum::<usize>();
            let room = rows.saturating_sub(used);
            let shown = Step { asks: done, ..step.clone() };
            let (derived, more) = derivation(&shown, session.solution(), room);
            let mut entries: Vec<Vec<Line<'static>>> =
                derived.iter().map(|line| item(&line.to_text(), Style::new())).collect();
            let mut hidden = more;
            // Drop whole entries until they fit with the line saying how many are left out.
            while !entries.is_empty()
                && entries.iter().map(Vec::len).sum::<usize>() + usize::from(hidden > 0) > room
            {
                entries.pop();
                hidden += 1;
            }
            items.extend(entries);
            if hidden > 0 && room > 0 {
                items.push(item(&format!("… and {hidden} more, each the same way"), theme.muted()));
            }
        }
        items.extend(bottom);
        let explanation = item(&step.explanation, theme.muted());
        // With room to spare (a tall screen), a blank line between items reads better from a
        // distance; the explanation comes first, though.
        let joined = |spaced: bool| -> Vec<Line<'static>> {
            let mut out: Vec<Line<'static>> = Vec::new();
            for lines in items.iter().chain([&explanation]) {
                let last = std::ptr::eq(lines, &explanation);
                if !out.is_empty() && (spaced || last) {
                    out.push(Line::raw(""));
                }
                out.extend(lines.iter().cloned());
            }
            out
        };
        let spaced = joined(true);
        if spaced.len() <= rows {
            return spaced;
        }
        let plain = joined(false);
        if plain.len() <= rows {
            return plain;
        }
        items.into_iter().flatten().collect()
    }
}

impl Widget for &EquationsPane<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let block = pane_block(&self.title(), self.theme);
        let inner = block.inner(area);
        block.render(area, buf);
        Paragraph::new(self.lines(usize::from(inner.width), usize::from(inner.height))).render(inner, buf);
    }
}
