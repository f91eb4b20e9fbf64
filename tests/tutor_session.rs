//! The tutor's rules without a screen (DESIGN.md §6.3–§6.6): what both front ends, the TUI and
//! `--plain`, rely on.

use backprop_tutor::lesson::{Lesson, load_lesson, parse_lesson};
use backprop_tutor::quantity::{Quantity, QuantityRef};
use backprop_tutor::tutor::{
    Confirm, Feedback, JacobianView, Mode, Note, Notice, Preview, Progress, ProgressStore, Session, Status,
    Visibility,
};
use backprop_tutor::value::Shape;

fn notes() -> Lesson {
    load_lesson("notes-example").unwrap()
}

fn question(name: &str) -> QuantityRef {
    name.parse().unwrap()
}

fn answer(session: &mut Session, text: &str) {
    session.set_draft(text);
    session.submit();
}

/// Answers the current question right, from the lesson's own value.
fn answer_right(session: &mut Session) {
    let asked = session.current_question().unwrap().clone();
    let value = session.solution().value_of(&asked).unwrap();
    answer(session, &backprop_tutor::plan::display::value(&value).replace('−', "-"));
    assert_ne!(session.status(&asked), Status::Open, "{asked}");
}

#[test]
fn a_walkthrough_starts_at_the_forward_pass_a_layer_at_a_time() {
    let mut session = Session::new(notes(), Mode::Walkthrough, Progress::default());
    assert_eq!(session.step().id, "0");
    let mut parts = Vec::new();
    while session.step().id == "0" {
        let part = session.shown_asks().iter().map(ToString::to_string).collect::<Vec<_>>().join(" ");
        // Later parts of the pass are still to find; the one on screen is shown.
        let loss = if part == "loss" { Visibility::Shown } else { Visibility::Hidden };
        assert_eq!(session.visibility(Quantity::Loss, &[]), loss, "{part}");
        parts.push(part);
        assert!(session.go(1));
    }
    assert_eq!(parts, ["z1 h1", "z2 h2", "o o_hat", "loss"]);
    assert_eq!(session.visibility(Quantity::Loss, &[]), Visibility::Shown);
    // Back into Step 0 lands on its last part.
    session.go(-1);
    assert_eq!((session.step().id.as_str(), session.part()), ("0", (3, 4)));
    // The layer-1 part reads W(1) and x: the forward step shows the weights it multiplies by.
    let mut session = Session::new(notes(), Mode::Walkthrough, Progress::default());
    let operands: Vec<String> = session.operands().iter().map(|t| t.text()).collect();
    assert_eq!(operands, ["W(1)", "x"]);
    session.go(1);
    assert_eq!(session.visibility(Quantity::Z(1), &[1]), Visibility::Shown);
}

#[test]
fn digits_jump_to_steps_and_cycle_through_those_that_share_one() {
    let mut session =
        Session::new(load_lesson("three-hidden-layers").unwrap(), Mode::Walkthrough, Progress::default());
    let mut seen = Vec::new();
    for _ in 0..5 {
        assert!(session.jump('3'));
        seen.push(session.step().id.clone());
    }
    assert_eq!(seen, ["3A.3", "3B.3", "3A.2", "3B.2", "3A.3"]);
    assert!(!session.jump('9'));
    assert_eq!(session.feedback(), Some(&Feedback::Note(Note::NoSuchStep)));
    let mut practice = Session::new(notes(), Mode::Practice, Progress::default());
    assert!(!practice.jump('4'), "practice goes no further than the first step not done");
}

#[test]
fn ask_then_reveal_hides_the_answer_until_revealed_and_poses_later_steps() {
    let mut session = Session::new(notes(), Mode::Walkthrough, Progress::default());
    session.jump('1');
    assert!(!session.derivation_asks().is_empty());
    session.ask_then_reveal();
    assert!(session.is_posed());
    assert!(session.derivation_asks().is_empty());
    assert_eq!(session.visibility(Quantity::DlDo, &[1]), Visibility::Hidden);
    session.ask_then_reveal();
    assert_eq!(session.visibility(Quantity::DlDo, &[1]), Visibility::Shown);
    session.go(1);
    assert!(session.is_posed(), "the next step arrives posed");
    assert_eq!(session.visibility(Quantity::DlDh(2), &[1]), Visibility::Hidden);
    assert_eq!(session.visibility(Quantity::DlDo, &[1]), Visibility::Shown);
}

#[test]
fn a_reveal_and_a_reset_wait_for_confirmation() {
    let mut session = Session::new(notes(), Mode::Practice, Progress::default());
    answer(&mut session, "[1, 2, 3]");
    assert!(session.ask_to_reveal());
    assert_eq!(session.pending(), Some(&Confirm::Reveal(question("dL_do"))));
    session.cancel();
    assert_eq!(session.status(&question("dL_do")), Status::Open);
    session.ask_to_reveal();
    assert!(session.confirm());
    assert_eq!(session.status(&question("dL_do")), Status::Revealed);

    assert!(session.ask_to_reset());
    assert_eq!(session.pending(), Some(&Confirm::Reset(0)));
    assert!(session.confirm());
    assert_eq!(session.question(&question("dL_do")), Default::default());
    assert_eq!(session.current_question(), Some(&question("dL_do")));
    assert!(!session.ask_to_reset());
    assert_eq!(session.feedback(), Some(&Feedback::Note(Note::NothingToReset)));
}

#[test]
fn a_product_of_jacobians_shows_as_factors_until_a_hint_or_the_answer() {
    let mut session = Session::new(notes(), Mode::Practice, Progress::default());
    for _ in 0..3 {
        answer_right(&mut session);
    }
    assert_eq!(session.step().id, "3A");
    let view = |session: &Session, jacobian| {
        session.jacobians().into_iter().find(|(j, _)| *j == jacobian).map(|(_, v)| v)
    };
    // W(2) and the gate are given; their product is the work.
    assert_eq!(view(&session, Quantity::DzDh(2)), Some(JacobianView::Whole));
    assert_eq!(view(&session, Quantity::DhDh(2)), Some(JacobianView::Factors));
    session.hint();
    assert_eq!(view(&session, Quantity::DhDh(2)), Some(JacobianView::Whole));
    let walkthrough = {
        let mut s = Session::new(notes(), Mode::Walkthrough, Progress::default());
        s.jump('3');
        s
    };
    assert_eq!(view(&walkthrough, Quantity::DhDh(2)), Some(JacobianView::Whole));
}

#[test]
fn resuming_says_how_far_the_learner_got() {
    let mut session = Session::new(notes(), Mode::Practice, Progress::default());
    assert_eq!(session.resumed(), None);
    answer_right(&mut session);
    session.set_draft("[0.2");
    session.keep_draft();
    let again = Session::new(notes(), Mode::Practice, session.progress().clone());
    assert_eq!(again.resumed(), Some(&Notice::Resumed { done: 1, total: 6 }));
    assert_eq!(again.resumed().unwrap().to_string(), "resumed: 1 of 6 done");
    assert_eq!(again.draft(), "[0.2", "the unsubmitted answer survives");
    let walkthrough =
        Session::new(notes(), Mode::Walkthrough, Progress { current_step: 2, ..Progress::default() });
    assert_eq!(walkthrough.resumed().unwrap().to_string(), "resumed at Step 2A");
}

#[test]
fn fresh_in_one_mode_leaves_the_other_record() {
    let dir = tempfile::tempdir().unwrap();
    let store = ProgressStore::at(dir.path());
    let lesson = notes();
    let mut practice = Session::new(lesson.clone(), Mode::Practice, Progress::default());
    answer_right(&mut practice);
    store.save(&lesson, Mode::Practice, practice.progress()).unwrap();
    // A walkthrough started afresh saves its own position only.
    let mut walkthrough = Session::new(lesson.clone(), Mode::Walkthrough, Progress::default());
    walkthrough.jump('4');
    store.save(&lesson, Mode::Walkthrough, walkthrough.progress()).unwrap();
    let (saved, _) = store.load(&lesson, Mode::Practice);
    assert_eq!(&saved, practice.progress());
    let resumed = Session::new(lesson.clone(), Mode::Walkthrough, store.load(&lesson, Mode::Walkthrough).0);
    assert_eq!(resumed.step().id, "4");
}

/// The answer box read ahead, as a submit would read it: a value with its shape, a formula on
/// the lesson's names and the learner's own answers, and where unreadable text stops.
#[test]
fn the_box_is_read_ahead_as_it_would_be_graded() {
    let mut session = Session::new(notes(), Mode::Practice, Progress::default());
    assert_eq!(session.preview(), None, "a blank box");
    session.set_draft("[0.09, 0.665, -0.755]");
    let Some(Preview::Value { value, formula: false }) = session.preview() else { panic!() };
    assert_eq!(value.shape(), Shape::Vector(3));
    session.set_draft("(o_hat - e_y)'");
    let Some(Preview::Value { value, formula: true }) = session.preview() else { panic!() };
    let truth = session.solution().value_of(&question("dL_do")).unwrap();
    assert!(value.entries().iter().zip(truth.entries()).all(|(a, b)| (a - b).abs() < 1e-12));
    session.set_draft("[0.09, 0.66");
    let Some(Preview::Error(error)) = session.preview() else { panic!() };
    assert_eq!(error.column, "[0.09, 0.66".chars().count(), "{error:?}");

    // Step 2A: dL_do stands for the learner's own answer (rounded, and accepted), a gradient not
    // answered is refused.
    answer(&mut session, "[0.09, 0.67, -0.76]");
    assert_eq!(session.status(&question("dL_do")), Status::Solved);
    session.set_draft("dL_do * Wo");
    let Some(Preview::Value { value, formula: true }) = session.preview() else { panic!() };
    // [0.09, 0.67, −0.76] · W(o), W(o) = [[0, 1], [1, −1], [0.5, 0]].
    let own = [0.67 - 0.76 * 0.5, 0.09 - 0.67];
    assert!(value.entries().iter().zip(&own).all(|(a, b)| (a - b).abs() < 1e-12), "{value:?} {own:?}");
    session.set_draft("dL_dh1");
    let Some(Preview::Error(error)) = session.preview() else { panic!() };
    assert!(error.message.contains("a formula may use only earlier answers"), "{}", error.message);
}

/// The prompt names what the step's formula reads, as typed and in its order, says which can
/// be used yet, and asks for as many digits as the tolerance needs.
#[test]
fn the_prompt_names_the_formula_and_the_digits() {
    let mut session = Session::new(notes(), Mode::Practice, Progress::default());
    let names = |session: &Session| -> Vec<(String, bool)> {
        session.prompt().unwrap().names.into_iter().map(|n| (n.name, n.usable)).collect()
    };
    assert_eq!(names(&session), [("o_hat".into(), true), ("e_y".into(), true)]);
    let digits = session.prompt().unwrap().digits.unwrap();
    // Rounded to those digits every entry is accepted; to one fewer, one is not.
    let truth = session.solution().value_of(&question("dL_do")).unwrap();
    let rounded = |d: usize| -> String {
        let entries: Vec<String> = truth.entries().iter().map(|&x| format!("{:.*e}", d - 1, x)).collect();
        format!("[{}]", entries.join(", "))
    };
    if digits > 1 {
        answer(&mut session, &rounded(digits - 1));
        assert_eq!(session.status(&question("dL_do")), Status::Open, "{}", rounded(digits - 1));
    }
    answer(&mut session, &rounded(digits));
    assert_eq!(session.status(&question("dL_do")), Status::Solved, "{}", rounded(digits));
    assert_eq!(names(&session), [("dL_do".into(), true), ("Wo".into(), true)]);

    // Step 3A before 2A is answered cannot be reached in practice; a walkthrough has no box.
    let walkthrough = Session::new(notes(), Mode::Walkthrough, Progress::default());
    assert_eq!(walkthrough.prompt(), None);

    let source = std::fs::read_to_string("lessons/notes-example.toml").unwrap();
    let lesson = parse_lesson("no formulas", &format!("{source}\n[check]\nformulas = false\n")).unwrap();
    let session = Session::new(lesson, Mode::Practice, Progress::default());
    let prompt = session.prompt().unwrap();
    assert!(!prompt.formulas && prompt.names.is_empty(), "{prompt:?}");
}

/// The score counts each question's last answer as `check` grades it, with the lesson's
/// `[check.credit]`: a diagnosed mistake its share while the question is open, the whole point
/// once right, nothing for a reveal.
#[test]
fn the_score_is_the_graders_credit() {
    let source = std::fs::read_to_string("lessons/notes-example.toml").unwrap();
    let lesson =
        parse_lesson("credit", &format!("{source}\n[check.credit]\nmissing_onehot = 0.25\n")).unwrap();
    let mut session = Session::new(lesson.clone(), Mode::Practice, Progress::default());
    let earned = |session: &Session| session.score().earned;
    assert_eq!(session.score().points, 6);
    assert_eq!(earned(&session), 0.0);
    // ô itself for ∂L/∂o: e_y left out (Eq. 9), a quarter of the point here.
    answer(&mut session, "[0.09003, 0.6652, 0.2447]");
    let Some(Feedback::Graded { grade, .. }) = session.feedback() else { panic!() };
    assert_eq!(grade.diagnosis.as_ref().map(|d| d.id.name()), Some("missing_onehot"), "{}", grade.message);
    assert_eq!(earned(&session), 0.25);
    answer_right(&mut session);
    assert_eq!(earned(&session), 1.0);
    session.ask_to_reveal();
    session.confirm();
    assert_eq!(earned(&session), 1.0, "a reveal earns nothing");
    assert_eq!(session.score().to_string(), "1/6 points");

    // Without the table the same mistake earns nothing; the score survives a restart.
    let mut plain = Session::new(notes(), Mode::Practice, Progress::default());
    answer(&mut plain, "[0.09003, 0.6652, 0.2447]");
    assert_eq!(earned(&plain), 0.0);
    let resumed = Session::new(lesson, Mode::Practice, session.progress().clone());
    assert_eq!(resumed.score(), session.score());
}

#[test]
fn a_wrong_last_answer_keeps_its_verdict_when_the_learner_comes_back() {
    let verdict = |session: &Session| match session.feedback() {
        Some(Feedback::Graded { grade, .. }) => Some(grade.verdict),
        _ => None,
    };
    let mut session = Session::new(notes(), Mode::Practice, Progress::default());
    answer_right(&mut session);
    answer(&mut session, "[0.29, 0.57]");
    let wrong = verdict(&session);
    assert_eq!(wrong, Some(backprop_tutor::answer::Verdict::Incorrect));
    // Away and back, and after a resume: the ✗ and its message are still there.
    assert!(session.go(-1) && session.go(1));
    assert_eq!(verdict(&session), wrong);
    let resumed = Session::new(notes(), Mode::Practice, session.progress().clone());
    assert_eq!(verdict(&resumed), wrong);
    assert_eq!(resumed.draft(), "[0.29, 0.57]");
    // Typing something else clears it, as after any verdict.
    session.set_draft("[0.29, -0.58]");
    assert_eq!(verdict(&session), None);
}
