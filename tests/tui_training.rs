//! The tutor on the training lessons (DESIGN.md §8), through the TUI's own messages: every
//! example's steps, the sum, Step 5 and Step 6 are asked in practice and shown in the
//! walkthrough, each named on the first line, and a wrong update gets its diagnosis. (What the
//! panes show beside Steps 5 and 6 is the TUI's; these tests hold only what the steps are.)

use backprop_tutor::engine::Solution;
use backprop_tutor::lesson::{Lesson, load_lesson};
use backprop_tutor::plan::plan;
use backprop_tutor::tui::{App, Message};
use backprop_tutor::tutor::{Mode, Progress};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::support::typing;
use typing::typed;

fn draw(app: &App) -> String {
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    terminal.draw(|frame| frame.render_widget(app, frame.area())).unwrap();
    let buffer = terminal.backend().buffer().clone();
    (0..buffer.area.height)
        .map(|y| (0..buffer.area.width).map(|x| buffer[(x, y)].symbol()).collect::<String>())
        .collect::<Vec<_>>()
        .join("\n")
}

fn first_line(app: &App) -> String {
    draw(app).lines().next().unwrap().to_string()
}

fn press(app: &mut App, code: KeyCode) {
    app.update(Message::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

fn type_answer(app: &mut App, text: &str) {
    text.chars().for_each(|c| press(app, KeyCode::Char(c)));
    press(app, KeyCode::Enter);
}

fn lesson(name: &str) -> Lesson {
    load_lesson(name).unwrap()
}

#[test]
fn practice_asks_every_example_then_the_sum_then_steps_5_and_6() {
    for name in ["notes-update", "batch-mean"] {
        let lesson = lesson(name);
        let solution = Solution::new(lesson.network());
        let steps = plan(&lesson);
        let mut app = App::for_lesson(lesson.clone(), Mode::Practice, Progress::default());
        for step in &steps {
            assert!(first_line(&app).contains(&format!("Step {}:", step.id)), "{name}: {}", first_line(&app));
            for question in &step.asks {
                type_answer(&mut app, &typed(&solution.value_of(question).unwrap()));
            }
        }
        let done = format!("{n}/{n} steps done", n = steps.len());
        assert!(first_line(&app).contains(&done), "{name}: {}", first_line(&app));
    }
}

#[test]
fn walkthrough_shows_the_training_steps_in_order() {
    let lesson = lesson("batch-mean");
    let asked: Vec<String> = plan(&lesson).into_iter().map(|s| s.id).collect();
    assert_eq!(&asked[asked.len() - 3..], ["sum", "5", "6"]);
    // A walkthrough starts at the forward pass, here of each example in turn, then goes through
    // the steps the lesson asks; → goes through the forward pass a layer at a time.
    let ids: Vec<String> = ["0#1", "0#2", "0#3"].into_iter().map(String::from).chain(asked).collect();
    let mut app = App::for_lesson(lesson, Mode::Walkthrough, Progress::default());
    for id in &ids {
        let named = |app: &App| first_line(app).contains(&format!("Step {id}:"));
        for _ in 0..8 {
            if named(&app) {
                break;
            }
            press(&mut app, KeyCode::Right);
        }
        let screen = draw(&app);
        assert!(screen.lines().next().unwrap().contains(&format!("Step {id}:")), "{id}: {screen}");
        if id == "5" {
            assert!(screen.contains("W(1)_new = W(1) − η ∂L/∂W(1)"), "{screen}");
        }
        if id == "6" {
            assert!(screen.contains("L_new"), "{screen}");
        }
    }
}

#[test]
fn a_step_uphill_is_diagnosed_in_practice() {
    let lesson = lesson("notes-update");
    let solution = Solution::new(lesson.network());
    let steps = plan(&lesson);
    let mut app = App::for_lesson(lesson.clone(), Mode::Practice, Progress::default());
    for step in steps.iter().take_while(|s| s.id != "5") {
        for question in &step.asks {
            type_answer(&mut app, &typed(&solution.value_of(question).unwrap()));
        }
    }
    assert!(first_line(&app).contains("Step 5:"), "{}", first_line(&app));
    // W(1) + η ∂L/∂W(1), typed as a formula in the lesson's names.
    type_answer(&mut app, "W1 + eta * dL_dW1");
    let screen = draw(&app);
    assert!(screen.contains("ascent") || screen.contains("uphill"), "{screen}");
}

/// The rows above the gradients pane: the header, the network and the activations.
fn above_gradients(screen: &str) -> Vec<&str> {
    screen.lines().take_while(|row| !row.starts_with(" Gradients")).collect()
}

#[test]
fn a_step_of_example_2_shows_example_2s_values() {
    use backprop_tutor::network::Objective;
    use backprop_tutor::plan::display::number;
    use backprop_tutor::quantity::{Quantity, QuantityRef};
    let lesson = lesson("batch-mean");
    let solution = Solution::new(lesson.network());
    let of_2 = |q: Quantity| solution.value_of(&QuantityRef::named(q, Some(2))).unwrap().entries();
    let z1 = of_2(Quantity::Z(1));
    assert_ne!(z1, solution.value_of(&QuantityRef::named(Quantity::Z(1), Some(1))).unwrap().entries());
    for mode in [Mode::Walkthrough, Mode::Practice] {
        let mut app = App::for_lesson(lesson.clone(), mode, Progress::default());
        // In practice, answer the way there (a walkthrough reads typed digits as jumps).
        let on_the_way = if mode == Mode::Practice { plan(&lesson) } else { vec![] };
        for step in on_the_way.iter().take_while(|s| s.id != "1#2") {
            for question in &step.asks {
                type_answer(&mut app, &typed(&solution.value_of(question).unwrap()));
            }
        }
        for _ in 0..20 {
            if first_line(&app).contains("Step 1#2:") {
                break;
            }
            press(&mut app, KeyCode::Right);
        }
        let screen = draw(&app);
        assert!(first_line(&app).contains("Step 1#2:"), "{mode:?}: {screen}");
        let rows = above_gradients(&screen);
        assert!(rows.len() > 3, "{mode:?}: {screen}");
        // Every activation of example 2 is given at its Step 1: none is still to find.
        assert!(rows.iter().all(|row| !row.contains('?')), "{mode:?}: {screen}");
        let activations = rows.join("\n");
        for x in z1.iter().chain(&of_2(Quantity::OHat)).chain(&of_2(Quantity::Loss)) {
            assert!(activations.contains(&number(*x)), "{mode:?}: {} not in\n{activations}", number(*x));
        }
        // The step pane's ô, which ∂L/∂o#2 reads, is example 2's too.
        let step_pane: String = screen.lines().skip_while(|row| !row.contains("Step 1#2 ·")).collect();
        for x in of_2(Quantity::OHat) {
            assert!(step_pane.contains(&number(x)), "{mode:?}: {} not in\n{screen}", number(x));
        }
        // And so is the label it names.
        let label = match lesson.network().example(2).objective() {
            Objective::SoftmaxCrossEntropy { label } => *label,
            Objective::Mse { .. } => unreachable!("batch-mean is a softmax lesson"),
        };
        assert!(step_pane.contains(&format!("e_y, y={label}")), "{mode:?}: {screen}");
    }
}

/// Whether `before` heads the tile just before the one `after` heads, on one row of `screen`.
fn beside(screen: &str, before: &str, after: &str) -> bool {
    screen.lines().any(|row| {
        let (Some(at), Some(new)) = (row.find(&format!("▸{before} ")), row.find(&format!("▸{after} ")))
        else {
            return false;
        };
        at < new && !row[at + '▸'.len_utf8()..new].contains('▸')
    })
}

#[test]
fn steps_5_and_6_show_what_the_update_replaces_beside_it() {
    use backprop_tutor::plan::display::number;
    use backprop_tutor::quantity::Quantity;
    let lesson = lesson("notes-update");
    let solution = Solution::new(lesson.network());
    let mut app = App::for_lesson(lesson.clone(), Mode::Walkthrough, Progress::default());
    press(&mut app, KeyCode::Char('5'));
    let screen = draw(&app) + "\n";
    assert!(first_line(&app).contains("Step 5:"), "{screen}");
    for (before, after) in [("W(1)", "W(1)_new"), ("W(2)", "W(2)_new"), ("W(o)", "W(o)_new")] {
        assert!(beside(&screen, before, after), "{before} not beside {after}:\n{screen}");
    }
    press(&mut app, KeyCode::Char('6'));
    let screen = draw(&app) + "\n";
    assert!(first_line(&app).contains("Step 6:"), "{screen}");
    assert!(beside(&screen, "L", "L_new"), "{screen}");
    let step_pane: String = screen.lines().skip_while(|row| !row.contains("Step 6 ·")).collect();
    for quantity in [Quantity::Loss, Quantity::LossNew] {
        let value = number(solution.value(quantity).unwrap().entries()[0]);
        assert!(step_pane.contains(&value), "{value} not in\n{screen}");
    }
}
