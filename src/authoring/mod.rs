//! Making and checking lessons (SPEC §7): random variants per student (`generate`), findings
//! on a lesson (`lint`) and the JSON Schema of the lesson format (`schema`).

pub mod generate;
pub mod lint;
pub(crate) mod rng;
pub mod schema;
mod training;
