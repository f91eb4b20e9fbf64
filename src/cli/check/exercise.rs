//! What `check` grades against (DESIGN.md §5): one lesson for every answer file, or with
//! `--variants` each student's own exercise, the lesson `new --seed S` makes with the same
//! options, S being the file's `seed` key or else its name. A variant's lesson and grader are
//! made for its file alone, in the worker that grades it, and dropped with it: a class of any
//! size runs in the memory of a few.

use crate::answer::batch::{AnswerFile, Stopped, grade_file, path_text};
use crate::answer::sheet::read_seed;
use crate::answer::submission::{grade_sheet, unreadable};
use crate::answer::{GradeOptions, Grader, Question, Submission, questions};
use crate::authoring::generate::GenerateError;
use crate::cli::variant::VariantArgs;
use crate::engine::Solution;
use crate::lesson::{Lesson, LessonError, parse_lesson};
use std::path::Path;

/// A graded answer file, with the lesson it was graded against when that is the student's own.
pub(super) struct Graded {
    pub submission: Submission,
    pub variant: Option<Variant>,
}

/// A student's own lesson, as the outputs name it.
pub(super) struct Variant {
    pub title: String,
    pub fingerprint: u64,
    /// The command that makes the lesson again, for the student to work it offline.
    pub command: String,
}

/// What every answer file is graded against.
pub(super) struct Exercise<'a> {
    /// The lesson's grader; with variants, a template variant's, whose questions every variant
    /// shares (the options fix the shape) and which grades the files that make no lesson.
    pub grader: &'a Grader<'a>,
    pub questions: &'a [Question],
    /// With `--variants`: `new`'s options, and the grading options each variant's grader takes.
    pub variants: Option<(&'a VariantArgs, GradeOptions)>,
}

/// Why no lesson could be made for a seed.
#[derive(Debug, thiserror::Error)]
pub(crate) enum VariantError {
    #[error("{0}")]
    Generate(#[from] GenerateError),
    #[error("the generated lesson does not load (a bug in `new`): {0}")]
    Load(#[from] LessonError),
}

/// The seed the template variant is made from: any seed would do.
const TEMPLATE_SEED: &str = "SEED";

/// The lesson `new --seed seed` makes with `args`, and the command that makes it.
pub(super) fn variant_lesson(args: &VariantArgs, seed: &str) -> Result<(Lesson, String), VariantError> {
    let text = args.lesson_text(seed)?;
    let lesson = parse_lesson(&format!("the exercise of seed {seed}"), &text)?;
    Ok((lesson, args.command_line(seed)))
}

/// The template variant, for the questions and the title of a run with `--variants`; its
/// error is the options' (too few sizes, say), a usage error.
pub(crate) fn template(args: &VariantArgs) -> Result<(Lesson, String), VariantError> {
    let (lesson, command) = variant_lesson(args, TEMPLATE_SEED)?;
    Ok((lesson, format!("Per-student exercises ({command})")))
}

impl Exercise<'_> {
    /// Grades one answer file. `assigned` is a seed that overrides the file's own (Gradescope
    /// knows who submitted; a file's `seed` key is the student's to write). `Err` when the
    /// machine could not open the file: no grade, and the run stops.
    pub(super) fn grade(&self, file: &AnswerFile, assigned: Option<&str>) -> Result<Graded, Stopped> {
        match self.variants {
            None => Ok(Graded { submission: grade_file(self.grader, self.questions, file)?, variant: None }),
            Some((args, options)) => self.grade_variant(args, options, file, assigned),
        }
    }

    /// A file that is not graded, with why: score 0, every question listed.
    pub(super) fn not_graded(&self, file: &str, seed: Option<String>, why: String) -> Graded {
        let mut submission = unreadable(self.grader, self.questions, file, why);
        submission.seed = seed;
        Graded { submission, variant: None }
    }

    fn grade_variant(
        &self,
        args: &VariantArgs,
        options: GradeOptions,
        answer: &AnswerFile,
        assigned: Option<&str>,
    ) -> Result<Graded, Stopped> {
        let path = answer.path();
        let file = path_text(&path);
        let (stem, no_stem) = match stem(&path) {
            Ok(stem) => (stem, None),
            Err(why) => (None, Some(why)),
        };
        let text = match answer.read() {
            Ok(text) => text,
            Err(error) if error.is_the_machines() => return Err(Stopped { file, error }),
            Err(error) => {
                return Ok(self.not_graded(&file, assigned.map(str::to_string).or(stem), error.to_string()));
            }
        };
        let key = match read_seed(&text) {
            Ok(key) => key,
            // Not TOML: graded as such, for the parser's own message.
            Err(_) => {
                let mut submission = grade_sheet(self.grader, self.questions, &file, &text);
                submission.seed = assigned.map(str::to_string).or(stem);
                return Ok(Graded { submission, variant: None });
            }
        };
        // A name that gives no seed matters only when nothing else does.
        if let (None, None, Some(why)) = (&key, assigned, no_stem) {
            return Ok(self.not_graded(&file, None, why));
        }
        let (seed, warning) = match choose_seed(key, stem.as_deref(), assigned) {
            Ok(chosen) => chosen,
            Err(why) => return Ok(self.not_graded(&file, None, why)),
        };
        let (lesson, command) = match variant_lesson(args, &seed) {
            Ok(made) => made,
            Err(error) => {
                let why = format!("no exercise could be made for seed {seed:?}: {error}");
                return Ok(self.not_graded(&file, Some(seed), why));
            }
        };
        let solution = Solution::new(lesson.network());
        let grader = Grader::new(&lesson, &solution, options);
        let mut submission = grade_sheet(&grader, &questions(&lesson), &file, &text);
        submission.seed = Some(seed);
        submission.warnings.extend(warning);
        let variant =
            Variant { title: lesson.title().to_string(), fingerprint: lesson.fingerprint(), command };
        Ok(Graded { submission, variant: Some(variant) })
    }
}

/// The file's name without `.toml` (in any case), if it has one: the seed when the file names
/// none. A name that is not UTF-8 gives no seed (two such names would look alike once
/// decoded): that is the submission's error, for the file's own `seed` key to settle.
pub(super) fn stem(path: &Path) -> Result<Option<String>, String> {
    let Some(name) = path.file_name() else { return Ok(None) };
    let Some(name) = name.to_str() else {
        return Err(format!(
            "the file's name, {}, is not UTF-8 text, so it names no seed: rename the file, or add \
             seed = \"…\" with the seed your exercise was made from",
            path_text(Path::new(name))
        ));
    };
    let Some(cut) = name.len().checked_sub(".toml".len()).filter(|&at| name.is_char_boundary(at)) else {
        return Ok(None);
    };
    Ok(name[cut..].eq_ignore_ascii_case(".toml").then(|| name[..cut].to_string()))
}

/// Whose exercise a file is graded against, with a warning when the file says otherwise: the
/// assigned seed, else the file's `seed` key, else its stem. A seed that is missing, blank or
/// not a string is an error: guessing would grade the file against another student's lesson.
fn choose_seed(
    key: Option<Result<String, String>>,
    stem: Option<&str>,
    assigned: Option<&str>,
) -> Result<(String, Option<String>), String> {
    if let Some(assigned) = assigned {
        let warning = match key {
            Some(Ok(own)) if own != assigned => Some(format!(
                "the file says seed = {own:?}, but it is graded as the exercise of {assigned:?}, \
                 the one who submitted it"
            )),
            _ => None,
        };
        return Ok((assigned.to_string(), warning));
    }
    let seed = match key {
        Some(Ok(seed)) if seed.trim().is_empty() => {
            return Err("the file's seed is empty: give the seed your exercise was made from, e.g. \
                        seed = \"s1234567\""
                .to_string());
        }
        // A file may name its seed (a renamed file, an ID that is not a file name), but a seed
        // that is not its name's is how one student hands in another's exercise: said.
        Some(Ok(seed)) => {
            // Exactly: `new` makes another exercise of "Alice" than of "alice".
            let warning = stem.filter(|stem| *stem != seed).map(|stem| {
                format!(
                    "the file says seed = {seed:?} but is named {stem:?}: it is graded as the exercise of \
                     {seed:?}"
                )
            });
            return Ok((seed, warning));
        }
        Some(Err(why)) => return Err(format!("cannot tell whose exercise this is: {why}")),
        None => match stem {
            Some(stem) if !stem.trim().is_empty() => stem.to_string(),
            _ => {
                return Err("the file names no seed and its name gives none: add seed = \"…\" with \
                            the seed your exercise was made from"
                    .to_string());
            }
        },
    };
    Ok((seed, None))
}

#[cfg(test)]
mod tests {
    use super::{choose_seed, stem};
    use std::path::Path;

    #[test]
    fn stems_drop_toml_in_any_case() {
        let stem = |p: &str| stem(Path::new(p)).unwrap();
        assert_eq!(stem("dir/alice@uni.edu.toml").as_deref(), Some("alice@uni.edu"));
        assert_eq!(stem("Zoë Ng.TOML").as_deref(), Some("Zoë Ng"));
        assert_eq!(stem(".toml").as_deref(), Some(""));
        assert_eq!(stem("notes.txt"), None);
        assert_eq!(stem("é.toml").as_deref(), Some("é"));
    }

    #[test]
    fn the_seed_is_the_assigned_one_then_the_key_then_the_stem() {
        let own = |s: &str| Some(Ok(s.to_string()));
        // A seed that is not the file's name is taken, and said.
        let (seed, warning) = choose_seed(own("bob"), Some("alice"), None).unwrap();
        assert_eq!(seed, "bob");
        assert!(warning.unwrap().contains("is named \"alice\""));
        let (_, warning) = choose_seed(own("Bob"), Some("bob"), None).unwrap();
        assert!(warning.is_some(), "seeds are case-sensitive: Bob's exercise is not bob's");
        assert_eq!(choose_seed(own("bob"), Some("bob"), None), Ok(("bob".into(), None)));
        assert_eq!(choose_seed(own("bob"), None, None), Ok(("bob".into(), None)));
        assert_eq!(choose_seed(None, Some("alice"), None), Ok(("alice".into(), None)));
        let (seed, warning) = choose_seed(own("bob"), Some("x"), Some("carol")).unwrap();
        assert_eq!(seed, "carol");
        assert!(warning.unwrap().contains("seed = \"bob\""));
        assert_eq!(choose_seed(own("carol"), None, Some("carol")), Ok(("carol".into(), None)));
        assert!(choose_seed(own(""), Some("alice"), None).unwrap_err().contains("empty"));
        assert!(choose_seed(own("  "), Some("alice"), None).unwrap_err().contains("empty"));
        assert!(choose_seed(None, Some(""), None).unwrap_err().contains("names no seed"));
        assert!(choose_seed(None, None, None).is_err());
        let bad = Some(Err("'seed' must be a string".to_string()));
        assert!(choose_seed(bad, Some("alice"), None).unwrap_err().contains("must be a string"));
    }
}
