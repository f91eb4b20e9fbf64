//! One full frame of the tutor drawn on ratatui's `TestBackend` at 120×40. Goal (issue 6):
//! under 1 ms per frame, so drawing is never what a key press waits for (see benches/keypress.rs
//! for the whole path through a terminal). The measured figures are in README's "Performance".
//!
//! Each iteration is a whole `Terminal::draw`, as the runtime does after every key: every pane
//! laid out and rendered into a fresh buffer, diffed against the previous frame and flushed.

use backprop_tutor::authoring::generate::{Options, generate};
use backprop_tutor::lesson::{load_lesson, parse_lesson};
use backprop_tutor::tui::{App, Message};
use backprop_tutor::tutor::Mode;
use backprop_tutor::tutor::Progress;
use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

const WIDTH: u16 = 120;
const HEIGHT: u16 = 40;

fn app(mode: Mode) -> App {
    let lesson = load_lesson("notes-example").expect("shipped");
    App::for_lesson(lesson, mode, Progress::default())
}

/// Times drawing `app`, after checking that the frame shows `step` (so the bench measures the
/// screen it is named after).
fn bench_frame(c: &mut Criterion, name: &str, app: &App, step: &str) {
    let mut terminal = Terminal::new(TestBackend::new(WIDTH, HEIGHT)).unwrap();
    draw(&mut terminal, app);
    let buffer = terminal.backend().buffer();
    let first_line: String = (0..WIDTH).map(|x| buffer[(x, 0)].symbol()).collect();
    assert!(first_line.contains(step), "{first_line}");
    c.bench_function(name, |b| b.iter(|| draw(&mut terminal, app)));
}

/// What the runtime does after every key (src/tui/terminal.rs).
fn draw(terminal: &mut Terminal<TestBackend>, app: &App) {
    terminal.draw(|frame| frame.render_widget(app, frame.area())).unwrap();
}

fn benches(c: &mut Criterion) {
    bench_frame(c, "frame 120x40, notes-example, practice Step 1", &app(Mode::Practice), "Step 1:");

    // Step 3A is the notes' busiest screen: a gate's Jacobian, the longest derivation, and every
    // pane full of values.
    let mut walkthrough = app(Mode::Walkthrough);
    press(&mut walkthrough, '3');
    bench_frame(c, "frame 120x40, notes-example, walkthrough Step 3A", &walkthrough, "Step 3A:");

    // A generated lesson of four hidden layers of 8 units: 8×8 matrices, a 64-line derivation.
    let options = Options { layers: vec![8, 8, 8, 8, 8, 3], ..Options::with_seed("bench") };
    let lesson = parse_lesson("bench", &generate(&options).expect("a lesson")).expect("it loads");
    let mut deep = App::for_lesson(lesson, Mode::Walkthrough, Progress::default());
    press(&mut deep, '3');
    press(&mut deep, '3');
    bench_frame(c, "frame 120x40, 8-8-8-8-8-3, walkthrough Step 3B.4", &deep, "Step 3B.4");
}

fn press(app: &mut App, c: char) {
    app.update(Message::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)));
}

criterion_group!(tui, benches);
criterion_main!(tui);
