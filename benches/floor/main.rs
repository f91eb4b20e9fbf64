//! `solve` against its floor, whole processes side by side in one run (issue 16; the figures
//! are in README's "Performance"). The floor is this same program run as
//! `floor solve-floor LESSON` (see `solve.rs`): the least work that gives the same JSON.
//!
//! `cargo bench --bench floor [-- NAME…]` runs every group, or those whose name contains a
//! NAME: `notes-example` (against `cat` of the lesson), `10-512-512-512-512-10`,
//! `10-1024-1024-10`, and `largest` (the costliest lesson the limits allow: 16 hidden layers as
//! wide as the weights allowed in all let them be, against the floor).
//! `FLOOR_ROUNDS=N` sets the rounds (default 20; the largest lesson takes a quarter of them), and
//! `FLOOR_BASELINE=BINARY` races another build of backprop-tutor as well (before and after).
//! The generated lessons stay in `target/tmp/floor/` for hyperfine and `/usr/bin/time -v`.

#[cfg(unix)]
mod groups;
#[cfg(unix)]
mod race;
#[cfg(unix)]
mod solve;
#[cfg(unix)]
#[path = "../support/wide.rs"]
mod wide;

#[cfg(unix)]
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let [mode, lesson] = args.as_slice()
        && mode == "solve-floor"
    {
        if let Err(e) = solve::run(lesson) {
            eprintln!("solve-floor: {e}");
            std::process::exit(1);
        }
        return;
    }
    if args.first().is_some_and(|mode| mode == "measure") {
        let command: Vec<std::ffi::OsString> = args[1..].iter().map(Into::into).collect();
        race::measure(&command);
        return;
    }
    let wanted: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    let rounds = std::env::var("FLOOR_ROUNDS").ok().and_then(|n| n.parse().ok()).unwrap_or(20);
    for group in groups::groups() {
        if wanted.is_empty() || wanted.iter().any(|w| group.name.contains(w.as_str())) {
            group.run(rounds);
        }
    }
}

#[cfg(not(unix))]
fn main() {
    eprintln!("the floor benchmark measures peak memory with getrusage, which needs Unix");
}
