//! `solve --format json`, exactly as SPEC §5:
//! `{"title", "quantities": {name: value}, "steps": [{"id", "asks", "equations"}]}`.

use crate::engine::Solution;
use crate::lesson::Lesson;
use crate::plan::plan;
use crate::value::Value;
use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

#[derive(Serialize)]
struct SolutionJson<'a> {
    title: &'a str,
    quantities: Quantities,
    steps: Vec<StepJson>,
}

/// Serialized as an object in the walkthrough's order (x, z1, h1, …, gradients, Jacobians).
struct Quantities(Vec<(String, Value)>);

impl Serialize for Quantities {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (name, value) in &self.0 {
            map.serialize_entry(name, value)?;
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

pub fn solution_json(lesson: &Lesson) -> String {
    let solution = Solution::new(lesson.network());
    let quantities = Quantities(solution.quantities().into_iter().map(|(q, v)| (q.to_string(), v)).collect());
    let steps = plan(lesson)
        .into_iter()
        .map(|step| StepJson {
            id: step.id,
            asks: step.asks.iter().map(ToString::to_string).collect(),
            equations: step.equations,
        })
        .collect();
    let json = SolutionJson { title: lesson.title(), quantities, steps };
    let mut text = serde_json::to_string_pretty(&json).expect("plain data serializes");
    text.push('\n');
    text
}
