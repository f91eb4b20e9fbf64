//! Answer files (DESIGN.md §5): what a key and a value may be, and one file graded on every
//! question of a lesson.

use backprop_tutor::answer::submission::grade_sheet;
use backprop_tutor::answer::{GradeOptions, Grader, Submission, Verdict, questions};
use backprop_tutor::engine::Solution;
use backprop_tutor::lesson::{Lesson, load_lesson, parse_lesson};

fn grade(lesson: &Lesson, text: &str) -> Submission {
    let solution = Solution::new(lesson.network());
    let grader = Grader::new(lesson, &solution, GradeOptions::default());
    grade_sheet(&grader, &questions(lesson), "answers.toml", text)
}

fn notes() -> Lesson {
    load_lesson("notes-example").unwrap()
}

fn verdicts(submission: &Submission) -> Vec<Verdict> {
    submission.results.iter().map(|r| r.grade.verdict).collect()
}

#[test]
fn the_questions_are_the_plans_asks_in_order() {
    let asked: Vec<String> = questions(&notes()).iter().map(|q| format!("{} {}", q.step, q.asked)).collect();
    assert_eq!(asked, ["1 dL_do", "2A dL_dh2", "2B dL_dWo", "3A dL_dh1", "3B dL_dW2", "4 dL_dW1"]);
    assert_eq!(questions(&notes())[1].title(), "Step 2A: dL/dh(2)");
}

#[test]
fn an_empty_file_answers_nothing() {
    let submission = grade(&notes(), "");
    assert_eq!((submission.score, submission.max_score), (0.0, 6.0));
    assert!(verdicts(&submission).iter().all(|v| *v == Verdict::Missing));
    assert!(submission.error.is_none());
}

#[test]
fn invalid_toml_is_the_submissions_error() {
    let submission = grade(&notes(), "dL_do = [1, 2");
    let error = submission.error.as_deref().unwrap();
    assert!(error.contains("line 1"), "{error}");
    assert_eq!(submission.score, 0.0);
    assert_eq!(submission.results.len(), 6);
}

#[test]
fn values_may_be_numbers_arrays_or_answer_language_strings() {
    let text = r#"
        dL_do = "[0.09, 0.665, e^2/(e^1+e^3+e^2) - 1]"
        dL_dh2 = [0.288, "-0.575"]
        dL_dWo = [[0.36, 0.09], [2.661, 0.665], [-3.021, -0.755]]
        dL_dh1 = "[-0.863; 1.438]"
        dL_dW2 = "[0.288, 0.288; -0.575, -0.575]"
        dL_dW1 = [[-0.863, -0.863, -0.863], [1.438, 1.438, 1.438]]
    "#;
    let submission = grade(&notes(), text);
    assert_eq!(submission.score, 6.0, "{:?}", submission.results);
    assert!(submission.warnings.is_empty());
}

#[test]
fn malformed_values_are_invalid_answers_not_errors() {
    let text = r#"
        dL_do = [[1, 2], [3]]
        dL_dh2 = true
        dL_dWo = []
        dL_dh1 = [1, "2 +"]
        dL_dW2 = nan
    "#;
    let submission = grade(&notes(), text);
    let messages: Vec<&str> = submission.results.iter().map(|r| r.grade.message.as_ref()).collect();
    assert_eq!(verdicts(&submission)[..5], [Verdict::Invalid; 5], "{messages:?}");
    // Not typed text, so no column to point at.
    assert_eq!(messages[0], "Cannot read the answer: row 2 has 1 entries but row 1 has 2.");
    assert!(messages[1].contains("not boolean"), "{}", messages[1]);
    assert!(messages[3].contains("entry 2"), "{}", messages[3]);
    assert!(messages[4].contains("not a finite number"), "{}", messages[4]);
    assert!(submission.error.is_none());
}

#[test]
fn an_unreadable_string_keeps_its_text_for_the_caret() {
    let submission = grade(&notes(), "dL_do = \"[1, 2\"");
    let first = &submission.results[0];
    assert_eq!(first.input.as_deref(), Some("[1, 2"));
    let rendered = first.grade.error.as_ref().unwrap().render(first.input.as_ref().unwrap());
    assert_eq!(rendered.lines().nth(1), Some("     ^"));
}

#[test]
fn unknown_keys_get_a_did_you_mean_and_grading_goes_on() {
    let text = r#"
        dl_do = [0.09, 0.665, -0.755]
        dL_dh3 = [1, 2]
        "dL_dWo[4,1]" = 1
        "dl_dwo[2,1]" = 1
        banana = 1
        dL_dh2 = [0.288, -0.575]
    "#;
    let submission = grade(&notes(), text);
    let warnings = submission.warnings.join("\n");
    assert!(
        warnings.contains("'dl_do' is not a quantity of this lesson (did you mean 'dL_do'?)"),
        "{warnings}"
    );
    assert!(
        warnings.contains("'dL_dh3' is not a quantity of this lesson (did you mean 'dL_dh2'?)"),
        "{warnings}"
    );
    assert!(warnings.contains("'dL_dWo[4,1]' is no entry of dL_dWo: entries are numbered from 1, and dL_dWo is 3×2: 'dL_dWo[1,1]' to 'dL_dWo[3,2]'"), "{warnings}");
    assert!(warnings.contains("did you mean 'dL_dWo[2,1]'?"), "{warnings}");
    assert!(
        submission.warnings.iter().any(|w| w == "'banana' is not a quantity of this lesson"),
        "{warnings}"
    );
    assert_eq!(verdicts(&submission)[1], Verdict::Correct);
}

#[test]
fn quantities_not_asked_are_reported_and_not_graded() {
    let submission = grade(&notes(), "z1 = [1, 1]\ndL_do = [0.09, 0.665, -0.755]");
    assert_eq!(submission.warnings, ["'z1' is not asked in this lesson, so it is not graded"]);
    assert_eq!(submission.score, 1.0);
}

#[test]
fn a_whole_quantity_may_be_given_entry_by_entry() {
    let entries = r#"
        "dL_dWo[1,1]" = 0.36
        "dL_dWo[1,2]" = 0.09
        "dL_dWo[2,1]" = 2.661
        "dL_dWo[2,2]" = 0.665
        "dL_dWo[3,1]" = -3.021
    "#;
    let partial = grade(&notes(), entries);
    assert_eq!(verdicts(&partial)[2], Verdict::Missing);
    assert!(
        partial.results[2].grade.message.contains("5 of its 6 entries"),
        "{}",
        partial.results[2].grade.message
    );
    let whole = grade(&notes(), &format!("{entries}\n\"dL_dWo[3,2]\" = -0.755"));
    assert_eq!(verdicts(&whole)[2], Verdict::Correct);
    let wrong = grade(&notes(), &format!("{entries}\n\"dL_dWo[3,2]\" = 0.755"));
    assert_eq!(wrong.results[2].grade.wrong_entries, vec![vec![3, 2]]);
}

const ASKS_ENTRIES: &str = r#"
title = "Single entries"
[network]
input = [1, 1, 1]
label = 3
[[network.layers]]
weights = [[1, 0, 0], [0, 1, 0]]
[[network.layers]]
weights = [[1, 3], [2, -1]]
[[network.layers]]
weights = [[0, 1], [1, -1], [0.5, 0]]
[steps]
ask = ["dL_dWo[2,1]", "dh2_dh1[1,2]", "dL_do[3]"]
"#;

#[test]
fn asked_entries_are_graded_like_scalars() {
    let lesson = parse_lesson("entries", ASKS_ENTRIES).unwrap();
    let asked: Vec<String> = questions(&lesson).iter().map(|q| q.asked.to_string()).collect();
    assert_eq!(asked, ["dL_dWo[2,1]", "dh2_dh1[1,2]", "dL_do[3]"]);
    // By entry key; and the entry of a whole quantity given whole.
    let text = r#"
        "dL_dWo[2,1]" = "0.6652 * 4"
        "dh2_dh1[1,2]" = 3
        dL_do = [0.09, 0.665, -0.5]
    "#;
    let submission = grade(&lesson, text);
    assert_eq!(verdicts(&submission), [Verdict::Correct, Verdict::Correct, Verdict::Incorrect]);
    assert_eq!(submission.results[2].grade.wrong_entries, vec![vec![3]]);
}

#[test]
fn carried_answers_earn_the_point() {
    // ∂L/∂o without e_y, then Step 2A right from it: one point lost, not two.
    let text = "dL_do = [0.0900, 0.6652, 0.2447]\ndL_dh2 = [0.7876, -0.5752]";
    let submission = grade(&notes(), text);
    assert_eq!(verdicts(&submission)[..2], [Verdict::Incorrect, Verdict::Carried]);
    assert_eq!(submission.score, 1.0);
}

#[test]
fn a_folder_means_its_toml_files_in_name_order() {
    use backprop_tutor::answer::batch::{grade_files, list_answers};
    let dir = tempfile::tempdir().unwrap();
    for name in ["b.toml", "a.toml", "notes.txt", "c.TOML"] {
        std::fs::write(dir.path().join(name), "dL_do = [0.09, 0.665, -0.755]").unwrap();
    }
    let lone = dir.path().join("notes.txt");
    let files = list_answers(&[dir.path().to_path_buf(), lone.clone()]).unwrap().files;
    let paths: Vec<_> = files.iter().map(|f| f.path().into_owned()).collect();
    let names: Vec<&str> = paths.iter().map(|p| p.file_name().unwrap().to_str().unwrap()).collect();
    assert_eq!(names, ["a.toml", "b.toml", "c.TOML", "notes.txt"]);
    assert_eq!(paths[0], dir.path().join("a.toml"));
    // Graded in parallel, reported in the same order.
    let lesson = notes();
    let solution = Solution::new(lesson.network());
    let grader = Grader::new(&lesson, &solution, GradeOptions::default());
    let submissions = grade_files(&grader, &questions(&lesson), &files).unwrap();
    let graded: Vec<&str> = submissions.iter().map(|s| s.file.rsplit('/').next().unwrap()).collect();
    assert_eq!(graded, names);
    assert!(submissions.iter().all(|s| s.score == 1.0));
}

mod never_panics {
    use super::*;
    use proptest::prelude::*;

    const KEYS: &[&str] = &[
        "dL_do",
        "dL_dh2",
        "dL_dWo",
        "dL_dh1",
        "dL_dW2",
        "dL_dW1",
        "o_hat",
        "z2",
        "h1",
        "loss",
        "\"dL_do[3]\"",
        "\"dL_dWo[2,1]\"",
        "\"dL_dWo[3,2]\"",
        "\"dL_dW1[9,9]\"",
        "\"dh2_dh1[1,2]\"",
        "dL_dh",
        "\"dL_do[0]\"",
        "x",
    ];
    const VALUES: &[&str] = &[
        "0.5",
        "-1",
        "nan",
        "inf",
        "-inf",
        "1e308",
        "[0.09, 0.665, -0.755]",
        "[1, 2]",
        "[[1, 2], [3]]",
        "[]",
        "[[]]",
        "[[1, 2], [3, 4], [5, 6]]",
        "[[1, 2, 3], [4, 5, 6]]",
        "\"[1, 2; 3, 4]\"",
        "\"1/0\"",
        "\"[e, pi\"",
        "\"\"",
        "true",
        "[\"1+1\", \"2^-1\"]",
        "[\"[1]\", 2]",
        "{a = 1}",
        "1979-05-27",
        "[[1, [2]]]",
        "\"((((((1))))))\"",
    ];

    proptest! {
        #[test]
        fn any_answer_file_grades_without_panicking(
            lines in prop::collection::vec((prop::sample::select(KEYS), prop::sample::select(VALUES)), 0..10),
            noise in ".{0,20}",
        ) {
            let text: String = lines.iter().map(|(k, v)| format!("{k} = {v}\n")).collect();
            for text in [text.clone(), format!("{text}{noise}")] {
                let submission = grade(&notes(), &text);
                prop_assert_eq!(submission.results.len(), 6);
                prop_assert!(submission.score <= 6.0);
                for result in &submission.results {
                    prop_assert!(!result.grade.message.is_empty());
                }
            }
        }
    }
}

/// The usual file (values for some of the questions, each named once, nothing else) is kept
/// per question; any other is read by key. Both must grade alike: a key nobody asks (`z2`)
/// sends the same answers down the keyed path, and only its own warning may differ.
mod usual_files_grade_as_keyed_ones {
    use super::*;
    use backprop_tutor::value::{Shape, Value};
    use proptest::prelude::*;

    /// TOML for `value` after `change`: 0 the truth, 1 doubled, 2 zeros, 3 negated, 4 rounded
    /// to two places, 5 transposed (a matrix) or reversed (a vector), 6 a lone number.
    fn toml(value: &Value, change: u8) -> String {
        let changed = |x: f64| match change {
            1 => 2.0 * x,
            2 => 0.0,
            3 => -x,
            4 => (x * 100.0).round() / 100.0,
            _ => x,
        };
        let entries: Vec<f64> = value.entries().into_iter().map(changed).collect();
        let list =
            |xs: &[f64]| format!("[{}]", xs.iter().map(|x| format!("{x:?}")).collect::<Vec<_>>().join(", "));
        match (value.shape(), change) {
            (_, 6) => format!("{:?}", entries[0]),
            (Shape::Matrix(rows, cols), 5) => {
                let columns: Vec<String> = (0..cols)
                    .map(|c| list(&(0..rows).map(|r| entries[r * cols + c]).collect::<Vec<_>>()))
                    .collect();
                format!("[{}]", columns.join(", "))
            }
            (Shape::Matrix(_, cols), _) => {
                format!("[{}]", entries.chunks(cols).map(list).collect::<Vec<_>>().join(", "))
            }
            (_, 5) => list(&entries.iter().rev().copied().collect::<Vec<_>>()),
            _ => list(&entries),
        }
    }

    proptest! {
        #[test]
        fn a_usual_file_grades_as_the_keyed_reading_of_it(
            answers in prop::collection::vec(prop::option::of(0u8..7), 6),
            order in Just((0..6).collect::<Vec<usize>>()).prop_shuffle(),
        ) {
            let lesson = notes();
            let solution = Solution::new(lesson.network());
            let truth: std::collections::BTreeMap<_, _> = solution.quantities().into_iter().collect();
            let asked = questions(&lesson);
            let text: String = order
                .iter()
                .filter_map(|&q| {
                    let change = answers[q]?;
                    let name = &asked[q].asked;
                    Some(format!("{name} = {}\n", toml(&truth[name], change)))
                })
                .collect();
            let usual = grade(&lesson, &text);
            let keyed = grade(&lesson, &format!("{text}z2 = [4, 1]\n"));
            prop_assert_eq!(&usual.results, &keyed.results, "{}", text);
            prop_assert_eq!(usual.score, keyed.score);
            let not_asked = "'z2' is not asked in this lesson, so it is not graded".to_string();
            let mut warnings = usual.warnings.clone();
            warnings.push(not_asked);
            prop_assert_eq!(warnings, keyed.warnings);
        }
    }
}
