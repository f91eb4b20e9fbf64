//! The step plan (DESIGN.md §3): what each step of the walkthrough asks, in the notes' order, with
//! the Jacobians it uses, the notes' equation numbers and the general formula. `derive`
//! fills in the lesson's numbers.

pub mod definition;
mod derive;
pub mod display;
pub mod formula;
mod latex;
mod text;

pub use derive::{Expr, Line, derivation, softmax_form};
pub use formula::Formula;
pub use latex::{example_latex, latex_number, quantity_latex, reference_latex, value_latex};
pub use text::format_number;

use crate::lesson::{Ask, Lesson};
use crate::network::steps::{StepKind, examples, is_per_example, lesson_step_id, lesson_steps};
use crate::network::{Network, Reduction};
use crate::quantity::{Quantity, QuantityRef};

#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// "1", "2A", "2B", "3A", "3B", "4" for the notes' network, "2A#2" for example 2 of a
    /// dataset, "sum", "5", "6" (see [`lesson_step_id`]).
    pub id: String,
    pub kind: StepKind,
    /// The example of a dataset whose step this is (Steps 0–4); `None` for the lesson's one
    /// example and for the steps of the whole dataset.
    pub example: Option<usize>,
    /// The quantities (or single entries) the learner is asked for, in order.
    pub asks: Vec<QuantityRef>,
    /// What each asked quantity equals, in the notes' matrix view: one formula for a backward
    /// step, one per quantity for the forward pass.
    pub formulas: Vec<(Quantity, Formula)>,
    /// The Jacobians the step multiplies by, read off its formula.
    pub jacobians: Vec<Quantity>,
    /// The notes' equation numbers, e.g. "(70)".
    pub equations: Vec<String>,
    /// What the step does and why, in a sentence or two.
    pub explanation: String,
}

/// A human title: "Step 3A (layer 3→2): ∂L/∂h(2)", "Step 1#2: ∂L/∂o#2".
pub fn step_title(network: &Network, step: &Step) -> String {
    let id = &step.id;
    let layers = match step.kind {
        StepKind::HiddenBack(l) if network.depth() > 2 => format!(" (layer {l}→{})", l - 1),
        StepKind::HiddenWeights(l) | StepKind::HiddenBias(l) if l > 1 && network.depth() > 2 => {
            format!(" (layer {l})")
        }
        _ => String::new(),
    };
    let what = if step.kind == StepKind::Forward {
        match step.example {
            Some(n) => format!("the forward pass of example {n}"),
            None => "the forward pass".to_string(),
        }
    } else {
        // Single entries by their own symbol, so "∂L/∂h1(2), ∂L/∂h2(2)" is not "∂L/∂h(2), ∂L/∂h(2)".
        step.asks.iter().map(QuantityRef::symbol).collect::<Vec<_>>().join(", ")
    };
    format!("Step {id}{layers}: {what}")
}

/// The steps a lesson asks: its `[steps] ask` list, or every backward step (of every example
/// of a dataset) and then the training steps (DESIGN.md §8).
pub fn plan(lesson: &Lesson) -> Vec<Step> {
    let network = lesson.network();
    let Some(asks) = lesson.ask() else {
        return lesson_steps(network)
            .into_iter()
            .map(|(kind, example)| step(network, kind, example))
            .collect();
    };
    let mut steps: Vec<Step> = Vec::new();
    for ask in asks {
        let chosen: Vec<(StepKind, Option<usize>, Option<QuantityRef>)> = match ask {
            Ask::Forward => examples(network).into_iter().map(|e| (StepKind::Forward, e, None)).collect(),
            Ask::Step(kind, example) => vec![(*kind, *example, None)],
            Ask::Quantity(reference) => {
                let (kind, example) = step_of(network, reference);
                vec![(kind, example, Some(reference.clone()))]
            }
        };
        for (kind, example, only) in chosen {
            let mut next = step(network, kind, example);
            let single = only.is_some();
            if let Some(reference) = only {
                next.asks = vec![reference];
            }
            // Consecutive single questions from one step form one step, as in the notes.
            match steps.last_mut() {
                Some(last) if single && last.kind == kind && last.example == example => {
                    last.asks.extend(next.asks)
                }
                _ => steps.push(next),
            }
        }
    }
    // A step asked entry by entry, or for a Jacobian, shows the formulas of what it asks.
    for step in &mut steps {
        let (formulas, jacobians) = formulas_and_jacobians(network, step.kind, &step.asks);
        step.formulas = formulas;
        step.jacobians = jacobians;
    }
    steps
}

/// The step in which a name is computed, with its example: a dataset's totals in `sum`, the
/// update in Steps 5 and 6, every other quantity in its example's step ([`kind_of`]).
pub fn step_of(network: &Network, name: &QuantityRef) -> (StepKind, Option<usize>) {
    match name.quantity {
        Quantity::LossNew => (StepKind::LossAfter, None),
        q if q.is_update() => (StepKind::Update, None),
        q if q.has_total() && name.example.is_none() && network.dataset_size().is_some() => {
            (StepKind::Sum, None)
        }
        q => (kind_of(network, q), name.example),
    }
}

/// What an answer of Steps 5 and 6 replaces, to show beside it: W(l) beside W(l)_new (and a
/// bias beside its update), the loss before the step beside L_new.
pub fn before_step(quantity: Quantity) -> Option<formula::Term> {
    use formula::{Term, WeightLayer};
    Some(match quantity {
        Quantity::WNew(l) => Term::Weights(WeightLayer::Hidden(l)),
        Quantity::WoNew => Term::Weights(WeightLayer::Output),
        Quantity::BNew(l) => Term::Bias(WeightLayer::Hidden(l)),
        Quantity::BoNew => Term::Bias(WeightLayer::Output),
        Quantity::LossNew => Term::Value(Quantity::Loss),
        _ => return None,
    })
}

/// The step in which a quantity of one example is computed (or, for a Jacobian, used).
pub fn kind_of(network: &Network, quantity: Quantity) -> StepKind {
    match quantity {
        Quantity::X | Quantity::Z(_) | Quantity::H(_) | Quantity::O | Quantity::OHat | Quantity::Loss => {
            StepKind::Forward
        }
        Quantity::DlDo => StepKind::OutputGradient,
        Quantity::DlDh(l) if l == network.depth() => StepKind::LastHidden,
        Quantity::DlDh(l) => StepKind::HiddenBack(l + 1),
        Quantity::DoDh(_) => StepKind::LastHidden,
        Quantity::DlDwo => StepKind::OutputWeights,
        Quantity::DlDbo => StepKind::OutputBias,
        Quantity::DlDw(l) => StepKind::HiddenWeights(l),
        Quantity::DlDb(l) => StepKind::HiddenBias(l),
        Quantity::DhDz(1) => StepKind::HiddenWeights(1),
        Quantity::DhDz(l) | Quantity::DzDh(l) | Quantity::DhDh(l) => StepKind::HiddenBack(l),
        Quantity::LossNew => StepKind::LossAfter,
        Quantity::WNew(_) | Quantity::WoNew | Quantity::BNew(_) | Quantity::BoNew => StepKind::Update,
    }
}

fn range(from: u32, to: u32) -> impl Iterator<Item = String> {
    (from..=to).map(|n| format!("({n})"))
}

/// The notes' equation numbers of each kind of step (DESIGN.md §3).
fn equations(network: &Network, kind: StepKind) -> Vec<String> {
    match kind {
        // Softmax (5) and cross-entropy (6)-(7) are the notes' output; squared error has none.
        StepKind::Forward if network.is_softmax() => {
            ["(1)", "(2)", "(5)", "(6)", "(7)"].map(String::from).to_vec()
        }
        StepKind::Forward => ["(1)", "(2)"].map(String::from).to_vec(),
        StepKind::OutputGradient if network.is_softmax() => {
            range(8, 12).chain(["(54)".into()]).chain(range(59, 60)).collect()
        }
        StepKind::LastHidden => range(13, 19).chain(["(55)".into()]).chain(range(61, 65)).collect(),
        StepKind::OutputWeights => range(20, 26).chain(["(56)".into()]).chain(range(66, 69)).collect(),
        StepKind::HiddenBack(_) => range(28, 39).chain(["(57)".into()]).chain(range(70, 75)).collect(),
        StepKind::HiddenWeights(1) => range(48, 53).collect(),
        StepKind::HiddenWeights(_) => range(40, 47).chain(["(58)".into()]).chain(range(76, 79)).collect(),
        // The notes use cross-entropy and no biases: these steps have no numbers of their own.
        StepKind::OutputGradient | StepKind::OutputBias | StepKind::HiddenBias(_) => vec![],
        // The loss over a dataset.
        StepKind::Sum => vec!["(2)".into()],
        // The notes number no equation for the update rule: their §1.3, step 4.
        StepKind::Update => vec!["§1.3".into()],
        StepKind::LossAfter => vec!["(1)".into(), "(2)".into(), "§1.3".into()],
    }
}

/// What a step does and why, in a sentence or two.
fn explanation(network: &Network, kind: StepKind) -> String {
    let k = network.depth();
    match kind {
        StepKind::Forward => {
            "Run the network forward once and keep every z and h: the backward pass reuses them all.".into()
        }
        StepKind::OutputGradient if network.is_softmax() => {
            "Softmax and cross-entropy together have a simple \
            derivative: the predicted probabilities minus the one-hot label, so only the true class gets −1."
                .into()
        }
        StepKind::OutputGradient => "With L = ½ Σ (o_i − t_i)² each output's derivative is just its error \
            o_i − t_i (the notes use cross-entropy; this is the squared-error counterpart of Eq. (12))."
            .into(),
        StepKind::LastHidden => format!(
            "Each unit of h({k}) feeds every output, so its gradient sums ∂L/∂o_i over the outputs, each \
             weighted by the connecting weight: a row vector times W(o)."
        ),
        StepKind::OutputWeights => format!(
            "Weight w_i,j(o) touches only output o_i, and scales h_j({k}); so its gradient is ∂L/∂o_i · \
             h_j({k}), an outer product with W(o)'s shape."
        ),
        StepKind::OutputBias => "A bias adds straight into its output, so its gradient is that output's \
            gradient (not in the notes, which use no biases)."
            .into(),
        StepKind::HiddenBack(l) => format!(
            "Go back through layer {l}: first through its activation (the gate f'(z({l})), which is 0 for a \
             closed ReLU and stops the gradient), then through W({l})."
        ),
        StepKind::HiddenWeights(l) => format!(
            "Weight w_i,j({l}) reaches the loss only through unit i of layer {l}: its gradient is \
             ∂L/∂h_i({l}) times that unit's gate times the input {} it scales.",
            if l == 1 { "x_j".to_string() } else { format!("h_j({})", l - 1) }
        ),
        StepKind::HiddenBias(l) => format!(
            "A bias adds straight into z_i({l}), so its gradient is ∂L/∂h_i({l}) through the gate alone (not \
             in the notes, which use no biases)."
        ),
        StepKind::Sum => match network.reduction() {
            Reduction::Sum => "The loss is the sum of every example's loss (Eq. 2), so each gradient of the \
                weights is the sum of the examples' gradients, entry by entry."
                .into(),
            Reduction::Mean => format!(
                "The loss is the average of the {} examples' losses, so each gradient of the weights is \
                 the average of the examples' gradients: their sum divided by {}.",
                network.example_count(),
                network.example_count()
            ),
        },
        StepKind::Update => "One step of gradient descent: move every weight and bias against its gradient, \
            scaled by the learning rate η, W ← W − η ∂L/∂W (§1.3, step 4)."
            .into(),
        StepKind::LossAfter => {
            "Run the forward pass again with the updated weights: for a small enough η the \
            loss is lower than before the step, which is what the step is for."
                .into()
        }
    }
}

/// The quantities a step of this kind asks, unless a lesson asks single entries of them.
fn asks(network: &Network, kind: StepKind) -> Vec<Quantity> {
    let k = network.depth();
    let has = |q: &Quantity| network.has(*q);
    match kind {
        StepKind::Forward => {
            let mut asks: Vec<Quantity> = (1..=k).flat_map(|l| [Quantity::Z(l), Quantity::H(l)]).collect();
            asks.push(Quantity::O);
            if network.is_softmax() {
                asks.push(Quantity::OHat);
            }
            asks.push(Quantity::Loss);
            asks
        }
        StepKind::OutputGradient => vec![Quantity::DlDo],
        StepKind::LastHidden => vec![Quantity::DlDh(k)],
        StepKind::OutputWeights => vec![Quantity::DlDwo],
        StepKind::OutputBias => vec![Quantity::DlDbo],
        StepKind::HiddenBack(l) => vec![Quantity::DlDh(l - 1)],
        StepKind::HiddenWeights(l) => vec![Quantity::DlDw(l)],
        StepKind::HiddenBias(l) => vec![Quantity::DlDb(l)],
        StepKind::Sum => {
            let mut asks = vec![Quantity::Loss, Quantity::DlDwo, Quantity::DlDbo];
            for l in (1..=k).rev() {
                asks.extend([Quantity::DlDw(l), Quantity::DlDb(l)]);
            }
            asks.into_iter().filter(has).collect()
        }
        StepKind::Update => {
            let mut asks: Vec<Quantity> =
                (1..=k).flat_map(|l| [Quantity::WNew(l), Quantity::BNew(l)]).collect();
            asks.extend([Quantity::WoNew, Quantity::BoNew]);
            asks.into_iter().filter(has).collect()
        }
        StepKind::LossAfter => vec![Quantity::LossNew],
    }
}

/// The formulas of the quantities a step asks (each once), and the Jacobians they multiply by.
fn formulas_and_jacobians(
    network: &Network,
    kind: StepKind,
    asked: &[QuantityRef],
) -> (Vec<(Quantity, Formula)>, Vec<Quantity>) {
    let mut formulas: Vec<(Quantity, Formula)> = Vec::new();
    for name in asked {
        if !formulas.iter().any(|(known, _)| *known == name.quantity)
            && let Some(formula) = definition::definition_of(network, name)
        {
            formulas.push((name.quantity, formula));
        }
    }
    let mut jacobians: Vec<Quantity> = Vec::new();
    // The forward pass and the training steps multiply by weights, not by Jacobians.
    if kind != StepKind::Forward && is_per_example(kind) {
        for jacobian in formulas.iter().flat_map(|(_, f)| definition::jacobians(network, f)) {
            if !jacobians.contains(&jacobian) {
                jacobians.push(jacobian);
            }
        }
    }
    (formulas, jacobians)
}

/// One step, of `example` for a step of one example of a dataset, with everything but the
/// numbers.
pub fn step(network: &Network, kind: StepKind, example: Option<usize>) -> Step {
    let asked: Vec<QuantityRef> =
        asks(network, kind).into_iter().map(|q| QuantityRef::named(q, example)).collect();
    let (formulas, jacobians) = formulas_and_jacobians(network, kind, &asked);
    Step {
        id: lesson_step_id(network, kind, example),
        kind,
        example,
        asks: asked,
        formulas,
        jacobians,
        equations: equations(network, kind),
        explanation: explanation(network, kind),
    }
}

impl Step {
    /// The step's formula as text: `∂L/∂h(1) = ∂L/∂h(2) · diag(1[z(2) > 0]) · W(2)`, each asked
    /// quantity's in turn for the forward pass.
    pub fn formula_text(&self) -> String {
        let all: Vec<Quantity> = self.formulas.iter().map(|(q, _)| *q).collect();
        self.formula_text_of(&all)
    }

    /// The formulas of `quantities` (those the step has) as text, as [`Step::formula_text`].
    pub fn formula_text_of(&self, quantities: &[Quantity]) -> String {
        let mut text = self
            .formulas
            .iter()
            .filter(|(q, _)| quantities.contains(q))
            .map(|(q, f)| format!("{} = {}", QuantityRef::named(*q, self.example).symbol(), f.to_text()))
            .collect::<Vec<_>>()
            .join(", ");
        if self.kind == StepKind::HiddenWeights(1) {
            // The notes number no matrix form for Step 4 (ERRATA 6).
            text.push_str("   (by analogy with (79), with h(0) = x)");
        }
        text
    }

    /// The step's formula in LaTeX, one equation per asked quantity.
    pub fn formula_latex(&self) -> Vec<String> {
        self.formulas
            .iter()
            .map(|(q, f)| {
                format!("{} &= {}", example_latex(&quantity_latex(*q, &[]), self.example), f.to_latex())
            })
            .collect()
    }

    /// The formula of one asked quantity.
    pub fn formula_of(&self, quantity: Quantity) -> Option<&Formula> {
        self.formulas.iter().find(|(q, _)| *q == quantity).map(|(_, f)| f)
    }
}
