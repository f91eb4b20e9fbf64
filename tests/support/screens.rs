//! Driving the tutor's app on ratatui's `TestBackend`: what tests/tui_snapshots.rs and
//! tests/tui_needs.rs share. tests/suite.rs declares it once, as `support::screens`.
#![allow(dead_code)]

use backprop_tutor::authoring::generate::{Options, generate};
use backprop_tutor::engine::Solution;
use backprop_tutor::lesson::{Lesson, load_lesson, parse_lesson, shipped};
use backprop_tutor::plan::display;
use backprop_tutor::tui::{App, Command, Message};
use backprop_tutor::tutor::{Mode, Progress, Session};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

pub(crate) const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

/// A lesson `new` makes: the same on every machine for the same options.
pub(crate) fn generated(layers: &[usize], seed: &str) -> Lesson {
    let options = Options { layers: layers.to_vec(), ..Options::with_seed(seed) };
    parse_lesson("generated", &generate(&options).unwrap()).unwrap()
}

/// Every shipped lesson, then a 6-8-8-4 and a 4-hidden-layer lesson of 8 units, by name.
pub(crate) fn lessons() -> Vec<(String, Lesson)> {
    let mut lessons: Vec<(String, Lesson)> =
        shipped::names().map(|name| (name.to_string(), load_lesson(name).unwrap())).collect();
    lessons.push(("new-6-8-8-4".into(), generated(&[6, 8, 8, 4], "snapshots")));
    lessons.push(("new-8-8-8-8-8-3".into(), generated(&[8, 8, 8, 8, 8, 3], "snapshots")));
    lessons
}

pub(crate) fn app_for(lesson: Lesson, mode: Mode) -> App {
    let mut app = App::for_lesson(lesson, mode, Progress::default());
    app.set_color(true);
    app
}

pub(crate) fn draw(app: &App, width: u16, height: u16) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|frame| frame.render_widget(app, frame.area())).unwrap();
    terminal
}

/// A key pressed; what the app asks the runtime to do.
pub(crate) fn press(app: &mut App, code: KeyCode) -> Vec<Command> {
    app.update(Message::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

pub(crate) fn type_text(app: &mut App, text: &str) {
    text.chars().for_each(|c| {
        press(app, KeyCode::Char(c));
    });
}

/// The rows of a buffer, trailing blanks dropped.
pub(crate) fn rows(buffer: &Buffer) -> Vec<String> {
    (0..buffer.area.height)
        .map(|y| {
            let row: String = (0..buffer.area.width).map(|x| buffer[(x, y)].symbol()).collect();
            row.trim_end().to_string()
        })
        .collect()
}

/// A value as a student types it from the screen: four significant digits, ASCII minus.
pub(crate) fn typed(session: &Session, question: &backprop_tutor::quantity::QuantityRef) -> String {
    display::value(&session.solution().value_of(question).unwrap()).replace('−', "-")
}

/// Calls `visit` at each position of a lesson, with a label: in practice at each question as
/// it is asked (answered right from the screen to go on); in a walkthrough at each step and
/// part, as → reaches them.
pub(crate) fn for_each_position(lesson: &Lesson, mode: Mode, mut visit: impl FnMut(&mut App, &str)) {
    let mut app = app_for(lesson.clone(), mode);
    let session = |app: &App| -> Session {
        // The app's session is private; a twin tells where it stands.
        let (lesson, mode, progress) = app.record().unwrap();
        Session::new(lesson.clone(), mode, progress)
    };
    match mode {
        Mode::Practice => loop {
            let twin = session(&app);
            let Some(question) = twin.current_question().cloned() else { break };
            visit(&mut app, &format!("step {} {question}", twin.step().id));
            type_text(&mut app, &typed(&twin, &question));
            press(&mut app, KeyCode::Enter);
            assert_ne!(
                session(&app).question(&question).status,
                backprop_tutor::tutor::Status::Open,
                "{question}"
            );
        },
        Mode::Walkthrough => {
            let steps = session(&app).steps().len();
            // Each position's header is read once: where → led is where the next turn starts.
            let (mut place, mut label) = position(&app);
            for _ in 0..steps * 8 {
                visit(&mut app, &label);
                press(&mut app, KeyCode::Right);
                let (next_place, next_label) = position(&app);
                if next_place == place {
                    break;
                }
                (place, label) = (next_place, next_label);
            }
        }
    }
}

/// Where a walkthrough stands, by the header's first line.
fn position(app: &App) -> (String, String) {
    let terminal = draw(app, 200, 20);
    let first = rows(terminal.backend().buffer()).remove(0);
    // " Title · Step 0: the forward pass · z(1), h(1)    walkthrough · …": the step and part.
    let id = first.split(" · Step ").nth(1).and_then(|rest| rest.split([':', ' ']).next()).unwrap_or("");
    let part = first.split("part ").nth(1).unwrap_or("1").to_string();
    let label = format!("step {id} part {part}");
    (first, label)
}

pub(crate) fn solution(lesson: &Lesson) -> Solution {
    Solution::new(lesson.network())
}
