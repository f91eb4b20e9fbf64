//! Lessons: the file format, its validation and where lessons come from. A [`Lesson`] can only
//! be made by validating a [`LessonFile`], so every `Lesson` in the program is well-formed.

pub mod format;
mod load;
mod position;
pub mod shipped;
mod validate;

pub use format::{LessonFile, LossKind};
pub use load::{LessonError, Source, caret_excerpt, load_lesson, parse_lesson, read_lesson, snippet};
pub use position::{line_column, position_of};
pub use validate::{
    Invalid, Key, LINT_IDS, MAX_EXAMPLES, MAX_HIDDEN_LAYERS, MAX_UNITS, MAX_WEIGHTS, RTOL_BELOW_ONE,
    credit_keys,
};

use crate::diagnosis::DiagnosisId;
use crate::network::Network;
use crate::network::steps::StepKind;
use crate::quantity::QuantityRef;
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq)]
pub struct Lesson {
    title: String,
    description: Option<String>,
    network: Network,
    tolerances: Tolerances,
    credit: Credit,
    ask: Option<Vec<Ask>>,
    lint_allow: Vec<String>,
    /// Whether answers may be formulas (`[check] formulas`).
    formulas: bool,
    /// A stable hash of the source text: progress is saved per lesson content.
    fingerprint: u64,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tolerance {
    pub rtol: f64,
    pub atol: f64,
}

/// One `[check.<name>]` table: either setting may be left to the level above.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ToleranceSetting {
    pub rtol: Option<f64>,
    pub atol: Option<f64>,
}

/// The lesson's tolerances: its default, and settings of its own for some quantities or
/// single entries (`[check."dL_dWo[2,1]"]`). Each setting is looked up on its own: an entry's,
/// else its quantity's, else the default, so `[check.dL_dW1] rtol = 0.05` keeps the lesson's
/// atol.
#[derive(Debug, Clone, PartialEq)]
pub struct Tolerances {
    pub default: Tolerance,
    pub per_quantity: BTreeMap<QuantityRef, ToleranceSetting>,
}

/// The lesson's partial credit (`[check.credit]`): the share of its point that a diagnosed or
/// carried answer earns. Grading reads it in one place, so every output and the tutor agree.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Credit {
    diagnosed: BTreeMap<DiagnosisId, f64>,
    carried: Option<f64>,
}

/// The key of `[check.credit]` that sets what a carried answer earns; every other key is a
/// diagnosis id.
pub const CARRIED_CREDIT_KEY: &str = "carried";

impl Credit {
    /// A carried answer earns its whole point unless the lesson says otherwise.
    pub const CARRIED_DEFAULT: f64 = 1.0;

    /// What an incorrect answer diagnosed as `id` earns: nothing unless the lesson says so.
    pub fn diagnosed(&self, id: DiagnosisId) -> f64 {
        self.diagnosed.get(&id).copied().unwrap_or(0.0)
    }

    /// What an answer carried from an earlier wrong answer earns (before `--strict`).
    pub fn carried(&self) -> f64 {
        self.carried.unwrap_or(Self::CARRIED_DEFAULT)
    }
}

/// One item of a lesson's `[steps] ask` list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ask {
    Forward,
    /// A step of the lesson, by the id the lesson wrote (`2A`, `2A#2`, `sum`, `5`), with the
    /// example of a dataset whose step it is.
    Step(StepKind, Option<usize>),
    Quantity(QuantityRef),
}

impl Tolerance {
    pub const DEFAULT: Tolerance = Tolerance { rtol: 0.01, atol: 0.001 };

    pub fn accepts(self, given: f64, expected: f64) -> bool {
        (given - expected).abs() <= self.atol + self.rtol * expected.abs()
    }
}

impl Tolerances {
    /// The tolerance of `reference`: an entry's own setting, else its quantity's (of the same
    /// example), else the lesson's.
    pub fn for_entry(&self, reference: &QuantityRef) -> Tolerance {
        let whole = self.per_quantity.get(&reference.whole()).copied().unwrap_or_default();
        let own = if reference.index.is_empty() {
            ToleranceSetting::default()
        } else {
            self.per_quantity.get(reference).copied().unwrap_or_default()
        };
        Tolerance {
            rtol: own.rtol.or(whole.rtol).unwrap_or(self.default.rtol),
            atol: own.atol.or(whole.atol).unwrap_or(self.default.atol),
        }
    }

    /// The entries of the quantity `whole` names that have a setting of their own, with their
    /// 1-based index.
    pub fn entries_of<'a>(&'a self, whole: &QuantityRef) -> impl Iterator<Item = &'a [usize]> {
        let whole = whole.whole();
        self.per_quantity
            .range(whole.clone()..)
            .take_while(move |(r, _)| r.same_name(&whole))
            .filter(|(r, _)| !r.index.is_empty())
            .map(|(r, _)| r.index.as_slice())
    }
}

impl Lesson {
    pub fn title(&self) -> &str {
        &self.title
    }
    pub fn description(&self) -> Option<&str> {
        self.description.as_deref()
    }
    pub fn network(&self) -> &Network {
        &self.network
    }
    /// The title and the network, for a caller that needs nothing more of the lesson.
    pub fn into_title_and_network(self) -> (String, Network) {
        (self.title, self.network)
    }
    pub fn tolerances(&self) -> &Tolerances {
        &self.tolerances
    }
    /// What diagnosed and carried answers earn (`[check.credit]`).
    pub fn credit(&self) -> &Credit {
        &self.credit
    }
    /// The lesson's own choice of what to ask, if it makes one (`[steps] ask`).
    pub fn ask(&self) -> Option<&[Ask]> {
        self.ask.as_deref()
    }
    pub fn lint_allow(&self) -> &[String] {
        &self.lint_allow
    }
    /// Whether answers may be formulas in the lesson's names (`[check] formulas`, default yes).
    pub fn allows_formulas(&self) -> bool {
        self.formulas
    }
    /// A stable hash of the lesson's source text.
    pub fn fingerprint(&self) -> u64 {
        self.fingerprint
    }
}
