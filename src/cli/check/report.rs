//! `check --report`: what a class got wrong, for the course staff before the next section.
//! Per asked quantity, how many answers had each verdict and each diagnosis, and their share
//! of the graded submissions; then the three diagnoses that most students made, each with the
//! notes' equation that fixes it where it was made. Counted as the results are written, so it
//! costs a few counters per question whatever the size of the class.

use super::Report;
use crate::answer::{Submission, Verdict};
use crate::diagnosis::DiagnosisId;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write;
use strum::{EnumMessage, IntoEnumIterator};

/// How many diagnoses the report names as the class's most common.
const MOST_COMMON: usize = 3;
/// The width of a bar at a share of 1.
const BAR_WIDTH: usize = 20;

/// One answer, as the report counts it.
pub(super) type Outcome = (Verdict, Option<DiagnosisId>);

/// The outcomes of a submission, or `None` for one that could not be graded.
pub(super) fn outcomes(submission: &Submission) -> Option<Vec<Outcome>> {
    submission.error.is_none().then(|| {
        submission
            .results
            .iter()
            .map(|r| (r.grade.verdict, r.grade.diagnosis.as_ref().map(|d| d.id)))
            .collect()
    })
}

/// The counts over the submissions seen so far.
#[derive(Debug, Clone)]
pub(crate) struct ClassReport {
    /// Submissions graded: the denominator of every share.
    graded: usize,
    /// Submissions whose file could not be graded, left out of the shares.
    not_graded: usize,
    /// One per question, in order.
    questions: Vec<Counts>,
    /// How many graded submissions made each diagnosis at least once.
    students: BTreeMap<DiagnosisId, usize>,
}

#[derive(Debug, Clone, Default)]
struct Counts {
    verdicts: HashMap<Verdict, usize>,
    diagnoses: BTreeMap<DiagnosisId, usize>,
}

impl ClassReport {
    pub(crate) fn new(questions: usize) -> Self {
        ClassReport {
            graded: 0,
            not_graded: 0,
            questions: vec![Counts::default(); questions],
            students: BTreeMap::new(),
        }
    }

    /// Counts one submission (`None`: not graded).
    pub(crate) fn add(&mut self, outcomes: Option<&[Outcome]>) {
        let Some(outcomes) = outcomes else {
            self.not_graded += 1;
            return;
        };
        self.graded += 1;
        let mut made = BTreeSet::new();
        for (counts, &(verdict, diagnosis)) in self.questions.iter_mut().zip(outcomes) {
            *counts.verdicts.entry(verdict).or_default() += 1;
            if let Some(id) = diagnosis {
                *counts.diagnoses.entry(id).or_default() += 1;
                made.insert(id);
            }
        }
        for id in made {
            *self.students.entry(id).or_default() += 1;
        }
    }

    /// The share of the graded submissions that `count` is, `None` before any.
    fn share(&self, count: usize) -> Option<f64> {
        (self.graded > 0).then(|| (count as f64 / self.graded as f64 * 1e4).round() / 1e4)
    }

    /// The most common diagnoses, by how many students made them (ties in the ids' order).
    fn most_common(&self) -> Vec<(DiagnosisId, usize)> {
        let mut ranked: Vec<(DiagnosisId, usize)> = self.students.iter().map(|(&id, &n)| (id, n)).collect();
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        ranked.truncate(MOST_COMMON);
        ranked
    }

    /// Where a diagnosis was made: each question's index and count, most first.
    fn places(&self, id: DiagnosisId) -> Vec<(usize, usize)> {
        let mut places: Vec<(usize, usize)> = self
            .questions
            .iter()
            .enumerate()
            .filter_map(|(i, counts)| counts.diagnoses.get(&id).map(|&n| (i, n)))
            .collect();
        places.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        places
    }

    /// The report as a table, a bar per share.
    pub(crate) fn text(&self, report: &Report) -> String {
        let questions = report.questions;
        let mut out = String::new();
        let unread = match self.not_graded {
            0 => String::new(),
            n => format!(" ({n} not graded, left out)"),
        };
        let _ = writeln!(out, "Class report: {} submissions graded{unread}", self.graded);
        if self.graded == 0 {
            return out;
        }
        let step_width = questions.iter().map(|q| q.step.chars().count()).max().unwrap_or(0);
        let name_width = questions.iter().map(|q| q.key.chars().count()).max().unwrap_or(0);
        let label_width = self
            .questions
            .iter()
            .flat_map(|c| c.diagnoses.keys().map(|id| id.name().len() + 2))
            .chain(Verdict::iter().map(|v| v.word().len()))
            .max()
            .unwrap_or(0);
        let count_width = self.graded.to_string().len();
        let row = |out: &mut String, lead: &str, label: &str, count: usize| {
            let share = self.share(count).unwrap_or(0.0);
            let percent = format!("{:.0}%", share * 100.0);
            let line =
                format!("{lead}  {label:<label_width$}  {count:>count_width$}  {percent:>4}  {}", bar(share));
            let _ = writeln!(out, "{}", line.trim_end());
        };
        for (question, counts) in questions.iter().zip(&self.questions) {
            let _ = writeln!(out);
            let mut lead = format!("Step {:<step_width$}  {:<name_width$}", question.step, question.key);
            for verdict in Verdict::iter() {
                row(&mut out, &lead, verdict.word(), counts.verdicts.get(&verdict).copied().unwrap_or(0));
                lead = " ".repeat(lead.chars().count());
                if verdict == Verdict::Incorrect {
                    for (id, &count) in &counts.diagnoses {
                        row(&mut out, &lead, &format!("  {id}"), count);
                    }
                }
            }
        }
        let common = self.most_common();
        if common.is_empty() {
            let _ = writeln!(out, "\nNo answer matched a known mistake.");
            return out;
        }
        let _ = writeln!(out, "\nMost common mistakes (what to reteach):");
        for (rank, (id, students)) in common.into_iter().enumerate() {
            let share = self.share(students).unwrap_or(0.0);
            let places: Vec<String> = self
                .places(id)
                .into_iter()
                .map(|(i, n)| {
                    let q = &questions[i];
                    format!("Step {} {} ×{n}, see Eq. {}", q.step, q.asked, report.equations[i])
                })
                .collect();
            let _ = writeln!(
                out,
                "  {}. {id}: {students} of {} students ({:.0}%): {}",
                rank + 1,
                self.graded,
                share * 100.0,
                places.join("; ")
            );
            if let Some(what) = id.get_documentation() {
                let _ = writeln!(out, "     {what}");
            }
        }
        out
    }

    /// The report as JSON: the summary's `questions` and `most_common_diagnoses`.
    pub(crate) fn json(&self, report: &Report) -> ReportJson {
        let tally = |count: usize| Share { count, share: self.share(count) };
        let questions = report
            .questions
            .iter()
            .zip(&self.questions)
            .map(|(question, counts)| QuestionJson {
                quantity: question.key.clone(),
                step: question.step.clone(),
                verdicts: Verdict::iter()
                    .map(|v| (v.word(), tally(counts.verdicts.get(&v).copied().unwrap_or(0))))
                    .collect(),
                diagnoses: counts.diagnoses.iter().map(|(id, &n)| (id.name(), tally(n))).collect(),
            })
            .collect();
        let most_common = self
            .most_common()
            .into_iter()
            .map(|(id, students)| CommonJson {
                diagnosis: id.name(),
                description: id.get_documentation().unwrap_or_default(),
                students,
                share: self.share(students),
                answers: self.places(id).iter().map(|&(_, n)| n).sum(),
                r#where: self
                    .places(id)
                    .into_iter()
                    .map(|(i, count)| {
                        let question = &report.questions[i];
                        PlaceJson {
                            quantity: question.key.clone(),
                            step: question.step.clone(),
                            count,
                            equation: report.equations[i],
                        }
                    })
                    .collect(),
            })
            .collect();
        ReportJson { graded: self.graded, questions, most_common_diagnoses: most_common }
    }
}

/// A bar of `share × BAR_WIDTH` cells, in eighths of a cell.
fn bar(share: f64) -> String {
    const EIGHTHS: [char; 8] = ['▏', '▎', '▍', '▌', '▋', '▊', '▉', '█'];
    let eighths = (share.clamp(0.0, 1.0) * (BAR_WIDTH * 8) as f64).round() as usize;
    let mut bar = "█".repeat(eighths / 8);
    if let Some(part) = (eighths % 8).checked_sub(1) {
        bar.push(EIGHTHS[part]);
    }
    bar
}

#[derive(Serialize)]
pub(crate) struct ReportJson {
    /// Submissions graded: what every share is of.
    graded: usize,
    questions: Vec<QuestionJson>,
    most_common_diagnoses: Vec<CommonJson>,
}

#[derive(Serialize)]
struct Share {
    count: usize,
    /// Of the graded submissions; null before any.
    share: Option<f64>,
}

#[derive(Serialize)]
struct QuestionJson {
    quantity: String,
    step: String,
    /// Every verdict, zero counts included.
    verdicts: BTreeMap<&'static str, Share>,
    /// The diagnoses made here.
    diagnoses: BTreeMap<&'static str, Share>,
}

#[derive(Serialize)]
struct CommonJson {
    diagnosis: &'static str,
    description: &'static str,
    /// Graded submissions that made it at least once, and their share.
    students: usize,
    share: Option<f64>,
    /// Answers diagnosed with it, over every question.
    answers: usize,
    /// The questions where it was made, most first, each with the equation that fixes it.
    r#where: Vec<PlaceJson>,
}

#[derive(Serialize)]
struct PlaceJson {
    quantity: String,
    step: String,
    count: usize,
    equation: &'static str,
}

#[cfg(test)]
mod tests {
    use super::bar;

    #[test]
    fn bars_grow_in_eighths() {
        assert_eq!(bar(0.0), "");
        assert_eq!(bar(1.0), "█".repeat(20));
        assert_eq!(bar(0.5), "█".repeat(10));
        assert_eq!(bar(0.05), "█");
        assert_eq!(bar(1.0 / 160.0), "▏", "an eighth of a cell");
        assert_eq!(bar(0.025), "▌", "half a cell");
        assert_eq!(bar(2.0), "█".repeat(20), "clamped");
    }
}
