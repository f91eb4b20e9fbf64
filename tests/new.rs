//! `new` (SPEC §7): determinism, a golden lesson that pins the algorithm, and the properties of
//! its numbers over many seeds and shapes, checked by an implementation of the network written
//! here from the file's text alone (no engine code), then `lint` and the loader on top.

use assert_cmd::cargo::cargo_bin_cmd;
use backprop_tutor::authoring::generate::{DEFAULT_LAYERS, GenerateError, MAX_UNITS, Options, generate};
use backprop_tutor::authoring::lint::lint;
use backprop_tutor::lesson::{LossKind, parse_lesson};
use backprop_tutor::network::Activation;
use proptest::prelude::*;

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

/// ∂L/∂W for every layer (hidden layers, then the output), by the chain rule written out.
fn weight_gradients(net: &Net) -> Vec<Vec<Vec<f64>>> {
    let (zs, hs, o) = forward(net);
    let mut delta: Vec<f64> = match (net.label, &net.target) {
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
    let mut grads = vec![Vec::new(); net.layers.len()];
    for l in (0..net.layers.len()).rev() {
        let below = &hs[l];
        grads[l] = delta.iter().map(|d| below.iter().map(|h| d * h).collect()).collect();
        if l > 0 {
            let rows = &net.layers[l].0;
            delta = (0..below.len())
                .map(|j| {
                    (0..rows.len()).map(|i| delta[i] * rows[i][j]).sum::<f64>()
                        * df(&net.activation, zs[l - 1][j])
                })
                .collect();
        }
    }
    grads
}

/// Every property SPEC §7 asks of a generated lesson, for the sizes in `options`.
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
        seed in ".{0,24}",
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
/// changes, old seeds make new lessons, which the spec forbids.
#[test]
fn golden_lessons_never_change() {
    let golden = r#"#:schema ../assets/lesson.schema.json
title = "Exercise (seed golden)"
description = "A random exercise made by `backprop-tutor new --seed golden --layers 3,2,2,3`; the same command makes the same lesson."

[network]
input = [1.9, 1.7, 2.0]
label = 3
loss = "softmax_cross_entropy"
activation = "relu"

[[network.layers]] # W(1): 2 units × 3 inputs
weights = [
    [0.1, -1.1, 1.3],
    [1.0, -1.4, -1.1],
]

[[network.layers]] # W(2): 2 units × 2 units of layer 1
weights = [
    [0.2, 0.3],
    [1.0, -1.1],
]

[[network.layers]] # W(o), the output layer (linear): 3 outputs × 2 units of layer 2
weights = [
    [-1.5, 1.0],
    [0.5, 0.4],
    [-1.0, -1.2],
]
"#;
    assert_eq!(generate(&Options::with_seed("golden")).unwrap(), golden);

    let with_everything = r#"#:schema ../assets/lesson.schema.json
title = "Exercise (seed golden)"
description = "A random exercise made by `backprop-tutor new --seed golden --layers 2,3,1 --activation leaky_relu --bias --loss mse`; the same command makes the same lesson."

[network]
input = [1.4, -2.0]
target = [-0.1]
loss = "mse"
activation = "leaky_relu"

[[network.layers]] # W(1): 3 units × 2 inputs
weights = [
    [-0.4, -0.9],
    [-1.5, -0.7],
    [1.0, 0.8],
]
bias = [-0.7, 0.8, -0.2]

[[network.layers]] # W(o), the output layer (linear): 1 output × 3 units of layer 1
weights = [
    [0.2, 1.4, 0.9],
]
bias = [-0.4]
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
fn any_string_is_a_seed() {
    for seed in ["", "a \"quoted\" seed", "back\\slash", "new\nline", "it's", "ünïcødé 学生", "'; rm -rf /"]
    {
        let options = Options::with_seed(seed);
        let text = generate(&options).unwrap();
        assert_good(&text, &options);
        let title = read_title(&text);
        assert_eq!(title, format!("Exercise (seed {seed})"));
    }
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
