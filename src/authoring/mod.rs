//! Making and checking lessons (DESIGN.md §7): random variants per student (`generate`) and for a
//! learner's own mistakes (`remediation`), findings on a lesson (`lint`), whether a lesson can
//! tell its known answers apart (`distinct`) and the JSON Schema of the lesson format
//! (`schema`).

pub mod distinct;
pub mod generate;
pub mod lint;
pub mod remediation;
pub(crate) mod rng;
pub mod schema;
mod training;
