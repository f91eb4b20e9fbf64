//! Centered finite differences of the loss: the independent check of every gradient the
//! engine computes (used by the tests and by `lint`).

use super::Solution;
use super::forward::{affine, hidden_from, loss};
use crate::network::Network;
use crate::quantity::Quantity;
use crate::value::Shape;
use nalgebra::DVector;

/// The step of the centered difference. Truncation error is O(step²) and rounding error
/// O(ε/step), so ~1e-6 balances them for values of order 1.
const STEP: f64 = 1e-6;

/// How far one gradient is from its finite-difference estimate.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    pub quantity: Quantity,
    /// The example of a dataset whose gradient this is; `None` for the lesson's one example,
    /// or a total.
    pub example: Option<usize>,
    /// max |analytic − numeric| / max(‖analytic‖∞, ‖numeric‖∞, 1e-2): relative for gradients
    /// of ordinary size, absolute for tiny ones (where the estimate itself is noise).
    pub relative_error: f64,
    /// Entries left out because a perturbation crossed or touched a ReLU kink, where the
    /// derivative is one-sided and finite differences disagree with it by design.
    pub kink_entries: usize,
    pub entries: usize,
    /// How many entries were compared: all of them, or a sample of [`MAX_CHECKED`] of a
    /// larger quantity.
    pub checked: usize,
}

/// Most entries compared per quantity: each costs two passes of the whole network, so a
/// lesson of 300×300 matrices checked entry by entry would take minutes. A larger quantity is
/// checked on a deterministic sample spread over its rows and columns.
pub const MAX_CHECKED: usize = 64;

/// The reading-order positions of a `rows`×`cols` quantity's entries to compare: every one,
/// or [`MAX_CHECKED`] of them spread evenly over reading order (so down the rows, and across
/// the columns as the stride wraps), always with the four corners.
pub fn sample(rows: usize, cols: usize) -> Vec<usize> {
    let total = rows * cols;
    if total <= MAX_CHECKED {
        return (0..total).collect();
    }
    let corners = [0, cols - 1, (rows - 1) * cols, total - 1];
    let spread = (0..MAX_CHECKED).map(|k| k * (total - 1) / (MAX_CHECKED - 1));
    // Corners first, so they are always in; then the spread, then the first entries left, in
    // case some of the two coincide.
    let mut picked = std::collections::BTreeSet::new();
    for at in corners.into_iter().chain(spread).chain(0..total) {
        if picked.len() == MAX_CHECKED {
            break;
        }
        picked.insert(at);
    }
    picked.into_iter().collect()
}

/// [`sample`] for a quantity of `solution`: a vector is one row.
fn sampled(solution: &Solution, quantity: Quantity) -> Vec<usize> {
    match solution.value(quantity).map(|v| v.shape()) {
        Some(Shape::Matrix(rows, cols)) => sample(rows, cols),
        Some(shape) => sample(1, shape.entry_count()),
        None => vec![],
    }
}

/// Reruns the pass on a perturbed network or hidden activation, against the base pass.
struct Probe<'a> {
    base: &'a Solution,
}

impl Probe<'_> {
    /// Runs from hidden layer `start` on `below` (the activation of layer `start - 1`).
    /// Returns the loss and whether every kinked unit stayed on the same side of 0 as in the
    /// base pass (z > 0 or not): if one moved, the perturbation crossed or touched a kink.
    fn run(&self, network: &Network, start: usize, below: DVector<f64>) -> (f64, bool) {
        let (z, h) = if start > network.depth() {
            (vec![], vec![])
        } else {
            hidden_from(network, start, below.clone())
        };
        let top = h.last().cloned().unwrap_or(below);
        let o = affine(network.output(), &top);
        let same_gates = z.iter().enumerate().all(|(i, zl)| {
            let l = start + i;
            let activation = network.layer(l).activation();
            !activation.has_kink()
                || zl.iter().zip(self.base.forward.z[l - 1].iter()).all(|(a, b)| (*a > 0.0) == (*b > 0.0))
        });
        (loss(network.objective(), &o), same_gates)
    }
}

/// Every gradient of the lesson against finite differences: each example's (of a dataset),
/// then a dataset's totals.
pub fn check(solution: &Solution) -> Vec<Comparison> {
    let Some(trained) = solution.trained().filter(|_| solution.network().dataset_size().is_some()) else {
        return check_pass(solution);
    };
    let mut out: Vec<Comparison> = trained
        .examples()
        .iter()
        .enumerate()
        .flat_map(|(i, example)| {
            check_pass(example).into_iter().map(move |c| Comparison { example: Some(i + 1), ..c })
        })
        .collect();
    out.extend(super::training::check_totals(solution));
    out
}

/// The gradients of one example's pass.
fn check_pass(solution: &Solution) -> Vec<Comparison> {
    let network = solution.network();
    let probe = Probe { base: solution };
    let k = network.depth();
    let mut out = Vec::new();

    // ∂L/∂o: perturb o directly.
    let o = &solution.forward.o;
    let numeric: Vec<(f64, bool)> = (0..o.len())
        .map(|i| {
            let mut plus = o.clone();
            let mut minus = o.clone();
            plus[i] += STEP;
            minus[i] -= STEP;
            let d = (loss(network.objective(), &plus) - loss(network.objective(), &minus)) / (2.0 * STEP);
            (d, true)
        })
        .collect();
    let every: Vec<usize> = (0..o.len()).collect();
    out.push(compare(Quantity::DlDo, solution, &every, numeric));

    // ∂L/∂h(l): perturb h(l) and run the layers above it.
    for l in 1..=k {
        let h = &solution.forward.h[l - 1];
        let positions = sampled(solution, Quantity::DlDh(l));
        let numeric = positions
            .iter()
            .map(|&i| {
                let side = |sign: f64| {
                    let mut hp = h.clone();
                    hp[i] += sign * STEP;
                    probe.run(network, l + 1, hp)
                };
                difference(side(1.0), side(-1.0))
            })
            .collect();
        out.push(compare(Quantity::DlDh(l), solution, &positions, numeric));
    }

    // Weights and biases: perturb a copy of the network and rerun the whole pass.
    for quantity in parameter_gradients(network) {
        out.push(nudged(solution, quantity, |copy| probe.run(copy, 1, copy.input().clone())));
    }
    out
}

/// A parameter gradient against centred differences of `loss`, which runs a copy of the
/// network with one entry of `quantity` nudged and says whether every kinked unit kept its
/// side; on the sample of [`sampled`].
pub(crate) fn nudged(
    solution: &Solution,
    quantity: Quantity,
    loss: impl Fn(&Network) -> (f64, bool),
) -> Comparison {
    let positions = sampled(solution, quantity);
    let numeric = positions
        .iter()
        .map(|&e| {
            let side = |sign: f64| {
                let mut copy = solution.network().clone();
                copy.nudge(quantity, e, sign * STEP);
                loss(&copy)
            };
            difference(side(1.0), side(-1.0))
        })
        .collect();
    compare(quantity, solution, &positions, numeric)
}

fn difference((plus, same_plus): (f64, bool), (minus, same_minus): (f64, bool)) -> (f64, bool) {
    ((plus - minus) / (2.0 * STEP), same_plus && same_minus)
}

/// Compares the engine's entries at reading-order `positions` with their estimates, `numeric`.
fn compare(
    quantity: Quantity,
    solution: &Solution,
    positions: &[usize],
    numeric: Vec<(f64, bool)>,
) -> Comparison {
    let all = solution.value(quantity).map(|v| v.entries()).unwrap_or_default();
    comparison(quantity, None, &all, positions, numeric)
}

/// How far the entries of `all` at reading-order `positions` are from their estimates,
/// `numeric` (each with whether it kept clear of kinks).
fn comparison(
    quantity: Quantity,
    example: Option<usize>,
    all: &[f64],
    positions: &[usize],
    numeric: Vec<(f64, bool)>,
) -> Comparison {
    let analytic = positions.iter().filter_map(|&at| all.get(at));
    let smooth: Vec<(f64, f64)> =
        analytic.zip(&numeric).filter(|(_, (_, ok))| *ok).map(|(a, (n, _))| (*a, *n)).collect();
    let scale = smooth.iter().fold(1e-2_f64, |s, (a, n)| s.max(a.abs()).max(n.abs()));
    let worst = smooth.iter().fold(0.0_f64, |w, (a, n)| w.max((a - n).abs()));
    Comparison {
        quantity,
        example,
        relative_error: worst / scale,
        kink_entries: numeric.len() - smooth.len(),
        entries: all.len(),
        checked: numeric.len(),
    }
}

/// The gradients of the network's weights and biases, from the output layer down: what a
/// nudge of a copy of the network checks.
pub(super) fn parameter_gradients(network: &Network) -> Vec<Quantity> {
    let mut params = vec![Quantity::DlDwo];
    if network.output().bias().is_some() {
        params.push(Quantity::DlDbo);
    }
    for l in (1..=network.depth()).rev() {
        params.push(Quantity::DlDw(l));
        if network.layer(l).bias().is_some() {
            params.push(Quantity::DlDb(l));
        }
    }
    params
}
