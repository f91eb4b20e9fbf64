//! Whether a lesson's numbers can tell its known answers apart (DESIGN.md §7): for every asked
//! question, the right answer and each known mistake of DESIGN.md §9 must land outside each
//! other's tolerance, or the grader cannot name the mistake (a dropped gate where every gate is
//! open *is* the right answer). `lint` reports each pair that collides as `indistinct`, `new`
//! redraws until none does, and `new --expose` until the mistakes asked for stand clear.
//!
//! Some pairs coincide whatever the numbers: transposing a 1×1 matrix, z for h with the
//! identity, the gate of a one-unit ReLU layer (which must stay open). Others differ by too
//! little for any tolerance of 1% to see: a leaky ReLU's slope 0.01 for 0 changes Step 3A by a
//! hundredth of a closed unit's share. Those cannot apply to the lesson's shape and are not
//! reported. Which pairs those are is decided on the lesson's *twin*: a network of the same
//! shape (sizes, activations, biases, loss, label) with generic numbers of the size lessons
//! use — random, never tenths, every ReLU layer of two units or more with open and closed
//! units, neighbouring layers closed at different units. A pair applies when the twin tells it
//! apart clearly, by more than twice the question's tolerance. Random numbers can be unlucky
//! (a gradient that happens to be tiny where a gate is closed), so there are five twins, and
//! two that tell a pair apart are enough.

use super::rng::SplitMix64;
use crate::answer::diagnose::{Mistake, digits_needed, known_answers, undo_whole_slips};
use crate::answer::grade::tolerance;
use crate::answer::shape::{EntryTolerances, matches};
use crate::answer::{GradeOptions, questions};
use crate::diagnosis::DiagnosisId;
use crate::engine::Solution;
use crate::lesson::{Lesson, Tolerance};
use crate::network::steps::backward_kinds;
use crate::network::{Layer, Network, Objective};
use crate::plan::step;
use crate::quantity::QuantityRef;
use crate::value::{Shape, Value};
use nalgebra::{DMatrix, DVector};
use std::collections::BTreeMap;

/// One side of a collision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Answer {
    Right,
    Mistake(DiagnosisId),
}

/// Two answers to one question that the lesson's tolerance cannot tell apart, though a lesson
/// of its shape could.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Collision {
    pub question: QuantityRef,
    /// The right answer, or a mistake earlier in DESIGN.md §9's order than `second`.
    pub first: Answer,
    pub second: DiagnosisId,
}

/// The right and the known answers to each question on the twins of a lesson: what a lesson of
/// its shape can tell apart at all.
pub struct Structure {
    twins: Vec<BTreeMap<QuantityRef, Answers>>,
}

/// The right answer to a question, and its known wrong ones.
type Answers = (Value, Vec<(Mistake, Value)>);

/// Whether enough twins say so: two, so that one unlucky draw neither hides a pair nor makes
/// one up.
fn enough(votes: impl Iterator<Item = bool>) -> bool {
    votes.filter(|&v| v).count() >= 2
}

impl Structure {
    /// The structure of `lesson`'s shape, for the questions it asks.
    pub fn of(lesson: &Lesson) -> Structure {
        let asked: Vec<QuantityRef> = questions(lesson).into_iter().map(|q| q.asked).collect();
        Structure::for_questions(lesson.network(), &asked)
    }

    /// The structure of `network`'s shape for the questions `asked`.
    pub fn for_questions(network: &Network, asked: &[QuantityRef]) -> Structure {
        let twins = TWIN_SEEDS
            .iter()
            .map(|&seed| {
                let solution = Solution::new(&twin(network, seed));
                asked
                    .iter()
                    .filter_map(|q| Some((q.clone(), (solution.value_of(q)?, known_answers(&solution, q)))))
                    .collect()
            })
            .collect();
        Structure { twins }
    }

    /// Whether a lesson of the shape tells `a` (or the right answer, for `None`) from `b`
    /// clearly as answers to `question`, held to `tolerance`.
    fn separable(
        &self,
        question: &QuantityRef,
        a: Option<&Mistake>,
        b: &Mistake,
        tolerance: &EntryTolerances,
    ) -> bool {
        let wide = doubled(tolerance);
        enough(self.twins.iter().map(|answers| {
            let Some((right, known)) = answers.get(question) else { return false };
            let value = |m: &Mistake| known.iter().find(|(k, _)| k == m).map(|(_, v)| v);
            let a = match a {
                None => Some(right),
                Some(m) => value(m),
            };
            match (a, value(b)) {
                (Some(a), Some(b)) => !close(a, b, &wide),
                _ => false,
            }
        }))
    }

    /// Whether a lesson of the shape can show `id` clearly: some question has an answer with
    /// that mistake more than twice the default tolerance from the right answer and from every
    /// other known answer.
    pub fn can_show(&self, id: DiagnosisId) -> bool {
        if id == DiagnosisId::TooFewDigits {
            return true;
        }
        let wide = doubled(&EntryTolerances::uniform(Tolerance::DEFAULT));
        enough(
            self.twins
                .iter()
                .map(|answers| answers.values().any(|(right, known)| stands_clear(known, right, id, &wide))),
        )
    }
}

/// Whether an answer with mistake `id` stands more than `wide` from the right answer and from
/// every known answer with another id.
fn stands_clear(known: &[(Mistake, Value)], right: &Value, id: DiagnosisId, wide: &EntryTolerances) -> bool {
    with_composed(known, right).iter().filter(|(m, v)| m.id() == id && v.is_finite()).any(|(_, value)| {
        !close(value, right, wide) && others(known, id).all(|other| !close(value, other, wide))
    })
}

/// The questions of a lesson of `network`'s shape that `new` may ask: every backward step's
/// quantity, each gradient of two entries or more by one entry first (an off-diagonal one for
/// a matrix, where an index swap shows), then whole.
pub fn variant_questions(network: &Network) -> Vec<QuantityRef> {
    let whole = backward_kinds(network).into_iter().flat_map(|kind| step(network, kind).asks);
    whole
        .flat_map(|asked| {
            let entry = match network.shape(asked.quantity) {
                Shape::Vector(n) if n >= 2 => Some(vec![2]),
                Shape::Matrix(rows, _) if rows >= 2 => Some(vec![2, 1]),
                Shape::Matrix(_, columns) if columns >= 2 => Some(vec![1, 2]),
                _ => None,
            };
            let entry = entry.map(|index| QuantityRef { quantity: asked.quantity, index });
            entry.into_iter().chain([asked])
        })
        .collect()
}

/// Every pair of answers to a question of `lesson` that its tolerance cannot tell apart,
/// though `structure` (the lesson's shape) can: one per question and pair of ids.
pub fn collisions(lesson: &Lesson, solution: &Solution, structure: &Structure) -> Vec<Collision> {
    let mut out: Vec<Collision> = Vec::new();
    for question in questions(lesson).into_iter().map(|q| q.asked) {
        let Some(right) = solution.value_of(&question) else { continue };
        let tolerance = tolerance(lesson, &question, GradeOptions::default());
        // The single mistakes of DESIGN.md §9's table; two slips at once are a second guess.
        let known: Vec<(Mistake, Value)> = known_answers(solution, &question)
            .into_iter()
            .filter(|(m, v)| m.id().parts().is_none() && v.is_finite())
            .collect();
        let mut found = |first: Answer, second: DiagnosisId| {
            let collision = Collision { question: question.clone(), first, second };
            if !out.contains(&collision) {
                out.push(collision);
            }
        };
        let right_here: Vec<bool> = known.iter().map(|(_, v)| close(v, &right, &tolerance)).collect();
        for (i, (b, b_value)) in known.iter().enumerate() {
            if right_here[i] && structure.separable(&question, None, b, &tolerance) {
                found(Answer::Right, b.id());
            }
            for (j, (a, a_value)) in known[..i].iter().enumerate() {
                // Two mistakes that both give the right answer are named with it already.
                let pair = a.id() != b.id()
                    && !(right_here[i] && right_here[j])
                    && close(a_value, b_value, &tolerance);
                if pair && structure.separable(&question, Some(a), b, &tolerance) {
                    let (first, second) = if a.id() <= b.id() { (a.id(), b.id()) } else { (b.id(), a.id()) };
                    found(Answer::Mistake(first), second);
                }
            }
        }
    }
    out
}

/// Whether `lesson` shows `id` clearly: some question has an answer with that mistake that no
/// answer within tolerance of it could be mistaken for the right one or another known mistake
/// (they are more than twice the tolerance apart). Rounding too early shows where an answer
/// must have 3 significant digits or more.
pub fn exposes(lesson: &Lesson, solution: &Solution, id: DiagnosisId) -> bool {
    questions(lesson).into_iter().map(|q| q.asked).any(|question| {
        let Some(right) = solution.value_of(&question) else { return false };
        let tolerance = tolerance(lesson, &question, GradeOptions::default());
        if id == DiagnosisId::TooFewDigits {
            return digits_needed(&right, &tolerance).is_some_and(|d| d >= 3);
        }
        stands_clear(&known_answers(solution, &question), &right, id, &doubled(&tolerance))
    })
}

/// The known answers with the composed slips too (a whole slip on top of each known one), for
/// the ids that name two slips.
fn with_composed(known: &[(Mistake, Value)], right: &Value) -> Vec<(Mistake, Value)> {
    let mut out = known.to_vec();
    for (mistake, value) in known {
        for (slip, slipped) in undo_whole_slips(value, right.shape()) {
            out.extend(Mistake::compose(mistake.clone(), slip).map(|both| (both, slipped)));
        }
    }
    out
}

/// The values of the known answers with another id than `id` (and not one of its parts).
fn others(known: &[(Mistake, Value)], id: DiagnosisId) -> impl Iterator<Item = &Value> {
    let parts = id.parts();
    known
        .iter()
        .filter(move |(m, _)| m.id() != id && parts.is_none_or(|(a, b)| m.id() != a && m.id() != b))
        .map(|(_, v)| v)
}

/// Within tolerance of each other, either way round.
fn close(a: &Value, b: &Value, tolerance: &EntryTolerances) -> bool {
    matches(a, b, tolerance) || matches(b, a, tolerance)
}

fn doubled(tolerance: &EntryTolerances) -> EntryTolerances {
    let double = |t: Tolerance| Tolerance { rtol: 2.0 * t.rtol, atol: 2.0 * t.atol };
    EntryTolerances {
        all: double(tolerance.all),
        own: tolerance.own.iter().map(|&(n, t)| (n, double(t))).collect(),
    }
}

/// Fixed seeds: the twins of a shape are always the same networks.
const TWIN_SEEDS: [u64; 5] = [
    0x7e57_ab1e_d15c_0de5,
    0x5eed_0f7a_1e2b_0b00,
    0x0dd_ba11_c0ff_ee00,
    0xfee1_600d_cafe_f00d,
    0x1234_5678_9abc_def0,
];
/// A twin's pre-activations are at least this far from 0, as a lesson's are from its kinks.
const TWIN_CLEARANCE: f64 = 0.3;

/// A network of `network`'s shape with generic numbers (see the module's documentation).
fn twin(network: &Network, seed: u64) -> Network {
    let mut rng = SplitMix64::new(seed);
    let mut draw = move |_: usize, _: usize| {
        // Magnitudes in [0.4, 1.4), either sign: clear of 0, and never a round number.
        let magnitude = 0.4 + (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        if rng.next_u64() & 1 == 0 { magnitude } else { -magnitude }
    };
    let input = DVector::from_fn(network.units(0), &mut draw);
    let mut below = input.clone();
    let mut hidden = Vec::new();
    for (i, layer) in network.hidden().iter().enumerate() {
        let (rows, columns) = layer.weights().shape();
        let mut weights = DMatrix::from_fn(rows, columns, &mut draw);
        let mut bias = layer.bias().map(|b| DVector::from_fn(b.len(), &mut draw));
        let f = layer.activation();
        for r in 0..rows {
            let z_of = |w: &DMatrix<f64>, b: &Option<DVector<f64>>| {
                w.row(r).transpose().dot(&below) + b.as_ref().map_or(0.0, |b| b[r])
            };
            for _ in 0..16 {
                if z_of(&weights, &bias).abs() >= TWIN_CLEARANCE {
                    break;
                }
                for c in 0..columns {
                    weights[(r, c)] = draw(r, c);
                }
                if let Some(b) = bias.as_mut() {
                    b[r] = draw(r, 0);
                }
            }
            let z = z_of(&weights, &bias);
            // Alternate closed and open units, shifted from one layer to the next; a layer of
            // one unit stays open, as every lesson's must.
            let closed = f.has_kink() && rows >= 2 && (r + i) % 2 == 0;
            if (z <= 0.0) != closed {
                weights.row_mut(r).neg_mut();
                if let Some(b) = bias.as_mut() {
                    b[r] = -b[r];
                }
            }
        }
        let z = &weights * &below + bias.clone().unwrap_or_else(|| DVector::zeros(rows));
        below = z.map(|z| f.apply(z));
        hidden.push(Layer::new(weights, bias, f));
    }
    let output = network.output();
    let (rows, columns) = output.weights().shape();
    let weights = DMatrix::from_fn(rows, columns, &mut draw);
    let bias = output.bias().map(|b| DVector::from_fn(b.len(), &mut draw));
    let objective = match network.objective() {
        Objective::SoftmaxCrossEntropy { label } => Objective::SoftmaxCrossEntropy { label: *label },
        Objective::Mse { target } => Objective::Mse { target: DVector::from_fn(target.len(), &mut draw) },
    };
    Network::new(input, hidden, Layer::new(weights, bias, output.activation()), objective)
}
