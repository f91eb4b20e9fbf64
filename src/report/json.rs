//! `solve --format json`, exactly as SPEC §5:
//! `{"title", "quantities": {name: value}, "steps": [{"id", "asks", "equations"}]}`.
//!
//! Written straight to the output, one quantity at a time, so a network of 512-unit layers
//! never holds its whole JSON text (hundreds of MB of numbers) in memory.

use crate::engine::Solution;
use crate::lesson::Lesson;
use crate::plan::plan;
use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};
use std::io::{self, Write};

#[derive(Serialize)]
struct SolutionJson<'a> {
    title: &'a str,
    quantities: Quantities<'a>,
    steps: Vec<StepJson>,
}

/// Serialized as an object in the walkthrough's order (x, z1, h1, …, gradients, Jacobians),
/// computing each value only as it is written.
struct Quantities<'a>(&'a Solution);

impl Serialize for Quantities<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let names = self.0.names();
        let mut map = serializer.serialize_map(Some(names.len()))?;
        for name in names {
            if let Some(value) = self.0.value_of(&name) {
                map.serialize_entry(&name.to_string(), &value)?;
            }
        }
        map.end()
    }
}

#[derive(Serialize)]
struct StepJson {
    id: String,
    asks: Vec<String>,
    equations: Vec<String>,
}

pub fn write_solution_json(lesson: &Lesson, out: &mut impl Write) -> io::Result<()> {
    let solution = Solution::new(lesson.network());
    let steps = plan(lesson)
        .into_iter()
        .map(|step| StepJson {
            id: step.id,
            asks: step.asks.iter().map(ToString::to_string).collect(),
            equations: step.equations,
        })
        .collect();
    let json = SolutionJson { title: lesson.title(), quantities: Quantities(&solution), steps };
    serde_json::to_writer(&mut *out, &json)?;
    out.write_all(b"\n")
}
