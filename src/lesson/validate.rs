//! Turning a [`LessonFile`] into a [`Lesson`]: every rule of DESIGN.md §1, each failure naming the
//! key at fault as a path into the file, so the loader can point at its line and column.

use super::format::{
    CheckSpec, ExampleSpec, LayerSpec, LessonFile, LossKind, NetworkSpec, StepsSpec, ToleranceSpec, TrainSpec,
};
use super::{Ask, CARRIED_CREDIT_KEY, Credit, Lesson, Tolerance, ToleranceSetting, Tolerances};
use crate::diagnosis::DiagnosisId;
use crate::network::{Example, Layer, Network, Objective, Training};
use crate::quantity::QuantityRef;
use nalgebra::{DMatrix, DVector};
use std::collections::BTreeMap;

pub const MAX_HIDDEN_LAYERS: usize = 16;
pub const MAX_UNITS: usize = 1024;
/// At most this many `[[data]]` examples: each is worked by hand, step by step.
pub const MAX_EXAMPLES: usize = 64;
/// A dataset's examples times the network's weights and biases: every example keeps its own
/// gradients, so this bounds the memory a lesson takes (128 MiB of numbers).
pub(super) const MAX_DATASET_NUMBERS: usize = 1 << 24;
/// Weights in all layers together. With the other limits alone a lesson could hold 17 layers
/// of 1024 × 1024 (18 million weights, 150 MB of text at 4 decimals), which no lesson file
/// (`MAX_LESSON_BYTES`, 16 MiB) can hold; this many fit it with 11 bytes a weight, e.g.
/// `-0.123456, `.
pub const MAX_WEIGHTS: usize = 1_500_000;
/// What `[lint] allow` may name.
pub const LINT_IDS: [&str; 8] = [
    "kink",
    "dead_layer",
    "saturated",
    "duplicate_rows",
    "gradient_check",
    "indistinct",
    "loss_rises",
    "loose_tolerance",
];

/// One step of a key path: a table key or a 0-based array index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Key {
    Name(String),
    Index(usize),
}

/// A rule the lesson breaks, with the key path of the value at fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    pub path: Vec<Key>,
    pub message: String,
}

impl Invalid {
    fn at(path: &[Key], message: impl Into<String>) -> Self {
        Invalid { path: path.to_vec(), message: message.into() }
    }

    /// The path as written in TOML terms: `network.layers[2].weights` (indices 1-based here,
    /// since the messages speak of "layer 2" and "row 1").
    pub fn dotted(&self) -> String {
        let mut out = String::new();
        for key in &self.path {
            match key {
                Key::Name(name) if out.is_empty() => out.push_str(name),
                Key::Name(name) => {
                    out.push('.');
                    out.push_str(name);
                }
                Key::Index(i) => out.push_str(&format!("[{}]", i + 1)),
            }
        }
        out
    }
}

/// 1500000 as "1,500,000".
fn grouped(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// "1 unit", "2 units".
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn name(key: &str) -> Key {
    Key::Name(key.to_string())
}

fn path(keys: &[&str]) -> Vec<Key> {
    keys.iter().map(|k| name(k)).collect()
}

fn with(base: &[Key], more: impl IntoIterator<Item = Key>) -> Vec<Key> {
    base.iter().cloned().chain(more).collect()
}

pub(super) fn validate(file: LessonFile, fingerprint: u64) -> Result<Lesson, Invalid> {
    if file.title.trim().is_empty() {
        return Err(Invalid::at(&path(&["title"]), "title is empty: give the lesson a title"));
    }
    let network = validate_network(&file.network, file.data.as_deref(), file.train.as_ref())?;
    let tolerances = validate_check(file.check.as_ref(), &network)?;
    let credit = match file.check.as_ref().and_then(|check| check.credit.as_ref()) {
        Some(table) => validate_credit(table)?,
        None => Credit::default(),
    };
    let ask = file.steps.as_ref().map(|steps| validate_steps(steps, &network)).transpose()?;
    let lint_allow = file.lint.map(|lint| lint.allow).unwrap_or_default();
    for (i, id) in lint_allow.iter().enumerate() {
        if !LINT_IDS.contains(&id.as_str()) {
            return Err(Invalid::at(
                &with(&path(&["lint", "allow"]), [Key::Index(i)]),
                format!("lint.allow: unknown finding '{id}' (known: {})", LINT_IDS.join(", ")),
            ));
        }
    }
    Ok(Lesson {
        title: file.title,
        description: file.description,
        network,
        tolerances,
        credit,
        ask,
        lint_allow,
        formulas: file.check.as_ref().and_then(|c| c.formulas).unwrap_or(true),
        fingerprint,
    })
}

fn finite_vector(values: &[f64], at: &[Key], what: &str) -> Result<DVector<f64>, Invalid> {
    if let Some(i) = values.iter().position(|v| !v.is_finite()) {
        return Err(Invalid::at(
            &with(at, [Key::Index(i)]),
            format!("{what} entry {} is {}: every number must be finite", i + 1, values[i]),
        ));
    }
    Ok(DVector::from_column_slice(values))
}

/// One example as the file gives it: its input, label and target, where they stand and how
/// messages name them (`network`, `data[2]`).
struct ExampleText<'a> {
    input: Option<&'a [f64]>,
    label: Option<i64>,
    target: Option<&'a [f64]>,
    at: Vec<Key>,
    name: String,
}

/// The examples of the lesson: `network`'s own input, label and target, or `[[data]]`'s, which
/// then replace them.
fn example_texts<'a>(
    spec: &'a NetworkSpec,
    data: Option<&'a [ExampleSpec]>,
) -> Result<Vec<ExampleText<'a>>, Invalid> {
    let Some(data) = data else {
        if spec.reduction.is_some() {
            return Err(Invalid::at(
                &path(&["network", "reduction"]),
                "network.reduction is for a dataset: it says how the losses of the [[data]] examples add up",
            ));
        }
        return Ok(vec![ExampleText {
            input: spec.input.as_deref(),
            label: spec.label,
            target: spec.target.as_deref(),
            at: path(&["network"]),
            name: "network".into(),
        }]);
    };
    for (key, given) in
        [("input", spec.input.is_some()), ("label", spec.label.is_some()), ("target", spec.target.is_some())]
    {
        if given {
            return Err(Invalid::at(
                &path(&["network", key]),
                format!(
                    "network.{key} and [[data]] are both given: with a dataset every example has its own \
                     {key} in its [[data]] table"
                ),
            ));
        }
    }
    if data.is_empty() {
        return Err(Invalid::at(&path(&["data"]), "data is empty: give at least one [[data]] example"));
    }
    if data.len() > MAX_EXAMPLES {
        return Err(Invalid::at(
            &with(&path(&["data"]), [Key::Index(MAX_EXAMPLES)]),
            format!("too many [[data]] examples: {} (at most {MAX_EXAMPLES})", data.len()),
        ));
    }
    Ok(data
        .iter()
        .enumerate()
        .map(|(i, example)| ExampleText {
            input: Some(example.input.as_slice()),
            label: example.label,
            target: example.target.as_deref(),
            at: with(&path(&["data"]), [Key::Index(i)]),
            name: format!("data[{}]", i + 1),
        })
        .collect())
}

/// An example's input: present, not empty, not too long, finite, and (but for the first, which
/// the layers are checked against) as long as the first.
fn validate_input(example: &ExampleText, length: Option<usize>) -> Result<DVector<f64>, Invalid> {
    let who = &example.name;
    let Some(input) = example.input else {
        return Err(Invalid::at(
            &example.at,
            "missing key `input` in [network] (the input vector x, e.g. input = [1, 1, 1]; or give the \
             examples as [[data]] tables, each with its input)",
        ));
    };
    let at_input = with(&example.at, [name("input")]);
    if input.is_empty() {
        return Err(Invalid::at(
            &at_input,
            format!("{who}.input is empty: give the input vector x, e.g. input = [1, 1, 1]"),
        ));
    }
    if input.len() > MAX_UNITS {
        return Err(Invalid::at(
            &at_input,
            format!("{who}.input has {} entries (at most {MAX_UNITS})", input.len()),
        ));
    }
    if let Some(length) = length.filter(|&length| length != input.len()) {
        return Err(Invalid::at(
            &at_input,
            format!(
                "{who}.input has {} but data[1].input has {} (the weights of layer 1 take one per column)",
                count(input.len(), "entry", "entries"),
                count(length, "entry", "entries")
            ),
        ));
    }
    finite_vector(input, &at_input, &format!("{who}.input"))
}

fn validate_network(
    spec: &NetworkSpec,
    data: Option<&[ExampleSpec]>,
    train: Option<&TrainSpec>,
) -> Result<Network, Invalid> {
    let texts = example_texts(spec, data)?;
    let input = validate_input(&texts[0], None)?;

    let at_layers = path(&["network", "layers"]);
    let (output_spec, hidden_specs) = match spec.layers.split_last() {
        Some((_, [])) | None => {
            return Err(Invalid::at(
                &at_layers,
                "no hidden layer: a network needs at least one hidden layer, then the output layer \
                 (the last [[network.layers]] is the output layer W(o))",
            ));
        }
        Some(split) => split,
    };
    if hidden_specs.len() > MAX_HIDDEN_LAYERS {
        // Point at the first hidden layer past the limit.
        return Err(Invalid::at(
            &with(&at_layers, [Key::Index(MAX_HIDDEN_LAYERS)]),
            format!(
                "too many hidden layers: {} (at most {MAX_HIDDEN_LAYERS}; the last [[network.layers]] is \
                 the output layer)",
                hidden_specs.len()
            ),
        ));
    }

    // Counted before any matrix is built from them.
    let mut weights = 0usize;
    for (i, layer_spec) in spec.layers.iter().enumerate() {
        weights = weights.saturating_add(layer_spec.weights.iter().map(Vec::len).sum());
        if weights > MAX_WEIGHTS {
            return Err(Invalid::at(
                &with(&at_layers, [Key::Index(i), name("weights")]),
                format!(
                    "too many weights: {} in layers 1 to {} (at most {} in a lesson; a 1024 × 1024 layer \
                     has 1,048,576)",
                    grouped(weights),
                    i + 1,
                    grouped(MAX_WEIGHTS)
                ),
            ));
        }
    }

    let mut below = (input.len(), "the input x".to_string(), ("entry", "entries"));
    let mut hidden = Vec::with_capacity(hidden_specs.len());
    for (i, layer_spec) in hidden_specs.iter().enumerate() {
        let label = format!("layer {}", i + 1);
        let layer = validate_layer(layer_spec, &with(&at_layers, [Key::Index(i)]), &label, below.clone())?;
        let activation = layer_spec.activation.unwrap_or(spec.activation);
        below = (layer.0.nrows(), label, ("unit", "units"));
        hidden.push(Layer::new(layer.0, layer.1, activation));
    }
    let at_output = with(&at_layers, [Key::Index(hidden_specs.len())]);
    let output_label = "the output layer W(o)".to_string();
    if let Some(activation) = output_spec.activation {
        return Err(Invalid::at(
            &with(&at_output, [name("activation")]),
            format!(
                "{output_label} is linear (the last [[network.layers]]): remove its activation \"{}\"",
                activation.name()
            ),
        ));
    }
    let (weights, bias) = validate_layer(output_spec, &at_output, &output_label, below)?;
    let output = Layer::new(weights, bias, spec.activation);
    let outputs = output.units();
    let objective = validate_objective(spec.loss, &texts[0], outputs)?;
    let mut network = Network::new(input.clone(), hidden, output, objective.clone());
    check_overflow(&network)?;
    let dataset = match data {
        None => None,
        Some(_) => {
            // Refused before any example is run: each keeps gradients the size of the weights.
            let numbers = network.parameter_count() * texts.len();
            if numbers > MAX_DATASET_NUMBERS {
                return Err(Invalid::at(
                    &path(&["data"]),
                    format!(
                        "{} examples of a network with {} weights and biases are too many numbers to keep \
                         ({numbers}; examples × weights at most {MAX_DATASET_NUMBERS}): use fewer examples or \
                         smaller layers",
                        texts.len(),
                        network.parameter_count()
                    ),
                ));
            }
            let mut examples = vec![Example { input, objective }];
            for text in &texts[1..] {
                let input = validate_input(text, Some(examples[0].input.len()))?;
                let objective = validate_objective(spec.loss, text, outputs)?;
                let example = Example { input, objective };
                check_overflow(&network.example_of(&example))?;
                examples.push(example);
            }
            Some(examples)
        }
    };
    let learning_rate = train.map(|train| validate_learning_rate(train.learning_rate)).transpose()?;
    if dataset.is_some() || learning_rate.is_some() {
        let reduction = spec.reduction.unwrap_or_default();
        network = network.with_training(Training::new(dataset, reduction, learning_rate));
        check_training_overflow(&network)?;
    }
    Ok(network)
}

fn validate_learning_rate(eta: f64) -> Result<f64, Invalid> {
    if eta.is_finite() && eta > 0.0 {
        return Ok(eta);
    }
    Err(Invalid::at(
        &path(&["train", "learning_rate"]),
        format!(
            "train.learning_rate = {eta:?}: the learning rate η must be a finite number above 0 (e.g. 0.1)"
        ),
    ))
}

/// The step of gradient descent must stay finite too: a huge η times a gradient can overflow.
fn check_training_overflow(network: &Network) -> Result<(), Invalid> {
    use crate::network::training::{descend, forward_all, totals};
    use crate::network::{backward::backward, forward::forward};
    let passes: Vec<_> = (1..=network.example_count())
        .map(|n| {
            let example = network.example(n);
            let pass = forward(&example);
            let gradients = backward(&example, &pass);
            (pass.loss, gradients)
        })
        .collect();
    let borrowed: Vec<(f64, &_)> = passes.iter().map(|(loss, gradients)| (*loss, gradients)).collect();
    let total = totals(network.reduction(), &borrowed);
    let finite = |m: &[f64]| m.iter().all(|x| x.is_finite());
    let gradients_finite = total.loss.is_finite()
        && finite(total.dl_dwo.as_slice())
        && total.dl_dw.iter().all(|m| finite(m.as_slice()))
        && total.dl_dbo.iter().chain(total.dl_db.iter().flatten()).all(|b| finite(b.as_slice()));
    if !gradients_finite {
        return Err(Invalid::at(
            &path(&["data"]),
            "the numbers are too large: the total over the examples overflows f64 (largest about 1.8e308); \
             use smaller inputs and weights",
        ));
    }
    let Some(eta) = network.learning_rate() else { return Ok(()) };
    let after = descend(network, &total, eta);
    let (_, loss) = forward_all(&after);
    let layers = after.hidden().iter().chain([after.output()]);
    let updated_finite = layers
        .into_iter()
        .all(|layer| finite(layer.weights().as_slice()) && layer.bias().is_none_or(|b| finite(b.as_slice())));
    if updated_finite && loss.is_finite() {
        return Ok(());
    }
    Err(Invalid::at(
        &path(&["train", "learning_rate"]),
        format!(
            "train.learning_rate = {eta:?} is too large: the updated weights or the loss after the step \
             overflow f64 (largest about 1.8e308); use a smaller η"
        ),
    ))
}

/// Finite numbers can still overflow f64 on the way (1e200 · 1e200 is inf), and then every
/// answer would be inf or NaN. Refuses such a lesson, naming the first quantity that overflows
/// and pointing at the layer whose numbers are too large.
fn check_overflow(network: &Network) -> Result<(), Invalid> {
    use crate::network::{backward::backward, forward::forward};
    use crate::quantity::Quantity;
    let k = network.depth();
    let layer_weights =
        |l: usize| path(&["network", "layers"]).into_iter().chain([Key::Index(l - 1), name("weights")]);
    let fail = |at: Vec<Key>, quantity: Quantity, values: &[f64]| {
        let i = values.iter().position(|v| !v.is_finite()).unwrap_or(0);
        let entry = match network.shape(quantity) {
            crate::value::Shape::Matrix(_, columns) => vec![i / columns + 1, i % columns + 1],
            _ => vec![i + 1],
        };
        Err(Invalid::at(
            &at,
            format!(
                "the numbers are too large: {} = {} overflows f64 (largest about 1.8e308); use \
                 smaller inputs and weights",
                quantity.entry_symbol(&entry),
                values.get(i).copied().unwrap_or(f64::NAN)
            ),
        ))
    };
    let finite = |values: &[f64]| values.iter().all(|v| v.is_finite());
    let f = forward(network);
    for l in 1..=k {
        for (quantity, values) in [(Quantity::Z(l), &f.z[l - 1]), (Quantity::H(l), &f.h[l - 1])] {
            if !finite(values.as_slice()) {
                return fail(layer_weights(l).collect(), quantity, values.as_slice());
            }
        }
    }
    if !finite(f.o.as_slice()) {
        return fail(layer_weights(k + 1).collect(), Quantity::O, f.o.as_slice());
    }
    if !f.loss.is_finite() {
        return fail(layer_weights(k + 1).collect(), Quantity::Loss, &[f.loss]);
    }
    let g = backward(network, &f);
    // Each gradient with its matrix, if it is one: checked where it lies, and only one that
    // overflows is copied out row by row (the order `fail` counts entries in). A lesson may
    // have millions of weights.
    let mut gradients = vec![
        (Quantity::DlDo, g.dl_do.as_slice(), None),
        (Quantity::DlDwo, g.dl_dwo.as_slice(), Some(&g.dl_dwo)),
    ];
    for l in (1..=k).rev() {
        gradients.push((Quantity::DlDh(l), g.dl_dh[l - 1].as_slice(), None));
        gradients.push((Quantity::DlDw(l), g.dl_dw[l - 1].as_slice(), Some(&g.dl_dw[l - 1])));
    }
    // Bias gradients equal ∂L/∂o or a gated ∂L/∂h(l), which are checked above.
    match gradients.into_iter().find(|(_, values, _)| !finite(values)) {
        Some((quantity, _, Some(matrix))) => {
            fail(path(&["network", "layers"]), quantity, matrix.transpose().as_slice())
        }
        Some((quantity, values, None)) => fail(path(&["network", "layers"]), quantity, values),
        None => Ok(()),
    }
}

/// Checks one layer's weights and bias against the size of the layer below
/// (`(units, its name, "units" or "entries")`).
fn validate_layer(
    spec: &LayerSpec,
    at: &[Key],
    label: &str,
    (below_units, below_name, unit_word): (usize, String, (&str, &str)),
) -> Result<(DMatrix<f64>, Option<DVector<f64>>), Invalid> {
    let at_weights = with(at, [name("weights")]);
    let rows = &spec.weights;
    if rows.is_empty() {
        return Err(Invalid::at(
            &at_weights,
            format!("{label}: weights are empty (one row per unit is needed)"),
        ));
    }
    if rows.len() > MAX_UNITS {
        return Err(Invalid::at(
            &at_weights,
            format!("{label} has {} units (at most {MAX_UNITS})", rows.len()),
        ));
    }
    let columns = rows[0].len();
    for (r, row) in rows.iter().enumerate() {
        let at_row = with(&at_weights, [Key::Index(r)]);
        if row.is_empty() {
            return Err(Invalid::at(&at_row, format!("{label}: weights row {} is empty", r + 1)));
        }
        if row.len() != columns {
            return Err(Invalid::at(
                &at_row,
                format!(
                    "{label}: weights row {} has {} but row 1 has {columns} (every row needs one entry per \
                     unit of the layer below)",
                    r + 1,
                    count(row.len(), "entry", "entries")
                ),
            ));
        }
        if let Some(c) = row.iter().position(|v| !v.is_finite()) {
            return Err(Invalid::at(
                &with(&at_row, [Key::Index(c)]),
                format!("{label}: weight [{}, {}] is {}: every number must be finite", r + 1, c + 1, row[c]),
            ));
        }
    }
    if columns != below_units {
        return Err(Invalid::at(
            &at_weights,
            format!(
                "{label}: weights have {} but {below_name} has {}",
                count(columns, "column", "columns"),
                count(below_units, unit_word.0, unit_word.1)
            ),
        ));
    }
    let weights = DMatrix::from_fn(rows.len(), columns, |r, c| rows[r][c]);
    let bias = match &spec.bias {
        None => None,
        Some(bias) => {
            let at_bias = with(at, [name("bias")]);
            if bias.len() != rows.len() {
                return Err(Invalid::at(
                    &at_bias,
                    format!(
                        "{label}: bias has {} but the layer has {} (one per row of weights)",
                        count(bias.len(), "entry", "entries"),
                        count(rows.len(), "unit", "units")
                    ),
                ));
            }
            Some(finite_vector(bias, &at_bias, &format!("{label}: bias"))?)
        }
    };
    Ok((weights, bias))
}

fn validate_objective(loss: LossKind, example: &ExampleText, outputs: usize) -> Result<Objective, Invalid> {
    let who = &example.name;
    let at = |key: &str| with(&example.at, [name(key)]);
    match loss {
        LossKind::SoftmaxCrossEntropy => {
            if example.target.is_some() {
                return Err(Invalid::at(
                    &at("target"),
                    format!("{who}.target is for loss = \"mse\"; softmax_cross_entropy takes a label"),
                ));
            }
            let label = example.label.ok_or_else(|| {
                Invalid::at(
                    &example.at,
                    format!(
                        "{who}.label is missing: loss = \"softmax_cross_entropy\" needs the true class y \
                         (1-based, as in the notes)"
                    ),
                )
            })?;
            if !(1..=outputs as i64).contains(&label) {
                return Err(Invalid::at(
                    &at("label"),
                    format!(
                        "{who}.label = {label} is outside 1..={outputs}: labels are 1-based as in the notes \
                         and the output layer has {outputs} units"
                    ),
                ));
            }
            Ok(Objective::SoftmaxCrossEntropy { label: label as usize })
        }
        LossKind::Mse => {
            if example.label.is_some() {
                return Err(Invalid::at(
                    &at("label"),
                    format!("{who}.label is for softmax_cross_entropy; loss = \"mse\" takes a target vector"),
                ));
            }
            let at_target = at("target");
            let target = example.target.ok_or_else(|| {
                Invalid::at(
                    &example.at,
                    format!("{who}.target is missing: loss = \"mse\" needs the target vector t"),
                )
            })?;
            if target.len() != outputs {
                return Err(Invalid::at(
                    &at_target,
                    format!(
                        "{who}.target has {} but the output layer has {}",
                        count(target.len(), "entry", "entries"),
                        count(outputs, "unit", "units")
                    ),
                ));
            }
            Ok(Objective::Mse { target: finite_vector(target, &at_target, &format!("{who}.target"))? })
        }
    }
}

/// Why a relative tolerance must stay below 1; `check --rtol` says the same.
pub const RTOL_BELOW_ONE: &str =
    "a relative tolerance must be below 1, as at 1 or more an answer of 0 is within tolerance of every value";

fn validate_tolerance(spec: &ToleranceSpec, at: &[Key]) -> Result<ToleranceSetting, Invalid> {
    let field = |value: Option<f64>, key: &str| match value {
        Some(v) if !(v.is_finite() && v >= 0.0) => Err(Invalid::at(
            &with(at, [name(key)]),
            format!("{key} = {v}: a tolerance must be a finite number ≥ 0"),
        )),
        other => Ok(other),
    };
    let rtol = field(spec.rtol, "rtol")?;
    // At rtol ≥ 1 zero is within tolerance of every value (DESIGN.md §4).
    if let Some(r) = rtol.filter(|r| *r >= 1.0) {
        let mut invalid = Invalid::at(&with(at, [name("rtol")]), String::new());
        invalid.message = format!("{} = {r}: {RTOL_BELOW_ONE}", invalid.dotted());
        return Err(invalid);
    }
    Ok(ToleranceSetting { rtol, atol: field(spec.atol, "atol")? })
}

fn validate_check(spec: Option<&CheckSpec>, network: &Network) -> Result<Tolerances, Invalid> {
    let Some(spec) = spec else {
        return Ok(Tolerances { default: Tolerance::DEFAULT, per_quantity: BTreeMap::new() });
    };
    let at = path(&["check"]);
    let lesson = validate_tolerance(&ToleranceSpec { rtol: spec.rtol, atol: spec.atol }, &at)?;
    let default = Tolerance {
        rtol: lesson.rtol.unwrap_or(Tolerance::DEFAULT.rtol),
        atol: lesson.atol.unwrap_or(Tolerance::DEFAULT.atol),
    };
    let mut per_quantity = BTreeMap::new();
    for (key, tolerance) in &spec.per_quantity {
        let at_key = with(&at, [name(key)]);
        let quantity = quantity_in(key, network, &at_key, "check")?;
        // Two spellings of one entry ("dL_dWo[2,1]", "dL_dWo[2, 1]") would be one silently.
        if per_quantity.insert(quantity.clone(), validate_tolerance(tolerance, &at_key)?).is_some() {
            return Err(Invalid::at(
                &at_key,
                format!("check: {quantity} is given twice, under two spellings"),
            ));
        }
    }
    Ok(Tolerances { default, per_quantity })
}

/// Every key `[check.credit]` takes: `carried`, then the diagnosis ids.
pub fn credit_keys() -> impl Iterator<Item = &'static str> {
    use strum::IntoEnumIterator;
    std::iter::once(CARRIED_CREDIT_KEY).chain(DiagnosisId::iter().map(DiagnosisId::name))
}

/// `[check.credit]`: each key `carried` or a diagnosis id, each value a share of a point.
fn validate_credit(table: &BTreeMap<String, f64>) -> Result<Credit, Invalid> {
    let mut credit = Credit::default();
    for (key, &share) in table {
        let at = path(&["check", "credit", key]);
        if !(share.is_finite() && (0.0..=1.0).contains(&share)) {
            return Err(Invalid::at(
                &at,
                format!("check.credit.{key} = {share}: a credit is a share of the point, from 0 to 1"),
            ));
        }
        if key == CARRIED_CREDIT_KEY {
            credit.carried = Some(share);
            continue;
        }
        let Ok(id) = key.parse::<DiagnosisId>() else {
            let known: Vec<&str> = credit_keys().collect();
            return Err(Invalid::at(
                &at,
                format!("check.credit: '{key}' is no diagnosis id (it takes: {})", known.join(", ")),
            ));
        };
        credit.diagnosed.insert(id, share);
    }
    Ok(credit)
}

/// Parses a quantity name (or entry) and checks that this network has it.
fn quantity_in(text: &str, network: &Network, at: &[Key], table: &str) -> Result<QuantityRef, Invalid> {
    let quantity: QuantityRef = text
        .parse()
        .map_err(|e: crate::quantity::UnknownQuantity| Invalid::at(at, format!("{table}: {e}")))?;
    if !network.has(quantity.quantity) {
        return Err(Invalid::at(
            at,
            format!(
                "{table}: this network has no {} (it has {} hidden layer(s){}{})",
                quantity.quantity,
                network.depth(),
                if network.has_bias() { "" } else { " and no biases" },
                if network.learning_rate().is_some() || !quantity.quantity.is_update() {
                    ""
                } else {
                    "; the updated weights need a [train] table"
                }
            ),
        ));
    }
    if let Some(why) = network.misnamed(quantity.quantity, quantity.example) {
        return Err(Invalid::at(at, format!("{table}: {quantity}: {why}")));
    }
    if !network.has_ref(&quantity) {
        return Err(Invalid::at(
            at,
            format!(
                "{table}: {quantity} is out of range: {} is {}",
                quantity.whole(),
                network.shape(quantity.quantity)
            ),
        ));
    }
    Ok(quantity)
}

fn validate_steps(spec: &StepsSpec, network: &Network) -> Result<Vec<Ask>, Invalid> {
    let at = path(&["steps", "ask"]);
    if spec.ask.is_empty() {
        return Err(Invalid::at(&at, "steps.ask is empty: name at least one step or quantity"));
    }
    spec.ask
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let at_item = with(&at, [Key::Index(i)]);
            if item == "forward" {
                Ok(Ask::Forward)
            } else if let Some((kind, example)) = crate::network::steps::find_step(network, item) {
                Ok(Ask::Step(kind, example))
            } else {
                quantity_in(item, network, &at_item, "steps.ask").map(Ask::Quantity).map_err(|e| Invalid {
                    message: format!("{} (or a step id such as {})", e.message, step_examples(network)),
                    ..e
                })
            }
        })
        .collect()
}

/// A few step ids of this lesson, for a message about one that is not.
fn step_examples(network: &Network) -> String {
    use crate::network::steps::{lesson_step_id, lesson_steps};
    let ids: Vec<String> = lesson_steps(network)
        .into_iter()
        .map(|(kind, example)| lesson_step_id(network, kind, example))
        .collect();
    let mut shown: Vec<&str> = ids.iter().take(3).map(String::as_str).collect();
    for training in ["sum", "5", "6"] {
        if ids.iter().any(|id| id == training) {
            shown.push(training);
        }
    }
    shown.join(", ")
}
