//! `solve` speed. Goals (issue 6), with the figures measured recorded in README's
//! "Performance" section:
//! - notes-example, in process (parse + forward + backward + plan + JSON): the budget that
//!   makes the whole process ≥ 100× faster than numpy + autograd (process start dominates).
//! - a 10-512-512-512-512-10 network including TOML parsing and JSON output: ≥ 10× faster
//!   than the same numpy + autograd script, peak memory under 64 MiB (measured whole-process).

use backprop_tutor::lesson::{parse_lesson, shipped};
use backprop_tutor::report::write_solution_json;
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::process::Command;

/// A deterministic lesson with the given layer sizes (input, hidden…, output), values with one
/// decimal in [−0.8, 0.8] so that activations neither vanish nor explode with depth.
pub fn wide_lesson(sizes: &[usize]) -> String {
    let mut text = String::from("title = \"wide\"\n[network]\n");
    let value = |seed: usize| ((seed * 7919 % 17) as f64 - 8.0) / 10.0;
    let input: Vec<String> = (0..sizes[0]).map(|i| value(i + 1).to_string()).collect();
    text.push_str(&format!("input = [{}]\nlabel = 1\n", input.join(", ")));
    for (l, pair) in sizes.windows(2).enumerate() {
        text.push_str("[[network.layers]]\nweights = [\n");
        for r in 0..pair[1] {
            let row: Vec<String> =
                (0..pair[0]).map(|c| value(l * 1_000_003 + r * 1009 + c).to_string()).collect();
            text.push_str(&format!("[{}],\n", row.join(", ")));
        }
        text.push_str("]\n");
    }
    text
}

fn solve_json(text: &str) -> usize {
    let lesson = parse_lesson("bench", text).expect("bench lessons are valid");
    let mut out = Vec::new();
    write_solution_json(&lesson, &mut out).expect("writing to memory");
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

    let wide = wide_lesson(&[10, 512, 512, 512, 512, 10]);
    let mut group = c.benchmark_group("wide");
    group.sample_size(10);
    group.bench_function("solve 10-512-512-512-512-10 (in process, TOML + JSON)", |b| {
        b.iter(|| solve_json(black_box(&wide)))
    });
    group.finish();
}

criterion_group!(solve, benches);
criterion_main!(solve);
