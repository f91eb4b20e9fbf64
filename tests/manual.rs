//! `completions SHELL` and `man` through the binary: generated from the clap definitions, so
//! they name every command and option the binary has.

use assert_cmd::cargo::cargo_bin_cmd;
use std::io::Write;

fn run(args: &[&str]) -> (i32, String) {
    let output = cargo_bin_cmd!("backprop-tutor").args(args).output().unwrap();
    (output.status.code().unwrap(), String::from_utf8(output.stdout).unwrap())
}

const COMMANDS: [&str; 9] =
    ["solve", "check", "list", "lint", "new", "autograder", "completions", "man", "help"];

#[test]
fn completions_for_every_shell_name_every_command() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let (code, script) = run(&["completions", shell]);
        assert_eq!(code, 0, "{shell}");
        for command in COMMANDS {
            assert!(script.contains(command), "{shell}: {command}");
        }
        for option in ["format", "strict", "layers", "variants", "roster", "assignment", "metadata", "report"]
        {
            // fish spells a long option `-l name`, the others `--name`.
            let listed = script.contains(&format!("--{option}")) || script.contains(&format!("-l {option}"));
            assert!(listed, "{shell}: {option}");
        }
    }
    let (code, _) = run(&["completions", "tcsh"]);
    assert_eq!(code, 2, "an unknown shell is a usage error");
}

#[test]
fn the_bash_script_is_valid_bash() {
    let (_, script) = run(&["completions", "bash"]);
    let mut bash =
        std::process::Command::new("bash").arg("-n").stdin(std::process::Stdio::piped()).spawn().unwrap();
    bash.stdin.take().unwrap().write_all(script.as_bytes()).unwrap();
    assert!(bash.wait().unwrap().success());
}

#[test]
fn the_man_page_is_roff_with_every_command() {
    let (code, page) = run(&["man"]);
    assert_eq!(code, 0);
    assert!(page.contains(".TH backprop-tutor 1"), "{page}");
    assert!(page.contains(".SH SYNOPSIS"));
    for command in COMMANDS {
        assert!(page.contains(command), "{command}");
    }
}
