//! A lesson's twins: networks of its shape with generic numbers, on which any two answers that
//! a lesson of the shape can tell apart do differ (see `distinct`).

use crate::authoring::rng::SplitMix64;
use crate::network::{Layer, Network, Objective};
use nalgebra::{DMatrix, DVector};

/// Fixed seeds: the twins of a shape are always the same networks.
pub(super) const TWIN_SEEDS: [u64; 5] = [
    0x7e57_ab1e_d15c_0de5,
    0x5eed_0f7a_1e2b_0b00,
    0x0dd_ba11_c0ff_ee00,
    0xfee1_600d_cafe_f00d,
    0x1234_5678_9abc_def0,
];
/// A twin's pre-activations are at least this far from 0, as a lesson's are from its kinks.
const TWIN_CLEARANCE: f64 = 0.3;

/// Which units of each hidden layer are open.
pub(super) type Pattern = Vec<Vec<bool>>;

/// The pattern of `network`'s own numbers.
pub(super) fn pattern(network: &Network) -> Pattern {
    crate::network::forward::forward(network).z.iter().map(|z| z.iter().map(|&z| z > 0.0).collect()).collect()
}

/// The `n`-th twin of `network`'s shape: generic numbers, and units open as `pattern` says
/// where it is given; else closed where `(unit + layer + n)` is even, so that twins close each
/// unit in turn.
pub(super) fn twin(network: &Network, n: usize, pattern: Option<&Pattern>) -> Network {
    let seed = TWIN_SEEDS[n % TWIN_SEEDS.len()];
    let mut rng = SplitMix64::new(seed);
    let mut draw = move |_: usize, _: usize| {
        // Magnitudes in [0.4, 1.4), either sign: clear of 0, and never a round number.
        let magnitude = 0.4 + (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        if rng.next_u64() & 1 == 0 { magnitude } else { -magnitude }
    };
    let input = DVector::from_fn(network.units(0), &mut draw);
    let mut below = input.clone();
    let mut hidden = Vec::new();
    for (i, layer) in network.hidden().iter().enumerate() {
        let (rows, columns) = layer.weights().shape();
        let mut weights = DMatrix::from_fn(rows, columns, &mut draw);
        let mut bias = layer.bias().map(|b| DVector::from_fn(b.len(), &mut draw));
        let f = layer.activation();
        for r in 0..rows {
            let z_of = |w: &DMatrix<f64>, b: &Option<DVector<f64>>| {
                w.row(r).transpose().dot(&below) + b.as_ref().map_or(0.0, |b| b[r])
            };
            for _ in 0..16 {
                if z_of(&weights, &bias).abs() >= TWIN_CLEARANCE {
                    break;
                }
                for c in 0..columns {
                    weights[(r, c)] = draw(r, c);
                }
                if let Some(b) = bias.as_mut() {
                    b[r] = draw(r, 0);
                }
            }
            let z = z_of(&weights, &bias);
            // Alternate closed and open units, shifted from one layer to the next and from one
            // twin to the next; a layer of one unit stays open, as every lesson's must.
            let closed = match pattern {
                Some(open) => f.has_kink() && !open[i][r],
                None => f.has_kink() && rows >= 2 && (r + i + n).is_multiple_of(2),
            };
            if (z <= 0.0) != closed {
                weights.row_mut(r).neg_mut();
                if let Some(b) = bias.as_mut() {
                    b[r] = -b[r];
                }
            }
        }
        let z = &weights * &below + bias.clone().unwrap_or_else(|| DVector::zeros(rows));
        below = z.map(|z| f.apply(z));
        hidden.push(Layer::new(weights, bias, f));
    }
    let output = network.output();
    let (rows, columns) = output.weights().shape();
    let weights = DMatrix::from_fn(rows, columns, &mut draw);
    let bias = output.bias().map(|b| DVector::from_fn(b.len(), &mut draw));
    let objective = match network.objective() {
        Objective::SoftmaxCrossEntropy { label } => Objective::SoftmaxCrossEntropy { label: *label },
        Objective::Mse { target } => Objective::Mse { target: DVector::from_fn(target.len(), &mut draw) },
    };
    Network::new(input, hidden, Layer::new(weights, bias, output.activation()), objective)
}
