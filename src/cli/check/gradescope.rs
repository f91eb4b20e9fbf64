//! `check --format gradescope`: Gradescope's autograder `results.json` for one submission, one
//! test per question ("Step 2A: dL/dh(2)", numbered by its step).
//!
//! Gradescope fails the whole run when `run_autograder` writes no valid results.json, and the
//! student then sees an error instead of a score. So this always prints one: a submission that
//! is missing, empty, binary or too large, or a folder with no answer file or several, scores 0
//! with the reason in `output` (exit 1); a lesson that cannot be loaded scores 0 with a note
//! for the course staff (exit 2). Every text is marked `output_format: "text"`, since
//! Gradescope renders the top-level `output` as HTML by default, and a student's text must
//! not become markup.

use super::{CheckArgs, Visibility, few, for_terminal, points, problems};
use crate::answer::batch::{ListError, grade_file, list_answers};
use crate::answer::submission::unreadable;
use crate::answer::{GradeOptions, Grader, Question, Submission, questions};
use crate::cli::{exit, print};
use crate::engine::Solution;
use crate::lesson::{Lesson, load_lesson};
use serde::Serialize;
use std::path::{Path, PathBuf};

#[derive(Serialize)]
struct ResultsJson {
    score: f64,
    /// Above the tests: the score, why the file was not graded, what was not graded.
    output: String,
    output_format: &'static str,
    visibility: Visibility,
    extra_data: ExtraData,
    tests: Vec<TestJson>,
}

/// What course staff may want to find in Gradescope's export: which lesson graded it.
#[derive(Serialize)]
struct ExtraData {
    lesson: Option<String>,
    /// The lesson's fingerprint (a hash of its text) in hex: the lesson file changed if it
    /// differs between two submissions.
    fingerprint: Option<String>,
    seed: Option<String>,
}

#[derive(Serialize)]
struct TestJson {
    name: String,
    /// The step's id ("2A"): Gradescope shows it before the name.
    number: String,
    score: f64,
    max_score: f64,
    status: &'static str,
    output: String,
    output_format: &'static str,
    /// The diagnosis's id, if any.
    tags: Vec<&'static str>,
}

const TEXT: &str = "text";

pub fn run(args: &CheckArgs) -> u8 {
    let visibility = args.visibility.unwrap_or_default();
    let lesson = match load_lesson(&args.lesson) {
        Ok(lesson) => lesson,
        Err(error) => {
            eprintln!("{error}");
            print(&broken_lesson(visibility));
            return exit::BAD_INPUT;
        }
    };
    let solution = Solution::new(lesson.network());
    let options =
        GradeOptions { rtol: args.rtol, atol: args.atol, strict: args.strict, no_formulas: args.no_formulas };
    let grader = Grader::new(&lesson, &solution, options);
    let questions = questions(&lesson);
    let submission = match the_answer_file(&args.answers) {
        Ok(path) => grade_file(&grader, &questions, &path),
        Err(why) => unreadable(&grader, &questions, &label(&args.answers), why.to_string()),
    };
    eprint!("{}", for_terminal(problems(&submission)));
    print(&render(&lesson, &questions, &submission, visibility));
    if super::full_marks(&submission) { exit::OK } else { exit::FINDINGS }
}

/// Why the paths do not name exactly one answer file.
#[derive(Debug, thiserror::Error)]
enum NotOne {
    #[error("the submission cannot be read: {0}")]
    Unlistable(ListError),
    #[error("the submission holds no answer file (a file whose name ends in .toml){}", holding(.0, *.1))]
    None(Vec<String>, usize),
    #[error(
        "the submission holds {} answer files ({}); submit exactly one",
        .0.len(),
        few(.0.iter().map(|p| file_name(p)), .0.len())
    )]
    Several(Vec<PathBuf>),
}

/// The one answer file the paths name: one file, or a folder whose one `*.toml` entry it is
/// (other entries are not answer files and do not count).
fn the_answer_file(paths: &[PathBuf]) -> Result<PathBuf, NotOne> {
    let mut listing = list_answers(paths).map_err(NotOne::Unlistable)?;
    match listing.files.len() {
        1 => Ok(listing.files.remove(0)),
        0 => {
            let examples = listing.skipped.iter().flat_map(|s| s.examples.iter().cloned()).collect();
            Err(NotOne::None(examples, listing.skipped.iter().map(|s| s.count).sum()))
        }
        _ => Err(NotOne::Several(listing.files)),
    }
}

/// "; it holds: notes.pdf, answers.txt and 3 more", or nothing for an empty folder.
fn holding(examples: &[String], count: usize) -> String {
    if count == 0 { String::new() } else { format!("; it holds: {}", few(examples.iter().cloned(), count)) }
}

fn file_name(path: &Path) -> String {
    path.file_name().unwrap_or(path.as_os_str()).to_string_lossy().into_owned()
}

/// What the submission is called when it is not one file: its paths, as given.
fn label(paths: &[PathBuf]) -> String {
    paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
}

fn render(
    lesson: &Lesson,
    questions: &[Question],
    submission: &Submission,
    visibility: Visibility,
) -> String {
    let tests = questions
        .iter()
        .zip(&submission.results)
        .map(|(question, answered)| {
            let grade = &answered.grade;
            let mut output = format!("{}: {}", grade.verdict, grade.message);
            if let (Some(error), Some(input)) = (&grade.error, &answered.input) {
                output.push('\n');
                output.push_str(&error.render(input));
            }
            let credited = grade.credit >= 1.0 && submission.error.is_none();
            TestJson {
                name: question.title(),
                number: question.step.clone(),
                score: points(grade.credit),
                max_score: 1.0,
                status: if credited { "passed" } else { "failed" },
                output,
                output_format: TEXT,
                tags: grade.diagnosis.iter().map(|d| d.id.name()).collect(),
            }
        })
        .collect();
    let results = ResultsJson {
        score: points(submission.score),
        output: summary(submission),
        output_format: TEXT,
        visibility,
        extra_data: ExtraData {
            lesson: Some(lesson.title().to_string()),
            fingerprint: Some(format!("{:016x}", lesson.fingerprint())),
            seed: submission.seed.clone(),
        },
        tests,
    };
    pretty(&results)
}

/// The top-level output: the score, or why nothing was graded, then the warnings.
fn summary(submission: &Submission) -> String {
    let mut lines = vec![match &submission.error {
        Some(error) => format!("Your submission was not graded, so it scores 0: {error}"),
        None => format!(
            "{}: {} of {} points.",
            file_name(Path::new(&submission.file)),
            points(submission.score),
            points(submission.max_score)
        ),
    }];
    lines.extend(submission.warnings.iter().map(|w| format!("Warning: {w}")));
    lines.join("\n")
}

/// The results.json of a run whose lesson cannot be loaded: nothing can be graded, and only
/// the course staff can fix it.
fn broken_lesson(visibility: Visibility) -> String {
    pretty(&ResultsJson {
        score: 0.0,
        output: "The autograder's lesson could not be loaded, so your submission was not graded. \
                 This is not your mistake: please tell the course staff."
            .to_string(),
        output_format: TEXT,
        visibility,
        extra_data: ExtraData { lesson: None, fingerprint: None, seed: None },
        tests: vec![],
    })
}

fn pretty(results: &ResultsJson) -> String {
    // Plain structs of strings and numbers always serialize.
    let mut text = serde_json::to_string_pretty(results).unwrap_or_else(|_| "{\"score\": 0}".to_string());
    text.push('\n');
    text
}
