//! The tutor's binary in a pseudo-terminal: what tests/tui_pty.rs and benches/keypress.rs share.
//! Each includes this file as `mod pty` and keeps its own screen: the tests poll a vt100 screen
//! and a raw copy of the output, the bench is woken by a condvar on each chunk.
//!
//! Unix only, like portable-pty and vt100, which are Unix dev-dependencies.
#![cfg(unix)]

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::path::Path;
use std::time::Duration;

/// How long any wait may take: long enough for a loaded CI machine, while a working tutor
/// takes far less. Past it, the tutor is broken and the test or bench fails instead of hanging.
pub(crate) const DEADLINE: Duration = Duration::from_secs(10);

/// The command that runs the built tutor with its data in `data_dir`, colours on. The caller
/// sets the working directory and anything else it needs.
pub(crate) fn command(data_dir: &Path, args: &[&str]) -> CommandBuilder {
    let mut command = CommandBuilder::new(env!("CARGO_BIN_EXE_backprop-tutor"));
    command.args(args);
    command.env("TERM", "xterm-256color");
    command.env("BACKPROP_TUTOR_DATA_DIR", data_dir);
    command.env_remove("NO_COLOR");
    command
}

/// A tutor running in a pty. Dropping it kills the tutor if it still runs.
pub(crate) struct Pty {
    writer: Box<dyn Write + Send>,
    pub child: Box<dyn Child + Send + Sync>,
}

impl Pty {
    /// Runs `command` in a `rows`×`cols` pty. A thread passes each chunk of the tutor's output
    /// to `output`, then calls `ended` once the output has ended.
    ///
    /// The pty's master is returned beside it, for the caller to hold: dropping it would hang
    /// up the tutor.
    pub(crate) fn spawn(
        rows: u16,
        cols: u16,
        command: CommandBuilder,
        mut output: impl FnMut(&[u8]) + Send + 'static,
        ended: impl FnOnce() + Send + 'static,
    ) -> (Pty, Box<dyn MasterPty + Send>) {
        let pair = native_pty_system().openpty(PtySize { rows, cols, ..PtySize::default() }).unwrap();
        let child = pair.slave.spawn_command(command).unwrap();
        // Only the child may hold the slave, so the reader sees the end when the child exits.
        drop(pair.slave);

        let mut reader = pair.master.try_clone_reader().unwrap();
        std::thread::spawn(move || {
            let mut buffer = [0; 65536];
            // Linux reports the end of a pty as an error (EIO) rather than a zero read.
            while let Ok(n @ 1..) = reader.read(&mut buffer) {
                output(&buffer[..n]);
            }
            ended();
        });
        let writer = pair.master.take_writer().unwrap();
        (Pty { writer, child }, pair.master)
    }

    /// Writes `keys` to the tutor, as typed.
    pub(crate) fn press(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        // A failed test or bench must not leave a tutor running.
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
        }
    }
}

pub(crate) fn nonzero(n: u16) -> NonZeroU16 {
    NonZeroU16::new(n).unwrap()
}
