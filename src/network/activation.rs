//! The activation functions of hidden layers (DESIGN.md §1) and their derivatives.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The activation f of a hidden layer. The one list of them: the lesson format, its schema,
/// `new --activation`, error messages and help all read it, and a test checks that every
/// variant is documented.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    Hash,
    Deserialize,
    Serialize,
    JsonSchema,
    strum::EnumIter,
    strum::EnumMessage,
    strum::EnumString,
    strum::IntoStaticStr,
    strum::VariantNames,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Activation {
    /// max(0, z); its slope 1[z > 0] is 0 at z = 0, as in the notes (Eq. 32).
    #[default]
    Relu,
    /// z for z > 0, else 0.01 z: a ReLU that never quite closes.
    LeakyRelu,
    /// 1 / (1 + e^−z), whose slope is σ(z)(1 − σ(z)).
    Sigmoid,
    /// tanh z, whose slope is 1 − tanh² z.
    Tanh,
    /// z itself: a linear layer, slope 1.
    Identity,
}

impl Activation {
    /// The name in lesson files and on the command line: `leaky_relu`.
    pub fn name(self) -> &'static str {
        self.into()
    }
}

pub const LEAKY_SLOPE: f64 = 0.01;

impl Activation {
    pub fn apply(self, z: f64) -> f64 {
        match self {
            Activation::Relu => z.max(0.0),
            Activation::LeakyRelu => {
                if z > 0.0 {
                    z
                } else {
                    LEAKY_SLOPE * z
                }
            }
            Activation::Sigmoid => sigmoid(z),
            Activation::Tanh => z.tanh(),
            Activation::Identity => z,
        }
    }

    /// f'(z). At the kink z = 0 the ReLUs take the left slope, as the notes do with
    /// 1[z > 0] (Eq. 32).
    pub fn derivative(self, z: f64) -> f64 {
        match self {
            Activation::Relu => {
                if z > 0.0 {
                    1.0
                } else {
                    0.0
                }
            }
            Activation::LeakyRelu => {
                if z > 0.0 {
                    1.0
                } else {
                    LEAKY_SLOPE
                }
            }
            // σ(1 − σ) and 1 − tanh² are the textbook forms, but 1 − σ and 1 − tanh² cancel
            // catastrophically once |z| passes ~16 and ~9; these forms keep full precision.
            Activation::Sigmoid => {
                let e = (-z.abs()).exp();
                e / ((1.0 + e) * (1.0 + e))
            }
            Activation::Tanh => 1.0 / z.cosh().powi(2),
            Activation::Identity => 1.0,
        }
    }

    /// f' written in terms of f's output h = f(z), as the notes' lessons read a gate off the
    /// forward pass: h(1 − h) for sigmoid, 1 − h² for tanh. Equal to [`Activation::derivative`]
    /// at z when given h; given z instead, a known mistake.
    pub fn derivative_from_output(self, h: f64) -> f64 {
        match self {
            Activation::Sigmoid => h * (1.0 - h),
            Activation::Tanh => 1.0 - h * h,
            // The ReLUs' slope only depends on the sign, which f keeps; identity's is 1.
            Activation::Relu | Activation::LeakyRelu | Activation::Identity => self.derivative(h),
        }
    }

    /// Whether f' jumps at z = 0, so hand answers near 0 become ambiguous.
    pub fn has_kink(self) -> bool {
        matches!(self, Activation::Relu | Activation::LeakyRelu)
    }
}

/// The logistic function, written so that neither branch overflows for large |z|.
fn sigmoid(z: f64) -> f64 {
    if z >= 0.0 {
        1.0 / (1.0 + (-z).exp())
    } else {
        let e = z.exp();
        e / (1.0 + e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relu_derivative_at_zero_is_zero() {
        assert_eq!(Activation::Relu.derivative(0.0), 0.0);
        assert_eq!(Activation::Relu.derivative(-0.0), 0.0);
        assert_eq!(Activation::LeakyRelu.derivative(0.0), LEAKY_SLOPE);
    }

    #[test]
    fn derivatives_keep_their_precision_far_from_zero() {
        // σ'(20) = e^−20 / (1 + e^−20)² and tanh'(12) = 4 / (e^12 + e^−12)², to 1e-12 relative.
        let sigmoid = (-20.0_f64).exp() / (1.0 + (-20.0_f64).exp()).powi(2);
        let tanh = 4.0 / (12.0_f64.exp() + (-12.0_f64).exp()).powi(2);
        assert!((Activation::Sigmoid.derivative(20.0) / sigmoid - 1.0).abs() < 1e-12);
        assert!((Activation::Sigmoid.derivative(-20.0) / sigmoid - 1.0).abs() < 1e-12);
        assert!((Activation::Tanh.derivative(12.0) / tanh - 1.0).abs() < 1e-12);
        assert_eq!(Activation::Tanh.derivative(800.0), 0.0);
    }

    #[test]
    fn sigmoid_is_finite_far_out() {
        assert_eq!(Activation::Sigmoid.apply(-1000.0), 0.0);
        assert_eq!(Activation::Sigmoid.apply(1000.0), 1.0);
        assert_eq!(Activation::Sigmoid.derivative(1000.0), 0.0);
    }
}
