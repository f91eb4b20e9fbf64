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

use super::exercise::{Exercise, Graded};
use super::metadata::{self, MetadataError};
use super::report::{ClassReport, outcomes};
use super::{CheckArgs, Report, Visibility, base_lesson, few, fix_equations, for_terminal, points, problems};
use crate::answer::batch::{
    AnswerFile, ListError, apple_double_note, escape_controls, list_answers, path_text,
};
use crate::answer::{Grader, Question, questions};
use crate::cli::{exit, print};
use crate::engine::Solution;
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

/// Said to a student whose file the autograder could not grade through no fault of theirs.
const NOT_YOUR_MISTAKE: &str = "This is not your mistake: please tell the course staff.";

pub(super) fn run(args: &CheckArgs, spec: Option<&str>, answers: &[PathBuf]) -> u8 {
    let visibility = args.visibility.unwrap_or_default();
    let (lesson, _) = match base_lesson(spec, args) {
        Ok(base) => base,
        Err(message) => {
            eprintln!("{message}");
            return print(&broken_lesson(visibility), exit::BAD_INPUT);
        }
    };
    let solution = Solution::new(lesson.network());
    let options = args.grade_options();
    let grader = Grader::new(&lesson, &solution, options);
    let questions = questions(&lesson);
    let exercise = Exercise {
        grader: &grader,
        questions: &questions,
        variants: args.variants.then_some((&args.variant, options)),
    };
    // A file the machine could not open is not graded, and the autograder fails (exit 2).
    let mut machines_fault = false;
    let graded = match (the_answer_file(answers), submitter(args)) {
        (Ok(file), Ok(seed)) => exercise.grade(&file, seed.as_deref()).unwrap_or_else(|stopped| {
            eprintln!("error: {}", for_terminal(stopped.to_string()));
            machines_fault = true;
            let why = format!(
                "the autograder's machine could not open your file (it ran out of open files or memory), \
                 so it was not graded. {NOT_YOUR_MISTAKE}"
            );
            exercise.not_graded(&stopped.file, None, why)
        }),
        (Err(why), _) => exercise.not_graded(&label(answers), None, why.to_string()),
        (Ok(file), Err(error)) => {
            eprintln!("error: {error}");
            let why = format!(
                "the autograder cannot tell whose exercise this is, so it was not graded. {NOT_YOUR_MISTAKE}"
            );
            exercise.not_graded(&file.path_text(), None, why)
        }
    };
    let submission = &graded.submission;
    eprint!("{}", for_terminal(problems(submission)));
    let graded_against = match &graded.variant {
        Some(variant) => (variant.title.as_str(), variant.fingerprint),
        None => (lesson.title(), lesson.fingerprint()),
    };
    let code = match (machines_fault, super::full_marks(submission)) {
        (true, _) => exit::BAD_INPUT,
        (false, true) => exit::OK,
        (false, false) => exit::FINDINGS,
    };
    let code = print(&render(graded_against, &questions, &graded, visibility), code);
    if args.report {
        // For whoever runs it by hand: Gradescope's stdout is results.json alone.
        let mut class = ClassReport::new(questions.len());
        class.add(outcomes(submission).as_deref());
        let equations = fix_equations(&lesson, &questions);
        let title = lesson.title();
        eprint!("\n{}", class.text(&Report::new(title, &questions, &equations)));
    }
    code
}

/// The seed `--metadata` assigns, if it is given.
fn submitter(args: &CheckArgs) -> Result<Option<String>, MetadataError> {
    args.metadata.as_deref().map(metadata::submitter).transpose()
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
fn the_answer_file(paths: &[PathBuf]) -> Result<AnswerFile, NotOne> {
    let mut listing = list_answers(paths).map_err(NotOne::Unlistable)?;
    for path in &listing.apple_double {
        eprintln!("{}", escape_controls(&apple_double_note(path)));
    }
    match listing.files.len() {
        1 => Ok(listing.files.remove(0)),
        0 => {
            let examples = listing.skipped.iter().flat_map(|s| s.examples.iter().cloned()).collect();
            Err(NotOne::None(examples, listing.skipped.iter().map(|s| s.count).sum()))
        }
        _ => Err(NotOne::Several(listing.files.into_iter().map(|file| file.path().into_owned()).collect())),
    }
}

/// "; it holds: notes.pdf, answers.txt and 3 more", or nothing for an empty folder.
fn holding(examples: &[String], count: usize) -> String {
    if count == 0 { String::new() } else { format!("; it holds: {}", few(examples.iter().cloned(), count)) }
}

fn file_name(path: &Path) -> String {
    path_text(path.file_name().map_or(path, Path::new))
}

/// What the submission is called when it is not one file: its paths, as given.
fn label(paths: &[PathBuf]) -> String {
    paths.iter().map(|p| path_text(p)).collect::<Vec<_>>().join(", ")
}

/// The results.json of a graded file; `lesson` is the title and fingerprint of the lesson it
/// was graded against.
fn render(lesson: (&str, u64), questions: &[Question], graded: &Graded, visibility: Visibility) -> String {
    let submission = &graded.submission;
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
        output: summary(graded),
        output_format: TEXT,
        visibility,
        extra_data: ExtraData {
            lesson: Some(lesson.0.to_string()),
            fingerprint: Some(format!("{:016x}", lesson.1)),
            seed: submission.seed.clone(),
        },
        tests,
    };
    pretty(&results)
}

/// The top-level output: the score, or why nothing was graded, then the warnings, and for a
/// student's own exercise the command that makes it.
fn summary(graded: &Graded) -> String {
    let submission = &graded.submission;
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
    if let Some(variant) = &graded.variant {
        lines.push(format!("Your exercise, to work it offline: {}", variant.command));
    }
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
