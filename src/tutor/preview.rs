//! The answer box read ahead, as the grader will read it (DESIGN.md §6): while the learner
//! types, what the text is (its shape and entries, a formula evaluated on their own answers) or
//! where it stops being readable and why; and before they type, how to answer: the names the
//! step's formula reads, as a formula answer writes them, and the digits to give.

use crate::answer::diagnose::digits_needed;
use crate::answer::language::{AnswerError, parse};
use crate::answer::{Earlier, FormulaName, Grader};
use crate::plan::Step;
use crate::plan::formula::Term;
use crate::quantity::QuantityRef;
use crate::value::Value;

/// What the answer box holds, read as a submit would read it.
#[derive(Debug, Clone, PartialEq)]
pub enum Preview {
    /// A value, and whether it was a formula in the lesson's names.
    Value { value: Value, formula: bool },
    /// Where reading it stops, and why.
    Error(AnswerError),
}

/// How to answer a question.
#[derive(Debug, Clone, PartialEq)]
pub struct Prompt {
    /// Whether the answer may be a formula in the lesson's names.
    pub formulas: bool,
    /// The names of what the step's formula reads (a gate by the z it is the slope at), each
    /// with whether it can be used now: a gradient only once the learner has answered it. None
    /// for a single entry, which a formula (of whole matrices) does not pick out.
    pub names: Vec<FormulaName>,
    /// The fewest significant digits that, rounded, every entry is accepted at.
    pub digits: Option<usize>,
}

impl Prompt {
    /// The advice in words, "Give at least 4 significant digits; a formula of dL_do, Wo also
    /// works", as every front end shows it under the question; `None` when there is none.
    pub fn advice(&self) -> Option<String> {
        let names: Vec<String> = self
            .names
            .iter()
            .map(|n| if n.usable { n.name.clone() } else { format!("{} (once answered)", n.name) })
            .collect();
        let formula = match (self.formulas, names.is_empty()) {
            (false, _) => Some("this lesson takes numbers, not formulas".to_string()),
            (true, true) => None,
            (true, false) => Some(format!("a formula of {} also works", names.join(", "))),
        };
        let digits = self
            .digits
            .map(|d| format!("Give at least {d} significant digit{}", if d == 1 { "" } else { "s" }));
        match (digits, formula) {
            (Some(digits), Some(formula)) => Some(format!("{digits}; {formula}")),
            (Some(one), None) | (None, Some(one)) => Some(one),
            (None, None) => None,
        }
    }
}

/// `draft` read as an answer to `question`; `None` for a blank box.
pub fn preview(grader: &Grader, earlier: &Earlier, question: &QuantityRef, draft: &str) -> Option<Preview> {
    if draft.trim().is_empty() {
        return None;
    }
    let read = parse(draft).and_then(|parsed| {
        let value = grader.formula_value(question, &parsed, earlier)?;
        Ok(Preview::Value { value, formula: parsed.is_formula() })
    });
    Some(read.unwrap_or_else(Preview::Error))
}

/// How to answer `question` of `step`, whose true value is `expected`.
pub fn prompt(
    grader: &Grader,
    earlier: &Earlier,
    step: &Step,
    question: &QuantityRef,
    expected: &Value,
) -> Prompt {
    let all = grader.formula_names(question, earlier);
    let mut names: Vec<FormulaName> = Vec::new();
    let whole = question.index.is_empty();
    // In the order the formula reads them.
    let formula = step.formula_of(question.quantity).filter(|_| whole);
    for term in formula.map(|f| f.terms()).unwrap_or_default() {
        let name = all.iter().find(|name| stands_for(name, term, question.example));
        if let Some(name) = name.filter(|name| !names.contains(name)) {
            names.push(name.clone());
        }
    }
    Prompt {
        formulas: grader.allows_formulas(),
        names,
        digits: digits_needed(expected, &grader.tolerance(question)),
    }
}

/// Whether `name` is what a formula of example `example`'s step writes for `term`.
fn stands_for(name: &FormulaName, term: Term, example: Option<usize>) -> bool {
    let (term, example) = match term {
        // A gate is typed from its argument: diag(z2 > 0).
        Term::Gate(gate) => (Term::Value(gate.argument), example),
        Term::Example(quantity, n) => (Term::Value(quantity), Some(n)),
        Term::Value(_) | Term::Label | Term::Target => (term, example),
        _ => (term, None),
    };
    name.term == term && name.example == example
}
