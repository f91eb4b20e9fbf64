//! The gradients pane: every gradient the lesson asks, in the order it asks them, filled in as
//! the learner finds them (`?` until then). The one being asked is highlighted, as are those
//! the step starts from; the entries of a wrong last answer are marked `✗`.

use super::tiles::{self, Spacing, Tile};
use super::{ContextPane, Emphasis, quantity_cells};
use crate::quantity::Quantity;
use crate::tui::lesson::{LessonScreen, PaneId};
use crate::tui::theme::{Theme, UNKNOWN, WRONG};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::Widget;
use std::cell::OnceCell;

pub struct GradientsPane<'a> {
    screen: &'a LessonScreen,
    theme: Theme,
    /// Built once a frame, however often the layout asks.
    tiles: OnceCell<Vec<Tile>>,
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

impl<'a> GradientsPane<'a> {
    pub fn new(screen: &'a LessonScreen, theme: Theme) -> Self {
        GradientsPane { screen, theme, tiles: OnceCell::new() }
    }

    /// The gradients the lesson asks, each once, in the order of its steps.
    fn quantities(&self) -> Vec<Quantity> {
        let mut quantities: Vec<Quantity> = Vec::new();
        for ask in self.screen.session().steps().iter().flat_map(|s| &s.asks) {
            if is_gradient(ask.quantity) && !quantities.contains(&ask.quantity) {
                quantities.push(ask.quantity);
            }
        }
        quantities
    }

    pub fn tiles(&self) -> &[Tile] {
        self.tiles.get_or_init(|| self.build_tiles())
    }

    fn build_tiles(&self) -> Vec<Tile> {
        let session = self.screen.session();
        let involvement = session.involvement();
        let asked: Vec<Quantity> = session.shown_asks().iter().map(|q| q.quantity).collect();
        self.quantities()
            .into_iter()
            .map(|quantity| {
                Emphasis::of(asked.contains(&quantity), involvement.reads(quantity)).tile(
                    &quantity.symbol(),
                    quantity_cells(session, quantity, self.theme),
                    self.theme,
                )
            })
            .collect()
    }

    /// Whether the lesson asks any gradient (else the pane takes no room at all).
    pub fn is_empty(&self) -> bool {
        self.quantities().is_empty()
    }

    /// The rows the pane needs at `width`, its title included; none for a lesson that asks no
    /// gradient.
    pub fn wanted_rows(&self, width: u16) -> u16 {
        let tiles = self.tiles();
        if tiles.is_empty() {
            return 0;
        }
        1 + tiles::height(tiles, usize::from(width.saturating_sub(1)), Spacing::NORMAL) as u16
    }
}

impl Widget for &GradientsPane<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        // Folded, the pane is its title: no values to lay out.
        let tiles = if area.height > 1 { self.tiles() } else { &[] };
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
        let height = tiles::height(tiles, usize::from(area.width.saturating_sub(1)), Spacing::NORMAL);
        ContextPane { screen: self.screen, pane: PaneId::Gradients, title: &title, theme: self.theme }.draw(
            area,
            buf,
            height,
            |area, buf| tiles::render(tiles, area, Spacing::NORMAL, buf),
        );
    }
}
