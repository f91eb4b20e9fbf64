//! `solve` against its floor, whole processes side by side in one run (issue 16; the figures
//! are in README's "Performance"). The floor is this same program run as
//! `floor solve-floor LESSON` (see `solve.rs`): the least work that gives the same JSON.
//!
//! `cargo bench --bench floor [-- NAME…]` runs every group, or those whose name contains a
//! NAME: `notes-example` (against `cat` of the lesson), `10-512-512-512-512-10`,
//! `10-1024-1024-10`, `largest` (the costliest lesson the limits allow: 16 hidden layers as
//! wide as the weights allowed in all let them be, against the floor), and `check-100000`
//! (`check` of 100,000 answer files in both formats, against `read-floor`, which only reads
//! them on every core).
//! `FLOOR_ROUNDS=N` sets the rounds (default 20; the largest lesson takes a quarter of them), and
//! `FLOOR_BASELINE=BINARY` races another build of backprop-tutor as well (before and after;
//! for `check`, its JSON).
//! The generated lessons and answer files stay in `target/tmp/floor/` for hyperfine and
//! `/usr/bin/time -v`.
// A benchmark may unwrap: a panic is how it fails (Cargo.toml [lints]).
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[cfg(unix)]
mod groups;
#[cfg(unix)]
mod race;
#[cfg(unix)]
mod read;
#[cfg(unix)]
mod solve;
#[cfg(unix)]
#[path = "../support/wide.rs"]
mod wide;

/// `solve-floor LESSON` and `read-floor FOLDER…` are the floor programs, `measure COMMAND…`
/// the measuring process of `race`; anything else runs the benchmark.
#[cfg(unix)]
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (mode, rest) = args.split_first().map_or(("", &[][..]), |(mode, rest)| (mode.as_str(), rest));
    let done = match mode {
        "solve-floor" => solve::run(&rest[0]),
        "read-floor" => read::run(rest),
        "measure" => {
            race::measure(&rest.iter().map(Into::into).collect::<Vec<_>>());
            Ok(())
        }
        _ => {
            let wanted: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
            let rounds = std::env::var("FLOOR_ROUNDS").ok().and_then(|n| n.parse().ok()).unwrap_or(20);
            for group in groups::groups() {
                if wanted.is_empty() || wanted.iter().any(|w| group.name.contains(w.as_str())) {
                    group.run(rounds);
                }
            }
            Ok(())
        }
    };
    if let Err(e) = done {
        eprintln!("{mode}: {e}");
        std::process::exit(1);
    }
}

#[cfg(not(unix))]
fn main() {
    eprintln!("the floor benchmark measures peak memory with getrusage, which needs Unix");
}
