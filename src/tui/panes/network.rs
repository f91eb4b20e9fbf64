//! The network pane: the layers as columns of units, the weights between them, and the part
//! the step works on highlighted, as in the notes' Figures 3–7. A closed ReLU unit is drawn
//! `⊘` rather than `●`. With room, each unit also shows its value. The weights show as edges,
//! or (`w`) as the matrices themselves, row i of W(l) beside unit i of layer l: the weights
//! into that unit.

use super::tiles::width;
use super::{ContextPane, Emphasis, quantity_cells};
use crate::network::Activation;
use crate::plan::display::{integer_width, number};
use crate::quantity::Quantity;
use crate::tui::lesson::{LessonScreen, PaneId};
use crate::tui::theme::{CLOSED_GATE, INVOLVED, Theme, UNIT};
use crate::tutor::involvement::{Involvement, Layer, Part};
use nalgebra::DMatrix;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::widgets::Widget;
use std::cell::OnceCell;

/// Between columns.
const GAP: usize = 1;

pub struct NetworkPane<'a> {
    screen: &'a LessonScreen,
    theme: Theme,
    /// Built once a frame, however often the layout asks.
    columns: OnceCell<Vec<Column>>,
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

/// The rows of a matrix as text, the decimal points of each column lined up.
fn matrix_rows(matrix: &DMatrix<f64>) -> Vec<String> {
    let texts: Vec<Vec<String>> =
        matrix.row_iter().map(|row| row.iter().map(|&x| number(x)).collect()).collect();
    let widths: Vec<(usize, usize)> = (0..matrix.ncols())
        .map(|c| {
            let column = || texts.iter().map(move |row| &row[c]);
            let before = column().map(|t| integer_width(t)).max().unwrap_or(0);
            let after = column().map(|t| width(t) - integer_width(t)).max().unwrap_or(0);
            (before, after)
        })
        .collect();
    texts
        .iter()
        .map(|row| {
            let cells: Vec<String> = row
                .iter()
                .zip(&widths)
                .map(|(text, &(before, after))| {
                    let left = before - integer_width(text);
                    let right = (before + after).saturating_sub(left + width(text));
                    format!("{}{text}{}", " ".repeat(left), " ".repeat(right))
                })
                .collect();
            format!("[{}]", cells.join(" "))
        })
        .collect()
}

impl<'a> NetworkPane<'a> {
    pub fn new(screen: &'a LessonScreen, theme: Theme) -> Self {
        NetworkPane { screen, theme, columns: OnceCell::new() }
    }

    fn columns(&self) -> &[Column] {
        self.columns.get_or_init(|| self.build_columns(&self.screen.session().involvement()))
    }

    /// Rows of units: the largest layer.
    pub fn rows(&self) -> usize {
        let network = self.screen.session().lesson().network();
        (0..=network.depth()).map(|l| network.units(l)).chain([network.outputs()]).max().unwrap_or(1)
    }

    /// The width the diagram needs with every unit's value shown.
    pub fn width_with_values(&self) -> usize {
        total_width(self.columns(), true)
    }

    /// The rows the pane needs, its title included.
    pub fn wanted_rows(&self) -> u16 {
        2 + self.rows() as u16
    }

    /// Whether the network has a closed ReLU gate, for the title's legend.
    pub fn has_closed_gate(&self) -> bool {
        let network = self.screen.session().lesson().network();
        (1..=network.depth()).any(|l| self.closed(l).iter().any(|&c| c))
    }

    fn closed(&self, l: usize) -> Vec<bool> {
        let session = self.screen.session();
        // A step of the whole dataset has no one example's gates to show.
        let relu = session.lesson().network().layer(l).activation() == Activation::Relu
            && !session.is_of_whole_dataset();
        session.solution().pass(session.step().example).gates[l - 1]
            .iter()
            .map(|&g| relu && g == 0.0)
            .collect()
    }

    fn build_columns(&self, involvement: &Involvement) -> Vec<Column> {
        let session = self.screen.session();
        let network = session.lesson().network();
        let theme = self.theme;
        let emphasis = |part: Part| Emphasis::of(involvement.asked == part, involvement.used.contains(&part));
        let style = |part: Part| emphasis(part).style(theme);
        let units = |layer: Layer, name: &str, quantity: Quantity, closed: Vec<bool>| {
            let (values, _) = quantity_cells(session, quantity, theme);
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
        let link = |into: Layer, name: &str, rows: usize, weights: Option<&DMatrix<f64>>| {
            let art: Vec<String> = match weights {
                Some(matrix) if self.screen.weight_matrices => {
                    matrix_rows(matrix).into_iter().map(|row| format!("{row}▶")).collect()
                }
                _ => (0..rows)
                    .map(|r| {
                        let joint = match (r, rows) {
                            (_, 1) => "─",
                            (0, _) => "┬",
                            (r, n) if r + 1 == n => "┴",
                            _ => "┼",
                        };
                        if weights.is_some() { format!("─{joint}─▶") } else { format!("{joint}▶") }
                    })
                    .collect(),
            };
            let part = if weights.is_some() { Part::Weights(into) } else { Part::Units(into) };
            Column {
                header: name.to_string(),
                style: if weights.is_some() { style(part) } else { Style::new() },
                marked: weights.is_some() && emphasis(part).marked(),
                cells: art.clone(),
                valued: art,
                asked: weights.is_some() && involvement.asked == part,
            }
        };
        let k = network.depth();
        let mut columns = vec![units(Layer::Input, "x", Quantity::X, vec![])];
        for l in 1..=k {
            let rows = network.units(l - 1).max(network.units(l));
            columns.push(link(Layer::Hidden(l), &format!("W({l})"), rows, Some(network.layer(l).weights())));
            columns.push(units(Layer::Hidden(l), &format!("h({l})"), Quantity::H(l), self.closed(l)));
        }
        let output = network.output().weights();
        columns.push(link(Layer::Output, "W(o)", network.units(k).max(network.outputs()), Some(output)));
        columns.push(units(Layer::Output, "o", Quantity::O, vec![]));
        if network.is_softmax() {
            columns.push(link(Layer::Softmax, "", network.outputs(), None));
            columns.push(units(Layer::Softmax, "ô", Quantity::OHat, vec![]));
        }
        columns.push(link(Layer::Loss, "", network.outputs(), None));
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
        // Folded, the pane is its title: no diagram to lay out.
        let columns = if area.height > 1 { self.columns() } else { &[] };
        let room = usize::from(area.width.saturating_sub(1));
        let valued = total_width(columns, true) <= room;
        let range = if valued || total_width(columns, false) <= room {
            0..columns.len()
        } else {
            window(columns, room)
        };
        let height = 1 + self.rows();
        ContextPane { screen: self.screen, pane: PaneId::Network, title: &legend, theme: self.theme }.draw(
            area,
            buf,
            height,
            |inner, buf| {
                let mut x = inner.x;
                let put = |buf: &mut Buffer, x: u16, y: u16, text: &str, style: Style| {
                    if x < inner.right() && y < inner.bottom() {
                        buf.set_stringn(x, y, text, usize::from(inner.right() - x), style);
                    }
                };
                // Layers cut at either side are marked where the first unit would be.
                if range.start > 0 {
                    put(buf, x, inner.y + 1, "…", Style::new());
                    x += (1 + GAP) as u16;
                }
                for column in &columns[range.clone()] {
                    put(buf, x, inner.y, &column.header, column.style);
                    if column.marked && x > inner.x {
                        put(buf, x - 1, inner.y, INVOLVED, column.style);
                    }
                    let cells = if valued { &column.valued } else { &column.cells };
                    for (r, cell) in cells.iter().enumerate() {
                        put(buf, x, inner.y + 1 + r as u16, cell, column.style);
                    }
                    x = x.saturating_add((column_width(column, valued) + GAP) as u16);
                }
                if range.end < columns.len() {
                    put(buf, x, inner.y + 1, "…", Style::new());
                }
            },
        );
    }
}
