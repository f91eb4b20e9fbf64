//! The engine against the notes' worked numbers, against closed forms for extreme logits, and
//! against finite differences: the engine's own `gradcheck` and, so that the tests do not only
//! trust code from the crate, an independent forward pass written here from the lesson file
//! with a different difference stencil.

use backprop_tutor::engine::Solution;
use backprop_tutor::engine::gradcheck;
use backprop_tutor::lesson::format::{LayerSpec, NetworkSpec};
use backprop_tutor::lesson::{Lesson, LessonFile, LossKind, parse_lesson, shipped};
use backprop_tutor::network::Activation;
use backprop_tutor::quantity::{Quantity, QuantityRef};
use backprop_tutor::value::{Shape, Value};
use proptest::prelude::*;
use std::f64::consts::E;

fn shipped_lesson(name: &str) -> Lesson {
    let source = shipped::source(name).unwrap_or_else(|| panic!("no shipped lesson {name}"));
    parse_lesson(name, source).unwrap_or_else(|e| panic!("{e}"))
}

fn lesson_from(text: &str) -> Lesson {
    parse_lesson("test lesson", text).unwrap_or_else(|e| panic!("{e}\n{text}"))
}

fn value(solution: &Solution, name: &str) -> Value {
    let reference: QuantityRef = name.parse().unwrap_or_else(|e| panic!("{e}"));
    solution.value_of(&reference).unwrap_or_else(|| panic!("no {name}"))
}

fn entries(solution: &Solution, name: &str) -> Vec<f64> {
    value(solution, name).entries()
}

fn scalar(solution: &Solution, name: &str) -> f64 {
    match value(solution, name) {
        Value::Scalar(x) => x,
        other => panic!("{name} is {:?}, not a scalar", other.shape()),
    }
}

/// Equal up to a relative 1e-12 (or exactly, for zeros).
fn assert_close(got: &[f64], expected: &[f64], what: &str) {
    assert_eq!(got.len(), expected.len(), "{what}: {got:?} vs {expected:?}");
    for (g, x) in got.iter().zip(expected) {
        let ok = g == x || (g - x).abs() <= 1e-12 * g.abs().max(x.abs());
        assert!(ok, "{what}: got {got:?}, expected {expected:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// The notes' worked numbers (ERRATA §4 explains how the two lessons reproduce them).

/// Step 1's example: softmax of o = (1, 3, 2), written out as the notes do.
fn notes_o_hat() -> [f64; 3] {
    let sum = E.powi(1) + E.powi(3) + E.powi(2);
    [E.powi(1) / sum, E.powi(3) / sum, E.powi(2) / sum]
}

#[test]
fn notes_example_forward_pass() {
    let s = Solution::new(shipped_lesson("notes-example").network());
    assert_close(&entries(&s, "x"), &[1.0, 1.0, 1.0], "x");
    // Step 3A's example: h(1) = (1, 1) and z(2) = (4, 1).
    assert_close(&entries(&s, "h1"), &[1.0, 1.0], "h1");
    assert_close(&entries(&s, "z2"), &[4.0, 1.0], "z2");
    // Step 1's example: o = (1, 3, 2).
    assert_close(&entries(&s, "o"), &[1.0, 3.0, 2.0], "o");
    let o_hat = notes_o_hat();
    assert_close(&entries(&s, "o_hat"), &o_hat, "o_hat");
    // Eq. (6): L = −log ô_y with y = 3.
    assert_close(&[scalar(&s, "loss")], &[-o_hat[2].ln()], "loss");
}

#[test]
fn notes_example_step_1() {
    let s = Solution::new(shipped_lesson("notes-example").network());
    let [p1, p2, p3] = notes_o_hat();
    // Eq. (12): ô − e_y with y = 3, i.e. (ô1, ô2, ô3 − 1).
    assert_close(&entries(&s, "dL_do"), &[p1, p2, p3 - 1.0], "dL_do");
    // The solution's own rounding, as a learner would type it.
    let rounded: Vec<f64> = entries(&s, "dL_do").iter().map(|x| (x * 1000.0).round() / 1000.0).collect();
    assert_eq!(rounded, [0.09, 0.665, -0.755]);
}

#[test]
fn notes_example_step_2() {
    let s = Solution::new(shipped_lesson("notes-example").network());
    let [p1, p2, p3] = notes_o_hat();
    let d = [p1, p2, p3 - 1.0];
    // Eq. (19): ∂L/∂h(2) = (∂L/∂o)ᵀ W(o), with W(o) = [[0, 1], [1, −1], [0.5, 0]].
    let dh2 = [d[1] + 0.5 * d[2], d[0] - d[1]];
    assert_close(&entries(&s, "dL_dh2"), &dh2, "dL_dh2");
    // Eq. (25): ∂L/∂W(o) is 3×2, entry (i, j) = ∂L/∂o_i · h_j(2) with h(2) = (4, 1).
    let dwo = value(&s, "dL_dWo");
    assert_eq!(dwo.shape(), Shape::Matrix(3, 2));
    let expected: Vec<f64> = d.iter().flat_map(|di| [di * 4.0, di * 1.0]).collect();
    assert_close(&dwo.entries(), &expected, "dL_dWo");
    // Eq. (23) names one entry: ∂L/∂w(o)_{2,1} = ∂L/∂o_2 · h_1(2).
    assert_close(&entries(&s, "dL_dWo[2,1]"), &[d[1] * 4.0], "dL_dWo[2,1]");
}

#[test]
fn notes_example_step_3_and_4() {
    let s = Solution::new(shipped_lesson("notes-example").network());
    // The Step 3A example: ∂h1(2)/∂h2(1) = 1[z1(2) > 0] · w(2)_{1,2} = 3.
    assert_eq!(scalar(&s, "dh2_dh1[1,2]"), 3.0);
    assert_close(&entries(&s, "dh2_dh1"), &[1.0, 3.0, 2.0, -1.0], "dh2_dh1");
    assert_close(&entries(&s, "dh2_dz2"), &[1.0, 0.0, 0.0, 1.0], "dh2_dz2");
    // ∂L/∂h1(1) = 0.288·1·1 + (−0.575)·1·2 = −0.863, the derivation SPEC §3 quotes.
    let dh2 = entries(&s, "dL_dh2");
    let dh1 = entries(&s, "dL_dh1");
    assert_close(&dh1, &[dh2[0] + 2.0 * dh2[1], 3.0 * dh2[0] - dh2[1]], "dL_dh1");
    assert_eq!((dh1[0] * 1000.0).round(), -863.0);
    // Step 3B and 4: outer products with h(1) = (1, 1) and x = (1, 1, 1), every gate open.
    assert_close(&entries(&s, "dL_dW2"), &[dh2[0], dh2[0], dh2[1], dh2[1]], "dL_dW2");
    assert_eq!(value(&s, "dL_dW1").shape(), Shape::Matrix(2, 3));
    assert_close(&entries(&s, "dL_dW1"), &[dh1[0], dh1[0], dh1[0], dh1[1], dh1[1], dh1[1]], "dL_dW1");
}

#[test]
fn notes_step2b_reproduces_step_2b_numbers() {
    let s = Solution::new(shipped_lesson("notes-step2b").network());
    assert_close(&entries(&s, "h2"), &[1.0, 2.0], "h2");
    assert_close(&entries(&s, "o"), &[1.0, 3.0, 2.0], "o");
    let [p1, p2, p3] = notes_o_hat();
    // Eq. (27): rows (ô1, ô2, ô3 − 1) times h(2)ᵀ = (1, 2).
    let expected = [p1, 2.0 * p1, p2, 2.0 * p2, p3 - 1.0, 2.0 * (p3 - 1.0)];
    assert_close(&entries(&s, "dL_dWo"), &expected, "dL_dWo");
}

#[test]
fn notes_example_keeps_the_notes_numbers_in_its_file() {
    // The lesson file itself, so that editing it cannot quietly move away from the notes.
    let file: LessonFile = toml::from_str(shipped::source("notes-example").unwrap()).unwrap();
    let n = file.network;
    assert_eq!(n.input, Some(vec![1.0, 1.0, 1.0]));
    assert_eq!(n.label, Some(3));
    assert_eq!(n.layers[1].weights, [[1.0, 3.0], [2.0, -1.0]]);
}

// ---------------------------------------------------------------------------------------------
// ReLU'(0) = 0 (Eq. 32) and the leaky slope at 0.

#[test]
fn relu_gate_is_zero_at_exactly_zero() {
    // z(1) = (1 − 1, 1 − 0.5) = (0, 0.5): the first unit sits exactly on the kink.
    let lesson = lesson_from(
        "title = \"kink\"\n[network]\ninput = [1, -1]\nlabel = 1\n\
         [[network.layers]]\nweights = [[1, 1], [1, 0.5]]\n\
         [[network.layers]]\nweights = [[1, -1], [0.5, 2]]\n",
    );
    let s = Solution::new(lesson.network());
    assert_close(&entries(&s, "z1"), &[0.0, 0.5], "z1");
    assert_eq!(entries(&s, "dh1_dz1"), [0.0, 0.0, 0.0, 1.0]);
    // ∂L/∂h1(1) is not 0, so a zero row of ∂L/∂W(1) is the gate's doing.
    assert!(entries(&s, "dL_dh1")[0].abs() > 0.1);
    let dw1 = entries(&s, "dL_dW1");
    assert_eq!(&dw1[..2], [0.0, 0.0]);
    assert!(dw1[2].abs() > 0.1);
    // gradcheck sets the kinked entries aside instead of failing on them.
    let w1 = gradcheck::check(&s).into_iter().find(|c| c.quantity == Quantity::DlDw(1)).unwrap();
    assert!(w1.kink_entries > 0);
    assert!(w1.relative_error < 1e-6, "{w1:?}");
}

#[test]
fn relu_gate_is_zero_at_zero_in_a_deeper_layer() {
    // h(1) = (2, 1); z(2) = (2 − 2, 2 + 1) = (0, 3).
    let lesson = lesson_from(
        "title = \"kink\"\n[network]\ninput = [1]\nlabel = 2\n\
         [[network.layers]]\nweights = [[2], [1]]\n\
         [[network.layers]]\nweights = [[1, -2], [1, 1]]\n\
         [[network.layers]]\nweights = [[1, 0.5], [-1, 1]]\n",
    );
    let s = Solution::new(lesson.network());
    assert_close(&entries(&s, "z2"), &[0.0, 3.0], "z2");
    assert_eq!(entries(&s, "dh2_dz2"), [0.0, 0.0, 0.0, 1.0]);
    // diag(0, 1) W(2): the first row of ∂h(2)/∂h(1) vanishes.
    assert_eq!(entries(&s, "dh2_dh1"), [0.0, 0.0, 1.0, 1.0]);
    assert_eq!(&entries(&s, "dL_dW2")[..2], [0.0, 0.0]);
}

#[test]
fn leaky_relu_takes_the_left_slope_at_zero() {
    let lesson = lesson_from(
        "title = \"kink\"\n[network]\ninput = [1, -1]\nlabel = 1\nactivation = \"leaky_relu\"\n\
         [[network.layers]]\nweights = [[1, 1], [1, 0.5]]\n\
         [[network.layers]]\nweights = [[1, -1], [0.5, 2]]\n",
    );
    let s = Solution::new(lesson.network());
    assert_eq!(entries(&s, "dh1_dz1"), [0.01, 0.0, 0.0, 1.0]);
}

// ---------------------------------------------------------------------------------------------
// Numerical stability: logits far beyond where e^o overflows (e^709.8 is the largest f64).

/// A lesson whose logits are exactly `logits`: one identity unit with h = 1, and W(o) holding
/// the logits as its single column.
fn logits_lesson(logits: &[f64], objective: &str) -> Lesson {
    let rows: Vec<String> = logits.iter().map(|o| format!("[{o:?}]")).collect();
    lesson_from(&format!(
        "title = \"logits\"\n[network]\ninput = [1]\n{objective}\nactivation = \"identity\"\n\
         [[network.layers]]\nweights = [[1]]\n\
         [[network.layers]]\nweights = [{}]\n",
        rows.join(", ")
    ))
}

/// Checks ô, L and ∂L/∂o against closed forms, and that every quantity is finite.
fn assert_softmax(logits: &[f64], label: usize, o_hat: &[f64], loss: f64) {
    let lesson = logits_lesson(logits, &format!("label = {label}"));
    let s = Solution::new(lesson.network());
    assert_close(&entries(&s, "o"), logits, "o");
    assert_close(&entries(&s, "o_hat"), o_hat, "o_hat");
    let got = scalar(&s, "loss");
    assert!((got - loss).abs() <= 1e-12 * loss.abs().max(1.0), "loss {got} vs {loss} for {logits:?}");
    let mut dl_do = o_hat.to_vec();
    dl_do[label - 1] -= 1.0;
    assert_close(&entries(&s, "dL_do"), &dl_do, "dL_do");
    for (quantity, v) in s.quantities() {
        assert!(v.is_finite(), "{quantity} is not finite for logits {logits:?}: {v:?}");
    }
}

#[test]
fn softmax_is_stable_for_logits_of_plus_and_minus_1000() {
    // o = (1000, −1000, 999): only differences matter, so ô = (1, e^−2000, e^−1) / (1 + e^−1).
    let z = 1.0 + (-1.0f64).exp();
    assert_softmax(&[1000.0, -1000.0, 999.0], 3, &[1.0 / z, 0.0, (-1.0f64).exp() / z], 1.0 + z.ln());
    assert_softmax(&[1000.0, -1000.0, 999.0], 2, &[1.0 / z, 0.0, (-1.0f64).exp() / z], 2000.0 + z.ln());
}

#[test]
fn softmax_is_stable_for_large_negative_logits() {
    // Every e^o underflows to 0 unless the maximum is subtracted first.
    let z = 1.0 + (-1.0f64).exp() + (-2.0f64).exp();
    let o_hat = [1.0 / z, (-1.0f64).exp() / z, (-2.0f64).exp() / z];
    assert_softmax(&[-1000.0, -1001.0, -1002.0], 1, &o_hat, z.ln());
    assert_softmax(&[-1000.0, -1001.0, -1002.0], 3, &o_hat, 2.0 + z.ln());
}

#[test]
fn softmax_is_stable_past_the_overflow_of_exp() {
    // e^710 is inf; the answer only needs e^−10.
    let t = (-10.0f64).exp();
    assert_softmax(&[700.0, 710.0, -710.0], 1, &[t / (1.0 + t), 1.0 / (1.0 + t), 0.0], 10.0 + t.ln_1p());
    assert_softmax(&[1e5, -1e5], 2, &[1.0, 0.0], 2e5);
    assert_softmax(&[-1e5, -1e5 + 1.0], 1, &[1.0 / (1.0 + E), E / (1.0 + E)], 1.0 + (-1.0f64).exp().ln_1p());
}

#[test]
fn mse_with_large_outputs_is_exact() {
    let lesson = logits_lesson(&[1000.0, -700.0], "loss = \"mse\"\ntarget = [-1000, 700]");
    let s = Solution::new(lesson.network());
    assert_eq!(scalar(&s, "loss"), 0.5 * (2000.0f64.powi(2) + 1400.0f64.powi(2)));
    assert_eq!(entries(&s, "dL_do"), [2000.0, -1400.0]);
    // mse has no softmax, so no ô either.
    assert!(s.value(Quantity::OHat).is_none());
}

// ---------------------------------------------------------------------------------------------
// An independent forward pass, written from the lesson file alone.

struct RefLayer {
    weights: Vec<Vec<f64>>,
    bias: Option<Vec<f64>>,
    /// None for the output layer, which is linear.
    activation: Option<Activation>,
}

struct RefNet {
    input: Vec<f64>,
    /// Hidden layers, then the output layer.
    layers: Vec<RefLayer>,
    /// 0-based class for softmax cross-entropy.
    label: Option<usize>,
    target: Option<Vec<f64>>,
}

/// f(z), each written out again rather than taken from the crate.
fn apply(activation: Activation, z: f64) -> f64 {
    match activation {
        Activation::Relu => {
            if z > 0.0 {
                z
            } else {
                0.0
            }
        }
        Activation::LeakyRelu => {
            if z > 0.0 {
                z
            } else {
                0.01 * z
            }
        }
        Activation::Sigmoid => 0.5 * (1.0 + (0.5 * z).tanh()),
        Activation::Tanh => z.tanh(),
        Activation::Identity => z,
    }
}

/// Which side of the kink every ReLU-like unit is on: finite differences across a kink
/// measure neither one-sided slope, so such entries are skipped.
type Sides = Vec<bool>;

impl RefNet {
    fn from_file(file: &LessonFile) -> Self {
        let n = &file.network;
        let hidden = n.layers.len() - 1;
        let layers = n
            .layers
            .iter()
            .enumerate()
            .map(|(i, l)| RefLayer {
                weights: l.weights.clone(),
                bias: l.bias.clone(),
                activation: (i < hidden).then(|| l.activation.unwrap_or(n.activation)),
            })
            .collect();
        let softmax = n.loss == LossKind::SoftmaxCrossEntropy;
        RefNet {
            input: n.input.clone().unwrap(),
            layers,
            label: softmax.then(|| n.label.unwrap() as usize - 1),
            target: (!softmax).then(|| n.target.clone().unwrap()),
        }
    }

    fn hidden(&self) -> usize {
        self.layers.len() - 1
    }

    fn loss(&self, o: &[f64]) -> f64 {
        match (&self.label, &self.target) {
            (Some(y), _) => {
                let max = o.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
                max + o.iter().map(|v| (v - max).exp()).sum::<f64>().ln() - o[*y]
            }
            (None, Some(t)) => 0.5 * o.iter().zip(t).map(|(a, b)| (a - b) * (a - b)).sum::<f64>(),
            (None, None) => unreachable!(),
        }
    }

    /// z of layer `index` (0-based; the output layer last) from the activation below.
    fn affine(&self, index: usize, below: &[f64]) -> Vec<f64> {
        let layer = &self.layers[index];
        layer
            .weights
            .iter()
            .enumerate()
            .map(|(i, row)| {
                let sum: f64 = row.iter().zip(below).map(|(w, h)| w * h).sum();
                sum + layer.bias.as_ref().map_or(0.0, |b| b[i])
            })
            .collect()
    }

    /// Runs layers `from..` (0-based) on `below`; returns every h, o and the kink sides.
    fn run_from(&self, from: usize, below: Vec<f64>) -> (Vec<Vec<f64>>, Vec<f64>, Sides) {
        let mut hs = Vec::new();
        let mut sides = Vec::new();
        let mut current = below;
        for index in from..self.hidden() {
            let z = self.affine(index, &current);
            let activation = self.layers[index].activation.unwrap();
            if matches!(activation, Activation::Relu | Activation::LeakyRelu) {
                sides.extend(z.iter().map(|v| *v > 0.0));
            }
            current = z.iter().map(|v| apply(activation, *v)).collect();
            hs.push(current.clone());
        }
        let o = self.affine(self.hidden(), &current);
        (hs, o, sides)
    }

    fn loss_from(&self, from: usize, below: Vec<f64>) -> (f64, Sides) {
        let (_, o, sides) = self.run_from(from, below);
        (self.loss(&o), sides)
    }
}

/// A fourth-order centered difference, (−f(+2h) + 8f(+h) − 8f(−h) + f(−2h)) / 12h: a different
/// stencil and step from the engine's gradcheck. `None` where the probes cross a kink.
fn derivative(f: impl Fn(f64) -> (f64, Sides), step: f64) -> Option<f64> {
    let (_, base) = f(0.0);
    let mut values = [0.0; 4];
    for (slot, k) in values.iter_mut().zip([2.0, 1.0, -1.0, -2.0]) {
        let (v, sides) = f(k * step);
        if sides != base {
            return None;
        }
        *slot = v;
    }
    Some((-values[0] + 8.0 * values[1] - 8.0 * values[2] + values[3]) / (12.0 * step))
}

const STEP: f64 = 1e-4;

/// Compares one quantity with its difference estimates, entry by entry. The tolerance is
/// relative to the quantity's largest entry (as gradcheck's is), plus the rounding noise of
/// a difference quotient of values of size `magnitude`.
fn compare(name: &str, analytic: &[f64], numeric: &[Option<f64>], magnitude: f64) -> usize {
    assert_eq!(analytic.len(), numeric.len(), "{name}: shapes differ");
    let scale = analytic.iter().fold(1e-2_f64, |s, a| s.max(a.abs()));
    let tolerance = 1e-6 * scale + 1e-14 * magnitude / STEP;
    let mut compared = 0;
    for (i, (a, n)) in analytic.iter().zip(numeric).enumerate() {
        if let Some(n) = n {
            assert!(
                (a - n).abs() <= tolerance,
                "{name} entry {}: engine {a}, finite difference {n} (tolerance {tolerance:e})",
                i + 1
            );
            compared += 1;
        }
    }
    compared
}

/// Every gradient, every Jacobian and the forward pass of `lesson` against the independent
/// implementation built from `file`. Returns how many entries were compared.
fn check_against_reference(file: &LessonFile, lesson: &Lesson) -> usize {
    let net = RefNet::from_file(file);
    let s = Solution::new(lesson.network());
    let k = net.hidden();
    let (hs, o, _) = net.run_from(0, net.input.clone());
    let loss = net.loss(&o);
    // The size of the numbers the loss is computed from bounds the rounding in differences.
    let magnitude = hs.iter().flatten().chain(&o).fold(loss.abs().max(1.0), |m, v| m.max(v.abs()));
    let forward_close = |got: &[f64], want: &[f64], what: &str| {
        for (g, w) in got.iter().zip(want) {
            assert!((g - w).abs() <= 1e-12 * magnitude, "{what}: engine {got:?}, reference {want:?}");
        }
    };
    for l in 1..=k {
        forward_close(&entries(&s, &format!("h{l}")), &hs[l - 1], &format!("h{l}"));
    }
    forward_close(&entries(&s, "o"), &o, "o");
    forward_close(&[scalar(&s, "loss")], &[loss], "loss");

    let mut compared = 0;
    // ∂L/∂o: perturb o itself.
    let numeric: Vec<Option<f64>> = (0..o.len())
        .map(|i| {
            derivative(
                |d| {
                    let mut p = o.clone();
                    p[i] += d;
                    (net.loss(&p), vec![])
                },
                STEP,
            )
        })
        .collect();
    compared += compare("dL_do", &entries(&s, "dL_do"), &numeric, magnitude);

    // ∂L/∂h(l): perturb h(l) and run the layers above it.
    for l in 1..=k {
        let numeric: Vec<Option<f64>> = (0..hs[l - 1].len())
            .map(|i| {
                derivative(
                    |d| {
                        let mut h = hs[l - 1].clone();
                        h[i] += d;
                        net.loss_from(l, h)
                    },
                    STEP,
                )
            })
            .collect();
        compared += compare(&format!("dL_dh{l}"), &entries(&s, &format!("dL_dh{l}")), &numeric, magnitude);
    }

    // Weights and biases: perturb one parameter of a copy and rerun everything.
    for index in 0..=k {
        let suffix = if index == k { "o".to_string() } else { (index + 1).to_string() };
        let layer = &net.layers[index];
        let (rows, columns) = (layer.weights.len(), layer.weights[0].len());
        let numeric: Vec<Option<f64>> = (0..rows * columns)
            .map(|e| {
                derivative(
                    |d| {
                        let mut copy = RefNet::from_file(file);
                        copy.layers[index].weights[e / columns][e % columns] += d;
                        copy.loss_from(0, copy.input.clone())
                    },
                    STEP,
                )
            })
            .collect();
        compared +=
            compare(&format!("dL_dW{suffix}"), &entries(&s, &format!("dL_dW{suffix}")), &numeric, magnitude);
        if layer.bias.is_some() {
            let numeric: Vec<Option<f64>> = (0..rows)
                .map(|i| {
                    derivative(
                        |d| {
                            let mut copy = RefNet::from_file(file);
                            copy.layers[index].bias.as_mut().unwrap()[i] += d;
                            copy.loss_from(0, copy.input.clone())
                        },
                        STEP,
                    )
                })
                .collect();
            compared += compare(
                &format!("dL_db{suffix}"),
                &entries(&s, &format!("dL_db{suffix}")),
                &numeric,
                magnitude,
            );
        } else {
            let bias = if index == k { Quantity::DlDbo } else { Quantity::DlDb(index + 1) };
            assert!(s.value(bias).is_none(), "a layer without a bias has no {bias}");
        }
    }

    // Jacobians, column by column: ∂o/∂h(K) perturbs h(K) and watches o; ∂h(l)/∂h(l−1)
    // perturbs h(l−1) and watches h(l), the first layer the rerun computes.
    let column_jacobian = |name: &str, below: &[f64], from: usize| {
        let analytic = entries(&s, name);
        let rows = analytic.len() / below.len();
        let mut numeric = vec![None; analytic.len()];
        for j in 0..below.len() {
            for i in 0..rows {
                numeric[i * below.len() + j] = derivative(
                    |d| {
                        let mut b = below.to_vec();
                        b[j] += d;
                        let (h, o, sides) = net.run_from(from, b);
                        (if from == k { o[i] } else { h[0][i] }, sides)
                    },
                    STEP,
                );
            }
        }
        compare(name, &analytic, &numeric, magnitude)
    };
    compared += column_jacobian(&format!("do_dh{k}"), &hs[k - 1], k);
    for l in 2..=k {
        compared += column_jacobian(&format!("dh{l}_dh{}", l - 1), &hs[l - 2], l - 1);
        // ∂z(l)/∂h(l−1) is W(l) itself.
        let w: Vec<f64> = net.layers[l - 1].weights.iter().flatten().copied().collect();
        assert_eq!(entries(&s, &format!("dz{l}_dh{}", l - 1)), w, "dz{l}_dh{}", l - 1);
    }
    // ∂h(l)/∂z(l) = diag(f'(z(l))): the diagonal by differences of f, zeros elsewhere.
    for l in 1..=k {
        let below = if l == 1 { net.input.clone() } else { hs[l - 2].clone() };
        let z = net.affine(l - 1, &below);
        let activation = net.layers[l - 1].activation.unwrap();
        let analytic = entries(&s, &format!("dh{l}_dz{l}"));
        let n = z.len();
        let numeric: Vec<Option<f64>> = (0..n * n)
            .map(|e| {
                let (i, j) = (e / n, e % n);
                if i != j {
                    return Some(0.0);
                }
                derivative(|d| (apply(activation, z[i] + d), vec![(z[i] + d) > 0.0]), STEP)
            })
            .collect();
        compared += compare(&format!("dh{l}_dz{l}"), &analytic, &numeric, 1.0);
    }
    compared
}

/// gradcheck's verdict on every gradient: below `limit` relative error, kinks excepted.
fn assert_gradcheck(name: &str, lesson: &Lesson, limit: impl Fn(Quantity) -> f64) {
    let s = Solution::new(lesson.network());
    let comparisons = gradcheck::check(&s);
    assert!(comparisons.iter().any(|c| c.quantity == Quantity::DlDwo), "{name}: nothing was checked");
    for c in comparisons {
        assert!(c.relative_error < limit(c.quantity), "{name}: {c:?}");
    }
}

#[test]
fn every_shipped_lesson_passes_gradcheck() {
    for (name, source) in shipped::all() {
        let lesson = parse_lesson(name, source).unwrap_or_else(|e| panic!("{e}"));
        assert_gradcheck(name, &lesson, |_| 1e-6);
        // Shipped lessons keep away from kinks, so nothing may be set aside.
        for c in gradcheck::check(&Solution::new(lesson.network())) {
            assert_eq!(c.kink_entries, 0, "{name}: {c:?}");
        }
    }
}

/// Each example of a lesson as a lesson file of its own, without training: what the
/// single-example reference checks. (Example n of a dataset has exactly those quantities, with
/// `#n`: tests/training.rs.)
fn examples_of(file: &LessonFile) -> Vec<LessonFile> {
    let plain = LessonFile { data: None, train: None, ..file.clone() };
    let Some(data) = &file.data else { return vec![plain] };
    data.iter()
        .map(|example| {
            let mut one = plain.clone();
            one.network.input = Some(example.input.clone());
            one.network.label = example.label;
            one.network.target = example.target.clone();
            one.network.reduction = None;
            one
        })
        .collect()
}

#[test]
fn every_shipped_lesson_agrees_with_the_independent_reference() {
    for (name, source) in shipped::all() {
        let file: LessonFile = toml::from_str(source).unwrap();
        for one in examples_of(&file) {
            let text = toml::to_string(&one).unwrap();
            let lesson = parse_lesson(name, &text).unwrap_or_else(|e| panic!("{e}"));
            let compared = check_against_reference(&one, &lesson);
            assert!(compared > 10, "{name}: only {compared} entries compared");
        }
    }
}

/// The reference itself must fail on a wrong engine: a gradient with one entry off is caught.
#[test]
fn the_reference_catches_a_wrong_gradient() {
    let numeric = [Some(1.0), Some(2.0)];
    let wrong = std::panic::catch_unwind(|| compare("dL_do", &[1.0, 2.001], &numeric, 1.0));
    assert!(wrong.is_err());
    assert_eq!(compare("dL_do", &[1.0, 2.0], &numeric, 1.0), 2);
}

// ---------------------------------------------------------------------------------------------
// Random networks: depth 1–4, 1–5 units, every activation, biases or not, both losses.

const ACTIVATIONS: [Activation; 5] =
    [Activation::Relu, Activation::LeakyRelu, Activation::Sigmoid, Activation::Tanh, Activation::Identity];

fn number() -> impl Strategy<Value = f64> {
    -3.0..3.0f64
}

fn layer(rows: usize, columns: usize, hidden: bool) -> BoxedStrategy<LayerSpec> {
    let activation = if hidden {
        proptest::option::of(proptest::sample::select(&ACTIVATIONS[..])).boxed()
    } else {
        Just(None).boxed()
    };
    (
        proptest::collection::vec(proptest::collection::vec(number(), columns), rows),
        proptest::option::of(proptest::collection::vec(number(), rows)),
        activation,
    )
        .prop_map(|(weights, bias, activation)| LayerSpec { weights, bias, activation })
        .boxed()
}

fn random_lesson() -> impl Strategy<Value = LessonFile> {
    (1usize..=5, proptest::collection::vec(1usize..=5, 1..=4), 1usize..=5).prop_flat_map(
        |(inputs, hidden, outputs)| {
            let mut sizes = vec![inputs];
            sizes.extend(&hidden);
            sizes.push(outputs);
            let layers: Vec<BoxedStrategy<LayerSpec>> =
                sizes.windows(2).enumerate().map(|(i, w)| layer(w[1], w[0], i < hidden.len())).collect();
            let objective = prop_oneof![
                (1..=outputs as i64).prop_map(|y| (Some(y), None::<Vec<f64>>)),
                proptest::collection::vec(number(), outputs).prop_map(|t| (None::<i64>, Some(t))),
            ];
            (
                proptest::collection::vec(number(), inputs),
                layers,
                objective,
                proptest::sample::select(&ACTIVATIONS[..]),
            )
                .prop_map(|(input, layers, (label, target), activation)| LessonFile {
                    title: "random".into(),
                    description: None,
                    network: NetworkSpec {
                        input: Some(input),
                        reduction: None,
                        loss: if label.is_some() { LossKind::SoftmaxCrossEntropy } else { LossKind::Mse },
                        label,
                        target,
                        activation,
                        layers,
                    },
                    check: None,
                    steps: None,
                    lint: None,
                    train: None,
                    data: None,
                })
        },
    )
}

proptest! {
    // Each case runs a few hundred small forward passes; 256 cases keep the debug build quick.
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn random_networks_agree_with_finite_differences(file in random_lesson()) {
        // Through the text format and the loader, as a lesson file would come.
        let text = toml::to_string(&file).unwrap();
        let lesson = lesson_from(&text);
        let parsed: LessonFile = toml::from_str(&text).unwrap();
        check_against_reference(&parsed, &lesson);
        // gradcheck's fixed step of 1e-6 turns rounding of size ε·M (M the largest number in
        // the forward pass) into an error of about ε·M/1e-6 = 2e-10·M: allow that much, with a
        // margin, above 1e-6 for the random network whose values run into the hundreds.
        let s = Solution::new(lesson.network());
        let magnitude = s.forward.h.iter().flat_map(|h| h.iter()).chain(s.forward.o.iter())
            .fold(s.forward.loss.abs().max(1.0), |m, v| m.max(v.abs()));
        assert_gradcheck("random", &lesson, |q| {
            let scale = s.value(q).map_or(1.0, |v| v.entries().iter().fold(1e-2_f64, |m, x| m.max(x.abs())));
            1e-6 + 1e-8 * magnitude / scale
        });
    }
}
