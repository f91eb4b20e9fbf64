//! One description per step (DESIGN.md §3): every form a step is shown in — the formula's text
//! and LaTeX, the worked solution in text and Markdown, the hints, the highlighting — is read
//! off the same formula, so they name the same quantities and operands, biases and the loss's
//! own Step 1 included.

use backprop_tutor::engine::Solution;
use backprop_tutor::lesson::{Lesson, load_lesson, parse_lesson, shipped};
use backprop_tutor::network::steps::{StepKind, is_per_example};
use backprop_tutor::plan::definition::{definition, definition_of, jacobians};
use backprop_tutor::plan::formula::Term;
use backprop_tutor::plan::{plan, step};
use backprop_tutor::quantity::QuantityRef;
use backprop_tutor::report::{solution_markdown, solution_text};
use backprop_tutor::tutor::hints::hint;
use backprop_tutor::tutor::involvement::involvement;

/// An mse lesson with a bias in every layer: the forms the notes never show.
const MSE_WITH_BIASES: &str = r#"
title = "mse with biases"
[network]
input = [1, -1]
target = [0.5, -0.5]
loss = "mse"
[[network.layers]]
weights = [[1, 0.5], [-0.5, 1]]
bias = [0.1, -0.2]
[[network.layers]]
weights = [[1, -1], [0.5, 0.5]]
bias = [0.3, 0.0]
"#;

fn lessons() -> Vec<(String, Lesson)> {
    let mut out: Vec<(String, Lesson)> =
        shipped::all().map(|(name, _)| (name.to_string(), load_lesson(name).unwrap())).collect();
    out.push(("mse-with-biases".into(), parse_lesson("mse-with-biases", MSE_WITH_BIASES).unwrap()));
    out
}

/// The lesson's first example: `None` for a lesson's one example, `#1` of a dataset.
fn first(network: &backprop_tutor::network::Network) -> Option<usize> {
    backprop_tutor::network::steps::examples(network)[0]
}

/// Every step of the lesson, the forward pass first.
fn steps(lesson: &Lesson) -> Vec<backprop_tutor::plan::Step> {
    let network = lesson.network();
    let mut steps = vec![step(network, StepKind::Forward, first(network))];
    steps.extend(plan(lesson).into_iter().filter(|s| s.kind != StepKind::Forward));
    steps
}

#[test]
fn every_form_of_every_step_names_what_its_formula_combines() {
    for (name, lesson) in lessons() {
        let network = lesson.network();
        let solution = Solution::new(network);
        let text = solution_text(&lesson);
        let markdown = solution_markdown(&lesson);
        for step in steps(&lesson) {
            let formula_text = step.formula_text();
            assert!(
                text.contains(&formula_text),
                "{name} {}: the text solution lacks {formula_text}",
                step.id
            );
            for latex in step.formula_latex() {
                let line = latex.replace("&=", "=");
                assert!(markdown.contains(&line) || markdown.contains(&latex), "{name} {}: {latex}", step.id);
            }
            for (quantity, formula) in &step.formulas {
                // The step's formula is the quantity's one definition.
                let named = QuantityRef::named(*quantity, step.example);
                assert_eq!(Some(formula), definition_of(network, &named).as_ref(), "{name} {named}");
                for term in formula.terms() {
                    assert!(
                        formula_text.contains(&term.text()),
                        "{name} {}: {formula_text} lacks {}",
                        step.id,
                        term.text()
                    );
                }
                // The highlighting reads exactly the formula's terms: a total its examples',
                // the update the weights, η and the totals.
                assert_eq!(involvement(network, &named).operands, formula.terms(), "{name} {named}");
            }
            if step.kind != StepKind::Forward {
                let mut derived: Vec<_> = Vec::new();
                for jacobian in step.formulas.iter().flat_map(|(_, f)| jacobians(network, f)) {
                    if !derived.contains(&jacobian) {
                        derived.push(jacobian);
                    }
                }
                // The totals and the update read weights as values, not as ∂z/∂h: no Jacobians.
                if !is_per_example(step.kind) {
                    derived.clear();
                }
                assert_eq!(step.jacobians, derived, "{name} {}", step.id);
                for question in &step.asks {
                    // The formula is always on screen; the first hint is the idea behind it.
                    assert!(
                        hint(&solution, &step, question, 1).contains(&step.explanation),
                        "{name} {}",
                        step.id
                    );
                    let shapes = hint(&solution, &step, question, 2);
                    for term in step.formula_of(question.quantity).unwrap().terms() {
                        assert!(
                            shapes.contains(&term.text()),
                            "{name} {}: {shapes} lacks {}",
                            step.id,
                            term.text()
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn biases_and_the_loss_are_shown_where_the_lesson_has_them() {
    for (name, lesson) in lessons() {
        let network = lesson.network();
        // A dataset's first example names its quantities with #1; the formulas are the same.
        let forward = step(network, StepKind::Forward, first(network)).formula_text().replace("#1", "");
        let step_one =
            step(network, StepKind::OutputGradient, first(network)).formula_text().replace("#1", "");
        let markdown = solution_markdown(&lesson);
        for l in 1..=network.depth() {
            let bias = format!("b({l})");
            assert_eq!(forward.contains(&bias), network.layer(l).bias().is_some(), "{name}: {forward}");
        }
        assert_eq!(forward.contains("b(o)"), network.output().bias().is_some(), "{name}: {forward}");
        assert_eq!(markdown.contains(r"\vec{b}^{(o)}"), network.output().bias().is_some(), "{name}");
        if network.is_softmax() {
            assert!(
                forward.contains("ô = softmax(o)") && forward.contains("L = −log ô_y"),
                "{name}: {forward}"
            );
            assert_eq!(step_one, "∂L/∂o = (ô − e_y)ᵀ", "{name}");
        } else {
            assert!(
                !forward.contains("softmax") && forward.contains("L = ½ Σ (o_i − t_i)²"),
                "{name}: {forward}"
            );
            let latex = step(network, StepKind::Forward, first(network)).formula_latex().join("\n");
            assert!(!latex.contains("softmax") && latex.contains(r"\vec{t}"), "{name}: {latex}");
            assert_eq!(step_one, "∂L/∂o = (o − t)ᵀ", "{name}");
            assert!(
                step(network, StepKind::OutputGradient, first(network)).formula_latex()[0]
                    .contains(r"\vec{t}"),
                "{name}"
            );
        }
        // Each hidden layer's own activation, by name.
        for layer in network.hidden() {
            assert!(forward.contains(&format!("{}(z(", layer.activation().name())), "{name}: {forward}");
        }
    }
}

#[test]
fn the_gate_is_written_one_way_everywhere() {
    let lesson = load_lesson("notes-example").unwrap();
    let network = lesson.network();
    let gate = Term::gate(network, 2).text();
    assert_eq!(gate, "diag(1[z(2) > 0])");
    let solution = Solution::new(network);
    let three_a = plan(&lesson).into_iter().find(|s| s.id == "3A").unwrap();
    assert!(three_a.formula_text().contains(&gate));
    assert!(hint(&solution, &three_a, &three_a.asks[0], 2).contains(&gate));
    let jacobian = definition(network, backprop_tutor::quantity::Quantity::DhDz(2)).unwrap();
    assert_eq!(jacobian.to_text(), gate);
}
