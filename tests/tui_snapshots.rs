//! The tutor's screens, drawn on ratatui's `TestBackend` and compared with the snapshots in
//! `tests/snapshots/` (review changes by hand: `INSTA_UPDATE=always cargo test --test
//! tui_snapshots`, then `git diff tests/snapshots`). Snapshots hold text only, so the colours
//! and attributes are checked on the buffer's cells below.

use backprop_tutor::engine::Solution;
use backprop_tutor::lesson::{Lesson, load_lesson, parse_lesson, shipped};
use backprop_tutor::plan::plan;
use backprop_tutor::tui::{App, MIN_HEIGHT, MIN_WIDTH, Message};
use backprop_tutor::tutor::Mode;
use backprop_tutor::tutor::Progress;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::style::{Color, Modifier};

#[path = "support/typing.rs"]
mod typing;
use typing::typed;

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

fn notes() -> Lesson {
    load_lesson("notes-example").unwrap()
}

fn app_for(lesson: Lesson, mode: Mode, color: bool) -> App {
    let mut app = App::for_lesson(lesson, mode, Progress::default());
    app.set_color(color);
    app
}

fn app(mode: Mode) -> App {
    app_for(notes(), mode, true)
}

fn draw(app: &App, width: u16, height: u16) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|frame| frame.render_widget(app, frame.area())).unwrap();
    terminal
}

fn press(app: &mut App, code: KeyCode) {
    app.update(Message::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

fn type_text(app: &mut App, text: &str) {
    text.chars().for_each(|c| press(app, KeyCode::Char(c)));
}

/// Answers every question of the first `steps` steps correctly, as typed in the answer box.
fn solve_steps(app: &mut App, lesson: &Lesson, steps: usize) {
    let solution = Solution::new(lesson.network());
    for step in plan(lesson).iter().take(steps) {
        for question in &step.asks {
            type_text(app, &typed(&solution.value_of(question).unwrap()));
            press(app, KeyCode::Enter);
        }
    }
}

fn first_line(terminal: &Terminal<TestBackend>) -> String {
    let buffer = terminal.backend().buffer();
    (0..buffer.area.width).map(|x| buffer[(x, 0)].symbol()).collect()
}

#[test]
fn every_step_in_practice() {
    let lesson = notes();
    for (index, step) in plan(&lesson).iter().enumerate() {
        let mut app = app(Mode::Practice);
        solve_steps(&mut app, &lesson, index);
        for (width, height) in SIZES {
            let terminal = draw(&app, width, height);
            assert!(
                first_line(&terminal).contains(&format!("Step {}:", step.id)),
                "{}",
                first_line(&terminal)
            );
            insta::assert_snapshot!(
                format!("practice_{width}x{height}_step_{}", step.id),
                terminal.backend()
            );
        }
    }
}

#[test]
fn every_step_in_walkthrough() {
    let mut app = app(Mode::Walkthrough);
    for step in plan(&notes()) {
        for (width, height) in SIZES {
            let terminal = draw(&app, width, height);
            assert!(first_line(&terminal).contains(&format!("Step {}:", step.id)));
            insta::assert_snapshot!(
                format!("walkthrough_{width}x{height}_step_{}", step.id),
                terminal.backend()
            );
        }
        press(&mut app, KeyCode::Right);
    }
}

#[test]
fn walkthrough_on_a_projector() {
    let mut app = app(Mode::Walkthrough);
    (0..3).for_each(|_| press(&mut app, KeyCode::Right));
    insta::assert_snapshot!("walkthrough_200x60_step_3A", draw(&app, 200, 60).backend());
}

#[test]
fn a_wrong_answer_with_its_diagnosis() {
    let mut app = app(Mode::Practice);
    type_text(&mut app, "[0.09, 0.665, 0.245]");
    press(&mut app, KeyCode::Enter);
    insta::assert_snapshot!("wrong_answer_80x24", draw(&app, 80, 24).backend());
}

#[test]
fn a_wrong_matrix_entry_is_marked() {
    let lesson = notes();
    let mut app = app(Mode::Practice);
    solve_steps(&mut app, &lesson, 2);
    type_text(&mut app, "[[0.36, 0.09], [2.661, 0.665], [-3.021, 0.755]]");
    press(&mut app, KeyCode::Enter);
    insta::assert_snapshot!("wrong_entry_80x24_step_2B", draw(&app, 80, 24).backend());
}

#[test]
fn an_invalid_answer_points_at_the_spot() {
    let mut app = app(Mode::Practice);
    type_text(&mut app, "[0.09, 0.665,, -0.755]");
    press(&mut app, KeyCode::Enter);
    insta::assert_snapshot!("invalid_answer_80x24", draw(&app, 80, 24).backend());
}

#[test]
fn three_hints_then_a_reveal() {
    let lesson = notes();
    let mut app = app(Mode::Practice);
    solve_steps(&mut app, &lesson, 1);
    press(&mut app, KeyCode::Esc);
    (0..3).for_each(|_| press(&mut app, KeyCode::Char('h')));
    insta::assert_snapshot!("hints_80x24_step_2A", draw(&app, 80, 24).backend());
    press(&mut app, KeyCode::Char('r'));
    insta::assert_snapshot!("revealed_80x24_step_2A", draw(&app, 80, 24).backend());
}

#[test]
fn the_end_of_the_lesson() {
    let lesson = notes();
    let mut app = app(Mode::Practice);
    solve_steps(&mut app, &lesson, plan(&lesson).len());
    insta::assert_snapshot!("complete_80x24", draw(&app, 80, 24).backend());
}

#[test]
fn the_help_overlay() {
    let mut app = app(Mode::Practice);
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('?'));
    insta::assert_snapshot!("help_80x24", draw(&app, 80, 24).backend());
}

#[test]
fn a_terminal_too_small() {
    let app = app(Mode::Practice);
    let terminal = draw(&app, 40, 10);
    let text = terminal.backend().to_string();
    assert!(text.contains("40×10") && text.contains(&format!("{MIN_WIDTH}×{MIN_HEIGHT}")), "{text}");
    insta::assert_snapshot!("too_small_40x10", terminal.backend());
}

#[test]
fn the_lesson_picker() {
    let mut app = App::picker(Mode::Practice);
    app.set_color(true);
    insta::assert_snapshot!("picker_80x24", draw(&app, 80, 24).backend());
}

#[test]
fn a_closed_gate_is_marked() {
    let lesson = load_lesson("closed-gate").unwrap();
    let mut app = app_for(lesson, Mode::Walkthrough, true);
    (0..3).for_each(|_| press(&mut app, KeyCode::Right));
    insta::assert_snapshot!("closed_gate_80x24_step_3A", draw(&app, 80, 24).backend());
}

#[test]
fn the_forward_pass_hides_what_is_asked() {
    let source =
        format!("{}\n[steps]\nask = [\"forward\", \"1\"]\n", shipped::source("notes-example").unwrap());
    let lesson = parse_lesson("forward", &source).unwrap();
    let mut app = app_for(lesson, Mode::Practice, true);
    type_text(&mut app, "[1, 1]");
    press(&mut app, KeyCode::Enter);
    insta::assert_snapshot!("forward_80x24_step_0", draw(&app, 80, 24).backend());
}

/// The cells whose text starts with `text` on some row.
fn cells_of<'a>(buffer: &'a Buffer, text: &str) -> Vec<&'a ratatui::buffer::Cell> {
    let width = buffer.area.width;
    let mut found = Vec::new();
    for y in 0..buffer.area.height {
        let row: Vec<&str> = (0..width).map(|x| buffer[(x, y)].symbol()).collect();
        for x in 0..width as usize {
            if row[x..].concat().starts_with(text) {
                found.push(&buffer[(x as u16, y)]);
            }
        }
    }
    found
}

#[test]
fn highlights_are_coloured_and_still_visible_without_colour() {
    let mut colored = app(Mode::Practice);
    type_text(&mut colored, "[0.09, 0.665, 0.245]");
    press(&mut colored, KeyCode::Enter);
    let terminal = draw(&colored, 80, 24);
    let buffer = terminal.backend().buffer();
    // Step 1 reads ô: its header is highlighted; the wrong third entry is red.
    let header = cells_of(buffer, "▸ô");
    assert!(!header.is_empty() && header.iter().all(|c| c.fg == Color::Yellow), "{header:?}");
    let wrong = cells_of(buffer, "0.245✗");
    assert!(!wrong.is_empty() && wrong.iter().all(|c| c.fg == Color::Red), "{wrong:?}");

    let mut plain = app_for(notes(), Mode::Practice, false);
    type_text(&mut plain, "[0.09, 0.665, 0.245]");
    press(&mut plain, KeyCode::Enter);
    let terminal = draw(&plain, 80, 24);
    let buffer = terminal.backend().buffer();
    assert!(buffer.content.iter().all(|c| c.fg == Color::Reset && c.bg == Color::Reset));
    assert!(
        cells_of(buffer, "▸ô").iter().all(|c| c.modifier.contains(Modifier::BOLD | Modifier::UNDERLINED))
    );
    assert!(cells_of(buffer, "0.245✗").iter().all(|c| c.modifier.contains(Modifier::BOLD)));
    // The same text either way: colour only adds to what the symbols say.
    assert_eq!(format!("{}", draw(&colored, 80, 24).backend()), format!("{}", terminal.backend()));
}

#[test]
fn the_answer_box_shows_its_cursor() {
    let mut app = app(Mode::Practice);
    type_text(&mut app, "[1");
    let terminal = draw(&app, 80, 24);
    let buffer = terminal.backend().buffer();
    let prompt = cells_of(buffer, "∂L/∂o = [1");
    assert_eq!(prompt.len(), 1);
    let reversed: Vec<_> =
        buffer.content.iter().filter(|c| c.modifier.contains(Modifier::REVERSED)).collect();
    assert_eq!(reversed.len(), 1, "one cursor cell");
}

/// Every shipped lesson, every step, both modes, with and without help, at sizes from tiny to
/// huge: drawing never panics (no underflow in a layout sum, no index past a short layer).
#[test]
fn every_screen_draws_at_every_size() {
    let sizes = [(1, 1), (12, 4), (40, 10), (59, 19), (60, 20), (61, 21), (80, 24), (97, 31), (200, 60)];
    let picker = App::picker(Mode::Practice);
    for &(width, height) in &sizes {
        draw(&picker, width, height);
    }
    for name in shipped::names() {
        for mode in [Mode::Practice, Mode::Walkthrough] {
            let lesson = load_lesson(name).unwrap();
            let steps = plan(&lesson).len();
            let mut app = app_for(lesson, mode, true);
            for _ in 0..steps {
                for &(width, height) in &sizes {
                    draw(&app, width, height);
                }
                press(&mut app, KeyCode::Esc);
                press(&mut app, KeyCode::Char('r'));
                press(&mut app, KeyCode::Char('?'));
                draw(&app, 80, 24);
                press(&mut app, KeyCode::Char('?'));
                press(&mut app, KeyCode::Right);
            }
        }
    }
}
