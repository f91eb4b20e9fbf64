//! `solve --format markdown`: the worked solution as a handout.

use super::text::{DERIVATION_LINES, describe_network, equation_list, format_value};
use crate::engine::Solution;
use crate::lesson::Lesson;
use crate::plan::{derivation, plan, step_title};

pub fn solution_markdown(lesson: &Lesson) -> String {
    let network = lesson.network();
    let solution = Solution::new(network);
    let mut out = format!("# {}\n\n", lesson.title());
    if let Some(description) = lesson.description() {
        out.push_str(&format!("{}\n\n", description.split_whitespace().collect::<Vec<_>>().join(" ")));
    }
    out.push_str(&format!("Network: {}\n\n", describe_network(network)));
    for step in plan(lesson) {
        out.push_str(&format!("## {}\n\n", step_title(network, &step)));
        if !step.equations.is_empty() {
            out.push_str(&format!("Notes' equations {}.\n\n", equation_list(&step.equations)));
        }
        out.push_str(&format!("`{}`\n\n", step.formula));
        let (lines, more) = derivation(&step, &solution, DERIVATION_LINES);
        for line in lines {
            out.push_str(&format!("- `{}`\n", line.to_text()));
        }
        if more > 0 {
            out.push_str(&format!("- … and {more} more entries, each the same way\n"));
        }
        for asked in &step.asks {
            if let Some(value) = solution.value_of(asked) {
                out.push_str(&format!("\n**{asked}** = `{}`\n", format_value(&value)));
            }
        }
        out.push('\n');
    }
    out
}
