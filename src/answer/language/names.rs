//! What names stand for. The language knows nothing of lessons: the caller passes an
//! [`Environment`], and the same parsed answer can be evaluated in several.

use nalgebra::DMatrix;
use std::borrow::Cow;
use std::collections::BTreeMap;

/// The values names stand for, as matrices in the notes' orientation (a gradient is a row,
/// an activation a column).
pub trait Environment {
    fn lookup(&self, name: &str) -> Binding<'_>;

    /// Every name this environment knows, for the message about one it does not (listed
    /// there nearest first, so the order here only breaks ties).
    fn names(&self) -> Vec<&str>;
}

/// What [`Environment::lookup`] found.
#[derive(Debug, Clone, PartialEq)]
pub enum Binding<'a> {
    Value(Cow<'a, DMatrix<f64>>),
    /// Not a name here: the error lists the known names, nearest first.
    Unknown,
    /// A name the environment knows but will not give a value for here, with the message to
    /// show: a gradient the learner has not answered yet, or formulas forbidden by the lesson.
    Unavailable(String),
}

/// No names at all: an answer is then numbers, constants and functions only.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoNames;

impl Environment for NoNames {
    fn lookup(&self, _: &str) -> Binding<'_> {
        Binding::Unknown
    }

    fn names(&self) -> Vec<&str> {
        Vec::new()
    }
}

/// Names with values: the simplest environment.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Names {
    values: BTreeMap<String, DMatrix<f64>>,
}

impl Names {
    pub fn new() -> Names {
        Names::default()
    }

    /// Binds `name` (replacing what it stood for). `e`, `pi` and the functions cannot be
    /// rebound: the language reads them before it asks the environment.
    pub fn insert(&mut self, name: impl Into<String>, value: DMatrix<f64>) -> &mut Names {
        self.values.insert(name.into(), value);
        self
    }
}

impl Environment for Names {
    fn lookup(&self, name: &str) -> Binding<'_> {
        self.values.get(name).map_or(Binding::Unknown, |m| Binding::Value(Cow::Borrowed(m)))
    }

    fn names(&self) -> Vec<&str> {
        self.values.keys().map(String::as_str).collect()
    }
}

/// How many known names an error lists before "and N more".
const LISTED: usize = 10;

/// "unknown name 'dL_dh' (known here, nearest first: dL_dh2, dL_dh1, …)".
pub(super) fn unknown_name(name: &str, env: &dyn Environment) -> String {
    let mut known: Vec<&str> = env.names();
    known.extend(["e", "pi"]);
    let similarity = |candidate: &str| strsim::normalized_damerau_levenshtein(name, candidate);
    // Stable, so equally near names keep the environment's order.
    known.sort_by(|a, b| similarity(b).total_cmp(&similarity(a)));
    let more = known.len().saturating_sub(LISTED);
    let listed = known[..known.len() - more].join(", ");
    let more = if more > 0 { format!(" and {more} more") } else { String::new() };
    let function = super::functions::Function::names()
        .map(|f| (similarity(f), f))
        .filter(|&(s, _)| s >= 0.6)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map_or(String::new(), |(_, f)| format!("; did you mean the function {f}(…)?"));
    format!("unknown name '{name}' (known here, nearest first: {listed}{more}){function}")
}
