//! `check --format canvas --roster FILE --assignment "Title (id)"`: a gradebook CSV that
//! Canvas's importer takes. Its header starts `Student,ID`, which the importer requires, then
//! `SIS Login ID,Section` and the assignment's column (a title ending in ` (id)` is matched to
//! that assignment; any other makes a new one); a `Points Possible` row; then one row per
//! roster student, in the roster's order, blank where nothing was submitted (a blank cell
//! leaves the gradebook as it is).
//!
//! A submission is matched by its file's name without `.toml`, or its seed, against a
//! student's `ID` or `SIS Login ID`. One that matches nobody, or whose name and seed name two
//! different students (a file may claim another's seed), is reported, never guessed; with
//! `--format json --roster` the summary lists them too. Two submissions for one student: the
//! higher score counts, and stderr names both.

use super::csv::push_record;
use super::exercise::stem;
use super::points;
use super::roster::{Roster, Student};
use serde::Serialize;
use std::borrow::Cow;
use std::path::Path;

/// Scores as they accumulate, one cell per roster student.
#[derive(Debug)]
pub(crate) struct Gradebook {
    roster: Roster,
    /// The assignment's column title, for `--format canvas`.
    assignment: String,
    /// Per student, the best score so far and its file.
    scores: Vec<Option<(f64, String)>>,
    unmatched: Vec<Unmatched>,
}

#[derive(Debug, Serialize)]
pub(super) struct Unmatched {
    file: String,
    seed: Option<String>,
    why: String,
}

/// The roster's side of `--format json --roster`.
#[derive(Serialize)]
pub(crate) struct RosterJson<'a> {
    students: usize,
    /// Students with a submission.
    submitted: usize,
    /// Students without one, by name.
    without_submission: Vec<&'a str>,
    /// Submissions that match no student, or two.
    unmatched: &'a [Unmatched],
}

/// Canvas's title of an assignment column: `Title (id)`.
fn has_canvas_id(title: &str) -> bool {
    title.strip_suffix(')').and_then(|rest| rest.rsplit_once(" (")).is_some_and(|(name, id)| {
        !name.is_empty() && !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit())
    })
}

/// Canvas drops a column whose title holds one of these (they are its computed totals).
const TOTALS: [&str; 9] = [
    "Current Score",
    "Current Points",
    "Current Grade",
    "Final Score",
    "Final Points",
    "Final Grade",
    "Override Score",
    "Override Grade",
    "Override Status",
];

/// Why Canvas would not import the assignment's column as meant, if it would not.
pub(super) fn assignment_problem(title: &str) -> Option<String> {
    if title.trim().is_empty() {
        return Some("--assignment is empty: give the assignment's title as Canvas shows it, e.g. \"Backprop 1 (12345)\"".into());
    }
    if let Some(total) = TOTALS.iter().find(|total| title.contains(*total)) {
        return Some(format!("--assignment {title:?}: Canvas drops a column whose title holds {total:?}"));
    }
    None
}

/// A note for an assignment that names no Canvas id: the importer will offer to make it.
pub(super) fn assignment_note(title: &str) -> Option<String> {
    (!has_canvas_id(title)).then(|| {
        format!(
            "note: --assignment {title:?} ends in no \" (id)\": Canvas will match it by title or offer to \
             create a new assignment (its id is in the gradebook's export, as \"Title (12345)\")"
        )
    })
}

impl Gradebook {
    pub(crate) fn new(roster: Roster, assignment: String) -> Self {
        let scores = vec![None; roster.students.len()];
        Gradebook { roster, assignment, scores, unmatched: Vec::new() }
    }

    /// Records a graded submission; returns what stderr should say about it.
    pub(crate) fn add(&mut self, file: &str, seed: Option<&str>, score: f64) -> Option<String> {
        let student = match self.student_of(file, seed) {
            Ok(student) => student,
            Err(why) => {
                let note = format!("note: {file}: {why}; it is in no row of the gradebook");
                self.unmatched.push(Unmatched {
                    file: file.to_string(),
                    seed: seed.map(str::to_string),
                    why,
                });
                return Some(note);
            }
        };
        let name = &self.roster.students[student].name;
        match &mut self.scores[student] {
            slot @ None => {
                *slot = Some((score, file.to_string()));
                None
            }
            Some((best, kept)) => {
                let note = format!(
                    "note: {name} has two submissions, {kept} ({}) and {file} ({}): the higher score counts",
                    points(*best),
                    points(score)
                );
                if score > *best {
                    *best = score;
                    *kept = file.to_string();
                }
                Some(note)
            }
        }
    }

    /// The student a submission is for: by its file's name, or its seed.
    fn student_of(&self, file: &str, seed: Option<&str>) -> Result<usize, String> {
        let by_name = stem(Path::new(file)).ok().flatten().and_then(|stem| self.roster.find_file(&stem));
        let by_seed = seed.and_then(|seed| self.roster.find(seed));
        match (by_name, by_seed) {
            (Some(named), Some(seeded)) if named != seeded => Err(format!(
                "its name is {}'s but its seed is {}'s, so whose it is cannot be told",
                self.describe(named),
                self.describe(seeded)
            )),
            (Some(student), _) | (None, Some(student)) => Ok(student),
            (None, None) => Err("its name and seed match no ID or SIS Login ID of the roster".to_string()),
        }
    }

    fn describe(&self, student: usize) -> String {
        let s = &self.roster.students[student];
        let id = if s.sis_login.trim().is_empty() { &s.id } else { &s.sis_login };
        format!("{} ({})", s.name, id.trim())
    }

    /// The gradebook CSV, records ending in CRLF as RFC 4180 says.
    pub(crate) fn canvas(&self, max_score: f64) -> String {
        let mut out = String::new();
        let header = ["Student", "ID", "SIS Login ID", "Section", &self.assignment];
        push_record(&mut out, header.into_iter().map(Cow::Borrowed));
        let points_possible = ["Points Possible", "", "", ""].into_iter().map(Cow::Borrowed);
        push_record(&mut out, points_possible.chain([Cow::Owned(points(max_score).to_string())]));
        for (student, score) in self.roster.students.iter().zip(&self.scores) {
            let Student { name, id, sis_login, section } = student;
            let identity = [name, id, sis_login, section].into_iter().map(|s| Cow::Borrowed(s.as_str()));
            let score = score.as_ref().map_or(String::new(), |(score, _)| points(*score).to_string());
            push_record(&mut out, identity.chain([Cow::Owned(score)]));
        }
        out
    }

    /// A closing note for stderr: how many were left out.
    pub(crate) fn closing_note(&self) -> Option<String> {
        let submitted = self.scores.iter().flatten().count();
        let without = self.roster.students.len() - submitted;
        let mut parts = Vec::new();
        if !self.unmatched.is_empty() {
            parts.push(format!(
                "{} submission(s) match no single student (named above)",
                self.unmatched.len()
            ));
        }
        if without > 0 {
            parts.push(format!(
                "{without} of {} students have no submission (blank)",
                self.roster.students.len()
            ));
        }
        (!parts.is_empty()).then(|| format!("note: {}", parts.join("; ")))
    }

    pub(crate) fn json(&self) -> RosterJson<'_> {
        let without_submission = self
            .roster
            .students
            .iter()
            .zip(&self.scores)
            .filter(|(_, score)| score.is_none())
            .map(|(student, _)| student.name.as_str())
            .collect();
        RosterJson {
            students: self.roster.students.len(),
            submitted: self.scores.iter().flatten().count(),
            without_submission,
            unmatched: &self.unmatched,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{assignment_problem, has_canvas_id};

    #[test]
    fn canvas_ids_end_the_title_in_parentheses() {
        assert!(has_canvas_id("Backprop 1 (12345)"));
        assert!(has_canvas_id("Quiz (draft) (7)"));
        assert!(!has_canvas_id("Backprop 1"));
        assert!(!has_canvas_id("Backprop (one)"));
        assert!(!has_canvas_id("(12)"));
        assert!(!has_canvas_id("Backprop ()"));
    }

    #[test]
    fn titles_canvas_would_drop_are_refused() {
        assert!(assignment_problem("Final Score (3)").is_some());
        assert!(assignment_problem("  ").is_some());
        assert!(assignment_problem("Backprop 1 (12345)").is_none());
    }
}
