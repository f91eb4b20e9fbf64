//! The lesson picker shown with no lesson given: the shipped lessons in their order
//! (`notes-example` first), each with its title, and the chosen one's description.

use super::panes::pane_block;
use super::theme::{INVOLVED, Theme};
use crate::lesson::{parse_lesson, shipped};
use crate::report::describe_network;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget, Wrap};

pub struct Picker {
    entries: Vec<Entry>,
    selected: usize,
}

struct Entry {
    name: &'static str,
    title: String,
    /// The description and the network in one line; or why the lesson cannot be read.
    about: Vec<String>,
}

impl Picker {
    pub fn shipped() -> Picker {
        let entries = shipped::all()
            .map(|(name, source)| match parse_lesson(name, source) {
                Ok(lesson) => Entry {
                    name,
                    title: lesson.title().to_string(),
                    about: lesson
                        .description()
                        .map(|d| d.split_whitespace().collect::<Vec<_>>().join(" "))
                        .into_iter()
                        .chain([format!("Network: {}.", describe_network(lesson.network()))])
                        .collect(),
                },
                Err(error) => {
                    Entry { name, title: "(cannot be read)".into(), about: vec![error.to_string()] }
                }
            })
            .collect();
        Picker { entries, selected: 0 }
    }

    /// Moves the choice by `delta`, stopping at either end.
    pub fn select(&mut self, delta: isize) {
        let last = self.entries.len().saturating_sub(1);
        self.selected = self.selected.saturating_add_signed(delta).min(last);
    }

    /// The name of the chosen lesson, for [`super::Command::Open`].
    pub fn selected(&self) -> &'static str {
        self.entries[self.selected].name
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

        let list = pane_block("Lessons", theme);
        let inner = list.inner(list_area);
        list.render(list_area, buf);
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
                let text = format!("{marker} {:<name_width$}  {}", entry.name, entry.title);
                if chosen { Line::styled(text, theme.asked()) } else { Line::raw(text) }
            })
            .collect();
        Paragraph::new(lines).render(inner, buf);

        let chosen = &picker.entries[picker.selected];
        let about = pane_block(&format!("About {}", chosen.name), theme);
        let paragraphs: Vec<Line> =
            chosen.about.iter().flat_map(|text| [Line::raw(text.as_str()), Line::raw("")]).collect();
        Paragraph::new(paragraphs).wrap(Wrap { trim: true }).block(about).render(about_area, buf);
    }
}
