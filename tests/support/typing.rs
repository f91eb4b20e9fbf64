//! Answers as a student types them into the tutor: what tests/tui_snapshots.rs and
//! tests/tui_training.rs share. tests/suite.rs declares it once, as `support::typing`.

use backprop_tutor::plan::format_number;
use backprop_tutor::value::Value;

/// An answer as a student types it: three decimals, ASCII minus.
pub(crate) fn typed(value: &Value) -> String {
    let number = |x: f64| format_number(x).replace('−', "-");
    let row = |xs: Vec<f64>| format!("[{}]", xs.into_iter().map(number).collect::<Vec<_>>().join(", "));
    match value {
        Value::Scalar(x) => number(*x),
        Value::Vector(v) => row(v.iter().copied().collect()),
        Value::Matrix(m) => {
            format!(
                "[{}]",
                m.row_iter().map(|r| row(r.iter().copied().collect())).collect::<Vec<_>>().join(", ")
            )
        }
    }
}
