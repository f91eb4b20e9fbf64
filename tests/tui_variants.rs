//! `n` in the tutor (DESIGN.md §6.6, §7): a new variant of the lesson, or after a diagnosed
//! mistake an exercise in which that mistake stands out; either way the tutor shows the exact
//! `new` command line, which run on its own makes the very same lesson.

use crate::support::screens;

use assert_cmd::cargo::cargo_bin_cmd;
use backprop_tutor::diagnosis::DiagnosisId;
use backprop_tutor::lesson::{load_lesson, parse_lesson};
use backprop_tutor::tui::{App, Command};
use backprop_tutor::tutor::course::Variant;
use backprop_tutor::tutor::{Mode, Progress};
use ratatui::crossterm::event::KeyCode;
use screens::{app_for, draw, press, rows, type_text};

/// The screen's text on one line, runs of blanks made one.
fn screen(app: &App, width: u16, height: u16) -> String {
    rows(draw(app, width, height).backend().buffer())
        .join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// `n`, outside the answer box: the variant the tutor asks the runtime to open.
fn press_n(app: &mut App) -> Variant {
    press(app, KeyCode::Esc);
    match press(app, KeyCode::Char('n')).as_slice() {
        [Command::Save, Command::OpenVariant(variant)] => variant.clone(),
        other => panic!("{other:?}"),
    }
}

/// Runs the command line as a student would, and checks it makes the variant's own lesson.
fn assert_rebuilds(variant: &Variant) {
    let line = variant.command_line();
    let args: Vec<&str> =
        line.strip_prefix("backprop-tutor ").expect("the program's name").split(' ').collect();
    let output = cargo_bin_cmd!("backprop-tutor").args(&args).output().unwrap();
    assert!(output.status.success(), "{line}: {}", String::from_utf8_lossy(&output.stderr));
    let rebuilt = parse_lesson("rebuilt", &String::from_utf8(output.stdout).unwrap()).unwrap();
    assert_eq!(rebuilt.fingerprint(), variant.lesson().unwrap().fingerprint(), "{line}");
}

#[test]
fn after_a_diagnosed_mistake_n_makes_an_exercise_for_it() {
    let mut app = app_for(load_lesson("notes-example").unwrap(), Mode::Practice);
    // ô itself for ∂L/∂o: the one-hot label left out.
    type_text(&mut app, "[0.09003, 0.6652, 0.2447]");
    press(&mut app, KeyCode::Enter);
    assert!(screen(&app, 80, 24).contains("Esc, then n: an exercise in which this mistake stands out."));

    let variant = press_n(&mut app);
    assert_eq!(variant.expose, [DiagnosisId::MissingOnehot]);
    assert!(variant.command_line().ends_with(" --expose missing_onehot"), "{}", variant.command_line());
    assert_rebuilds(&variant);

    let lesson = variant.lesson().unwrap();
    app.open_variant(lesson, Progress::default(), variant.clone());
    let shown = screen(&app, 120, 40);
    assert!(shown.contains("An exercise for missing_onehot"), "{shown}");
    assert!(shown.contains(&variant.command_line()), "the command, whole, to copy: {shown}");
    // The overlay closes; the new exercise starts at its Step 1.
    press(&mut app, KeyCode::Esc);
    assert!(!screen(&app, 120, 40).contains("An exercise for"));
}

#[test]
fn without_a_mistake_n_makes_a_variant_of_the_shape() {
    for name in ["notes-example", "three-hidden-layers", "tanh", "batch-mean"] {
        let mut app = app_for(load_lesson(name).unwrap(), Mode::Practice);
        let variant = press_n(&mut app);
        assert!(variant.expose.is_empty(), "{name}");
        assert_rebuilds(&variant);
        app.open_variant(variant.lesson().unwrap(), Progress::default(), variant.clone());
        let shown = screen(&app, 120, 40);
        assert!(
            shown.contains("A new variant") && shown.contains(&variant.command_line()),
            "{name}: {shown}"
        );
    }
}
