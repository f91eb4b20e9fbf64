//! Key press to redrawn frame, through a pseudo-terminal. Goal (issue 6): under 16 ms, one
//! frame at 60 Hz. The measured figures are in README's "Performance".
//!
//! The built binary runs in a 120×40 pty, as in tests/tui_pty.rs; a thread reads its output
//! into a vt100 screen. Each timed press is written to the pty, and the clock stops when the
//! screen (text, colours and cursor) is exactly the frame that key leads to, recorded once
//! before timing. So a press costs everything a user waits for: the tty, crossterm's input
//! parsing, `update`, any progress save, the draw, the escape sequences written, and the
//! terminal's parsing of them.
//!
//! Unix only (portable-pty and vt100 are Unix dev-dependencies); elsewhere it prints a note.
// A benchmark may unwrap: a panic is how it fails (Cargo.toml [lints]).
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[cfg(unix)]
#[path = "../tests/support/pty.rs"]
mod pty;

#[cfg(unix)]
mod bench {
    use crate::pty::{self, DEADLINE, Pty, nonzero};
    use criterion::{Criterion, criterion_group};
    use std::path::Path;
    use std::sync::{Arc, Condvar, Mutex, MutexGuard};
    use std::time::{Duration, Instant};

    const ROWS: u16 = 40;
    const COLS: u16 = 120;
    /// No output for this long after a frame means the frame is complete (when recording the
    /// frames to wait for).
    const SETTLED: Duration = Duration::from_millis(300);
    /// Between timed presses, untimed: the output must have been quiet this long, as between a
    /// person's presses (20 a second, faster than anyone steps through a lesson). So a press
    /// never queues behind the work of the one before, such as a save after the frame.
    const PAUSE: Duration = Duration::from_millis(50);

    /// What the reader thread shares: the screen, and whether the output has ended.
    struct Output {
        parser: vt100::Parser,
        /// Bumped after each chunk of output is parsed, to tell new output from none.
        chunks: u64,
        ended: bool,
    }

    /// The tutor in a pty. Dropping it kills the tutor if it still runs.
    struct Tutor {
        pty: Pty,
        output: Arc<(Mutex<Output>, Condvar)>,
        /// Keeps the pty open: dropping it would hang up the tutor.
        _master: Box<dyn portable_pty::MasterPty + Send>,
    }

    impl Tutor {
        fn spawn(data_dir: &Path, args: &[&str]) -> Tutor {
            let mut command = pty::command(data_dir, args);
            command.cwd(data_dir);

            let parser = vt100::Parser::new(nonzero(ROWS), nonzero(COLS), 0);
            let output = Arc::new((Mutex::new(Output { parser, chunks: 0, ended: false }), Condvar::new()));
            let (chunk_in, end_in) = (Arc::clone(&output), Arc::clone(&output));
            let (pty, master) = Pty::spawn(
                ROWS,
                COLS,
                command,
                move |chunk| {
                    let (lock, changed) = &*chunk_in;
                    let mut output = lock.lock().unwrap();
                    output.parser.process(chunk);
                    output.chunks += 1;
                    changed.notify_all();
                },
                move || {
                    let (lock, changed) = &*end_in;
                    lock.lock().unwrap().ended = true;
                    changed.notify_all();
                },
            );
            Tutor { pty, output, _master: master }
        }

        /// Blocks until `ready` holds for the screen, woken by each chunk of output, and
        /// returns the screen's lock. Panics (failing the bench) at the deadline or if the
        /// tutor's output ends first.
        fn wait_until(&self, what: &str, ready: impl Fn(&Output) -> bool) -> MutexGuard<'_, Output> {
            let (lock, changed) = &*self.output;
            let deadline = Instant::now() + DEADLINE;
            let mut output = lock.lock().unwrap();
            while !ready(&output) {
                let left = deadline.saturating_duration_since(Instant::now());
                assert!(
                    !output.ended && !left.is_zero(),
                    "{} waiting for {what}; the screen:\n{}",
                    if output.ended { "the tutor ended" } else { "timed out" },
                    output.parser.screen().contents()
                );
                output = changed.wait_timeout(output, left).unwrap().0;
            }
            output
        }

        /// Presses `keys`, waits for new output with `step` on the first line, and returns the
        /// screen once settled, formatted: the frame to wait for.
        fn record(&mut self, keys: &str, step: &str) -> String {
            let before = self.output.0.lock().unwrap().chunks;
            self.pty.press(keys);
            drop(self.wait_until(&format!("`{step}` on the first line"), |output| {
                output.chunks > before && first_line_contains(output, step)
            }));
            self.settle(SETTLED)
        }

        /// Waits until no output has come for `quiet` and returns the screen, formatted.
        fn settle(&self, quiet: Duration) -> String {
            let (lock, changed) = &*self.output;
            let deadline = Instant::now() + DEADLINE;
            let mut output = lock.lock().unwrap();
            loop {
                assert!(Instant::now() < deadline, "the tutor's output never went quiet");
                let chunks = output.chunks;
                let (next, timeout) = changed.wait_timeout(output, quiet).unwrap();
                output = next;
                if timeout.timed_out() && output.chunks == chunks {
                    return output.parser.screen().contents_formatted();
                }
            }
        }

        /// Presses `keys` and returns how long until the screen is exactly `frame`; then waits
        /// for a [`PAUSE`], untimed.
        fn time_press(&mut self, keys: &str, frame: &str) -> Duration {
            let start = Instant::now();
            self.pty.press(keys);
            drop(
                self.wait_until("the next frame", |output| {
                    output.parser.screen().contents_formatted() == frame
                }),
            );
            let elapsed = start.elapsed();
            self.settle(PAUSE);
            elapsed
        }

        fn quit(mut self) {
            self.pty.press("\x03");
            drop(self.wait_until("the tutor to quit", |output| output.ended));
            let status = self.pty.child.wait().unwrap();
            assert!(status.success(), "{status:?}");
        }
    }

    /// Times presses that alternate between two keys, each changing the screen: `there` leads
    /// from the frame showing `step_a` to one showing `step_b`, `back` returns. Both frames are
    /// recorded before timing; each iteration is one press.
    fn bench_toggle(
        c: &mut Criterion,
        name: &str,
        args: &[&str],
        (there, back): (&str, &str),
        (step_a, step_b): (&str, &str),
    ) {
        let data = tempfile::tempdir().unwrap();
        let mut tutor = Tutor::spawn(data.path(), args);
        drop(tutor.wait_until("the first frame", |output| first_line_contains(output, step_a)));
        tutor.settle(SETTLED);
        let b = tutor.record(there, step_b);
        let a = tutor.record(back, step_a);
        assert_ne!(a, b, "the keys change the screen");
        let mut at_a = true;
        c.bench_function(name, |bencher| {
            bencher.iter_custom(|iters| {
                (0..iters)
                    .map(|_| {
                        at_a = !at_a;
                        if at_a { tutor.time_press(back, &a) } else { tutor.time_press(there, &b) }
                    })
                    .sum()
            })
        });
        tutor.quit();
    }

    fn first_line_contains(output: &Output, text: &str) -> bool {
        output.parser.screen().rows(0, COLS).next().is_some_and(|line| line.contains(text))
    }

    fn benches(c: &mut Criterion) {
        // Walkthrough: → and ← move between the first two parts of Step 0 (the forward pass a
        // layer at a time); each move also saves progress.
        bench_toggle(
            c,
            "key to frame, walkthrough → / ← (120x40 pty)",
            &["notes-example", "--mode", "walkthrough"],
            ("\x1b[C", "\x1b[D"),
            ("part 1 of 4", "part 2 of 4"),
        );
        // Practice: a digit typed into the answer box, then Backspace.
        bench_toggle(
            c,
            "key to frame, practice typing (120x40 pty)",
            &["notes-example"],
            ("7", "\x7f"),
            ("Step 1:", "Step 1:"),
        );
    }

    criterion_group! {
        name = keypress;
        // Criterion sizes the run by wall time, which here is mostly the pauses (50 ms a
        // press): 20 s gives a few hundred presses.
        config = Criterion::default()
            .sample_size(20)
            .warm_up_time(Duration::from_secs(1))
            .measurement_time(Duration::from_secs(20));
        targets = benches
    }
}

#[cfg(unix)]
criterion::criterion_main!(bench::keypress);

#[cfg(not(unix))]
fn main() {
    eprintln!("the key press bench needs a Unix pseudo-terminal; nothing to time here");
}
