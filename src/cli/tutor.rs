//! `backprop-tutor [LESSON]`: the TUI (or, with `--plain`, lines on stdin and stdout), on a
//! lesson or on the list of shipped lessons, with progress loaded before it starts and saved
//! whenever the app asks.

use super::{exit, load_or_report};
use crate::lesson::{Lesson, load_lesson};
use crate::plain::{self, Library, Start};
use crate::tui::{App, Command, terminal};
use crate::tutor::course::{Entry, Variant, shipped_lessons};
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

/// How the tutor is run, from the command line.
#[derive(Debug, Clone, Copy)]
pub(super) struct TutorArgs<'a> {
    pub lesson: Option<&'a str>,
    pub mode: TutorMode,
    pub fresh: bool,
    pub plain: bool,
}

pub(super) fn run(args: TutorArgs) -> u8 {
    let mode = match args.mode {
        TutorMode::Practice => Mode::Practice,
        TutorMode::Walkthrough => Mode::Walkthrough,
    };
    let mut runtime = Runtime { store: ProgressStore::from_env(), fresh: args.fresh, save_warned: false };
    // Everything that can fail for a reason the user should read on a normal screen fails here,
    // before the terminal is touched.
    let lesson = match args.lesson.map(load_or_report) {
        Some(Ok(lesson)) => Some(lesson),
        Some(Err(code)) => return code,
        None => None,
    };
    if args.plain {
        return run_plain(&mut runtime, lesson, mode);
    }
    let mut app = match lesson {
        Some(lesson) => runtime.app_for(lesson, mode),
        None => App::picker(mode, runtime.lessons()),
    };
    if !std::io::stdout().is_terminal() {
        eprintln!(
            "error: the tutor needs a terminal; use --plain for lines on stdin and stdout, or \
             `backprop-tutor solve LESSON` for a printed solution"
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

fn run_plain(runtime: &mut Runtime, lesson: Option<Lesson>, mode: Mode) -> u8 {
    let start = match lesson {
        Some(lesson) => {
            let (progress, warning) = runtime.progress_for(&lesson, mode);
            if let Some(warning) = warning {
                eprintln!("warning: {warning}");
            }
            Start::Lesson(Box::new(lesson), progress)
        }
        None => Start::Picker,
    };
    let stdin = std::io::stdin().lock();
    match plain::run(runtime, start, mode, stdin, std::io::stdout().lock()) {
        Ok(()) => exit::OK,
        // A closed pipe (`| head`) is a normal end.
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => exit::OK,
        Err(error) => {
            eprintln!("error: {error}");
            TERMINAL_FAILED
        }
    }
}

/// What the app cannot do itself: reading and writing progress, loading a picked lesson.
struct Runtime {
    store: ProgressStore,
    /// `--fresh`: the first lesson opened ignores its saved progress in this mode (and the
    /// first save replaces it). Lessons opened after it resume as usual, so going back to the
    /// list and into the lesson again does not start it over.
    fresh: bool,
    /// A failing save is reported once, not on every answer.
    save_warned: bool,
}

impl Runtime {
    fn app_for(&mut self, lesson: Lesson, mode: Mode) -> App {
        let (progress, warning) = self.progress_for(&lesson, mode);
        let mut app = App::for_lesson(lesson, mode, progress);
        if let Some(warning) = warning {
            app.warn(warning);
        }
        app
    }

    fn progress_for(&mut self, lesson: &Lesson, mode: Mode) -> (Progress, Option<String>) {
        if std::mem::take(&mut self.fresh) {
            (Progress::default(), None)
        } else {
            self.store.load(lesson, mode)
        }
    }

    fn open_in(&mut self, app: &mut App, lesson: Result<Lesson, String>) {
        match lesson {
            Ok(lesson) => {
                let (progress, warning) = self.progress_for(&lesson, app.mode());
                app.open(lesson, progress);
                if let Some(warning) = warning {
                    app.warn(warning);
                }
            }
            Err(error) => app.warn(error),
        }
    }

    fn perform(&mut self, app: &mut App, command: Command) {
        match command {
            Command::Save | Command::Quit => {
                let Some((lesson, mode, progress)) = app.record() else { return };
                match self.save(lesson, mode, &progress) {
                    Ok(()) => app.saved(),
                    Err(Some(error)) => app.warn(error),
                    Err(None) => {}
                }
            }
            Command::Open(name) => self.open_in(app, load_lesson(&name).map_err(|e| e.to_string())),
            Command::OpenVariant(variant) => match variant.lesson() {
                Ok(lesson) => {
                    let (progress, warning) = self.progress_for(&lesson, app.mode());
                    app.open_variant(lesson, progress, variant);
                    if let Some(warning) = warning {
                        app.warn(warning);
                    }
                }
                Err(error) => app.warn(error.to_string()),
            },
            Command::ShowPicker => app.show_picker(),
        }
    }

    /// Saves; a failure is said once (`Err(Some)`), then kept quiet (`Err(None)`).
    fn save(&mut self, lesson: &Lesson, mode: Mode, progress: &Progress) -> Result<(), Option<String>> {
        terminal::uninterrupted(|| self.store.save(lesson, mode, progress))
            .map_err(|error| (!std::mem::replace(&mut self.save_warned, true)).then(|| error.to_string()))
    }
}

impl Library for Runtime {
    fn open(&mut self, name: &str, mode: Mode) -> Result<(Lesson, Progress), String> {
        let lesson = load_lesson(name).map_err(|e| e.to_string())?;
        Ok(self.with_progress(lesson, mode))
    }

    fn open_variant(&mut self, variant: &Variant, mode: Mode) -> Result<(Lesson, Progress), String> {
        let lesson = variant.lesson().map_err(|e| e.to_string())?;
        Ok(self.with_progress(lesson, mode))
    }

    fn save(&mut self, lesson: &Lesson, mode: Mode, progress: &Progress) -> Result<(), String> {
        match Runtime::save(self, lesson, mode, progress) {
            Ok(()) => Ok(()),
            Err(error) => Err(error.unwrap_or_else(|| "progress is not saved".into())),
        }
    }

    fn lessons(&self) -> Vec<Entry> {
        shipped_lessons(|lesson| self.store.load(lesson, Mode::Practice).0)
    }
}

impl Runtime {
    fn with_progress(&mut self, lesson: Lesson, mode: Mode) -> (Lesson, Progress) {
        let (progress, warning) = self.progress_for(&lesson, mode);
        if let Some(warning) = warning {
            eprintln!("warning: {warning}");
        }
        (lesson, progress)
    }
}
