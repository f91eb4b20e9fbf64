//! What a step needs is on screen (DESIGN.md §6.5), for every position of every shipped lesson
//! and of a 6-8-8-4 and a 4-hidden-layer lesson of 8 units, in both modes, at 80×24 and 120×40.
//!
//! Not a snapshot: what is needed is computed from the step's own description (its formula's
//! terms, its Jacobians, the asked quantities, the formula's text, the derivation) and looked
//! for in the drawn buffer: every entry of every value the formula combines and of the asked
//! quantity (`?` while it is to be found) as a number on screen, the formula word for word,
//! each Jacobian by name, and in a walkthrough the first lines of the derivation (at 120×40,
//! all of them, one page down at most).

use crate::support::screens;

use backprop_tutor::plan::display::{self, number};
use backprop_tutor::plan::formula::{Formula, Term};
use backprop_tutor::plan::{Step, derivation};
use backprop_tutor::quantity::Quantity;
use backprop_tutor::tui::App;
use backprop_tutor::tutor::{Mode, Session, Visibility};
use backprop_tutor::value::Value;
use ratatui::crossterm::event::KeyCode;
use screens::{SIZES, draw, for_each_position, lessons, press, rows};
use std::collections::HashMap;

/// The words of the screen: split at blanks and the brackets and marks around numbers.
fn words(rows: &[String]) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    for row in rows {
        for word in row.split(|c: char| c.is_whitespace() || "[]⎡⎢⎣⎤⎥⎦▸,".contains(c)) {
            if !word.is_empty() {
                *counts.entry(word.to_string()).or_insert(0) += 1;
            }
        }
    }
    counts
}

/// The screen's text on one line, runs of blanks made one: wrapped text reads whole in it.
fn flat(rows: &[String]) -> String {
    rows.join(" ").split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Entries of a value, in reading order, as the screen writes them.
fn entries(value: &Value) -> Vec<String> {
    value.entries().into_iter().map(number).collect()
}

/// What the position on screen needs, from the step's description.
#[derive(Clone)]
struct Needs {
    /// Every number that must be on screen, as many times as it must be there.
    numbers: Vec<String>,
    formula: String,
    names: Vec<String>,
    derivation: Vec<String>,
}

fn needs(session: &Session) -> Needs {
    let step = session.step();
    let shown: Vec<Quantity> = session.shown_asks().iter().map(|q| q.quantity).collect();
    let mut shown_once: Vec<Quantity> = Vec::new();
    for q in &shown {
        if !shown_once.contains(q) {
            shown_once.push(*q);
        }
    }
    let mut numbers = Vec::new();
    let mut names = Vec::new();
    let mut terms: Vec<Term> = Vec::new();
    for quantity in &shown_once {
        for term in step.formula_of(*quantity).map(Formula::terms).unwrap_or_default() {
            if !terms.contains(&term) && !matches!(term, Term::Value(q) if shown.contains(&q)) {
                terms.push(term);
            }
        }
    }
    for term in terms {
        let value = session.term_value(term).expect("every term has a value");
        names.push(match term {
            Term::Gate(gate) => gate.argument.symbol(),
            _ => term.text(),
        });
        match term {
            Term::Value(q) => numbers.extend(visible_entries(session, q, &value)),
            _ => numbers.extend(entries(&value)),
        }
    }
    for quantity in &shown_once {
        names.push(quantity.symbol());
        let value = session.solution().value_of(&session.name_in_step(*quantity)).unwrap();
        numbers.extend(visible_entries(session, *quantity, &value));
    }
    for &jacobian in &step.jacobians {
        names.push(jacobian.symbol());
    }
    let derived = session.derivation_asks();
    let derivation = if derived.is_empty() {
        vec![]
    } else {
        let shown_step = Step { asks: derived, ..step.clone() };
        derivation(&shown_step, session.solution(), usize::MAX).0.iter().map(display::line).collect()
    };
    Needs { numbers, formula: step.formula_text_of(&shown_once), names, derivation }
}

/// The entries of an asked or read quantity as the learner may see them: `?` until found.
fn visible_entries(session: &Session, quantity: Quantity, value: &Value) -> Vec<String> {
    value
        .shape()
        .indices()
        .iter()
        .zip(value.entries())
        .map(|(index, x)| match session.visibility(quantity, index) {
            Visibility::Shown => number(x),
            Visibility::Hidden => "?".into(),
        })
        .collect()
}

/// The twin of the app's session, to read where it stands.
fn twin(app: &App) -> Session {
    let (lesson, mode, progress) = app.record().unwrap();
    let mut session = Session::new(lesson.clone(), mode, progress);
    // A walkthrough's part is not saved: walk the twin to the app's part, read off the header.
    let header = rows(draw(app, 200, 20).backend().buffer()).remove(0);
    let part: usize = header
        .split("part ")
        .nth(1)
        .and_then(|p| p.split(' ').next())
        .and_then(|p| p.parse().ok())
        .unwrap_or(1);
    for _ in 1..part {
        session.go(1);
    }
    session
}

fn missing(screen: &[String], needs: &Needs, lines: usize) -> Vec<String> {
    let mut problems = Vec::new();
    let mut have = words(screen);
    for number in &needs.numbers {
        match have.get_mut(number) {
            Some(n) if *n > 0 => *n -= 1,
            _ => problems.push(format!("the number {number}")),
        }
    }
    let text = flat(screen);
    let formula = needs.formula.split_whitespace().collect::<Vec<_>>().join(" ");
    if !text.contains(&formula) {
        problems.push(format!("the formula {formula}"));
    }
    for name in &needs.names {
        if !text.contains(name.as_str()) {
            problems.push(format!("the name {name}"));
        }
    }
    for line in needs.derivation.iter().take(lines) {
        let line = line.split_whitespace().collect::<Vec<_>>().join(" ");
        if !text.contains(&line) {
            problems.push(format!("the derivation line {line}"));
        }
    }
    problems
}

// One test per mode: these are the suite's longest, and two halves run on two threads.
#[test]
fn what_every_step_needs_is_on_screen_in_practice() {
    what_every_step_needs_is_on_screen(Mode::Practice);
}

#[test]
fn what_every_step_needs_is_on_screen_in_the_walkthrough() {
    what_every_step_needs_is_on_screen(Mode::Walkthrough);
}

fn what_every_step_needs_is_on_screen(mode: Mode) {
    let mut failures = Vec::new();
    for (name, lesson) in lessons() {
        for_each_position(&lesson, mode, |app, label| {
            let session = twin(app);
            let needs = needs(&session);
            for (width, height) in SIZES {
                let screen = rows(draw(app, width, height).backend().buffer());
                // At 80×24 the first lines of the derivation; at 120×40 all of it, the
                // rest of a long one a page down (the numbers and formula stay above it).
                let mut problems = missing(&screen, &needs, 2);
                if width == 120 && problems.is_empty() {
                    let mut all = screen.clone();
                    press(app, KeyCode::PageDown);
                    all.extend(rows(draw(app, width, height).backend().buffer()));
                    press(app, KeyCode::PageUp);
                    let derivation_only = Needs { numbers: vec![], ..needs.clone() };
                    problems = missing(&all, &derivation_only, usize::MAX);
                }
                if !problems.is_empty() {
                    failures
                        .push(format!("{name} {mode:?} {width}×{height} {label}: {}", problems.join("; ")));
                }
            }
        });
    }
    assert!(failures.is_empty(), "{} positions miss something:\n{}", failures.len(), failures.join("\n"));
}
