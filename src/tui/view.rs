//! The whole screen, `impl Widget for &App`, and the lesson layout:
//!
//! ```text
//! header: lesson · Step <id>: what it asks                   mode · progress
//! ┌ Network ─────────────────────┐┌ Activations ──────────────────────────┐
//! ┌ Gradients ────────────────────────────────────────────────────────────┐
//! ┌ Jacobians ──────────┐┌ Equations ─────────────────────────────────────┐
//! ┌ Answer ───────────────────────────────────────────────────────────────┐
//! keys
//! ```
//!
//! Bands are as tall as their content (the largest layer sets the first two); the equations
//! band takes the rest, so a taller terminal shows more of the derivation. Widths follow the
//! content too: the network and Jacobians panes take what they need, within bounds, and the
//! equations the rest.

use super::app::{App, Screen};
use super::lesson::LessonScreen;
use super::panes::activations::ActivationsPane;
use super::panes::answer::AnswerPane;
use super::panes::equations::EquationsPane;
use super::panes::gradients::GradientsPane;
use super::panes::header::Header;
use super::panes::help::HelpOverlay;
use super::panes::jacobians::JacobiansPane;
use super::panes::keybar::KeyBar;
use super::panes::network::NetworkPane;
use super::panes::tiles;
use super::panes::too_small::TooSmall;
use super::picker::PickerView;
use super::theme::Theme;
use crate::plan::step_title;
use crate::tutor::Mode;
use crate::tutor::Session;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::widgets::Widget;

/// The smallest terminal the tutor draws itself in; below it, a message asks for more room.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 20;

/// From this many rows of body, rows of values are spread out (see `tiles::height`).
const ROOMY_HEIGHT: u16 = 34;
/// The equations band never gets fewer rows than this (its title and four lines).
const MIN_EQUATIONS_ROWS: u16 = 5;
/// The Jacobians pane's narrowest width, enough for its "no Jacobian" note.
const MIN_JACOBIANS_WIDTH: u16 = 22;
/// What the equations pane keeps at least, beside the Jacobians.
const MIN_EQUATIONS_WIDTH: u16 = 36;

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
                    theme: self.theme,
                }
                .render(header, buf);
                PickerView { picker, theme: self.theme }.render(body, buf);
            }
            Screen::Lesson(screen) => {
                lesson_header(screen.session(), self.theme).render(header, buf);
                render_lesson(screen, self.theme, body, buf);
            }
        }
        KeyBar { context: self.context(), warning: self.warning.as_deref(), theme: self.theme }
            .render(keys, buf);
        if self.help {
            let lesson = matches!(self.screen, Screen::Lesson(_));
            HelpOverlay { lesson, practice: self.mode == Mode::Practice, theme: self.theme }
                .render(area, buf);
        }
    }
}

fn mode_name(mode: Mode) -> &'static str {
    match mode {
        Mode::Practice => "practice",
        Mode::Walkthrough => "walkthrough",
    }
}

fn lesson_header(session: &Session, theme: Theme) -> Header {
    let total = session.steps().len();
    let status = match session.mode() {
        Mode::Practice => format!("practice · {}/{total} steps done", session.steps_done()),
        Mode::Walkthrough => format!("walkthrough · step {} of {total}", session.step_index() + 1),
    };
    // "Step 3A (layer 3→2): ∂L/∂h(2)" splits into the step and what it asks.
    let title = step_title(session.lesson().network(), session.step());
    let (step, what) = title.split_once(": ").unwrap_or((&title, ""));
    Header {
        title: session.lesson().title().to_string(),
        step: step.into(),
        what: what.into(),
        status,
        theme,
    }
}

fn render_lesson(screen: &LessonScreen, theme: Theme, body: Rect, buf: &mut Buffer) {
    let session = screen.session();
    // A tall screen (a projector) spreads the rows of values out.
    let stride = if body.height >= ROOMY_HEIGHT { 2 } else { 1 };
    let network = NetworkPane { session, theme, stride };
    let activations = ActivationsPane { session, theme, stride };
    let gradients = GradientsPane { session, theme, stride };
    let jacobians = JacobiansPane { session, theme };
    let answer = AnswerPane { session, screen, theme };
    let width = body.width;

    // Heights: the answer pane, then the two value bands, then the equations take the rest.
    let needed = answer.rows(usize::from(width - 1)) as u16;
    let answer_rows = match session.current_question() {
        // The box and room for two lines of feedback (four on a tall terminal), more if needed.
        Some(_) if body.height >= ROOMY_HEIGHT => needed.clamp(5, 8),
        Some(_) => needed.clamp(3, 5),
        None => needed.clamp(1, 6),
    };
    let answer_height = 1 + answer_rows;
    let room = body.height.saturating_sub(answer_height + MIN_EQUATIONS_ROWS);
    let top_height = (1 + (1 + stride * network.rows()) as u16).min(room / 2);
    // Every pane has a column of margin.
    let gradients_height =
        (1 + tiles::height(&gradients.tiles(), usize::from(width - 1), stride) as u16).min(room - top_height);
    let [top, gradients_area, middle, answer_area] = Layout::vertical([
        Constraint::Length(top_height),
        Constraint::Length(gradients_height),
        Constraint::Fill(1),
        Constraint::Length(answer_height),
    ])
    .areas(body);

    // The activations need one band of columns; the network gets what is left, up to what it
    // needs to show every unit's value, and never less than two fifths.
    let activations_need = 1 + tiles::one_band_width(&activations.tiles()) as u16;
    let network_width = (1 + network.width_with_values() as u16)
        .min(width.saturating_sub(activations_need + 1))
        .max(width * 2 / 5);
    let [network_area, _, activations_area] =
        Layout::horizontal([Constraint::Length(network_width), Constraint::Length(1), Constraint::Fill(1)])
            .areas(top);

    let jacobians_width = jacobians_width(&jacobians, width, middle.height.saturating_sub(1));
    let [jacobians_area, _, equations_area] =
        Layout::horizontal([Constraint::Length(jacobians_width), Constraint::Length(1), Constraint::Fill(1)])
            .areas(middle);

    network.render(network_area, buf);
    activations.render(activations_area, buf);
    gradients.render(gradients_area, buf);
    jacobians.render(jacobians_area, buf);
    EquationsPane { session, theme }.render(equations_area, buf);
    answer.render(answer_area, buf);
}

/// The Jacobians pane's width: one band of tiles with what each Jacobian equals, if that fits
/// in two fifths of the screen; else the narrowest that holds them whole in the band's `rows`
/// (with their meanings if possible), so the equations beside them keep room for the derivation.
fn jacobians_width(jacobians: &JacobiansPane, width: u16, rows: u16) -> u16 {
    let widest = (width * 2 / 5).min(width.saturating_sub(MIN_EQUATIONS_WIDTH + 1)).max(MIN_JACOBIANS_WIDTH);
    let with_meaning = jacobians.tiles(true);
    // One column of margin.
    let one_band = 1 + tiles::one_band_width(&with_meaning) as u16;
    if one_band <= widest && tiles::height(&with_meaning, usize::from(one_band), 1) <= usize::from(rows) {
        return one_band.max(MIN_JACOBIANS_WIDTH);
    }
    let fits = |tiles: &[tiles::Tile], w: u16| tiles::fits(tiles, usize::from(w - 1), usize::from(rows), 1);
    [with_meaning, jacobians.tiles(false)]
        .iter()
        .find_map(|tiles| (MIN_JACOBIANS_WIDTH..=widest).find(|&w| fits(tiles, w)))
        .unwrap_or(widest)
}
