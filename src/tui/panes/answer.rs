//! The answer pane: the one-line answer box with what the last answer earned — the verdict, the
//! message and diagnosis, a caret under the spot an invalid answer cannot be read — or, on a
//! step that is done (and in a walkthrough), the step's answers.

use super::tiles::width;
use super::{pane_block, wrap};
use crate::answer::Verdict;
use crate::quantity::QuantityRef;
use crate::report::format_value;
use crate::tui::keymap::{Action, key_for};
use crate::tui::lesson::{Focus, LessonScreen};
use crate::tui::theme::Theme;
use crate::tutor::{Feedback, HINT_STAGES, Mode, Note, Session, Status};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

pub struct AnswerPane<'a> {
    pub session: &'a Session,
    /// The answer box and the focus.
    pub screen: &'a LessonScreen,
    pub theme: Theme,
}

/// Why an action did nothing, with the keys that do something instead.
pub fn note_text(note: Note) -> String {
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
    }
}

/// `∂L/∂o` for a whole quantity, `∂L/∂w2,1(o)` for one entry.
fn symbol(question: &QuantityRef) -> String {
    if question.index.is_empty() {
        question.quantity.symbol()
    } else {
        question.quantity.entry_symbol(&question.index)
    }
}

fn plural(n: u32, one: &str) -> String {
    if n == 1 { format!("1 {one}") } else { format!("{n} {one}s") }
}

impl AnswerPane<'_> {
    /// The rows the pane's text needs below its title, `columns` wide.
    pub fn rows(&self, columns: usize) -> usize {
        match self.session.current_question() {
            Some(question) => 1 + self.below_box(question, columns).len(),
            None => self.lines(columns).len(),
        }
    }

    fn title(&self) -> String {
        let session = self.session;
        match session.current_question() {
            Some(question) => {
                let record = session.question(question);
                let shape = session.solution().value_of(question).map(|v| v.shape());
                let mut title = format!("Answer {} ({question})", symbol(question));
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
                Mode::Walkthrough => "Answer".into(),
                Mode::Practice => format!("Answers of Step {}", session.step().id),
            },
        }
    }

    /// The value the learner is credited with: their own answer when carried, else the truth.
    fn credited_value(&self, question: &QuantityRef) -> String {
        let session = self.session;
        let own = || session.answer_value(question).cloned();
        let value = match session.status(question) {
            Status::Carried => own(),
            _ => None,
        }
        .or_else(|| session.solution().value_of(question));
        value.map_or_else(String::new, |v| format_value(&v))
    }

    /// The feedback on the learner's last action, as styled lines.
    fn feedback_lines(&self, columns: usize) -> Vec<Line<'static>> {
        let session = self.session;
        let theme = self.theme;
        let styled = |text: String, style: Style| -> Vec<Line<'static>> {
            wrap(&text, columns).into_iter().map(|l| Line::styled(l, style)).collect()
        };
        match session.feedback() {
            None => vec![],
            Some(Feedback::Note(note)) => styled(note_text(*note), theme.muted()),
            // With the step done its answers are listed below; otherwise show the one revealed.
            Some(Feedback::Revealed(_)) if session.current_question().is_none() => {
                let next = key_for(Action::NextStep);
                styled(format!("◌ Revealed: the derivation is above; {next} goes on."), theme.note())
            }
            Some(Feedback::Revealed(question)) => styled(
                format!("◌ revealed: {} = {}", symbol(question), self.credited_value(question)),
                theme.note(),
            ),
            Some(Feedback::Graded { question, grade, .. }) => match grade.verdict {
                Verdict::Correct => {
                    let moved = !session.step().asks.contains(question);
                    let next =
                        if moved { format!(" Now Step {}.", session.step().id) } else { String::new() };
                    let attempts = plural(session.question(question).attempts, "attempt");
                    styled(
                        format!("✓ correct: {} is solved ({attempts}).{next}", symbol(question)),
                        theme.right(),
                    )
                }
                Verdict::Carried => styled(format!("≈ carried, credited: {}", grade.message), theme.note()),
                Verdict::Incorrect => styled(format!("✗ incorrect: {}", grade.message), theme.wrong()),
                Verdict::Invalid => {
                    let error = grade.error.as_ref();
                    let message = error.map_or(grade.message.as_str(), |e| e.message.as_str());
                    styled(format!("✗ invalid (not counted as an attempt): {message}"), theme.wrong())
                }
                Verdict::Missing => {
                    styled(format!("Type an answer, then press {}.", key_for(Action::Submit)), theme.muted())
                }
            },
        }
    }

    /// On a step with no question left (practice) or in a walkthrough: the step's answers.
    fn lines(&self, columns: usize) -> Vec<Line<'static>> {
        let session = self.session;
        let theme = self.theme;
        let mut lines = self.feedback_lines(columns);
        for question in &session.step().asks {
            let record = session.question(question);
            let (mark, note, style) = match (session.mode(), session.status(question)) {
                (Mode::Walkthrough, _) => ("⇒", String::new(), Style::new()),
                (_, Status::Solved) => {
                    ("✓", format!(" · solved, {}", plural(record.attempts, "attempt")), theme.right())
                }
                (_, Status::Carried) => {
                    ("≈", " · carried from an earlier answer, credited".into(), theme.note())
                }
                (_, Status::Revealed) => ("◌", " · revealed".into(), theme.note()),
                (_, Status::Open) => continue,
            };
            let text = format!("{mark} {} = {}{note}", symbol(question), self.credited_value(question));
            lines.extend(wrap(&text, columns).into_iter().map(|l| Line::styled(l, style)));
        }
        if session.mode() == Mode::Practice && session.is_complete() {
            let count = |status: Status| {
                session.steps().iter().flat_map(|s| &s.asks).filter(|q| session.status(q) == status).count()
            };
            let summary = format!(
                "Lesson complete: {} solved, {} carried, {} revealed. {}/{} review the steps.",
                count(Status::Solved),
                count(Status::Carried),
                count(Status::Revealed),
                key_for(Action::PreviousStep),
                key_for(Action::NextStep)
            );
            lines.extend(wrap(&summary, columns).into_iter().map(|l| Line::styled(l, theme.right())));
        }
        lines
    }

    /// Where the box's text starts (after the `∂L/∂o = ` prompt) and how far it is scrolled
    /// to keep the cursor in view, for `columns` of width.
    fn geometry(&self, question: &QuantityRef, columns: usize) -> (usize, usize) {
        let prompt = width(&format!("{} = ", symbol(question))).min(columns);
        // One column kept for the cursor after the last character.
        let scroll = self.screen.input().visual_scroll((columns - prompt).saturating_sub(1));
        (prompt, scroll)
    }

    /// The caret under the character an invalid answer cannot be read at, while the box still
    /// holds that answer.
    fn caret(&self, question: &QuantityRef, columns: usize) -> Option<Line<'static>> {
        let session = self.session;
        let Some(Feedback::Graded { grade, submitted, .. }) = session.feedback() else {
            return None;
        };
        let error = grade.error.as_ref().filter(|_| submitted == self.screen.input().value())?;
        let (start, scroll) = self.geometry(question, columns);
        let before: String = submitted.chars().take(error.column).collect();
        let offset = start + width(&before).checked_sub(scroll)?;
        (offset < columns)
            .then(|| Line::from(vec![Span::raw(" ".repeat(offset)), Span::styled("^", self.theme.wrong())]))
    }

    /// Below the answer box: the caret, then the feedback.
    fn below_box(&self, question: &QuantityRef, columns: usize) -> Vec<Line<'static>> {
        self.caret(question, columns).into_iter().chain(self.feedback_lines(columns)).collect()
    }

    /// The answer box on one row: the prompt, the text scrolled to keep the cursor in view, and
    /// the cursor drawn as a reversed cell when the box has the focus.
    fn render_input(&self, question: &QuantityRef, area: Rect, buf: &mut Buffer) {
        let focused = self.screen.focus() == Focus::AnswerBox;
        let columns = usize::from(area.width);
        let (start, scroll) = self.geometry(question, columns);
        buf.set_stringn(area.x, area.y, format!("{} = ", symbol(question)), columns, Style::new());
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
            buf.set_stringn(x, area.y, &visible, room, Style::new());
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
        let block = pane_block(&self.title(), self.theme);
        let inner = block.inner(area);
        block.render(area, buf);
        if inner.height == 0 {
            return;
        }
        let columns = usize::from(inner.width);
        let Some(question) = self.session.current_question() else {
            Paragraph::new(self.lines(columns)).render(inner, buf);
            return;
        };
        self.render_input(question, inner, buf);
        let below = Rect { y: inner.y + 1, height: inner.height - 1, ..inner };
        Paragraph::new(self.below_box(question, columns)).render(below, buf);
    }
}
