//! `new` (DESIGN.md §7): determinism, a golden lesson that pins the algorithm, and the properties of
//! its numbers over many seeds and shapes, checked by an implementation of the network written
//! here from the file's text alone (no engine code), then `lint` and the loader on top.

use assert_cmd::cargo::cargo_bin_cmd;
use backprop_tutor::answer::{GradeOptions, Grader};
use backprop_tutor::authoring::generate::{
    DEFAULT_LAYERS, GenerateError, MAX_UNITS, Options, generate, generate_exposing,
};
use backprop_tutor::authoring::lint::lint;
use backprop_tutor::authoring::remediation::remediation;
use backprop_tutor::diagnosis::DiagnosisId;
use backprop_tutor::engine::Solution;
use backprop_tutor::lesson::{LossKind, load_lesson, parse_lesson};
use backprop_tutor::network::Activation;
use backprop_tutor::value::Value;
use nalgebra::{DMatrix, DVector};
use proptest::prelude::*;
use strum::IntoEnumIterator;

/// A layer's weights as rows, and its bias.
type Layer = (Vec<Vec<f64>>, Option<Vec<f64>>);

/// The network as the file states it, read with plain `toml`.
struct Net {
    input: Vec<f64>,
    /// The hidden layers, then the output layer.
    layers: Vec<Layer>,
    activation: String,
    label: Option<usize>,
    target: Option<Vec<f64>>,
}

fn numbers(value: &toml::Value) -> Vec<f64> {
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_float().or(v.as_integer().map(|i| i as f64)).unwrap())
        .collect()
}

fn read(text: &str) -> Net {
    let table: toml::Table = text.parse().unwrap();
    let network = table["network"].as_table().unwrap();
    let layers = network["layers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|layer| {
            let rows = layer["weights"].as_array().unwrap().iter().map(numbers).collect();
            (rows, layer.get("bias").map(numbers))
        })
        .collect();
    Net {
        input: numbers(&network["input"]),
        layers,
        activation: network["activation"].as_str().unwrap().to_string(),
        label: network.get("label").map(|l| l.as_integer().unwrap() as usize),
        target: network.get("target").map(numbers),
    }
}

fn f(activation: &str, z: f64) -> f64 {
    match activation {
        "relu" => z.max(0.0),
        "leaky_relu" => {
            if z > 0.0 {
                z
            } else {
                0.01 * z
            }
        }
        "sigmoid" => 1.0 / (1.0 + (-z).exp()),
        "tanh" => z.tanh(),
        _ => z,
    }
}

fn df(activation: &str, z: f64) -> f64 {
    match activation {
        "relu" => {
            if z > 0.0 {
                1.0
            } else {
                0.0
            }
        }
        "leaky_relu" => {
            if z > 0.0 {
                1.0
            } else {
                0.01
            }
        }
        "sigmoid" => f("sigmoid", z) * (1.0 - f("sigmoid", z)),
        "tanh" => 1.0 - z.tanh().powi(2),
        _ => 1.0,
    }
}

fn affine((rows, bias): &Layer, below: &[f64]) -> Vec<f64> {
    rows.iter()
        .enumerate()
        .map(|(i, row)| {
            row.iter().zip(below).map(|(w, h)| w * h).sum::<f64>() + bias.as_ref().map_or(0.0, |b| b[i])
        })
        .collect()
}

/// Pre-activations of the hidden layers, their activations (layer 0 = x), and the outputs o.
fn forward(net: &Net) -> (Vec<Vec<f64>>, Vec<Vec<f64>>, Vec<f64>) {
    let (output, hidden) = net.layers.split_last().unwrap();
    let mut zs = Vec::new();
    let mut hs = vec![net.input.clone()];
    for layer in hidden {
        let z = affine(layer, hs.last().unwrap());
        hs.push(z.iter().map(|&z| f(&net.activation, z)).collect());
        zs.push(z);
    }
    let o = affine(output, hs.last().unwrap());
    (zs, hs, o)
}

/// The backward pass written out: ∂L/∂o, ∂L/∂h(l) for l = 1..=K (index l − 1), and ∂L/∂W for
/// every layer (hidden layers, then the output).
struct Backward {
    dl_do: Vec<f64>,
    dl_dh: Vec<Vec<f64>>,
    grads: Vec<Vec<Vec<f64>>>,
}

fn backward(net: &Net) -> Backward {
    let (zs, hs, o) = forward(net);
    let dl_do: Vec<f64> = match (net.label, &net.target) {
        (Some(y), _) => {
            let top = o.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let sum: f64 = o.iter().map(|v| (v - top).exp()).sum();
            o.iter()
                .enumerate()
                .map(|(i, v)| (v - top).exp() / sum - if i + 1 == y { 1.0 } else { 0.0 })
                .collect()
        }
        (None, Some(t)) => o.iter().zip(t).map(|(o, t)| o - t).collect(),
        _ => unreachable!("a lesson has a label or a target"),
    };
    let mut delta = dl_do.clone();
    let mut grads = vec![Vec::new(); net.layers.len()];
    let mut dl_dh = vec![Vec::new(); net.layers.len() - 1];
    for l in (0..net.layers.len()).rev() {
        let below = &hs[l];
        grads[l] = delta.iter().map(|d| below.iter().map(|h| d * h).collect()).collect();
        if l > 0 {
            let rows = &net.layers[l].0;
            dl_dh[l - 1] =
                (0..below.len()).map(|j| (0..rows.len()).map(|i| delta[i] * rows[i][j]).sum()).collect();
            delta = dl_dh[l - 1].iter().zip(&zs[l - 1]).map(|(g, &z)| g * df(&net.activation, z)).collect();
        }
    }
    Backward { dl_do, dl_dh, grads }
}

/// ∂L/∂W for every layer (hidden layers, then the output), by the chain rule written out.
fn weight_gradients(net: &Net) -> Vec<Vec<Vec<f64>>> {
    backward(net).grads
}

/// Every property DESIGN.md §7 asks of a generated lesson, for the sizes in `options`.
fn spec_violations(text: &str, options: &Options) -> Vec<String> {
    let net = read(text);
    let mut out = Vec::new();
    let mut fail = |why: String| out.push(why);
    if !text.starts_with("#:schema ../assets/lesson.schema.json\n") {
        fail("no #:schema line".into());
    }
    let shapes: Vec<(usize, usize)> =
        net.layers.iter().map(|(rows, _)| (rows.len(), rows[0].len())).collect();
    let wanted: Vec<(usize, usize)> = options.layers.windows(2).map(|w| (w[1], w[0])).collect();
    if shapes != wanted {
        fail(format!("shapes {shapes:?}, --layers asks {wanted:?}"));
    }
    let mut given: Vec<f64> = net.input.clone();
    given.extend(net.target.iter().flatten());
    for (rows, bias) in &net.layers {
        given.extend(rows.iter().flatten());
        given.extend(bias.iter().flatten());
    }
    if let Some(v) = given.iter().find(|&&v| (v * 10.0).round() / 10.0 != v) {
        fail(format!("{v} has more than one decimal place"));
    }
    for (l, (rows, _)) in net.layers.iter().enumerate() {
        let entries: Vec<f64> = rows.iter().flatten().copied().collect();
        if entries.iter().all(|&w| w == 0.0) {
            fail(format!("weight matrix {l} is zero"));
        }
        if entries.len() >= 2 && entries.iter().all(|&w| w == entries[0]) {
            fail(format!("weight matrix {l} has all entries equal"));
        }
        let n = rows.len();
        if n >= 2 && rows[0].len() == n && (0..n).all(|i| (0..n).all(|j| rows[i][j] == rows[j][i])) {
            fail(format!("weight matrix {l} is symmetric"));
        }
    }
    let (zs, _, o) = forward(&net);
    if let Some(z) = zs.iter().flatten().find(|z| z.abs() <= 0.05) {
        fail(format!("pre-activation {z} within 0.05 of 0"));
    }
    if matches!(net.activation.as_str(), "relu" | "leaky_relu") {
        if zs.iter().any(|z| z.iter().all(|&z| z <= 0.0)) {
            fail("a hidden layer is wholly closed".into());
        }
        let room = zs.iter().any(|z| z.len() >= 2);
        if room && !zs.iter().flatten().any(|&z| z < 0.0) {
            fail("no gate is closed".into());
        }
    }
    for (l, gradient) in weight_gradients(&net).iter().enumerate() {
        if gradient.iter().flatten().all(|&g| g == 0.0) {
            fail(format!("∂L/∂W of layer {l} is zero"));
        }
    }
    if let Some(y) = net.label {
        let top = o.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        if o[y - 1] >= top {
            fail(format!("the label {y} is the predicted class (o = {o:?})"));
        }
    }
    out
}

/// Loads, lints clean and meets every property.
fn assert_good(text: &str, options: &Options) {
    let lesson = parse_lesson("generated", text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    let report = lint(&lesson);
    let findings: Vec<_> = report.defects().map(|f| f.message.clone()).collect();
    assert!(findings.is_empty(), "{findings:?}\n{text}");
    let violations = spec_violations(text, options);
    assert!(violations.is_empty(), "{violations:?}\n{text}");
}

const ACTIVATIONS: [Activation; 5] =
    [Activation::Relu, Activation::LeakyRelu, Activation::Sigmoid, Activation::Tanh, Activation::Identity];

prop_compose! {
    fn any_options()(
        // Any text with something in it; a blank seed is refused (see below).
        seed in ".{0,24}".prop_filter("a seed is not blank", |seed| !seed.trim().is_empty()),
        input in 1usize..=6,
        hidden in prop::collection::vec(1usize..=6, 1..=4),
        outputs in 1usize..=6,
        activation in prop::sample::select(ACTIVATIONS.to_vec()),
        bias in any::<bool>(),
        mse in any::<bool>(),
    ) -> Options {
        // softmax needs two outputs; a single output is an mse lesson.
        let loss = if mse || outputs == 1 { LossKind::Mse } else { LossKind::SoftmaxCrossEntropy };
        let layers = [vec![input], hidden, vec![outputs]].concat();
        Options { layers, seed, activation, bias, loss, training: Default::default() }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn every_variant_meets_the_spec(options in any_options()) {
        let text = generate(&options).unwrap_or_else(|e| panic!("{options:?}: {e}"));
        assert_good(&text, &options);
        prop_assert_eq!(generate(&options).unwrap(), text, "not deterministic");
    }
}

#[test]
fn large_and_deep_shapes_work_too() {
    let shapes: [&[usize]; 4] = [
        &[16, 16, 16],
        &[2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2],
        &[1, 16, 1, 2],
        &[16, 1, 16],
    ];
    for (i, layers) in shapes.iter().enumerate() {
        for activation in ACTIVATIONS.into_iter().filter(|&a| a != Activation::Sigmoid) {
            let options =
                Options { layers: layers.to_vec(), activation, ..Options::with_seed(&format!("deep {i}")) };
            let text = generate(&options).unwrap_or_else(|e| panic!("{options:?}: {e}"));
            assert_good(&text, &options);
        }
    }
}

#[test]
fn the_same_seed_gives_the_same_lesson_and_two_seeds_differ() {
    let a = generate(&Options::with_seed("alice@example.edu")).unwrap();
    assert_eq!(a, generate(&Options::with_seed("alice@example.edu")).unwrap());
    let b = generate(&Options::with_seed("bob@example.edu")).unwrap();
    assert_ne!(read(&a).layers, read(&b).layers);
}

/// Pins the whole algorithm (hash, PRNG, mapping to tenths, rejection order, text): if this
/// changes, old seeds make new lessons, which the spec forbids. (These two changed once, when
/// lessons had to tell every known mistake apart: the first hid a dropped gate in Steps 3A and
/// 3B, every gate of its layer 2 open, the second a leaky ReLU's slope in Step 4.)
#[test]
fn golden_lessons_never_change() {
    let golden = r#"#:schema ../assets/lesson.schema.json
title = "Exercise (seed golden)"
description = "A random exercise made by `backprop-tutor new --seed golden --layers 3,2,2,3`; the same command makes the same lesson."

[network]
input = [0.2, -1.4, -1.6]
label = 1
loss = "softmax_cross_entropy"
activation = "relu"

[[network.layers]] # W(1): 2 units × 3 inputs
weights = [
    [-1.2, 0.6, 0.1],
    [-1.3, -0.9, -0.7],
]

[[network.layers]] # W(2): 2 units × 2 units of layer 1
weights = [
    [-1.4, 1.5],
    [-0.4, -0.5],
]

[[network.layers]] # W(o), the output layer (linear): 3 outputs × 2 units of layer 2
weights = [
    [-0.1, -1.1],
    [-0.9, 1.2],
    [1.4, 0.1],
]
"#;
    assert_eq!(generate(&Options::with_seed("golden")).unwrap(), golden);

    let with_everything = r#"#:schema ../assets/lesson.schema.json
title = "Exercise (seed golden)"
description = "A random exercise made by `backprop-tutor new --seed golden --layers 2,3,1 --activation leaky_relu --bias --loss mse`; the same command makes the same lesson."

[network]
input = [0.6, 1.7]
target = [1.5]
loss = "mse"
activation = "leaky_relu"

[[network.layers]] # W(1): 3 units × 2 inputs
weights = [
    [-1.4, -0.1],
    [-0.7, 0.8],
    [0.7, 0.1],
]
bias = [0.2, 0.9, -0.2]

[[network.layers]] # W(o), the output layer (linear): 1 output × 3 units of layer 1
weights = [
    [0.6, 0.9, -1.2],
]
bias = [0.1]
"#;
    let options = Options {
        layers: vec![2, 3, 1],
        activation: Activation::LeakyRelu,
        bias: true,
        loss: LossKind::Mse,
        ..Options::with_seed("golden")
    };
    assert_eq!(generate(&options).unwrap(), with_everything);
}

#[test]
fn impossible_sizes_are_refused_with_a_reason() {
    let with = |layers: &[usize]| Options { layers: layers.to_vec(), ..Options::with_seed("s") };
    assert_eq!(generate(&with(&[3, 3])), Err(GenerateError::TooFewSizes));
    assert_eq!(generate(&with(&[3, 0, 3])), Err(GenerateError::ZeroSize { position: 2 }));
    assert_eq!(
        generate(&with(&[3, MAX_UNITS + 1, 3])),
        Err(GenerateError::TooWide { position: 2, size: 17 })
    );
    assert_eq!(generate(&with(&[3, 2, 1])), Err(GenerateError::OneOutput));
    assert!(matches!(generate(&with(&[2; 19])), Err(GenerateError::TooDeep { hidden: 17 })));
    let sigmoid = Options { activation: Activation::Sigmoid, ..with(&[2; 8]) };
    assert_eq!(generate(&sigmoid), Err(GenerateError::TooDeepForSigmoid { hidden: 6 }));
}

#[test]
fn cli_new_then_lint_is_clean() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("variant.toml");
    cargo_bin_cmd!("backprop-tutor")
        .args(["new", "--seed", "student-42", "--layers", "4,3,2", "--bias", "-o"])
        .arg(&path)
        .assert()
        .success();
    let printed = cargo_bin_cmd!("backprop-tutor")
        .args(["new", "--seed", "student-42", "--layers", "4,3,2", "--bias"])
        .output()
        .unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), printed.stdout, "-o and stdout agree");
    cargo_bin_cmd!("backprop-tutor").arg("lint").arg(&path).assert().code(0);
}

#[test]
fn cli_without_a_seed_says_which_seed_it_used() {
    let output = cargo_bin_cmd!("backprop-tutor").arg("new").output().unwrap();
    assert!(output.status.success());
    let stderr = String::from_utf8(output.stderr).unwrap();
    let seed = stderr.strip_prefix("seed: ").and_then(|rest| rest.split_whitespace().next()).unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains(&format!("--seed {seed} ")), "the description names the seed:\n{text}");
    let again = cargo_bin_cmd!("backprop-tutor").args(["new", "--seed", seed]).output().unwrap();
    assert_eq!(String::from_utf8(again.stdout).unwrap(), text);
}

#[test]
fn cli_refuses_bad_sizes() {
    for layers in ["3", "3,0,3", "3,99,3", "3,x,3"] {
        cargo_bin_cmd!("backprop-tutor").args(["new", "--layers", layers]).assert().code(2);
    }
}

#[test]
fn the_property_checker_has_teeth() {
    // The notes' example opens every gate, and W(1) has zeros in each row — fine for the notes,
    // but not what `new` may make.
    let notes = backprop_tutor::lesson::shipped::source("notes-example").unwrap();
    let options = Options::with_seed("unused");
    assert_eq!(spec_violations(notes, &options), ["no gate is closed"]);
    let symmetric = notes.replace("[[1, 3], [2, -1]]", "[[1, 2], [2, -1]]");
    assert!(spec_violations(&symmetric, &options).contains(&"weight matrix 1 is symmetric".to_string()));
}

#[test]
fn any_text_not_blank_is_a_seed() {
    for seed in ["a \"quoted\" seed", "back\\slash", "new\nline", "it's", "ünïcødé 学生", "'; rm -rf /"]
    {
        let options = Options::with_seed(seed);
        let text = generate(&options).unwrap();
        assert_good(&text, &options);
        let title = read_title(&text);
        assert_eq!(title, format!("Exercise (seed {seed})"));
    }
}

#[test]
fn a_blank_seed_is_refused_as_check_variants_would_refuse_it() {
    for seed in ["", "   ", "\t\n"] {
        let output = cargo_bin_cmd!("backprop-tutor").args(["new", "--seed", seed]).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{seed:?}");
        assert!(output.stdout.is_empty(), "{seed:?}: a lesson was printed");
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert!(stderr.starts_with("error: --seed is blank: give any text"), "{seed:?}: {stderr}");
    }
}

#[test]
fn a_refused_lesson_names_no_seed() {
    // The seed line promises a lesson made from it; with none made it would point at nothing.
    let output = cargo_bin_cmd!("backprop-tutor").args(["new", "--layers", "3,0,2"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(!stderr.contains("seed:"), "{stderr}");
    assert!(stderr.starts_with("error: --layers: size 2 is 0"), "{stderr}");
    assert!(output.stdout.is_empty());
}

fn read_title(text: &str) -> String {
    text.parse::<toml::Table>().unwrap()["title"].as_str().unwrap().to_string()
}

#[test]
fn a_hopeless_request_ends_with_an_error_not_a_loop() {
    // Sixteen one-unit tanh layers with biases: the gradient vanishes on the way down to W(1)
    // for this seed in every one of the bounded draws.
    let options = Options {
        layers: [vec![1], vec![1; 16], vec![2]].concat(),
        activation: Activation::Tanh,
        bias: true,
        ..Options::with_seed("s8")
    };
    let error = generate(&options).unwrap_err();
    assert_eq!(error, GenerateError::Exhausted { last: "∂L/∂W(1) is zero to 3 decimals".into() });
    assert!(error.to_string().contains("try another seed or other sizes"), "{error}");
}

#[test]
fn cli_defaults_are_the_library_defaults() {
    let output = cargo_bin_cmd!("backprop-tutor").args(["new", "--seed", "defaults"]).output().unwrap();
    assert_eq!(String::from_utf8(output.stdout).unwrap(), generate(&Options::with_seed("defaults")).unwrap());
    assert_eq!(Options::with_seed("x").layers, DEFAULT_LAYERS);
    assert_eq!(DEFAULT_LAYERS, [3, 2, 2, 3], "the notes' shape");
}

// ---------------------------------------------------------------- --expose

/// Answers with exactly the mistake `id`, one per question where it can happen, worked out here
/// from the chain rule above (not with the grader's formulas); empty for an id this file does
/// not work out.
fn with_mistake(net: &Net, id: DiagnosisId) -> Vec<(String, Value)> {
    use DiagnosisId::*;
    let (zs, hs, o) = forward(net);
    let b = backward(net);
    let k = net.layers.len() - 1;
    let act = net.activation.as_str();
    let weights_name = |m: usize| if m == k { "dL_dWo".to_string() } else { format!("dL_dW{}", m + 1) };
    let matrix = |m: &[Vec<f64>]| Value::Matrix(DMatrix::from_fn(m.len(), m[0].len(), |i, j| m[i][j]));
    let vector = |v: &[f64]| Value::Vector(DVector::from_column_slice(v));
    // ∂L/∂W(l) of hidden layer l with `slope(z, h)` in place of f'(z).
    let with_slope = |l: usize, slope: &dyn Fn(f64, f64) -> f64| {
        let delta: Vec<f64> =
            b.dl_dh[l - 1].iter().zip(&zs[l - 1]).zip(&hs[l]).map(|((g, &z), &h)| g * slope(z, h)).collect();
        let rows: Vec<Vec<f64>> = delta.iter().map(|d| hs[l - 1].iter().map(|x| d * x).collect()).collect();
        (format!("dL_dW{l}"), matrix(&rows))
    };
    let hidden = || 1..=k;
    match id {
        SignFlipped => b
            .grads
            .iter()
            .enumerate()
            .map(|(m, g)| {
                let negated: Vec<Vec<f64>> = g.iter().map(|row| row.iter().map(|x| -x).collect()).collect();
                (weights_name(m), matrix(&negated))
            })
            .collect(),
        Transposed => b
            .grads
            .iter()
            .enumerate()
            .map(|(m, g)| {
                let t: Vec<Vec<f64>> =
                    (0..g[0].len()).map(|j| g.iter().map(|row| row[j]).collect()).collect();
                (weights_name(m), matrix(&t))
            })
            .collect(),
        GateMissing => hidden().map(|l| with_slope(l, &|_, _| 1.0)).collect(),
        LeakyAsRelu => hidden().map(|l| with_slope(l, &|z, _| if z > 0.0 { 1.0 } else { 0.0 })).collect(),
        DerivativeWrongArgument => hidden().map(|l| with_slope(l, &|_, h| df(act, h))).collect(),
        WeightsNotTransposed => (1..=k)
            .filter(|&m| net.layers[m].0.len() == net.layers[m].0[0].len())
            .map(|m| {
                let w = &net.layers[m].0;
                let delta: Vec<f64> = if m == k {
                    b.dl_do.clone()
                } else {
                    b.dl_dh[m].iter().zip(&zs[m]).map(|(g, &z)| g * df(act, z)).collect()
                };
                let column: Vec<f64> =
                    w.iter().map(|row| row.iter().zip(&delta).map(|(a, d)| a * d).sum()).collect();
                (format!("dL_dh{m}"), vector(&column))
            })
            .collect(),
        NontargetZero => {
            let y = net.label.unwrap_or(0);
            let only: Vec<f64> =
                b.dl_do.iter().enumerate().map(|(i, &g)| if i + 1 == y { g } else { 0.0 }).collect();
            vec![("dL_do".into(), vector(&only))]
        }
        MseFactor => {
            let t = net.target.clone().unwrap_or_default();
            vec![("dL_do".into(), vector(&o.iter().zip(&t).map(|(o, t)| 2.0 * (o - t)).collect::<Vec<_>>()))]
        }
        _ => vec![],
    }
}

/// Whether the grader names `id` for one of the answers with that mistake.
fn diagnosed_somewhere(text: &str, id: DiagnosisId) -> bool {
    let lesson = parse_lesson("generated", text).unwrap();
    let solution = Solution::new(lesson.network());
    let grader = Grader::new(&lesson, &solution, GradeOptions::default());
    with_mistake(&read(text), id).iter().any(|(question, answer)| {
        let grade = grader.grade_value(&question.parse().unwrap(), answer, &grader.earlier());
        grade.diagnosis.is_some_and(|d| d.id == id)
    })
}

/// The ids this file can make answers for, single ones that need no more than the lesson.
fn worked_out(id: DiagnosisId) -> bool {
    use DiagnosisId::*;
    matches!(
        id,
        SignFlipped
            | Transposed
            | GateMissing
            | LeakyAsRelu
            | DerivativeWrongArgument
            | WeightsNotTransposed
            | NontargetZero
            | MseFactor
    )
}

/// `generate_exposing` with the ids of `wanted` that the shape can show; the others are
/// refused with a reason, and left out.
fn exposing_what_can_be_shown(options: &Options, mut wanted: Vec<DiagnosisId>) -> (String, Vec<DiagnosisId>) {
    loop {
        match generate_exposing(options, &wanted) {
            Ok(text) => return (text, wanted),
            Err(GenerateError::CannotExpose { id, needs }) => {
                assert!(!needs.is_empty());
                wanted.retain(|&w| w != id);
            }
            Err(other) => panic!("{options:?} exposing {wanted:?}: {other}"),
        }
    }
}

prop_compose! {
    fn any_exposure()(
        options in any_options(),
        picks in prop::collection::vec(any::<prop::sample::Index>(), 1..=5),
    ) -> (Options, Vec<DiagnosisId>) {
        let ids: Vec<DiagnosisId> = DiagnosisId::iter().collect();
        let mut wanted: Vec<DiagnosisId> = picks.iter().map(|i| *i.get(&ids)).collect();
        wanted.sort_unstable();
        wanted.dedup();
        (options, wanted)
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn expose_variants_keep_every_property_and_show_their_mistakes((options, wanted) in any_exposure()) {
        let (text, exposed) = exposing_what_can_be_shown(&options, wanted);
        assert_good(&text, &options);
        prop_assert_eq!(generate_exposing(&options, &exposed).unwrap(), text.clone(), "not deterministic");
        if !exposed.is_empty() {
            let ids: Vec<&str> = exposed.iter().map(|id| id.name()).collect();
            prop_assert!(text.contains(&format!(" --expose {}`", ids.join(","))), "{}", text);
        }
        for &id in exposed.iter().filter(|&&id| worked_out(id)) {
            prop_assert!(diagnosed_somewhere(&text, id), "{} is not diagnosed in\n{}", id, text);
        }
    }
}

#[test]
fn every_mistake_a_shape_can_show_is_exposed_over_many_seeds() {
    let shapes: [(&[usize], Activation, LossKind); 5] = [
        (&DEFAULT_LAYERS, Activation::Relu, LossKind::SoftmaxCrossEntropy),
        (&DEFAULT_LAYERS, Activation::LeakyRelu, LossKind::SoftmaxCrossEntropy),
        (&DEFAULT_LAYERS, Activation::Sigmoid, LossKind::SoftmaxCrossEntropy),
        (&[2, 3, 3, 2], Activation::Tanh, LossKind::Mse),
        (&[3, 2, 2, 3], Activation::Relu, LossKind::Mse),
    ];
    for (layers, activation, loss) in shapes {
        for seed in 0..6 {
            let options = Options {
                layers: layers.to_vec(),
                activation,
                loss,
                ..Options::with_seed(&format!("x{seed}"))
            };
            let (text, exposed) = exposing_what_can_be_shown(&options, DiagnosisId::iter().collect());
            assert_good(&text, &options);
            for id in exposed.iter().copied().filter(|&id| worked_out(id)) {
                assert!(diagnosed_somewhere(&text, id), "{id} in\n{text}");
            }
            // What each shape shows at least.
            for id in [DiagnosisId::SignFlipped, DiagnosisId::Transposed, DiagnosisId::GateMissing] {
                assert!(exposed.contains(&id), "{id}: {options:?}");
            }
        }
    }
}

#[test]
fn a_mistake_the_shape_cannot_show_is_refused_with_what_it_needs() {
    let refused = |options: &Options, id: DiagnosisId| match generate_exposing(options, &[id]) {
        Err(GenerateError::CannotExpose { id: refused, needs }) => {
            assert_eq!(refused, id);
            needs
        }
        other => panic!("{id}: {other:?}"),
    };
    let relu = Options::with_seed("r");
    assert!(refused(&relu, DiagnosisId::LeakyAsRelu).contains("--activation leaky_relu"));
    assert!(refused(&relu, DiagnosisId::DerivativeWrongArgument).contains("sigmoid"));
    assert!(refused(&relu, DiagnosisId::MseFactor).contains("--loss mse"));
    // No W of 3,4,2 is square: W(l)·δ does not even have a shape.
    let wide = Options { layers: vec![3, 4, 2], ..Options::with_seed("r") };
    assert!(refused(&wide, DiagnosisId::WeightsNotTransposed).contains("square"));
    // The identity's slope is 1: a dropped gate is the right answer whatever the numbers.
    let linear = Options { activation: Activation::Identity, ..Options::with_seed("r") };
    refused(&linear, DiagnosisId::GateMissing);
    // One number a quantity: no other entry to swap with.
    let scalars = Options { layers: vec![1, 1, 1], loss: LossKind::Mse, ..Options::with_seed("r") };
    assert!(refused(&scalars, DiagnosisId::IndexSwap).contains("two entries"));
    let composed = refused(&relu, DiagnosisId::LeakyAsReluSignFlipped);
    assert!(composed.contains("leaky_as_relu") && composed.contains("sign_flipped"), "{composed}");
}

#[test]
fn index_swap_asks_single_entries_first() {
    for seed in ["swap", "swap 2", "swap 3"] {
        let options = Options::with_seed(seed);
        let text = generate_exposing(&options, &[DiagnosisId::IndexSwap]).unwrap();
        assert_good(&text, &options);
        let table: toml::Table = text.parse().unwrap();
        let asks: Vec<&str> =
            table["steps"]["ask"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
        // Each backward quantity whole, after at most one of its own entries.
        let whole: Vec<&str> = asks.iter().copied().filter(|a| !a.contains('[')).collect();
        assert_eq!(whole, ["dL_do", "dL_dh2", "dL_dWo", "dL_dh1", "dL_dW2", "dL_dW1"]);
        for (i, ask) in asks.iter().enumerate().filter(|(_, a)| a.contains('[')) {
            assert_eq!(asks[i + 1], ask.split('[').next().unwrap(), "{asks:?}");
        }
        // Each entry asked is told from its neighbours: the value of another entry of the same
        // quantity (worked out here) is an index swap.
        let lesson = parse_lesson(seed, &text).unwrap();
        let solution = Solution::new(lesson.network());
        let grader = Grader::new(&lesson, &solution, GradeOptions::default());
        let net = read(&text);
        let b = backward(&net);
        // The quantity's entries as rows (a vector is one column).
        let rows_of = |name: &str| -> Vec<Vec<f64>> {
            let column = |v: &[f64]| v.iter().map(|&x| vec![x]).collect();
            match name {
                "dL_do" => column(&b.dl_do),
                "dL_dWo" => b.grads[net.layers.len() - 1].clone(),
                _ if name.starts_with("dL_dh") => column(&b.dl_dh[name[5..].parse::<usize>().unwrap() - 1]),
                _ => b.grads[name[5..].parse::<usize>().unwrap() - 1].clone(),
            }
        };
        let entries: Vec<&str> = asks.iter().copied().filter(|a| a.contains('[')).collect();
        assert!(entries.len() >= 3, "{seed}: {asks:?}");
        for entry in entries {
            let (name, index) = entry.trim_end_matches(']').split_once('[').unwrap();
            let index: Vec<usize> = index.split(',').map(|i| i.parse::<usize>().unwrap() - 1).collect();
            let (i, j) = (index[0], index.get(1).copied().unwrap_or(0));
            let rows = rows_of(name);
            // The mirrored entry, the others of its row and of its column: one of them is named.
            let mut neighbours = vec![(j, i)];
            neighbours.extend((0..rows[0].len()).map(|c| (i, c)));
            neighbours.extend((0..rows.len()).map(|r| (r, j)));
            let swapped = neighbours.into_iter().filter(|&(r, c)| (r, c) != (i, j)).any(|(r, c)| {
                let Some(&value) = rows.get(r).and_then(|row| row.get(c)) else { return false };
                let grade =
                    grader.grade_value(&entry.parse().unwrap(), &Value::Scalar(value), &grader.earlier());
                grade.diagnosis.is_some_and(|d| d.id == DiagnosisId::IndexSwap)
            });
            assert!(swapped, "{seed}: no neighbour of {entry} is an index swap");
        }
    }
}

#[test]
fn cli_expose() {
    let output = cargo_bin_cmd!("backprop-tutor")
        .args(["new", "--seed", "c", "--expose", "weights_not_transposed,transposed+sign_flipped"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    let options = Options::with_seed("c");
    let ids = [DiagnosisId::WeightsNotTransposed, DiagnosisId::TransposedSignFlipped];
    assert_eq!(text, generate_exposing(&options, &ids).unwrap());
    assert!(text.contains("--expose weights_not_transposed,transposed+sign_flipped`"), "{text}");
    cargo_bin_cmd!("backprop-tutor").args(["new", "--expose", "no_such_mistake"]).assert().code(2);
    let refused =
        cargo_bin_cmd!("backprop-tutor").args(["new", "--expose", "leaky_as_relu"]).output().unwrap();
    assert_eq!(refused.status.code(), Some(2));
    let stderr = String::from_utf8(refused.stderr).unwrap();
    assert!(
        stderr.contains("--expose leaky_as_relu") && stderr.contains("--activation leaky_relu"),
        "{stderr}"
    );
    let help = cargo_bin_cmd!("backprop-tutor").args(["new", "--help"]).output().unwrap();
    let help = String::from_utf8(help.stdout).unwrap();
    for id in DiagnosisId::iter().filter(|id| id.parts().is_none()) {
        assert!(help.contains(id.name()), "new --help says which shapes show {id}");
    }
}

// ---------------------------------------------------------------- remediation

#[test]
fn remediation_keeps_the_lessons_shape_and_exposes_what_it_can() {
    let notes = load_lesson("notes-example").unwrap();
    let shown =
        [DiagnosisId::WeightsNotTransposed, DiagnosisId::GateMissingSignFlipped, DiagnosisId::LeakyAsRelu];
    let variant = remediation(&notes, &shown, "student");
    assert_eq!(variant.options, Options::with_seed("student"), "the notes' shape, ReLU, softmax");
    // The composed mistake with its parts; a leaky ReLU's slope cannot show on ReLUs.
    assert_eq!(
        variant.expose,
        [
            DiagnosisId::SignFlipped,
            DiagnosisId::WeightsNotTransposed,
            DiagnosisId::GateMissing,
            DiagnosisId::GateMissingSignFlipped
        ]
    );
    let text = generate_exposing(&variant.options, &variant.expose).unwrap();
    assert_good(&text, &variant.options);
    assert!(diagnosed_somewhere(&text, DiagnosisId::WeightsNotTransposed));
    assert!(diagnosed_somewhere(&text, DiagnosisId::GateMissing));
}

#[test]
fn remediation_picks_the_activation_the_mistake_needs_and_new_limits() {
    let mixed = r#"
        title = "mixed"
        [network]
        input = [1, -1]
        label = 1
        [[network.layers]]
        weights = [[1, 0.5], [-0.5, 1]]
        [[network.layers]]
        weights = [[1, -1], [0.5, 0.5]]
        activation = "tanh"
        [[network.layers]]
        weights = [[1, 2], [0.5, -1]]
    "#;
    let lesson = parse_lesson("mixed", mixed).unwrap();
    let plain = remediation(&lesson, &[DiagnosisId::SignFlipped], "s");
    assert_eq!(plain.options.activation, Activation::Relu, "the first hidden layer's");
    let variant = remediation(&lesson, &[DiagnosisId::DerivativeWrongArgument], "s");
    assert_eq!(variant.options.activation, Activation::Tanh);
    assert_eq!(variant.expose, [DiagnosisId::DerivativeWrongArgument]);
    let text = generate_exposing(&variant.options, &variant.expose).unwrap();
    assert_good(&text, &variant.options);
    assert!(diagnosed_somewhere(&text, DiagnosisId::DerivativeWrongArgument));

    let wide = format!(
        "title = \"wide\"\n[network]\ninput = [{}]\nlabel = 1\n[[network.layers]]\nweights = [[{}]]\n\
         [[network.layers]]\nweights = [[1], [-1]]\n",
        vec!["1"; 40].join(", "),
        vec!["0.1"; 40].join(", ")
    );
    let variant = remediation(&parse_lesson("wide", &wide).unwrap(), &[], "s");
    assert_eq!(variant.options.layers, [MAX_UNITS, 1, 2]);
    assert!(variant.expose.is_empty());
}
