//! The groups of the benchmark: what runs side by side with what.

use crate::race::{Contender, output, race};
use crate::wide::{label, wide_lesson};
use backprop_tutor::lesson::{MAX_HIDDEN_LAYERS, MAX_UNITS, MAX_WEIGHTS};
use std::ffi::OsString;
use std::path::PathBuf;

const SOLVE: &str = env!("CARGO_BIN_EXE_backprop-tutor");

pub struct Group {
    pub name: String,
    lesson: Lesson,
    rounds_divisor: usize,
}

enum Lesson {
    /// A shipped lesson, against `cat` of its file.
    Shipped(&'static str),
    /// A generated lesson of these sizes, against the floor program.
    Wide(Vec<usize>),
}

pub fn groups() -> Vec<Group> {
    let wide = |sizes: Vec<usize>, rounds_divisor| Group {
        name: label(&sizes),
        lesson: Lesson::Wide(sizes),
        rounds_divisor,
    };
    vec![
        Group { name: "notes-example".into(), lesson: Lesson::Shipped("notes-example"), rounds_divisor: 1 },
        wide(vec![10, 512, 512, 512, 512, 10], 1),
        wide(vec![10, 1024, 1024, 10], 1),
        // Named by its sizes, which the limits decide.
        Group {
            name: format!("largest {}", label(&largest())),
            lesson: Lesson::Wide(largest()),
            rounds_divisor: 4,
        },
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

impl Group {
    pub fn run(&self, rounds: usize) {
        // `FLOOR_BASELINE=BINARY` races another build of backprop-tutor too, for before/after.
        let binaries: Vec<(String, OsString)> = std::iter::once(("backprop-tutor".to_string(), SOLVE.into()))
            .chain(std::env::var_os("FLOOR_BASELINE").map(|path| ("baseline".to_string(), path)))
            .collect();
        let solvers = |lesson: OsString| -> Vec<Contender> {
            binaries
                .iter()
                .map(|(name, binary)| Contender {
                    name: format!("{name} solve {} --format json", self.name),
                    command: vec![
                        binary.clone(),
                        "solve".into(),
                        lesson.clone(),
                        "--format".into(),
                        "json".into(),
                    ],
                })
                .collect()
        };
        let rounds = (rounds / self.rounds_divisor).max(2);
        match &self.lesson {
            Lesson::Shipped(name) => {
                let file = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("lessons/{name}.toml"));
                let cat = Contender {
                    name: format!("cat lessons/{name}.toml"),
                    command: vec!["cat".into(), file.into()],
                };
                let mut contenders = solvers((*name).into());
                contenders.push(cat);
                race(&self.name, &contenders, rounds);
            }
            Lesson::Wide(sizes) => {
                let text = wide_lesson(sizes);
                let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("floor");
                std::fs::create_dir_all(&dir).expect("a folder for the lessons");
                let file = dir.join(format!("{}.toml", self.name));
                std::fs::write(&file, &text).expect("the lesson written");
                let floor = Contender {
                    name: "floor (benches/floor/solve.rs)".into(),
                    command: vec![
                        std::env::current_exe().expect("this program").into(),
                        "solve-floor".into(),
                        file.clone().into(),
                    ],
                };
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
        }
    }
}
