//! The worked solution of a lesson, rendered for people (text, Markdown) and for programs
//! (JSON). Everything here is a pure function of the lesson.

mod json;
mod markdown;
mod text;

pub use json::write_solution_json;
pub use markdown::solution_markdown;
pub use text::{describe_network, equation_list, solution_text};
