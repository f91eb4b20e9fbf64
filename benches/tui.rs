//! One full frame of the tutor drawn on ratatui's `TestBackend` at 120×40, and a key typed
//! into the answer box with the frame after it. Goal (issue 6):
//! under 1 ms per frame, so drawing is never what a key press waits for (see benches/keypress.rs
//! for the whole path through a terminal). The measured figures are in README's "Performance".
//!
//! Each iteration is a whole `Terminal::draw`, as the runtime does after every key: every pane
//! laid out and rendered into a fresh buffer, diffed against the previous frame and flushed.
// A benchmark may unwrap: a panic is how it fails (Cargo.toml [lints]).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use backprop_tutor::authoring::generate::{Options, generate};
use backprop_tutor::engine::Solution;
use backprop_tutor::lesson::{load_lesson, parse_lesson};
use backprop_tutor::plan::{display, plan};
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

    // Typing on a big lesson: each press changes the answer box, so the frame after it reads
    // the text ahead again (the preview) as well as drawing. `new --layers 6,8,8,4 --seed 3`,
    // practice, answered up to Step 3A.
    let options = Options { layers: vec![6, 8, 8, 4], ..Options::with_seed("3") };
    let lesson = parse_lesson("bench", &generate(&options).expect("a lesson")).expect("it loads");
    let mut typing = App::for_lesson(lesson.clone(), Mode::Practice, Progress::default());
    let solution = Solution::new(lesson.network());
    for question in plan(&lesson).iter().take(3).flat_map(|step| &step.asks) {
        let value = solution.value_of(question).expect("a value");
        type_text(&mut typing, &display::value(&value).replace('−', "-"));
        press_code(&mut typing, KeyCode::Enter);
    }
    type_text(&mut typing, "dL_dh2 * diag(z2 > 0) * W");
    let mut terminal = Terminal::new(TestBackend::new(WIDTH, HEIGHT)).unwrap();
    draw(&mut terminal, &typing);
    let first_line: String = (0..WIDTH).map(|x| terminal.backend().buffer()[(x, 0)].symbol()).collect();
    assert!(first_line.contains("Step 3A"), "{first_line}");
    let mut typed = false;
    c.bench_function("key and frame 120x40, 6-8-8-4, practice Step 3A, typing", |b| {
        b.iter(|| {
            // `2` then Backspace, in turn: the box's text differs at every press.
            press_code(&mut typing, if typed { KeyCode::Backspace } else { KeyCode::Char('2') });
            typed = !typed;
            draw(&mut terminal, &typing);
        })
    });
}

fn type_text(app: &mut App, text: &str) {
    text.chars().for_each(|c| press(app, c));
}

fn press_code(app: &mut App, code: KeyCode) {
    app.update(Message::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

fn press(app: &mut App, c: char) {
    press_code(app, KeyCode::Char(c));
}

criterion_group!(tui, benches);
criterion_main!(tui);
