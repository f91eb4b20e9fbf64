//! End to end through a pseudo-terminal: the built binary in an 80×24 pty, its screen read
//! with vt100, as a learner (and a crashing or killed tutor) would leave it. Every wait has a
//! deadline, so a broken tutor fails the test instead of hanging it.
#![cfg(unix)]

use crate::support::pty;

use backprop_tutor::tutor::{Mode, ProgressStore};
use portable_pty::{MasterPty, PtySize};
use pty::{DEADLINE, Pty, nonzero};
use std::path::Path;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const STEP_1_ANSWER: &str = "[0.090, 0.665, -0.755]";

#[test]
fn answers_quits_with_the_terminal_restored_and_resumes() {
    let data = tempfile::tempdir().unwrap();
    let mut tutor = Tutor::spawn(data.path(), &["notes-example"], &[]);
    tutor.wait_for_first_line("Step 1");
    assert!(tutor.is_raw(), "the tutor runs in raw mode");
    assert_ne!(tutor.screen().mouse_protocol_mode(), vt100::MouseProtocolMode::None, "the wheel is reported");

    tutor.type_text(STEP_1_ANSWER);
    tutor.type_text("\r");
    tutor.wait_for_first_line("Step 2A");
    tutor.type_text("[1, 2]\r");
    tutor.wait_for("the verdict `incorrect`", |screen| screen.contents().contains("incorrect"));

    tutor.press_escape();
    tutor.type_text("q");
    let status = tutor.wait_for_exit();
    assert!(status.success(), "{status:?}");
    tutor.assert_restored();

    let mut again = Tutor::spawn(data.path(), &["notes-example"], &[]);
    again.wait_for_first_line("Step 2A");
    again.type_text("\x03");
    assert!(again.wait_for_exit().success());
    again.assert_restored();
}

#[test]
fn the_picker_opens_a_lesson_and_saves_its_progress() {
    let data = tempfile::tempdir().unwrap();
    let mut tutor = Tutor::spawn(data.path(), &[], &[]);
    tutor.wait_for("the picker", |screen| screen.contents().contains("notes-example"));
    tutor.type_text("\r"); // notes-example is first
    tutor.wait_for_first_line("Step 1");
    tutor.type_text(&format!("{STEP_1_ANSWER}\r"));
    tutor.wait_for_first_line("Step 2A");
    tutor.type_text("\x03");
    assert!(tutor.wait_for_exit().success());

    let mut again = Tutor::spawn(data.path(), &["notes-example"], &[]);
    again.wait_for_first_line("Step 2A");
    again.type_text("\x03");
    assert!(again.wait_for_exit().success());
}

#[test]
fn fresh_ignores_saved_progress() {
    let data = tempfile::tempdir().unwrap();
    let mut tutor = Tutor::spawn(data.path(), &["notes-example"], &[]);
    tutor.wait_for_first_line("Step 1");
    tutor.type_text(&format!("{STEP_1_ANSWER}\r"));
    tutor.wait_for_first_line("Step 2A");
    tutor.type_text("\x03");
    assert!(tutor.wait_for_exit().success());

    let mut fresh = Tutor::spawn(data.path(), &["notes-example", "--fresh"], &[]);
    fresh.wait_for_first_line("Step 1");
    fresh.type_text("\x03");
    assert!(fresh.wait_for_exit().success());
}

#[test]
fn the_picker_is_a_loop_that_shows_progress() {
    let data = tempfile::tempdir().unwrap();
    let mut tutor = Tutor::spawn(data.path(), &[], &[]);
    tutor.wait_for("the picker", |screen| screen.contents().contains("  new  notes-example"));
    tutor.type_text("\r");
    tutor.wait_for_first_line("Step 1");
    tutor.type_text(&format!("{STEP_1_ANSWER}\r"));
    tutor.wait_for_first_line("Step 2A");
    tutor.press_escape();
    // `q` goes back to the list, which shows the step done; `q` there quits.
    tutor.type_text("q");
    tutor.wait_for("the picker with progress", |screen| screen.contents().contains("1/6  notes-example"));
    tutor.type_text("\r");
    tutor.wait_for_first_line("Step 2A");
    tutor.wait_for("the resumed notice", |screen| screen.contents().contains("resumed: 1 of 6 done"));
    tutor.press_escape();
    tutor.type_text("q");
    tutor.wait_for("the picker again", |screen| screen.contents().contains("choose a lesson"));
    tutor.type_text("q");
    assert!(tutor.wait_for_exit().success());
    tutor.assert_restored();
}

#[test]
fn a_walkthrough_keeps_its_own_record() {
    let data = tempfile::tempdir().unwrap();
    let mut practice = Tutor::spawn(data.path(), &["notes-example"], &[]);
    practice.wait_for_first_line("Step 1");
    practice.type_text(&format!("{STEP_1_ANSWER}\r"));
    practice.wait_for_first_line("Step 2A");
    practice.type_text("\x03");
    assert!(practice.wait_for_exit().success());

    // A fresh walkthrough starts at Step 0 and saves where it goes, and only that.
    let mut walkthrough =
        Tutor::spawn(data.path(), &["notes-example", "--mode", "walkthrough", "--fresh"], &[]);
    walkthrough.wait_for_first_line("Step 0");
    walkthrough.type_text("4");
    walkthrough.wait_for_first_line("Step 4");
    walkthrough.type_text("q");
    assert!(walkthrough.wait_for_exit().success());

    let mut practice = Tutor::spawn(data.path(), &["notes-example"], &[]);
    practice.wait_for_first_line("Step 2A");
    practice.type_text("\x03");
    assert!(practice.wait_for_exit().success());
    let mut walkthrough = Tutor::spawn(data.path(), &["notes-example", "--mode", "walkthrough"], &[]);
    walkthrough.wait_for_first_line("Step 4");
    walkthrough.type_text("\x03");
    assert!(walkthrough.wait_for_exit().success());
}

#[test]
fn the_projector_view_shows_the_step_alone() {
    let data = tempfile::tempdir().unwrap();
    let mut tutor = Tutor::spawn(data.path(), &["notes-example", "--mode", "walkthrough"], &[]);
    tutor.wait_for_first_line("Step 0");
    tutor.type_text("3");
    tutor.wait_for_first_line("Step 3A");
    assert!(tutor.screen().contents().contains("Network"));
    tutor.type_text("p");
    tutor.wait_for("the projector view", |screen| {
        let text = screen.contents();
        !text.contains("Network") && !text.contains("Gradients") && text.contains("∂L/∂h1(1) = 0.2876·1·1")
    });
    // Ask, then reveal: the derivation goes, and comes back.
    tutor.type_text(" ");
    tutor.wait_for("the step posed", |screen| !screen.contents().contains("∂L/∂h1(1) = 0.2876·1·1"));
    tutor.type_text(" ");
    tutor.wait_for("the step revealed", |screen| screen.contents().contains("∂L/∂h1(1) = 0.2876·1·1"));
    tutor.type_text("p");
    tutor.wait_for("the lesson screen again", |screen| screen.contents().contains("Network"));
    tutor.type_text("q");
    assert!(tutor.wait_for_exit().success());
    tutor.assert_restored();
}

/// The preview under the answer box follows each key in a real terminal: where the text stops
/// being readable, then its shape and entries; and the prompt asks for digits and names.
#[test]
fn typing_previews_the_answer_in_a_terminal() {
    let data = tempfile::tempdir().unwrap();
    let mut tutor = Tutor::spawn(data.path(), &["notes-example"], &[]);
    tutor.wait_for_first_line("Step 1");
    tutor.wait_for("the prompt", |screen| {
        screen.contents().contains("significant digits; a formula of o_hat, e_y also works")
    });
    tutor.type_text("[0.09, 0.665");
    tutor
        .wait_for("where reading stops", |screen| screen.contents().contains("as typed so far: missing ']'"));
    tutor.type_text(", -0.755]");
    tutor.wait_for("the value read", |screen| {
        let text = screen.contents();
        text.contains("→ a vector of 3: [0.09, 0.665, −0.755]") && !text.contains("as typed so far")
    });
    tutor.type_text("\x03");
    assert!(tutor.wait_for_exit().success());
}

/// The QA report's keystrokes: a wrong answer, Enter, then a new answer typed straight away.
/// The graded answer is selected (said beside it), so the new one replaces it rather than being
/// glued to it as `[…]o_hat − e_y`, a product that would spend an attempt.
#[test]
fn a_new_answer_replaces_the_graded_one() {
    let data = tempfile::tempdir().unwrap();
    let mut tutor = Tutor::spawn(data.path(), &["notes-example"], &[]);
    tutor.wait_for_first_line("Step 1");
    tutor.type_text("[0.09, 0.665, 0.245]\r");
    tutor.wait_for("the graded answer, selected", |screen| {
        let text = screen.contents();
        text.contains("✗ incorrect") && text.contains("[0.09, 0.665, 0.245]   selected: typing replaces it")
    });
    tutor.type_text("o_hat - e_y");
    tutor.wait_for("the new answer alone", |screen| {
        screen.rows(0, 80).any(|row| row.trim_end() == " ∂L/∂o = o_hat − e_y")
    });
    tutor.type_text("\r");
    tutor.wait_for_first_line("Step 2A");
    assert!(
        tutor.screen().contents().contains("∂L/∂o is solved (2 attempts)"),
        "{}",
        tutor.screen().contents()
    );
    tutor.type_text("\x03");
    assert!(tutor.wait_for_exit().success());
}

/// After a diagnosed mistake, `n` opens an exercise made for it, and the screen shows the
/// command that makes it again, to copy.
#[test]
fn n_after_a_mistake_opens_an_exercise_for_it() {
    let data = tempfile::tempdir().unwrap();
    let mut tutor = Tutor::spawn(data.path(), &["notes-example"], &[]);
    tutor.wait_for_first_line("Step 1");
    tutor.type_text("[0.09003, 0.6652, 0.2447]\r");
    tutor.wait_for("the offer", |screen| screen.contents().contains("an exercise in which this mistake"));
    tutor.press_escape();
    tutor.type_text("n");
    tutor.wait_for("the exercise made for the mistake", |screen| {
        let text = screen.contents();
        text.contains("An exercise for missing_onehot") && text.contains("backprop-tutor new --seed")
    });
    assert!(tutor.screen().rows(0, 80).next().unwrap().contains("Exercise (seed"));
    tutor.type_text("\x03");
    assert!(tutor.wait_for_exit().success());
}

/// `--plain` in a terminal, as a screen reader user runs it: plain lines, no drawing at all (not
/// one escape sequence: no alternate screen, no colour, no cursor moves), answers typed at its
/// prompt, and the end of input (Ctrl-D) saves and quits.
#[test]
fn plain_mode_in_a_terminal_writes_only_lines() {
    let data = tempfile::tempdir().unwrap();
    let mut tutor = Tutor::spawn(data.path(), &["notes-example", "--plain"], &[]);
    tutor.wait_for("the first prompt", |screen| screen.contents().contains("Answer ∂L/∂o"));
    tutor.type_text(&format!("{STEP_1_ANSWER}\r"));
    tutor.wait_for("the verdict and the next step", |screen| {
        let text = screen.contents();
        text.contains("correct: ∂L/∂o is solved") && text.contains("Answer ∂L/∂h(2)")
    });
    tutor.type_text("\x04");
    assert!(tutor.wait_for_exit().success());
    let output = String::from_utf8(tutor.output()).unwrap();
    assert!(!output.contains('\x1b'), "an escape sequence in plain mode: {output:?}");
    assert!(!tutor.is_raw(), "plain mode leaves the terminal's line editing on");

    let mut again = Tutor::spawn(data.path(), &["notes-example"], &[]);
    again.wait_for_first_line("Step 2A");
    again.type_text("\x03");
    assert!(again.wait_for_exit().success());
}

#[test]
fn termination_signals_restore_the_terminal() {
    for signal in [libc::SIGTERM, libc::SIGINT, libc::SIGHUP] {
        let data = tempfile::tempdir().unwrap();
        let mut tutor = Tutor::spawn(data.path(), &["notes-example"], &[]);
        tutor.wait_for_first_line("Step 1");
        tutor.signal(signal);
        let status = tutor.wait_for_exit();
        assert!(status.signal().is_some(), "signal {signal}: ends as killed by it: {status:?}");
        tutor.assert_restored();
    }
}

#[test]
fn a_panic_restores_the_terminal_before_its_message_is_printed() {
    let data = tempfile::tempdir().unwrap();
    let mut tutor = Tutor::spawn(data.path(), &["notes-example"], &[("BACKPROP_TUTOR_TEST_PANIC", "1")]);
    tutor.wait_for_first_line("Step 1");
    tutor.type_text("\x1b[24~"); // F12
    let status = tutor.wait_for_exit();
    assert!(!status.success());
    tutor.assert_restored();
    let output = tutor.output();
    let message = find(&output, b"test panic requested").expect("the panic message is printed");
    let left = rfind(&output, b"\x1b[?1049l").expect("the alternate screen is left");
    assert!(left < message, "the message comes after the screen is restored");
    assert!(tutor.screen().contents().contains("test panic requested"), "and stays readable");
}

#[test]
fn an_unwritable_data_directory_warns_and_the_tutor_works_on() {
    // A file where the directory should be: unwritable even for root, unlike permission bits.
    let data = tempfile::tempdir().unwrap();
    let blocker = data.path().join("not-a-directory");
    std::fs::write(&blocker, "").unwrap();
    let mut tutor = Tutor::spawn(&blocker, &["notes-example"], &[]);
    tutor.wait_for_first_line("Step 1");
    tutor.type_text(&format!("{STEP_1_ANSWER}\r"));
    tutor.wait_for_first_line("Step 2A");
    tutor.wait_for("a warning that progress is not saved", |screen| screen.contents().contains("not saved"));
    tutor.type_text("\x03");
    assert!(tutor.wait_for_exit().success());
    tutor.assert_restored();
}

#[test]
fn a_corrupt_progress_file_is_set_aside_with_a_warning() {
    let data = tempfile::tempdir().unwrap();
    let lesson = backprop_tutor::lesson::load_lesson("notes-example").unwrap();
    let saved = ProgressStore::at(data.path().join("progress")).path_for(&lesson, Mode::Practice).unwrap();
    std::fs::create_dir_all(saved.parent().unwrap()).unwrap();
    std::fs::write(&saved, "{\"progress\": [truncated").unwrap();
    let mut tutor = Tutor::spawn(data.path(), &["notes-example"], &[]);
    tutor.wait_for_first_line("Step 1");
    tutor.wait_for("a warning about the unreadable file", |screen| screen.contents().contains("unreadable"));
    tutor.type_text("\x03");
    assert!(tutor.wait_for_exit().success());
    let aside = saved.with_file_name(format!("{}.corrupt-1", saved.file_name().unwrap().to_string_lossy()));
    assert_eq!(std::fs::read_to_string(aside).unwrap(), "{\"progress\": [truncated");
}

#[test]
fn a_bad_lesson_is_reported_before_the_terminal_is_touched() {
    let data = tempfile::tempdir().unwrap();
    let mut tutor = Tutor::spawn(data.path(), &["no-such-lesson"], &[]);
    assert_eq!(tutor.wait_for_exit().exit_code(), 2);
    let output = tutor.output();
    assert!(find(&output, b"\x1b[?1049h").is_none(), "never entered the alternate screen");
    assert!(find(&output, b"no-such-lesson").is_some(), "{}", String::from_utf8_lossy(&output));
    assert!(!tutor.is_raw());
}

#[test]
fn resizing_redraws() {
    let data = tempfile::tempdir().unwrap();
    let mut tutor = Tutor::spawn(data.path(), &["notes-example"], &[]);
    tutor.wait_for_first_line("Step 1");
    tutor.resize(30, 100);
    tutor.wait_for("the frame redrawn 100 columns wide", |screen| {
        screen.rows(0, 100).any(|row| row.trim_end().chars().count() > 80)
    });
    tutor.wait_for_first_line("Step 1");
    tutor.type_text("\x03");
    assert!(tutor.wait_for_exit().success());
}

#[cfg(target_os = "linux")]
#[test]
fn an_idle_tutor_uses_no_cpu() {
    let data = tempfile::tempdir().unwrap();
    let mut tutor = Tutor::spawn(data.path(), &["notes-example"], &[]);
    tutor.wait_for_first_line("Step 1");
    // The first frame can be on the screen while the tutor is still at work (writing the rest,
    // its first save), longer so on a loaded machine: wait until its CPU time stops growing.
    let deadline = Instant::now() + DEADLINE;
    let mut last = tutor.cpu_ticks();
    loop {
        std::thread::sleep(Duration::from_millis(200));
        let now = tutor.cpu_ticks();
        if now == last || Instant::now() > deadline {
            break;
        }
        last = now;
    }
    // Its own CPU time, not the clock: another program's load does not add to it. A tick is
    // 10 ms; a redraw loop would use up to 200 in two seconds, and dozens still with every core
    // shared, an idle tutor none. Ten leave room for stray wake-ups.
    let before = tutor.cpu_ticks();
    std::thread::sleep(Duration::from_secs(2));
    let used = tutor.cpu_ticks() - before;
    assert!(used <= 10, "{used} ticks of CPU in two idle seconds");
    tutor.type_text("\x03");
    assert!(tutor.wait_for_exit().success());
}

/// The tutor running in a pty, its output read by a thread into a vt100 screen and a raw copy.
struct Tutor {
    pty: Pty,
    master: Box<dyn MasterPty + Send>,
    screen: Arc<Mutex<vt100::Parser>>,
    raw: Arc<Mutex<Vec<u8>>>,
    /// Signalled when the reader has seen the end of the output.
    drained: mpsc::Receiver<()>,
}

impl Tutor {
    fn spawn(data_dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Tutor {
        let mut command = pty::command(data_dir, args);
        command.cwd(data_dir.parent().unwrap());
        // A backtrace would scroll the panic message off the 24 rows the tests read.
        command.env_remove("RUST_BACKTRACE");
        for (key, value) in env {
            command.env(key, value);
        }

        let screen = Arc::new(Mutex::new(vt100::Parser::new(nonzero(24), nonzero(80), 0)));
        let raw = Arc::new(Mutex::new(Vec::new()));
        let (done, drained) = mpsc::channel();
        let (screen_in, raw_in) = (Arc::clone(&screen), Arc::clone(&raw));
        let (pty, master) = Pty::spawn(
            24,
            80,
            command,
            move |chunk| {
                screen_in.lock().unwrap().process(chunk);
                raw_in.lock().unwrap().extend_from_slice(chunk);
            },
            move || {
                let _ = done.send(());
            },
        );
        Tutor { pty, master, screen, raw, drained }
    }

    fn screen(&self) -> vt100::Screen {
        self.screen.lock().unwrap().screen().clone()
    }

    fn output(&self) -> Vec<u8> {
        self.raw.lock().unwrap().clone()
    }

    fn type_text(&mut self, text: &str) {
        self.pty.press(text);
    }

    /// Esc out of the answer box, then a wait until the screen shows it, so that the key typed
    /// next is not read together with it as Alt+key. The wait is the usual deadline: a second
    /// was too short on a loaded machine, and the next key then went astray.
    fn press_escape(&mut self) {
        let before = self.screen().contents();
        self.type_text("\x1b");
        self.wait_for("the screen to react to Esc", |screen| screen.contents() != before);
    }

    fn wait_for(&self, what: &str, ready: impl Fn(&vt100::Screen) -> bool) {
        let deadline = Instant::now() + DEADLINE;
        loop {
            let screen = self.screen();
            if ready(&screen) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {what}; the screen:\n{}",
                screen.contents()
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    fn wait_for_first_line(&self, step: &str) {
        self.wait_for(&format!("`{step}` on the first line"), |screen| {
            screen.rows(0, 200).next().is_some_and(|line| contains_word(&line, step))
        });
    }

    /// Waits for the child and for the last of its output.
    fn wait_for_exit(&mut self) -> portable_pty::ExitStatus {
        let deadline = Instant::now() + DEADLINE;
        let status = loop {
            if let Some(status) = self.pty.child.try_wait().unwrap() {
                break status;
            }
            if Instant::now() >= deadline {
                let _ = self.pty.child.kill();
                panic!("the tutor did not exit; the screen:\n{}", self.screen().contents());
            }
            std::thread::sleep(Duration::from_millis(10));
        };
        self.drained.recv_timeout(DEADLINE).expect("the output ends when the tutor exits");
        status
    }

    fn signal(&self, signal: libc::c_int) {
        let pid = self.pty.child.process_id().expect("a running child") as libc::pid_t;
        assert_eq!(unsafe { libc::kill(pid, signal) }, 0);
    }

    fn resize(&mut self, rows: u16, cols: u16) {
        self.screen.lock().unwrap().screen_mut().set_size(nonzero(rows), nonzero(cols));
        self.master.resize(PtySize { rows, cols, ..PtySize::default() }).unwrap();
    }

    /// Whether the pty is in raw mode (no line editing, no echo): a property of the terminal
    /// device, not of the output stream, so it is read from the device.
    fn is_raw(&self) -> bool {
        let fd = self.master.as_raw_fd().expect("a unix pty");
        let mut termios = unsafe { std::mem::zeroed::<libc::termios>() };
        assert_eq!(unsafe { libc::tcgetattr(fd, &mut termios) }, 0);
        termios.c_lflag & (libc::ICANON | libc::ECHO) == 0
    }

    fn assert_restored(&self) {
        let screen = self.screen();
        assert!(!screen.alternate_screen(), "left the alternate screen");
        assert!(!screen.hide_cursor(), "the cursor is shown");
        assert!(!screen.bracketed_paste(), "bracketed paste is off");
        assert_eq!(screen.mouse_protocol_mode(), vt100::MouseProtocolMode::None, "mouse reports are off");
        assert!(!self.is_raw(), "raw mode is off");
    }

    #[cfg(target_os = "linux")]
    fn cpu_ticks(&self) -> u64 {
        let pid = self.pty.child.process_id().unwrap();
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
        // Fields after the command name, which is in parentheses and may hold spaces:
        // state is field 3, utime field 14, stime field 15.
        let fields: Vec<&str> = stat[stat.rfind(')').unwrap() + 2..].split(' ').collect();
        fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap()
    }
}

fn contains_word(line: &str, word: &str) -> bool {
    line.match_indices(word)
        .any(|(at, _)| !line[at + word.len()..].starts_with(|c: char| c.is_ascii_alphanumeric()))
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|window| window == needle)
}

fn rfind(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|window| window == needle)
}
