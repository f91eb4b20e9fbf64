//! `solve --format json`, exactly as DESIGN.md §5:
//! `{"title", "quantities": {name: value}, "steps": [{"id", "asks", "equations"}]}`.
//!
//! Written straight to the output, one quantity at a time, so a network of 512-unit layers
//! never holds its whole JSON text (hundreds of MB of numbers) in memory.

use crate::engine::Solution;
use crate::lesson::Lesson;
use crate::network::backward::gated_weight;
use crate::plan::plan;
use crate::quantity::Quantity;
use crate::value::positive_zero;
use nalgebra::DMatrix;
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
        // The matrices are written where they lie, or entry by entry as they are written, never
        // copied first: a 1024-unit layer's are 8 MB each.
        for name in names {
            let key = name.to_string();
            // One example's pass keeps its matrices; a dataset's totals and the update are
            // computed as they are written.
            let pass = self.0.pass(name.example);
            let of_pass = name.example.is_some() || self.0.network().dataset_size().is_none();
            let (network, gradients, gates) = (pass.network(), &pass.gradients, &pass.gates);
            match name.quantity {
                Quantity::DlDwo if of_pass => map.serialize_entry(&key, &stored(&gradients.dl_dwo))?,
                Quantity::DlDw(l) if of_pass => {
                    map.serialize_entry(&key, &stored(&gradients.dl_dw[l - 1]))?
                }
                Quantity::DoDh(_) => map.serialize_entry(&key, &stored(network.output().weights()))?,
                Quantity::DzDh(l) => map.serialize_entry(&key, &stored(network.layer(l).weights()))?,
                // diag(f'(z)): n² numbers, n of them not zero.
                Quantity::DhDz(l) => {
                    let gate = &gates[l - 1];
                    let entry = |i: usize, j: usize| if i == j { gate[i] } else { 0.0 };
                    map.serialize_entry(&key, &Entries { rows: gate.len(), columns: gate.len(), entry })?
                }
                Quantity::DhDh(l) => {
                    let (gate, weights) = (&gates[l - 1], network.layer(l).weights());
                    let entry = |i: usize, j: usize| gated_weight(gate[i], weights[(i, j)]);
                    map.serialize_entry(
                        &key,
                        &Entries { rows: weights.nrows(), columns: weights.ncols(), entry },
                    )?
                }
                _ => {
                    if let Some(value) = self.0.value_of(&name) {
                        map.serialize_entry(&key, &value)?;
                    }
                }
            }
        }
        map.end()
    }
}

/// A matrix serialized as its rows, as a [`Value`](crate::value::Value) serializes one, with entry (i, j) asked of
/// `entry` as it is written.
struct Entries<F> {
    rows: usize,
    columns: usize,
    entry: F,
}

/// The entries of a matrix that is stored.
fn stored(matrix: &DMatrix<f64>) -> Entries<impl Fn(usize, usize) -> f64 + '_> {
    Entries { rows: matrix.nrows(), columns: matrix.ncols(), entry: move |i, j| matrix[(i, j)] }
}

impl<F: Fn(usize, usize) -> f64> Serialize for Entries<F> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq((0..self.rows).map(|i| EntriesRow(self, i)))
    }
}

/// Row `.1` of a matrix of [`Entries`].
struct EntriesRow<'a, F>(&'a Entries<F>, usize);

impl<F: Fn(usize, usize) -> f64> Serialize for EntriesRow<'_, F> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let EntriesRow(matrix, i) = *self;
        serializer.collect_seq((0..matrix.columns).map(|j| positive_zero((matrix.entry)(i, j))))
    }
}

#[derive(Serialize)]
struct StepJson {
    id: String,
    asks: Vec<String>,
    equations: Vec<String>,
}

/// Writes the lesson's worked solution; the lesson is used up, its network moved into the
/// solution rather than copied.
pub fn write_solution_json(lesson: Lesson, out: &mut impl Write) -> io::Result<()> {
    let steps = plan(&lesson)
        .into_iter()
        .map(|step| StepJson {
            id: step.id,
            asks: step.asks.iter().map(ToString::to_string).collect(),
            equations: step.equations,
        })
        .collect();
    let (title, network) = lesson.into_title_and_network();
    let solution = Solution::owning(network);
    let json = SolutionJson { title: &title, quantities: Quantities(&solution), steps };
    serde_json::to_writer(&mut *out, &json)?;
    out.write_all(b"\n")
}

#[cfg(test)]
mod tests {
    use super::Quantities;
    use crate::authoring::generate::{Options, generate};
    use crate::engine::Solution;
    use crate::lesson::{LossKind, parse_lesson, shipped};
    use crate::network::Activation;

    /// The quantities as the plain way writes them: each value built, then serialized.
    fn built_then_written(solution: &Solution) -> String {
        let entries: Vec<String> = solution
            .names()
            .into_iter()
            .map(|q| format!("\"{q}\":{}", serde_json::to_string(&solution.value_of(&q).unwrap()).unwrap()))
            .collect();
        format!("{{{}}}", entries.join(","))
    }

    #[test]
    fn matrices_written_where_they_lie_are_the_values_serialized() {
        let mut texts: Vec<String> = shipped::all().map(|(_, text)| text.to_string()).collect();
        for activation in [Activation::LeakyRelu, Activation::Sigmoid, Activation::Tanh, Activation::Identity]
        {
            for (bias, loss) in [(true, LossKind::Mse), (false, LossKind::SoftmaxCrossEntropy)] {
                let options = Options {
                    layers: vec![4, 3, 5, 2, 3],
                    activation,
                    bias,
                    loss,
                    ..Options::with_seed("json")
                };
                texts.push(generate(&options).unwrap());
            }
        }
        for text in texts {
            let lesson = parse_lesson("test", &text).unwrap();
            let solution = Solution::new(lesson.network());
            let written = serde_json::to_string(&Quantities(&solution)).unwrap();
            assert_eq!(written, built_then_written(&solution), "{text}");
        }
    }
}
