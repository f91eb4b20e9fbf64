//! Error carried forward must never credit work that was not done (DESIGN.md §4): answer files
//! that try to earn points without the work, on every shipped lesson, score exactly what their
//! truly correct answers earn; genuine carries and honest rounding keep their points.
//!
//! Expected scores are computed from the lesson's true values alone, never by the grader.

use backprop_tutor::answer::submission::grade_sheet;
use backprop_tutor::answer::{GradeOptions, Grader, Question, Submission, Verdict, questions};
use backprop_tutor::engine::Solution;
use backprop_tutor::lesson::{Lesson, load_lesson, parse_lesson, shipped};
use backprop_tutor::plan::before_step;
use backprop_tutor::quantity::{Quantity, QuantityRef};
use backprop_tutor::value::Value;
use nalgebra::{DMatrix, DVector};

fn grade(lesson: &Lesson, text: &str, options: GradeOptions) -> Submission {
    let solution = Solution::new(lesson.network());
    let grader = Grader::new(lesson, &solution, options);
    grade_sheet(&grader, &questions(lesson), "answers.toml", text)
}

/// A value as a TOML number or array, its entries mapped through `f`.
fn toml(value: &Value, f: impl Fn(f64) -> f64) -> String {
    let row = |xs: Vec<f64>| {
        format!("[{}]", xs.into_iter().map(|x| format!("{:?}", f(x))).collect::<Vec<_>>().join(", "))
    };
    match value {
        Value::Scalar(x) => format!("{:?}", f(*x)),
        Value::Vector(v) => row(v.iter().copied().collect()),
        Value::Matrix(m) => {
            let rows: Vec<String> = m.row_iter().map(|r| row(r.iter().copied().collect())).collect();
            format!("[{}]", rows.join(", "))
        }
    }
}

fn truth(solution: &Solution, question: &Question) -> Value {
    solution.value_of(&question.asked).expect("asked quantities exist")
}

/// An answer file giving each question `answer(question, its true value)`.
fn file(lesson: &Lesson, answer: impl Fn(&Question, &Value) -> String) -> String {
    let solution = Solution::new(lesson.network());
    questions(lesson)
        .iter()
        .map(|q| format!("\"{}\" = {}\n", q.asked, answer(q, &truth(&solution, q))))
        .collect()
}

/// How many questions an all-zero answer truly gets right: those whose every true entry is
/// within the lesson's tolerance of 0.
fn zero_is_right(lesson: &Lesson) -> f64 {
    let solution = Solution::new(lesson.network());
    let tolerances = lesson.tolerances();
    let count = questions(lesson)
        .iter()
        .filter(|q| {
            let value = truth(&solution, q);
            let shape = value.shape();
            value.entries().iter().enumerate().all(|(n, e)| {
                let index = if q.asked.index.is_empty() { shape.index(n) } else { q.asked.index.clone() };
                tolerances.for_entry(&QuantityRef { index, ..q.asked.whole() }).accepts(0.0, *e)
            })
        })
        .count();
    count as f64
}

fn shipped_lessons() -> impl Iterator<Item = (&'static str, Lesson)> {
    shipped::all().map(|(name, _)| (name, load_lesson(name).unwrap()))
}

#[test]
fn a_file_of_zeros_earns_only_what_zero_truly_answers() {
    for (name, lesson) in shipped_lessons() {
        let zeros = file(&lesson, |_, value| toml(value, |_| 0.0));
        let submission = grade(&lesson, &zeros, GradeOptions::default());
        assert_eq!(submission.score, zero_is_right(&lesson), "{name}: {:?}", submission.results);
        assert!(submission.results.iter().all(|r| r.grade.verdict != Verdict::Carried), "{name}");
    }
}

#[test]
fn a_file_of_numbers_too_small_to_tell_from_zeros_earns_nothing_more() {
    // Every gradient a two-hundredth of the truth: each follows "by the method" from the one
    // before (the backward pass is linear), but none shows any work.
    for (name, lesson) in shipped_lessons() {
        let tiny = file(&lesson, |q, value| {
            let gradient = !matches!(
                q.asked.quantity,
                Quantity::DhDh(_) | Quantity::DhDz(_) | Quantity::DzDh(_) | Quantity::DoDh(_)
            );
            toml(value, |x| if gradient { x / 200.0 } else { 0.0 })
        });
        let submission = grade(&lesson, &tiny, GradeOptions::default());
        assert!(
            submission.results.iter().all(|r| r.grade.verdict != Verdict::Carried),
            "{name}: {:?}",
            submission.results
        );
        assert_eq!(submission.score, zero_is_right(&lesson), "{name}");
    }
}

#[test]
fn unasked_keys_never_feed_a_carry() {
    // Made-up forward values that the lesson does not ask, each with the answer "the method"
    // would give from them: none may earn anything, zeros or not.
    for (name, lesson) in shipped_lessons() {
        let network = lesson.network();
        // These keys are a single example's names; a dataset's are numbered (`h2#1`).
        if network.dataset_size().is_some() {
            continue;
        }
        let k = network.depth();
        let solution = Solution::new(network);
        let asked = questions(&lesson);
        let asks = |q: Quantity| asked.iter().any(|question| question.asked == QuantityRef::from(q));
        if asked.iter().any(|q| {
            matches!(q.asked.quantity, Quantity::Z(_) | Quantity::H(_) | Quantity::O | Quantity::OHat)
        }) {
            continue;
        }
        let mut text = String::new();
        let mut exploits = 0.0;
        // h(K) = 1: then ∂L/∂W(o) "is" (∂L/∂o)ᵀ 1ᵀ.
        let ones = vec!["1"; network.units(k)].join(", ");
        text.push_str(&format!("h{k} = [{ones}]\n"));
        if asks(Quantity::DlDwo) {
            let dl_do = solution.value(Quantity::DlDo).unwrap().entries();
            let rows: Vec<String> = dl_do
                .iter()
                .map(|d| format!("[{}]", vec![format!("{d:?}"); network.units(k)].join(", ")))
                .collect();
            text.push_str(&format!("dL_dWo = [{}]\n", rows.join(", ")));
            exploits += 1.0;
        }
        // ô uniform: then ∂L/∂o "is" 1/K − e_y.
        if let (true, Some(label)) = (
            network.is_softmax(),
            (1..=network.outputs()).find(|&c| solution.value(Quantity::DlDo).unwrap().entries()[c - 1] < 0.0),
        ) {
            let outputs = network.outputs();
            let uniform = 1.0 / outputs as f64;
            let p = vec![format!("{uniform:?}"); outputs].join(", ");
            let d: Vec<String> =
                (1..=outputs).map(|c| format!("{:?}", uniform - f64::from(u8::from(c == label)))).collect();
            text.push_str(&format!("o_hat = [{p}]\ndL_do = [{}]\n", d.join(", ")));
            exploits += 1.0;
        }
        let submission = grade(&lesson, &text, GradeOptions::default());
        assert!(exploits > 0.0, "{name}");
        assert_eq!(submission.score, 0.0, "{name}: {:?}", submission.results);
        assert!(
            submission.warnings.iter().any(|w| w.contains("not asked")),
            "{name}: {:?}",
            submission.warnings
        );
    }
}

#[test]
fn invalid_and_missing_earlier_answers_never_feed_a_carry() {
    let lesson = load_lesson("notes-example").unwrap();
    let solution = Solution::new(lesson.network());
    let dl_do = solution.value(Quantity::DlDo).unwrap();
    // What Step 2A would be if ∂L/∂o(1) were 0.5 and the rest the truth.
    let mut their = dl_do.entries();
    their[0] = 0.5;
    let w = lesson.network().output().weights();
    let dl_dh2: Vec<f64> = (0..2).map(|j| (0..3).map(|i| their[i] * w[(i, j)]).sum()).collect();
    let step_2a = format!("dL_dh2 = [{:?}, {:?}]\n", dl_dh2[0], dl_dh2[1]);
    for earlier in [
        // Only one entry of ∂L/∂o: the whole answer is missing.
        "\"dL_do[1]\" = 0.5\n".to_string(),
        // An unreadable answer next to a readable entry of it.
        "dL_do = \"[0.5, 0.665\"\n\"dL_do[1]\" = 0.5\n".to_string(),
        // A ragged array.
        "dL_do = [[0.5], [0.665, 1]]\n".to_string(),
    ] {
        let submission = grade(&lesson, &format!("{earlier}{step_2a}"), GradeOptions::default());
        let step = &submission.results[1].grade;
        assert_eq!(step.verdict, Verdict::Incorrect, "{earlier}: {step:?}");
        assert_eq!(submission.score, 0.0, "{earlier}");
    }
}

#[test]
fn genuine_carries_keep_their_points_on_every_shipped_lesson() {
    // The backward pass is linear in ∂L/∂o once the gates are fixed, so a learner whose ∂L/∂o
    // is twice the truth, and who then computes every later step right, gives twice the truth
    // for every gradient: all carried but Step 1.
    // A step of gradient descent with that gradient moves twice as far: W − 2η ∂L/∂W, which is
    // 2 W_new − W. (The loss after it is left unanswered: no formula of the language runs a
    // forward pass.)
    for (name, lesson) in shipped_lessons() {
        let solution = Solution::new(lesson.network());
        let doubled = file(&lesson, |q, value| {
            if q.asked.quantity == Quantity::LossNew {
                return "\"\"".into();
            }
            if let Some(before) = before_step(q.asked.quantity) {
                let w = before.eval(&solution).unwrap().entries();
                let twice: Vec<f64> = value.entries().iter().zip(&w).map(|(new, w)| 2.0 * new - w).collect();
                let twice = match value {
                    Value::Matrix(m) => Value::Matrix(DMatrix::from_row_slice(m.nrows(), m.ncols(), &twice)),
                    _ => Value::Vector(DVector::from_vec(twice)),
                };
                return toml(&twice, |x| x);
            }
            let gradient = !matches!(
                q.asked.quantity,
                Quantity::DhDh(_)
                    | Quantity::DhDz(_)
                    | Quantity::DzDh(_)
                    | Quantity::DoDh(_)
                    | Quantity::Loss
            );
            toml(value, |x| if gradient { 2.0 * x } else { x })
        });
        let submission = grade(&lesson, &doubled, GradeOptions::default());
        let step_one =
            questions(&lesson).iter().filter(|q| q.asked.quantity == Quantity::DlDo).count() as f64;
        let unanswered =
            questions(&lesson).iter().filter(|q| q.asked.quantity == Quantity::LossNew).count() as f64;
        assert_eq!(
            submission.score,
            submission.max_score - step_one - unanswered,
            "{name}: {:?}",
            submission.results
        );
        for result in &submission.results {
            if result.grade.verdict == Verdict::Carried {
                assert!(!result.grade.carried_from.is_empty(), "{name}: {:?}", result.grade);
                assert!(result.grade.message.contains(&result.grade.carried_from[0].to_string()), "{name}");
            }
        }
        let strict = grade(&lesson, &doubled, GradeOptions { strict: true, ..GradeOptions::default() });
        let carried =
            submission.results.iter().filter(|r| r.grade.verdict == Verdict::Carried).count() as f64;
        assert_eq!(strict.score, submission.score - carried, "{name}");
    }
}

#[test]
fn an_answer_computed_from_a_rounded_one_is_correct_in_a_file() {
    let lesson = load_lesson("mse").unwrap();
    let text = file(&lesson, |q, value| match q.asked.quantity {
        // Rounded to 2 decimals: within the 1% tolerance.
        Quantity::DlDh(2) => toml(value, |x| (x * 100.0).round() / 100.0),
        _ => toml(value, |x| x),
    });
    // ∂L/∂W(2) = gate ⊙ ∂L/∂h(2) ⊗ h(1), computed exactly from the rounded ∂L/∂h(2).
    let solution = Solution::new(lesson.network());
    let rounded: Vec<f64> = solution
        .value(Quantity::DlDh(2))
        .unwrap()
        .entries()
        .iter()
        .map(|x| (x * 100.0).round() / 100.0)
        .collect();
    let gate = solution.value(Quantity::DhDz(2)).unwrap();
    let h1 = solution.value(Quantity::H(1)).unwrap().entries();
    let rows: Vec<String> = (0..rounded.len())
        .map(|i| {
            let g = gate.entry(&[i + 1, i + 1]).unwrap();
            format!(
                "[{}]",
                h1.iter().map(|h| format!("{:?}", rounded[i] * g * h)).collect::<Vec<_>>().join(", ")
            )
        })
        .collect();
    let text: String = text
        .lines()
        .map(|line| {
            if line.starts_with("\"dL_dW2\"") {
                format!("\"dL_dW2\" = [{}]", rows.join(", "))
            } else {
                line.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let submission = grade(&lesson, &text, GradeOptions::default());
    assert_eq!(submission.score, submission.max_score, "{:?}", submission.results);
}

#[test]
fn a_key_given_under_two_spellings_is_an_error_for_that_quantity() {
    let lesson = load_lesson("notes-example").unwrap();
    let text = "dL_do = [0.09, 0.665, -0.755]\n\" dL_do\" = [1, 2, 3]\n";
    let submission = grade(&lesson, text, GradeOptions::default());
    let step = &submission.results[0].grade;
    assert_eq!(step.verdict, Verdict::Invalid, "{step:?}");
    assert!(step.message.contains("'dL_do'") && step.message.contains("' dL_do'"), "{}", step.message);
    assert!(submission.warnings.iter().any(|w| w.contains("given twice")), "{:?}", submission.warnings);
    // Two spellings of one entry, when the whole is asked entry by entry.
    let text = "\"dL_do[1]\" = 0.09\n\"dL_do[ 1]\" = 0.09\n\"dL_do[2]\" = 0.665\n\"dL_do[3]\" = -0.755\n";
    assert_eq!(grade(&lesson, text, GradeOptions::default()).results[0].grade.verdict, Verdict::Invalid);
}

#[test]
fn the_seed_key_names_the_variant_and_is_no_answer() {
    let lesson = load_lesson("notes-example").unwrap();
    let submission =
        grade(&lesson, "seed = \"s1234567\"\ndL_do = [0.09, 0.665, -0.755]\n", GradeOptions::default());
    assert_eq!(submission.seed.as_deref(), Some("s1234567"));
    assert!(submission.warnings.is_empty(), "{:?}", submission.warnings);
    // A number is no seed (`check --help` says so): a warning, and no seed.
    let numbered = grade(&lesson, "seed = 1234567\n", GradeOptions::default());
    assert_eq!(numbered.seed, None);
    assert!(
        numbered.warnings.iter().any(|w| w.contains("write seed = \"1234567\"")),
        "{:?}",
        numbered.warnings
    );
}

#[test]
fn an_entrys_own_tolerance_holds_when_the_whole_matrix_is_graded() {
    let source = format!("{}\n[check.\"dL_dWo[2,1]\"]\nrtol = 0.5\n", load_lesson_source("notes-example"));
    let lesson = parse_lesson("loose entry", &source).unwrap();
    let solution = Solution::new(lesson.network());
    let dl_dwo = solution.value(Quantity::DlDwo).unwrap();
    // Entry [2,1] 20% off: within its own 50%, far outside the default 1%.
    let off = |n: usize, x: f64| if n == 2 { x * 1.2 } else { x };
    let entries: Vec<f64> = dl_dwo.entries().iter().enumerate().map(|(n, x)| off(n, *x)).collect();
    let text = format!(
        "dL_dWo = [[{:?}, {:?}], [{:?}, {:?}], [{:?}, {:?}]]\n",
        entries[0], entries[1], entries[2], entries[3], entries[4], entries[5]
    );
    let submission = grade(&lesson, &text, GradeOptions::default());
    let whole = QuantityRef::from(Quantity::DlDwo);
    let graded = questions(&lesson).iter().position(|q| q.asked == whole).unwrap();
    assert_eq!(submission.results[graded].grade.verdict, Verdict::Correct);
    // Entry [1,1] 20% off stays wrong.
    let text = text.replacen(&format!("{:?}", entries[0]), &format!("{:?}", entries[0] * 1.2), 1);
    let submission = grade(&lesson, &text, GradeOptions::default());
    assert_eq!(submission.results[graded].grade.wrong_entries, vec![vec![1, 1]]);
    // --rtol replaces every rtol, the entry's own included.
    let strict = GradeOptions { rtol: Some(0.01), ..GradeOptions::default() };
    let text = format!(
        "dL_dWo = [[{:?}, {:?}], [{:?}, {:?}], [{:?}, {:?}]]\n",
        entries[0], entries[1], entries[2], entries[3], entries[4], entries[5]
    );
    assert_eq!(grade(&lesson, &text, strict).results[graded].grade.wrong_entries, vec![vec![2, 1]]);
}

fn load_lesson_source(name: &str) -> &'static str {
    shipped::source(name).unwrap()
}

// ------------------------------------------------- through the binary: loose tolerances

use crate::support::check as support;

/// notes-example with `extra` (TOML tables) added, as a lesson file in `dir`.
fn loosened(dir: &std::path::Path, extra: &str) -> std::path::PathBuf {
    let file = dir.join("loose.toml");
    let source = load_lesson_source("notes-example").replace("[lint]", &format!("{extra}\n[lint]"));
    std::fs::write(&file, source).unwrap();
    file
}

/// Every answer of notes-example, each entry mapped through `f`.
fn notes_answers(f: impl Fn(f64) -> f64) -> String {
    let lesson = load_lesson("notes-example").unwrap();
    file(&lesson, |_, value| toml(value, &f))
}

#[test]
fn a_loose_tolerance_on_an_earlier_answer_passes_nothing_on_as_correct() {
    // [check.dL_do] atol = 5 makes zeros right for ∂L/∂o, and every later gradient is then
    // "what the method gives" from them: zeros again, which show no work.
    let dir = tempfile::tempdir().unwrap();
    let lesson = loosened(dir.path(), "[check.dL_do]\natol = 5\n");
    let zeros = support::folder(&[("zeros.toml", &notes_answers(|_| 0.0))]);
    let answers = zeros.path().join("zeros.toml");
    let run =
        support::check(&[support::path(&lesson), support::path(&answers), "--strict", "--format", "json"]);
    let json = support::json(&run);
    let submission = &json["submissions"][0];
    assert_eq!(submission["score"], 0.0, "{}", run.stdout);
    for result in submission["results"].as_array().unwrap() {
        assert_eq!(result["verdict"], "incorrect", "{result}");
        assert!(!result["message"].as_str().unwrap().contains("rounded"), "{result}");
    }
    // Without --strict neither: the zeros guard holds for every kind of follow-through.
    let run = support::check(&[support::path(&lesson), support::path(&answers), "--format", "json"]);
    assert_eq!(support::json(&run)["submissions"][0]["score"], 0.0, "{}", run.stdout);
    // A rough ∂L/∂o, within the loose atol but 0.5 off the truth, and Step 2A worked right
    // from it: a carry, not a rounding, so --strict gives it nothing.
    let rough = "dL_do = [0.59003, 1.16524, -0.25527]\ndL_dh2 = \"dL_do * Wo\"\n";
    let dir = support::folder(&[("rough.toml", rough)]);
    let rough = dir.path().join("rough.toml");
    let run = support::check(&[support::path(&lesson), support::path(&rough), "--format", "json"]);
    let results = support::json(&run)["submissions"][0]["results"].clone();
    assert_eq!((&results[0]["verdict"], &results[1]["verdict"]), (&"correct".into(), &"carried".into()));
    let run =
        support::check(&[support::path(&lesson), support::path(&rough), "--strict", "--format", "json"]);
    assert_eq!(support::json(&run)["submissions"][0]["score"], 1.0, "{}", run.stdout);
}

#[test]
fn a_loose_relative_tolerance_makes_what_follows_a_carry_not_a_rounding() {
    // Every answer half the truth: ∂L/∂o is within its own 60%, and each later answer is the
    // method applied to it, but that ∂L/∂o is far off at the later answers' 1%: a carry,
    // which --strict does not credit.
    let dir = tempfile::tempdir().unwrap();
    let lesson = loosened(dir.path(), "[check.dL_do]\nrtol = 0.6\n");
    let half = support::folder(&[("half.toml", &notes_answers(|x| x / 2.0))]);
    let answers = half.path().join("half.toml");
    let lenient = support::check(&[support::path(&lesson), support::path(&answers), "--format", "json"]);
    let results = support::json(&lenient)["submissions"][0]["results"].clone();
    assert_eq!(results[0]["verdict"], "correct", "{results}");
    for result in results.as_array().unwrap().iter().skip(1) {
        assert_eq!(result["verdict"], "carried", "{result}");
    }
    let strict =
        support::check(&[support::path(&lesson), support::path(&answers), "--strict", "--format", "json"]);
    assert_eq!(strict.code, 1);
    assert_eq!(support::json(&strict)["submissions"][0]["score"], 1.0, "{}", strict.stdout);
}

#[test]
fn no_tolerance_makes_zeros_correct() {
    let zeros = support::folder(&[("zeros.toml", &notes_answers(|_| 0.0))]);
    let answers = zeros.path().join("zeros.toml");
    // rtol ≥ 1 cannot be set, on the command line or in the lesson.
    for rtol in ["1", "1e9"] {
        let run = support::check(&["notes-example", support::path(&answers), "--rtol", rtol]);
        assert_eq!(run.code, 2, "--rtol {rtol}: {}", run.stderr);
        assert!(run.stderr.contains("below 1"), "{}", run.stderr);
    }
    let dir = tempfile::tempdir().unwrap();
    let lesson = dir.path().join("rtol1.toml");
    let source = load_lesson_source("notes-example").replace("[lint]", "[check]\nrtol = 1\n\n[lint]");
    std::fs::write(&lesson, &source).unwrap();
    let run = support::check(&[support::path(&lesson), support::path(&answers)]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let line = source.lines().position(|l| l == "rtol = 1").unwrap() + 1;
    assert!(run.stderr.contains(&format!("rtol1.toml:{line}:8:")), "{}", run.stderr);
    assert!(run.stderr.contains("check.rtol = 1: a relative tolerance must be below 1"), "{}", run.stderr);
    // An atol that takes every number for every other is still no way to pass zeros; the
    // right answers stay right.
    let run =
        support::check(&["notes-example", support::path(&answers), "--atol", "1e308", "--format", "json"]);
    let json = support::json(&run);
    assert_eq!(json["submissions"][0]["score"], 0.0, "{}", run.stdout);
    let message = json["submissions"][0]["results"][0]["message"].as_str().unwrap();
    assert!(message.contains("zeros shows no work"), "{message}");
    let right = support::folder(&[("right.toml", support::RIGHT)]);
    let run = support::check(&[
        "notes-example",
        support::path(&right.path().join("right.toml")),
        "--atol",
        "1e308",
    ]);
    assert_eq!(run.code, 0, "{}", run.stdout);
}

/// Answers to the first three questions of a softmax lesson (∂L/∂o, ∂L/∂h(K), ∂L/∂W(o)) that
/// are exactly what the method gives from the made-up `dl_do`, computed here from the weights.
fn following(lesson: &Lesson, dl_do: &[f64]) -> String {
    let network = lesson.network();
    let k = network.depth();
    let solution = Solution::new(network);
    let g = DVector::from_column_slice(dl_do);
    let dl_dh = network.output().weights().transpose() * &g;
    let h = solution.value(Quantity::H(k)).unwrap().entries();
    let dl_dwo = &g * DVector::from_vec(h).transpose();
    let vector = |v: &DVector<f64>| toml(&Value::Vector(v.clone()), |x| x);
    format!(
        "dL_do = {}\ndL_dh{k} = {}\ndL_dWo = {}\n",
        vector(&g),
        vector(&dl_dh),
        toml(&Value::Matrix(dl_dwo), |x| x)
    )
}

#[test]
fn honest_slips_that_look_simple_still_carry() {
    // Only zeros are no ground for a carry. A lone ±1 among zeros or one number everywhere
    // looks as simple, but honest slips give exactly those: ∂L/∂o = −e_y when ô is forgotten,
    // [0, x] when a gate is misread, and with two outputs the sign slip 1 − ô_1 is ô_2 in both
    // entries. What follows from them still applies the method, so it carries (DESIGN.md §4).
    let lesson = load_lesson("notes-example").unwrap();
    for slip in [[0.0, 0.0, -1.0], [0.0, 0.6652, -0.7553], [0.3, 0.3, 0.3]] {
        let submission = grade(&lesson, &following(&lesson, &slip), GradeOptions::default());
        for result in &submission.results[1..3] {
            assert_eq!(result.grade.verdict, Verdict::Carried, "{slip:?}: {}", result.grade.message);
        }
    }
}
