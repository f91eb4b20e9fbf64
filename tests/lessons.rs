//! The shipped lessons as teaching material: every file in `lessons/` is shipped, each starts
//! with the schema line and says what it teaches, its numbers can be done by hand, and none has
//! the traps SPEC §7 lists (a kink, a whole layer closed, duplicate rows).

use backprop_tutor::engine::Solution;
use backprop_tutor::lesson::{Lesson, LessonFile, parse_lesson, shipped};
use backprop_tutor::network::Activation;
use std::collections::BTreeSet;

const LESSONS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/lessons");

fn all() -> Vec<(&'static str, &'static str, Lesson, LessonFile)> {
    shipped::all()
        .map(|(name, source)| {
            let lesson = parse_lesson(name, source).unwrap_or_else(|e| panic!("{e}"));
            let file: LessonFile = toml::from_str(source).unwrap();
            (name, source, lesson, file)
        })
        .collect()
}

#[test]
fn every_lesson_file_is_shipped_and_every_shipped_lesson_is_a_file() {
    let on_disk: BTreeSet<String> = std::fs::read_dir(LESSONS)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter_map(|f| f.strip_suffix(".toml").map(str::to_string))
        .collect();
    let registered: BTreeSet<String> = shipped::names().map(str::to_string).collect();
    assert_eq!(on_disk, registered, "lessons/ and src/lesson/shipped.rs disagree");
    // The embedded text is the file's text (no stale copy).
    for (name, source) in shipped::all() {
        let file = std::fs::read_to_string(format!("{LESSONS}/{name}.toml")).unwrap();
        assert_eq!(file, source, "{name}");
    }
}

#[test]
fn every_lesson_names_its_schema_and_says_what_it_teaches() {
    let mut titles = BTreeSet::new();
    for (name, source, lesson, _) in all() {
        assert_eq!(source.lines().next(), Some("#:schema ../assets/lesson.schema.json"), "{name}");
        let description = lesson.description().unwrap_or_else(|| panic!("{name} has no description"));
        assert!(description.split_whitespace().count() >= 20, "{name}: say what the lesson teaches");
        assert!(titles.insert(lesson.title().to_string()), "{name}: title shared with another lesson");
    }
}

#[test]
fn numbers_can_be_done_by_hand() {
    // Integers or one decimal place, as the notes' own numbers are.
    let one_decimal = |x: f64| ((x * 10.0).round() - x * 10.0).abs() < 1e-9;
    for (name, _, _, file) in all() {
        let n = &file.network;
        let mut numbers: Vec<f64> = n.input.clone().unwrap_or_default();
        numbers.extend(n.target.iter().flatten());
        for example in file.data.iter().flatten() {
            numbers.extend(&example.input);
            numbers.extend(example.target.iter().flatten());
        }
        numbers.extend(file.train.iter().map(|train| train.learning_rate));
        for layer in &n.layers {
            numbers.extend(layer.weights.iter().flatten());
            numbers.extend(layer.bias.iter().flatten());
        }
        for x in numbers {
            assert!(one_decimal(x), "{name}: {x} has more than one decimal");
        }
    }
}

#[test]
fn no_kinks_no_closed_layers_no_duplicate_rows() {
    for (name, _, lesson, _) in all() {
        let lesson_network = lesson.network();
        for n in 1..=lesson_network.example_count() {
            let network = &lesson_network.example(n);
            let s = Solution::new(network);
            for (l, z) in s.forward.z.iter().enumerate() {
                // Near 0, a hand-rounded z can land on the other side of the ReLU's kink.
                assert!(z.iter().all(|v| v.abs() > 0.05), "{name}: z({}) = {z} is too close to 0", l + 1);
                let activation = network.layer(l + 1).activation();
                if matches!(activation, Activation::Relu | Activation::LeakyRelu) {
                    assert!(z.iter().any(|v| *v > 0.0), "{name}: every gate of layer {} is closed", l + 1);
                }
            }
            let layers = network.hidden().iter().chain([network.output()]);
            for (l, layer) in layers.enumerate() {
                let w = layer.weights();
                let rows: Vec<Vec<u64>> =
                    w.row_iter().map(|r| r.iter().map(|x| x.to_bits()).collect()).collect();
                let distinct: BTreeSet<&Vec<u64>> = rows.iter().collect();
                assert_eq!(distinct.len(), rows.len(), "{name}: layer {} has duplicate weight rows", l + 1);
            }
        }
    }
}

#[test]
fn each_lesson_shows_its_idea() {
    let get = |name: &str| {
        let source = shipped::source(name).unwrap_or_else(|| panic!("{name} is not shipped"));
        let lesson = parse_lesson(name, source).unwrap();
        let s = Solution::new(lesson.network());
        (lesson, s)
    };

    // A closed gate that stops a gradient: ∂L/∂h of the unit is not 0, its row of ∂L/∂W is.
    let (lesson, s) = get("closed-gate");
    let k = lesson.network().depth();
    let closed: Vec<(usize, usize)> = (1..=k)
        .flat_map(|l| {
            s.forward.z[l - 1].iter().enumerate().filter(|(_, z)| **z < 0.0).map(move |(i, _)| (l, i))
        })
        .collect();
    assert!(!closed.is_empty(), "closed-gate has no closed gate");
    for &(l, i) in &closed {
        assert!(s.gradients.dl_dh[l - 1][i].abs() > 0.1, "the gradient reaching the gate should not be 0");
        assert!(s.gradients.dl_dw[l - 1].row(i).iter().all(|g| *g == 0.0));
    }

    let (lesson, _) = get("one-hidden-layer");
    assert_eq!(lesson.network().depth(), 1);
    let (lesson, _) = get("three-hidden-layers");
    assert_eq!(lesson.network().depth(), 3);
    let (lesson, _) = get("biases");
    let n = lesson.network();
    assert!(n.hidden().iter().chain([n.output()]).all(|l| l.bias().is_some()));
    let (lesson, _) = get("sigmoid");
    assert!(lesson.network().hidden().iter().all(|l| l.activation() == Activation::Sigmoid));
    let (lesson, _) = get("tanh");
    assert!(lesson.network().hidden().iter().all(|l| l.activation() == Activation::Tanh));
    let (lesson, _) = get("mse");
    assert!(!lesson.network().is_softmax());
    let (_, s) = get("large-logits");
    assert!(s.forward.o.iter().all(|o| o.abs() >= 700.0), "large-logits: o = {}", s.forward.o);
    // And the notes' Step 2B numbers (ERRATA §4).
    let (_, s) = get("notes-step2b");
    assert_eq!(s.forward.h[1].as_slice(), [1.0, 2.0]);
    assert_eq!(s.forward.o.as_slice(), [1.0, 3.0, 2.0]);
}
