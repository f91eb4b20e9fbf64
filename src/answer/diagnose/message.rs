//! What a diagnosis says: the mistake, the notes' equation that fixes it, and where the notes
//! themselves slip (ERRATA).

use super::Mistake;
use super::rewrites::lesson_has;
use crate::answer::training::equation_of;
use crate::network::{Activation, Network, Objective};
use crate::plan::definition::definition;
use crate::plan::format_number;
use crate::plan::formula::{NotesNumber, Term, Values};
use crate::quantity::{Quantity, QuantityRef};
use crate::value::Value;

impl Mistake {
    /// Names the mistake and the notes' equation that fixes it, for an answer to `asked` on
    /// the lesson whose values are `values`; says so where the mistake follows a slip of the
    /// notes themselves (ERRATA).
    pub fn message(&self, values: &impl Values, asked: &QuantityRef) -> String {
        let network = values.network();
        let quantity = asked.quantity;
        let name = quantity.symbol();
        let equation = equation_of(network, asked);
        let gate = |l: usize| Term::gate(network, l).text();
        match self {
            Mistake::Transposed if is_weight_gradient(quantity) => format!(
                "This is {name} transposed: it has the shape of its weights, row i for unit i and \
                 column j for the input it scales, so it is {}; see {equation}.",
                formula(network, quantity)
            ),
            Mistake::Transposed => {
                format!("This is {name} transposed: rows and columns are swapped; see {equation}.")
            }
            Mistake::SignFlipped if quantity == Quantity::DlDo => match network.objective() {
                Objective::SoftmaxCrossEntropy { label } => format!(
                    "Every entry has the wrong sign: ∂L/∂o = ô − e_y, not e_y − ô, so only the \
                     true class (y = {label}) has a negative entry; see {equation}."
                ),
                Objective::Mse { .. } => {
                    "Every entry has the wrong sign: ∂L/∂o = o − t, the output minus the target.".into()
                }
            },
            Mistake::SignFlipped => format!(
                "Every entry has the wrong sign: no step of the backward pass negates, so the signs \
                 come from ∂L/∂o ({}) and the products in {equation}.",
                step_one_words(network).0
            ),
            Mistake::MissingOnehot => format!(
                "This is ô itself: subtract the one-hot label e_y, so the true class's entry \
                 becomes ô_{} − 1; see {equation}.",
                step_one_words(network).1
            ),
            Mistake::UsedLogits => format!(
                "You subtracted e_y from the logits o: take the softmax first, ∂L/∂o = ô − e_y with \
                 ô = softmax(o); see (5) and {equation}."
            ),
            Mistake::LabelOffByOne { class } => format!(
                "The −1 is at class {class}, but the true class is y = {}: the notes count classes \
                 from 1; see {equation}.",
                step_one_words(network).1
            ),
            Mistake::NontargetZero => format!(
                "Only the true class's entry ô_y − 1 is there, the others are left 0: every logit \
                 also changes the softmax's sum, so each other class i has ∂L/∂o_i = ô_i (Eq. (9)); \
                 together ∂L/∂o = ô − e_y, see {equation}."
            ),
            Mistake::WrtProbabilities => format!(
                "This is ∂L/∂ô, the derivative with respect to the probabilities (−1/ô_y at the true \
                 class, 0 elsewhere); ∂L/∂o goes on through the softmax, which turns it into \
                 ô − e_y: Eqs. (8)–(12) and {equation}."
            ),
            Mistake::MseFactor { doubled: true } => "This is 2(o − t): with L = ½ Σ (o_i − t_i)² the ½ \
                cancels the 2 that the square brings down, so ∂L/∂o = o − t (the squared error's \
                counterpart of Eq. (12))."
                .into(),
            Mistake::MseFactor { doubled: false } => format!(
                "This is (o − t)/{}: the loss sums ½ (o_i − t_i)² over the outputs rather than \
                 averaging it, so nothing is divided: ∂L/∂o = o − t (the squared error's \
                 counterpart of Eq. (12)).",
                network.outputs()
            ),
            Mistake::WeightsNotTransposed => {
                let (upstream, weights) = upstream_and_weights(network, quantity);
                format!(
                    "This is {weights}·({upstream})ᵀ: the columns of {weights} where its rows belong \
                     (a square {weights} gives it the right shape, not the right numbers). Unit j \
                     below collects {upstream}_i · w_i,j over the units i it feeds, so the row \
                     {upstream} multiplies {weights} from the left: {} = {}; see {equation}.",
                    name,
                    formula(network, quantity)
                )
            }
            Mistake::GateMissing => format!(
                "The gate {} is missing: each unit's gradient is scaled by its own f'(z) on the way \
                 through (0 for a closed ReLU); see {equation}.",
                gate(gated_layer(network, quantity))
            ),
            Mistake::GateWrongLayer { layer, after } => {
                let l = gated_layer(network, quantity);
                let place = if *after { format!(" after W({l})") } else { String::new() };
                format!(
                    "You used the gate of layer {layer}{place}: going back through layer {l} takes \
                     its own gate, {}, between ∂L/∂h({l}) and W({l}); see {equation}.",
                    gate(l)
                )
            }
            Mistake::GateUsedActivation { used } => {
                let l = gated_layer(network, quantity);
                format!(
                    "You multiplied by {} where the gate {} belongs: the chain rule takes the slope \
                     f'(z({l})) of the activation, not its value; see {equation}.",
                    used.symbol(),
                    gate(l)
                )
            }
            Mistake::DerivativeWrongArgument { at } => {
                let l = gated_layer(network, quantity);
                let f = network.layer(l).activation();
                let form = if f == Activation::Sigmoid { "h(1 − h)" } else { "1 − h²" };
                match at {
                    Quantity::H(_) => format!(
                        "You took f' at h({l}) = f(z({l})): the slope belongs at z({l}), f'(z({l})); \
                         read off the forward pass it is {form} with h = h({l}) itself; see {equation}."
                    ),
                    _ => format!(
                        "You worked {form} with z({l}) in place of h: that form of f' takes the \
                         activation h({l}) = f(z({l})), not the pre-activation; see {equation}."
                    ),
                }
            }
            Mistake::LeakyAsRelu => {
                let l = gated_layer(network, quantity);
                format!(
                    "You gave the closed units of layer {l} a ReLU's slope 0, but it is a leaky ReLU: \
                     where z < 0 its slope is {}, so a little gradient still passes; see {equation}.",
                    format_number(crate::network::LEAKY_SLOPE)
                )
            }
            Mistake::WrongActivation { used } => {
                let right = match quantity {
                    Quantity::DlDw(1) => "x".to_string(),
                    Quantity::DlDw(l) => format!("h({})", l - 1),
                    _ => format!("h({})", network.depth()),
                };
                format!(
                    "You multiplied by {}, but each weight of {name} scales {right}, the activation \
                     it multiplies in the forward pass; see {equation}.",
                    used.symbol()
                )
            }
            Mistake::IndexSwap { given } => index_swap_message(asked, given, equation),
            Mistake::NotesNumbers(number) => notes_message(values, *number, quantity, equation),
            Mistake::TooFewDigits { given, needed } => format!(
                "This is the right value rounded to {} — too coarse for this question's \
                 tolerance: give {needed} significant digits.",
                digits(*given)
            ),
            Mistake::Both { first, second, .. } => format!(
                "Two slips at once. First: {} Then: {}",
                first.message(values, asked),
                second.message(values, asked)
            ),
            Mistake::Training(mistake) => mistake.message(network, &asked.whole()),
        }
    }
}

/// "1 significant digit", "2 significant digits".
fn digits(n: usize) -> String {
    if n == 1 { "1 significant digit".into() } else { format!("{n} significant digits") }
}

/// The message of `index_swap`: which entry was given, and what the indices mean.
fn index_swap_message(asked: &QuantityRef, given: &QuantityRef, equation: &str) -> String {
    let (wanted, got) = (asked.symbol(), given.symbol());
    if given.quantity != asked.quantity {
        // Eq. (37) computes ∂L/∂h2(1) but prints ∂L/∂h1(2) on its left.
        let misprint = [Quantity::DlDh(1), Quantity::DlDh(2)].contains(&asked.quantity)
            && [asked.index.as_slice(), given.index.as_slice()].iter().all(|ix| matches!(ix, [1] | [2]))
            && asked.index != given.index;
        let errata = if misprint {
            " The notes themselves slip here: Eq. (37) computes ∂L/∂h2(1), but its left-hand side \
             is misprinted as ∂L/∂h1(2)."
        } else {
            ""
        };
        return format!(
            "This is {got} ({given}), not {wanted}: layer and unit are swapped; the unit is the \
             subscript, the layer the number in parentheses.{errata}"
        );
    }
    match (asked.index.as_slice(), given.index.as_slice()) {
        ([i, j], [r, c]) if (r, c) == (j, i) => format!(
            "This is entry [{r},{c}], {got}, not [{i},{j}]: in w_i,j the first index is the unit \
             the weight feeds (the row), the second the input it scales (the column); see {equation}."
        ),
        _ => format!("This is {got} ({given}), the entry of another unit, not {wanted}; see {equation}."),
    }
}

/// The message of `notes_numbers`, saying where the notes' examples do not describe one
/// network (ERRATA 4).
fn notes_message(values: &impl Values, number: NotesNumber, quantity: Quantity, equation: &str) -> String {
    let network = values.network();
    let k = network.depth();
    let own = |q: Quantity| values.quantity(q).map_or_else(String::new, |v| vector_text(&v));
    let notes = number.text();
    match number {
        NotesNumber::Logits => format!(
            "These are the notes' Step 1 numbers, o = {notes}; this lesson's logits are o = {}: \
             take the softmax of its own o; see (5) and {equation}.",
            own(Quantity::O)
        ),
        NotesNumber::StepTwoBActivation | NotesNumber::StepThreeAActivation => {
            let lesson = own(Quantity::H(k));
            let (example, other) = match number {
                NotesNumber::StepTwoBActivation => {
                    ("the notes' Step 2B example (Eq. (27))", NotesNumber::StepThreeAActivation)
                }
                _ => ("the network of the notes' Step 3A example", NotesNumber::StepTwoBActivation),
            };
            // This lesson has the other example's h(2): the learner met the notes' slip.
            let errata = if lesson_has(values, Term::Value(Quantity::H(k)), other) {
                " The notes slip here: their examples do not describe one network, Step 2B using \
                 h(2) = [1, 2] where the network of Step 3A gives h(2) = [4, 1]."
            } else {
                ""
            };
            format!(
                "You used h(2) = {notes}, from {example}, instead of this lesson's h({k}) = \
                 {lesson}; see {equation}.{errata}"
            )
        }
        NotesNumber::StepThreeAWeights => {
            let l = match quantity {
                Quantity::DlDh(l) => l + 1,
                _ => 2,
            };
            format!(
                "You used the weights of the notes' Step 3A example, W(2) = {notes}, instead of \
                 this lesson's W({l}); see {equation}."
            )
        }
    }
}

/// A vector as the notes print it: `[4, 1]`.
fn vector_text(value: &Value) -> String {
    let entries: Vec<String> = value.entries().iter().map(|&x| format_number(x)).collect();
    format!("[{}]", entries.join(", "))
}

/// "ô − e_y, (60)" or "o − t", and the label ("y" for mse, which has none): what Step 1's
/// messages name.
fn step_one_words(network: &Network) -> (&'static str, String) {
    match network.objective() {
        Objective::SoftmaxCrossEntropy { label } => ("ô − e_y, (60)", label.to_string()),
        Objective::Mse { .. } => ("o − t", "y".into()),
    }
}

/// The row gradient and the weights that Step 2A or 3A down to `quantity` multiplies.
fn upstream_and_weights(network: &Network, quantity: Quantity) -> (String, String) {
    match quantity {
        Quantity::DlDh(l) if l < network.depth() => (Quantity::DlDh(l + 1).symbol(), format!("W({})", l + 1)),
        _ => (Quantity::DlDo.symbol(), "W(o)".into()),
    }
}

fn is_weight_gradient(quantity: Quantity) -> bool {
    matches!(quantity, Quantity::DlDwo | Quantity::DlDw(_))
}

/// The hidden layer whose gate the step computing `quantity` uses.
fn gated_layer(network: &Network, quantity: Quantity) -> usize {
    match quantity {
        Quantity::DlDh(l) if l < network.depth() => l + 1,
        Quantity::DlDw(l) | Quantity::DlDb(l) | Quantity::DhDh(l) | Quantity::DhDz(l) => l,
        _ => network.depth(),
    }
}

fn formula(network: &Network, quantity: Quantity) -> String {
    definition(network, quantity).map(|f| f.to_text()).unwrap_or_default()
}

/// The notes' equation that gives `quantity` in matrix form.
pub fn equation(network: &Network, quantity: Quantity) -> &'static str {
    match quantity {
        Quantity::X | Quantity::Z(_) | Quantity::H(_) | Quantity::O => "(1)",
        Quantity::OHat => "(5)",
        Quantity::Loss => "(6)–(7)",
        Quantity::DlDo | Quantity::DlDbo => "(60)",
        Quantity::DlDh(l) if l == network.depth() => "(65)",
        Quantity::DoDh(_) => "(65)",
        Quantity::DlDh(_) => "(75)",
        Quantity::DlDwo => "(69)",
        Quantity::DlDw(1) => "(79), with h(0) = x",
        Quantity::DlDw(_) => "(79)",
        Quantity::DlDb(_) | Quantity::DhDz(_) => "(73)",
        Quantity::DzDh(_) => "(74)",
        Quantity::DhDh(_) => "(38)",
        Quantity::WNew(_) | Quantity::WoNew | Quantity::BNew(_) | Quantity::BoNew => "§1.3, step 4",
        Quantity::LossNew => "(1) and (2)",
    }
}
