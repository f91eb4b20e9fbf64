//! The Jacobians pane: the Jacobians the step multiplies by, as matrices of this lesson's
//! numbers (W(o), diag(1[z > 0]), W(l), and their product in Step 3A).

use super::quantity_cells;
use super::tiles::{self, Cell, Tile};
use crate::network::Network;
use crate::plan::definition::definition;
use crate::quantity::Quantity;
use crate::tui::theme::Theme;
use crate::tutor::Session;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget, Wrap};

pub struct JacobiansPane<'a> {
    pub session: &'a Session,
    pub theme: Theme,
}

/// What a Jacobian equals, in the notes' terms: `∂z(2)/∂h(1) = W(2)`.
fn meaning(network: &Network, jacobian: Quantity) -> String {
    match definition(network, jacobian) {
        Some(formula) => format!("{} = {}", jacobian.symbol(), formula.to_text()),
        None => jacobian.symbol(),
    }
}

impl JacobiansPane<'_> {
    /// One tile per Jacobian, headed by its symbol and, `with_meaning`, what it equals.
    pub fn tiles(&self, with_meaning: bool) -> Vec<Tile> {
        let session = self.session;
        let network = session.lesson().network();
        session
            .step()
            .jacobians
            .iter()
            .map(|&jacobian| Tile {
                header: Cell::new(
                    if with_meaning { meaning(network, jacobian) } else { jacobian.symbol() },
                    Style::new(),
                ),
                marked: false,
                rows: quantity_cells(session, jacobian, self.theme),
                brackets: true,
            })
            .collect()
    }
}

impl Widget for &JacobiansPane<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let block = super::pane_block("Jacobians", self.theme);
        let inner = block.inner(area);
        block.render(area, buf);
        // What each Jacobian equals, unless that makes the tiles too tall for the pane.
        let full = self.tiles(true);
        let tiles = if tiles::fits(&full, usize::from(inner.width), usize::from(inner.height), 1) {
            full
        } else {
            self.tiles(false)
        };
        if tiles.is_empty() {
            Paragraph::new(Line::styled("This step multiplies by no Jacobian.", self.theme.muted()))
                .wrap(Wrap { trim: true })
                .render(inner, buf);
        } else {
            // Matrices stay packed: their brackets must join.
            tiles::render(&tiles, inner, 1, buf);
        }
    }
}
