//! The answer pane: the one-line answer box with what the last answer earned (the verdict, the
//! message and diagnosis, a caret under the spot an invalid answer cannot be read), or, on a
//! step that is done, how each of its questions was settled. A walkthrough has no box: the
//! pane is a line for notes, when there is one.

use super::preview::{preview_lines, prompt_lines};
use super::scroll::scrolled;
use super::tiles::width;
use super::{pane_frame, wrap};
use crate::answer::Verdict;
use crate::diagnosis::DiagnosisId;
use crate::quantity::QuantityRef;
use crate::tui::keymap::{Action, key_for};
use crate::tui::lesson::{Drawn, Focus, LessonScreen, PaneId};
use crate::tui::theme::Theme;
use crate::tutor::{Feedback, HINT_STAGES, Mode, Note, Preview, Session, Status};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

pub struct AnswerPane<'a> {
    /// The session, the answer box and the focus.
    pub screen: &'a LessonScreen,
    pub theme: Theme,
}

/// Why an action did nothing, with the keys that do something instead.
pub(crate) fn note_text(note: Note) -> String {
    match note {
        Note::FirstStep => "This is the first step.".into(),
        Note::LastStep => "This is the last step.".into(),
        Note::AnswerFirst => format!(
            "Answer this step first (or {} reveals it); then {} goes on.",
            key_for(Action::Reveal),
            key_for(Action::NextStep)
        ),
        Note::NoMoreHints => format!("No more hints: {} reveals the answer.", key_for(Action::Reveal)),
        Note::StepDone => format!("This step is done: {} goes on.", key_for(Action::NextStep)),
        Note::NothingToType => "The walkthrough shows every answer; nothing to type.".into(),
        Note::NoSuchStep => "No step has that number.".into(),
        Note::NothingToReset => "Nothing to reset: this step has no answer, hint or draft yet.".into(),
        Note::Reset => "This step starts afresh.".into(),
        Note::Cancelled => "Nothing was changed.".into(),
    }
}

fn plural(n: u32, one: &str) -> String {
    if n == 1 { format!("1 {one}") } else { format!("{n} {one}s") }
}

/// Text with `-` shown as the true minus sign `−`, as every number on the screen is: the answer
/// box keeps what was typed, and only its display changes (both are one column wide).
pub(crate) fn with_true_minus(text: &str) -> String {
    text.replace('-', "−")
}

impl AnswerPane<'_> {
    fn session(&self) -> &Session {
        self.screen.session()
    }

    /// The rows the pane needs at `width` (its title included); 0 for a walkthrough with
    /// nothing to say.
    pub fn wanted_rows(&self, width: u16) -> u16 {
        let columns = usize::from(width.saturating_sub(1));
        let rows = match self.session().current_question() {
            Some(question) => 2 + self.below_box(question, columns).len(),
            None => {
                let lines = self.lines(columns).len();
                if lines == 0 { 0 } else { 1 + lines }
            }
        };
        rows as u16
    }

    fn title(&self) -> String {
        let session = self.session();
        match session.current_question() {
            Some(question) => {
                let record = session.question(question);
                let shape = session.solution().value_of(question).map(|v| v.shape());
                let mut title = format!("Answer {} ({question})", question.symbol());
                if let Some(shape) = shape {
                    title.push_str(&format!(", {shape}"));
                }
                title.push_str(&format!(" · {}", plural(record.attempts, "attempt")));
                if record.hints > 0 {
                    title.push_str(&format!(" · hint {}/{HINT_STAGES}", record.hints));
                }
                title
            }
            None => match session.mode() {
                Mode::Walkthrough => "Note".into(),
                Mode::Practice => format!("Step {} done", session.step().id),
            },
        }
    }

    /// The feedback on the learner's last action, as styled lines.
    fn feedback_lines(&self, columns: usize) -> Vec<Line<'static>> {
        let session = self.session();
        let theme = self.theme;
        let styled = |text: String, style: Style| -> Vec<Line<'static>> {
            wrap(&text, columns).into_iter().map(|l| Line::styled(l, style)).collect()
        };
        match session.feedback() {
            None => vec![],
            Some(Feedback::Note(note)) => styled(note_text(*note), theme.muted()),
            Some(Feedback::Revealed(question)) => {
                let next = key_for(Action::NextStep);
                let text =
                    format!("◌ {} revealed: its derivation is above; {next} goes on.", question.symbol());
                styled(text, theme.note())
            }
            Some(Feedback::Graded { question, grade, .. }) => match grade.verdict {
                Verdict::Correct => {
                    let moved = !session.step().asks.contains(question);
                    let next =
                        if moved { format!(" Now Step {}.", session.step().id) } else { String::new() };
                    let attempts = plural(session.question(question).attempts, "attempt");
                    styled(
                        format!("✓ correct: {} is solved ({attempts}).{next}", question.symbol()),
                        theme.right(),
                    )
                }
                Verdict::Carried => styled(format!("≈ carried, credited: {}", grade.message), theme.note()),
                Verdict::Incorrect => {
                    let mut lines = styled(format!("✗ incorrect: {}", grade.message), theme.wrong());
                    if let Some(offer) = grade.diagnosis.as_ref().and_then(|d| self.remediation_offer(d.id)) {
                        lines.extend(styled(offer, theme.muted()));
                    }
                    lines
                }
                Verdict::Invalid => {
                    let error = grade.error.as_ref();
                    let message = error.map_or(&*grade.message, |e| e.message.as_str());
                    styled(format!("✗ invalid (not counted as an attempt): {message}"), theme.wrong())
                }
                Verdict::Missing => {
                    styled(format!("Type an answer, then press {}.", key_for(Action::Submit)), theme.muted())
                }
            },
        }
    }

    /// With no question open: the feedback, how each question of a done step was settled (the
    /// values are in the step pane), and at the end the lesson's summary with what comes next.
    fn lines(&self, columns: usize) -> Vec<Line<'static>> {
        let session = self.session();
        let theme = self.theme;
        let mut lines = self.feedback_lines(columns);
        if session.mode() == Mode::Walkthrough {
            return lines;
        }
        let mut settled = Vec::new();
        for question in &session.step().asks {
            let record = session.question(question);
            let text = match session.status(question) {
                Status::Solved => {
                    format!("✓ {} solved, {}", question.symbol(), plural(record.attempts, "attempt"))
                }
                Status::Carried => {
                    format!("≈ {} carried from an earlier answer, credited", question.symbol())
                }
                Status::Revealed => format!("◌ {} revealed", question.symbol()),
                Status::Open => continue,
            };
            settled.push(text);
        }
        if !settled.is_empty() && !matches!(session.feedback(), Some(Feedback::Revealed(_))) {
            lines.extend(
                wrap(&settled.join(" · "), columns).into_iter().map(|l| Line::styled(l, theme.right())),
            );
        }
        if session.is_complete() {
            let count = |status: Status| {
                session.steps().iter().flat_map(|s| &s.asks).filter(|q| session.status(q) == status).count()
            };
            let next = match self.screen.next_lesson() {
                Some(name) => format!("{}: on to '{name}'", key_for(Action::NextLesson)),
                None => format!("{}: a new variant of this lesson", key_for(Action::NextLesson)),
            };
            let summary = format!(
                "Lesson complete: {} solved, {} carried, {} revealed; {}. {next}; {}/{} review the steps.",
                count(Status::Solved),
                count(Status::Carried),
                count(Status::Revealed),
                session.score(),
                key_for(Action::PreviousStep),
                key_for(Action::NextStep)
            );
            lines.extend(wrap(&summary, columns).into_iter().map(|l| Line::styled(l, theme.right())));
        }
        lines
    }

    /// What `n` offers after a diagnosed mistake, if the variant it makes shows that mistake.
    fn remediation_offer(&self, id: DiagnosisId) -> Option<String> {
        let parts = id.parts().map_or(vec![id], |(a, b)| vec![a, b]);
        let next = self.screen.next_variant();
        parts.iter().any(|part| next.expose.contains(part)).then(|| {
            format!(
                "{}, then {}: an exercise in which this mistake stands out.",
                key_for(Action::LeaveInput),
                key_for(Action::NewVariant)
            )
        })
    }

    /// Where the box's text starts (after the `∂L/∂o = ` prompt) and how far it is scrolled
    /// to keep the cursor in view, for `columns` of width.
    fn geometry(&self, question: &QuantityRef, columns: usize) -> (usize, usize) {
        let prompt = width(&format!("{} = ", question.symbol())).min(columns);
        // One column kept for the cursor after the last character.
        let scroll = self.screen.input().visual_scroll((columns - prompt).saturating_sub(1));
        (prompt, scroll)
    }

    /// The caret under the character the box's text cannot be read at: that of the answer
    /// submitted while the box still holds it, else that of the text as typed so far.
    fn caret(
        &self,
        question: &QuantityRef,
        preview: Option<&Preview>,
        columns: usize,
    ) -> Option<Line<'static>> {
        let text = self.screen.input().value();
        let error = match (self.session().feedback(), preview) {
            (Some(Feedback::Graded { grade, submitted, .. }), _) => {
                grade.error.as_ref().filter(|_| submitted == text)?
            }
            (None, Some(Preview::Error(error))) => error,
            _ => return None,
        };
        let (start, scroll) = self.geometry(question, columns);
        let before: String = text.chars().take(error.column).collect();
        let offset = start + width(&before).checked_sub(scroll)?;
        (offset < columns)
            .then(|| Line::from(vec![Span::raw(" ".repeat(offset)), Span::styled("^", self.theme.wrong())]))
    }

    /// What a selected box means, for whoever cannot see the highlight (a screen reader, a
    /// text capture): the first note under the box, or whichever fits on the box's row after
    /// the whole text and the cursor.
    const SELECTION_NOTES: [&'static str; 2] =
        ["selected: typing replaces it; ← or End edits it", "typing replaces it; ← edits"];

    /// The selection note that fits on the box's row, if one does.
    fn note_beside_text(&self, question: &QuantityRef, columns: usize) -> Option<&'static str> {
        let (start, scroll) = self.geometry(question, columns);
        let text = width(self.screen.input().value());
        let room = columns.saturating_sub(start + text + 1 + 2);
        Self::SELECTION_NOTES.into_iter().find(|note| scroll == 0 && width(note) <= room)
    }

    /// Below the answer box: the caret, the feedback or else what the text typed reads as,
    /// then how to answer.
    fn below_box(&self, question: &QuantityRef, columns: usize) -> Vec<Line<'static>> {
        let read = self.screen.read_ahead();
        let preview = read.as_ref().and_then(|r| r.preview.as_ref());
        let mut lines: Vec<Line<'static>> = self.caret(question, preview, columns).into_iter().collect();
        if self.screen.selected() && self.note_beside_text(question, columns).is_none() {
            let note = wrap(Self::SELECTION_NOTES[0], columns);
            lines.extend(note.into_iter().map(|l| Line::styled(l, self.theme.muted())));
        }
        if self.session().feedback().is_some() {
            lines.extend(self.feedback_lines(columns));
        } else if let Some(preview) = preview {
            let expected = self.session().solution().value_of(question).map(|v| v.shape());
            lines.extend(preview_lines(preview, expected, columns, self.theme));
        }
        if let Some(prompt) = read.as_ref().and_then(|r| r.prompt.as_ref()) {
            lines.extend(prompt_lines(prompt, columns, self.theme));
        }
        lines
    }

    /// The answer box on one row: the prompt, the text scrolled to keep the cursor in view, and
    /// the cursor drawn as a reversed cell when the box has the focus.
    fn render_input(&self, question: &QuantityRef, area: Rect, buf: &mut Buffer) {
        let focused = self.screen.focus() == Focus::AnswerBox;
        let columns = usize::from(area.width);
        let (start, scroll) = self.geometry(question, columns);
        buf.set_stringn(area.x, area.y, format!("{} = ", question.symbol()), columns, Style::new());
        let x = area.x + start as u16;
        let room = columns - start;
        let input = self.screen.input();
        let mut skipped = 0;
        let visible: String = input
            .value()
            .chars()
            .skip_while(|c| {
                let skip = skipped < scroll;
                skipped += width(&c.to_string());
                skip
            })
            .collect();
        if input.value().is_empty() && !focused {
            let hint = format!("(type your answer; {} goes to the box)", key_for(Action::EnterInput));
            buf.set_stringn(x, area.y, hint, room, self.theme.muted());
        } else {
            let style = if self.screen.selected() { self.theme.selection() } else { Style::new() };
            let (end, _) = buf.set_stringn(x, area.y, with_true_minus(&visible), room, style);
            if let Some(note) = self.note_beside_text(question, columns).filter(|_| self.screen.selected()) {
                buf.set_string(end + 3, area.y, note, self.theme.muted());
            }
        }
        if focused {
            let at = x + (input.visual_cursor() - scroll) as u16;
            if at < area.right() {
                buf.set_style(Rect::new(at, area.y, 1, 1), self.theme.cursor());
            }
        }
    }
}

impl Widget for &AnswerPane<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        if area.height == 0 {
            return;
        }
        let focused = self.screen.pane() == PaneId::Answer;
        let inner = pane_frame(&self.title(), focused, self.theme, area, buf);
        if inner.height == 0 {
            self.screen.drawn(PaneId::Answer, Drawn::default());
            return;
        }
        let columns = usize::from(inner.width);
        let (text, lines) = match self.session().current_question() {
            Some(question) => {
                self.render_input(question, inner, buf);
                (
                    Rect { y: inner.y + 1, height: inner.height - 1, ..inner },
                    self.below_box(question, columns),
                )
            }
            None => (inner, self.lines(columns)),
        };
        // The box stays put; what it earned scrolls under it when it is longer than its rows.
        let scroll = (self.screen.scroll(PaneId::Answer), focused);
        let height = lines.len() as u16;
        let max_scroll = scrolled(text, buf, height, scroll, self.theme, |area, buf| {
            Paragraph::new(lines).render(area, buf)
        });
        self.screen.drawn(PaneId::Answer, Drawn { area, max_scroll });
    }
}
