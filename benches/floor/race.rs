//! Whole processes side by side: each round runs every command of a group once, in turn, so a
//! change in the machine's load falls on all of them alike. Wall time from spawn to exit; CPU
//! time (user + system) and peak memory (the maximum resident set) from `getrusage`. CPU time
//! moves less than wall time when other programs share the cores.

use std::ffi::OsString;
use std::fs::File;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[derive(Clone)]
pub(crate) struct Contender {
    pub name: String,
    pub command: Vec<OsString>,
    /// The exit codes of a run that did its work: `check` exits 1 when points were lost.
    pub exit_codes: &'static [i32],
}

struct Sample {
    wall: Duration,
    cpu: Duration,
    peak_kib: u64,
}

/// The output of `command` (for checking that contenders agree).
pub(crate) fn output(command: &[OsString]) -> Vec<u8> {
    let out = Command::new(&command[0]).args(&command[1..]).output().expect("the command runs");
    assert!(out.status.success(), "{command:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    out.stdout
}

/// Runs `rounds` rounds and prints each contender's mean, spread and peak memory, and its
/// ratio to the last contender (the floor).
pub(crate) fn race(title: &str, contenders: &[Contender], rounds: usize) {
    let mut samples: Vec<Vec<Sample>> = contenders.iter().map(|_| Vec::new()).collect();
    // One warm-up round: the files into the page cache, the binaries into memory.
    for round in 0..=rounds {
        for (contender, samples) in contenders.iter().zip(&mut samples) {
            let sample = run(contender);
            if round > 0 {
                samples.push(sample);
            }
        }
    }
    println!("{title} ({rounds} rounds; ratios to the last line)");
    let floor = Summary::of(samples.last().expect("a floor"));
    for (contender, samples) in contenders.iter().zip(&samples) {
        let s = Summary::of(samples);
        println!(
            "  {:<58} wall {:>8.2} ± {:>6.2} ms (min {:>8.2}) {:>5.2}×   cpu {:>8.2} ms {:>5.2}×   peak {:>6.1} MiB {:>5.2}×",
            contender.name,
            s.wall_ms,
            s.wall_sd_ms,
            s.wall_min_ms,
            s.wall_ms / floor.wall_ms,
            s.cpu_ms,
            s.cpu_ms / floor.cpu_ms,
            s.peak_mib,
            s.peak_mib / floor.peak_mib
        );
    }
}

struct Summary {
    wall_ms: f64,
    wall_sd_ms: f64,
    wall_min_ms: f64,
    cpu_ms: f64,
    peak_mib: f64,
}

impl Summary {
    fn of(samples: &[Sample]) -> Summary {
        let ms = |d: Duration| d.as_secs_f64() * 1e3;
        let wall: Vec<f64> = samples.iter().map(|s| ms(s.wall)).collect();
        let mean = |values: &[f64]| values.iter().sum::<f64>() / values.len() as f64;
        let wall_ms = mean(&wall);
        let variance =
            wall.iter().map(|m| (m - wall_ms).powi(2)).sum::<f64>() / (wall.len().max(2) - 1) as f64;
        let cpu: Vec<f64> = samples.iter().map(|s| ms(s.cpu)).collect();
        Summary {
            wall_ms,
            wall_sd_ms: variance.sqrt(),
            wall_min_ms: wall.iter().copied().fold(f64::INFINITY, f64::min),
            cpu_ms: mean(&cpu),
            peak_mib: samples.iter().map(|s| s.peak_kib).max().unwrap_or(0) as f64 / 1024.0,
        }
    }
}

/// One run, through this program's `measure` mode (see [`measure`]).
fn run(contender: &Contender) -> Sample {
    let this = std::env::current_exe().expect("this program");
    let report = output(&[&[this.into_os_string(), "measure".into()], &contender.command[..]].concat());
    let report = String::from_utf8(report).expect("measure writes text");
    let numbers: Vec<u64> = report.split_whitespace().map(|n| n.parse().expect("a number")).collect();
    let [wall, cpu, peak_kib, code] = numbers[..] else { panic!("measure writes four numbers: {report}") };
    assert!(contender.exit_codes.contains(&(code as i32)), "{} exited with {code}", contender.name);
    Sample { wall: Duration::from_nanos(wall), cpu: Duration::from_micros(cpu), peak_kib }
}

/// Runs `command` with its output thrown away and prints its wall time in nanoseconds, its CPU
/// time in microseconds, its peak resident memory in KiB and its exit code. A process of its
/// own, because Linux counts the memory of the process that spawns a command into the
/// command's peak (`exec` keeps the larger of the old and the new address space's high-water
/// mark): spawned from the benchmark, which holds the lessons and their JSON, every command
/// would peak at the benchmark's size.
pub(crate) fn measure(command: &[OsString]) {
    let start = Instant::now();
    let status = Command::new(&command[0])
        .args(&command[1..])
        .stdout(File::create("/dev/null").expect("/dev/null"))
        .stderr(Stdio::inherit())
        .status()
        .expect("the command runs");
    let wall = start.elapsed();
    let code = status.code().unwrap_or_else(|| panic!("{command:?} was killed: {status}"));
    // SAFETY: `usage` is plain data that `getrusage` fills in. The command is this process's
    // only child, so the children's peak is its peak.
    let mut usage = unsafe { std::mem::zeroed::<libc::rusage>() };
    assert_eq!(unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) }, 0);
    let micros = |t: libc::timeval| t.tv_sec * 1_000_000 + t.tv_usec;
    let cpu = micros(usage.ru_utime) + micros(usage.ru_stime);
    println!("{} {cpu} {} {code}", wall.as_nanos(), usage.ru_maxrss);
}
