//! `solve --format json`, exactly as DESIGN.md §5:
//! `{"title", "quantities": {name: value}, "steps": [{"id", "asks", "equations"}]}`.
//!
//! Written straight to the output, one quantity at a time, so a network of 512-unit layers
//! never holds its whole JSON text (hundreds of MB of numbers) in memory.

use crate::engine::Solution;
use crate::lesson::Lesson;
use crate::plan::plan;
use crate::quantity::Quantity;
use crate::value::Value;
use nalgebra::DVector;
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
            let key = name.to_string();
            match name {
                // ∂h/∂z is diag(f'(z)): n² numbers of which n are not zero, written from the gate
                // without building the matrix.
                Quantity::DhDz(l) => map.serialize_entry(&key, &Diagonal(&self.0.gates[l - 1]))?,
                _ => {
                    if let Some(value) = self.0.value(name) {
                        map.serialize_entry(&key, &value)?;
                    }
                }
            }
        }
        map.end()
    }
}

/// diag(d), serialized as the rows of the matrix [`Value`] would make of it.
struct Diagonal<'a>(&'a DVector<f64>);

impl Serialize for Diagonal<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let d = self.0;
        serializer.collect_seq((0..d.len()).map(|i| DiagonalRow(d, i)))
    }
}

/// Row `.1` of diag(`.0`).
struct DiagonalRow<'a>(&'a DVector<f64>, usize);

impl Serialize for DiagonalRow<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let DiagonalRow(d, i) = *self;
        serializer.collect_seq((0..d.len()).map(|j| Value::Scalar(if i == j { d[i] } else { 0.0 })))
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
