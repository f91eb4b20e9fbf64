//! Saving progress survives the process being killed at any moment: a process saves two
//! versions in turn, as fast as it can, and is killed with SIGKILL at a random moment; what is
//! on disk then must load, without a warning, as one of the two versions.
#![cfg(unix)]

use backprop_tutor::lesson::{Lesson, load_lesson};
use backprop_tutor::tutor::{Mode, Progress, ProgressStore, QuestionProgress, Status};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, SystemTime};

const LOOP_DIR: &str = "BACKPROP_TUTOR_SAVE_LOOP_DIR";

#[test]
fn killing_a_save_at_any_moment_leaves_the_old_or_the_new_file() {
    let dir = tempfile::tempdir().unwrap();
    let store = ProgressStore::at(dir.path());
    let lesson = lesson();
    let versions = [version(0), version(1)];
    let seed = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).unwrap().subsec_nanos();
    let mut random = u64::from(seed) | 1;
    for round in 0..20 {
        let mut saver = Command::new(std::env::current_exe().unwrap())
            .args(["save_in_a_loop_until_killed", "--ignored", "--nocapture"])
            .env(LOOP_DIR, dir.path())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        // Wait until it is saving, so the kill lands among saves rather than before the first.
        let stdout = BufReader::new(saver.stdout.take().unwrap());
        assert!(stdout.lines().map_while(Result::ok).any(|line| line == "saving"), "the saver started");
        random ^= random << 13;
        random ^= random >> 7;
        random ^= random << 17;
        std::thread::sleep(Duration::from_micros(random % 20_000));
        saver.kill().unwrap();
        saver.wait().unwrap();

        let (progress, warning) = store.load(&lesson, Mode::Practice);
        assert_eq!(warning, None, "round {round}, seed {seed}");
        assert!(versions.contains(&progress), "round {round}, seed {seed}: a torn file loaded");
    }
}

#[test]
#[ignore = "a helper process for the test above, which runs and kills it"]
fn save_in_a_loop_until_killed() {
    let Some(dir) = std::env::var_os(LOOP_DIR) else { return };
    let store = ProgressStore::at(dir);
    let lesson = lesson();
    let versions = [version(0), version(1)];
    for n in 0.. {
        store.save(&lesson, Mode::Practice, &versions[n % 2]).unwrap();
        if n == 0 {
            println!("saving");
        }
    }
}

fn lesson() -> Lesson {
    load_lesson("notes-example").unwrap()
}

/// Large enough (about 100 KB) that a write is not over in one system call.
fn version(which: u32) -> Progress {
    let questions = (0..200)
        .map(|i| {
            let question = QuestionProgress {
                last_input: format!("[{which}; {i}] ").repeat(60),
                draft: String::new(),
                attempts: which + i,
                hints: which,
                status: if which == 0 { Status::Open } else { Status::Solved },
            };
            (format!("q{i}"), question)
        })
        .collect();
    Progress { current_step: which as usize, questions }
}
