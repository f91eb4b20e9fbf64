//! Making and checking lessons (SPEC §7): random variants per student (`generate`), findings
//! on a lesson (`lint`), whether a lesson can tell its known answers apart (`distinct`) and
//! the JSON Schema of the lesson format (`schema`).

pub mod distinct;
pub mod generate;
pub mod lint;
mod rng;
pub mod schema;
