//! The tutor's screens, drawn on ratatui's `TestBackend` and compared with the snapshots in
//! `tests/snapshots/` (review changes by hand: `INSTA_UPDATE=always cargo test --test
//! suite tui_snapshots`, then `git diff tests/snapshots`). Snapshots hold text only, so the colours
//! and attributes are checked on the buffer's cells below.

use crate::support::screens;

use backprop_tutor::lesson::{Lesson, load_lesson, parse_lesson, shipped};
use backprop_tutor::plan::plan;
use backprop_tutor::tui::{App, Command, MIN_HEIGHT, MIN_WIDTH};
use backprop_tutor::tutor::course::shipped_lessons;
use backprop_tutor::tutor::{Mode, Progress};
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::KeyCode;
use ratatui::style::{Color, Modifier};
use screens::{SIZES, app_for, draw, for_each_position, lessons, press, rows, type_text};

fn notes() -> Lesson {
    load_lesson("notes-example").unwrap()
}

fn app(mode: Mode) -> App {
    app_for(notes(), mode)
}

fn first_line(terminal: &ratatui::Terminal<ratatui::backend::TestBackend>) -> String {
    rows(terminal.backend().buffer()).remove(0)
}

/// Every position of every lesson (shipped, and two generated ones of 8-unit layers), in both
/// modes and at both sizes: one snapshot file per lesson, mode and size, each position's frame
/// under a line naming it, trailing blanks dropped to keep the files small.
#[test]
fn every_step_of_every_lesson() {
    for (name, lesson) in lessons() {
        for (mode, mode_name) in [(Mode::Practice, "practice"), (Mode::Walkthrough, "walkthrough")] {
            let mut frames: Vec<String> = SIZES.iter().map(|_| String::new()).collect();
            for_each_position(&lesson, mode, |app, label| {
                for (frame, &(width, height)) in frames.iter_mut().zip(&SIZES) {
                    let terminal = draw(app, width, height);
                    let step = label.split(' ').nth(1).unwrap_or_default();
                    assert!(
                        first_line(&terminal).contains(&format!("Step {step}")),
                        "{name}: {}",
                        first_line(&terminal)
                    );
                    frame.push_str(&format!(
                        "=== {label}\n{}\n",
                        rows(terminal.backend().buffer()).join("\n")
                    ));
                }
            });
            for (frame, (width, height)) in frames.iter().zip(SIZES) {
                insta::assert_snapshot!(format!("{name}_{mode_name}_{width}x{height}"), frame);
            }
        }
    }
}

/// Answers every question of the first `steps` steps right, as typed from the screen.
fn solve_steps(app: &mut App, lesson: &Lesson, steps: usize) {
    let mut answered = 0;
    for_each_position_until(app, lesson, |step| {
        answered = step;
        step < steps
    });
    let _ = answered;
}

/// Answers questions in order while `go_on(index of the step asked)` says so.
fn for_each_position_until(app: &mut App, lesson: &Lesson, mut go_on: impl FnMut(usize) -> bool) {
    use backprop_tutor::tutor::{Progress, Session};
    loop {
        let (_, _, progress) = app.record().unwrap();
        let twin = Session::new(lesson.clone(), Mode::Practice, Progress { ..progress });
        let Some(question) = twin.current_question().cloned() else { return };
        if !go_on(twin.step_index()) {
            return;
        }
        type_text(app, &screens::typed(&twin, &question));
        press(app, KeyCode::Enter);
    }
}

/// notes-update in practice at 120×40: Step 5 with W(1) beside W(1)_new and a wrong answer
/// (a step uphill) marked on it; Step 6 with the loss before beside L_new.
#[test]
fn the_update_and_the_loss_after_it() {
    let lesson = load_lesson("notes-update").unwrap();
    let steps = plan(&lesson);
    let update = steps.iter().position(|s| s.id == "5").unwrap();
    let mut app = app_for(lesson.clone(), Mode::Practice);
    solve_steps(&mut app, &lesson, update);
    type_text(&mut app, "W1 + eta * dL_dW1");
    press(&mut app, KeyCode::Enter);
    insta::assert_snapshot!("notes-update_120x40_step_5_uphill", draw(&app, 120, 40).backend());
    // The wrong answer stays in the box to be corrected: cleared, to type the right one.
    "W1 + eta * dL_dW1".chars().for_each(|_| {
        press(&mut app, KeyCode::Backspace);
    });
    solve_steps(&mut app, &lesson, update + 1);
    insta::assert_snapshot!("notes-update_120x40_step_6", draw(&app, 120, 40).backend());
}

#[test]
fn walkthrough_on_a_projector() {
    let mut app = app(Mode::Walkthrough);
    type_text(&mut app, "3p");
    insta::assert_snapshot!("projector_120x40_step_3A", draw(&app, 120, 40).backend());
    let mut app = app_for(screens::generated(&[6, 8, 8, 4], "snapshots"), Mode::Walkthrough);
    type_text(&mut app, "3p");
    insta::assert_snapshot!("projector_new-6-8-8-4_200x50_step_3A", draw(&app, 200, 50).backend());
    // Posed: the answer hidden until Space.
    press(&mut app, KeyCode::Char(' '));
    let text = draw(&app, 200, 50).backend().to_string();
    assert!(text.contains("posed") && !text.contains("∂L/∂h1(1) ="), "{text}");
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

/// The rows of the answer pane: from its title to the key bar.
fn answer_pane(app: &App, width: u16, height: u16) -> String {
    let rows = rows(draw(app, width, height).backend().buffer());
    let start = rows.iter().rposition(|row| row.starts_with(" Answer ")).expect("the answer pane");
    rows[start..rows.len() - 1].join("\n")
}

/// While typing, the box is read ahead: where the text stops being readable (a caret under
/// it), the shape and entries it reads as, said against the shape asked, a formula's value;
/// and under it, always, the digits to give and the names the formula reads.
#[test]
fn typing_shows_what_the_box_reads_as() {
    let lesson = notes();
    let mut app = app(Mode::Practice);
    let mut frames = Vec::new();
    for typed in ["", "[0.09, 0.66", "5, -0.755]"] {
        type_text(&mut app, typed);
        frames.push(format!("=== typed {typed:?}\n{}", answer_pane(&app, 80, 24)));
    }
    press(&mut app, KeyCode::Enter);
    solve_steps(&mut app, &lesson, 2);
    for typed in ["[[1, 2, 3], [4, 5, 6]]", "", "dL_do' * h2'"] {
        (0..40).for_each(|_| {
            press(&mut app, KeyCode::Backspace);
        });
        type_text(&mut app, typed);
        frames.push(format!("=== step 2B, typed {typed:?}\n{}", answer_pane(&app, 80, 24)));
    }
    insta::assert_snapshot!("typing_preview_80x24", frames.join("\n"));
}

/// `n` after a diagnosed mistake: the offer under the verdict, then the exercise made for it,
/// with the command that makes it again.
#[test]
fn an_exercise_for_a_mistake() {
    let mut app = app(Mode::Practice);
    type_text(&mut app, "[0.09003, 0.6652, 0.2447]");
    press(&mut app, KeyCode::Enter);
    let offer = answer_pane(&app, 80, 24);
    press(&mut app, KeyCode::Esc);
    let Some(Command::OpenVariant(variant)) = press(&mut app, KeyCode::Char('n')).pop() else { panic!() };
    app.open_variant(variant.lesson().unwrap(), Progress::default(), variant);
    let made = rows(draw(&app, 80, 24).backend().buffer()).join("\n");
    insta::assert_snapshot!("exercise_for_a_mistake_80x24", format!("{offer}\n=== n\n{made}"));
}

#[test]
fn three_hints_then_a_reveal() {
    let lesson = notes();
    let mut app = app(Mode::Practice);
    solve_steps(&mut app, &lesson, 1);
    press(&mut app, KeyCode::Esc);
    (0..3).for_each(|_| {
        press(&mut app, KeyCode::Char('h'));
    });
    insta::assert_snapshot!("hints_80x24_step_2A", draw(&app, 80, 24).backend());
    press(&mut app, KeyCode::Char('r'));
    insta::assert_snapshot!("reveal_asks_80x24_step_2A", draw(&app, 80, 24).backend());
    press(&mut app, KeyCode::Char('y'));
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
    // At the smallest size the help scrolls rather than losing sections.
    insta::assert_snapshot!("help_60x20", draw(&app, 60, 20).backend());
    press(&mut app, KeyCode::PageDown);
    press(&mut app, KeyCode::PageDown);
    insta::assert_snapshot!("help_60x20_scrolled", draw(&app, 60, 20).backend());
}

/// The lines of the help box on screen, without its borders and scroll markers.
fn help_lines(app: &App, width: u16, height: u16) -> Vec<String> {
    rows(draw(app, width, height).backend().buffer())
        .into_iter()
        .filter_map(|row| Some(row.strip_prefix('│')?.trim_end_matches('│').trim_end().to_string()))
        .filter(|line| !line.starts_with('⋯'))
        .collect()
}

/// PgDn moves the help a page, not to its end: paging from the top shows every line of it,
/// in order, a page at a time.
#[test]
fn the_help_pages_a_page_at_a_time() {
    let mut app = app(Mode::Practice);
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('?'));
    let whole = help_lines(&app, 60, 200);
    let mut seen_up_to = 0;
    let mut pages = 0;
    loop {
        let view = help_lines(&app, 60, 20);
        let start = (0..whole.len())
            .find(|&i| whole[i..].starts_with(&view))
            .unwrap_or_else(|| panic!("a run of the help's lines: {view:#?}"));
        assert!(start <= seen_up_to, "lines {seen_up_to}..{start} were skipped");
        seen_up_to = start + view.len();
        if seen_up_to == whole.len() {
            break;
        }
        press(&mut app, KeyCode::PageDown);
        pages += 1;
        assert!(pages < whole.len(), "paging never reached the end");
    }
    assert!(pages > 2, "the help takes several pages at 60×20, not {pages}");
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
    let mut app = App::picker(Mode::Practice, shipped_lessons(|_| Default::default()));
    app.set_color(true);
    insta::assert_snapshot!("picker_80x24", draw(&app, 80, 24).backend());
}

#[test]
fn a_closed_gate_is_marked() {
    let lesson = load_lesson("closed-gate").unwrap();
    let mut app = app_for(lesson, Mode::Walkthrough);
    type_text(&mut app, "3");
    insta::assert_snapshot!("closed_gate_80x24_step_3A", draw(&app, 80, 24).backend());
}

#[test]
fn the_forward_pass_hides_what_is_asked() {
    let source =
        format!("{}\n[steps]\nask = [\"forward\", \"1\"]\n", shipped::source("notes-example").unwrap());
    let lesson = parse_lesson("forward", &source).unwrap();
    let mut app = app_for(lesson, Mode::Practice);
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

    let mut plain = app_for(notes(), Mode::Practice);
    plain.set_color(false);
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

/// Sizes from tiny to huge.
const EVERY_SIZE: [(u16, u16); 9] =
    [(1, 1), (12, 4), (40, 10), (59, 19), (60, 20), (61, 21), (80, 24), (97, 31), (200, 60)];

/// Every shipped lesson, every step, both modes (one test each: these are the suite's longest,
/// and two halves run on two threads), with and without help, at sizes from tiny to huge:
/// drawing never panics (no underflow in a layout sum, no index past a short layer).
#[test]
fn every_practice_screen_draws_at_every_size() {
    let picker = App::picker(Mode::Practice, shipped_lessons(|_| Default::default()));
    for &(width, height) in &EVERY_SIZE {
        draw(&picker, width, height);
    }
    every_screen_draws_at_every_size(Mode::Practice);
}

#[test]
fn every_walkthrough_screen_draws_at_every_size() {
    every_screen_draws_at_every_size(Mode::Walkthrough);
}

fn every_screen_draws_at_every_size(mode: Mode) {
    for name in shipped::names() {
        let lesson = load_lesson(name).unwrap();
        let steps = plan(&lesson).len();
        let mut app = app_for(lesson, mode);
        for _ in 0..steps + 4 {
            for &(width, height) in &EVERY_SIZE {
                draw(&app, width, height);
            }
            press(&mut app, KeyCode::Esc);
            press(&mut app, KeyCode::Char('r'));
            draw(&app, 60, 20);
            press(&mut app, KeyCode::Char('y'));
            press(&mut app, KeyCode::Char('?'));
            draw(&app, 60, 20);
            press(&mut app, KeyCode::Char('?'));
            press(&mut app, KeyCode::Char('p'));
            draw(&app, 60, 20);
            draw(&app, 200, 60);
            press(&mut app, KeyCode::Char('p'));
            press(&mut app, KeyCode::Right);
        }
    }
}

/// After Enter the graded answer stays in the box, selected: drawn in the selection's style
/// (reverse video without colour) and said in words beside it; the first character typed
/// replaces it, and then the box is plain text again.
#[test]
fn a_graded_answer_is_shown_selected() {
    for color in [true, false] {
        let mut app = app(Mode::Practice);
        app.set_color(color);
        type_text(&mut app, "[0.09, 0.665, 0.245]");
        press(&mut app, KeyCode::Enter);
        let terminal = draw(&app, 80, 24);
        let buffer = terminal.backend().buffer();
        let answer = cells_of(buffer, "[0.09, 0.665, 0.245]   selected: typing replaces it");
        assert_eq!(answer.len(), 1, "{}", terminal.backend());
        let selected = |text: &str| {
            let cell = cells_of(buffer, text)[0];
            if color { cell.bg == Color::Gray } else { cell.modifier.contains(Modifier::REVERSED) }
        };
        // Every character of the answer, and none of the note.
        for start in ["[0.09, 0.665", "0.665, 0.245]   sel", "0.245]   sel", "]   sel"] {
            assert!(selected(start), "{start} (colour {color})");
        }
        assert!(!selected("selected: typing"), "colour {color}");

        type_text(&mut app, "o");
        let text = draw(&app, 80, 24).backend().to_string();
        assert!(text.contains("∂L/∂o = o ") && !text.contains("typing replaces"), "{text}");
    }
}

#[test]
fn the_help_says_how_to_replace_and_edit_the_answer() {
    let mut app = app(Mode::Practice);
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('?'));
    let help = help_lines(&app, 60, 200).join(" ").split_whitespace().collect::<Vec<_>>().join(" ");
    for said in
        ["selected: typing replaces it", "Backspace or Delete first end the selection", "Ctrl-U clears"]
    {
        assert!(help.contains(said), "{said}: {help}");
    }
}
