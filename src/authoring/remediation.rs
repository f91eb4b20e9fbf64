//! The remediation variant (DESIGN.md §7): for a learner whose answers showed known mistakes,
//! the `new` options of a lesson of the same shape in which those mistakes are distinct and
//! visible. Pure, so the tutor's `n` and any other caller make the same variant.

use super::distinct::{Structure, every_question};
use super::generate::{MAX_SIGMOID_LAYERS, MAX_UNITS, Options, TrainingOptions};
use crate::diagnosis::DiagnosisId;
use crate::lesson::{Lesson, LossKind};
use crate::network::{Activation, Layer, Network, Objective, Reduction};
use nalgebra::{DMatrix, DVector};

/// What `new` is given for a remediation variant: its options and `--expose` ids, to pass to
/// [`generate_exposing`](super::generate::generate_exposing).
#[derive(Debug, Clone, PartialEq)]
pub struct Remediation {
    pub options: Options,
    /// The mistakes shown that a lesson of this shape can show, each once, composed ones with
    /// their parts, in the order of DESIGN.md §9's table.
    pub expose: Vec<DiagnosisId>,
}

/// The remediation variant of `lesson` for a learner who showed the mistakes `shown`, seeded
/// with `seed`: the lesson's sizes (within `new`'s limits), biases, loss, dataset size and
/// learning rate; the activation of its first hidden layer, or of the first layer where a
/// shown mistake can happen (`leaky_as_relu`, `derivative_wrong_argument`); and those of
/// `shown` that such a lesson can show. `new --expose` with these options gives the same lesson.
pub fn remediation(lesson: &Lesson, shown: &[DiagnosisId], seed: &str) -> Remediation {
    let network = lesson.network();
    let wanted: Vec<DiagnosisId> = {
        let mut ids: Vec<DiagnosisId> = shown
            .iter()
            .flat_map(|&id| [Some(id), id.parts().map(|p| p.0), id.parts().map(|p| p.1)])
            .flatten()
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    };
    let activation = activation_for(network, &wanted);
    let mut hidden: Vec<usize> = (1..=network.depth()).map(|l| network.units(l).min(MAX_UNITS)).collect();
    if activation == Activation::Sigmoid {
        hidden.truncate(MAX_SIGMOID_LAYERS);
    }
    let layers =
        [vec![network.units(0).min(MAX_UNITS)], hidden, vec![network.outputs().min(MAX_UNITS)]].concat();
    let loss = if network.is_softmax() { LossKind::SoftmaxCrossEntropy } else { LossKind::Mse };
    let training = TrainingOptions {
        data: network.dataset_size(),
        learning_rate: network.learning_rate(),
        // The sum is `new`'s default.
        reduction: network.dataset_size().map(|_| network.reduction()).filter(|&r| r != Reduction::Sum),
    };
    let options =
        Options { layers, seed: seed.to_string(), activation, bias: network.has_bias(), loss, training };
    let shape = placeholder(&options);
    let structure = Structure::for_questions(&shape, &every_question(&shape));
    let can_show = |id: DiagnosisId| options.training.can_show(id).unwrap_or_else(|| structure.can_show(id));
    let expose = wanted.into_iter().filter(|&id| can_show(id)).collect();
    Remediation { options, expose }
}

/// The activation of the lesson's first hidden layer, unless a wanted mistake needs one that
/// another of its layers has.
fn activation_for(network: &Network, wanted: &[DiagnosisId]) -> Activation {
    let has = |id: DiagnosisId| wanted.contains(&id);
    let fits = |f: Activation| match f {
        Activation::LeakyRelu => has(DiagnosisId::LeakyAsRelu),
        Activation::Sigmoid | Activation::Tanh => has(DiagnosisId::DerivativeWrongArgument),
        _ => false,
    };
    let activations = network.hidden().iter().map(Layer::activation);
    activations.clone().find(|&f| fits(f)).or_else(|| activations.clone().next()).unwrap_or_default()
}

/// A network of the options' shape, numbers aside: all a [`Structure`] reads.
fn placeholder(options: &Options) -> Network {
    let sizes = &options.layers;
    let layer = |rows: usize, columns: usize, activation: Activation| {
        let bias = options.bias.then(|| DVector::from_element(rows, 1.0));
        Layer::new(DMatrix::from_element(rows, columns, 1.0), bias, activation)
    };
    let hidden =
        sizes.windows(2).take(sizes.len() - 2).map(|w| layer(w[1], w[0], options.activation)).collect();
    let outputs = sizes[sizes.len() - 1];
    let output = layer(outputs, sizes[sizes.len() - 2], Activation::Identity);
    let objective = match options.loss {
        LossKind::SoftmaxCrossEntropy => Objective::SoftmaxCrossEntropy { label: 1 },
        LossKind::Mse => Objective::Mse { target: DVector::zeros(outputs) },
    };
    Network::new(DVector::from_element(sizes[0], 1.0), hidden, output, objective)
}
