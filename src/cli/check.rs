//! `check`: grades answer files against a lesson (DESIGN.md §5), in batch, as text for a
//! student or as JSON or CSV for course staff, streamed: each submission is printed as soon as
//! those before it are, so a class of any size runs in the same memory. Gradescope's
//! results.json, for one submission, has its own path (it must print even when all fails).

mod canvas;
mod csv;
mod exercise;
mod gradescope;
mod json;
mod metadata;
mod report;
mod roster;
mod text;

use super::exit;
use super::variant::{VARIANT_OPTIONS, VariantArgs};
use crate::answer::batch::{
    AnswerFile, Listing, Stopped, apple_double_note, each_chunk_in_order, escape_controls, list_answers,
    path_text, push_escaped,
};
use crate::answer::sheet::{SEED_KEY, read_toml};
use crate::answer::{GradeOptions, Grader, Question, Submission, equation_of, questions};
use crate::engine::Solution;
use crate::lesson::{Lesson, RTOL_BELOW_ONE, load_lesson, read_lesson};
use crate::quantity::QuantityRef;
use canvas::{Gradebook, assignment_note, assignment_problem};
use clap::{Args, ValueEnum};
pub(super) use exercise::template as variant_template;
use exercise::{Exercise, Graded, template};
use report::{ClassReport, Outcome, outcomes};
use roster::Roster;
use std::io::Write;
use std::ops::ControlFlow;
use std::path::PathBuf;

#[derive(Debug, Args)]
#[command(override_usage = "backprop-tutor check [OPTIONS] <LESSON> <ANSWERS>...\n       \
                            backprop-tutor check --variants [VARIANT OPTIONS] [OPTIONS] <ANSWERS>...")]
#[command(group(
    clap::ArgGroup::new("variant_options").args(VARIANT_OPTIONS).multiple(true).requires("variants")
))]
pub struct CheckArgs {
    /// A lesson file, or the name of a shipped lesson. With --variants there is none: every
    /// path is an answer file.
    #[arg(value_name = "LESSON")]
    pub lesson: Option<String>,
    /// Answer files (TOML: keys are quantity names such as dL_do or dL_dWo[2,1]), or folders
    /// of them.
    ///
    /// A folder means every entry directly in it whose name ends in .toml in any case (a.toml,
    /// B.TOML), sorted by name. Such an entry that is not a readable regular file (a folder
    /// named x.toml, a dangling link, a named pipe) is reported as a submission with an error;
    /// so is an empty, binary or oversized (over 1 MiB) file. Entries not named *.toml are not
    /// submissions: stderr says how many were skipped, and names a few. A folder that cannot be listed, or holds
    /// no *.toml entry, is a usage error (exit 2), as it is most likely the wrong folder. A
    /// file named twice (`a.toml a.toml`, or a file and the folder it is in) is graded once,
    /// where it is first named, with a note on stderr. A file the machine cannot open, out of
    /// open files or memory, is no student's 0: grading stops there (exit 2).
    ///
    /// With --format gradescope: exactly one answer file, named itself or as the one *.toml
    /// entry of a folder. No answer file, several, or one that cannot be read scores 0 with the
    /// reason in the results.json, which is always printed.
    #[arg(value_name = "ANSWERS")]
    pub answers: Vec<PathBuf>,
    /// Grade each file against its student's own exercise: the lesson that `new --seed S`
    /// makes with the variant options below, S being the file's `seed` key, else its name
    /// without .toml. A file whose seed is missing, empty or not a string is not graded.
    #[arg(long)]
    pub variants: bool,
    #[command(flatten, next_help_heading = "Variant options (with --variants; as for new)")]
    pub variant: VariantArgs,
    /// The output: text for a student; json (one object: lesson, submissions, then summary)
    /// or csv (a row per file) for course staff; Gradescope's results.json for one file.
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    pub format: CheckFormat,
    /// Relative tolerance for every answer, instead of the lesson's rtol values (its atol
    /// values stay). Below 1: at 1 or more, 0 is within tolerance of every value.
    #[arg(long, value_parser = relative_tolerance)]
    pub rtol: Option<f64>,
    /// Absolute tolerance for every answer, instead of the lesson's atol values (its rtol
    /// values stay).
    #[arg(long, value_parser = non_negative)]
    pub atol: Option<f64>,
    /// Give no point for an answer that is only wrong because of an earlier wrong answer.
    #[arg(long)]
    pub strict: bool,
    /// Take values only: an answer written in the lesson's names (a formula such as
    /// "dL_do * Wo") is invalid, whatever the lesson allows.
    #[arg(long)]
    pub no_formulas: bool,
    /// When Gradescope shows the results to the student (--format gradescope only; default
    /// visible).
    #[arg(long, value_enum)]
    pub visibility: Option<Visibility>,
    /// The class roster, a CSV file with the columns Student, and ID or SIS Login ID (and
    /// Section), as Canvas's gradebook export has them: a submission belongs to the student
    /// whose ID or SIS Login ID is its file name without .toml, or its seed. For --format
    /// canvas; with --format json, the summary says who has no submission and which
    /// submissions match nobody.
    #[arg(long, value_name = "FILE")]
    pub roster: Option<PathBuf>,
    /// The assignment's column in Canvas, "Title (id)" as the gradebook export names it
    /// (--format canvas).
    #[arg(long, value_name = "TITLE")]
    pub assignment: Option<String>,
    /// Add a class report: per question, how many answers had each verdict and each
    /// diagnosis, and the three mistakes most students made, with the equation that fixes
    /// each. Text and JSON (as the summary) hold it; with csv or gradescope it goes to stderr.
    #[arg(long)]
    pub report: bool,
    /// Gradescope's submission_metadata.json (--format gradescope --variants): the seed is
    /// its users[0].email, whatever the file's own `seed` key says.
    #[arg(long, value_name = "FILE", requires = "variants")]
    pub metadata: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// For a student: per step, the verdict, the wrong entries, the diagnosis.
    Text,
    /// One object: the lesson, every submission, then a summary.
    Json,
    /// Gradescope's results.json, for exactly one answer file.
    Gradescope,
    /// One row per file, one column per question.
    Csv,
    /// A gradebook CSV for Canvas's import: one row per student of --roster, a column for
    /// --assignment.
    Canvas,
}

/// Gradescope's visibility settings for results, by their names in results.json.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    /// Shown at once.
    #[default]
    Visible,
    /// Never shown to the student.
    Hidden,
    /// Shown after the due date (the late due date, if late work is allowed).
    #[value(name = "after_due_date")]
    AfterDueDate,
    /// Shown once the grades are published.
    #[value(name = "after_published")]
    AfterPublished,
}

impl Visibility {
    /// The name on the command line, which is also Gradescope's.
    pub fn name(self) -> String {
        self.to_possible_value().map(|value| value.get_name().to_string()).unwrap_or_default()
    }
}

pub(super) fn non_negative(text: &str) -> Result<f64, String> {
    let value: f64 = text.parse().map_err(|_| format!("'{text}' is not a number"))?;
    if value.is_finite() && value >= 0.0 {
        Ok(value)
    } else {
        Err("a tolerance is a finite number ≥ 0".into())
    }
}

/// `--rtol`: a tolerance, and below 1 (DESIGN.md §4), as the lesson's own rtol must be.
pub(super) fn relative_tolerance(text: &str) -> Result<f64, String> {
    let value = non_negative(text)?;
    if value < 1.0 { Ok(value) } else { Err(RTOL_BELOW_ONE.to_string()) }
}

/// What every format needs besides the submissions: the lesson's title and its questions.
pub(super) struct Report<'a> {
    pub title: &'a str,
    pub questions: &'a [Question],
    /// Per question, the notes' equation that gives it: what fixes a mistake there.
    pub equations: &'a [&'static str],
    /// Per question, what its JSON result begins with, up to its verdict: made the first time
    /// a submission is written as JSON ([`json::submission`]), the same for every file.
    json_openings: std::sync::OnceLock<Vec<String>>,
}

impl<'a> Report<'a> {
    fn new(title: &'a str, questions: &'a [Question], equations: &'a [&'static str]) -> Self {
        Report { title, questions, equations, json_openings: Default::default() }
    }

    /// Per question, the opening of its JSON result, made by `make` the first time it is asked.
    fn json_openings(&self, make: impl FnOnce() -> Vec<String>) -> &[String] {
        self.json_openings.get_or_init(make)
    }
}

/// Counts over the submissions printed so far, for the formats' closing lines and the exit
/// code.
#[derive(Debug, Default)]
pub(super) struct Tally {
    pub submissions: usize,
    pub full_marks: usize,
    /// Submissions whose file could not be read.
    pub errors: usize,
    pub with_warnings: usize,
    pub total_score: f64,
    pub max_score: f64,
    /// Folder entries that are not named *.toml.
    pub skipped: usize,
    /// With `--report`: the class's verdicts and diagnoses.
    pub class: Option<ClassReport>,
    /// With `--roster`: the scores by student.
    pub gradebook: Option<Gradebook>,
    /// What stderr said about the run rather than a submission (a skipped AppleDouble file, a
    /// ragged roster row, two files of one exercise): JSON's summary lists it as `warnings`.
    pub notes: Vec<String>,
    /// With `--variants`: the first file graded on each seed, to say when another file is
    /// graded on the same exercise (a copy, most likely). It grows with the class, a name a
    /// student.
    pub exercises: Option<std::collections::HashMap<String, String>>,
}

/// A chunk of submissions as their format prints them, made in the worker that graded them,
/// with what the tally needs: only this waits for its turn to be written, never the grades.
/// The chunk's text is one buffer, its files' printed forms end to end, each behind the
/// format's separator, so that no string per file passes from one thread to another.
#[derive(Default)]
struct Rendered {
    text: String,
    /// The files' errors and warnings, in the formats whose stdout is read by programs.
    stderr: String,
    files: Vec<Counted>,
    /// The file of the chunk that the machine could not open, where its grading stopped.
    stopped: Option<Stopped>,
}

/// One submission, as the tally counts it.
struct Counted {
    /// Where its lines in the chunk's `stderr` end.
    stderr_end: usize,
    full_marks: bool,
    error: bool,
    warnings: bool,
    score: f64,
    max_score: f64,
    /// For the class report; `None` when the file was not graded or no report was asked for.
    outcomes: Option<Vec<Outcome>>,
    /// For the gradebook and the seeds graded twice: whose submission it is.
    file: Option<String>,
    seed: Option<String>,
}

/// What of each submission the tally of a run keeps beyond its counts.
#[derive(Clone, Copy)]
struct Kept {
    /// The verdicts and diagnoses, for `--report`.
    outcomes: bool,
    /// The file and seed, for `--roster` and `--variants`.
    names: bool,
}

impl CheckArgs {
    /// The lesson named, if any, and the answer paths: with --variants every path is one.
    fn inputs(&self) -> Result<(Option<&str>, Vec<PathBuf>), &'static str> {
        if self.variants {
            let answers: Vec<PathBuf> =
                self.lesson.iter().map(PathBuf::from).chain(self.answers.clone()).collect();
            if answers.is_empty() {
                return Err("check --variants needs answer files (or folders of them)");
            }
            return Ok((None, answers));
        }
        match &self.lesson {
            None => Err("check needs a lesson and answer files: check LESSON ANSWERS..."),
            Some(_) if self.answers.is_empty() => {
                Err("check needs answer files after the lesson: check LESSON ANSWERS...")
            }
            Some(lesson) => Ok((Some(lesson.as_str()), self.answers.clone())),
        }
    }

    fn grade_options(&self) -> GradeOptions {
        GradeOptions { rtol: self.rtol, atol: self.atol, strict: self.strict, no_formulas: self.no_formulas }
    }

    /// The options that apply to one format only, given with another.
    fn misplaced(&self) -> Option<&'static str> {
        let gradescope = self.format == CheckFormat::Gradescope;
        if self.visibility.is_some() && !gradescope {
            return Some("--visibility applies to --format gradescope only");
        }
        if self.metadata.is_some() && !gradescope {
            return Some("--metadata applies to --format gradescope only");
        }
        let canvas = self.format == CheckFormat::Canvas;
        if canvas && (self.roster.is_none() || self.assignment.is_none()) {
            return Some("--format canvas needs --roster FILE and --assignment \"Title (id)\"");
        }
        if self.assignment.is_some() && !canvas {
            return Some("--assignment applies to --format canvas only");
        }
        if self.roster.is_some() && !(canvas || self.format == CheckFormat::Json) {
            return Some("--roster applies to --format canvas and --format json only");
        }
        None
    }

    /// The gradebook of `--roster`, if one is given, and the roster's warnings, which stderr
    /// has said.
    fn gradebook(&self) -> Result<(Option<Gradebook>, Vec<String>), String> {
        let Some(path) = &self.roster else { return Ok((None, vec![])) };
        let assignment = self.assignment.clone().unwrap_or_default();
        if self.format == CheckFormat::Canvas {
            if let Some(problem) = assignment_problem(&assignment) {
                return Err(problem);
            }
            if let Some(note) = assignment_note(&assignment) {
                eprintln!("{}", for_terminal(note));
            }
        }
        let mut roster = Roster::read(path).map_err(|error| error.to_string())?;
        let warnings: Vec<String> = std::mem::take(&mut roster.warnings)
            .into_iter()
            .map(|w| for_terminal(format!("warning: {w}")))
            .collect();
        for warning in &warnings {
            eprintln!("{warning}");
        }
        Ok((Some(Gradebook::new(roster, assignment)), warnings))
    }
}

/// The lesson every file is graded against, or the template of the variants, with the title
/// the outputs give the run.
fn base_lesson(spec: Option<&str>, args: &CheckArgs) -> Result<(Lesson, String), String> {
    match spec {
        Some(spec) => {
            let lesson = load_lesson(spec).map_err(|error| match answers_not_lesson(spec) {
                Some(origin) => format!(
                    "error: {origin} looks like an answer file, not a lesson: give the lesson first: \
                     check LESSON ANSWERS…"
                ),
                None => error.to_string(),
            })?;
            let title = lesson.title().to_string();
            Ok((lesson, title))
        }
        None => template(&args.variant).map_err(|error| format!("error: {error}")),
    }
}

/// The name of the file `spec` names when it is TOML holding answer keys (quantity names, a
/// seed) and neither of the keys every lesson has (`title`, `network`): an answer file given
/// where the lesson goes, as when the lesson is forgotten (`check good.toml zeros.toml`).
fn answers_not_lesson(spec: &str) -> Option<String> {
    let source = read_lesson(spec).ok()?;
    let entries = read_toml(&source.text).ok()?;
    let keys = || entries.iter().map(|(key, _)| key.as_ref());
    let lesson_key = keys().any(|key| key == "title" || key == "network");
    let answer_key = keys().any(|key| key == SEED_KEY || key.parse::<QuantityRef>().is_ok());
    (answer_key && !lesson_key).then_some(source.origin)
}

pub(super) fn run(args: &CheckArgs) -> u8 {
    let (spec, answers) = match args.inputs() {
        Ok(inputs) => inputs,
        Err(why) => return usage_error(why),
    };
    if let Some(why) = args.misplaced() {
        return usage_error(why);
    }
    if args.format == CheckFormat::Gradescope {
        return gradescope::run(args, spec, &answers);
    }
    let (lesson, title) = match base_lesson(spec, args) {
        Ok(base) => base,
        Err(message) => {
            eprintln!("{message}");
            return exit::BAD_INPUT;
        }
    };
    let (gradebook, roster_warnings) = match args.gradebook() {
        Ok(gradebook) => gradebook,
        Err(why) => return usage_error(&why),
    };
    let listing = match list_answers(&answers) {
        Ok(listing) => listing,
        Err(error) => return usage_error(&error.to_string()),
    };
    let mut notes = roster_warnings;
    notes.extend(note_listing(&listing));
    if !listing.empty.is_empty() {
        for folder in &listing.empty {
            eprintln!(
                "error: {}: the folder holds no *.toml answer files",
                escape_controls(&path_text(folder))
            );
        }
        return exit::BAD_INPUT;
    }
    let solution = Solution::new(lesson.network());
    let options = args.grade_options();
    let grader = Grader::new(&lesson, &solution, options);
    let questions = questions(&lesson);
    let exercise = Exercise {
        grader: &grader,
        questions: &questions,
        variants: args.variants.then_some((&args.variant, options)),
    };
    let equations = fix_equations(&lesson, &questions);
    let report = Report::new(&title, &questions, &equations);
    let skipped = listing.skipped.iter().map(|s| s.count).sum();
    let class = args.report.then(|| ClassReport::new(questions.len()));
    match stream(
        args.format,
        &report,
        &exercise,
        &listing.files,
        Tally {
            skipped,
            class,
            gradebook,
            notes,
            exercises: args.variants.then(Default::default),
            ..Tally::default()
        },
    ) {
        Ok(tally) if tally.full_marks == tally.submissions => exit::OK,
        Ok(_) => exit::FINDINGS,
        // Cut short, it has not seen every submission earn every point.
        Err(Streamed::Write(error)) => super::written(Err(error), exit::FINDINGS),
        Err(Streamed::Stopped(stopped)) => usage_error(&for_terminal(stopped.to_string())),
    }
}

/// Per question, the notes' equation that gives it (the same for every variant: it depends on
/// the depth alone).
fn fix_equations(lesson: &Lesson, questions: &[Question]) -> Vec<&'static str> {
    questions.iter().map(|q| equation_of(lesson.network(), &q.asked)).collect()
}

fn usage_error(why: &str) -> u8 {
    eprintln!("error: {why}");
    exit::BAD_INPUT
}

/// Grades the files and writes the report, each submission as soon as those before it are
/// written, and returns the tally of them all; the error if the output could not be written
/// (a closed pipe, `| head`, or a full disk), which stops the grading.
fn stream(
    format: CheckFormat,
    report: &Report,
    exercise: &Exercise,
    files: &[AnswerFile],
    mut tally: Tally,
) -> Result<Tally, Streamed> {
    let mut out = stdout_unbuffered();
    out.write_all(head(format, report).as_bytes())?;
    let kept = tally.kept();
    // Every submission's text begins with the separator; the run's first is written without.
    let separator = separator(format);
    let work = |chunk: &[AnswerFile]| {
        let mut rendered = Rendered { files: Vec::with_capacity(chunk.len()), ..Rendered::default() };
        for file in chunk {
            match exercise.grade(file, None) {
                Ok(graded) => {
                    rendered.text.push_str(separator);
                    render(format, report, &graded, kept, &mut rendered);
                }
                Err(stopped) => {
                    rendered.stopped = Some(stopped);
                    break;
                }
            }
        }
        rendered
    };
    let mut written = Ok(());
    let mut stopped = None;
    each_chunk_in_order(files, work, |mut rendered| {
        // The files before the one that stopped the run were graded: they are written, then
        // nothing more.
        stopped = rendered.stopped.take();
        // A chunk stopped at its first file has no text, not even the separator.
        let text = match tally.submissions {
            0 => rendered.text.strip_prefix(separator).unwrap_or(&rendered.text),
            _ => &rendered.text,
        };
        let mut stderr_start = 0;
        for counted in &rendered.files {
            let problems = &rendered.stderr[stderr_start..counted.stderr_end];
            if !problems.is_empty() {
                eprint!("{problems}");
            }
            stderr_start = counted.stderr_end;
            if let Some(note) = tally.add(counted) {
                eprintln!("{}", for_terminal(note));
            }
        }
        written = out.write_all(text.as_bytes());
        if written.is_ok() && stopped.is_none() { ControlFlow::Continue(()) } else { ControlFlow::Break(()) }
    });
    written?;
    if let Some(stopped) = stopped {
        return Err(Streamed::Stopped(stopped));
    }
    out.write_all(tail(format, report, &tally).as_bytes()).and_then(|()| out.flush())?;
    Ok(tally)
}

/// Why a run of `check` ended before its last file.
enum Streamed {
    /// Standard output could not be written (a closed pipe).
    Write(std::io::Error),
    /// The machine could not open a file: what came before is written, and no more.
    Stopped(Stopped),
}

impl From<std::io::Error> for Streamed {
    fn from(error: std::io::Error) -> Self {
        Streamed::Write(error)
    }
}

/// Standard output without std's line buffer in front of it: a chunk of submissions is tens
/// of kilobytes already, which the line writer would scan for its last newline (JSON has none)
/// and a buffer here would copy once more. Where the descriptor cannot be shared, the locked
/// standard output.
fn stdout_unbuffered() -> Box<dyn Write> {
    #[cfg(unix)]
    {
        use std::os::fd::AsFd;
        if let Ok(fd) = std::io::stdout().as_fd().try_clone_to_owned() {
            return Box::new(std::fs::File::from(fd));
        }
    }
    Box::new(std::io::stdout().lock())
}

/// Notes on stderr for what the listing left out: entries that are not submissions, and files
/// named twice. Returns those that JSON's summary repeats: the skipped entries that look like
/// submissions (AppleDouble files), which are never left out silently.
fn note_listing(listing: &Listing) -> Vec<String> {
    for skipped in &listing.skipped {
        let note = format!(
            "note: {}: skipped {} {} not named *.toml: {}",
            escape_controls(&path_text(&skipped.folder)),
            skipped.count,
            if skipped.count == 1 { "entry" } else { "entries" },
            few(skipped.examples.iter().map(|name| escape_controls(name)), skipped.count),
        );
        eprintln!("{}", for_terminal(note));
    }
    for path in &listing.repeated {
        eprintln!("note: {} is named twice; it is graded once", escape_controls(&path_text(path)));
    }
    let apple_double: Vec<String> = listing.apple_double.iter().map(|path| apple_double_note(path)).collect();
    for note in &apple_double {
        eprintln!("{}", escape_controls(note));
    }
    apple_double
}

/// How many names a message lists before "and N more".
const NAMES_SHOWN: usize = 5;

/// "a, b, c and 4 more": the first few of `count` names.
fn few(names: impl Iterator<Item = String>, count: usize) -> String {
    let shown: Vec<String> = names.take(NAMES_SHOWN).collect();
    let more = count.saturating_sub(shown.len());
    let more = if more > 0 { format!(" and {more} more") } else { String::new() };
    format!("{}{more}", shown.join(", "))
}

impl Tally {
    /// What each submission must bring besides its counts.
    fn kept(&self) -> Kept {
        Kept { outcomes: self.class.is_some(), names: self.gradebook.is_some() || self.exercises.is_some() }
    }

    /// Counts a submission; returns what stderr should say about whose it is.
    fn add(&mut self, counted: &Counted) -> Option<String> {
        self.submissions += 1;
        self.full_marks += usize::from(counted.full_marks);
        self.errors += usize::from(counted.error);
        self.with_warnings += usize::from(counted.warnings);
        self.total_score += counted.score;
        self.max_score = self.max_score.max(counted.max_score);
        if let Some(class) = &mut self.class {
            class.add(counted.outcomes.as_deref());
        }
        let file = counted.file.as_deref().unwrap_or_default();
        if let (Some(exercises), Some(seed), false) = (&mut self.exercises, &counted.seed, counted.error) {
            if let Some(first) = exercises.get(seed) {
                let note = escape_controls(&format!(
                    "warning: {file} and {first} are both graded on the exercise of seed {seed:?}: one may be a \
                     copy of the other"
                ));
                eprintln!("{note}");
                self.notes.push(note);
            } else {
                exercises.insert(seed.clone(), file.to_owned());
            }
        }
        let gradebook = self.gradebook.as_mut()?;
        gradebook.add(file, counted.seed.as_deref(), counted.score)
    }

    /// The mean score, or `None` before any submission.
    pub(super) fn mean_score(&self) -> Option<f64> {
        (self.submissions > 0).then(|| points(self.total_score / self.submissions as f64))
    }
}

/// Adds a graded file to its chunk: its printed form to the text, its problems to stderr (in
/// the formats whose stdout is read by programs: the text format already shows both there).
fn render(format: CheckFormat, report: &Report, graded: &Graded, kept: Kept, chunk: &mut Rendered) {
    let submission = &graded.submission;
    match format {
        CheckFormat::Text => chunk.text.push_str(&for_terminal(text::submission(report, graded))),
        CheckFormat::Json => json::submission(&mut chunk.text, report, submission),
        CheckFormat::Csv => chunk.text.push_str(&csv::row(submission)),
        // The rows are the roster's, in its order: written when every score is in.
        CheckFormat::Canvas => {}
        CheckFormat::Gradescope => unreachable!("Gradescope's results.json is not a batch format"),
    }
    if format != CheckFormat::Text {
        chunk.stderr.push_str(&for_terminal(problems(submission)));
    }
    chunk.files.push(Counted {
        stderr_end: chunk.stderr.len(),
        full_marks: full_marks(submission),
        error: submission.error.is_some(),
        warnings: !submission.warnings.is_empty(),
        score: submission.score,
        max_score: submission.max_score,
        outcomes: if kept.outcomes { outcomes(submission) } else { None },
        file: kept.names.then(|| submission.file.clone()),
        seed: if kept.names { submission.seed.clone() } else { None },
    });
}

fn head(format: CheckFormat, report: &Report) -> String {
    match format {
        CheckFormat::Text => text::head(report),
        CheckFormat::Json => json::head(report),
        CheckFormat::Csv => csv::header(report),
        CheckFormat::Canvas | CheckFormat::Gradescope => String::new(),
    }
}

fn separator(format: CheckFormat) -> &'static str {
    match format {
        CheckFormat::Text => "\n",
        CheckFormat::Json => ",",
        CheckFormat::Csv | CheckFormat::Canvas | CheckFormat::Gradescope => "",
    }
}

/// What follows the last submission. A class report is part of the text and JSON outputs; the
/// others are files for programs, so it goes to stderr, for the person who ran the command.
fn tail(format: CheckFormat, report: &Report, tally: &Tally) -> String {
    let class = tally.class.as_ref();
    match format {
        CheckFormat::Text => {
            let closing = text::tail(tally);
            match class {
                Some(class) => format!("{closing}\n{}", class.text(report)),
                None => closing,
            }
        }
        CheckFormat::Json => json::tail(tally, class.map(|c| c.json(report))),
        CheckFormat::Csv | CheckFormat::Canvas | CheckFormat::Gradescope => {
            if let Some(class) = class {
                eprint!("\n{}", class.text(report));
            }
            let Some(gradebook) = &tally.gradebook else { return String::new() };
            if let Some(note) = gradebook.closing_note() {
                eprintln!("{note}");
            }
            gradebook.canvas(report.questions.len() as f64)
        }
    }
}

/// Whether a submission earned every point (a file that could not be read earned none).
fn full_marks(submission: &Submission) -> bool {
    submission.error.is_none() && points(submission.score) >= points(submission.max_score)
}

/// The file's error and warnings as stderr lines, each behind the file's name (an error's
/// further lines, such as a TOML parser's excerpt, indented under it).
fn problems(submission: &Submission) -> String {
    let mut out = String::new();
    if submission.error.is_none() && submission.warnings.is_empty() {
        return out;
    }
    let file = escape_controls(&submission.file);
    if let Some(error) = &submission.error {
        let mut lines = error.lines();
        out.push_str(&format!("{file}: error: {}\n", lines.next().unwrap_or_default()));
        for line in lines {
            out.push_str(&format!("    {line}\n"));
        }
    }
    for warning in &submission.warnings {
        out.push_str(&format!("{file}: warning: {warning}\n"));
    }
    out
}

/// Text for a terminal, where file names and keys are the students': a control character in
/// one (an escape sequence can clear or retitle the reader's terminal, a carriage return hide
/// what came before it) is shown escaped, as `\u{1b}`. Line breaks and tabs stay.
fn for_terminal(text: String) -> String {
    let hostile = |c: char| c.is_control() && c != '\n' && c != '\t';
    if !text.contains(hostile) {
        return text;
    }
    text.chars().fold(String::with_capacity(text.len() + 16), |mut out, c| {
        if hostile(c) {
            push_escaped(&mut out, c);
        } else {
            out.push(c);
        }
        out
    })
}

/// A score without the noise of adding binary fractions (0.1 + 0.2): to 9 decimals, which no
/// credit in a lesson comes near. Printed with `{}`, it is the shortest decimal (5, 5.5).
pub(super) fn points(score: f64) -> f64 {
    (score * 1e9).round() / 1e9
}

#[cfg(test)]
mod tests {
    use super::{for_terminal, points};

    #[test]
    fn control_characters_reach_no_terminal() {
        assert_eq!(for_terminal("a.toml: 6 of 6\n\tok".into()), "a.toml: 6 of 6\n\tok");
        assert_eq!(for_terminal("\u{1b}]0;owned\u{7}.toml".into()), "\\u{1b}]0;owned\\u{7}.toml");
        assert_eq!(for_terminal("evil\rgood".into()), "evil\\u{d}good");
        assert_eq!(for_terminal("\u{9b}2J".into()), "\\u{9b}2J", "the 8-bit CSI too");
    }

    #[test]
    fn scores_print_as_the_shortest_decimal() {
        let shown = |score: f64| points(score).to_string();
        assert_eq!(shown(5.0), "5");
        assert_eq!(shown(5.5), "5.5");
        assert_eq!(shown(0.0), "0");
        assert_eq!(shown(0.25 + 0.5), "0.75");
        // Adding binary fractions leaves noise that is not part of the score.
        assert_eq!((0.1 + 0.2).to_string(), "0.30000000000000004");
        assert_eq!(shown(0.1 + 0.2), "0.3");
        assert_eq!(shown(0.1 + 0.1 + 0.1 + 0.1 + 0.1 + 0.1 + 0.1 + 0.1 + 0.1 + 0.1), "1");
    }
}
