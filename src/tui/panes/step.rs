//! The step pane, the screen's first concern (DESIGN.md §6.5): what the step on screen asks,
//! read off its formula: the formula; the values it combines, its Jacobians and the asked
//! quantity as tiles; the hints asked for; the derivation with this lesson's numbers; and what
//! the step does in words.
//!
//! It is laid out as a column of sections, in the order they matter: if the pane is short, what
//! is cut is the end (the rest of the derivation, the explanation), counted on a marker row,
//! and the pane scrolls. A denser layout (vectors as rows, no blank lines between sections) is
//! chosen when the roomy one would push the first lines of the derivation out of view.
//!
//! Practice shows the derivation of what has been answered (or revealed) and, until a hint or
//! the answer, a product of Jacobians only as its factors: multiplying them out is the work.

use super::scroll::{draw_cut, scrolled_window};
use super::tiles::{self, Cell, Spacing, Tile};
use super::{Emphasis, grid, pane_frame, quantity_cells, wrap};
use crate::network::Activation;
use crate::plan::definition::definition;
use crate::plan::display::{self, number};
use crate::plan::formula::{Formula, Gate, Term};
use crate::plan::{Step, before_step, derivation, softmax_form};
use crate::quantity::Quantity;
use crate::report::equation_list;
use crate::tui::keymap::{Action, key_for};
use crate::tui::lesson::{DerivationText as Derived, Drawn, LessonScreen, PaneId};
use crate::tui::theme::Theme;
use crate::tutor::hints::hint;
use crate::tutor::{HINT_STAGES, JacobianView, Mode, Session};
use crate::value::Shape;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget};
use std::cell::OnceCell;
use std::rc::Rc;

/// Derivation lines at most: a layer may have a million weights, and nobody scrolls past this.
const DERIVATION_LIMIT: usize = 400;
/// The derivation lines that must be in view however short the pane (DESIGN.md §6.5).
pub(crate) const FIRST_LINES: usize = 2;
/// Between the columns of a derivation laid out side by side.
const DERIVATION_GAP: usize = 3;
/// A continued derivation line is indented this much.
const HANGING_INDENT: usize = 4;

/// What each hint stage uncovers, for the prompt.
const STAGE_NAMES: [&str; HINT_STAGES as usize] = ["the idea", "the shapes", "the first entry"];

/// How much room a layout takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Density {
    /// The projector: every Jacobian as a matrix, rows of values and derivation lines spread out.
    Roomy,
    /// As [`Density::Columns`], spread out: where the pane has rows to spare.
    Spread,
    /// Vectors as columns, as the notes write them.
    Columns,
    /// Each vector as a column or a row, whichever takes fewer lines.
    Normal,
    /// Vectors as rows, no blank lines.
    Compact,
}

/// One section of the pane.
enum Section {
    Text(Vec<Line<'static>>),
    Tiles {
        tiles: Rc<Vec<Tile>>,
        spacing: Spacing,
    },
    /// Derivation lines, each wrapped under itself or set side by side in columns (laid out
    /// once, for the document's width).
    Derivation {
        lines: Rc<Vec<String>>,
        spread: bool,
        layout: Rc<OnceCell<Vec<String>>>,
    },
}

/// The pane's content laid out for one width.
pub struct Document {
    sections: Vec<Section>,
    /// Blank lines between sections.
    gap: usize,
    width: usize,
}

impl Section {
    fn height(&self, width: usize) -> usize {
        match self {
            Section::Text(lines) => lines.len(),
            Section::Tiles { tiles, spacing } => tiles::height(tiles, width, *spacing),
            Section::Derivation { .. } => self.layout(width).len(),
        }
    }

    /// A derivation's rows at `width` (the same width every time: a document's).
    fn layout(&self, width: usize) -> &[String] {
        match self {
            Section::Derivation { lines, spread, layout } => {
                layout.get_or_init(|| derivation_layout(lines, width, *spread))
            }
            _ => &[],
        }
    }

    fn render(&self, area: Rect, buf: &mut Buffer) {
        match self {
            Section::Text(lines) => Paragraph::new(lines.clone()).render(area, buf),
            Section::Tiles { tiles, spacing } => tiles::render(tiles, area, *spacing, buf),
            Section::Derivation { .. } => {
                let width = usize::from(area.width);
                for (row, text) in self.layout(width).iter().take(usize::from(area.height)).enumerate() {
                    buf.set_stringn(area.x, area.y + row as u16, text, width, Style::new());
                }
            }
        }
    }
}

/// Derivation lines in rows of `width`: side by side in columns (read down, then across) when
/// they are short enough for two or more; else each wrapped with a hanging indent. `spread`
/// puts a blank row after each line (the projector).
fn derivation_layout(lines: &[String], width: usize, spread: bool) -> Vec<String> {
    let widest = lines.iter().map(|l| tiles::width(l)).max().unwrap_or(0);
    let columns = if spread || lines.len() < 2 {
        1
    } else {
        ((width + DERIVATION_GAP) / (widest + DERIVATION_GAP)).clamp(1, lines.len())
    };
    if columns > 1 {
        let rows = lines.len().div_ceil(columns);
        return (0..rows)
            .map(|r| {
                let mut row = String::new();
                for c in 0..columns {
                    if let Some(line) = lines.get(c * rows + r) {
                        if c > 0 {
                            let pad = (widest + DERIVATION_GAP) * c - tiles::width(&row);
                            row.push_str(&" ".repeat(pad));
                        }
                        row.push_str(line);
                    }
                }
                row
            })
            .collect();
    }
    let mut out = Vec::new();
    for line in lines {
        let mut parts = wrap(line, width).into_iter();
        out.extend(parts.next());
        let indent = " ".repeat(HANGING_INDENT.min(width / 4));
        for rest in wrap(&parts.collect::<Vec<_>>().join(" "), width.saturating_sub(indent.len())) {
            if !rest.is_empty() {
                out.push(format!("{indent}{rest}"));
            }
        }
        if spread {
            out.push(String::new());
        }
    }
    out
}

impl Document {
    fn gap(&self) -> usize {
        self.gap
    }

    pub fn height(&self) -> usize {
        let sections: usize = self.sections.iter().map(|s| s.height(self.width)).sum();
        sections + self.sections.len().saturating_sub(1) * self.gap()
    }

    /// The rows up to and with the first lines of the derivation: what must be in view.
    pub fn essential_height(&self) -> usize {
        let mut rows = 0;
        for (i, section) in self.sections.iter().enumerate() {
            let gap = if i > 0 { self.gap() } else { 0 };
            match section {
                Section::Derivation { lines, spread, .. } => {
                    // Side by side in columns, line n is on row n; else each takes its wrapped rows.
                    let all = section.layout(self.width);
                    let first = &lines[..lines.len().min(FIRST_LINES)];
                    let wrapped: usize = first
                        .iter()
                        .map(|l| derivation_layout(std::slice::from_ref(l), self.width, *spread).len())
                        .sum();
                    let side_by_side = all.len() < lines.len();
                    let needed = if side_by_side { first.len() } else { wrapped };
                    return rows + gap + needed.min(all.len());
                }
                _ => rows += gap + section.height(self.width),
            }
        }
        rows
    }

    /// The rows that show the essentials: all of it, or the essentials and the marker row
    /// that says how much more there is.
    pub fn least_rows(&self) -> usize {
        self.height().min(self.essential_height() + 1)
    }

    /// Draws the rows from `first` on into `window`: sections out of view are skipped, the
    /// derivation's rows are drawn as they are, and any other section the window cuts is drawn
    /// whole on a buffer of its own and copied in part (drawn into fewer rows, a tile would
    /// mark itself cut where the pane's own marker already says so).
    fn render_window(&self, window: Rect, first: u16, buf: &mut Buffer) {
        let (top, bottom) = (usize::from(first), usize::from(first) + usize::from(window.height));
        let mut y = 0;
        for section in &self.sections {
            let height = section.height(self.width);
            let (start, end) = (y.max(top), (y + height).min(bottom));
            if start < end {
                let at = window.y + (start - top) as u16;
                match section {
                    Section::Derivation { .. } => {
                        let width = usize::from(window.width);
                        for (row, text) in section.layout(self.width)[start - y..end - y].iter().enumerate() {
                            buf.set_stringn(window.x, at + row as u16, text, width, Style::new());
                        }
                    }
                    _ if (start, end) == (y, y + height) => {
                        section.render(Rect { y: at, height: height as u16, ..window }, buf);
                    }
                    _ => {
                        let window = Rect { y: at, height: (end - start) as u16, ..window };
                        let first = (start - y) as u16;
                        draw_cut(window, first, height as u16, |area, buf| section.render(area, buf), buf);
                    }
                }
            }
            y += height + self.gap();
            if y >= bottom {
                break;
            }
        }
    }
}

pub struct StepPane<'a> {
    screen: &'a LessonScreen,
    theme: Theme,
    /// The projector view: the pane is the whole screen.
    projector: bool,
    /// What one frame computes once, whichever layouts it tries: the derivation's lines (and
    /// the notes' exact form of Step 1), and each layout at the pane's width.
    derived: OnceCell<Derived>,
    pieces: OnceCell<Pieces>,
    arranged: [OnceCell<Rc<Vec<Tile>>>; DENSITIES],
    derivation_layouts: [OnceCell<Rc<OnceCell<Vec<String>>>>; 4],
    documents: [OnceCell<Document>; LAYOUTS],
}

/// How many [`Density`] variants there are.
const DENSITIES: usize = 5;

/// The tiles a layout chooses from: the formula's terms, the Jacobians shown whole (with the
/// term each is, if it is one), the asked quantities.
struct Pieces {
    operands: Vec<(Term, Tile)>,
    jacobians: Vec<(Quantity, Option<Term>, Tile)>,
    /// Each asked quantity, after what it replaces if it is an update.
    asked: Vec<Tile>,
}

/// The most layouts a pane tries.
const LAYOUTS: usize = 6;

impl<'a> StepPane<'a> {
    pub fn new(screen: &'a LessonScreen, theme: Theme, projector: bool) -> StepPane<'a> {
        StepPane {
            screen,
            theme,
            projector,
            derived: OnceCell::new(),
            pieces: OnceCell::new(),
            arranged: Default::default(),
            derivation_layouts: Default::default(),
            documents: Default::default(),
        }
    }

    /// Layout `i` of [`StepPane::densities`] at `width`, made once.
    fn layout(&self, i: usize, width: usize) -> &Document {
        let document = self.documents[i].get_or_init(|| self.document(width, self.densities()[i]));
        debug_assert_eq!(document.width, width, "one pane, one width");
        document
    }

    /// The derivation's lines as shown, and the exact form where the step has one.
    fn derived(&self) -> &Derived {
        self.derived.get_or_init(|| {
            let session = self.session();
            let asks = session.derivation_asks();
            let key = (session.step_index(), asks.clone());
            // Kept between frames: it changes only with the step and what it shows.
            self.screen.derivation_text.get_or(key, || {
                let shown_step = Step { asks, ..session.step().clone() };
                let (lines, more) = derivation(&shown_step, session.solution(), DERIVATION_LIMIT);
                let mut texts: Vec<String> = lines.iter().map(display::line).collect();
                if more > 0 {
                    texts.push(format!("… and {more} more, each the same way"));
                }
                let exact = softmax_form(&shown_step, session.solution(), DERIVATION_LIMIT)
                    .map(|(exact, _)| Rc::new(exact.iter().map(display::line).collect()));
                (Rc::new(texts), exact)
            })
        })
    }

    fn session(&self) -> &Session {
        self.screen.session()
    }

    fn title(&self) -> String {
        let session = self.session();
        let step = session.step();
        let mut title = if step.equations.is_empty() {
            format!("Step {} (beyond the notes)", step.id)
        } else {
            format!("Step {} · notes {}", step.id, equation_list(&step.equations))
        };
        if session.is_posed() {
            title.push_str(&format!(" · posed: {} reveals it", key_for(Action::AskThenReveal)));
        }
        title
    }

    /// The layouts to try, roomiest first.
    fn densities(&self) -> &'static [(Density, bool)] {
        if self.projector {
            &[
                (Density::Roomy, true),
                (Density::Columns, true),
                (Density::Normal, true),
                (Density::Normal, false),
                (Density::Compact, false),
            ]
        } else {
            &[
                (Density::Spread, true),
                (Density::Columns, true),
                (Density::Normal, true),
                (Density::Normal, false),
                (Density::Compact, true),
                (Density::Compact, false),
            ]
        }
    }

    /// The rows the pane would use (with its title): all of its roomiest layout but the
    /// spread-out one, which only takes rows nothing else wants.
    pub fn most_rows(&self, width: u16) -> u16 {
        let columns = usize::from(width.saturating_sub(1));
        1 + self.layout(usize::from(!self.projector), columns).height() as u16
    }

    /// The rows the pane must have (with its title): the essentials of its densest layout.
    pub fn least_rows(&self, width: u16) -> u16 {
        let columns = usize::from(width.saturating_sub(1));
        1 + self.layout(self.densities().len() - 1, columns).least_rows() as u16
    }

    /// The pane's content in one layout.
    pub fn document(&self, width: usize, (density, spaced): (Density, bool)) -> Document {
        let session = self.session();
        let step = session.step();
        let theme = self.theme;
        let text = |text: &str, style: Style| -> Vec<Line<'static>> {
            wrap(text, width).into_iter().map(|l| Line::styled(l, style)).collect()
        };
        let mut sections = Vec::new();

        let shown: Vec<Quantity> = session.shown_formulas().iter().map(|(q, _)| *q).collect();
        let mut formula = text(&step.formula_text_of(&shown), Style::new().add_modifier(Modifier::BOLD));
        for (jacobian, view) in session.jacobians() {
            let product =
                definition(session.lesson().network(), jacobian).filter(|f| !matches!(f, Formula::Term(_)));
            let Some(product) = product else { continue };
            // A product of Jacobians as its factors: in practice until it is worked, and where
            // room is short (its factors are among the tiles).
            let said = match (view, density) {
                (JacobianView::Factors, _) => "multiplied out as you go",
                (JacobianView::Whole, Density::Compact) => "the product of the matrices below",
                (JacobianView::Whole, Density::Spread) => continue,
                (JacobianView::Whole, _) => continue,
            };
            formula.extend(text(
                &format!("{} = {}, {said}", jacobian.symbol(), product.to_text()),
                theme.muted(),
            ));
        }
        if !formula.is_empty() {
            sections.push(Section::Text(formula));
        }

        let spacing = match density {
            Density::Roomy | Density::Spread => Spacing::ROOMY,
            Density::Columns | Density::Normal => Spacing::NORMAL,
            Density::Compact => Spacing::TIGHT,
        };
        let tiles = self.arranged(density, width, spacing);
        if !tiles.is_empty() {
            sections.push(Section::Tiles { tiles, spacing });
        }

        if let Some(question) = session.current_question() {
            let hints = session.question(question).hints;
            let mut lines = Vec::new();
            for stage in 1..=hints {
                lines.extend(text(&hint(session.solution(), step, question, stage), theme.involved()));
            }
            if hints < HINT_STAGES {
                let prompt = format!(
                    "{}: hint {} of {HINT_STAGES} ({}) · {}: reveal the answer",
                    key_for(Action::Hint),
                    hints + 1,
                    STAGE_NAMES[hints as usize],
                    key_for(Action::Reveal)
                );
                lines.extend(text(&prompt, theme.muted()));
            }
            sections.push(Section::Text(lines));
        }

        if !session.derivation_asks().is_empty() {
            let spread = matches!(density, Density::Roomy | Density::Spread);
            let (lines, exact) = self.derived();
            sections.push(self.derivation_section(0, lines, spread));
            if let Some(exact) = exact {
                sections.push(Section::Text(text(
                    "The notes' exact form, ô written out as the softmax of o:",
                    theme.muted(),
                )));
                sections.push(self.derivation_section(1, exact, spread));
            }
        }
        let explain = session.mode() == Mode::Walkthrough || session.current_question().is_none();
        if explain {
            sections.push(Section::Text(text(&step.explanation, theme.muted())));
        }
        let gap = match (spaced, density) {
            (false, _) => 0,
            // From the back of a room, sections stand apart.
            (true, Density::Roomy | Density::Spread) => 2,
            (true, _) => 1,
        };
        Document { sections, gap, width }
    }

    /// The tiles of a layout, arranged once a frame for each kind of layout (layouts that
    /// differ only in their blank lines share them).
    fn arranged(&self, density: Density, width: usize, spacing: Spacing) -> Rc<Vec<Tile>> {
        let kind = density as usize;
        let tiles = self.arranged[kind].get_or_init(|| {
            let tiles = self.tiles(density);
            Rc::new(match density {
                Density::Roomy | Density::Spread | Density::Columns => tiles,
                Density::Normal | Density::Compact => arrange(tiles, width, spacing),
            })
        });
        Rc::clone(tiles)
    }

    /// A derivation section (`which`: the derivation, or the exact form), whose layout at the
    /// pane's width is shared by every layout with the same spacing.
    fn derivation_section(&self, which: usize, lines: &Rc<Vec<String>>, spread: bool) -> Section {
        let layout =
            self.derivation_layouts[2 * which + usize::from(spread)].get_or_init(|| Rc::new(OnceCell::new()));
        Section::Derivation { lines: Rc::clone(lines), spread, layout: Rc::clone(layout) }
    }

    /// The rows the derivation takes at `width`, unspread: no layout is shorter than this.
    fn derivation_rows(&self, width: usize) -> usize {
        if self.session().derivation_asks().is_empty() {
            return 0;
        }
        let (lines, _) = self.derived();
        self.derivation_section(0, lines, false).layout(width).len()
    }

    /// The tiles' cells, made once a frame: every layout takes its tiles from them.
    fn pieces(&self) -> &Pieces {
        self.pieces.get_or_init(|| {
            let session = self.session();
            let network = session.lesson().network();
            let theme = self.theme;
            let mut quantities: Vec<Quantity> = Vec::new();
            for question in session.shown_asks() {
                if !quantities.contains(&question.quantity) {
                    quantities.push(question.quantity);
                }
            }
            // What an update replaces sits beside it (W(1) before W(1)_new, L before L_new),
            // not among the operands.
            let before: Vec<Option<Term>> = quantities.iter().map(|&q| before_step(q)).collect();
            let operands = session
                .operands()
                .into_iter()
                .filter(|term| !before.contains(&Some(*term)))
                .map(|term| (term, self.term_tile(term)))
                .collect();
            let jacobians = session
                .jacobians()
                .into_iter()
                .filter(|(_, view)| *view == JacobianView::Whole)
                .map(|(jacobian, _)| {
                    let definition = definition(network, jacobian);
                    let single = match &definition {
                        Some(Formula::Term(term)) => Some(*term),
                        _ => None,
                    };
                    let header = Cell::new(jacobian.symbol(), Style::new());
                    let (rows, more) = quantity_cells(session, jacobian, theme);
                    let mut tile = Tile { brackets: true, rows, more, ..Tile::new(header, vec![]) };
                    if let Some(formula) = definition {
                        caption(&mut tile, format!("= {}", formula.to_text()), theme);
                    }
                    (jacobian, single, tile)
                })
                .collect();
            let asked = quantities
                .into_iter()
                .zip(before)
                .flat_map(|(quantity, before)| {
                    let before = before.map(|term| {
                        let mut tile = self.term_tile(term);
                        caption(&mut tile, "before".into(), theme);
                        Tile { keep_with_next: true, ..tile }
                    });
                    let cells = quantity_cells(session, quantity, theme);
                    let mut tile = Emphasis::Asked.tile(&quantity.symbol(), cells, theme);
                    tile.brackets = matches!(network.shape(quantity), Shape::Matrix(..));
                    before.into_iter().chain([tile])
                })
                .collect();
            Pieces { operands, jacobians, asked }
        })
    }

    /// The tiles: the values the formula combines, the Jacobians shown whole that are not among
    /// them, and what is asked. A Jacobian that is a term of the formula (W(2) is ∂z(2)/∂h(1))
    /// is said under that term's name, except on the projector, which shows every Jacobian as
    /// a matrix; where room is short a product of Jacobians is said as its factors.
    fn tiles(&self, density: Density) -> Vec<Tile> {
        let pieces = self.pieces();
        let session = self.session();
        let theme = self.theme;
        let all_jacobians = session.jacobians();
        let mut out: Vec<Tile> = Vec::new();
        for (term, tile) in &pieces.operands {
            let mut tile = tile.clone();
            if density != Density::Roomy {
                let network = session.lesson().network();
                for (jacobian, _) in &all_jacobians {
                    if matches!(definition(network, *jacobian), Some(Formula::Term(t)) if t == *term) {
                        caption(&mut tile, format!("= {}", jacobian.symbol()), theme);
                    }
                }
            }
            out.push(tile);
        }
        for (_, single, tile) in &pieces.jacobians {
            let shown = match density {
                Density::Roomy => true,
                Density::Spread | Density::Columns | Density::Normal => single.is_none(),
                Density::Compact => false,
            };
            if shown {
                out.push(tile.clone());
            }
        }
        out.extend(pieces.asked.iter().cloned());
        out
    }

    /// A term of the formula as a tile of its values.
    fn term_tile(&self, term: Term) -> Tile {
        let session = self.session();
        let theme = self.theme;
        let involved = Emphasis::Involved;
        if let Term::Value(quantity) = term {
            let mut tile = involved.tile(&quantity.symbol(), quantity_cells(session, quantity, theme), theme);
            tile.brackets = matches!(session.lesson().network().shape(quantity), Shape::Matrix(..));
            return tile;
        }
        let (name, caption) = match term {
            Term::Gate(gate) => (gate_entries(gate), None::<String>),
            Term::Label | Term::OneHot(_) => (label_name(session, term), None),
            _ => (term.text(), None),
        };
        let value = session.term_value(term);
        let shape = value.as_ref().map_or(Shape::Scalar, |v| v.shape());
        let entry = |index: Vec<usize>| -> Cell {
            let entry = value
                .as_ref()
                .and_then(|v| if index.is_empty() { v.entries().first().copied() } else { v.entry(&index) });
            Cell::new(entry.map_or_else(|| "?".into(), number), Style::new())
        };
        let mut tile = involved.tile(&name, grid(shape, entry), theme);
        tile.brackets = matches!(shape, Shape::Matrix(..));
        if let Some(caption) = caption {
            tile.header.push(Cell::new(caption, theme.muted()));
        }
        tile
    }
}

/// Says under (or, where it fits, beside) a tile's name what else it is: `W(2) = ∂z(2)/∂h(1)`.
fn caption(tile: &mut Tile, text: String, theme: Theme) {
    let beside = format!("{} {text}", tile.header[0].text);
    if tile.header.len() == 1 && tiles::width(&beside) <= tile.width() {
        tile.header[0].text = beside;
    } else {
        tile.header.push(Cell::new(text, theme.muted()));
    }
}

/// The tiles with each vector as a column or as a row, whichever arrangement takes the fewest
/// lines at `width` (the first of equals): all columns; rows before the first matrix and
/// columns after it (a column sits beside a matrix for free, a row beside it takes a band);
/// all rows.
fn arrange(tiles: Vec<Tile>, width: usize, spacing: Spacing) -> Vec<Tile> {
    let first_matrix = tiles.iter().position(|t| t.rows.len() > 1 && t.rows.iter().any(|r| r.len() > 1));
    let mixed: Vec<Tile> = tiles
        .iter()
        .enumerate()
        .map(|(i, t)| if first_matrix.is_some_and(|m| i < m) { t.as_row() } else { t.clone() })
        .collect();
    let rows: Vec<Tile> = tiles.iter().map(Tile::as_row).collect();
    [tiles, mixed, rows].into_iter().min_by_key(|t| tiles::height(t, width, spacing)).unwrap_or_default()
}

/// What the gate's diagonal holds: `1[z(2)>0]` for a ReLU, `f'(z(2))` otherwise.
fn gate_entries(gate: Gate) -> String {
    let argument = gate.argument.symbol();
    match gate.activation {
        Activation::Relu => format!("1[{argument}>0]"),
        _ => format!("f'({argument})"),
    }
}

/// `e_y, y=3`: the one-hot label with the class it stands for (the step's example's).
fn label_name(session: &Session, term: Term) -> String {
    match session.solution().pass(session.step().example).network().objective() {
        crate::network::Objective::SoftmaxCrossEntropy { label } => format!("{}, y={label}", term.text()),
        crate::network::Objective::Mse { .. } => term.text(),
    }
}

impl Widget for &StepPane<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let focused = self.screen.pane() == PaneId::Step && !self.projector;
        let inner = pane_frame(&self.title(), focused, self.theme, area, buf);
        let columns = usize::from(inner.width);
        let rows = usize::from(inner.height);
        // The first layout that fits whole; else the first that shows the essentials (spread
        // out only what fits whole: the projector keeps its spacing and scrolls); else the densest.
        let count = self.densities().len();
        let layouts = || (0..count).map(|i| self.layout(i, columns));
        let skip = usize::from(!self.projector && count > 1);
        // A derivation taller than the pane fits in no layout: no need to build each to see.
        let fits_whole = self.derivation_rows(columns) <= rows;
        let document = layouts()
            .filter(|_| fits_whole)
            .find(|d| d.height() <= rows)
            .or_else(|| layouts().skip(skip).find(|d| d.least_rows() <= rows))
            .unwrap_or_else(|| self.layout(count - 1, columns));
        // On the projector a short step sits a third of the way down, not at the top edge.
        let inner = match self.projector {
            true if document.height() < rows => {
                let margin = ((rows - document.height()) / 3) as u16;
                Rect { y: inner.y + margin, height: inner.height - margin, ..inner }
            }
            _ => inner,
        };
        let offset = self.screen.scroll(PaneId::Step);
        let height = document.height() as u16;
        let scrolls = (offset, self.screen.pane() == PaneId::Step);
        let max_scroll = scrolled_window(inner, buf, height, scrolls, self.theme, |window, first, buf| {
            document.render_window(window, first, buf)
        });
        self.screen.drawn(PaneId::Step, Drawn { area, max_scroll });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::authoring::generate::{Options, generate};
    use crate::lesson::{load_lesson, parse_lesson};
    use crate::tutor::Progress;

    fn screen(lesson: crate::lesson::Lesson, steps: usize) -> LessonScreen {
        let mut session = Session::new(lesson, Mode::Walkthrough, Progress::default());
        for _ in 0..steps {
            session.go(1);
        }
        LessonScreen::new(session)
    }

    /// Drawing only the rows in view gives, row for row, what drawing the whole document and
    /// copying those rows gives: at every offset, in every layout, with sections cut at the
    /// window's top (tiles, text and the derivation alike).
    #[test]
    fn a_window_of_the_document_is_the_document_cut() {
        let options = Options { layers: vec![6, 8, 8, 4], ..Options::with_seed("3") };
        let generated = parse_lesson("generated", &generate(&options).unwrap()).unwrap();
        for (lesson, steps) in [(load_lesson("notes-example").unwrap(), 4), (generated, 5)] {
            let screen = screen(lesson, steps);
            let pane = StepPane::new(&screen, Theme::new(true), false);
            for (i, _) in pane.densities().iter().enumerate() {
                let document = pane.layout(i, 60);
                let height = document.height() as u16;
                let window = Rect::new(1, 2, 60, 9);
                for first in 0..height {
                    let mut expected = Buffer::empty(Rect::new(0, 0, 61, 12));
                    draw_cut(
                        window,
                        first,
                        height,
                        |area, buf| document.render_window(area, 0, buf),
                        &mut expected,
                    );
                    let mut windowed = Buffer::empty(expected.area);
                    let rows = window.height.min(height - first);
                    document.render_window(Rect { height: rows, ..window }, first, &mut windowed);
                    assert_eq!(windowed, expected, "layout {i}, from row {first}");
                }
            }
        }
    }
}
