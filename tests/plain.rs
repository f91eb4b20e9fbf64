//! `--plain` through the built binary: a practice session as lines on stdin and stdout, as a
//! screen reader or a script drives it (DESIGN.md §6.7).

use assert_cmd::cargo::cargo_bin_cmd;
use std::path::Path;
use std::time::Duration;

/// Runs `backprop-tutor ARGS… --plain` with `input` on stdin; returns stdout and the exit code.
fn plain(data: &Path, args: &[&str], input: &str) -> (String, i32) {
    let output = cargo_bin_cmd!("backprop-tutor")
        .args(args)
        .arg("--plain")
        .env("BACKPROP_TUTOR_DATA_DIR", data)
        .write_stdin(input)
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(!stderr.contains("panicked"), "{stderr}");
    (String::from_utf8(output.stdout).unwrap(), output.status.code().unwrap())
}

#[test]
fn answers_come_from_stdin_and_the_end_of_input_saves() {
    let data = tempfile::tempdir().unwrap();
    let (out, code) =
        plain(data.path(), &["notes-example"], "[0.09, 0.665, 0.245]\n[0.09003, 0.6652, -0.7553]\n[1");
    assert_eq!(code, 0, "{out}");
    // What the step uses, then the verdicts with their feedback, one per line.
    assert!(out.contains("Step 1: ∂L/∂o (step 1 of 6)"), "{out}");
    assert!(out.contains("Formula: ∂L/∂o = (ô − e_y)ᵀ"), "{out}");
    assert!(out.contains("Uses: ô = [0.09003, 0.6652, 0.2447]"), "{out}");
    // The prompt says what the TUI's says under the answer box: the digits and the names.
    assert!(
        out.contains(
            "Answer ∂L/∂o (dL_do), a vector of 3, attempt 1 (give at least 2 significant digits; a \
             formula of o_hat, e_y also works):"
        ),
        "{out}"
    );
    assert!(out.contains("incorrect: Entry 3 is off."), "{out}");
    assert!(out.contains("correct: ∂L/∂o is solved (2 attempts)."), "{out}");
    assert!(out.contains("Step 2A: ∂L/∂h(2)"), "{out}");
    assert!(out.contains("saved"), "{out}");
    assert!(!out.contains('\x1b'), "no escape sequences: {out}");

    // The next run resumes, with the unfinished "[1" kept as the draft.
    let (out, code) = plain(data.path(), &["notes-example"], "");
    assert_eq!(code, 0);
    assert!(out.contains("resumed: 1 of 6 done"), "{out}");
    assert!(out.contains("Step 2A: ∂L/∂h(2) (step 2 of 6)"), "{out}");
}

/// `variant` after a diagnosed mistake makes an exercise for it, and says the command that
/// makes it again.
#[test]
fn variant_after_a_mistake_targets_it() {
    let data = tempfile::tempdir().unwrap();
    let (out, code) = plain(data.path(), &["notes-example"], "[0.09003, 0.6652, 0.2447]\nvariant\n");
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains(
            "An exercise in which these mistakes stand out (missing_onehot); `backprop-tutor new --seed "
        ),
        "{out}"
    );
    assert!(out.contains(" --expose missing_onehot` makes the same one again."), "{out}");
    assert!(out.contains("Exercise (seed"), "{out}");
}

#[test]
fn a_reveal_asks_first() {
    let data = tempfile::tempdir().unwrap();
    let (out, _) = plain(data.path(), &["notes-example"], "reveal\nno\nhint\nreveal\nyes\n");
    assert!(out.contains("Reveal ∂L/∂o? It will count as revealed"), "{out}");
    assert!(out.contains("Nothing was changed."), "{out}");
    assert!(out.contains("Idea: "), "{out}");
    assert!(out.contains("revealed: ∂L/∂o"), "{out}");
    assert!(out.contains("Answer: ∂L/∂o = [0.09003, 0.6652, −0.7553]"), "{out}");
    // The derivation, with the notes' exact form, then on to Step 2A.
    assert!(out.contains("  ∂L/∂o3 = 0.2447 − 1 = −0.7553"), "{out}");
    assert!(out.contains("  ∂L/∂o3 = e^2 / (e^1 + e^3 + e^2) − 1 = −0.7553"), "{out}");
    assert!(out.contains("Step 2A: ∂L/∂h(2)"), "{out}");
}

/// The TUI's keys for hint, reveal, help and quit are those commands here too, never graded
/// as an answer; `e`, Euler's number, stays an answer.
#[test]
fn the_tui_keys_are_commands_and_e_is_an_answer() {
    let data = tempfile::tempdir().unwrap();
    let (out, code) = plain(data.path(), &["notes-example"], "h\nr\nno\n?\ne\nq\nnever read\n");
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("Commands: hint (h), reveal (r), reset,"), "{out}");
    assert!(out.contains("Idea: "), "h gives a hint: {out}");
    assert!(out.contains("Reveal ∂L/∂o? It will count as revealed"), "r asks to reveal: {out}");
    assert!(out.contains("  hint (h): a hint"), "? lists the commands: {out}");
    assert!(!out.contains("unknown name"), "a key was graded as an answer: {out}");
    assert!(out.contains("incorrect: Expected a vector of 3, but this is a scalar."), "e is graded: {out}");
    assert!(!out.contains("never read"), "q quits: {out}");
}

/// In a dataset lesson each example's step names its values and its label as that example's.
#[test]
fn a_dataset_step_names_its_example_and_a_scalar_is_one_number() {
    let data = tempfile::tempdir().unwrap();
    let input = format!("{}quit\n", "\n".repeat(60));
    let (out, code) = plain(data.path(), &["batch-mean", "--mode", "walkthrough"], &input);
    assert_eq!(code, 0, "{out}");
    let step = |title: &str| {
        let start = out.find(title).unwrap_or_else(|| panic!("{title} missing: {out}"));
        let rest = &out[start..];
        rest[..rest.find("\nStep ").unwrap_or(rest.len())].to_string()
    };
    let step_3b = step("Step 3B#3:");
    assert!(step_3b.contains("Uses: ∂L/∂h(2)#3 = [0.4799, −0.9598]"), "{step_3b}");
    assert!(step_3b.contains("Uses: h(1)#3 = [0.5, 2]"), "{step_3b}");
    // Example 2's label is 2, not the lesson's own 3.
    assert!(step("Step 1#2:").contains("Uses: e_y = [0, 1, 0] (y = 2)"), "{out}");
    let sum = step("Step sum:");
    assert!(sum.contains("Uses: L#1 = 1.408\n"), "{sum}");
    assert!(step("Step 5:").contains("Uses: η = 0.1\n"), "{out}");
    assert!(!out.contains("= [1.408]"), "{out}");
}

#[test]
fn a_walkthrough_reads_like_the_notes_and_jumps() {
    let data = tempfile::tempdir().unwrap();
    let (out, code) = plain(data.path(), &["notes-example", "--mode", "walkthrough"], "\nstep 3\nquit\n");
    assert_eq!(code, 0);
    assert!(out.contains("Step 0: the forward pass (step 1 of 7), part 1 of 4: z(1), h(1)"), "{out}");
    assert!(out.contains("Uses: W(1) = "), "{out}");
    assert!(out.contains("part 2 of 4: z(2), h(2)"), "{out}");
    assert!(out.contains("Step 3A: ∂L/∂h(1) (step 5 of 7)"), "{out}");
    assert!(out.contains("  ∂L/∂h1(1) = 0.2876·1·1 + (−0.5752)·1·2 = −0.8628"), "{out}");
}

#[test]
fn without_a_lesson_it_lists_them_to_choose_from() {
    let data = tempfile::tempdir().unwrap();
    let (out, code) = plain(data.path(), &[], "nope\n1\nquit\n");
    assert_eq!(code, 0);
    assert!(out.contains("1. notes-example (new): The notes' worked example"), "{out}");
    assert!(out.contains("No lesson 'nope'."), "{out}");
    assert!(out.contains("Step 1: ∂L/∂o"), "{out}");
}

#[test]
fn a_bad_lesson_is_reported_and_nothing_is_read() {
    let data = tempfile::tempdir().unwrap();
    let (out, code) = plain(data.path(), &["no-such-lesson"], "quit\n");
    assert_eq!((out.as_str(), code), ("", 2));
}
