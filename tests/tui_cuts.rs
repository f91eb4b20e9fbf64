//! At 80×24 nothing is cut without a marker (DESIGN.md §6.5), and the marker's key reaches
//! the rest: each case the QA report found, reached as a student reaches it. Before the fix the
//! answer pane stopped at seven rows with no word, and a context pane's marker named PgDn,
//! which scrolls only the focused pane.

use crate::support::screens;

use backprop_tutor::lesson::{Lesson, load_lesson};
use backprop_tutor::tui::App;
use backprop_tutor::tutor::{Mode, Session};
use ratatui::crossterm::event::KeyCode;
use screens::{app_for, draw, generated, press, rows, type_text, typed};

/// The app with every question before Step `step` answered right, as typed from the screen.
fn at_step(lesson: &Lesson, step: &str) -> App {
    let mut app = app_for(lesson.clone(), Mode::Practice);
    loop {
        let (lesson, mode, progress) = app.record().unwrap();
        let twin = Session::new(lesson.clone(), mode, progress);
        let question = twin.current_question().cloned().expect("the step is reached");
        if twin.step().id == step {
            return app;
        }
        type_text(&mut app, &typed(&twin, &question));
        press(&mut app, KeyCode::Enter);
    }
}

/// The rows of the pane titled `title` (its title row first), up to the next pane's title or
/// the key bar.
fn pane<'a>(rows: &'a [String], title: &str) -> &'a [String] {
    let Some(start) = rows.iter().position(|r| r.trim_start().trim_start_matches("◆ ").starts_with(title))
    else {
        return &[];
    };
    let end = (start + 1..rows.len() - 1).find(|&i| rows[i].contains("───")).unwrap_or(rows.len() - 1);
    &rows[start..end]
}

/// The screen's text on one line, runs of blanks made one: wrapped text reads whole in it.
fn flat(rows: &[String]) -> String {
    rows.join(" ").split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether every one of `texts` is in the pane titled `title` at 80×24; else presses the key
/// a marker names (PgDn for the focused pane, Tab for another) and looks again. Fails when
/// something is missing and no marker says so, or when the keys never bring it.
fn reach(app: &mut App, title: &str, texts: &[&str]) {
    for _ in 0..12 {
        let screen = rows(draw(app, 80, 24).backend().buffer());
        let text = flat(pane(&screen, title));
        if texts.iter().all(|t| text.contains(t)) {
            return;
        }
        let markers: Vec<&String> = screen.iter().filter(|r| r.contains("⋯")).collect();
        let key = if markers.iter().any(|m| m.contains("more lines · PgDn")) {
            KeyCode::PageDown
        } else if markers.iter().any(|m| m.contains("more lines · Tab")) {
            KeyCode::Tab
        } else {
            panic!("{texts:?} not in the {title} pane, and no marker says so:\n{}", screen.join("\n"));
        };
        press(app, key);
    }
    panic!("the markers' keys never brought {texts:?} into the {title} pane");
}

/// Report (a): a diagnosis of two slips, its precision line and the `n` offer under it.
#[test]
fn long_feedback_is_marked_and_reached() {
    let mut app = at_step(&generated(&[6, 8, 8, 4], "s1"), "3A");
    type_text(&mut app, "(W2 * dL_dh2')'");
    press(&mut app, KeyCode::Enter);
    reach(&mut app, "Answer", &["Two slips at once.", "Then:", "significant digits", "Esc, then n:"]);
}

/// Report (b): the prompt under the box, whose last word was cut.
#[test]
fn the_prompt_under_feedback_is_marked_and_reached() {
    let mut app = at_step(&load_lesson("batch-mean").unwrap(), "sum");
    type_text(&mut app, "loss#1 + loss#2 + loss#3");
    press(&mut app, KeyCode::Enter);
    reach(&mut app, "Answer", &["✗ incorrect", "a formula of loss#1, loss#2, loss#3 also works"]);
}

/// Report (c): the last gradient, in a band below the one in view.
#[test]
fn a_gradient_below_the_band_in_view_is_reached() {
    let mut app = at_step(&load_lesson("notes-update").unwrap(), "5");
    reach(&mut app, "Gradients", &["∂L/∂W(2)", "∂L/∂W(1)"]);
}
