//! Values laid out as the notes write them: each quantity a tile with its name on top and its
//! entries below, vectors as columns (or, where rows are short, as one row) and matrices as
//! rows of columns, decimal points lined up; tiles side by side, wrapping onto a new band when
//! the pane is too narrow. Whatever does not fit is cut with a marker: `⋮` below a column cut
//! short, `⋯` after a row cut short.

use crate::plan::display::integer_width;
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
/// The most rows and columns of entries a tile is built with: a layer may have 1024 units, and
/// no screen shows more than this.
pub(crate) const MAX_ROWS: usize = 80;
pub(crate) const MAX_COLUMNS: usize = 40;

#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub text: String,
    pub style: Style,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Tile {
    /// The name, and under it what else it is (`= ∂z(2)/∂h(1)`).
    pub header: Vec<Cell>,
    /// Draw the `▸` marker in the gap before the header.
    pub marked: bool,
    /// Rows of entries: one column for a vector, one row of one entry for a scalar.
    pub rows: Vec<Vec<Cell>>,
    /// Draw matrix brackets (⎡ ⎤) around the entries.
    pub brackets: bool,
    /// Rows and columns of the quantity that were left out when the tile was built.
    pub more: (usize, usize),
    /// Start a new band with this tile rather than part it from the next one (W(1) before
    /// W(1)_new), where the two fit on one band.
    pub keep_with_next: bool,
}

/// How far apart rows of entries (`stride` lines) and bands of tiles (`bands` blank lines) are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Spacing {
    pub stride: usize,
    pub bands: usize,
}

impl Spacing {
    pub(crate) const NORMAL: Spacing = Spacing { stride: 1, bands: 1 };
    /// Where room is short: bands one under the other.
    pub(crate) const TIGHT: Spacing = Spacing { stride: 1, bands: 0 };
    /// The projector: rows of entries spread out.
    pub(crate) const ROOMY: Spacing = Spacing { stride: 2, bands: 1 };
}

pub(crate) fn width(text: &str) -> usize {
    Span::raw(text).width()
}

impl Cell {
    pub fn new(text: impl Into<String>, style: Style) -> Cell {
        Cell { text: text.into(), style }
    }
}

impl Tile {
    pub fn new(header: Cell, rows: Vec<Vec<Cell>>) -> Tile {
        Tile {
            header: vec![header],
            marked: false,
            rows,
            brackets: false,
            more: (0, 0),
            keep_with_next: false,
        }
    }

    /// The entries of a column vector as one row, the way it reads when rows are short.
    pub fn as_row(&self) -> Tile {
        if self.rows.len() < 2 || self.rows.iter().any(|r| r.len() != 1) {
            return self.clone();
        }
        let row = self.rows.iter().flatten().cloned().collect();
        let mut tile = Tile { rows: vec![row], more: (0, self.more.0), ..self.clone() };
        // A caption under the name goes beside it if the row is wide enough for both.
        if let [name, caption] = tile.header.as_slice() {
            let beside = format!("{} {}", name.text, caption.text);
            if width(&beside) <= tile.body_width() {
                tile.header = vec![Cell { text: beside, style: name.style }];
            }
        }
        tile
    }

    /// Per column: the width before the decimal point and the width from it on.
    fn column_widths(&self) -> Vec<(usize, usize)> {
        let columns = self.rows.iter().map(Vec::len).max().unwrap_or(0);
        (0..columns)
            .map(|c| {
                let cells = || self.rows.iter().filter_map(move |row| row.get(c));
                let before = cells().map(|cell| integer_width(&cell.text)).max().unwrap_or(0);
                let after =
                    cells().map(|cell| width(&cell.text) - integer_width(&cell.text)).max().unwrap_or(0);
                (before, after)
            })
            .collect()
    }

    fn body_width(&self) -> usize {
        let widths = self.column_widths();
        let gaps = widths.len().saturating_sub(1) * COLUMN_GAP;
        let cut = if self.more.1 > 0 { COLUMN_GAP + 1 } else { 0 };
        widths.iter().map(|(a, b)| a + b).sum::<usize>() + gaps + cut + if self.brackets { 2 } else { 0 }
    }

    pub fn width(&self) -> usize {
        self.header.iter().map(|h| width(&h.text)).chain([self.body_width()]).max().unwrap_or(0)
    }

    /// Lines the entries take with their rows `stride` lines apart.
    fn body_height(&self, stride: usize) -> usize {
        stride * (self.rows.len() + usize::from(self.more.0 > 0)) - (stride - 1).min(self.rows.len())
    }

    /// Draws the tile at (x, y), its entries from `header_lines` below it (the most header lines
    /// of its band, so that entries line up across it), `lines` lines at most; what is cut ends
    /// in `⋮` (rows) or `⋯` (columns). Nothing is drawn outside `clip`.
    #[allow(clippy::too_many_arguments)]
    fn render(
        &self,
        (x, y): (u16, u16),
        header_lines: usize,
        lines: usize,
        stride: usize,
        clip: Rect,
        buf: &mut Buffer,
    ) {
        let right = clip.right();
        let put = |buf: &mut Buffer, x: u16, y: u16, text: &str, style: Style| {
            if x < right && y < clip.bottom() && x >= clip.x && y >= clip.y {
                buf.set_stringn(x, y, text, usize::from(right - x), style);
            }
        };
        for (i, header) in self.header.iter().enumerate() {
            put(buf, x, y + i as u16, &header.text, header.style);
        }
        // In the column before the tile: the pane's margin for the first tile of a band.
        if self.marked && x > buf.area.x && y < clip.bottom() {
            buf.set_stringn(x - 1, y, INVOLVED, 1, self.header[0].style);
        }
        let top = y + header_lines as u16;
        let lines = lines.saturating_sub(header_lines);
        let room = (lines + stride - 1) / stride.max(1);
        let cut = self.rows.len() > room || self.more.0 > 0;
        let shown = if self.rows.len() > room { room.saturating_sub(1) } else { self.rows.len() };
        let widths = self.column_widths();
        let left = x + u16::from(self.brackets);
        let body = self.body_width();
        // A tile wider than the pane shows `⋯` in its last column.
        let cut_right = usize::from(right.saturating_sub(x)) < body;
        for (r, row) in self.rows.iter().take(shown).enumerate() {
            let y = top + (stride * r) as u16;
            if self.brackets {
                let (open, close) = bracket(r, self.rows.len());
                put(buf, x, y, open, Style::new());
                put(buf, x + (body - 1) as u16, y, close, Style::new());
                // Spread-out rows keep their brackets joined.
                for between in 1..stride {
                    if r + 1 < self.rows.len() {
                        put(buf, x, y + between as u16, "⎢", Style::new());
                        put(buf, x + (body - 1) as u16, y + between as u16, "⎥", Style::new());
                    }
                }
            }
            let mut cx = left;
            for (cell, &(before, after)) in row.iter().zip(&widths) {
                let pad = before.saturating_sub(integer_width(&cell.text));
                put(buf, cx + pad as u16, y, &cell.text, cell.style);
                cx += (before + after + COLUMN_GAP) as u16;
            }
            if self.more.1 > 0 {
                put(buf, cx, y, "⋯", Style::new());
            }
            if cut_right && right > x {
                put(buf, right - 1, y, "⋯", Style::new());
            }
        }
        if cut && room > 0 {
            put(buf, left, top + (stride * shown) as u16, "⋮", Style::new());
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

/// The gap between tiles of these `widths` at this width: the widest that keeps them on one band.
fn gap(widths: &[usize], width: usize) -> usize {
    (1..=MAX_TILE_GAP).rev().find(|&gap| band_width(widths, gap) <= width).unwrap_or(WRAPPED_TILE_GAP)
}

fn band_width(widths: &[usize], gap: usize) -> usize {
    widths.iter().sum::<usize>() + widths.len().saturating_sub(1) * gap
}

fn widths(tiles: &[Tile]) -> Vec<usize> {
    tiles.iter().map(Tile::width).collect()
}

/// The narrowest width that holds the tiles on one band.
pub(crate) fn one_band_width(tiles: &[Tile]) -> usize {
    band_width(&widths(tiles), 1)
}

/// How `tiles` of these `widths` fall into bands at this width and gap: the index ranges of
/// each.
fn bands(tiles: &[Tile], widths: &[usize], width: usize, gap: usize) -> Vec<std::ops::Range<usize>> {
    let mut bands = Vec::new();
    let mut start = 0;
    let mut used = 0;
    for (i, &tile) in widths.iter().enumerate() {
        let needed = if i == start { tile } else { used + gap + tile };
        if i > start && needed > width {
            // The tile before goes down with this one if it keeps with it and the two fit.
            let pair = widths[i - 1] + gap + tile;
            let kept = i - 1 > start && tiles[i - 1].keep_with_next && pair <= width;
            let next = if kept { i - 1 } else { i };
            bands.push(start..next);
            start = next;
            used = if kept { pair } else { tile };
        } else {
            used = needed;
        }
    }
    if start < widths.len() {
        bands.push(start..widths.len());
    }
    bands
}

fn header_lines(tiles: &[Tile]) -> usize {
    tiles.iter().map(|t| t.header.len()).max().unwrap_or(0)
}

fn band_height(tiles: &[Tile], stride: usize) -> usize {
    header_lines(tiles) + tiles.iter().map(|t| t.body_height(stride)).max().unwrap_or(0)
}

/// The rows the tiles need at this width, spaced as `spacing` says.
pub(crate) fn height(tiles: &[Tile], width: usize, spacing: Spacing) -> usize {
    let widths = widths(tiles);
    let bands = bands(tiles, &widths, width, gap(&widths, width));
    bands.iter().map(|b| band_height(&tiles[b.clone()], spacing.stride)).sum::<usize>()
        + bands.len().saturating_sub(1) * spacing.bands
}

/// Draws the tiles in `area`, band after band; a band that does not fit whole is cut short.
pub(crate) fn render(tiles: &[Tile], area: Rect, spacing: Spacing, buf: &mut Buffer) {
    let stride = spacing.stride;
    let width = usize::from(area.width);
    let widths = widths(tiles);
    let gap = gap(&widths, width);
    let mut y = area.y;
    for band in bands(tiles, &widths, width, gap) {
        if y >= area.bottom() {
            break;
        }
        let lines = usize::from(area.bottom() - y);
        let mut x = area.x;
        for (tile, &tile_width) in tiles[band.clone()].iter().zip(&widths[band.clone()]) {
            if x >= area.right() {
                break;
            }
            tile.render((x, y), header_lines(&tiles[band.clone()]), lines, stride, area, buf);
            x = x.saturating_add((tile_width + gap) as u16);
        }
        y = y.saturating_add((band_height(&tiles[band], stride) + spacing.bands) as u16);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tile(name: &str, rows: &[&[&str]]) -> Tile {
        Tile::new(
            Cell::new(name, Style::new()),
            rows.iter().map(|r| r.iter().map(|t| Cell::new(*t, Style::new())).collect()).collect(),
        )
    }

    fn text(buf: &Buffer, y: u16) -> String {
        (0..buf.area.width).map(|x| buf[(x, y)].symbol()).collect::<String>().trim_end().to_string()
    }

    #[test]
    fn tiles_wrap_onto_bands() {
        let tiles =
            vec![tile("x", &[&["1"], &["2"]]), tile("W(1)", &[&["1", "−0.5"]]), tile("L", &[&["0.417"]])];
        assert_eq!(one_band_width(&tiles), 1 + 1 + 6 + 1 + 5);
        assert_eq!(height(&tiles, 80, Spacing::NORMAL), 3);
        assert_eq!(height(&tiles, 80, Spacing::ROOMY), 4);
        assert_eq!(gap(&widths(&tiles), 80), MAX_TILE_GAP);
        // x and W(1) on one band (3 rows), L on the next (2 rows), a blank row between.
        assert_eq!(height(&tiles, 12, Spacing::NORMAL), 6);
    }

    #[test]
    fn a_tile_kept_with_the_next_goes_down_with_it() {
        let mut tiles = vec![tile("a", &[&["1"]]), tile("W(1)", &[&["1"]]), tile("W(1)_new", &[&["2"]])];
        let widths = widths(&tiles);
        // a and W(1) fill the band; W(1)_new would start the next one alone.
        assert_eq!(bands(&tiles, &widths, 10, 1), [0..2, 2..3]);
        tiles[1].keep_with_next = true;
        assert_eq!(bands(&tiles, &widths, 14, 1), [0..1, 1..3]);
        // A pair too wide for a band is parted after all.
        assert_eq!(bands(&tiles, &widths, 10, 1), [0..2, 2..3]);
    }

    #[test]
    fn decimal_points_line_up() {
        let column = tile("v", &[&["0.09003"], &["−12.5"], &["1"], &["?"], &["0.245✗"]]);
        let mut buf = Buffer::empty(Rect::new(0, 0, 12, 6));
        render(&[column], buf.area, Spacing::NORMAL, &mut buf);
        let lines: Vec<String> = (1..6).map(|y| text(&buf, y)).collect();
        assert_eq!(lines, ["  0.09003", "−12.5", "  1", "  ?", "  0.245✗"]);
    }

    #[test]
    fn what_is_cut_is_marked() {
        let long = tile("v", &[&["1"], &["2"], &["3"], &["4"]]);
        let mut buf = Buffer::empty(Rect::new(0, 0, 10, 3));
        render(std::slice::from_ref(&long), buf.area, Spacing::NORMAL, &mut buf);
        assert_eq!((text(&buf, 1), text(&buf, 2)), ("1".into(), "⋮".into()));
        let row = long.as_row();
        assert_eq!(row.rows.len(), 1);
        let mut buf = Buffer::empty(Rect::new(0, 0, 5, 2));
        render(&[row], buf.area, Spacing::NORMAL, &mut buf);
        assert_eq!(text(&buf, 1), "1 2 ⋯");
    }
}
