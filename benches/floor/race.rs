//! Whole processes side by side: each round runs every command of a group once, in turn, so a
//! change in the machine's load falls on all of them alike. Wall time from spawn to exit;
//! peak memory is the child's maximum resident set, from `getrusage`.

use std::ffi::OsString;
use std::fs::File;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

pub struct Contender {
    pub name: String,
    pub command: Vec<OsString>,
}

struct Sample {
    wall: Duration,
    peak_kib: i64,
}

/// The output of `command` (for checking that contenders agree).
pub fn output(command: &[OsString]) -> Vec<u8> {
    let out = Command::new(&command[0]).args(&command[1..]).output().expect("the command runs");
    assert!(out.status.success(), "{command:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    out.stdout
}

/// Runs `rounds` rounds and prints each contender's mean, spread and peak memory, and its
/// ratio to the last contender (the floor).
pub fn race(title: &str, contenders: &[Contender], rounds: usize) {
    let mut samples: Vec<Vec<Sample>> = contenders.iter().map(|_| Vec::new()).collect();
    // One warm-up round: the files into the page cache, the binaries into memory.
    for round in 0..=rounds {
        for (contender, samples) in contenders.iter().zip(&mut samples) {
            let sample = run(&contender.command);
            if round > 0 {
                samples.push(sample);
            }
        }
    }
    println!("{title} ({rounds} rounds)");
    let floor = summary(samples.last().expect("a floor"));
    for (contender, samples) in contenders.iter().zip(&samples) {
        let s = summary(samples);
        println!(
            "  {:<58} {:>9.2} ± {:>6.2} ms  (min {:>8.2})  {:>5.2}×   peak {:>7.1} MiB  {:>5.2}×",
            contender.name,
            s.mean_ms,
            s.sd_ms,
            s.min_ms,
            s.mean_ms / floor.mean_ms,
            s.peak_mib,
            s.peak_mib / floor.peak_mib
        );
    }
}

struct Summary {
    mean_ms: f64,
    sd_ms: f64,
    min_ms: f64,
    peak_mib: f64,
}

fn summary(samples: &[Sample]) -> Summary {
    let ms: Vec<f64> = samples.iter().map(|s| s.wall.as_secs_f64() * 1e3).collect();
    let mean_ms = ms.iter().sum::<f64>() / ms.len() as f64;
    let variance = ms.iter().map(|m| (m - mean_ms).powi(2)).sum::<f64>() / (ms.len().max(2) - 1) as f64;
    let peak_kib = samples.iter().map(|s| s.peak_kib).max().unwrap_or(0);
    Summary {
        mean_ms,
        sd_ms: variance.sqrt(),
        min_ms: ms.iter().copied().fold(f64::INFINITY, f64::min),
        peak_mib: peak_kib as f64 / 1024.0,
    }
}

/// One run, through this program's `measure` mode (see [`measure`]), which reports the wall
/// time and peak memory of the command.
fn run(command: &[OsString]) -> Sample {
    let this = std::env::current_exe().expect("this program");
    let report = output(&[&[this.into_os_string(), "measure".into()], command].concat());
    let report = String::from_utf8(report).expect("measure writes text");
    let (nanos, kib) = report.trim().split_once(' ').expect("measure writes two numbers");
    Sample {
        wall: Duration::from_nanos(nanos.parse().expect("nanoseconds")),
        peak_kib: kib.parse().expect("KiB"),
    }
}

/// Runs `command` with its output thrown away and prints its wall time in nanoseconds and its
/// peak resident memory in KiB. A process of its own, because Linux counts the memory of the
/// process that spawns a command into the command's peak (`exec` keeps the larger of the old
/// and the new address space's high-water mark): spawned from the benchmark, which holds the
/// lessons and their JSON, every command would peak at the benchmark's size.
pub fn measure(command: &[OsString]) {
    let start = Instant::now();
    let status = Command::new(&command[0])
        .args(&command[1..])
        .stdout(File::create("/dev/null").expect("/dev/null"))
        .stderr(Stdio::inherit())
        .status()
        .expect("the command runs");
    let wall = start.elapsed();
    assert!(status.success(), "{command:?} failed");
    // SAFETY: `usage` is plain data that `getrusage` fills in. The command is this process's
    // only child, so the children's peak is its peak.
    let mut usage = unsafe { std::mem::zeroed::<libc::rusage>() };
    assert_eq!(unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) }, 0);
    println!("{} {}", wall.as_nanos(), usage.ru_maxrss);
}
