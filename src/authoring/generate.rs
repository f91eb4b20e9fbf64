//! `new`: a random lesson from a seed (DESIGN.md §7), with numbers chosen to expose the typical
//! mistakes of DESIGN.md §9.
//!
//! The same options give the same text on every platform and in every version: the seed string
//! is hashed with the fixed FNV-1a of [`stable_hash`], the draws come from the hand-written
//! SplitMix64 of `authoring::rng`, and every number is a whole count of tenths written out with
//! integer arithmetic, so no float formatting or crate algorithm can change the file.
//!
//! A candidate is drawn layer by layer: a row of weights is redrawn until its pre-activation is
//! clear of 0 and it differs from the rows above it, which keeps the acceptance rate high even
//! for deep networks. The candidate's text is then loaded like any lesson and checked against
//! every rule on the engine's own numbers (`broken_rule`); it is redrawn a bounded number of
//! times until it passes, so what is printed is exactly what was checked.
//!
//! Since the lessons must also tell every known mistake apart (`authoring::distinct`), a rule
//! that came after the first lessons were handed out, the draws start as they always did: a
//! seed whose lesson already met that rule keeps it. Only once a draw meets every other rule
//! but not that one do the layers aim at it, each ReLU layer of two units or more drawn with
//! open and closed units, closed elsewhere than the layer below.

use super::distinct::{
    Answer, Structure, backward_questions, collisions, every_question, exposes, swap_entries,
};
use super::lint::duplicate_rows;
use super::rng::SplitMix64;
pub use super::training::TrainingOptions;
use super::training::{Example, more_examples, reduction_text, training_rule, training_text};
use crate::diagnosis::DiagnosisId;
use crate::engine::Solution;
use crate::fingerprint::stable_hash;
use crate::lesson::{Lesson, LossKind, MAX_HIDDEN_LAYERS, parse_lesson};
use crate::network::steps::{examples, step_id, training_kinds};
use crate::network::{Activation, Objective};
use crate::quantity::QuantityRef;
use nalgebra::{DMatrix, DVector};
use std::collections::BTreeMap;
use std::collections::btree_map::Entry;

/// The notes' shape: 3 inputs, two hidden layers of 2, 3 outputs.
pub const DEFAULT_LAYERS: [usize; 4] = [3, 2, 2, 3];
/// At most this many inputs, or units in a layer: a generated lesson is worked by hand, and a
/// 16-unit layer already has hundreds of weights.
pub const MAX_UNITS: usize = 16;
/// Each sigmoid layer shrinks the gradient by σ' ≤ ¼: through more than this many, ∂L/∂W(1)
/// rounds to 0 and no exercise can be made.
pub const MAX_SIGMOID_LAYERS: usize = 5;

/// How clearly a number must sit on one side of a line that a learner could trip over: every
/// pre-activation this far from the kink at 0, the label's logit this far below the top logit,
/// every output this far from its target.
pub(super) const MARGIN: f64 = 0.05;
/// A gradient counts as non-zero when an entry is larger than this: above the default
/// `atol` (0.001), so an all-zero answer is graded wrong.
pub(super) const VISIBLE: f64 = 0.002;
/// Magnitude limits, in tenths, of the input, biases and targets (weights: [`weight_cap`]).
pub(super) const INPUT_MAX: u32 = 20;
const BIAS_MAX: u32 = 10;
const TARGET_MAX: u32 = 20;
/// Bounds on the rejection sampling, so a hopeless request ends (deterministically) with an
/// error instead of looping.
const ROW_TRIES: usize = 64;
const LAYER_TRIES: usize = 64;
const NETWORK_TRIES: usize = 1024;

#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// Sizes of the input, each hidden layer and the output layer.
    pub layers: Vec<usize>,
    /// Any text that is not blank, e.g. a student's email.
    pub seed: String,
    pub activation: Activation,
    /// Give every layer a bias.
    pub bias: bool,
    pub loss: LossKind,
    /// A dataset and a step of gradient descent (`--data`, `--learning-rate`, DESIGN.md §8).
    pub training: TrainingOptions,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum GenerateError {
    #[error(
        "--seed is blank: give any text with a letter or digit in it, e.g. a student's email (a blank \
         seed names no one, and `check --variants` refuses it)"
    )]
    BlankSeed,
    #[error(
        "--layers needs at least 3 sizes: the input, one or more hidden layers, then the outputs (e.g. 3,2,2,3)"
    )]
    TooFewSizes,
    #[error("--layers: size {position} is 0; every layer needs at least one unit")]
    ZeroSize { position: usize },
    #[error(
        "--layers: size {position} is {size}; a generated lesson has at most {MAX_UNITS} units a layer \
         (it is worked by hand)"
    )]
    TooWide { position: usize, size: usize },
    #[error("--layers: {hidden} hidden layers (at most {MAX_HIDDEN_LAYERS})")]
    TooDeep { hidden: usize },
    #[error(
        "--activation sigmoid: {hidden} hidden layers, but at most {MAX_SIGMOID_LAYERS}: each shrinks the \
         gradient by σ' ≤ ¼, so through more of them ∂L/∂W(1) rounds to 0"
    )]
    TooDeepForSigmoid { hidden: usize },
    #[error(
        "softmax_cross_entropy needs at least 2 outputs: with one, ô = 1 and every gradient is 0 \
         (use --loss mse for a single output)"
    )]
    OneOutput,
    #[error(
        "no lesson met every rule within {NETWORK_TRIES} draws for these options (the last one: {last}); \
         try another seed or other sizes"
    )]
    Exhausted { last: String },
    #[error("the generated lesson does not load (a bug in `new`): {0}")]
    Unloadable(String),
    #[error("{0}")]
    Training(#[from] super::training::TrainingError),
    #[error("--expose {id}: no lesson of this shape can show it; it needs {needs}")]
    CannotExpose { id: DiagnosisId, needs: String },
}

impl Options {
    /// The defaults of `new` for a seed: the notes' shape, ReLU, softmax cross-entropy.
    pub fn with_seed(seed: &str) -> Self {
        Options {
            layers: DEFAULT_LAYERS.to_vec(),
            seed: seed.to_string(),
            activation: Activation::Relu,
            bias: false,
            loss: LossKind::SoftmaxCrossEntropy,
            training: TrainingOptions::default(),
        }
    }

    fn check(&self) -> Result<(), GenerateError> {
        if self.seed.trim().is_empty() {
            return Err(GenerateError::BlankSeed);
        }
        if self.layers.len() < 3 {
            return Err(GenerateError::TooFewSizes);
        }
        let hidden = self.layers.len() - 2;
        if hidden > MAX_HIDDEN_LAYERS {
            return Err(GenerateError::TooDeep { hidden });
        }
        if self.activation == Activation::Sigmoid && hidden > MAX_SIGMOID_LAYERS {
            return Err(GenerateError::TooDeepForSigmoid { hidden });
        }
        for (i, &size) in self.layers.iter().enumerate() {
            let position = i + 1;
            if size == 0 {
                return Err(GenerateError::ZeroSize { position });
            }
            if size > MAX_UNITS {
                return Err(GenerateError::TooWide { position, size });
            }
        }
        if self.loss == LossKind::SoftmaxCrossEntropy && self.layers.last() == Some(&1) {
            return Err(GenerateError::OneOutput);
        }
        Ok(self.training.check()?)
    }

    /// The command line that makes this lesson again (defaults left out).
    pub fn command_line(&self) -> String {
        self.command_line_exposing(&[])
    }

    /// The command line that makes this lesson again, `--expose` included.
    pub fn command_line_exposing(&self, expose: &[DiagnosisId]) -> String {
        let sizes: Vec<String> = self.layers.iter().map(usize::to_string).collect();
        let mut command =
            format!("backprop-tutor new --seed {} --layers {}", shell_word(&self.seed), sizes.join(","));
        if self.activation != Activation::Relu {
            command.push_str(&format!(" --activation {}", self.activation.name()));
        }
        if self.bias {
            command.push_str(" --bias");
        }
        if self.loss != LossKind::SoftmaxCrossEntropy {
            command.push_str(&format!(" --loss {}", self.loss.name()));
        }
        command.push_str(&self.training.flags());
        if !expose.is_empty() {
            let ids: Vec<&str> = expose.iter().map(|id| id.name()).collect();
            command.push_str(&format!(" --expose {}", ids.join(",")));
        }
        command
    }
}

/// `word` as one shell word: bare when it is plain, else in single quotes.
fn shell_word(word: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "@%+=:,./_-".contains(c);
    if !word.is_empty() && word.chars().all(plain) {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

/// The lesson's TOML text for `options`: the same text for the same options, always.
pub fn generate(options: &Options) -> Result<String, GenerateError> {
    generate_exposing(options, &[])
}

/// The lesson's TOML text for `options`, with numbers that also make each mistake of `expose`
/// stand clear (a remediation variant; see [`exposes`]). With an `index_swap` to expose, the
/// lesson asks single entries too. The same text for the same options and ids, always.
pub fn generate_exposing(options: &Options, expose: &[DiagnosisId]) -> Result<String, GenerateError> {
    options.check()?;
    let mut rng = SplitMix64::new(stable_hash(options.seed.as_bytes()));
    let mut last = "no draw of the layers met the rules for each row and layer".to_string();
    // What lessons of the shape can tell apart depends on the labels too (which class is
    // y ± 1), and at single entries on which units are open.
    let mut structures: BTreeMap<StructureKey, Structure> = BTreeMap::new();
    let entries = expose.contains(&DiagnosisId::IndexSwap);
    let mut aim = Aim::AsBefore;
    let mut tries = 0;
    while tries < NETWORK_TRIES {
        tries += 1;
        let Some(variant) = propose(&mut rng, options, aim) else { continue };
        let Some(more) = more_examples(&mut rng, options, &variant, aim) else { continue };
        let mut text = render(options, expose, &variant, &more);
        let mut lesson = load(&text)?;
        if let Some(rule) = broken_rule(&lesson).or_else(|| training_rule(&lesson)) {
            last = rule;
            continue;
        }
        let open = if entries { lesson_open_units(&lesson) } else { vec![] };
        let structure = match structures.entry((lesson_labels(&lesson), open)) {
            Entry::Occupied(known) => known.into_mut(),
            Entry::Vacant(new) => new.insert(shape_structure(&lesson, options, expose)?),
        };
        if entries {
            text.push_str(&entry_steps(&lesson, structure));
            lesson = load(&text)?;
        }
        match unseen_mistake(&lesson, structure, expose) {
            None => return Ok(text),
            Some(rule) => last = rule,
        }
        if aim == Aim::AsBefore {
            // The draws of earlier versions are spent: aim at distinct answers from here on,
            // with a budget of its own.
            aim = Aim::Distinct;
            tries = 0;
        }
    }
    Err(GenerateError::Exhausted { last })
}

/// What a lesson's [`Structure`] depends on beside its shape: each example's label (`None` for
/// a target), and with single entries asked which units each example opens.
type StructureKey = (Vec<Option<usize>>, Vec<Vec<bool>>);

/// Which units of each hidden layer of the lesson are open, layer by layer and example by
/// example.
fn lesson_open_units(lesson: &Lesson) -> Vec<Vec<bool>> {
    let solution = Solution::new(lesson.network());
    examples(lesson.network())
        .into_iter()
        .flat_map(|example| solution.pass(example).forward.z.iter().map(|z| open_units(z.as_slice())))
        .collect()
}

/// The label of each example of the lesson (`None` for a target).
fn lesson_labels(lesson: &Lesson) -> Vec<Option<usize>> {
    let network = lesson.network();
    (1..=network.example_count())
        .map(|n| match network.objective_of(n) {
            Objective::SoftmaxCrossEntropy { label } => Some(*label),
            Objective::Mse { .. } => None,
        })
        .collect()
}

fn load(text: &str) -> Result<Lesson, GenerateError> {
    parse_lesson("the generated lesson", text).map_err(|error| GenerateError::Unloadable(error.to_string()))
}

/// What a lesson of `lesson`'s shape can tell apart, for every question `new` may ask it,
/// after checking that it can show every mistake of `expose`.
fn shape_structure(
    lesson: &Lesson,
    options: &Options,
    expose: &[DiagnosisId],
) -> Result<Structure, GenerateError> {
    let structure = Structure::for_questions(lesson.network(), &variant_questions(lesson, expose));
    let can_show = |id: DiagnosisId| options.training.can_show(id).unwrap_or_else(|| structure.can_show(id));
    match expose.iter().find(|&&id| !can_show(id)) {
        Some(&id) => Err(GenerateError::CannotExpose { id, needs: needs(id) }),
        None => Ok(structure),
    }
}

/// The questions `new` asks of a lesson of `lesson`'s shape: every single entry too when it is
/// to expose an index swap (which entries is chosen with the numbers).
fn variant_questions(lesson: &Lesson, expose: &[DiagnosisId]) -> Vec<QuantityRef> {
    if expose.contains(&DiagnosisId::IndexSwap) {
        every_question(lesson.network())
    } else {
        backward_questions(lesson.network())
    }
}

/// The first known mistake the lesson cannot tell apart, or one of `expose` it does not show
/// clearly.
fn unseen_mistake(lesson: &Lesson, structure: &Structure, expose: &[DiagnosisId]) -> Option<String> {
    let solution = Solution::new(lesson.network());
    if let Some(collision) = collisions(lesson, &solution, structure).first() {
        let first = match collision.first {
            Answer::Right => "the right answer".to_string(),
            Answer::Mistake(id) => format!("`{id}`"),
        };
        return Some(format!("{}: {first} and `{}` are indistinct", collision.question, collision.second));
    }
    let hidden = expose.iter().find(|&&id| !exposes(lesson, &solution, id))?;
    Some(format!("`{hidden}` does not stand clear of the other answers"))
}

/// What a lesson needs to show `id`, for the message of [`GenerateError::CannotExpose`].
pub fn needs(id: DiagnosisId) -> String {
    use DiagnosisId::*;
    if let Some((first, second)) = id.parts() {
        return format!("what both {first} and {second} need: {}; and {}", needs(first), needs(second));
    }
    match id {
        Transposed => "a weight gradient of more than one entry".into(),
        SignFlipped | TooFewDigits => "nothing in particular".into(),
        MissingOnehot | UsedLogits | LabelOffByOne | NontargetZero | WrtProbabilities => {
            "--loss softmax_cross_entropy".into()
        }
        MseFactor => "--loss mse".into(),
        WeightsNotTransposed => "a square W(l) or W(o): two neighbouring sizes of --layers alike, the input \
            aside (e.g. 3,2,2,3)"
            .into(),
        GateMissing | GateUsedActivation => {
            "a gate other than 1: --activation sigmoid or tanh, or a (leaky) \
            ReLU layer of two units or more"
                .into()
        }
        GateWrongLayer => "two hidden layers whose gates can differ (ReLU layers of two units or more, or \
            sigmoid, tanh)"
            .into(),
        DerivativeWrongArgument => "--activation sigmoid or tanh".into(),
        LeakyAsRelu => "--activation leaky_relu with a layer of two units or more".into(),
        WrongActivation => {
            "an activation other than identity (with ReLUs, a layer of two units or more)".into()
        }
        IndexSwap => "a gradient of two entries or more".into(),
        NotesNumbers => "the notes' sizes somewhere: a last hidden layer of 2 units, 3 outputs with \
            softmax_cross_entropy, or two neighbouring hidden layers of 2 units"
            .into(),
        Ascent | ForgotEta => "a step of gradient descent: --learning-rate η".into(),
        OneExample | MeanVsSum => "a dataset's totals: --data 2 or more".into(),
        _ => "both of its slips".into(),
    }
}

/// `[steps] ask` for a lesson that exposes `index_swap`: each backward quantity whole, after
/// one of its entries where the numbers show a swap and nothing else is confused.
fn entry_steps(lesson: &Lesson, structure: &Structure) -> String {
    let network = lesson.network();
    let whole = backward_questions(network);
    let solution = Solution::new(network);
    let entries = swap_entries(lesson, &solution, structure, &whole);
    let questions =
        entries.into_iter().zip(&whole).flat_map(|(entry, whole)| entry.into_iter().chain([whole.clone()]));
    // A dataset's totals and the update after every example's steps, as the plan has them.
    let training = training_kinds(network).into_iter().map(|kind| step_id(network, kind));
    let asks: Vec<String> = questions
        .map(|q| q.to_string())
        .chain(training)
        .map(|ask| format!("    {},\n", toml_string(&ask)))
        .collect();
    format!("\n[steps] # single entries first, where an index swap shows\nask = [\n{}]\n", asks.concat())
}

/// Numbers are kept as whole tenths until they are written.
pub(super) struct Layer {
    pub(super) weights: Vec<Vec<i64>>,
    pub(super) bias: Option<Vec<i64>>,
}

pub(super) enum Goal {
    Label(usize),
    Target(Vec<i64>),
}

pub(super) struct Variant {
    pub(super) input: Vec<i64>,
    pub(super) hidden: Vec<Layer>,
    pub(super) output: Layer,
    pub(super) goal: Goal,
}

pub(super) fn value(tenths: i64) -> f64 {
    tenths as f64 / 10.0
}

/// The largest weight, in tenths, for a layer with `fan_in` inputs: about 2.5/√fan-in, between
/// 0.3 and 1.5, so values stay of order 1 through deep layers (He-style scaling) instead of
/// vanishing or exploding.
fn weight_cap(fan_in: usize) -> u32 {
    let mut cap: u32 = 15;
    while cap > 3 && (cap as usize).pow(2) * fan_in > 625 {
        cap -= 1;
    }
    cap
}

/// Far enough from the kink that no rounding (here, in the engine or in a learner's head)
/// decides which side of 0 it is on.
pub(super) fn clear_of_kink(z: f64) -> bool {
    z.abs() > MARGIN + 1e-6
}

/// The classes that may be the label: those clearly below the top logit. A label that is the
/// predicted class would let "used the prediction as the label" pass unnoticed and, when the
/// softmax is confident, make ∂L/∂o round to 0 (`saturated`); below the top, |∂L/∂o_y| ≥ ½.
pub(super) fn label_candidates(o: &[f64]) -> Vec<usize> {
    let top = o.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    (0..o.len()).filter(|&i| o[i] < top - MARGIN).collect()
}

/// One row of weights (and its bias) over `below`, redrawn until `accept` takes its
/// pre-activation and it differs from the `earlier` rows.
fn sample_row(
    rng: &mut SplitMix64,
    below: &[f64],
    bias: bool,
    earlier: &[Vec<i64>],
    accept: &impl Fn(f64) -> bool,
) -> Option<(Vec<i64>, Option<i64>, f64)> {
    let cap = weight_cap(below.len());
    (0..ROW_TRIES).find_map(|_| {
        let row: Vec<i64> = below.iter().map(|_| rng.tenths(cap)).collect();
        let b = bias.then(|| rng.tenths(BIAS_MAX));
        let z = row.iter().zip(below).map(|(&w, &h)| value(w) * h).sum::<f64>() + b.map_or(0.0, value);
        (accept(z) && !earlier.contains(&row)).then_some((row, b, z))
    })
}

/// How the layers are drawn: as every earlier version did, or aiming at lessons that tell the
/// known mistakes apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Aim {
    AsBefore,
    Distinct,
}

/// Which units of a layer are open (z > 0).
fn open_units(z: &[f64]) -> Vec<bool> {
    z.iter().map(|&z| z > 0.0).collect()
}

/// Whether a hidden layer's pre-activations `z` suit `aim`, its units opened as `open_below`
/// opens the layer below (`None` for layer 1). With a kink, some unit must stay open: a wholly
/// closed layer passes no gradient. Aiming at distinct answers, some unit of a layer of two or
/// more is closed too (else a dropped gate is right), and not just where the layer below is
/// closed (else that layer's gate is this one's).
pub(super) fn layer_suits(aim: Aim, activation: Activation, z: &[f64], open_below: Option<&[bool]>) -> bool {
    let open = open_units(z);
    let some_open = !activation.has_kink() || open.contains(&true);
    let gated = aim == Aim::AsBefore
        || !activation.has_kink()
        || z.len() < 2
        || (open.contains(&false) && open_below != Some(open.as_slice()));
    some_open && gated
}

/// A layer of `units` rows over `below`, with its pre-activations.
fn sample_layer(
    rng: &mut SplitMix64,
    below: &[f64],
    units: usize,
    bias: bool,
    accept_row: impl Fn(f64) -> bool,
    accept_layer: impl Fn(&[f64]) -> bool,
) -> Option<(Layer, Vec<f64>)> {
    (0..LAYER_TRIES).find_map(|_| {
        let (mut weights, mut biases, mut z) = (Vec::new(), Vec::new(), Vec::new());
        for _ in 0..units {
            let (row, b, zi) = sample_row(rng, below, bias, &weights, &accept_row)?;
            weights.push(row);
            biases.extend(b);
            z.push(zi);
        }
        accept_layer(&z).then(|| (Layer { weights, bias: bias.then_some(biases) }, z))
    })
}

fn propose(rng: &mut SplitMix64, options: &Options, aim: Aim) -> Option<Variant> {
    let (&outputs, sizes) = options.layers.split_last()?;
    let input: Vec<i64> = (0..sizes[0]).map(|_| rng.tenths(INPUT_MAX)).collect();
    let mut below: Vec<f64> = input.iter().map(|&t| value(t)).collect();
    let activation = options.activation;
    let mut hidden = Vec::new();
    let mut open_below: Option<Vec<bool>> = None;
    for &units in &sizes[1..] {
        let accept = |z: &[f64]| layer_suits(aim, activation, z, open_below.as_deref());
        let (layer, z) = sample_layer(rng, &below, units, options.bias, clear_of_kink, accept)?;
        open_below = Some(open_units(&z));
        below = z.iter().map(|&z| activation.apply(z)).collect();
        hidden.push(layer);
    }
    let softmax = options.loss == LossKind::SoftmaxCrossEntropy;
    let labelled = |o: &[f64]| !softmax || !label_candidates(o).is_empty();
    let (output, o) = sample_layer(rng, &below, outputs, options.bias, |_| true, labelled)?;
    let goal = goal(rng, options.loss, &o)?;
    Some(Variant { input, hidden, output, goal })
}

/// What the network should output for an input whose logits are `o`: a label below the top
/// logit, or a target clear of every output. `None` when none can be drawn.
pub(super) fn goal(rng: &mut SplitMix64, loss: LossKind, o: &[f64]) -> Option<Goal> {
    Some(if loss == LossKind::SoftmaxCrossEntropy {
        let candidates = label_candidates(o);
        if candidates.is_empty() {
            return None;
        }
        Goal::Label(candidates[rng.below(candidates.len() as u64) as usize] + 1)
    } else {
        let target = o.iter().map(|&oi| {
            (0..ROW_TRIES).map(|_| rng.tenths(TARGET_MAX)).find(|&t| (oi - value(t)).abs() > MARGIN)
        });
        Goal::Target(target.collect::<Option<Vec<i64>>>()?)
    })
}

/// The first rule the lesson breaks, checked on the engine's numbers: DESIGN.md §7's list, plus
/// those that make Step 1 and transposition mistakes visible.
fn broken_rule(lesson: &Lesson) -> Option<String> {
    let network = lesson.network();
    let solution = Solution::new(network);
    let (forward, gradients) = (&solution.forward, &solution.gradients);
    for (l, z) in forward.z.iter().enumerate().map(|(i, z)| (i + 1, z)) {
        if z.iter().any(|&z| !clear_of_kink(z)) {
            return Some(format!("a pre-activation of layer {l} is within {MARGIN} of 0"));
        }
        if network.layer(l).activation().has_kink() && z.iter().all(|&z| z <= 0.0) {
            return Some(format!("every gate of layer {l} is closed"));
        }
    }
    let kinked = network.hidden().iter().any(|layer| layer.activation().has_kink());
    let room = network.hidden().iter().any(|layer| layer.units() >= 2);
    if kinked && room && !forward.z.iter().flat_map(|z| z.iter()).any(|&z| z < 0.0) {
        return Some("no gate is closed".into());
    }
    let names = (1..=network.depth()).map(|l| l.to_string()).chain(["o".to_string()]);
    let layers = network.hidden().iter().chain([network.output()]);
    let grads = gradients.dl_dw.iter().chain([&gradients.dl_dwo]);
    for ((name, layer), gradient) in names.zip(layers).zip(grads) {
        if let Some(flaw) = matrix_flaw(layer.weights()) {
            return Some(format!("W({name}) {flaw}"));
        }
        if gradient.amax() <= VISIBLE {
            return Some(format!("∂L/∂W({name}) is zero to 3 decimals"));
        }
        if gradient.is_square()
            && gradient.nrows() >= 2
            && (gradient - gradient.transpose()).amax() <= VISIBLE
        {
            return Some(format!("∂L/∂W({name}) equals its transpose"));
        }
    }
    goal_rule(network.objective(), &forward.o)
}

/// What makes the label or target of a pass whose outputs are `o` hide mistakes: the label
/// (nearly) the predicted class, an output at its target.
pub(super) fn goal_rule(objective: &Objective, o: &DVector<f64>) -> Option<String> {
    match objective {
        Objective::SoftmaxCrossEntropy { label } if o[label - 1] >= o.max() - MARGIN => {
            Some("the label is (nearly) the predicted class".into())
        }
        Objective::Mse { target } if (o - target).amin() <= MARGIN => {
            Some("an output is at its target".into())
        }
        _ => None,
    }
}

/// What makes a weight matrix hide mistakes: a zero entry (a connection that is not there),
/// all entries equal, symmetry (a transposed W gives the same numbers), or two equal rows
/// (mixed-up unit indices give the same numbers).
fn matrix_flaw(w: &DMatrix<f64>) -> Option<&'static str> {
    if w.iter().any(|&x| x == 0.0) {
        Some("has a zero entry")
    } else if w.len() >= 2 && w.iter().all(|&x| x == w[0]) {
        Some("has all entries equal")
    } else if w.is_square() && w.nrows() >= 2 && *w == w.transpose() {
        Some("is symmetric")
    } else if !duplicate_rows(w).is_empty() {
        Some("has two equal rows")
    } else {
        None
    }
}

/// `-1.2`, `0.3`, `2.0`: a count of tenths as TOML, by integer arithmetic.
fn tenths_text(tenths: i64) -> String {
    let sign = if tenths < 0 { "-" } else { "" };
    let magnitude = tenths.unsigned_abs();
    format!("{sign}{}.{}", magnitude / 10, magnitude % 10)
}

pub(super) fn row_text(row: &[i64]) -> String {
    format!("[{}]", row.iter().map(|&t| tenths_text(t)).collect::<Vec<_>>().join(", "))
}

fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

/// One `[[network.layers]]` table, a row of weights per line.
fn layer_text(header: &str, layer: &Layer) -> String {
    let mut out = format!("\n[[network.layers]] # {header}\nweights = [\n");
    for row in &layer.weights {
        out.push_str(&format!("    {},\n", row_text(row)));
    }
    out.push_str("]\n");
    if let Some(bias) = &layer.bias {
        out.push_str(&format!("bias = {}\n", row_text(bias)));
    }
    out
}

fn render(options: &Options, expose: &[DiagnosisId], variant: &Variant, more: &[Example]) -> String {
    let mut out = String::from("#:schema ../assets/lesson.schema.json\n");
    out.push_str(&format!("title = {}\n", toml_string(&format!("Exercise (seed {})", options.seed))));
    let description = format!(
        "A random exercise made by `{}`; the same command makes the same lesson.",
        options.command_line_exposing(expose)
    );
    out.push_str(&format!("description = {}\n", toml_string(&description)));
    out.push_str("\n[network]\n");
    // With a dataset, every example (the first too) is a [[data]] table of its own.
    if options.training.data.is_none() {
        out.push_str(&example_text(&variant.input, &variant.goal));
    }
    out.push_str(&format!("loss = \"{}\"\n", options.loss.name()));
    out.push_str(&format!("activation = \"{}\"\n", options.activation.name()));
    out.push_str(&reduction_text(&options.training));
    let mut below = count(options.layers[0], "input");
    for (l, layer) in variant.hidden.iter().enumerate().map(|(i, layer)| (i + 1, layer)) {
        let units = count(layer.weights.len(), "unit");
        out.push_str(&layer_text(&format!("W({l}): {units} × {below}"), layer));
        below = format!("{units} of layer {l}");
    }
    let outputs = count(variant.output.weights.len(), "output");
    out.push_str(&layer_text(
        &format!("W(o), the output layer (linear): {outputs} × {below}"),
        &variant.output,
    ));
    out.push_str(&training_text(&options.training, variant, more));
    out
}

/// `input = […]` and the label or target of one example.
pub(super) fn example_text(input: &[i64], goal: &Goal) -> String {
    let goal = match goal {
        Goal::Label(label) => format!("label = {label}\n"),
        Goal::Target(target) => format!("target = {}\n", row_text(target)),
    };
    format!("input = {}\n{goal}", row_text(input))
}

/// "1 unit", "3 units".
fn count(n: usize, noun: &str) -> String {
    if n == 1 { format!("1 {noun}") } else { format!("{n} {noun}s") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tenths_are_written_exactly() {
        assert_eq!(tenths_text(-12), "-1.2");
        assert_eq!(tenths_text(3), "0.3");
        assert_eq!(tenths_text(20), "2.0");
        assert_eq!(tenths_text(-1), "-0.1");
    }

    #[test]
    fn weight_caps_shrink_with_fan_in() {
        assert_eq!(weight_cap(1), 15);
        assert_eq!(weight_cap(3), 14);
        assert_eq!(weight_cap(16), 6);
    }

    #[test]
    fn seeds_are_quoted_for_the_shell_only_when_needed() {
        assert_eq!(shell_word("alice@uni.edu"), "alice@uni.edu");
        assert_eq!(shell_word("it's me"), r"'it'\''s me'");
        assert_eq!(shell_word(""), "''");
    }

    #[test]
    fn flawed_matrices_are_caught() {
        let m = |rows: usize, cols: usize, xs: &[f64]| DMatrix::from_row_slice(rows, cols, xs);
        assert_eq!(matrix_flaw(&m(2, 2, &[1.0, 0.0, 2.0, 3.0])), Some("has a zero entry"));
        assert_eq!(matrix_flaw(&m(1, 2, &[0.5, 0.5])), Some("has all entries equal"));
        assert_eq!(matrix_flaw(&m(2, 2, &[1.0, 2.0, 2.0, 3.0])), Some("is symmetric"));
        assert_eq!(matrix_flaw(&m(3, 1, &[1.0, 2.0, 1.0])), Some("has two equal rows"));
        assert_eq!(matrix_flaw(&m(2, 3, &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0])), None);
    }
}
