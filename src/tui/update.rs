//! The pure state transition: a message in, the new state and the commands for the runtime out.
//! Keys are looked up in the keymap; a key that is no command edits the answer box.

use super::app::{App, Command, Message, Overlay, Screen};
use super::keymap::{self, Action, Context, Scope};
use super::lesson::{Focus, LessonScreen};
use crate::tutor::course::{Variant, variant_of};
use crate::tutor::{Mode, Session};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseEventKind};

/// Lines one notch of the mouse wheel scrolls.
const WHEEL_LINES: i32 = 3;

impl App {
    /// Applies one message. Returns what the runtime must do, in order: [`Command::Save`] after
    /// each graded answer, hint, reveal, reset and step move; [`Command::Quit`];
    /// [`Command::Open`], [`Command::OpenVariant`], [`Command::ShowPicker`].
    pub fn update(&mut self, message: Message) -> Vec<Command> {
        if let Message::Mouse(mouse) = &message {
            // The wheel is no key: what the last line says stays.
            let lines = match mouse.kind {
                MouseEventKind::ScrollUp => -WHEEL_LINES,
                MouseEventKind::ScrollDown => WHEEL_LINES,
                _ => return vec![],
            };
            if self.overlay.is_some() {
                self.scroll_overlay(lines);
            } else if let Screen::Lesson { lesson, .. } = &mut self.screen {
                lesson.wheel(mouse.column, mouse.row, lines);
            }
            return vec![];
        }
        self.warning = None;
        self.notice = None;
        match message {
            Message::Key(key) if key.kind != KeyEventKind::Release => self.key(key),
            Message::Key(_) | Message::Mouse(_) => vec![],
            Message::Paste(text) => {
                if let Screen::Lesson { lesson, .. } = &mut self.screen
                    && self.overlay.is_none()
                    && lesson.session().pending().is_none()
                    && (lesson.focus() == Focus::AnswerBox || lesson.enter_input())
                {
                    lesson.paste(&text);
                }
                vec![]
            }
        }
    }

    /// Where the keyboard is, for the keymap.
    pub(super) fn context(&self) -> Context {
        let lesson = match &self.screen {
            Screen::Lesson { lesson, .. } => Some(lesson.as_ref()),
            Screen::Picker(_) => None,
        };
        let session = lesson.map(LessonScreen::session);
        let scope = match lesson {
            _ if self.overlay.is_some() => Scope::Overlay,
            None => Scope::Picker,
            Some(_) if session.is_some_and(|s| s.pending().is_some()) => Scope::Confirm,
            Some(lesson) if lesson.focus() == Focus::AnswerBox => Scope::AnswerBox,
            Some(_) => Scope::Screen,
        };
        Context {
            scope,
            answering: session.is_some_and(|s| s.current_question().is_some()),
            walkthrough: self.mode == Mode::Walkthrough,
            complete: session.is_some_and(|s| s.mode() == Mode::Practice && s.is_complete()),
        }
    }

    fn key(&mut self, key: KeyEvent) -> Vec<Command> {
        let context = self.context();
        if let Some(action) = keymap::action(&key, context) {
            return self.perform(action, key);
        }
        if let Screen::Lesson { lesson, .. } = &mut self.screen
            && self.overlay.is_none()
        {
            if context.scope == Scope::Confirm {
                // Any key but the one that confirms declines.
                lesson.with_session(|s| {
                    s.cancel();
                    false
                });
                return vec![];
            }
            // Outside the box, a character that is no command starts an answer: typing never
            // needs a key first, and never triggers a command by accident.
            let starts_answer = lesson.focus() == Focus::Screen && is_character(&key) && lesson.enter_input();
            if lesson.focus() == Focus::AnswerBox || starts_answer {
                lesson.edit(key);
            }
        }
        vec![]
    }

    fn scroll_overlay(&mut self, lines: i32) {
        let max = i32::from(self.overlay_limit.get().max_scroll);
        self.overlay_scroll = (i32::from(self.overlay_scroll) + lines).clamp(0, max) as u16;
    }

    fn toggle_overlay(&mut self, overlay: Overlay) {
        self.overlay = if self.overlay.as_ref() == Some(&overlay) { None } else { Some(overlay) };
        self.overlay_scroll = 0;
    }

    fn perform(&mut self, action: Action, key: KeyEvent) -> Vec<Command> {
        let save = |changed: bool| if changed { vec![Command::Save] } else { vec![] };
        if self.overlay.is_some() {
            // A page: the rows between the markers above and below, so no line is skipped.
            let page = i32::from(self.overlay_limit.get().area.height.saturating_sub(2)).max(1);
            match action {
                Action::LineUp => self.scroll_overlay(-1),
                Action::LineDown => self.scroll_overlay(1),
                Action::PageUp => self.scroll_overlay(-page),
                Action::PageDown => self.scroll_overlay(page),
                Action::ToggleHelp => self.toggle_overlay(Overlay::Help),
                Action::ToggleDescription => self.toggle_overlay(Overlay::Description),
                Action::CloseOverlay => self.overlay = None,
                Action::Quit => return self.quit(),
                Action::Exit => return self.exit(),
                _ => {}
            }
            return vec![];
        }
        let lesson = match &mut self.screen {
            Screen::Picker(picker) => {
                match action {
                    Action::PickerUp => picker.select(-1),
                    Action::PickerDown => picker.select(1),
                    Action::PickerOpen => return vec![Command::Open(picker.selected().to_string())],
                    Action::ToggleHelp => self.toggle_overlay(Overlay::Help),
                    Action::Quit | Action::Exit => return vec![Command::Quit],
                    _ => {}
                }
                return vec![];
            }
            Screen::Lesson { lesson, .. } => lesson,
        };
        match action {
            Action::Quit => return self.quit(),
            Action::Exit => return self.exit(),
            Action::ToggleHelp => self.toggle_overlay(Overlay::Help),
            Action::ToggleDescription => self.toggle_overlay(Overlay::Description),
            Action::Submit => return save(lesson.submit()),
            Action::PreviousStep => return save(lesson.act(|s| s.go(-1))),
            Action::NextStep => return save(lesson.act(|s| s.go(1))),
            Action::JumpToStep => {
                let KeyCode::Char(digit) = key.code else { return vec![] };
                return save(lesson.act(|s| s.jump(digit)));
            }
            Action::AskThenReveal => {
                lesson.act(Session::ask_then_reveal);
            }
            Action::Projector => lesson.projector = !lesson.projector,
            Action::Hint => return save(lesson.with_session(Session::hint)),
            Action::Reveal => {
                lesson.with_session(Session::ask_to_reveal);
            }
            Action::Reset => {
                lesson.with_session(Session::ask_to_reset);
            }
            Action::Confirm => return save(lesson.act(Session::confirm)),
            Action::Cancel => {
                lesson.with_session(|s| {
                    s.cancel();
                    false
                });
            }
            Action::EnterInput => {
                lesson.enter_input();
            }
            Action::LeaveInput => lesson.leave_input(),
            Action::ToggleWeights => lesson.weight_matrices = !lesson.weight_matrices,
            Action::NewVariant => {
                let variant = Variant::clone(&lesson.next_variant());
                return self.leave_for(|_| Command::OpenVariant(variant));
            }
            Action::NextLesson => {
                let next = lesson.next_lesson();
                return self.leave_for(|session| match next {
                    Some(name) => Command::Open(name.to_string()),
                    None => Command::OpenVariant(variant_of(session.lesson())),
                });
            }
            Action::FocusNextPane => lesson.focus_next_pane(),
            Action::LineUp => lesson.scroll_by(-1),
            Action::LineDown => lesson.scroll_by(1),
            Action::PageUp => lesson.scroll_by(-lesson.page()),
            Action::PageDown => lesson.scroll_by(lesson.page()),
            // The keymap's scopes keep list actions off lessons and overlay actions to overlays.
            Action::PickerUp | Action::PickerDown | Action::PickerOpen | Action::CloseOverlay => {}
        }
        vec![]
    }

    /// Saves the lesson on screen (with what was typed but not submitted) and moves on to
    /// what `next` says.
    fn leave_for(&mut self, next: impl FnOnce(&Session) -> Command) -> Vec<Command> {
        match &mut self.screen {
            Screen::Lesson { lesson, .. } => {
                lesson.with_session(|s| {
                    s.keep_draft();
                    false
                });
                vec![Command::Save, next(lesson.session())]
            }
            Screen::Picker(_) => vec![],
        }
    }

    /// `q`: back to the list if the lesson came from one, else quit. Progress is saved either
    /// way (the runtime saves on quitting).
    fn quit(&mut self) -> Vec<Command> {
        match &self.screen {
            Screen::Lesson { back: Some(_), .. } => self.leave_for(|_| Command::ShowPicker),
            Screen::Lesson { .. } | Screen::Picker(_) => self.exit(),
        }
    }

    /// Ctrl-C: quit from anywhere, keeping what was typed but not submitted.
    fn exit(&mut self) -> Vec<Command> {
        if let Screen::Lesson { lesson, .. } = &mut self.screen {
            lesson.with_session(|s| {
                s.keep_draft();
                false
            });
        }
        vec![Command::Quit]
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
            Screen::Lesson { lesson, .. } => lesson,
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
        assert_eq!(app.record().unwrap().2.current_step, 1);
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
        assert!(app.overlay.is_none());
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
        // Step 0 goes a layer at a time: z(1) and h(1), z(2) and h(2), o and ô, L.
        for expected in ["0", "0", "0", "1", "2A", "2B", "3A", "3B", "4", "4"] {
            press(&mut app, KeyCode::Right);
            assert_eq!(step(&app), expected);
        }
        press(&mut app, KeyCode::Left);
        assert_eq!(step(&app), "3B");
        assert_eq!(press(&mut app, KeyCode::Char('h')), vec![]);
        type_text(&mut app, "x");
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
        assert_eq!(press(&mut app, KeyCode::Char('r')), vec![]);
        assert_eq!(press(&mut app, KeyCode::Char('y')), vec![Command::Save]);
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
        press(&mut app, KeyCode::Char('y'));
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

    /// Submits `text` typed into the box as it stands, with no key to clear it first.
    fn submit_typed(app: &mut App, text: &str) -> Vec<Command> {
        type_text(app, text);
        press(app, KeyCode::Enter)
    }

    #[test]
    fn a_graded_answer_is_selected_and_the_next_one_replaces_it() {
        let mut app = app(Mode::Practice);
        submit_typed(&mut app, "[0.09, 0.665, 0.245]");
        assert_eq!(status(&app, "dL_do"), (Status::Open, 1));
        assert!(screen(&app).selected());
        assert_eq!(screen(&app).input().value(), "[0.09, 0.665, 0.245]");
        type_text(&mut app, "o_hat");
        assert!(!screen(&app).selected());
        assert_eq!(screen(&app).input().value(), "o_hat");
        submit_typed(&mut app, " - e_y");
        assert_eq!(status(&app, "dL_do"), (Status::Solved, 2));
    }

    #[test]
    fn an_editing_key_ends_the_selection_and_edits_the_text() {
        let mut app = app(Mode::Practice);
        for (key, expected) in [
            (KeyCode::Left, "[0.1, 0.6, -0.7x]"),
            (KeyCode::End, "[0.1, 0.6, -0.7]x"),
            (KeyCode::Home, "x[0.1, 0.6, -0.7]"),
            (KeyCode::Backspace, "[0.1, 0.6, -0.7x"),
        ] {
            answer(&mut app, "[0.1, 0.6, -0.7]");
            assert!(screen(&app).selected(), "{key:?}");
            press(&mut app, key);
            assert!(!screen(&app).selected(), "{key:?}");
            type_text(&mut app, "x");
            assert_eq!(screen(&app).input().value(), expected, "{key:?}");
        }
        answer(&mut app, "[0.1, 0.6, -0.7]");
        ctrl(&mut app, 'u');
        assert_eq!(screen(&app).input().value(), "");
        // Outside the box, a character starts an answer: a new one, over the selection.
        answer(&mut app, "[0.1, 0.6, -0.7]");
        press(&mut app, KeyCode::Esc);
        type_text(&mut app, "[");
        assert_eq!(screen(&app).input().value(), "[");
    }

    #[test]
    fn a_paste_replaces_the_selection_and_an_empty_one_keeps_it() {
        let mut app = app(Mode::Practice);
        answer(&mut app, "[0.1, 0.6, -0.7]");
        app.update(Message::Paste("\u{1b}".into()));
        assert!(screen(&app).selected());
        assert_eq!(screen(&app).input().value(), "[0.1, 0.6, -0.7]");
        app.update(Message::Paste("o_hat - e_y".into()));
        assert_eq!(screen(&app).input().value(), "o_hat - e_y");
        assert!(!screen(&app).selected());
    }

    #[test]
    fn a_kept_graded_answer_is_selected_and_a_restored_draft_is_not() {
        let mut app = app(Mode::Practice);
        answer(&mut app, STEP_1);
        answer(&mut app, "[1, 2]");
        press(&mut app, KeyCode::Esc);
        press(&mut app, KeyCode::Left);
        press(&mut app, KeyCode::Right);
        assert_eq!(step(&app), "2A");
        assert_eq!(screen(&app).input().value(), "[1, 2]");
        assert!(screen(&app).selected(), "the graded answer kept while moving is selected");
        // Resumed with that answer: selected again.
        let (lesson, _, progress) = app.record().unwrap();
        let resumed = App::for_lesson(lesson.clone(), Mode::Practice, progress);
        assert!(screen(&resumed).selected());
        // A draft typed over it, kept on quitting, is work in progress: not selected.
        press(&mut app, KeyCode::Char('i'));
        press(&mut app, KeyCode::End);
        type_text(&mut app, "0");
        ctrl(&mut app, 'c');
        let (lesson, _, progress) = app.record().unwrap();
        let mut resumed = App::for_lesson(lesson.clone(), Mode::Practice, progress);
        assert_eq!(screen(&resumed).input().value(), "[1, 2]0");
        assert!(!screen(&resumed).selected());
        type_text(&mut resumed, "x");
        assert_eq!(screen(&resumed).input().value(), "[1, 2]0x");
    }

    #[test]
    fn a_draft_survives_quitting() {
        let mut app = app(Mode::Practice);
        type_text(&mut app, "[0.09, 0.6");
        assert_eq!(ctrl(&mut app, 'c'), vec![Command::Quit]);
        let (lesson, _, progress) = app.record().unwrap();
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
        // The walkthrough's own record: its index 4 is Step 3A (Step 0 comes first).
        assert_eq!(step(&app), "3A");
    }

    #[test]
    fn help_toggles_and_swallows_other_keys() {
        let mut app = app(Mode::Practice);
        press(&mut app, KeyCode::Esc);
        press(&mut app, KeyCode::Char('?'));
        assert_eq!(app.overlay, Some(Overlay::Help));
        assert_eq!(press(&mut app, KeyCode::Char('h')), vec![]);
        assert_eq!(session(&app).question(&"dL_do".parse().unwrap()).hints, 0);
        press(&mut app, KeyCode::Esc);
        assert!(app.overlay.is_none());
        press(&mut app, KeyCode::Char('d'));
        assert_eq!(app.overlay, Some(Overlay::Description));
        press(&mut app, KeyCode::Char('d'));
        assert!(app.overlay.is_none());
    }

    fn picker() -> App {
        App::picker(Mode::Practice, crate::tutor::course::shipped_lessons(|_| Progress::default()))
    }

    #[test]
    fn the_picker_opens_the_chosen_lesson_and_q_comes_back_to_it() {
        let mut app = picker();
        assert!(app.record().is_none());
        assert_eq!(press(&mut app, KeyCode::Enter), vec![Command::Open("notes-example".into())]);
        press(&mut app, KeyCode::Down);
        press(&mut app, KeyCode::Up);
        press(&mut app, KeyCode::Up);
        assert_eq!(press(&mut app, KeyCode::Enter), vec![Command::Open("notes-example".into())]);
        app.open(lesson("notes-example"), Progress::default());
        assert_eq!(app.record().unwrap().0.title(), "The notes' worked example");
        answer(&mut app, STEP_1);
        press(&mut app, KeyCode::Esc);
        // `q` saves and goes back; the list then shows the step just done.
        assert_eq!(press(&mut app, KeyCode::Char('q')), vec![Command::Save, Command::ShowPicker]);
        app.show_picker();
        let Screen::Picker(list) = &app.screen else { panic!("not the list") };
        assert_eq!(list.selected(), "notes-example");
        let text = format!("{}", draw(&app));
        assert!(text.contains("1/6  notes-example"), "{text}");
        assert_eq!(press(&mut app, KeyCode::Char('q')), vec![Command::Quit]);
    }

    fn draw(app: &App) -> ratatui::backend::TestBackend {
        let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(100, 30)).unwrap();
        terminal.draw(|frame| frame.render_widget(app, frame.area())).unwrap();
        terminal.backend().clone()
    }

    #[test]
    fn ctrl_c_quits_even_a_lesson_opened_from_the_list() {
        let mut app = picker();
        app.open(lesson("notes-example"), Progress::default());
        assert_eq!(ctrl(&mut app, 'c'), vec![Command::Quit]);
    }

    #[test]
    fn a_reveal_asks_first_and_any_other_key_declines() {
        let mut app = app(Mode::Practice);
        press(&mut app, KeyCode::Esc);
        assert_eq!(press(&mut app, KeyCode::Char('r')), vec![]);
        assert!(session(&app).pending().is_some());
        assert_eq!(press(&mut app, KeyCode::Char('x')), vec![]);
        assert!(session(&app).pending().is_none());
        assert_eq!(status(&app, "dL_do"), (Status::Open, 0));
        press(&mut app, KeyCode::Char('r'));
        assert_eq!(press(&mut app, KeyCode::Char('y')), vec![Command::Save]);
        assert_eq!(status(&app, "dL_do"), (Status::Revealed, 0));
    }

    #[test]
    fn a_step_can_be_reset_after_confirming() {
        let mut app = app(Mode::Practice);
        answer(&mut app, "[0.1, 0.6, -0.7]");
        press(&mut app, KeyCode::Esc);
        press(&mut app, KeyCode::Char('h'));
        press(&mut app, KeyCode::Char('x'));
        assert_eq!(press(&mut app, KeyCode::Char('y')), vec![Command::Save]);
        assert_eq!(
            session(&app).question(&"dL_do".parse().unwrap()),
            crate::tutor::QuestionProgress::default()
        );
        assert_eq!(screen(&app).input().value(), "");
        // Nothing left to reset: a note, and nothing to confirm.
        press(&mut app, KeyCode::Char('x'));
        assert!(session(&app).pending().is_none());
    }

    #[test]
    fn n_and_the_end_of_a_lesson_lead_on() {
        let mut app = app(Mode::Practice);
        press(&mut app, KeyCode::Esc);
        let commands = press(&mut app, KeyCode::Char('n'));
        assert!(
            matches!(commands.as_slice(), [Command::Save, Command::OpenVariant(variant)] if variant.options.layers == [3, 2, 2, 3] && variant.expose.is_empty())
        );
        while let Some(question) = session(&app).current_question().cloned() {
            let value = session(&app).solution().value_of(&question).unwrap();
            answer(&mut app, &crate::plan::display::value(&value).replace('−', "-"));
        }
        assert!(session(&app).is_complete(), "{:?}", session(&app).progress());
        press(&mut app, KeyCode::Esc);
        assert_eq!(
            press(&mut app, KeyCode::Enter),
            vec![Command::Save, Command::Open("notes-step2b".into())]
        );
    }

    #[test]
    fn walkthrough_keys_jump_pose_and_project() {
        let mut app = app(Mode::Walkthrough);
        assert_eq!(step(&app), "0");
        press(&mut app, KeyCode::Char('3'));
        assert_eq!(step(&app), "3A");
        press(&mut app, KeyCode::Char('3'));
        assert_eq!(step(&app), "3B");
        press(&mut app, KeyCode::Char('3'));
        assert_eq!(step(&app), "3A");
        press(&mut app, KeyCode::Char(' '));
        assert!(session(&app).is_posed());
        press(&mut app, KeyCode::Char(' '));
        assert!(!session(&app).is_posed());
        press(&mut app, KeyCode::Char('p'));
        assert!(screen(&app).projector);
        press(&mut app, KeyCode::Char('w'));
        assert!(screen(&app).weight_matrices);
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
