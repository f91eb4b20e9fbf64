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
//! reported. Which pairs those are is decided on the lesson's *twins* (`twin`): networks of the
//! same shape (sizes, activations, biases, loss, label) with generic numbers of the size
//! lessons use — random, never tenths, every ReLU layer of two units or more with open and
//! closed units, neighbouring layers closed at different units, each twin closing other units
//! than the last (for a single entry, the lesson's own units: see [`Structure`]). A pair
//! applies when twins tell it apart clearly, by more than twice the
//! question's tolerance. Random numbers can be unlucky (a gradient that happens to be tiny
//! where a gate is closed), so there are five twins, and two that tell a pair apart are enough.

mod twin;

use crate::answer::diagnose::{
    Mistake, at_entry, candidates, compute, digits_needed, is_pass_name, undo_whole_slips,
};
use crate::answer::grade::tolerance;
use crate::answer::shape::{EntryTolerances, matches};
use crate::answer::{GradeOptions, questions};
use crate::diagnosis::DiagnosisId;
use crate::engine::Solution;
use crate::lesson::{Lesson, Tolerance};
use crate::network::Network;
use crate::network::steps::{backward_kinds, examples};
use crate::plan::step;
use crate::quantity::QuantityRef;
use crate::value::{Shape, Value};
use std::collections::BTreeMap;
use std::collections::btree_map::Entry;

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

/// The right answer to a question, and its known wrong ones.
type Answers = (Value, Vec<(Mistake, Value)>);

/// The answers to each question on the twins of a lesson: what a lesson of its shape can tell
/// apart at all. A single entry sits in one unit's row or column, and what it can show depends
/// on whether that unit is open (in an open column z is h, in a closed one every answer is 0):
/// its twins open the units the lesson opens.
pub struct Structure {
    /// Per twin, the answers to each question: whole ones on twins with a pattern of their
    /// own, single entries on twins with the lesson's.
    twins: Vec<BTreeMap<QuantityRef, Answers>>,
}

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

    /// The structure of `network`'s shape for the questions `asked`. Each example of a dataset
    /// has twins of its own (its label, and for single entries its open units); a dataset's
    /// totals and the update have none, so no pair of their answers is reported.
    pub fn for_questions(network: &Network, asked: &[QuantityRef]) -> Structure {
        let mut twins: Vec<BTreeMap<QuantityRef, Answers>> = vec![BTreeMap::new(); twin::TWIN_SEEDS.len()];
        for example in examples(network) {
            let own_example;
            let pass = match example {
                Some(n) => {
                    own_example = network.example(n);
                    &own_example
                }
                None => network,
            };
            // The twin is that example alone: its questions without their `#n`.
            let (entries, whole): (Vec<QuantityRef>, Vec<QuantityRef>) = asked
                .iter()
                .filter(|q| q.example == example && is_pass_name(network, q))
                .map(|q| QuantityRef { example: None, ..q.clone() })
                .partition(|q| !q.index.is_empty());
            let own = twin::pattern(pass);
            for (n, answers) in twins.iter_mut().enumerate() {
                let mut found = answers_to(&Solution::new(&twin::twin(pass, n, None)), &whole);
                if !entries.is_empty() {
                    found.extend(answers_to(&Solution::new(&twin::twin(pass, n, Some(&own))), &entries));
                }
                answers.extend(found.into_iter().map(|(q, a)| (QuantityRef { example, ..q }, a)));
            }
        }
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
    /// other known answer. An index swap needs single entries among the questions.
    pub fn can_show(&self, id: DiagnosisId) -> bool {
        match id {
            DiagnosisId::TooFewDigits => return true,
            // Which entries show it best depends on which units the numbers open; what the
            // shape decides is whether there is a second entry to swap with.
            DiagnosisId::IndexSwap => {
                return self.twins.iter().any(|t| t.keys().any(|q| !q.index.is_empty()));
            }
            _ => {}
        }
        let wide = doubled(&EntryTolerances::uniform(Tolerance::DEFAULT));
        enough(
            self.twins
                .iter()
                .map(|answers| answers.values().any(|(right, known)| stands_clear(known, right, id, &wide))),
        )
    }
}

/// The right and the known answers to each of `asked` on `solution` (one example's pass for
/// a quantity of that example), the known ones of a quantity computed once for all its entries.
fn answers_to(solution: &Solution, asked: &[QuantityRef]) -> BTreeMap<QuantityRef, Answers> {
    let mut whole: BTreeMap<QuantityRef, Answers> = BTreeMap::new();
    let mut out = BTreeMap::new();
    for question in asked {
        let name = question.whole();
        let values = solution.pass(question.example);
        let (right, known) = match whole.entry(name) {
            Entry::Occupied(known) => known.into_mut(),
            Entry::Vacant(new) => {
                let Some(right) = compute(values, new.key()) else { continue };
                let known = candidates(values, new.key());
                new.insert((right, known))
            }
        };
        let answers = if question.index.is_empty() {
            (right.clone(), known.clone())
        } else {
            let Some(entry) = right.entry(&question.index) else { continue };
            (Value::Scalar(entry), at_entry(known, right, values, question))
        };
        out.insert(question.clone(), answers);
    }
    out
}

/// The questions `new` asks of a lesson of `network`'s shape by default: every backward step's
/// quantity, whole, of each example of a dataset.
pub fn backward_questions(network: &Network) -> Vec<QuantityRef> {
    examples(network)
        .into_iter()
        .flat_map(|example| backward_kinds(network).into_iter().map(move |kind| (kind, example)))
        .flat_map(|(kind, example)| step(network, kind, example).asks)
        .collect()
}

/// Every question `new` may ask of a lesson of `network`'s shape: the backward steps'
/// quantities, each single entry of them too (for a lesson that exposes an index swap).
pub fn every_question(network: &Network) -> Vec<QuantityRef> {
    let whole = backward_questions(network);
    let entries = whole.iter().flat_map(|q| entry_questions(network, q));
    entries.chain(whole.iter().cloned()).collect()
}

/// Every single entry of the quantity `whole` names (of its example) that can be asked,
/// off-diagonal ones first: where an index swap shows best.
pub fn entry_questions(network: &Network, whole: &QuantityRef) -> Vec<QuantityRef> {
    let at = |index: Vec<usize>| QuantityRef { index, ..whole.whole() };
    match network.shape(whole.quantity) {
        Shape::Vector(n) if n >= 2 => (1..=n).map(|i| at(vec![i])).collect(),
        Shape::Matrix(rows, columns) if rows * columns >= 2 => {
            let mut entries: Vec<(usize, usize)> =
                (1..=rows).flat_map(|i| (1..=columns).map(move |j| (i, j))).collect();
            entries.sort_by_key(|&(i, j)| i == j);
            entries.into_iter().map(|(i, j)| at(vec![i, j])).collect()
        }
        _ => vec![],
    }
}

/// The known answers of `lesson` to each of its questions, with what they are held to.
struct Graded<'a> {
    lesson: &'a Lesson,
    answers: BTreeMap<QuantityRef, Answers>,
}

impl<'a> Graded<'a> {
    fn new(lesson: &'a Lesson, solution: &Solution, asked: &[QuantityRef]) -> Self {
        Graded { lesson, answers: answers_to(solution, asked) }
    }

    fn tolerance(&self, question: &QuantityRef) -> EntryTolerances {
        tolerance(self.lesson, question, GradeOptions::default())
    }
}

/// Every pair of answers to a question of `lesson` that its tolerance cannot tell apart,
/// though `structure` (the lesson's shape) can: one per question and pair of ids.
pub fn collisions(lesson: &Lesson, solution: &Solution, structure: &Structure) -> Vec<Collision> {
    let asked: Vec<QuantityRef> = questions(lesson).into_iter().map(|q| q.asked).collect();
    let graded = Graded::new(lesson, solution, &asked);
    asked.iter().flat_map(|question| question_collisions(&graded, structure, question)).collect()
}

/// The collisions of one question.
fn question_collisions(graded: &Graded, structure: &Structure, question: &QuantityRef) -> Vec<Collision> {
    let Some((right, known)) = graded.answers.get(question) else { return vec![] };
    let tolerance = graded.tolerance(question);
    // The single mistakes of DESIGN.md §9's table; two slips at once are a second guess.
    let known: Vec<&(Mistake, Value)> =
        known.iter().filter(|(m, v)| m.id().parts().is_none() && v.is_finite()).collect();
    let right_here: Vec<bool> = known.iter().map(|(_, v)| close(v, right, &tolerance)).collect();
    let mut out: Vec<Collision> = Vec::new();
    let mut found = |first: Answer, second: DiagnosisId| {
        let collision = Collision { question: question.clone(), first, second };
        if !out.contains(&collision) {
            out.push(collision);
        }
    };
    for (i, (b, b_value)) in known.iter().enumerate() {
        if right_here[i] && structure.separable(question, None, b, &tolerance) {
            found(Answer::Right, b.id());
        }
        for (j, (a, a_value)) in known[..i].iter().enumerate() {
            // Two mistakes that both give the right answer are named with it already.
            let pair =
                a.id() != b.id() && !(right_here[i] && right_here[j]) && close(a_value, b_value, &tolerance);
            if pair && structure.separable(question, Some(a), b, &tolerance) {
                let (first, second) = if a.id() <= b.id() { (a.id(), b.id()) } else { (b.id(), a.id()) };
                found(Answer::Mistake(first), second);
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
    let asked: Vec<QuantityRef> = questions(lesson).into_iter().map(|q| q.asked).collect();
    let graded = Graded::new(lesson, solution, &asked);
    asked.iter().any(|question| shows(&graded, question, id))
}

/// Whether the answers to `question` show `id` clearly (see [`exposes`]).
fn shows(graded: &Graded, question: &QuantityRef, id: DiagnosisId) -> bool {
    let Some((right, known)) = graded.answers.get(question) else { return false };
    let tolerance = graded.tolerance(question);
    if id == DiagnosisId::TooFewDigits {
        return digits_needed(right, &tolerance).is_some_and(|d| d >= 3);
    }
    stands_clear(known, right, id, &doubled(&tolerance))
}

/// For a lesson that exposes `index_swap`: one entry of each quantity of `whole` (in order) to
/// ask before the quantity itself, the first whose question has no collision and shows the
/// swap; `None` for a quantity with no such entry.
pub fn swap_entries(
    lesson: &Lesson,
    solution: &Solution,
    structure: &Structure,
    whole: &[QuantityRef],
) -> Vec<Option<QuantityRef>> {
    let network = lesson.network();
    whole
        .iter()
        .map(|asked| {
            let entries = entry_questions(network, asked);
            let graded = Graded::new(lesson, solution, &entries);
            entries.into_iter().find(|entry| {
                shows(&graded, entry, DiagnosisId::IndexSwap)
                    && question_collisions(&graded, structure, entry).is_empty()
            })
        })
        .collect()
}

/// Whether an answer with mistake `id` stands more than `wide` from the right answer and from
/// every known answer that is not `id`.
fn stands_clear(known: &[(Mistake, Value)], right: &Value, id: DiagnosisId, wide: &EntryTolerances) -> bool {
    with_composed(known, right).iter().filter(|(m, v)| m.id() == id && v.is_finite()).any(|(_, value)| {
        !close(value, right, wide) && others(known, id).all(|other| !close(value, other, wide))
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

/// The values of the known answers that are not `id`: another id, and no composition with it
/// (where the other slip changes nothing, that is `id` itself). A composed id's own parts are
/// others: both slips must show.
fn others(known: &[(Mistake, Value)], id: DiagnosisId) -> impl Iterator<Item = &Value> {
    let with_id = move |other: DiagnosisId| other.parts().is_some_and(|(a, b)| a == id || b == id);
    known.iter().filter(move |(m, _)| m.id() != id && !with_id(m.id())).map(|(_, v)| v)
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
