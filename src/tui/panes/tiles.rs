//! Values laid out as the notes write them: each quantity a tile with its name on top and its
//! entries below, vectors as columns and matrices as rows of columns, tiles side by side and
//! wrapping onto a new band when the pane is too narrow. The activations, gradients and
//! Jacobians panes are all made of tiles.

use crate::tui::theme::INVOLVED;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Span;

/// Between tiles on a band: as much as the width allows, up to this.
const MAX_TILE_GAP: usize = 4;
/// The gap when the tiles wrap onto several bands anyway.
const WRAPPED_TILE_GAP: usize = 2;
/// Between the columns of one matrix.
const COLUMN_GAP: usize = 1;

#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub text: String,
    pub style: Style,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Tile {
    pub header: Cell,
    /// Draw the `▸` marker in the gap before the header.
    pub marked: bool,
    /// Rows of entries: one column for a vector, one row of one entry for a scalar.
    pub rows: Vec<Vec<Cell>>,
    /// Draw matrix brackets (⎡ ⎤) around the entries.
    pub brackets: bool,
}

pub fn width(text: &str) -> usize {
    Span::raw(text).width()
}

impl Cell {
    pub fn new(text: impl Into<String>, style: Style) -> Cell {
        Cell { text: text.into(), style }
    }
}

impl Tile {
    fn column_widths(&self) -> Vec<usize> {
        let columns = self.rows.iter().map(Vec::len).max().unwrap_or(0);
        (0..columns)
            .map(|c| {
                self.rows.iter().filter_map(|row| row.get(c)).map(|cell| width(&cell.text)).max().unwrap_or(0)
            })
            .collect()
    }

    fn body_width(&self) -> usize {
        let widths = self.column_widths();
        let gaps = widths.len().saturating_sub(1) * COLUMN_GAP;
        widths.iter().sum::<usize>() + gaps + if self.brackets { 2 } else { 0 }
    }

    pub fn width(&self) -> usize {
        self.body_width().max(width(&self.header.text))
    }

    /// Draws the tile at (x, y), `rows` entry rows at most, `stride` lines apart; a cut tile
    /// ends in `⋮`.
    fn render(&self, x: u16, y: u16, rows: usize, stride: usize, clip: Rect, buf: &mut Buffer) {
        let right = clip.right();
        let put = |buf: &mut Buffer, x: u16, y: u16, text: &str, style: Style| {
            if x < right && y < clip.bottom() {
                buf.set_stringn(x, y, text, usize::from(right - x), style);
            }
        };
        put(buf, x, y, &self.header.text, self.header.style);
        if self.marked && x > 0 {
            put(buf, x - 1, y, INVOLVED, self.header.style);
        }
        let widths = self.column_widths();
        let cut = self.rows.len() > rows;
        let shown = if cut { rows.saturating_sub(1) } else { self.rows.len() };
        let left = x + u16::from(self.brackets);
        for (r, row) in self.rows.iter().take(shown).enumerate() {
            let y = y + (stride * (r + 1)) as u16;
            if self.brackets {
                let (open, close) = bracket(r, self.rows.len());
                put(buf, x, y, open, Style::new());
                put(buf, x + 1 + (self.body_width() - 2) as u16, y, close, Style::new());
            }
            let mut cx = left;
            for (cell, &w) in row.iter().zip(&widths) {
                // Right-aligned, so the decimal points and signs of a column line up.
                let pad = w - width(&cell.text);
                put(buf, cx + pad as u16, y, &cell.text, cell.style);
                cx += (w + COLUMN_GAP) as u16;
            }
        }
        if cut && rows > 0 {
            put(buf, left, y + (stride * rows) as u16, "⋮", Style::new());
        }
    }
}

/// The bracket pieces of row `r` of `n`.
fn bracket(r: usize, n: usize) -> (&'static str, &'static str) {
    match (r, n) {
        (_, 1) => ("[", "]"),
        (0, _) => ("⎡", "⎤"),
        (r, n) if r + 1 == n => ("⎣", "⎦"),
        _ => ("⎢", "⎥"),
    }
}

/// The gap between tiles at this width: the widest that keeps them on one band.
fn gap(tiles: &[Tile], width: usize) -> usize {
    (1..=MAX_TILE_GAP).rev().find(|&gap| band_width(tiles, gap) <= width).unwrap_or(WRAPPED_TILE_GAP)
}

fn band_width(tiles: &[Tile], gap: usize) -> usize {
    tiles.iter().map(Tile::width).sum::<usize>() + tiles.len().saturating_sub(1) * gap
}

/// The narrowest width that holds the tiles on one band.
pub fn one_band_width(tiles: &[Tile]) -> usize {
    band_width(tiles, 1)
}

/// How the tiles fall into bands at this width and gap: the index ranges of each band.
fn bands(tiles: &[Tile], width: usize, gap: usize) -> Vec<std::ops::Range<usize>> {
    let mut bands = Vec::new();
    let mut start = 0;
    let mut used = 0;
    for (i, tile) in tiles.iter().enumerate() {
        let needed = if i == start { tile.width() } else { used + gap + tile.width() };
        if i > start && needed > width {
            bands.push(start..i);
            start = i;
            used = tile.width();
        } else {
            used = needed;
        }
    }
    if start < tiles.len() {
        bands.push(start..tiles.len());
    }
    bands
}

fn band_height(tiles: &[Tile], stride: usize) -> usize {
    1 + stride * tiles.iter().map(|t| t.rows.len()).max().unwrap_or(0)
}

/// The rows the tiles need at this width, their rows `stride` lines apart (2 spreads them out
/// on a tall screen), bands separated by a blank row.
pub fn height(tiles: &[Tile], width: usize, stride: usize) -> usize {
    let bands = bands(tiles, width, gap(tiles, width));
    bands.iter().map(|b| band_height(&tiles[b.clone()], stride)).sum::<usize>()
        + bands.len().saturating_sub(1)
}

/// Whether the tiles fit whole in `columns` × `rows`: no tile cut at the side or the bottom.
pub fn fits(tiles: &[Tile], columns: usize, rows: usize, stride: usize) -> bool {
    tiles.iter().all(|t| t.width() <= columns) && height(tiles, columns, stride) <= rows
}

/// Draws the tiles in `area`, band after band; a band that does not fit whole is cut short.
pub fn render(tiles: &[Tile], area: Rect, stride: usize, buf: &mut Buffer) {
    let width = usize::from(area.width);
    let gap = gap(tiles, width);
    let mut y = area.y;
    for band in bands(tiles, width, gap) {
        if y >= area.bottom() {
            break;
        }
        let rows = usize::from(area.bottom() - y).saturating_sub(1) / stride;
        let mut x = area.x;
        for tile in &tiles[band.clone()] {
            if x >= area.right() {
                break;
            }
            tile.render(x, y, rows, stride, area, buf);
            x = x.saturating_add((tile.width() + gap) as u16);
        }
        y = y.saturating_add(band_height(&tiles[band], stride) as u16 + 1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tile(name: &str, rows: &[&[&str]]) -> Tile {
        Tile {
            header: Cell::new(name, Style::new()),
            marked: false,
            rows: rows.iter().map(|r| r.iter().map(|t| Cell::new(*t, Style::new())).collect()).collect(),
            brackets: false,
        }
    }

    #[test]
    fn tiles_wrap_onto_bands() {
        let tiles =
            vec![tile("x", &[&["1"], &["2"]]), tile("W(1)", &[&["1", "−0.5"]]), tile("L", &[&["0.417"]])];
        assert_eq!(one_band_width(&tiles), 1 + 1 + 6 + 1 + 5);
        assert_eq!(height(&tiles, 80, 1), 3);
        assert_eq!(height(&tiles, 80, 2), 5);
        assert_eq!(gap(&tiles, 80), MAX_TILE_GAP);
        // x and W(1) on one band (3 rows), L on the next (2 rows), a blank row between.
        assert_eq!(height(&tiles, 12, 1), 6);
    }
}
