//! The activations pane: x, z(l) and h(l) of every hidden layer, o, ô, the label y (or the
//! target t) and L, as column vectors side by side. What the step's formula reads is
//! highlighted; in a forward step, values still to find are `?`.

use super::tiles::{self, Cell, Tile};
use super::{Emphasis, quantity_cells};
use crate::network::Objective;
use crate::plan::format_number;
use crate::quantity::Quantity;
use crate::tui::theme::Theme;
use crate::tutor::Session;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::widgets::Widget;

pub struct ActivationsPane<'a> {
    pub session: &'a Session,
    pub theme: Theme,
    /// Lines from one row of values to the next: 2 on a tall screen.
    pub stride: usize,
}

impl ActivationsPane<'_> {
    pub fn tiles(&self) -> Vec<Tile> {
        let session = self.session;
        let network = session.lesson().network();
        let involvement = session.involvement();
        let asked = session.current_question().map(|q| q.quantity);
        let tile = |quantity: Quantity| {
            Emphasis::of(asked == Some(quantity), involvement.reads(quantity)).tile(
                &quantity.symbol(),
                quantity_cells(session, quantity, self.theme),
                self.theme,
            )
        };
        let mut tiles = vec![tile(Quantity::X)];
        for l in 1..=network.depth() {
            tiles.extend([tile(Quantity::Z(l)), tile(Quantity::H(l))]);
        }
        tiles.push(tile(Quantity::O));
        if network.is_softmax() {
            tiles.push(tile(Quantity::OHat));
        }
        // The label (or target) is no activation, but Step 1 needs it beside ô (or o).
        let (name, rows) = match network.objective() {
            Objective::SoftmaxCrossEntropy { label } => ("y", vec![label.to_string()]),
            Objective::Mse { target } => ("t", target.iter().map(|&t| format_number(t)).collect()),
        };
        let reads_target = involvement.reads_target();
        let rows = rows.into_iter().map(|text| vec![Cell::new(text, Style::new())]).collect();
        tiles.push(Emphasis::of(false, reads_target).tile(name, rows, self.theme));
        tiles.push(tile(Quantity::Loss));
        tiles
    }
}

impl Widget for &ActivationsPane<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let block = super::pane_block("Activations", self.theme);
        let inner = block.inner(area);
        block.render(area, buf);
        tiles::render(&self.tiles(), inner, self.stride, buf);
    }
}
