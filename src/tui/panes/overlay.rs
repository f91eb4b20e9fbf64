//! Windows over the screen: the frame they share (a bordered box, centred, that scrolls when
//! the terminal is short and whose titles are cut with `…`), the lesson's description, and the
//! question that an action which cannot be undone asks first.

use super::scroll::scrolled;
use super::tiles;
use super::{shorten, wrap};
use crate::diagnosis::DiagnosisId;
use crate::report::describe_network;
use crate::tui::keymap::{Action, key_for};
use crate::tui::lesson::Drawn;
use crate::tui::lesson::LessonScreen;
use crate::tui::theme::Theme;
use crate::tutor::Session;
use crate::tutor::course::{Variant, one_line};
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Block, Clear, Paragraph, Widget};

/// A bordered box of at most `width` columns, centred, titled `title` with `bottom` on its
/// lower border, its content scrolled by `scroll`.
pub(crate) struct Popup<'a> {
    pub title: &'a str,
    pub bottom: &'a str,
    pub theme: Theme,
    pub scroll: u16,
    pub width: u16,
}

impl Popup<'_> {
    /// Draws it in `area` holding `lines(inner width)`. Returns where its content is and how
    /// far it can scroll.
    pub(crate) fn draw(
        &self,
        area: Rect,
        buf: &mut Buffer,
        lines: impl Fn(usize) -> Vec<Line<'static>>,
    ) -> Drawn {
        let theme = self.theme;
        let width = self.width.min(area.width);
        let inner_width = usize::from(width.saturating_sub(2));
        let content = lines(inner_width);
        let height = (content.len() as u16 + 2).min(area.height);
        let popup = area.centered(Constraint::Length(width), Constraint::Length(height));
        Clear.render(popup, buf);
        let room = inner_width.saturating_sub(2);
        let block = Block::bordered()
            .title(Line::styled(format!(" {} ", shorten(self.title, room)), theme.pane_title()))
            .title_bottom(
                Line::styled(format!(" {} ", shorten(self.bottom, room)), theme.muted()).right_aligned(),
            );
        let inner = block.inner(popup);
        block.render(popup, buf);
        let height = content.len() as u16;
        let max_scroll = scrolled(inner, buf, height, (self.scroll, true), theme, |area, buf| {
            Paragraph::new(content).render(area, buf)
        });
        Drawn { area: inner, max_scroll }
    }
}

const WIDTH: u16 = 76;

/// `d`: the lesson's title, its description, its network, and how `n` makes a variant of it.
pub(crate) struct DescriptionOverlay<'a> {
    pub screen: &'a LessonScreen,
    pub theme: Theme,
    pub scroll: u16,
}

impl DescriptionOverlay<'_> {
    fn lines(&self, columns: usize) -> Vec<Line<'static>> {
        let lesson = self.screen.session().lesson();
        let theme = self.theme;
        let mut paragraphs: Vec<(String, Style)> = vec![(lesson.title().to_string(), theme.pane_title())];
        if let Some(description) = lesson.description() {
            paragraphs.push((one_line(description), Style::new()));
        }
        paragraphs.push((format!("Network: {}.", describe_network(lesson.network())), Style::new()));
        let next = self.screen.next_variant();
        let what = match next.expose.as_slice() {
            [] => "a new variant of this shape".to_string(),
            ids => format!("an exercise that makes your mistakes stand out ({})", names(ids)),
        };
        let key = key_for(Action::NewVariant);
        paragraphs.push((format!("{key}: {what}, as `{}` makes it.", next.command_line()), theme.muted()));
        paragraph_lines(paragraphs, columns)
    }

    /// Draws it; returns where its content is and how far it can scroll.
    pub(crate) fn draw(&self, area: Rect, buf: &mut Buffer) -> Drawn {
        let bottom =
            format!("{} or {} close", key_for(Action::CloseOverlay), key_for(Action::ToggleDescription));
        let popup = Popup {
            title: "About this lesson",
            bottom: &bottom,
            theme: self.theme,
            scroll: self.scroll,
            width: WIDTH,
        };
        popup.draw(area, buf, |columns| self.lines(columns))
    }
}

/// A variant just made (`n`): the command that makes the same exercise again, offline, and
/// the mistakes it was made to show clearly.
pub(crate) struct VariantOverlay<'a> {
    pub session: &'a Session,
    pub variant: &'a Variant,
    pub theme: Theme,
    pub scroll: u16,
}

impl VariantOverlay<'_> {
    fn lines(&self, columns: usize) -> Vec<Line<'static>> {
        let theme = self.theme;
        let mut paragraphs = vec![
            ("The same exercise, again or offline, is what this command makes:".to_string(), Style::new()),
            (self.variant.command_line(), theme.pane_title()),
        ];
        let mistakes = match self.variant.expose.as_slice() {
            [] => None,
            [_] => Some("this mistake gives a wrong answer of its own"),
            _ => Some("each of these mistakes gives a wrong answer of its own, told apart from the others"),
        };
        if let Some(mistakes) = mistakes {
            let ids = names(&self.variant.expose);
            paragraphs.push((format!("Its numbers are chosen so that {mistakes}: {ids}."), Style::new()));
        }
        let network = describe_network(self.session.lesson().network());
        paragraphs.push((format!("Network: {network}."), theme.muted()));
        paragraph_lines(paragraphs, columns)
    }

    /// Draws it; returns where its content is and how far it can scroll.
    pub(crate) fn draw(&self, area: Rect, buf: &mut Buffer) -> Drawn {
        let bottom = format!("{} close", key_for(Action::CloseOverlay));
        let title = match self.variant.expose.as_slice() {
            [] => "A new variant".to_string(),
            ids => format!("An exercise for {}", names(ids)),
        };
        // Wide enough for the command on one line, to copy it whole.
        let width = WIDTH.max(tiles::width(&self.variant.command_line()) as u16 + 2);
        let popup = Popup { title: &title, bottom: &bottom, theme: self.theme, scroll: self.scroll, width };
        popup.draw(area, buf, |columns| self.lines(columns))
    }
}

/// Diagnosis ids as the learner saw them named: `transposed, gate_missing`.
fn names(ids: &[DiagnosisId]) -> String {
    ids.iter().map(|id| id.name()).collect::<Vec<_>>().join(", ")
}

/// Paragraphs wrapped to `columns`, a blank line between them.
fn paragraph_lines(paragraphs: Vec<(String, Style)>, columns: usize) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    for (i, (text, style)) in paragraphs.into_iter().enumerate() {
        if i > 0 {
            lines.push(Line::raw(""));
        }
        lines.extend(wrap(&text, columns).into_iter().map(|l| Line::styled(l, style)));
    }
    lines
}

/// The question a reveal or a reset asks before it happens.
pub(crate) struct ConfirmPrompt<'a> {
    pub session: &'a Session,
    pub theme: Theme,
}

impl ConfirmPrompt<'_> {
    pub(crate) fn draw(&self, area: Rect, buf: &mut Buffer) {
        let Some(question) = self.session.pending_question() else { return };
        let keys = format!(
            "{} yes · {} no (so does any other key)",
            key_for(Action::Confirm),
            key_for(Action::Cancel)
        );
        let theme = self.theme;
        let popup = Popup { title: "Are you sure?", bottom: &keys, theme, scroll: 0, width: 60 };
        popup.draw(area, buf, |columns| {
            wrap(&question, columns).into_iter().map(|l| Line::styled(l, theme.warning())).collect()
        });
    }
}
