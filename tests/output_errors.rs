//! Output that cannot be written, through the built binary (DESIGN.md §5.1): a full disk is an
//! error on stderr and exit code 3 in every command that writes a report, never a cut report
//! with the exit code of a whole one; a reader that closes the pipe (`| head`) is a normal end.

use std::io::Read;
use std::process::{Command, Stdio};

fn tutor() -> Command {
    Command::new(env!("CARGO_BIN_EXE_backprop-tutor"))
}

/// The command's exit code and stderr, its stdout going to `/dev/full`, where every write
/// fails with "no space left on device".
#[cfg(target_os = "linux")]
fn into_a_full_disk(args: &[&str]) -> (Option<i32>, String) {
    let full = std::fs::OpenOptions::new().write(true).open("/dev/full").unwrap();
    let output = tutor().args(args).stdout(full).stderr(Stdio::piped()).output().unwrap();
    (output.status.code(), String::from_utf8_lossy(&output.stderr).into_owned())
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_is_an_error_in_every_command_that_writes_a_report() {
    let dir = tempfile::tempdir().unwrap();
    let answers = dir.path().join("a.toml");
    std::fs::write(&answers, "dL_do = [0.0900, 0.6652, -0.7553]\n").unwrap();
    let answers = answers.to_str().unwrap();
    for args in [
        &["solve", "notes-example"][..],
        &["solve", "notes-example", "--format", "json"],
        &["solve", "notes-example", "--format", "markdown"],
        &["check", "notes-example", answers],
        &["check", "notes-example", answers, "--format", "json"],
        &["check", "notes-example", answers, "--format", "csv"],
        &["check", "notes-example", answers, "--format", "gradescope"],
        &["lint", "notes-example"],
        &["new", "--seed", "s"],
        &["list"],
        &["man"],
    ] {
        let (code, stderr) = into_a_full_disk(args);
        assert_eq!(code, Some(3), "{args:?}: {stderr}");
        assert!(
            stderr.contains("error: cannot write the output: No space left on device"),
            "{args:?}: {stderr}"
        );
    }
}

#[test]
fn a_reader_that_stops_early_ends_the_run_quietly() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..200 {
        std::fs::write(dir.path().join(format!("s{i:03}.toml")), "dL_do = [0.0900, 0.6652, -0.7553]\n")
            .unwrap();
    }
    let folder = dir.path().to_str().unwrap();
    for (args, code) in [
        (&["solve", "notes-example", "--format", "json"][..], 0),
        // Cut short, it has not seen every file earn every point.
        (&["check", "notes-example", folder, "--format", "json"], 1),
    ] {
        let mut child = tutor().args(args).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
        let mut first = [0u8; 10];
        child.stdout.take().unwrap().read_exact(&mut first).unwrap();
        // The read end is closed here: the next write finds the pipe closed.
        let output = child.wait_with_output().unwrap();
        assert_eq!(output.status.code(), Some(code), "{args:?}");
        assert!(output.stderr.is_empty(), "{args:?}: {}", String::from_utf8_lossy(&output.stderr));
    }
}
