//! The activations pane: x, z(l) and h(l) of every hidden layer, o, ô, the label y (or the
//! target t) and L, as column vectors side by side. What the step's formula reads is
//! highlighted; in a forward step, values still to find are `?`.

use super::tiles::{self, Cell, Spacing, Tile};
use super::{ContextPane, Emphasis, quantity_cells};
use crate::network::Objective;
use crate::plan::display::number;
use crate::quantity::Quantity;
use crate::tui::lesson::{LessonScreen, PaneId};
use crate::tui::theme::{NO_VALUE, Theme};
use crate::tutor::involvement::{Layer, Part};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::widgets::Widget;
use std::cell::OnceCell;

pub struct ActivationsPane<'a> {
    screen: &'a LessonScreen,
    theme: Theme,
    /// Built once a frame, however often the layout asks.
    tiles: OnceCell<Vec<Tile>>,
}

impl<'a> ActivationsPane<'a> {
    pub fn new(screen: &'a LessonScreen, theme: Theme) -> Self {
        ActivationsPane { screen, theme, tiles: OnceCell::new() }
    }

    /// The tiles that fit best at `width`: all of them if they take one band; else from the
    /// first one the step is about, after a `…` for those left out, so that what the step
    /// reads is not pushed onto a band out of view.
    fn shown_tiles(&self, width: usize) -> Vec<Tile> {
        let tiles = self.tiles();
        if tiles::one_band_width(tiles) <= width {
            return tiles.to_vec();
        }
        let session = self.screen.session();
        let involvement = session.involvement();
        let place = |quantity: Quantity| match quantity {
            Quantity::X => Part::Units(Layer::Input),
            Quantity::Z(l) | Quantity::H(l) => Part::Units(Layer::Hidden(l)),
            Quantity::O => Part::Units(Layer::Output),
            Quantity::OHat => Part::Units(Layer::Softmax),
            _ => Part::Units(Layer::Loss),
        };
        let first =
            self.quantities().iter().position(|&q| involvement.contains(place(q)) || involvement.reads(q));
        match first {
            Some(first) if first > 0 => {
                let cut = Tile::new(Cell::new("…", Style::new()), vec![]);
                std::iter::once(cut).chain(tiles.iter().skip(first).cloned()).collect()
            }
            _ => tiles.to_vec(),
        }
    }

    /// The activations in the pane's order, the label's place (before L) included as L's.
    fn quantities(&self) -> Vec<Quantity> {
        let network = self.screen.session().lesson().network();
        let mut quantities = vec![Quantity::X];
        for l in 1..=network.depth() {
            quantities.extend([Quantity::Z(l), Quantity::H(l)]);
        }
        quantities.push(Quantity::O);
        if network.is_softmax() {
            quantities.push(Quantity::OHat);
        }
        quantities.extend([Quantity::Loss, Quantity::Loss]);
        quantities
    }

    pub fn tiles(&self) -> &[Tile] {
        self.tiles.get_or_init(|| self.build_tiles())
    }

    fn build_tiles(&self) -> Vec<Tile> {
        let session = self.screen.session();
        let network = session.lesson().network();
        let involvement = session.involvement();
        let asked: Vec<Quantity> = session.shown_asks().iter().map(|q| q.quantity).collect();
        let tile = |quantity: Quantity| {
            Emphasis::of(asked.contains(&quantity), involvement.reads(quantity)).tile(
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
        // Of the step's example, as every value beside it.
        let pass = session.solution().pass(session.step().example).network();
        let (name, rows) = match pass.objective() {
            Objective::SoftmaxCrossEntropy { label } => ("y", vec![label.to_string()]),
            Objective::Mse { target } => ("t", target.iter().map(|&t| number(t)).collect()),
        };
        // A step of the whole dataset has no one example's label.
        let rows = rows
            .into_iter()
            .map(|text| match session.is_of_whole_dataset() {
                true => vec![Cell::new(NO_VALUE, self.theme.muted())],
                false => vec![Cell::new(text, Style::new())],
            })
            .collect();
        tiles.push(Emphasis::of(false, involvement.reads_target()).tile(name, (rows, (0, 0)), self.theme));
        tiles.push(tile(Quantity::Loss));
        tiles
    }

    /// The rows the pane needs at `width`, its title included.
    pub fn wanted_rows(&self, width: u16) -> u16 {
        let columns = usize::from(width.saturating_sub(1));
        1 + tiles::height(&self.shown_tiles(columns), columns, Spacing::NORMAL) as u16
    }
}

impl Widget for &ActivationsPane<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let columns = usize::from(area.width.saturating_sub(1));
        // Folded, the pane is its title: no values to lay out.
        let tiles = if area.height > 1 { self.shown_tiles(columns) } else { vec![] };
        let height = tiles::height(&tiles, columns, Spacing::NORMAL);
        ContextPane {
            screen: self.screen,
            pane: PaneId::Activations,
            title: "Activations",
            theme: self.theme,
        }
        .draw(area, buf, height, |area, buf| tiles::render(&tiles, area, Spacing::NORMAL, buf));
    }
}
