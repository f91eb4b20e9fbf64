//! The gradients pane: every gradient the lesson asks, in the order it asks them, filled in as
//! the learner finds them (`?` until then). The one being asked is highlighted, as are those
//! the step starts from; the entries of a wrong last answer are marked `✗`.

use super::tiles::{self, Tile};
use super::{Emphasis, quantity_cells};
use crate::quantity::Quantity;
use crate::tui::theme::{Theme, UNKNOWN, WRONG};
use crate::tutor::Session;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::Widget;

pub struct GradientsPane<'a> {
    pub session: &'a Session,
    pub theme: Theme,
    /// Lines from one row of values to the next: 2 on a tall screen.
    pub stride: usize,
}

fn is_gradient(quantity: Quantity) -> bool {
    matches!(
        quantity,
        Quantity::DlDo
            | Quantity::DlDh(_)
            | Quantity::DlDwo
            | Quantity::DlDbo
            | Quantity::DlDw(_)
            | Quantity::DlDb(_)
    )
}

impl GradientsPane<'_> {
    /// The gradients the lesson asks, each once, in the order of its steps.
    fn quantities(&self) -> Vec<Quantity> {
        let mut quantities: Vec<Quantity> = Vec::new();
        for ask in self.session.steps().iter().flat_map(|s| &s.asks) {
            if is_gradient(ask.quantity) && !quantities.contains(&ask.quantity) {
                quantities.push(ask.quantity);
            }
        }
        quantities
    }

    pub fn tiles(&self) -> Vec<Tile> {
        let session = self.session;
        let involvement = session.involvement();
        let step = session.step();
        let asked = |q: Quantity| match session.current_question() {
            Some(question) => question.quantity == q,
            None => step.asks.iter().any(|a| a.quantity == q),
        };
        self.quantities()
            .into_iter()
            .map(|quantity| {
                Emphasis::of(asked(quantity), involvement.reads(quantity)).tile(
                    &quantity.symbol(),
                    quantity_cells(session, quantity, self.theme),
                    self.theme,
                )
            })
            .collect()
    }
}

impl Widget for &GradientsPane<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let tiles = self.tiles();
        let any = |symbol: &str| {
            tiles.iter().flat_map(|t| t.rows.iter().flatten()).any(|c| c.text.ends_with(symbol))
        };
        let mut title = "Gradients".to_string();
        if any(UNKNOWN) {
            title.push_str(&format!(" · {UNKNOWN} still to find"));
        }
        if any(WRONG) {
            title.push_str(&format!(" · {WRONG} wrong in your last answer"));
        }
        let block = super::pane_block(&title, self.theme);
        let inner = block.inner(area);
        block.render(area, buf);
        tiles::render(&tiles, inner, self.stride, buf);
    }
}
