//! `solve` speed. Goals (issue 6), with the figures measured recorded in README's
//! "Performance" section:
//! - notes-example, in process (parse + forward + backward + plan + JSON): the budget that
//!   makes the whole process ≥ 100× faster than numpy + autograd (process start dominates).
//! - a 10-512-512-512-512-10 network (4-decimal weights, `support/wide.rs`) including TOML
//!   parsing and JSON output: ≥ 10× faster than the same numpy + autograd script. Issue 16's
//!   whole-process comparison with a floor program is `benches/floor`.
// A benchmark may unwrap: a panic is how it fails (Cargo.toml [lints]).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use backprop_tutor::lesson::{parse_lesson, shipped};
use backprop_tutor::report::write_solution_json;
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::process::Command;
#[path = "support/wide.rs"]
mod wide;

fn solve_json(text: &str) -> usize {
    let lesson = parse_lesson("bench", text).expect("bench lessons are valid");
    let mut out = Vec::new();
    write_solution_json(lesson, &mut out).expect("writing to memory");
    out.len()
}

fn benches(c: &mut Criterion) {
    let notes = shipped::source("notes-example").expect("shipped");
    c.bench_function("solve notes-example (in process)", |b| b.iter(|| solve_json(black_box(notes))));

    let exe = env!("CARGO_BIN_EXE_backprop-tutor");
    c.bench_function("solve notes-example --format json (whole process)", |b| {
        b.iter(|| {
            let out =
                Command::new(exe).args(["solve", "notes-example", "--format", "json"]).output().unwrap();
            assert!(out.status.success());
        })
    });

    let wide = wide::wide_lesson(&[10, 512, 512, 512, 512, 10]);
    let mut group = c.benchmark_group("wide");
    group.sample_size(10);
    group.bench_function("solve 10-512-512-512-512-10 (in process, TOML + JSON)", |b| {
        b.iter(|| solve_json(black_box(&wide)))
    });
    group.finish();
}

criterion_group!(solve, benches);
criterion_main!(solve);
