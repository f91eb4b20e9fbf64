//! `backprop-tutor [LESSON]`: the TUI, on a lesson or on the picker, with progress loaded
//! before it starts and saved whenever the app asks.

use super::{exit, load_or_report};
use crate::lesson::{Lesson, load_lesson};
use crate::tui::{App, Command, terminal};
use crate::tutor::{Mode, Progress, ProgressStore};
use clap::ValueEnum;
use std::io::IsTerminal;

/// A terminal that failed under the tutor (not a finding, not bad input).
const TERMINAL_FAILED: u8 = 1;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TutorMode {
    /// Answer each step yourself, with hints and reveals.
    Practice,
    /// Step freely through every worked step, e.g. at a projector.
    Walkthrough,
}

pub fn run(lesson: Option<&str>, mode: TutorMode, fresh: bool) -> u8 {
    let mode = match mode {
        TutorMode::Practice => Mode::Practice,
        TutorMode::Walkthrough => Mode::Walkthrough,
    };
    let mut runtime = Runtime { store: ProgressStore::from_env(), fresh, save_warned: false };
    // Everything that can fail for a reason the user should read on a normal screen fails here,
    // before the terminal is touched.
    let mut app = match lesson {
        Some(spec) => match load_or_report(spec) {
            Ok(lesson) => runtime.app_for(lesson, mode),
            Err(code) => return code,
        },
        None => App::picker(mode),
    };
    if !std::io::stdout().is_terminal() {
        eprintln!(
            "error: the tutor needs a terminal; for a printed solution use `backprop-tutor solve LESSON`"
        );
        return exit::BAD_INPUT;
    }
    let result = terminal::watch_signals().and_then(|()| terminal::init()).and_then(|mut screen| {
        terminal::run(&mut screen, &mut app, terminal::events(), |app, command| runtime.perform(app, command))
    });
    terminal::restore();
    match result {
        Ok(()) => exit::OK,
        Err(error) => {
            eprintln!("error: terminal: {error}");
            TERMINAL_FAILED
        }
    }
}

/// What the app cannot do itself: reading and writing progress, loading a picked lesson.
struct Runtime {
    store: ProgressStore,
    /// `--fresh`: saved progress is ignored (and overwritten by the first save).
    fresh: bool,
    /// A failing save is reported once, not on every answer.
    save_warned: bool,
}

impl Runtime {
    fn app_for(&self, lesson: Lesson, mode: Mode) -> App {
        let (progress, warning) = self.progress_for(&lesson);
        let mut app = App::for_lesson(lesson, mode, progress);
        if let Some(warning) = warning {
            app.warn(warning);
        }
        app
    }

    fn progress_for(&self, lesson: &Lesson) -> (Progress, Option<String>) {
        if self.fresh { (Progress::default(), None) } else { self.store.load(lesson) }
    }

    fn perform(&mut self, app: &mut App, command: Command) {
        match command {
            Command::Save | Command::Quit => self.save(app),
            Command::Open(name) => match load_lesson(&name) {
                Ok(lesson) => {
                    let (progress, warning) = self.progress_for(&lesson);
                    app.open(lesson, progress);
                    if let Some(warning) = warning {
                        app.warn(warning);
                    }
                }
                Err(error) => app.warn(error.to_string()),
            },
        }
    }

    fn save(&mut self, app: &mut App) {
        let Some((lesson, progress)) = app.progress() else { return };
        if let Err(error) = terminal::uninterrupted(|| self.store.save(lesson, &progress))
            && !std::mem::replace(&mut self.save_warned, true)
        {
            app.warn(error.to_string());
        }
    }
}
