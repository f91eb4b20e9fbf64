//! Centered finite differences of the loss: the independent check of every gradient the
//! engine computes (used by the tests and by `lint`).

use super::Solution;
use super::forward::{affine, hidden_from, loss};
use crate::network::Network;
use crate::quantity::Quantity;
use nalgebra::DVector;

/// The step of the centered difference. Truncation error is O(step²) and rounding error
/// O(ε/step), so ~1e-6 balances them for values of order 1.
pub(super) const STEP: f64 = 1e-6;

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
    out.push(compare(Quantity::DlDo, solution, numeric));

    // ∂L/∂h(l): perturb h(l) and run the layers above it.
    for l in 1..=k {
        let h = &solution.forward.h[l - 1];
        let numeric = (0..h.len())
            .map(|i| {
                let side = |sign: f64| {
                    let mut hp = h.clone();
                    hp[i] += sign * STEP;
                    probe.run(network, l + 1, hp)
                };
                difference(side(1.0), side(-1.0))
            })
            .collect();
        out.push(compare(Quantity::DlDh(l), solution, numeric));
    }

    // Weights and biases: perturb a copy of the network and rerun the whole pass.
    for quantity in parameter_gradients(network) {
        let entries = solution.value(quantity).map(|v| v.entries().len()).unwrap_or(0);
        let numeric = (0..entries)
            .map(|e| {
                let side = |sign: f64| {
                    let mut copy = network.clone();
                    copy.nudge(quantity, e, sign * STEP);
                    probe.run(&copy, 1, copy.input().clone())
                };
                difference(side(1.0), side(-1.0))
            })
            .collect();
        out.push(compare(quantity, solution, numeric));
    }
    out
}

fn difference((plus, same_plus): (f64, bool), (minus, same_minus): (f64, bool)) -> (f64, bool) {
    ((plus - minus) / (2.0 * STEP), same_plus && same_minus)
}

fn compare(quantity: Quantity, solution: &Solution, numeric: Vec<(f64, bool)>) -> Comparison {
    let analytic = solution.value(quantity).map(|v| v.entries()).unwrap_or_default();
    comparison(quantity, None, &analytic, numeric)
}

/// How far `analytic` is from `numeric` (each estimate with whether it kept clear of kinks).
pub(crate) fn comparison(
    quantity: Quantity,
    example: Option<usize>,
    analytic: &[f64],
    numeric: Vec<(f64, bool)>,
) -> Comparison {
    let smooth: Vec<(f64, f64)> =
        analytic.iter().zip(&numeric).filter(|(_, (_, ok))| *ok).map(|(a, (n, _))| (*a, *n)).collect();
    let scale = smooth.iter().fold(1e-2_f64, |s, (a, n)| s.max(a.abs()).max(n.abs()));
    let worst = smooth.iter().fold(0.0_f64, |w, (a, n)| w.max((a - n).abs()));
    Comparison {
        quantity,
        example,
        relative_error: worst / scale,
        kink_entries: numeric.len() - smooth.len(),
        entries: numeric.len(),
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
