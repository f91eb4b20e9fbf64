//! What the fuzz targets (fuzz/) check of each input, shared with tests/fuzz_regressions.rs so
//! that every input a fuzzer once broke is checked the same way by `cargo test`. Each check
//! panics when a promise is broken; a panic anywhere below is a finding too.

use backprop_tutor::answer::language::{Names, NoNames, parse, parse_answer};
use backprop_tutor::answer::sheet::read_sheet;
use backprop_tutor::answer::submission::grade_sheet;
use backprop_tutor::answer::{GradeOptions, Grader, Question, questions};
use backprop_tutor::engine::Solution;
use backprop_tutor::lesson::{Lesson, LessonFile, load_lesson, parse_lesson};
use backprop_tutor::report::write_solution_json;
use nalgebra::DMatrix;
use std::sync::LazyLock;

/// Names of every kind of shape, for formula answers to use.
static NAMES: LazyLock<Names> = LazyLock::new(|| {
    let mut names = Names::new();
    names
        .insert("x", DMatrix::from_row_slice(2, 1, &[1.0, -1.0]))
        .insert("W1", DMatrix::from_row_slice(2, 2, &[1.0, 2.0, -1.0, 0.5]))
        .insert("z2", DMatrix::from_row_slice(2, 1, &[1.5, -0.5]))
        .insert("h2", DMatrix::from_row_slice(2, 1, &[1.5, 0.0]))
        .insert("Wo", DMatrix::from_row_slice(3, 2, &[1.0, 0.5, -1.0, 2.0, 0.25, 1.0]))
        .insert("o", DMatrix::from_row_slice(3, 1, &[1000.0, -1000.0, 0.0]))
        .insert("dL_do", DMatrix::from_row_slice(1, 3, &[0.2, 0.3, -0.5]))
        .insert("loss", DMatrix::from_row_slice(1, 1, &[0.75]));
    names
});

/// The answer language, with no names and with some: a value has only finite entries and
/// comes out the same every time, reading without names is parsing and evaluating without
/// names, and every position (an error's caret, a name, a note) stays within the input.
pub(super) fn answer(input: &str) {
    let length = input.chars().count();
    let parsed = parse(input);
    let plain = parse_answer(input);
    match &parsed {
        Ok(parsed) => {
            assert_eq!(plain, parsed.evaluate(&NoNames).map(|e| e.into_value()), "{input:?}");
            assert!(parsed.name_uses().all(|(_, column)| column < length), "{input:?}: a name past the end");
            assert!(parsed.notes().iter().all(|note| note.column < length), "{input:?}: a note past the end");
            let named = parsed.evaluate(&*NAMES);
            assert_eq!(named, parsed.evaluate(&*NAMES), "{input:?}: two evaluations differ");
            for result in [named.map(|e| e.into_value()), plain] {
                match result {
                    Ok(value) => assert!(value.is_finite(), "{input:?} gave {value:?}"),
                    Err(error) => assert!(error.column <= length, "{input:?}: caret past the end: {error:?}"),
                }
            }
        }
        Err(error) => {
            assert_eq!(plain.as_ref(), Err(error), "{input:?}");
            assert!(error.column <= length, "{input:?}: caret past the end: {error:?}");
            let _ = error.render(input);
        }
    }
}

/// The lesson loader: a lesson or one message. A lesson `toml` itself rejects is never
/// accepted, an accepted one has exactly the weights `toml` reads (the loader reads weight
/// rows its own way), and it can be solved.
pub(super) fn lesson(text: &str) {
    let loaded = parse_lesson("fuzz.toml", text);
    let plain = toml::from_str::<LessonFile>(text);
    match (loaded, plain) {
        (Ok(_), Err(error)) => panic!("accepted a lesson toml rejects ({error}):\n{text}"),
        (Ok(lesson), Ok(file)) => {
            let network = lesson.network();
            let layers = network.hidden().iter().chain([network.output()]);
            for (l, (layer, spec)) in layers.zip(&file.network.layers).enumerate() {
                for (r, row) in spec.weights.iter().enumerate() {
                    for (c, &x) in row.iter().enumerate() {
                        let read = layer.weights()[(r, c)];
                        assert_eq!(
                            read.to_bits(),
                            x.to_bits(),
                            "layer {}, weight [{r}, {c}]:\n{text}",
                            l + 1
                        );
                    }
                }
            }
            write_solution_json(lesson, &mut std::io::sink()).expect("a sink takes everything");
        }
        // The message with its caret display is what a user sees.
        (Err(error), _) => drop(error.to_string()),
    }
}

static LESSON: LazyLock<Lesson> = LazyLock::new(|| load_lesson("notes-example").expect("shipped"));
static SOLUTION: LazyLock<Solution> = LazyLock::new(|| Solution::new(LESSON.network()));
static QUESTIONS: LazyLock<Vec<Question>> = LazyLock::new(|| questions(&LESSON));

/// An answer file graded against notes-example as `check` grades it. Its two readers agree:
/// the quick one for the usual subset of TOML and the general parser, forced here by a
/// leading byte-order mark (which the quick reader leaves to it).
pub(super) fn answers_file(text: &str) {
    let grader = Grader::new(&LESSON, &SOLUTION, GradeOptions::default());
    let _ = grade_sheet(&grader, &QUESTIONS, "fuzz.toml", text);
    if text.starts_with('\u{feff}') {
        return;
    }
    let names = grader.names();
    let quick = read_sheet(text, LESSON.network(), names);
    let with_bom = format!("\u{feff}{text}");
    let general = read_sheet(&with_bom, LESSON.network(), names);
    match (&quick, &general) {
        // Compared as debug text, where NaN equals NaN.
        (Ok(a), Ok(b)) => assert_eq!(format!("{a:?}"), format!("{b:?}"), "{text:?}"),
        (Ok(_), Err(e)) => panic!("only the general parser rejects {text:?}: {e}"),
        (Err(e), Ok(_)) => panic!("only the quick reader rejects {text:?}: {e}"),
        (Err(_), Err(_)) => {}
    }
}
