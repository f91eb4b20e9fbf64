//! The course around the lessons (DESIGN.md §6.6), as rustlings has around its exercises: the
//! shipped lessons in order with each one's progress, the lesson after this one, and fresh
//! seeded variants of a lesson's shape.

use super::{Mode, Progress, Session};
use crate::authoring::generate::{GenerateError, Options, TrainingOptions, generate_exposing};
use crate::authoring::remediation::{Remediation, remediation};
use crate::diagnosis::DiagnosisId;
use crate::fingerprint::stable_hash;
use crate::lesson::{Lesson, LessonError, LossKind, parse_lesson, shipped};
use crate::network::{Activation, Objective, Reduction};
use crate::report::describe_network;
use std::fmt;

/// How far a learner has come through a lesson in practice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    pub done: usize,
    pub total: usize,
    /// Anything saved at all: an answer, a hint, a draft.
    pub started: bool,
}

impl Summary {
    pub fn of(lesson: &Lesson, progress: &Progress) -> Summary {
        let started = *progress != Progress::default();
        let session = Session::new(lesson.clone(), Mode::Practice, progress.clone());
        Summary { done: session.steps_done(), total: session.steps().len(), started }
    }

    pub fn is_complete(&self) -> bool {
        self.done == self.total
    }
}

/// `✓` done, `3/6` on the way, `new` untouched.
impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_complete() {
            write!(f, "✓")
        } else if self.started {
            write!(f, "{}/{}", self.done, self.total)
        } else {
            write!(f, "new")
        }
    }
}

/// One shipped lesson as the course lists it.
#[derive(Debug, Clone)]
pub struct Entry {
    pub name: &'static str,
    /// The lesson's fingerprint (0 for one that cannot be read), to find its entry again.
    pub fingerprint: u64,
    pub title: String,
    /// The description, on one line, then the network in words; or why the lesson cannot be read.
    pub about: Vec<String>,
    /// `None` for a lesson that cannot be read.
    pub summary: Option<Summary>,
}

/// The shipped lessons in their order, each with its practice progress as `progress` loads it.
pub fn shipped_lessons(progress: impl Fn(&Lesson) -> Progress) -> Vec<Entry> {
    shipped::all()
        .map(|(name, source)| match parse_lesson(name, source) {
            Ok(lesson) => Entry {
                name,
                fingerprint: lesson.fingerprint(),
                title: lesson.title().to_string(),
                about: lesson
                    .description()
                    .map(one_line)
                    .into_iter()
                    .chain([format!("Network: {}.", describe_network(lesson.network()))])
                    .collect(),
                summary: Some(Summary::of(&lesson, &progress(&lesson))),
            },
            Err(error) => {
                let about = vec![error.to_string()];
                Entry { name, fingerprint: 0, title: "(cannot be read)".into(), about, summary: None }
            }
        })
        .collect()
}

/// Text on one line, its runs of white space made single spaces.
pub fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The name of the shipped lesson that `lesson` is (the same text, wherever it was read from).
pub fn shipped_name(lesson: &Lesson) -> Option<&'static str> {
    shipped::all()
        .find(|(name, source)| {
            parse_lesson(name, source).is_ok_and(|s| s.fingerprint() == lesson.fingerprint())
        })
        .map(|(name, _)| name)
}

/// The shipped lesson after `name`, in the course's order.
pub fn next_lesson(name: &str) -> Option<&'static str> {
    shipped::names().skip_while(|&n| n != name).nth(1)
}

/// An exercise `new` makes: its options, and the mistakes it is made to show clearly
/// (`--expose`; none for a plain variant).
#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    pub options: Options,
    pub expose: Vec<DiagnosisId>,
}

/// A variant of `lesson`'s shape: its sizes, its (first hidden layer's) activation, biases if it
/// has any, its loss, its dataset and step of gradient descent; and a seed derived from the
/// lesson, so that each variant leads to a next one and the same lesson always to the same
/// variant.
pub fn variant_of(lesson: &Lesson) -> Variant {
    let network = lesson.network();
    let mut layers: Vec<usize> = (0..=network.depth()).map(|l| network.units(l)).collect();
    layers.push(network.outputs());
    let activation = network.hidden().first().map_or(Activation::Relu, |layer| layer.activation());
    let loss = match network.objective() {
        Objective::SoftmaxCrossEntropy { .. } => LossKind::SoftmaxCrossEntropy,
        Objective::Mse { .. } => LossKind::Mse,
    };
    let data = network.dataset_size();
    let training = TrainingOptions {
        data,
        learning_rate: network.learning_rate(),
        // The sum is `new`'s default, left off its command line.
        reduction: data.map(|_| network.reduction()).filter(|&r| r != Reduction::Sum),
    };
    let options =
        Options { layers, seed: next_seed(lesson), activation, bias: network.has_bias(), loss, training };
    Variant { options, expose: vec![] }
}

/// The remediation variant of `lesson` for a learner whose answers showed the mistakes `shown`
/// (DESIGN.md §7): the lesson's shape, with numbers that tell those mistakes apart.
pub fn remediation_of(lesson: &Lesson, shown: &[DiagnosisId]) -> Variant {
    let Remediation { options, expose } = remediation(lesson, shown, &next_seed(lesson));
    Variant { options, expose }
}

/// The variant `n` makes after `session`: one that targets the mistakes its answers showed,
/// if they showed any, else one of the lesson's shape.
pub fn next_variant(session: &Session) -> Variant {
    match session.diagnosed() {
        [] => variant_of(session.lesson()),
        shown => remediation_of(session.lesson(), shown),
    }
}

/// The seed of the variant after `lesson`, derived from it.
fn next_seed(lesson: &Lesson) -> String {
    format!("{:012x}", stable_hash(&lesson.fingerprint().to_le_bytes()) >> 16)
}

#[derive(Debug, thiserror::Error)]
pub enum VariantError {
    #[error("no variant of this lesson can be made: {0}")]
    Generate(#[from] GenerateError),
    #[error("the variant does not load (a bug in `new`): {0}")]
    Load(#[from] LessonError),
}

impl Variant {
    /// The command line that makes the same lesson again: a learner can rebuild the exercise
    /// offline, and a grader grade it (`check --variants`).
    pub fn command_line(&self) -> String {
        self.options.command_line_exposing(&self.expose)
    }

    /// The lesson `new` makes: the one way the tutor makes a variant.
    pub fn lesson(&self) -> Result<Lesson, VariantError> {
        let text = generate_exposing(&self.options, &self.expose)?;
        Ok(parse_lesson("the variant", &text)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tutor::{QuestionProgress, Status};

    fn notes() -> Lesson {
        parse_lesson("notes-example", shipped::source("notes-example").unwrap()).unwrap()
    }

    #[test]
    fn a_summary_says_new_part_way_or_done() {
        let lesson = notes();
        assert_eq!(Summary::of(&lesson, &Progress::default()).to_string(), "new");
        let solved = QuestionProgress { status: Status::Solved, ..QuestionProgress::default() };
        let mut progress = Progress::default();
        progress.questions.insert("dL_do".into(), solved.clone());
        progress.questions.insert("dL_dh2".into(), solved.clone());
        assert_eq!(Summary::of(&lesson, &progress).to_string(), "2/6");
        for name in ["dL_dWo", "dL_dh1", "dL_dW2", "dL_dW1"] {
            progress.questions.insert(name.into(), solved.clone());
        }
        assert_eq!(Summary::of(&lesson, &progress).to_string(), "✓");
    }

    #[test]
    fn the_course_goes_in_the_shipped_order_and_ends() {
        let names: Vec<&str> = shipped::names().collect();
        assert_eq!(next_lesson(names[0]), Some(names[1]));
        assert_eq!(next_lesson(names[names.len() - 1]), None);
        assert_eq!(next_lesson("not shipped"), None);
        assert_eq!(shipped_name(&notes()), Some("notes-example"));
        let edited =
            parse_lesson("edited", &format!("{}\n", shipped::source("notes-example").unwrap())).unwrap();
        assert_eq!(shipped_name(&edited), None);
    }

    #[test]
    fn a_variant_has_the_lesson_shape_and_leads_to_another() {
        for name in ["notes-example", "three-hidden-layers", "biases", "mse", "tanh"] {
            let lesson = parse_lesson(name, shipped::source(name).unwrap()).unwrap();
            let variant = variant_of(&lesson);
            let made = variant.lesson().unwrap();
            let options = &variant.options;
            let (a, b) = (lesson.network(), made.network());
            assert_eq!(
                (a.depth(), a.outputs(), a.is_softmax(), a.has_bias()),
                (b.depth(), b.outputs(), b.is_softmax(), b.has_bias()),
                "{name}"
            );
            assert!((0..=a.depth()).all(|l| a.units(l) == b.units(l)), "{name}");
            assert_eq!(variant_of(&made).options.layers, options.layers);
            assert_ne!(variant_of(&made).options.seed, options.seed, "{name}: the next variant is another");
            // The lesson says how to make it again.
            let says =
                made.description().is_some_and(|d| d.contains(&format!("`{}`", variant.command_line())));
            assert!(says, "{name}: {:?}", made.description());
        }
    }
}
