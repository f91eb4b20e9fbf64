//! The whole screen, `impl Widget for &App`, and the lesson layout:
//!
//! ```text
//! header: lesson · Step <id>: what it asks                   mode · progress
//! ┌ Network ─────────────────────┐┌ Activations ──────────────────────────┐
//! ┌ Gradients ────────────────────────────────────────────────────────────┐
//! ┌ Step <id> · notes (…) ────────────────────────────────────────────────┐
//! ┌ Answer ───────────────────────────────────────────────────────────────┐
//! keys
//! ```
//!
//! Rows go first to the answer box and the step pane, which shows what the step needs (its
//! formula, the values it combines, its Jacobians, the asked quantity, the derivation): the
//! network, activations and gradients panes get what is left and fold to their title row when
//! nothing is. Long feedback on an answer comes before the step's extras (blank rows, the
//! derivation), and what still does not fit scrolls behind a marker. The pane with the focus (Tab) gets room first. The projector view (`p`) gives
//! the whole screen to the step.

use super::app::{App, Overlay, Screen};
use super::layout::{Want, allocate};
use super::lesson::{LessonScreen, PaneId};
use super::panes::activations::ActivationsPane;
use super::panes::answer::AnswerPane;
use super::panes::gradients::GradientsPane;
use super::panes::header::Header;
use super::panes::help::HelpOverlay;
use super::panes::keybar::KeyBar;
use super::panes::network::NetworkPane;
use super::panes::overlay::{ConfirmPrompt, DescriptionOverlay, VariantOverlay};
use super::panes::step::StepPane;
use super::panes::tiles;
use super::panes::too_small::TooSmall;
use super::picker::PickerView;
use super::theme::Theme;
use crate::plan::step_title;
use crate::tutor::{Mode, Session};
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::widgets::Widget;

/// The smallest terminal the tutor draws itself in; below it, a message asks for more room.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 20;

/// The rows the answer pane has before the step pane has its least; beyond them the feedback
/// takes rows from the step's extras, and past those it scrolls (Tab focuses it).
const ANSWER_ROWS_FIRST: u16 = 7;

impl Widget for &App {
    fn render(self, area: Rect, buf: &mut Buffer) {
        if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
            TooSmall { needed: (MIN_WIDTH, MIN_HEIGHT), theme: self.theme }.render(area, buf);
            return;
        }
        let [header, body, keys] =
            Layout::vertical([Constraint::Length(1), Constraint::Fill(1), Constraint::Length(1)]).areas(area);
        match &self.screen {
            Screen::Picker(picker) => {
                let mode = mode_name(self.mode);
                Header {
                    title: "backprop-tutor".into(),
                    step: "choose a lesson".into(),
                    what: String::new(),
                    status: format!("lessons open in {mode} mode"),
                    extra: None,
                    theme: self.theme,
                }
                .render(header, buf);
                PickerView { picker, theme: self.theme }.render(body, buf);
            }
            Screen::Lesson { lesson, .. } => {
                self.lesson_header(lesson.session()).render(header, buf);
                if lesson.projector {
                    StepPane::new(lesson, self.theme, true).render(body, buf);
                } else {
                    render_lesson(lesson, self.theme, body, buf);
                }
            }
        }
        KeyBar { context: self.context(), warning: self.warning.as_deref(), theme: self.theme }
            .render(keys, buf);
        let screen = match &self.screen {
            Screen::Lesson { lesson, .. } => Some(lesson.as_ref()),
            Screen::Picker(_) => None,
        };
        let session = screen.map(LessonScreen::session);
        match (&self.overlay, screen) {
            (Some(Overlay::Help), _) => {
                let practice = self.mode == Mode::Practice;
                let limit = &self.overlay_limit;
                let help = HelpOverlay {
                    lesson: session.is_some(),
                    practice,
                    theme: self.theme,
                    scroll: self.overlay_scroll,
                    limit,
                };
                help.render(area, buf);
            }
            (Some(Overlay::Description), Some(screen)) => {
                let description =
                    DescriptionOverlay { screen, theme: self.theme, scroll: self.overlay_scroll };
                self.overlay_limit.set(description.draw(area, buf));
            }
            (Some(Overlay::Variant(variant)), Some(screen)) => {
                let session = screen.session();
                let made =
                    VariantOverlay { session, variant, theme: self.theme, scroll: self.overlay_scroll };
                self.overlay_limit.set(made.draw(area, buf));
            }
            _ => {}
        }
        if let Some(session) = session {
            ConfirmPrompt { session, theme: self.theme }.draw(area, buf);
        }
    }
}

fn mode_name(mode: Mode) -> &'static str {
    match mode {
        Mode::Practice => "practice",
        Mode::Walkthrough => "walkthrough",
    }
}

impl App {
    fn lesson_header(&self, session: &Session) -> Header {
        let total = session.steps().len();
        let mut status = match session.mode() {
            Mode::Practice => format!("practice · {}/{total} steps done", session.steps_done()),
            Mode::Walkthrough => format!("walkthrough · step {} of {total}", session.step_index() + 1),
        };
        let (part, parts) = session.part();
        if parts > 1 {
            status.push_str(&format!(" · part {} of {parts}", part + 1));
        }
        if session.is_posed() {
            status.push_str(" · posed");
        }
        if let Some(notice) = &self.notice {
            status.push_str(&format!(" · {notice}"));
        }
        // "Step 3A (layer 3→2): ∂L/∂h(2)" splits into the step and what it asks.
        let title = step_title(session.lesson().network(), session.step());
        let (step, what) = title.split_once(": ").unwrap_or((&title, ""));
        let mut what = what.to_string();
        if parts > 1 {
            let shown: Vec<String> = session.shown_asks().iter().map(|q| q.symbol()).collect();
            what.push_str(&format!(" · {}", shown.join(", ")));
        }
        Header {
            title: session.lesson().title().to_string(),
            step: step.into(),
            what,
            status,
            extra: (session.mode() == Mode::Practice).then(|| session.score().to_string()),
            theme: self.theme,
        }
    }
}

/// The panes of a lesson in `body`, sharing its rows as the module documentation says.
fn render_lesson(screen: &LessonScreen, theme: Theme, body: Rect, buf: &mut Buffer) {
    let width = body.width;
    let network = NetworkPane::new(screen, theme);
    let activations = ActivationsPane::new(screen, theme);
    let gradients = GradientsPane::new(screen, theme);
    let step = StepPane::new(screen, theme, false);
    let answer = AnswerPane { screen, theme };

    let step_most = step.most_rows(width);
    let answer_most = answer.wanted_rows(width);
    // Focused, the answer pane gets every row it wants first.
    let answer_rows =
        if screen.pane() == PaneId::Answer { answer_most } else { answer_most.min(ANSWER_ROWS_FIRST) };
    // The least the step can do with is only worth working out when its most does not fit.
    let step_least =
        if answer_most + step_most + 2 > body.height { step.least_rows(width) } else { step_most };
    // The panes beside the step fold to their titles when the step takes every row but those:
    // then their values need not even be laid out to find what they would want.
    let folded =
        matches!(screen.pane(), PaneId::Step | PaneId::Answer) && answer_most + step_most + 2 >= body.height;
    let has_gradients = u16::from(!gradients.is_empty());
    let (network_width, top_most, gradients_most) = if folded {
        (width / 2, 1, has_gradients)
    } else {
        // The network takes the width it needs to show every unit's value, if the activations
        // keep one band of columns beside it, and never less than two fifths.
        let activations_need = 1 + tiles::one_band_width(activations.tiles()) as u16;
        let network_width = (1 + network.width_with_values() as u16)
            .min(width.saturating_sub(activations_need + 1))
            .max(width * 2 / 5);
        let activations_width = width.saturating_sub(network_width + 1);
        let top_most = network.wanted_rows().max(activations.wanted_rows(activations_width));
        (network_width, top_most, gradients.wanted_rows(width))
    };
    let wants = [
        Want { least: 1, most: top_most },
        Want { least: has_gradients, most: gradients_most },
        Want { least: step_least, most: step_most },
        Want { least: answer_rows, most: answer_most },
    ];
    let (top, grads, step_pane, answer_pane) = (0, 1, 2, 3);
    let priority = match screen.pane() {
        PaneId::Step | PaneId::Answer => [answer_pane, step_pane, top, grads],
        PaneId::Network | PaneId::Activations => [answer_pane, top, step_pane, grads],
        PaneId::Gradients => [answer_pane, grads, step_pane, top],
    };
    let rows = allocate(body.height, &wants, &priority, step_pane);
    let [top_area, gradients_area, step_area, answer_area] =
        Layout::vertical(rows.iter().map(|&r| Constraint::Length(r))).areas(body);

    let [network_area, _, activations_area] =
        Layout::horizontal([Constraint::Length(network_width), Constraint::Length(1), Constraint::Fill(1)])
            .areas(top_area);

    network.render(network_area, buf);
    activations.render(activations_area, buf);
    gradients.render(gradients_area, buf);
    step.render(step_area, buf);
    answer.render(answer_area, buf);
}
