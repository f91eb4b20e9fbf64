//! The groups of the benchmark: what runs side by side with what.

use crate::race::{Contender, output, race};
use crate::wide::{label, wide_lesson};
use backprop_tutor::lesson::{MAX_HIDDEN_LAYERS, MAX_UNITS, MAX_WEIGHTS};
use std::ffi::OsString;
use std::path::{Path, PathBuf};

const TUTOR: &str = env!("CARGO_BIN_EXE_backprop-tutor");

pub(crate) struct Group {
    pub name: String,
    work: Work,
    rounds_divisor: usize,
}

enum Work {
    /// `solve` of a shipped lesson, against `cat` of its file.
    Shipped(&'static str),
    /// `solve` of a generated lesson of these sizes, against the floor program.
    Wide(Vec<usize>),
    /// `check` of this many answer files of notes-example, against reading them.
    Check(usize),
}

pub(crate) fn groups() -> Vec<Group> {
    let wide = |sizes: Vec<usize>, rounds_divisor| Group {
        name: label(&sizes),
        work: Work::Wide(sizes),
        rounds_divisor,
    };
    let largest = largest();
    vec![
        Group { name: "notes-example".into(), work: Work::Shipped("notes-example"), rounds_divisor: 1 },
        wide(vec![10, 512, 512, 512, 512, 10], 1),
        wide(vec![10, 1024, 1024, 10], 1),
        Group {
            name: format!("largest-{MAX_HIDDEN_LAYERS}x{}", largest[0]),
            work: Work::Wide(largest),
            rounds_divisor: 4,
        },
        Group { name: "check-100000".into(), work: Work::Check(100_000), rounds_divisor: 4 },
    ]
}

/// The sizes of the costliest lesson the limits allow: the most hidden layers, all as wide as
/// the weights allowed in all let them be (input and output too), so that it has the most
/// Jacobians for its weights.
fn largest() -> Vec<usize> {
    let layers = MAX_HIDDEN_LAYERS + 1;
    let width = (1..=MAX_UNITS).take_while(|n| n * n * layers <= MAX_WEIGHTS).last().expect("a width");
    vec![width; layers + 1]
}

/// Where the generated lessons and answer files are kept, for hyperfine and `time -v` too.
fn kept(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("floor").join(name)
}

/// This program in one of its floor modes.
fn floor(name: &str, mode: &str, path: &Path) -> Contender {
    let this = std::env::current_exe().expect("this program");
    Contender { name: name.into(), command: vec![this.into(), mode.into(), path.into()], exit_codes: &[0] }
}

fn tutor(name: String, args: &[OsString], exit_codes: &'static [i32]) -> Contender {
    let mut command = vec![OsString::from(TUTOR)];
    command.extend_from_slice(args);
    Contender { name, command, exit_codes }
}

impl Group {
    pub(crate) fn run(&self, rounds: usize) {
        let rounds = (rounds / self.rounds_divisor).max(2);
        // `FLOOR_BASELINE=BINARY` races another build of backprop-tutor too, for before/after.
        let baseline = std::env::var_os("FLOOR_BASELINE");
        let solvers = |lesson: OsString| -> Vec<Contender> {
            let args = ["solve".into(), lesson, "--format".into(), "json".into()];
            let mut solvers =
                vec![tutor(format!("backprop-tutor solve {} --format json", self.name), &args, &[0])];
            if let Some(binary) = &baseline {
                let mut baseline = tutor(format!("baseline solve {} --format json", self.name), &args, &[0]);
                baseline.command[0] = binary.clone();
                solvers.push(baseline);
            }
            solvers
        };
        match &self.work {
            Work::Shipped(name) => {
                let file = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("lessons/{name}.toml"));
                let cat = Contender {
                    name: format!("cat lessons/{name}.toml"),
                    command: vec!["cat".into(), file.into()],
                    exit_codes: &[0],
                };
                let mut contenders = solvers((*name).into());
                contenders.push(cat);
                race(&self.name, &contenders, rounds);
            }
            Work::Wide(sizes) => {
                let text = wide_lesson(sizes);
                let file = kept(&format!("{}.toml", self.name));
                std::fs::create_dir_all(file.parent().expect("a folder")).expect("a folder for the lessons");
                std::fs::write(&file, &text).expect("the lesson written");
                let floor = floor("floor (benches/floor/solve.rs)", "solve-floor", &file);
                let mut contenders = solvers(file.into());
                let json = output(&floor.command);
                for solve in &contenders {
                    assert!(
                        output(&solve.command) == json,
                        "{}: the floor must write what solve writes",
                        solve.name
                    );
                }
                let title = format!(
                    "{} ({:.1} MB in, {:.1} MB of JSON out)",
                    self.name,
                    text.len() as f64 / 1e6,
                    json.len() as f64 / 1e6
                );
                contenders.push(floor);
                race(&title, &contenders, rounds);
            }
            Work::Check(count) => {
                let dir = kept(&format!("answers-{count}"));
                let bytes = write_answers(&dir, *count);
                let dir = OsString::from(dir);
                // `check` exits 1 when some points were lost, as in any real class.
                let mut contenders: Vec<Contender> = ["json", "csv"]
                    .into_iter()
                    .map(|format| {
                        let args = [
                            "check".into(),
                            "notes-example".into(),
                            dir.clone(),
                            "--format".into(),
                            format.into(),
                        ];
                        tutor(
                            format!("backprop-tutor check notes-example DIR --format {format}"),
                            &args,
                            &[0, 1],
                        )
                    })
                    .collect();
                if let Some(binary) = &baseline {
                    let mut before = contenders[0].clone();
                    before.name = "baseline check notes-example DIR --format json".into();
                    before.command[0] = binary.clone();
                    contenders.push(before);
                }
                contenders.push(floor("read-only floor (benches/floor/read.rs)", "read-floor", dir.as_ref()));
                let title = format!("{count} answer files of notes-example ({:.1} MB)", bytes as f64 / 1e6);
                race(&title, &contenders, rounds);
            }
        }
    }
}

/// `count` answer files of notes-example in `dir` (kept between runs), their total size: the
/// right answers as `solve` gives them, except that file i doubles its answer to question
/// i mod 8 and leaves out question i mod 11, so that grading meets mistakes and gaps.
fn write_answers(dir: &Path, count: usize) -> usize {
    let json =
        output(&[TUTOR.into(), "solve".into(), "notes-example".into(), "--format".into(), "json".into()]);
    let json: serde_json::Value = serde_json::from_slice(&json).expect("solve writes JSON");
    let asked: Vec<(&str, &serde_json::Value)> = json["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .flat_map(|step| step["asks"].as_array().expect("asks"))
        .map(|name| {
            let name = name.as_str().expect("a name");
            (name, &json["quantities"][name])
        })
        .collect();
    std::fs::create_dir_all(dir).expect("a folder for the answers");
    let mut bytes = 0;
    for i in 0..count {
        let mut text = format!("# student {i}\n");
        for (q, (name, value)) in asked.iter().enumerate() {
            if q == i % 11 {
                continue;
            }
            let value = if q == i % 8 { doubled(value) } else { (*value).clone() };
            text.push_str(&format!("{name} = {value}\n"));
        }
        let file = dir.join(format!("student-{i:06}.toml"));
        // Compared whole, not by length: a change in the last digit of an answer (a sum taken
        // in another order) keeps the length and must still reach the files.
        if std::fs::read(&file).map_or(true, |old| old != text.as_bytes()) {
            std::fs::write(&file, &text).expect("an answer file written");
        }
        bytes += text.len();
    }
    bytes
}

fn doubled(value: &serde_json::Value) -> serde_json::Value {
    match value {
        serde_json::Value::Array(items) => items.iter().map(doubled).collect(),
        number => serde_json::json!(number.as_f64().expect("a number") * 2.0),
    }
}
