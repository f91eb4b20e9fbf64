//! The known wrong answers to a single entry: the entry of each whole one, and the other
//! entries a learner may have read instead (`index_swap`).

use super::Mistake;
use crate::diagnosis::DiagnosisId;
use crate::plan::formula::Values;
use crate::quantity::{Quantity, QuantityRef};
use crate::value::{Shape, Value};

/// The known wrong answers to the single entry `asked`, from those of its whole quantity and
/// the quantity's `right` value, both on `values`.
pub fn at_entry(
    whole: &[(Mistake, Value)],
    right: &Value,
    values: &impl Values,
    asked: &QuantityRef,
) -> Vec<(Mistake, Value)> {
    let projected = whole
        .iter()
        .filter(|(m, _)| !m.transposes())
        .filter_map(|(mistake, value)| Some((mistake.clone(), Value::Scalar(value.entry(&asked.index)?))));
    let (before, after): (Vec<_>, Vec<_>) = projected.partition(|(m, _)| m.id() < DiagnosisId::IndexSwap);
    let swaps = index_swaps(values, right, asked).into_iter().filter_map(|given| {
        let x = if given.quantity == asked.quantity {
            right.entry(&given.index)?
        } else {
            values.quantity(given.quantity)?.entry(&given.index)?
        };
        Some((Mistake::IndexSwap { given }, Value::Scalar(x)))
    });
    before.into_iter().chain(swaps).chain(after).collect()
}

/// The entries a learner asked for `asked` may give instead: for a matrix entry [i,j] the
/// mirrored [j,i], then the others of row i and of column j; for a vector entry of layer l,
/// unit i, the entry of layer i, unit l (layer and unit swapped, as Eq. (37)'s misprinted left
/// side does), then the other units.
fn index_swaps(values: &impl Values, right: &Value, asked: &QuantityRef) -> Vec<QuantityRef> {
    let network = values.network();
    let at = |index: Vec<usize>| QuantityRef { index, ..asked.whole() };
    match (right.shape(), asked.index.as_slice()) {
        (Shape::Matrix(rows, columns), &[i, j]) => {
            let mirrored = (i != j && j <= rows && i <= columns).then(|| at(vec![j, i]));
            let row = (1..=columns).filter(|&c| c != j).map(|c| at(vec![i, c]));
            let column = (1..=rows).filter(|&r| r != i).map(|r| at(vec![r, j]));
            mirrored.into_iter().chain(row).chain(column).collect()
        }
        (Shape::Vector(n), &[i]) => {
            // Of the same example: the values are that example's pass.
            let swapped = layer_swapped(asked.quantity, i)
                .filter(|other| network.has_ref(other))
                .map(|other| QuantityRef { example: asked.example, ..other });
            swapped.into_iter().chain((1..=n).filter(|&u| u != i).map(|u| at(vec![u]))).collect()
        }
        _ => vec![],
    }
}

/// Unit `unit` of a layered vector quantity with its layer and unit numbers swapped:
/// ∂L/∂h1(2) for ∂L/∂h2(1).
fn layer_swapped(quantity: Quantity, unit: usize) -> Option<QuantityRef> {
    let (layer, other) = match quantity {
        Quantity::Z(l) => (l, Quantity::Z(unit)),
        Quantity::H(l) => (l, Quantity::H(unit)),
        Quantity::DlDh(l) => (l, Quantity::DlDh(unit)),
        Quantity::DlDb(l) => (l, Quantity::DlDb(unit)),
        _ => return None,
    };
    (layer != unit).then(|| QuantityRef { quantity: other, example: None, index: vec![layer] })
}
