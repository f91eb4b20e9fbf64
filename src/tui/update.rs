//! The pure state transition: a message in, the new state and the commands for the runtime out.
//! Keys are looked up in the keymap; a key that is no command edits the answer box.

use super::app::{App, Command, Message, Screen};
use super::keymap::{self, Action, Context, Scope};
use super::lesson::Focus;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

impl App {
    /// Applies one message. Returns what the runtime must do: [`Command::Save`] after each
    /// graded answer, hint, reveal and step move; [`Command::Quit`]; [`Command::Open`].
    pub fn update(&mut self, message: Message) -> Vec<Command> {
        self.warning = None;
        match message {
            Message::Key(key) if key.kind != KeyEventKind::Release => self.key(key),
            Message::Key(_) => vec![],
            Message::Paste(text) => {
                if let Screen::Lesson(session) = &mut self.screen
                    && !self.help
                    && (session.focus() == Focus::AnswerBox || session.enter_input())
                {
                    session.paste(&text);
                }
                vec![]
            }
        }
    }

    /// Where the keyboard is, for the keymap.
    pub(super) fn context(&self) -> Context {
        let scope = match &self.screen {
            _ if self.help => Scope::Help,
            Screen::Picker(_) => Scope::Picker,
            Screen::Lesson(session) if session.focus() == Focus::AnswerBox => Scope::AnswerBox,
            Screen::Lesson(_) => Scope::Screen,
        };
        let answering = match &self.screen {
            Screen::Lesson(screen) => screen.session().current_question().is_some(),
            Screen::Picker(_) => false,
        };
        Context { scope, answering }
    }

    fn key(&mut self, key: KeyEvent) -> Vec<Command> {
        if let Some(action) = keymap::action(&key, self.context()) {
            return self.perform(action);
        }
        if let Screen::Lesson(session) = &mut self.screen
            && !self.help
        {
            // Outside the box, a character that is no command starts an answer: typing never
            // needs a key first, and never triggers a command by accident.
            let starts_answer =
                session.focus() == Focus::Screen && is_character(&key) && session.enter_input();
            if session.focus() == Focus::AnswerBox || starts_answer {
                session.edit(key);
            }
        }
        vec![]
    }

    fn perform(&mut self, action: Action) -> Vec<Command> {
        let save = |changed: bool| if changed { vec![Command::Save] } else { vec![] };
        match (&mut self.screen, action) {
            (screen, Action::Quit) => {
                // What was typed but not submitted is saved with the progress.
                if let Screen::Lesson(session) = screen {
                    session.keep_draft();
                }
                vec![Command::Quit]
            }
            (_, Action::ToggleHelp) => {
                self.help = !self.help;
                vec![]
            }
            (Screen::Picker(picker), Action::PickerUp) => {
                picker.select(-1);
                vec![]
            }
            (Screen::Picker(picker), Action::PickerDown) => {
                picker.select(1);
                vec![]
            }
            (Screen::Picker(picker), Action::PickerOpen) => {
                vec![Command::Open(picker.selected().to_string())]
            }
            (Screen::Lesson(session), Action::Submit) => save(session.submit()),
            (Screen::Lesson(session), Action::PreviousStep) => save(session.go(-1)),
            (Screen::Lesson(session), Action::NextStep) => save(session.go(1)),
            (Screen::Lesson(session), Action::Hint) => save(session.hint()),
            (Screen::Lesson(session), Action::Reveal) => save(session.reveal()),
            (Screen::Lesson(session), Action::EnterInput) => {
                session.enter_input();
                vec![]
            }
            (Screen::Lesson(session), Action::LeaveInput) => {
                session.leave_input();
                vec![]
            }
            // The keymap's scopes keep picker actions off lessons and lesson actions off the picker.
            (Screen::Picker(_), _)
            | (Screen::Lesson(_), Action::PickerUp | Action::PickerDown | Action::PickerOpen) => {
                vec![]
            }
        }
    }
}

/// A key that types a character (Shift allowed: capitals, `^`, `(`).
fn is_character(key: &KeyEvent) -> bool {
    matches!(key.code, KeyCode::Char(c) if !c.is_control())
        && (key.modifiers - KeyModifiers::SHIFT).is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lesson::{Lesson, parse_lesson, shipped};
    use crate::tui::lesson::LessonScreen;
    use crate::tutor::{Feedback, Mode, Progress, Session, Status};

    fn lesson(name: &str) -> Lesson {
        parse_lesson(name, shipped::source(name).unwrap()).unwrap()
    }

    fn app(mode: Mode) -> App {
        App::for_lesson(lesson("notes-example"), mode, Progress::default())
    }

    fn screen(app: &App) -> &LessonScreen {
        match &app.screen {
            Screen::Lesson(screen) => screen,
            Screen::Picker(_) => panic!("not a lesson"),
        }
    }

    fn session(app: &App) -> &Session {
        screen(app).session()
    }

    fn press(app: &mut App, code: KeyCode) -> Vec<Command> {
        app.update(Message::Key(KeyEvent::new(code, KeyModifiers::NONE)))
    }

    fn ctrl(app: &mut App, c: char) -> Vec<Command> {
        app.update(Message::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)))
    }

    fn type_text(app: &mut App, text: &str) {
        for c in text.chars() {
            assert_eq!(press(app, KeyCode::Char(c)), vec![], "typing {c:?} gave a command");
        }
    }

    fn answer(app: &mut App, text: &str) -> Vec<Command> {
        press(app, KeyCode::Esc);
        press(app, KeyCode::Char('i'));
        press(app, KeyCode::Home);
        ctrl(app, 'k');
        type_text(app, text);
        press(app, KeyCode::Enter)
    }

    fn status(app: &App, question: &str) -> (Status, u32) {
        let record = session(app).question(&question.parse().unwrap());
        (record.status, record.attempts)
    }

    fn step(app: &App) -> &str {
        &session(app).step().id
    }

    /// DESIGN.md §4's example of an answer with expressions for entries.
    const STEP_1: &str = "[e^1/(e^1+e^3+e^2), e^3/(e^1+e^3+e^2), e^2/(e^1+e^3+e^2) - 1]";

    #[test]
    fn a_right_answer_solves_the_step_and_moves_on() {
        let mut app = app(Mode::Practice);
        assert_eq!(step(&app), "1");
        type_text(&mut app, "[0.09, 0.665, -0.755]");
        assert_eq!(press(&mut app, KeyCode::Enter), vec![Command::Save]);
        assert_eq!(status(&app, "dL_do"), (Status::Solved, 1));
        assert_eq!(step(&app), "2A");
        assert_eq!(app.progress().unwrap().1.current_step, 1);
        // The verdict stays on screen, and the box is ready for Step 2A.
        assert!(
            matches!(session(&app).feedback(), Some(Feedback::Graded { grade, .. }) if grade.verdict == crate::answer::Verdict::Correct)
        );
        assert_eq!(screen(&app).focus(), Focus::AnswerBox);
        assert_eq!(screen(&app).input().value(), "");
    }

    #[test]
    fn letters_in_the_answer_box_are_typed_not_commands() {
        let mut app = app(Mode::Practice);
        type_text(&mut app, "q?hr");
        assert_eq!(screen(&app).input().value(), "q?hr");
        assert!(!app.help);
        assert_eq!(press(&mut app, KeyCode::Esc), vec![]);
        assert_eq!(press(&mut app, KeyCode::Char('q')), vec![Command::Quit]);
    }

    #[test]
    fn ctrl_c_quits_from_anywhere() {
        let mut app = app(Mode::Practice);
        assert_eq!(ctrl(&mut app, 'c'), vec![Command::Quit]);
        press(&mut app, KeyCode::Esc);
        press(&mut app, KeyCode::Char('?'));
        assert_eq!(ctrl(&mut app, 'c'), vec![Command::Quit]);
    }

    #[test]
    fn a_pasted_answer_is_text_even_outside_the_box() {
        let mut app = app(Mode::Practice);
        press(&mut app, KeyCode::Esc);
        assert_eq!(app.update(Message::Paste("q\n[1,\t2]".into())), vec![]);
        assert_eq!(screen(&app).input().value(), "q [1, 2]");
        assert_eq!(screen(&app).focus(), Focus::AnswerBox);
    }

    #[test]
    fn typing_outside_the_box_starts_an_answer() {
        let mut app = app(Mode::Practice);
        press(&mut app, KeyCode::Esc);
        type_text(&mut app, "[0");
        assert_eq!(screen(&app).focus(), Focus::AnswerBox);
        assert_eq!(screen(&app).input().value(), "[0");
    }

    #[test]
    fn practice_moves_only_to_steps_done_and_the_current_one() {
        let mut app = app(Mode::Practice);
        press(&mut app, KeyCode::Esc);
        assert_eq!(press(&mut app, KeyCode::Right), vec![]);
        assert_eq!(step(&app), "1");
        assert!(matches!(session(&app).feedback(), Some(Feedback::Note(_))));
        answer(&mut app, STEP_1);
        assert_eq!(step(&app), "2A");
        press(&mut app, KeyCode::Esc);
        assert_eq!(press(&mut app, KeyCode::Left), vec![Command::Save]);
        assert_eq!(step(&app), "1");
        assert_eq!(press(&mut app, KeyCode::Left), vec![]);
        assert_eq!(press(&mut app, KeyCode::Right), vec![Command::Save]);
        assert_eq!(press(&mut app, KeyCode::Right), vec![]);
        assert_eq!(step(&app), "2A");
    }

    #[test]
    fn walkthrough_moves_freely_and_has_nothing_to_type() {
        let mut app = app(Mode::Walkthrough);
        for expected in ["2A", "2B", "3A", "3B", "4", "4"] {
            press(&mut app, KeyCode::Right);
            assert_eq!(step(&app), expected);
        }
        press(&mut app, KeyCode::Left);
        assert_eq!(step(&app), "3B");
        assert_eq!(press(&mut app, KeyCode::Char('h')), vec![]);
        type_text(&mut app, "1");
        assert_eq!(screen(&app).focus(), Focus::Screen);
        assert_eq!(screen(&app).input().value(), "");
    }

    #[test]
    fn hints_come_in_three_stages() {
        let mut app = app(Mode::Practice);
        press(&mut app, KeyCode::Esc);
        for stage in 1..=3 {
            assert_eq!(press(&mut app, KeyCode::Char('h')), vec![Command::Save]);
            assert_eq!(session(&app).question(&"dL_do".parse().unwrap()).hints, stage);
        }
        assert_eq!(press(&mut app, KeyCode::Char('h')), vec![]);
        assert!(matches!(session(&app).feedback(), Some(Feedback::Note(crate::tutor::Note::NoMoreHints))));
    }

    #[test]
    fn a_reveal_marks_the_question_and_opens_the_next_step() {
        let mut app = app(Mode::Practice);
        press(&mut app, KeyCode::Esc);
        assert_eq!(press(&mut app, KeyCode::Char('r')), vec![Command::Save]);
        assert_eq!(status(&app, "dL_do"), (Status::Revealed, 0));
        // The learner stays to read the derivation, then goes on.
        assert_eq!(step(&app), "1");
        assert_eq!(press(&mut app, KeyCode::Right), vec![Command::Save]);
        assert_eq!(step(&app), "2A");
        assert_eq!(session(&app).steps_done(), 1);
    }

    #[test]
    fn only_well_formed_answers_count_as_attempts() {
        let mut app = app(Mode::Practice);
        assert_eq!(answer(&mut app, "[0.09,, 0.665]"), vec![Command::Save]);
        assert_eq!(status(&app, "dL_do"), (Status::Open, 0));
        answer(&mut app, "");
        assert_eq!(status(&app, "dL_do"), (Status::Open, 0));
        answer(&mut app, "[0.1, 0.6, -0.7]");
        assert_eq!(status(&app, "dL_do"), (Status::Open, 1));
        // The wrong answer stays in the box, to be corrected rather than retyped.
        assert_eq!(screen(&app).input().value(), "[0.1, 0.6, -0.7]");
        assert_eq!(session(&app).wrong_answer().map(|(_, _, wrong)| wrong.len()), Some(3));
    }

    #[test]
    fn a_revealed_answer_does_not_feed_a_carry() {
        let mut app = app(Mode::Practice);
        answer(&mut app, "[0.1, 0.6, -0.7]");
        press(&mut app, KeyCode::Esc);
        press(&mut app, KeyCode::Char('r'));
        press(&mut app, KeyCode::Right);
        // ∂L/∂o · W(o) from the wrong ∂L/∂o that was then revealed: the learner has seen the
        // true ∂L/∂o, so following their own wrong one is no longer their work.
        answer(&mut app, "[0.25, -0.5]");
        assert_eq!(status(&app, "dL_dh2"), (Status::Open, 1));
        assert_eq!(step(&app), "2A");
    }

    #[test]
    fn an_answer_from_an_honestly_rounded_one_is_correct() {
        let mut app = app(Mode::Practice);
        answer(&mut app, STEP_1);
        // ∂L/∂h(2) = (0.2876, −0.5753), rounded at the edge of the 1% tolerance.
        answer(&mut app, "[0.2914, -0.581]");
        assert_eq!(status(&app, "dL_dh2"), (Status::Solved, 1));
        answer(&mut app, "[[0.36, 0.09], [2.661, 0.665], [-3.021, -0.755]]");
        // ∂L/∂h(1) computed exactly from the rounded ∂L/∂h(2): its 1.4552 is more than 1% from
        // the true 1.4380, but it is the learner's own right work.
        answer(&mut app, "[-0.8706, 1.4552]");
        assert_eq!(status(&app, "dL_dh1"), (Status::Solved, 1));
    }

    #[test]
    fn a_draft_survives_quitting() {
        let mut app = app(Mode::Practice);
        type_text(&mut app, "[0.09, 0.6");
        assert_eq!(ctrl(&mut app, 'c'), vec![Command::Quit]);
        let (lesson, progress) = app.progress().unwrap();
        assert_eq!(progress.questions["dL_do"].draft, "[0.09, 0.6");
        let app = App::for_lesson(lesson.clone(), Mode::Practice, progress);
        assert_eq!(screen(&app).input().value(), "[0.09, 0.6");
    }

    #[test]
    fn a_saved_position_past_the_first_open_step_is_brought_back() {
        let progress = Progress { current_step: 4, ..Progress::default() };
        let app = App::for_lesson(lesson("notes-example"), Mode::Practice, progress.clone());
        assert_eq!(step(&app), "1");
        let app = App::for_lesson(lesson("notes-example"), Mode::Walkthrough, progress);
        assert_eq!(step(&app), "3B");
    }

    #[test]
    fn help_toggles_and_swallows_other_keys() {
        let mut app = app(Mode::Practice);
        press(&mut app, KeyCode::Esc);
        press(&mut app, KeyCode::Char('?'));
        assert!(app.help);
        assert_eq!(press(&mut app, KeyCode::Char('h')), vec![]);
        assert_eq!(session(&app).question(&"dL_do".parse().unwrap()).hints, 0);
        press(&mut app, KeyCode::Esc);
        assert!(!app.help);
    }

    #[test]
    fn the_picker_opens_the_chosen_lesson() {
        let mut app = App::picker(Mode::Practice);
        assert!(app.progress().is_none());
        assert_eq!(press(&mut app, KeyCode::Enter), vec![Command::Open("notes-example".into())]);
        press(&mut app, KeyCode::Down);
        press(&mut app, KeyCode::Up);
        press(&mut app, KeyCode::Up);
        assert_eq!(press(&mut app, KeyCode::Enter), vec![Command::Open("notes-example".into())]);
        app.open(lesson("notes-example"), Progress::default());
        assert_eq!(app.progress().unwrap().0.title(), "The notes' worked example");
    }

    #[test]
    fn a_warning_lasts_until_the_next_key() {
        let mut app = app(Mode::Practice);
        app.warn("progress not saved".into());
        assert!(app.warning.is_some());
        press(&mut app, KeyCode::Char('1'));
        assert!(app.warning.is_none());
    }
}
