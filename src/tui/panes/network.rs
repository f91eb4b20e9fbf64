//! The network pane: the layers as columns of units, the weights between them, and the part
//! the step works on highlighted, as in the notes' Figures 3–7. A closed ReLU unit is drawn
//! `⊘` rather than `●`. With room, each unit also shows its value.

use super::tiles::width;
use super::{Emphasis, quantity_cells};
use crate::network::Activation;
use crate::quantity::Quantity;
use crate::tui::theme::{CLOSED_GATE, INVOLVED, Theme, UNIT};
use crate::tutor::Session;
use crate::tutor::involvement::{Involvement, Layer, Part};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::widgets::Widget;

/// Between columns.
const GAP: usize = 1;

pub struct NetworkPane<'a> {
    pub session: &'a Session,
    pub theme: Theme,
    /// Lines from one row of units to the next: 2 on a tall screen.
    pub stride: usize,
}

/// One column of the diagram: a layer's units, or the links into the next layer.
struct Column {
    header: String,
    style: Style,
    /// Draw the `▸` marker in the gap before the header.
    marked: bool,
    /// One text per row.
    cells: Vec<String>,
    /// The cells when values are shown (units only; links stay the same).
    valued: Vec<String>,
    /// Whether this is the part the step asks for (the diagram is cut around it when narrow).
    asked: bool,
}

impl NetworkPane<'_> {
    /// Rows of units: the largest layer.
    pub fn rows(&self) -> usize {
        let network = self.session.lesson().network();
        (0..=network.depth()).map(|l| network.units(l)).chain([network.outputs()]).max().unwrap_or(1)
    }

    /// The width the diagram needs with every unit's value shown.
    pub fn width_with_values(&self) -> usize {
        total_width(&self.columns(&self.session.involvement()), true)
    }

    /// Whether the network has a closed ReLU gate, for the title's legend.
    pub fn has_closed_gate(&self) -> bool {
        let network = self.session.lesson().network();
        (1..=network.depth()).any(|l| self.closed(l).iter().any(|&c| c))
    }

    fn closed(&self, l: usize) -> Vec<bool> {
        let relu = self.session.lesson().network().layer(l).activation() == Activation::Relu;
        self.session.solution().gates[l - 1].iter().map(|&g| relu && g == 0.0).collect()
    }

    fn columns(&self, involvement: &Involvement) -> Vec<Column> {
        let session = self.session;
        let network = session.lesson().network();
        let theme = self.theme;
        let emphasis = |part: Part| Emphasis::of(involvement.asked == part, involvement.used.contains(&part));
        let style = |part: Part| emphasis(part).style(theme);
        let units = |layer: Layer, name: &str, quantity: Quantity, closed: Vec<bool>| {
            let values = quantity_cells(session, quantity, theme);
            let glyph = |i: usize| if closed.get(i).copied().unwrap_or(false) { CLOSED_GATE } else { UNIT };
            let part = Part::Units(layer);
            Column {
                header: name.to_string(),
                style: style(part),
                marked: emphasis(part).marked(),
                cells: (0..values.len()).map(|i| glyph(i).to_string()).collect(),
                valued: values
                    .iter()
                    .enumerate()
                    .map(|(i, row)| format!("{} {}", glyph(i), row[0].text))
                    .collect(),
                asked: involvement.asked == part,
            }
        };
        let link = |into: Layer, name: &str, rows: usize, weights: bool| {
            let art: Vec<String> = (0..rows)
                .map(|r| {
                    let joint = match (r, rows) {
                        (_, 1) => "─",
                        (0, _) => "┬",
                        (r, n) if r + 1 == n => "┴",
                        _ => "┼",
                    };
                    if weights { format!("─{joint}─▶") } else { format!("{joint}▶") }
                })
                .collect();
            let part = if weights { Part::Weights(into) } else { Part::Units(into) };
            Column {
                header: name.to_string(),
                style: if weights { style(part) } else { Style::new() },
                marked: weights && emphasis(part).marked(),
                cells: art.clone(),
                valued: art,
                asked: weights && involvement.asked == part,
            }
        };
        let k = network.depth();
        let mut columns = vec![units(Layer::Input, "x", Quantity::X, vec![])];
        for l in 1..=k {
            let rows = network.units(l - 1).max(network.units(l));
            columns.push(link(Layer::Hidden(l), &format!("W({l})"), rows, true));
            columns.push(units(Layer::Hidden(l), &format!("h({l})"), Quantity::H(l), self.closed(l)));
        }
        columns.push(link(Layer::Output, "W(o)", network.units(k).max(network.outputs()), true));
        columns.push(units(Layer::Output, "o", Quantity::O, vec![]));
        if network.is_softmax() {
            columns.push(link(Layer::Softmax, "", network.outputs(), false));
            columns.push(units(Layer::Softmax, "ô", Quantity::OHat, vec![]));
        }
        columns.push(link(Layer::Loss, "", network.outputs(), false));
        columns.push(units(Layer::Loss, "L", Quantity::Loss, vec![]));
        columns
    }
}

fn column_width(column: &Column, valued: bool) -> usize {
    let cells = if valued { &column.valued } else { &column.cells };
    cells.iter().map(|c| width(c)).chain([width(&column.header)]).max().unwrap_or(0)
}

fn total_width(columns: &[Column], valued: bool) -> usize {
    columns.iter().map(|c| column_width(c, valued)).sum::<usize>() + columns.len().saturating_sub(1) * GAP
}

/// The columns that fit in `room`, grown outwards from the asked one, so the part of the
/// network the step is about stays in view on a narrow screen.
fn window(columns: &[Column], room: usize) -> std::ops::Range<usize> {
    let centre = columns.iter().position(|c| c.asked).unwrap_or(0);
    let fits = |range: &std::ops::Range<usize>| {
        // Room for an ellipsis column at each cut side.
        let cuts = usize::from(range.start > 0) + usize::from(range.end < columns.len());
        total_width(&columns[range.clone()], false) + cuts * (1 + GAP) <= room
    };
    let mut range = centre..centre + 1;
    loop {
        let right = (range.end < columns.len()).then(|| range.start..range.end + 1).filter(&fits);
        let left = (range.start > 0).then(|| range.start - 1..range.end).filter(&fits);
        match right.or(left) {
            Some(wider) => range = wider,
            None => return range,
        }
    }
}

impl Widget for &NetworkPane<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let legend = if self.has_closed_gate() {
            format!("Network · {CLOSED_GATE} closed ReLU gate")
        } else {
            "Network".into()
        };
        let block = super::pane_block(&legend, self.theme);
        let inner = block.inner(area);
        block.render(area, buf);

        let columns = self.columns(&self.session.involvement());
        let room = usize::from(inner.width);
        let valued = total_width(&columns, true) <= room;
        let range = if valued || total_width(&columns, false) <= room {
            0..columns.len()
        } else {
            window(&columns, room)
        };
        let mut x = inner.x;
        let put = |buf: &mut Buffer, x: u16, y: u16, text: &str, style: Style| {
            if x < inner.right() && y < inner.bottom() {
                buf.set_stringn(x, y, text, usize::from(inner.right() - x), style);
            }
        };
        if range.start > 0 {
            put(buf, x, inner.y + self.stride as u16, "…", Style::new());
            x += (1 + GAP) as u16;
        }
        for column in &columns[range.clone()] {
            put(buf, x, inner.y, &column.header, column.style);
            if column.marked {
                put(buf, x - 1, inner.y, INVOLVED, column.style);
            }
            let cells = if valued { &column.valued } else { &column.cells };
            for (r, cell) in cells.iter().enumerate() {
                let y = inner.y + (self.stride * (r + 1)) as u16;
                put(buf, x, y, cell, column.style);
                // Links join across the spread-out rows.
                if self.stride > 1 && r + 1 < cells.len() && cell.contains('▶') {
                    let through = cell.replace(['┬', '┼'], "│").replace(['─', '▶'], " ");
                    put(buf, x, y + 1, through.trim_end(), column.style);
                }
            }
            x = x.saturating_add((column_width(column, valued) + GAP) as u16);
        }
        if range.end < columns.len() {
            put(buf, x, inner.y + self.stride as u16, "…", Style::new());
        }
    }
}
