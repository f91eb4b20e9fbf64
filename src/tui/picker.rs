//! The lesson list shown with no lesson given: the shipped lessons in the course's order
//! (`notes-example` first), each with its title and progress (`✓`, `3/6`, `new`), and the
//! chosen one's description.

use super::panes::{pane_frame, shorten, wrap};
use super::theme::{INVOLVED, Theme};
use crate::lesson::Lesson;
use crate::tutor::Progress;
use crate::tutor::course::{Entry, Summary};
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget};

pub struct Picker {
    entries: Vec<Entry>,
    selected: usize,
}

impl Picker {
    pub fn new(entries: Vec<Entry>) -> Picker {
        Picker { entries, selected: 0 }
    }

    /// Moves the choice by `delta`, stopping at either end.
    pub fn select(&mut self, delta: isize) {
        let last = self.entries.len().saturating_sub(1);
        self.selected = self.selected.saturating_add_signed(delta).min(last);
    }

    /// The name of the chosen lesson, for [`super::Command::Open`].
    pub fn selected(&self) -> &'static str {
        self.entries.get(self.selected).map_or("notes-example", |e| e.name)
    }

    /// Shows the progress just made in `lesson`, if it is one of the list's.
    pub fn update(&mut self, lesson: &Lesson, progress: &Progress) {
        if let Some(entry) = self.entries.iter_mut().find(|e| e.fingerprint == lesson.fingerprint()) {
            entry.summary = Some(Summary::of(lesson, progress));
        }
    }
}

pub struct PickerView<'a> {
    pub picker: &'a Picker,
    pub theme: Theme,
}

impl Widget for &PickerView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let picker = self.picker;
        let theme = self.theme;
        let list_height = (picker.entries.len() as u16 + 1).min(area.height.saturating_sub(4).max(2));
        let [list_area, about_area] =
            Layout::vertical([Constraint::Length(list_height), Constraint::Fill(1)]).areas(area);

        let inner =
            pane_frame("Lessons · progress: ✓ done, 3/6 steps done, new", false, theme, list_area, buf);
        let rows = inner.height as usize;
        // Scrolls just enough to keep the choice in view.
        let first = picker.selected.saturating_sub(rows.saturating_sub(1));
        let name_width = picker.entries.iter().map(|e| e.name.chars().count()).max().unwrap_or(0);
        let lines: Vec<Line> = picker
            .entries
            .iter()
            .enumerate()
            .skip(first)
            .take(rows)
            .map(|(i, entry)| {
                let chosen = i == picker.selected;
                let marker = if chosen { INVOLVED } else { " " };
                let progress = entry.summary.map_or_else(|| "?".to_string(), |s| s.to_string());
                let text = format!("{marker} {progress:>5}  {:<name_width$}  {}", entry.name, entry.title);
                // A title cut short says so.
                let text = shorten(&text, usize::from(inner.width));
                if chosen { Line::styled(text, theme.asked()) } else { Line::raw(text) }
            })
            .collect();
        Paragraph::new(lines).render(inner, buf);

        let Some(chosen) = picker.entries.get(picker.selected) else { return };
        let inner = pane_frame(&format!("About {}", chosen.name), false, theme, about_area, buf);
        let columns = usize::from(inner.width);
        let mut paragraphs: Vec<Line> = Vec::new();
        for text in &chosen.about {
            if !paragraphs.is_empty() {
                paragraphs.push(Line::raw(""));
            }
            paragraphs.extend(wrap(text, columns).into_iter().map(Line::raw));
        }
        Paragraph::new(paragraphs).render(inner, buf);
    }
}
