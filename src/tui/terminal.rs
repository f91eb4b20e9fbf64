//! The runtime around the app: entering the terminal's raw mode and alternate screen, putting
//! the terminal back however the program ends, and the event loop.
//!
//! Restoring is one idempotent function, [`restore`], reached from every way out:
//! - a normal quit or an I/O error: the caller calls it after the loop;
//! - a panic: the hook installed by [`init`] calls it, then the previous hook, so the panic
//!   message lands on the restored screen instead of the alternate one that is about to vanish;
//! - SIGTERM, SIGINT, SIGHUP, SIGQUIT: a thread started by [`watch_signals`] waits for them. The
//!   main thread is blocked in `event::read()` and cannot be woken to quit by itself, so that
//!   thread restores the terminal and ends the process, re-raising the signal so the parent sees
//!   the usual "killed by SIGTERM". It first takes the lock that [`uninterrupted`] holds around
//!   drawing and saving, so it never cuts a frame's escape sequence in half (which would leave
//!   the terminal in a state the restore sequence does not undo) or leaves a half-done save.
//!
//! The loop draws only after an event (a key, a paste, a resize) and otherwise blocks in
//! `event::read()`, so an idle tutor uses no CPU.

use super::mouse::{DisableWheel, EnableWheel};
use super::{App, Command, Message};
use ratatui::Terminal;
use ratatui::backend::{Backend, CrosstermBackend};
use ratatui::crossterm::event::{self, DisableBracketedPaste, EnableBracketedPaste, Event, MouseEventKind};
use ratatui::crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::crossterm::{cursor, execute};
use std::io::{self, BufWriter, Stdout};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, Once, PoisonError};

/// Whether the terminal is in our modes, so that restoring from several places (the panic hook,
/// the signal thread, the normal exit) writes the restore sequence once.
static ACTIVE: AtomicBool = AtomicBool::new(false);

/// Held while drawing or saving; the signal thread takes it before ending the process.
static EXIT_LOCK: Mutex<()> = Mutex::new(());

/// Room for a whole frame, so that it reaches the terminal in one write: every cell of a 200×60
/// screen with its own colours and attributes is some 250 KB.
const FRAME_BYTES: usize = 256 * 1024;

/// What frames are written to. Stdout alone buffers 1 KiB, so a frame went out in a write per
/// KiB, and a terminal could show it half drawn; ratatui flushes its writer once the frame is
/// queued (with the cursor's hiding), so this buffer sends each frame in one write.
type FrameWriter = BufWriter<Stdout>;

/// Puts the terminal in raw mode on the alternate screen with bracketed paste (so a pasted
/// answer arrives whole, not as keys that might trigger commands) and the mouse wheel reported,
/// and installs the panic hook.
pub fn init() -> io::Result<Terminal<CrosstermBackend<FrameWriter>>> {
    install_panic_hook();
    // Uninterrupted, so a signal arriving halfway is handled once every mode is on, and marked
    // active first, so that handling (or a failure here) undoes whatever was switched on.
    uninterrupted(|| {
        ACTIVE.store(true, Ordering::SeqCst);
        let terminal = enable_raw_mode()
            .and_then(|()| execute!(io::stdout(), EnterAlternateScreen, EnableBracketedPaste, EnableWheel))
            .and_then(|()| {
                Terminal::new(CrosstermBackend::new(BufWriter::with_capacity(FRAME_BYTES, io::stdout())))
            });
        if terminal.is_err() {
            restore();
        }
        terminal
    })
}

/// Undoes [`init`]; does nothing if the terminal is not in our modes. Errors are ignored: this
/// runs on the way out, when there is nothing better to do, and the terminal may be gone.
pub fn restore() {
    if ACTIVE.swap(false, Ordering::SeqCst) {
        let _ = disable_raw_mode();
        let _ =
            execute!(io::stdout(), DisableWheel, DisableBracketedPaste, LeaveAlternateScreen, cursor::Show);
    }
}

/// Runs `f` (a draw, a save) to completion even if a termination signal arrives meanwhile.
pub fn uninterrupted<T>(f: impl FnOnce() -> T) -> T {
    let _guard = EXIT_LOCK.lock().unwrap_or_else(PoisonError::into_inner);
    f()
}

fn install_panic_hook() {
    static INSTALLED: Once = Once::new();
    INSTALLED.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore();
            previous(info);
        }));
    });
}

/// Starts the thread that restores the terminal on a termination signal (see the module
/// documentation). Call it before [`init`], so no signal finds the terminal unguarded. Returns
/// an error if the handlers cannot be registered.
#[cfg(unix)]
pub fn watch_signals() -> io::Result<()> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGQUIT, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGTERM, SIGINT, SIGHUP, SIGQUIT])?;
    std::thread::Builder::new().name("signals".into()).spawn(move || {
        if let Some(signal) = signals.forever().next() {
            // Never released: the process ends while holding it, so no frame starts after
            // the restore sequence.
            let _guard = EXIT_LOCK.lock().unwrap_or_else(PoisonError::into_inner);
            restore();
            let _ = signal_hook::low_level::emulate_default_handler(signal);
            std::process::exit(128 + signal);
        }
    })?;
    Ok(())
}

/// Without Unix signals the console closes the program itself; the panic hook and the normal
/// exit still restore the terminal.
#[cfg(not(unix))]
pub fn watch_signals() -> io::Result<()> {
    Ok(())
}

/// The terminal's events, each read blocking until it arrives.
///
/// The event source is opened here, before the first frame is drawn: it is what catches
/// SIGWINCH, and a resize between the first frame and the first read would be lost otherwise.
pub fn events() -> impl Iterator<Item = io::Result<Event>> {
    let _ = event::poll(std::time::Duration::ZERO);
    let panic_on_f12 = test_panic_requested();
    std::iter::repeat_with(event::read).inspect(move |event| {
        if panic_on_f12 && matches!(event, Ok(Event::Key(key)) if key.code == event::KeyCode::F(12)) {
            panic!("test panic requested with F12");
        }
    })
}

/// With `BACKPROP_TUTOR_TEST_PANIC=1`, F12 panics, so the end-to-end tests can check that a
/// panic restores the terminal before its message is printed. Only debug builds (the ones the
/// tests run) have the key: a released tutor never panics on purpose.
#[cfg(debug_assertions)]
fn test_panic_requested() -> bool {
    std::env::var_os("BACKPROP_TUTOR_TEST_PANIC").is_some_and(|value| value == "1")
}

#[cfg(not(debug_assertions))]
fn test_panic_requested() -> bool {
    false
}

/// Draws `app`, then for each event updates it and draws again, handing every command the app
/// returns to `perform`, until a [`Command::Quit`] has been performed (or the events end). A
/// [`Command::Save`] is performed after the new frame is drawn.
pub fn run<B: Backend>(
    terminal: &mut Terminal<B>,
    app: &mut App,
    events: impl IntoIterator<Item = io::Result<Event>>,
    mut perform: impl FnMut(&mut App, Command),
) -> io::Result<()>
where
    B::Error: Send + Sync + 'static,
{
    draw(terminal, app)?;
    for event in events {
        let message = match event? {
            // Release and repeat events (reported on Windows, and by terminals with the kitty
            // protocol) would type every character twice.
            Event::Key(key) if key.is_press() => Message::Key(key),
            Event::Paste(text) => Message::Paste(text),
            // The wheel scrolls; clicks do nothing, so they do not even redraw.
            Event::Mouse(mouse)
                if matches!(mouse.kind, MouseEventKind::ScrollUp | MouseEventKind::ScrollDown) =>
            {
                Message::Mouse(mouse)
            }
            // `draw` resizes its buffers to the new size by itself.
            Event::Resize(..) => {
                draw(terminal, app)?;
                continue;
            }
            _ => continue,
        };
        let mut drawn = false;
        for command in app.update(message) {
            // The key's frame goes out before a save, so the learner does not wait for the disk:
            // a save syncs a file and its directory, about 1 ms on an idle disk but 11 ms while
            // another program was writing (benches/keypress.rs: 15.5 ms from key to frame
            // before this order, 1.2 ms after).
            if command == Command::Save && !drawn {
                draw(terminal, app)?;
                drawn = true;
            }
            let quit = matches!(command, Command::Quit);
            perform(app, command);
            if quit {
                return Ok(());
            }
        }
        // Again after a save, whose failure puts a warning on the last line; when nothing has
        // changed, ratatui's diff writes no cell, only its 25 bytes of attribute reset and cursor
        // hiding.
        draw(terminal, app)?;
    }
    Ok(())
}

fn draw<B: Backend>(terminal: &mut Terminal<B>, app: &App) -> io::Result<()>
where
    B::Error: Send + Sync + 'static,
{
    uninterrupted(|| terminal.draw(|frame| frame.render_widget(app, frame.area())).map(drop))
        .map_err(io::Error::other)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lesson::load_lesson;
    use crate::tutor::{Mode, Progress};
    use ratatui::backend::TestBackend;
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

    fn key(code: KeyCode, kind: KeyEventKind) -> io::Result<Event> {
        Ok(Event::Key(KeyEvent::new_with_kind(code, KeyModifiers::NONE, kind)))
    }

    fn press(code: KeyCode) -> io::Result<Event> {
        key(code, KeyEventKind::Press)
    }

    /// Runs the notes' example through `events`; returns the commands performed and the first
    /// line of the last frame.
    fn run_notes_example(
        events: impl IntoIterator<Item = io::Result<Event>>,
    ) -> (io::Result<()>, Vec<Command>, String) {
        let lesson = load_lesson("notes-example").unwrap();
        let mut app = App::for_lesson(lesson, Mode::Practice, Progress::default());
        let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
        let mut performed = Vec::new();
        let result = run(&mut terminal, &mut app, events, |_, command| performed.push(command));
        let buffer = terminal.backend().buffer();
        let first_line = (0..buffer.area.width).map(|x| buffer[(x, 0)].symbol()).collect();
        (result, performed, first_line)
    }

    #[test]
    fn a_pasted_answer_is_submitted_once_and_releases_are_ignored() {
        let (result, performed, first_line) = run_notes_example(vec![
            Ok(Event::Paste("[0.090, 0.665, -0.755]".into())),
            key(KeyCode::Enter, KeyEventKind::Release),
            press(KeyCode::Enter),
            key(KeyCode::Enter, KeyEventKind::Release),
            key(KeyCode::Char('x'), KeyEventKind::Repeat),
        ]);
        result.unwrap();
        assert_eq!(performed, [Command::Save]);
        assert!(first_line.contains("Step 2A"), "{first_line}");
    }

    #[test]
    fn quit_ends_the_loop_without_reading_further() {
        let events = vec![Ok(Event::Resize(80, 24)), press(KeyCode::Esc), press(KeyCode::Char('q'))];
        let unread = std::iter::from_fn(|| panic!("an event was read after Quit"));
        let (result, performed, _) = run_notes_example(events.into_iter().chain(unread));
        result.unwrap();
        assert_eq!(performed, [Command::Quit]);
    }

    #[test]
    fn a_failing_event_source_ends_the_loop_with_its_error() {
        let (result, performed, _) = run_notes_example(vec![Err(io::Error::other("terminal gone"))]);
        assert_eq!(result.unwrap_err().to_string(), "terminal gone");
        assert!(performed.is_empty());
    }
}
