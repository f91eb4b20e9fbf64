//! Grading 10,000 answer files of notes-example (issue 3, item 8): the library's batch grading,
//! `check` through the binary in two formats, and `cat` merely reading the same files.
//!
//! `cargo bench --features bench --bench check`. With `CHECK_BENCH_DIR=DIR` the answer files
//! are written to DIR and kept, for timing `check` side by side with `cat` and the numpy
//! reference grader (see benches/reference/grade_numpy.py).
// A benchmark may unwrap: a panic is how it fails (Cargo.toml [lints]).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use backprop_tutor::answer::batch::{grade_files, list_answers};
use backprop_tutor::answer::{GradeOptions, Grader, questions};
use backprop_tutor::engine::Solution;
use backprop_tutor::lesson::load_lesson;
use backprop_tutor::value::Value;
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

const FILES: usize = 10_000;

fn bench(c: &mut Criterion) {
    let kept = std::env::var_os("CHECK_BENCH_DIR").map(PathBuf::from);
    let temp = tempfile::tempdir().unwrap();
    let dir = kept.unwrap_or_else(|| temp.path().to_path_buf());
    std::fs::create_dir_all(&dir).unwrap();
    write_class(&dir, FILES);

    let lesson = load_lesson("notes-example").unwrap();
    let solution = Solution::new(lesson.network());
    let grader = Grader::new(&lesson, &solution, GradeOptions::default());
    let questions = questions(&lesson);
    let files = list_answers(std::slice::from_ref(&dir)).unwrap().files;
    assert_eq!(files.len(), FILES);

    let mut group = c.benchmark_group("10,000 answer files");
    group.sample_size(20).measurement_time(Duration::from_secs(10));
    group.bench_function("grade (library, every core)", |b| {
        b.iter(|| black_box(grade_files(&grader, &questions, &files).unwrap()))
    });
    let binary = env!("CARGO_BIN_EXE_backprop-tutor");
    for format in ["csv", "json"] {
        group.bench_function(format!("backprop-tutor check --format {format}"), |b| {
            b.iter(|| {
                run(Command::new(binary)
                    .args(["check", "notes-example"])
                    .arg(&dir)
                    .args(["--format", format]))
            })
        });
    }
    group.bench_function("cat (reading only)", |b| {
        b.iter(|| run(Command::new("cat").args(files.iter().map(|file| file.path().into_owned()))))
    });
    group.finish();

    // The reference grader, where Python and numpy are installed (`pip install numpy`).
    let numpy = Command::new("python3").args(["-c", "import numpy"]).stderr(Stdio::null()).status();
    if numpy.is_ok_and(|status| status.success()) {
        let solution_json = temp.path().join("solution.json");
        let json =
            Command::new(binary).args(["solve", "notes-example", "--format", "json"]).output().unwrap();
        std::fs::write(&solution_json, json.stdout).unwrap();
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/reference/grade_numpy.py");
        let mut group = c.benchmark_group("10,000 answer files, reference");
        group.sample_size(10).measurement_time(Duration::from_secs(20));
        group.bench_function("python3 grade_numpy.py", |b| {
            b.iter(|| run(Command::new("python3").arg(&script).arg(&solution_json).arg(&dir)))
        });
        group.finish();
    } else {
        eprintln!("python3 with numpy not found: the reference grader is not timed");
    }
}

/// Runs a command with its output thrown away, as a shell's `> /dev/null` would.
fn run(command: &mut Command) {
    let status = command.stdout(Stdio::null()).stderr(Stdio::null()).status().unwrap();
    black_box(status);
}

/// A class of `count` answer files: mostly right answers written in the several ways an answer
/// file allows, and a spread of known mistakes, missing and unreadable answers, so that every
/// path of the grader is exercised.
fn write_class(dir: &Path, count: usize) {
    let lesson = load_lesson("notes-example").unwrap();
    let solution = Solution::new(lesson.network());
    let asked: Vec<(String, Value)> = questions(&lesson)
        .iter()
        .map(|q| (q.asked.to_string(), solution.value_of(&q.asked).unwrap()))
        .collect();
    for i in 0..count {
        let mut text = format!("# student {i}\n");
        for (q, (name, value)) in asked.iter().enumerate() {
            // A fixed spread over files and questions: (7i + 13q) mod 16.
            let answer = match (7 * i + 13 * q) % 16 {
                0..=8 => Some(toml_array(value, 1.0, false)),
                9 | 10 => Some(format!("\"{}\"", toml_array(value, 1.0, false))),
                11 => Some(toml_array(value, -1.0, false)),
                12 => Some(toml_array(value, 1.0, true)),
                13 => Some(toml_array(value, 2.0, false)),
                14 => None,
                _ => Some("\"[0.5, 1\"".to_string()),
            };
            if let Some(answer) = answer {
                text.push_str(&format!("{name} = {answer}\n"));
            }
        }
        std::fs::write(dir.join(format!("student-{i:05}.toml")), text).unwrap();
    }
}

/// A value as a TOML array with three decimals (as a student would write it), scaled, and
/// transposed if asked.
fn toml_array(value: &Value, scale: f64, transpose: bool) -> String {
    let number = |x: f64| format!("{:.3}", x * scale);
    let row = |xs: Vec<f64>| format!("[{}]", xs.into_iter().map(number).collect::<Vec<_>>().join(", "));
    match value {
        Value::Scalar(x) => number(*x),
        Value::Vector(v) => row(v.iter().copied().collect()),
        Value::Matrix(m) => {
            let m = if transpose { m.transpose() } else { m.clone() };
            let rows: Vec<String> = m.row_iter().map(|r| row(r.iter().copied().collect())).collect();
            format!("[{}]", rows.join(", "))
        }
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
