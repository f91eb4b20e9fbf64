//! One answer file graded against every question of a lesson: what `check` reports per file.

use super::carry::Earlier;
use super::flat_toml;
use super::grade::{Grade, Grader, Verdict};
use super::language::AnswerError;
use super::language::ParsedAnswer;
use super::shape::{conform, from_entries};
use super::sheet::{Given, Sheet, SheetAnswer, read_sheet};
use super::sorted::SortedMap;
use crate::lesson::Lesson;
use crate::plan::plan;
use crate::quantity::QuantityRef;
use crate::value::{Shape, Value};
use std::borrow::Cow;
use std::collections::BTreeMap;

/// One asked quantity (or entry), worth one point.
#[derive(Debug, Clone, PartialEq)]
pub struct Question {
    /// The step's id: "1", "2A", …
    pub step: String,
    pub asked: QuantityRef,
    /// The key an answer file gives it by, spelled as the lesson names it (`dL_dWo`).
    pub key: String,
}

/// The questions of a lesson: its plan's asks, in order.
pub fn questions(lesson: &Lesson) -> Vec<Question> {
    plan(lesson)
        .into_iter()
        .flat_map(|step| {
            let id = step.id;
            step.asks.into_iter().map(move |asked| Question {
                step: id.clone(),
                key: asked.to_string(),
                asked,
            })
        })
        .collect()
}

/// Whether `questions` ask `reference` itself (a whole, or that one entry).
pub(super) fn asks(questions: &[Question], reference: &QuantityRef) -> bool {
    question_at(questions, reference).is_some()
}

/// The place in `questions` of the one that asks `reference` itself.
pub(super) fn question_at(questions: &[Question], reference: &QuantityRef) -> Option<usize> {
    questions.iter().position(|q| q.asked == *reference)
}

impl Question {
    /// "Step 2A: dL/dh(2)", in ASCII-friendly notes notation (∂ written d), as Gradescope
    /// test names.
    pub fn title(&self) -> String {
        let symbol = self.asked.symbol();
        format!("Step {}: {}", self.step, symbol.replace('∂', "d").replace('ô', "o_hat"))
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Submission {
    /// The answer file, as named on the command line (or found in a folder).
    pub file: String,
    /// The seed of the learner's own variant, from the file's `seed` key.
    pub seed: Option<String>,
    /// Points earned: the sum of the results' credits.
    pub score: f64,
    /// One point per question.
    pub max_score: f64,
    /// Why the file itself could not be read; then every question is missing.
    pub error: Option<String>,
    /// One per question, in order.
    pub results: Vec<Answered>,
    /// Keys that name no quantity, or quantities not asked: reported, not graded.
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Answered {
    pub grade: Grade,
    /// The text as typed, kept only for an invalid answer, to put a caret under the error.
    pub input: Option<String>,
}

/// Grades the answer file `text`, named `file`, on every question.
pub fn grade_sheet(
    grader: &Grader,
    questions: &[Question],
    file: impl Into<String>,
    text: &str,
) -> Submission {
    let (mut answers, seed, mut warnings) = match usual_answers(text, questions) {
        Some(slots) => (Answers::Slots(slots), None, vec![]),
        None => {
            let sheet = match read_sheet(text, grader.lesson().network(), grader.names()) {
                Ok(sheet) => sheet,
                Err(error) => return unreadable(grader, questions, file, error.to_string()),
            };
            let not_asked = not_asked(&sheet, grader);
            let Sheet { answers, unknown: mut warnings, seed } = sheet;
            warnings.extend(not_asked);
            let keyed = Keyed::new(answers, questions);
            warnings.extend(keyed.twice.iter().map(|(key, spellings)| {
                format!("{key} is given twice, as {}: neither is graded", quoted(spellings))
            }));
            (Answers::Keyed(keyed), seed, warnings)
        }
    };
    answers.resolve_formulas(grader, questions);
    // Every answer is found first, so that each one can be graded against all the others.
    let found = answers.find_all(grader, questions);
    // What a file gives of a question it does not answer (a few entries, a whole of another
    // shape) is a warning too, for the formats that print verdicts only (CSV, Canvas).
    warnings.extend(questions.iter().zip(&found).filter_map(|(question, found)| match found {
        Found::Nothing(Some(note)) => Some(format!("{}: {note}", question.asked)),
        _ => None,
    }));
    let earlier = std::cell::OnceCell::new();
    let earlier = || earlier.get_or_init(|| answers.earlier(questions, &found));
    let results: Vec<Answered> = questions
        .iter()
        .zip(&found)
        .map(|(question, found)| {
            let asked = &question.asked;
            match found {
                Found::Value(value) => {
                    Answered { grade: grader.grade_value_with(asked, value, &earlier), input: None }
                }
                Found::Formula(parsed, text) => {
                    let grade = grader.grade_parsed(asked, parsed, earlier());
                    let input = (grade.verdict == Verdict::Invalid).then(|| text.to_string());
                    Answered { grade, input }
                }
                Found::Assembled(Ok(value)) => {
                    Answered { grade: grader.grade_value_with(asked, value, &earlier), input: None }
                }
                Found::Unreadable(error, text) => {
                    Answered { grade: grader.unreadable(error, text.is_some()), input: (*text).clone() }
                }
                Found::Assembled(Err(error)) => {
                    Answered { grade: grader.unreadable(error, false), input: None }
                }
                Found::Nothing(note) => {
                    let mut grade = grader.missing(asked);
                    if let Some(note) = note {
                        grade.message = format!("{} {note}", grade.message).into();
                    }
                    Answered { grade, input: None }
                }
            }
        })
        .collect();
    let score = results.iter().map(|r| r.grade.credit).sum();
    Submission {
        file: file.into(),
        seed,
        score,
        max_score: questions.len() as f64,
        error: None,
        results,
        warnings,
    }
}

/// `'dL_do' and ' dL_do'`.
fn quoted(spellings: &[String]) -> String {
    let quoted: Vec<String> = spellings.iter().map(|s| format!("'{s}'")).collect();
    quoted.join(" and ")
}

/// A file that could not be read: score 0, every question missing.
pub fn unreadable(
    grader: &Grader,
    questions: &[Question],
    file: impl Into<String>,
    error: String,
) -> Submission {
    let results = questions
        .iter()
        .map(|q| {
            let mut grade = grader.missing(&q.asked);
            grade.message = "Not graded: the answer file could not be read.".into();
            Answered { grade, input: None }
        })
        .collect();
    Submission {
        file: file.into(),
        seed: None,
        score: 0.0,
        max_score: questions.len() as f64,
        error: Some(error),
        results,
        warnings: vec![],
    }
}

/// A file's answers, moved out of the sheet rather than copied.
enum Answers {
    /// The usual file: plain values, each for a question of a lesson that asks whole
    /// quantities only, under the key the lesson names it by, each question once and nothing
    /// else. Read from the text straight into one slot per question, so that no key is parsed
    /// or sorted and finding an answer compares none (issue 16).
    Slots(Vec<Option<Value>>),
    /// Any other file: entries, formulas, unreadable values, keys given twice or not asked.
    Keyed(Keyed),
}

impl Answers {
    fn resolve_formulas(&mut self, grader: &Grader, questions: &[Question]) {
        if let Answers::Keyed(keyed) = self {
            keyed.resolve_formulas(grader, questions);
        }
    }

    /// What the file gives for each question.
    fn find_all(&self, grader: &Grader, questions: &[Question]) -> Vec<Found<'_>> {
        match self {
            Answers::Slots(slots) => {
                slots.iter().map(|slot| slot.as_ref().map_or(Found::Nothing(None), Found::Value)).collect()
            }
            Answers::Keyed(keyed) => keyed.find_all(grader, questions),
        }
    }

    /// The learner's answers that may feed a carry or a formula: every question's value.
    fn earlier<'g>(&'g self, questions: &'g [Question], found: &'g [Found]) -> Earlier<'g> {
        match self {
            Answers::Slots(_) => earlier(questions, found, |_| None),
            Answers::Keyed(keyed) => keyed.earlier(questions, found),
        }
    }
}

/// A usual file's answers (see [`Answers::Slots`]), read straight from its text: for a lesson
/// that asks whole quantities only, when the reader of plain files finds nothing else in it.
fn usual_answers(text: &str, questions: &[Question]) -> Option<Vec<Option<Value>>> {
    if questions.iter().any(|q| !q.asked.index.is_empty()) {
        return None;
    }
    flat_toml::read_values(text, questions.len(), |key| questions.iter().position(|q| q.key == key))
}

/// The learner's answers that `found` gives, each formula's by its value (`formula_value`),
/// as the [`Earlier`] answers a carry or a formula may use.
fn earlier<'g>(
    questions: &'g [Question],
    found: &'g [Found],
    formula_value: impl Fn(&QuantityRef) -> Option<&'g Value>,
) -> Earlier<'g> {
    Earlier::in_order(
        questions,
        questions.iter().zip(found).map(|(question, found)| {
            let value = match found {
                Found::Formula(..) => formula_value(&question.asked),
                other => other.value(),
            };
            value.map(Cow::Borrowed)
        }),
    )
}

/// A file's answers by key.
struct Keyed {
    /// The well-formed answers, formulas included once their value is known.
    readable: SortedMap<QuantityRef, Value>,
    /// The answers written as formulas, with their text.
    formulas: SortedMap<QuantityRef, (ParsedAnswer, String)>,
    /// The answers that cannot be read, with their text when it was a string.
    unreadable: SortedMap<QuantityRef, (AnswerError, Option<String>)>,
    /// Keys given under two or more spellings (`dL_do`, `" dL_do"`), with those spellings:
    /// which one was meant cannot be known, so none is graded.
    twice: BTreeMap<QuantityRef, Vec<String>>,
}

impl Keyed {
    /// Sorts a sheet's answers to `questions`. A value given twice, under two spellings of one
    /// key or as a whole and by an entry of it where only one of them is asked (`dL_do` and
    /// `"dL_do[3]"` where Step 1 asks all of ∂L/∂o), is no silent choice: it is not graded
    /// (DESIGN.md §5.3).
    fn new(sheet: Vec<SheetAnswer>, questions: &[Question]) -> Self {
        // The keys with their spellings, grouped by key in the file's order: borrowed, as
        // most files spell every key once, and then nothing here is kept.
        let mut keys: Vec<(&QuantityRef, &str)> =
            sheet.iter().map(|a| (&a.key, a.spelling.as_ref())).collect();
        keys.sort_by(|a, b| a.0.cmp(b.0));
        let spellings = |key: &QuantityRef| {
            let start = keys.partition_point(|(k, _)| *k < key);
            let end = start + keys[start..].partition_point(|(k, _)| *k == key);
            keys[start..end].iter().map(|(_, spelling)| *spelling)
        };
        let is_asked = |r: &QuantityRef| asks(questions, r);
        let mut twice: BTreeMap<QuantityRef, Vec<String>> = BTreeMap::new();
        for group in keys.chunk_by(|a, b| a.0 == b.0) {
            let key = group[0].0;
            if let Some(target) = answered_whole_and_entry(key, is_asked, |r| spellings(r).next().is_some()) {
                let both = twice.entry(target).or_default();
                for spelling in spellings(&key.whole()).chain(spellings(key)) {
                    if !both.iter().any(|s| s == spelling) {
                        both.push(spelling.to_string());
                    }
                }
            }
            if group.len() > 1 {
                twice
                    .entry(key.clone())
                    .or_insert_with(|| group.iter().map(|(_, s)| s.to_string()).collect());
            }
        }
        // Most answers are readable values: one allocation holds them all.
        let (mut readable, mut formulas, mut unreadable) = (Vec::with_capacity(sheet.len()), vec![], vec![]);
        for SheetAnswer { key, text, value, .. } in sheet {
            if twice.contains_key(&key) {
                continue;
            }
            match value {
                Ok(Given::Value(value)) => readable.push((key, value)),
                Ok(Given::Formula(parsed)) => formulas.push((key, (parsed, text.unwrap_or_default()))),
                Err(error) => unreadable.push((key, (error, text))),
            }
        }
        Keyed {
            readable: SortedMap::from_pairs(readable),
            formulas: SortedMap::from_pairs(formulas),
            unreadable: SortedMap::from_pairs(unreadable),
            twice,
        }
    }
}

/// For an entry key given beside its whole quantity, the one of the two that is asked, which
/// is then answered twice; `None` for a whole key, or when not exactly one of them is asked.
fn answered_whole_and_entry(
    key: &QuantityRef,
    is_asked: impl Fn(&QuantityRef) -> bool,
    is_given: impl Fn(&QuantityRef) -> bool,
) -> Option<QuantityRef> {
    if key.index.is_empty() {
        return None;
    }
    let whole = key.whole();
    if !is_given(&whole) {
        return None;
    }
    match (is_asked(&whole), is_asked(key)) {
        (true, false) => Some(whole),
        (false, true) => Some(key.clone()),
        _ => None,
    }
}

enum Found<'a> {
    /// The key itself, readable.
    Value(&'a Value),
    /// The key itself, written as a formula (with its text).
    Formula(&'a ParsedAnswer, &'a String),
    /// The key itself, unreadable.
    Unreadable(&'a AnswerError, &'a Option<String>),
    /// Built from other keys: every entry of an asked quantity, or the entry of an asked
    /// entry taken from the whole quantity.
    Assembled(Result<Value, AnswerError>),
    /// No answer, with a note on what the file has instead.
    Nothing(Option<String>),
}

impl Found<'_> {
    /// The answer's value, when it has one.
    fn value(&self) -> Option<&Value> {
        match self {
            Found::Value(value) => Some(value),
            Found::Assembled(Ok(value)) => Some(value),
            _ => None,
        }
    }
}

impl Keyed {
    /// The learner's answers that may feed a carry or a formula: every question's value.
    fn earlier<'g>(&'g self, questions: &'g [Question], found: &'g [Found]) -> Earlier<'g> {
        earlier(questions, found, |asked| self.readable.get(asked))
    }

    fn find_all(&self, grader: &Grader, questions: &[Question]) -> Vec<Found<'_>> {
        questions.iter().map(|q| self.find(grader, &q.asked)).collect()
    }

    /// Gives each formula its value from the file's other answers, in as many rounds as the
    /// formulas lean on each other (`dL_dh2 = "dL_do * Wo"` needs `dL_do` first). A formula
    /// that cannot be evaluated keeps no value and is graded invalid, with the reason.
    fn resolve_formulas(&mut self, grader: &Grader, questions: &[Question]) {
        while self.formulas.keys().any(|key| !self.readable.contains_key(key)) {
            let found = self.find_all(grader, questions);
            let earlier = self.earlier(questions, &found);
            let resolved: Vec<(QuantityRef, Value)> = self
                .formulas
                .iter()
                .filter(|(key, _)| !self.readable.contains_key(key))
                .filter_map(|(key, (parsed, _))| {
                    Some((key.clone(), grader.formula_value(key, parsed, &earlier).ok()?))
                })
                .collect();
            if resolved.is_empty() {
                // An entry no question asks by itself is read only into its whole: a formula
                // there that cannot be evaluated is that entry's error, which the whole's
                // result reports, never a silent gap.
                let failed: Vec<(QuantityRef, AnswerError)> = self
                    .formulas
                    .iter()
                    .filter(|(key, _)| {
                        !key.index.is_empty() && !self.readable.contains_key(key) && !asks(questions, key)
                    })
                    .filter_map(|(key, (parsed, _))| {
                        Some((key.clone(), grader.formula_value(key, parsed, &earlier).err()?))
                    })
                    .collect();
                drop(earlier);
                drop(found);
                // Both in key order, and the same keys.
                let failed = SortedMap::from_pairs(failed);
                let moved = self.formulas.take_where(|key, _| failed.contains_key(key));
                self.unreadable.extend(
                    moved
                        .into_iter()
                        .zip(failed.iter())
                        .map(|((key, (_, text)), (_, error))| (key, (error.clone(), Some(text))))
                        .collect(),
                );
                return;
            }
            drop(earlier);
            drop(found);
            self.readable.extend(resolved);
        }
    }

    /// The error of a key given under several spellings, when `key` is one.
    fn given_twice(&self, key: &QuantityRef) -> Option<AnswerError> {
        let spellings = self.twice.get(key)?;
        let message = format!("{key} is given twice, as {}: keep one", quoted(spellings));
        Some(AnswerError { message, column: 0 })
    }

    fn find(&self, grader: &Grader, asked: &QuantityRef) -> Found<'_> {
        if let Some(error) = self.given_twice(asked) {
            return Found::Assembled(Err(error));
        }
        if let Some((parsed, text)) = self.formulas.get(asked) {
            return Found::Formula(parsed, text);
        }
        if let Some(value) = self.readable.get(asked) {
            return Found::Value(value);
        }
        if let Some((error, text)) = self.unreadable.get(asked) {
            return Found::Unreadable(error, text);
        }
        let shape = grader.lesson().network().shape(asked.quantity);
        let whole = asked.whole();
        if !asked.index.is_empty() {
            // An entry asked, the whole quantity given: grade that entry of it.
            if let Some(error) = self.given_twice(&whole) {
                return Found::Assembled(Err(error));
            }
            if let Some((error, _)) = self.unreadable.get(&whole) {
                return Found::Assembled(Err(error.clone()));
            }
            let Some(value) = self.readable.get(&whole) else { return Found::Nothing(None) };
            return match conform(value, shape).and_then(|v| v.entry(&asked.index)) {
                Some(entry) => Found::Assembled(Ok(Value::Scalar(entry))),
                None => Found::Nothing(Some(format!(
                    "The file gives {whole} as {}, but it is {shape}.",
                    value.shape()
                ))),
            };
        }
        // The whole quantity asked, given entry by entry: graded only when every entry is
        // there, so that a problem with one entry (given twice, unreadable) is that entry's
        // alone until the entries make up the whole.
        // The three maps hold each key at most once between them, and only entries of the
        // quantity's shape: counted by range, without walking a shape of a million entries.
        let entries_in = |keys: &mut dyn Iterator<Item = &QuantityRef>| {
            keys.take_while(|r| r.same_name(asked)).filter(|r| !r.index.is_empty()).count()
        };
        let count = entries_in(&mut self.readable.starting_at(&whole).map(|(r, _)| r))
            + entries_in(&mut self.unreadable.starting_at(&whole).map(|(r, _)| r))
            + entries_in(&mut self.twice.range(&whole..).map(|(r, _)| r));
        if count == 0 {
            return Found::Nothing(None);
        }
        let all = shape.indices();
        let entry = |index: &Vec<usize>| QuantityRef { index: index.clone(), ..whole.clone() };
        if count < all.len() {
            return Found::Nothing(Some(format!(
                "The file gives {count} of its {} entries: give every entry, or the whole {whole}.",
                all.len()
            )));
        }
        if let Some(error) = all.iter().map(entry).find_map(|r| self.given_twice(&r)) {
            return Found::Assembled(Err(error));
        }
        if let Some((key, (error, _))) = all.iter().map(entry).find_map(|r| self.unreadable.get_key_value(&r))
        {
            return Found::Assembled(Err(AnswerError { message: format!("{key}: {error}"), column: 0 }));
        }
        let given: Vec<Option<&Value>> = all.iter().map(|index| self.readable.get(&entry(index))).collect();
        let mut entries = Vec::with_capacity(all.len());
        for (index, value) in all.into_iter().zip(given.into_iter().flatten()) {
            match conform(value, Shape::Scalar) {
                Some(v) => entries.push(v.entries()[0]),
                None => {
                    let key = QuantityRef { index, ..asked.whole() };
                    let message = format!("{key} is {}, not one number", value.shape());
                    return Found::Assembled(Err(AnswerError { message, column: 0 }));
                }
            }
        }
        Found::Assembled(Ok(from_entries(shape, &entries)))
    }
}

/// Warnings for answers that no question grades: to quantities no question asks, and to
/// single entries asked neither themselves nor as part of an asked whole (whose result says
/// what became of them: too few to grade, or given beside the whole). A quantity is named
/// with its example (`dL_do#2`): another example's is another quantity.
fn not_asked(sheet: &Sheet, grader: &Grader) -> Vec<String> {
    let graded = |key: &QuantityRef| {
        if key.index.is_empty() {
            return grader.asks_of(key);
        }
        // An entry of an asked whole is its answer's business: that result says when the
        // entries are too few to grade, or given beside the whole.
        asks(&grader.questions, key) || asks(&grader.questions, &key.whole())
    };
    sheet
        .answers
        .iter()
        .filter(|a| !graded(&a.key))
        .map(|a| format!("'{}' is not asked in this lesson, so it is not graded", a.key))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lesson::load_lesson;

    /// Which files take the way of the usual file: the property test in tests/grade_sheet.rs
    /// holds both ways to the same grades, and this, that both are taken.
    #[test]
    fn only_plain_values_under_the_lessons_own_keys_are_read_straight_into_slots() {
        let lesson = load_lesson("notes-example").unwrap();
        let questions = questions(&lesson);
        let usual =
            "# a comment\ndL_do = [0.09, 0.67, -0.76]\n\"dL_dWo\" = [[1, 2], [3, 4], [5, 6]]\ndL_dh1 = 2\n";
        let slots = usual_answers(usual, &questions).expect("a usual file");
        assert_eq!(slots.iter().filter(|slot| slot.is_some()).count(), 3);
        assert_eq!(
            slots[questions.iter().position(|q| q.key == "dL_dh1").unwrap()],
            Some(Value::Scalar(2.0))
        );
        for other in [
            "seed = \"s1\"\ndL_do = [1, 2, 3]",
            "dL_do = [1, 2, 3]\nz2 = [1, 2]",
            "dL_do = \"[1, 2, 3]\"",
            "\" dL_do\" = [1, 2, 3]",
            "\"dL_do[1]\" = 1",
            "dL_do = [1, 2, 3]\ndL_do = [1, 2, 3]",
            "dL_do = [[1, 2], [3]]",
            "dL_do = [1, 2, 3]\n[table]",
        ] {
            assert_eq!(usual_answers(other, &questions), None, "{other:?}");
        }
    }
}
