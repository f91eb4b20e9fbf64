//! `list`: the shipped lessons with their descriptions.

use super::{exit, print};
use crate::lesson::{parse_lesson, shipped};

pub(super) fn run() -> u8 {
    let mut out = String::new();
    for (name, source) in shipped::all() {
        match parse_lesson(name, source) {
            Ok(lesson) => {
                out.push_str(&format!("{name:<20} {}\n", lesson.title()));
                if let Some(description) = lesson.description() {
                    out.push_str(&format!("{:<20} {}\n", "", one_line(description)));
                }
            }
            Err(error) => out.push_str(&format!("{name:<20} (broken: {error})\n")),
        }
    }
    print(&out, exit::OK)
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
