//! The names of every quantity (DESIGN.md §2): one name per quantity, shared by `solve`'s JSON,
//! answer files, lessons' `[steps]`/`[check]` tables and the TUI.
//!
//! Layers are numbered as in the notes: hidden layers 1..=K, then the output layer `o`.

use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Quantity {
    X,
    Z(usize),
    H(usize),
    O,
    OHat,
    Loss,
    DlDo,
    DlDh(usize),
    DlDwo,
    DlDbo,
    DlDw(usize),
    DlDb(usize),
    /// ∂o/∂h(K) = W(o); the layer is always K.
    DoDh(usize),
    /// ∂h(l)/∂z(l) = diag(f'(z(l))).
    DhDz(usize),
    /// ∂z(l)/∂h(l-1) = W(l), for l ≥ 2.
    DzDh(usize),
    /// ∂h(l)/∂h(l-1) = diag(f'(z(l))) W(l), for l ≥ 2.
    DhDh(usize),
    /// W(l) − η ∂L/∂W(l): hidden layer l's weights after one step of gradient descent (§8).
    WNew(usize),
    /// W(o) − η ∂L/∂W(o).
    WoNew,
    /// b(l) − η ∂L/∂b(l).
    BNew(usize),
    /// b(o) − η ∂L/∂b(o).
    BoNew,
    /// The total loss of a forward pass with the updated weights and biases.
    LossNew,
}

/// A quantity, or one entry of it in the notes' 1-based notation (`dL_dWo[2,1]`); in a lesson
/// with a dataset, of one example (`dL_dW1#2`, `z1#2[1]`). One name, one value: a name without
/// `#n` in a dataset lesson is the total over the examples (`loss`, `dL_dW1`), or the update.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct QuantityRef {
    pub quantity: Quantity,
    /// The example's 1-based number (`#n`); `None` for a lesson's one example, a total or an
    /// update.
    pub example: Option<usize>,
    /// Empty for the whole quantity; `[i]` for a vector entry; `[i, j]` for a matrix entry.
    pub index: Vec<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "'{name}' is not a quantity name (e.g. dL_do, dL_dh2, dL_dWo, dL_dW1, dh2_dz2, dL_dWo[2,1], dL_dW1#2, \
     W1_new)"
)]
pub struct UnknownQuantity {
    pub name: String,
}

impl Quantity {
    /// Whether the quantity exists in a network with `hidden` hidden layers, with or without
    /// biases (`has_bias(l)` for l in 1..=K, and `l = K + 1` for the output layer).
    /// `trains` tells whether the lesson takes a gradient-descent step (`[train]`).
    pub fn exists_in(
        self,
        hidden: usize,
        is_softmax: bool,
        trains: bool,
        has_bias: impl Fn(usize) -> bool,
    ) -> bool {
        let layer = |l: usize| (1..=hidden).contains(&l);
        let below = |l: usize| (2..=hidden).contains(&l);
        match self {
            Quantity::WNew(l) => trains && layer(l),
            Quantity::BNew(l) => trains && layer(l) && has_bias(l),
            Quantity::WoNew | Quantity::LossNew => trains,
            Quantity::BoNew => trains && has_bias(hidden + 1),
            Quantity::X | Quantity::O | Quantity::Loss | Quantity::DlDo | Quantity::DlDwo => true,
            Quantity::OHat => is_softmax,
            Quantity::Z(l) | Quantity::H(l) | Quantity::DlDh(l) | Quantity::DlDw(l) | Quantity::DhDz(l) => {
                layer(l)
            }
            Quantity::DlDb(l) => layer(l) && has_bias(l),
            Quantity::DlDbo => has_bias(hidden + 1),
            Quantity::DoDh(l) => l == hidden,
            Quantity::DzDh(l) | Quantity::DhDh(l) => below(l),
        }
    }

    /// The name in text with the notes' symbols, e.g. `∂L/∂W(2)` or `∂h(2)/∂z(2)`.
    pub fn symbol(self) -> String {
        match self {
            Quantity::X => "x".into(),
            Quantity::Z(l) => format!("z({l})"),
            Quantity::H(l) => format!("h({l})"),
            Quantity::O => "o".into(),
            Quantity::OHat => "ô".into(),
            Quantity::Loss => "L".into(),
            Quantity::DlDo => "∂L/∂o".into(),
            Quantity::DlDh(l) => format!("∂L/∂h({l})"),
            Quantity::DlDwo => "∂L/∂W(o)".into(),
            Quantity::DlDbo => "∂L/∂b(o)".into(),
            Quantity::DlDw(l) => format!("∂L/∂W({l})"),
            Quantity::DlDb(l) => format!("∂L/∂b({l})"),
            Quantity::DoDh(l) => format!("∂o/∂h({l})"),
            Quantity::DhDz(l) => format!("∂h({l})/∂z({l})"),
            Quantity::DzDh(l) => format!("∂z({l})/∂h({})", l - 1),
            Quantity::DhDh(l) => format!("∂h({l})/∂h({})", l - 1),
            Quantity::WNew(l) => format!("W({l})_new"),
            Quantity::WoNew => "W(o)_new".into(),
            Quantity::BNew(l) => format!("b({l})_new"),
            Quantity::BoNew => "b(o)_new".into(),
            Quantity::LossNew => "L_new".into(),
        }
    }

    /// A gradient-descent update or the loss after it (Steps 5 and 6): names of the whole
    /// lesson, never of one example.
    pub fn is_update(self) -> bool {
        matches!(
            self,
            Quantity::WNew(_) | Quantity::WoNew | Quantity::BNew(_) | Quantity::BoNew | Quantity::LossNew
        )
    }

    /// A quantity that a dataset adds up over its examples (Eq. 2): the loss and the gradients
    /// of the weights and biases.
    pub fn has_total(self) -> bool {
        matches!(
            self,
            Quantity::Loss | Quantity::DlDwo | Quantity::DlDbo | Quantity::DlDw(_) | Quantity::DlDb(_)
        )
    }

    /// One entry in the notes' style: `∂L/∂h1(2)`, `∂L/∂w2,1(o)`, `∂h1(2)/∂h2(1)`.
    pub fn entry_symbol(self, index: &[usize]) -> String {
        let ix = |k: usize| index.get(k).map_or(String::new(), usize::to_string);
        let ij = || format!("{},{}", ix(0), ix(1));
        match self {
            Quantity::X => format!("x{}", ix(0)),
            Quantity::Z(l) => format!("z{}({l})", ix(0)),
            Quantity::H(l) => format!("h{}({l})", ix(0)),
            Quantity::O => format!("o{}", ix(0)),
            Quantity::OHat => format!("ô{}", ix(0)),
            Quantity::Loss => "L".into(),
            Quantity::DlDo => format!("∂L/∂o{}", ix(0)),
            Quantity::DlDh(l) => format!("∂L/∂h{}({l})", ix(0)),
            Quantity::DlDwo => format!("∂L/∂w{}(o)", ij()),
            Quantity::DlDbo => format!("∂L/∂b{}(o)", ix(0)),
            Quantity::DlDw(l) => format!("∂L/∂w{}({l})", ij()),
            Quantity::DlDb(l) => format!("∂L/∂b{}({l})", ix(0)),
            Quantity::DoDh(l) => format!("∂o{}/∂h{}({l})", ix(0), ix(1)),
            Quantity::DhDz(l) => format!("∂h{}({l})/∂z{}({l})", ix(0), ix(1)),
            Quantity::DzDh(l) => format!("∂z{}({l})/∂h{}({})", ix(0), ix(1), l - 1),
            Quantity::DhDh(l) => format!("∂h{}({l})/∂h{}({})", ix(0), ix(1), l - 1),
            Quantity::WNew(l) => format!("w{}({l})_new", ij()),
            Quantity::WoNew => format!("w{}(o)_new", ij()),
            Quantity::BNew(l) => format!("b{}({l})_new", ix(0)),
            Quantity::BoNew => format!("b{}(o)_new", ix(0)),
            Quantity::LossNew => "L_new".into(),
        }
    }
}

/// A quantity of one layer, built from the layer's number.
type LayerQuantity = fn(usize) -> Quantity;

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Quantity::X => write!(f, "x"),
            Quantity::Z(l) => write!(f, "z{l}"),
            Quantity::H(l) => write!(f, "h{l}"),
            Quantity::O => write!(f, "o"),
            Quantity::OHat => write!(f, "o_hat"),
            Quantity::Loss => write!(f, "loss"),
            Quantity::DlDo => write!(f, "dL_do"),
            Quantity::DlDh(l) => write!(f, "dL_dh{l}"),
            Quantity::DlDwo => write!(f, "dL_dWo"),
            Quantity::DlDbo => write!(f, "dL_dbo"),
            Quantity::DlDw(l) => write!(f, "dL_dW{l}"),
            Quantity::DlDb(l) => write!(f, "dL_db{l}"),
            Quantity::DoDh(l) => write!(f, "do_dh{l}"),
            Quantity::DhDz(l) => write!(f, "dh{l}_dz{l}"),
            Quantity::DzDh(l) => write!(f, "dz{l}_dh{}", l - 1),
            Quantity::DhDh(l) => write!(f, "dh{l}_dh{}", l - 1),
            Quantity::WNew(l) => write!(f, "W{l}_new"),
            Quantity::WoNew => write!(f, "Wo_new"),
            Quantity::BNew(l) => write!(f, "b{l}_new"),
            Quantity::BoNew => write!(f, "bo_new"),
            Quantity::LossNew => write!(f, "loss_new"),
        }
    }
}

impl FromStr for Quantity {
    type Err = UnknownQuantity;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        let unknown = || UnknownQuantity { name: name.to_string() };
        let layer = |digits: &str| -> Option<usize> {
            (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) && !digits.starts_with('0'))
                .then(|| digits.parse().ok())
                .flatten()
        };
        let fixed = match name {
            "x" => Some(Quantity::X),
            "o" => Some(Quantity::O),
            "o_hat" => Some(Quantity::OHat),
            "loss" => Some(Quantity::Loss),
            "dL_do" => Some(Quantity::DlDo),
            "dL_dWo" => Some(Quantity::DlDwo),
            "dL_dbo" => Some(Quantity::DlDbo),
            "Wo_new" => Some(Quantity::WoNew),
            "bo_new" => Some(Quantity::BoNew),
            "loss_new" => Some(Quantity::LossNew),
            _ => None,
        };
        if let Some(q) = fixed {
            return Ok(q);
        }
        if let Some(parameter) = name.strip_suffix("_new") {
            let updated: [(&str, LayerQuantity); 2] = [("W", Quantity::WNew), ("b", Quantity::BNew)];
            return updated
                .into_iter()
                .find_map(|(prefix, make)| parameter.strip_prefix(prefix).and_then(layer).map(make))
                .ok_or_else(unknown);
        }
        let prefixed: [(&str, LayerQuantity); 6] = [
            ("dL_dh", Quantity::DlDh),
            ("dL_dW", Quantity::DlDw),
            ("dL_db", Quantity::DlDb),
            ("do_dh", Quantity::DoDh),
            ("z", Quantity::Z),
            ("h", Quantity::H),
        ];
        for (prefix, make) in prefixed {
            if let Some(l) = name.strip_prefix(prefix).and_then(layer) {
                return Ok(make(l));
            }
        }
        // Jacobians between layers: dh{l}_dz{l}, dz{l}_dh{l-1}, dh{l}_dh{l-1}.
        let (top, bottom) =
            name.strip_prefix('d').and_then(|rest| rest.split_once("_d")).ok_or_else(unknown)?;
        let split = |s: &str| -> Option<(char, usize)> {
            let mut chars = s.chars();
            let kind = chars.next()?;
            Some((kind, layer(chars.as_str())?))
        };
        match (split(top).ok_or_else(unknown)?, split(bottom).ok_or_else(unknown)?) {
            (('h', l), ('z', m)) if l == m => Ok(Quantity::DhDz(l)),
            (('z', l), ('h', m)) if l == m + 1 => Ok(Quantity::DzDh(l)),
            (('h', l), ('h', m)) if l == m + 1 => Ok(Quantity::DhDh(l)),
            _ => Err(unknown()),
        }
    }
}

impl fmt::Display for QuantityRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.quantity)?;
        if let Some(n) = self.example {
            write!(f, "#{n}")?;
        }
        if !self.index.is_empty() {
            let parts: Vec<String> = self.index.iter().map(usize::to_string).collect();
            write!(f, "[{}]", parts.join(","))?;
        }
        Ok(())
    }
}

impl FromStr for QuantityRef {
    type Err = UnknownQuantity;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        // Most keys are a whole quantity's plain name, which needs none of the splitting below.
        if let Ok(quantity) = text.parse::<Quantity>() {
            return Ok(QuantityRef::named(quantity, None));
        }
        let unknown = || UnknownQuantity { name: text.to_string() };
        let (name, index) = match text.split_once('[') {
            None => (text, vec![]),
            Some((name, rest)) => {
                let inner = rest.strip_suffix(']').ok_or_else(unknown)?;
                let index = inner
                    .split(',')
                    .map(|part| part.trim().parse::<usize>().ok().filter(|&i| i >= 1))
                    .collect::<Option<Vec<usize>>>()
                    .filter(|ix| ix.len() <= 2)
                    .ok_or_else(unknown)?;
                (name, index)
            }
        };
        let (name, example) = match name.split_once('#') {
            None => (name, None),
            Some((name, number)) => (name, Some(example_number(number.trim()).ok_or_else(unknown)?)),
        };
        Ok(QuantityRef { quantity: name.trim().parse().map_err(|_| unknown())?, example, index })
    }
}

/// An example's number as written after `#`: 1-based, in digits, without a leading zero.
fn example_number(digits: &str) -> Option<usize> {
    let plain = !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) && !digits.starts_with('0');
    plain.then(|| digits.parse().ok()).flatten()
}

impl QuantityRef {
    /// The whole of `quantity`, of `example` where the lesson has a dataset.
    pub fn named(quantity: Quantity, example: Option<usize>) -> Self {
        QuantityRef { quantity, example, index: vec![] }
    }

    /// The whole quantity this names (itself, or the quantity of the entry), of the same example.
    pub fn whole(&self) -> QuantityRef {
        QuantityRef::named(self.quantity, self.example)
    }

    /// Whether `other` names this quantity of this example, whole or by entry.
    pub fn same_name(&self, other: &QuantityRef) -> bool {
        self.quantity == other.quantity && self.example == other.example
    }

    /// The notes' symbol: `∂L/∂o` for a whole quantity, `∂L/∂w2,1(o)` for one entry, with `#n`
    /// after a quantity of example n.
    pub fn symbol(&self) -> String {
        let symbol = if self.index.is_empty() {
            self.quantity.symbol()
        } else {
            self.quantity.entry_symbol(&self.index)
        };
        match self.example {
            Some(n) => format!("{symbol}#{n}"),
            None => symbol,
        }
    }
}

impl From<Quantity> for QuantityRef {
    fn from(quantity: Quantity) -> Self {
        QuantityRef::named(quantity, None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_round_trips() {
        let all = [
            Quantity::X,
            Quantity::Z(3),
            Quantity::H(1),
            Quantity::O,
            Quantity::OHat,
            Quantity::Loss,
            Quantity::DlDo,
            Quantity::DlDh(2),
            Quantity::DlDwo,
            Quantity::DlDbo,
            Quantity::DlDw(12),
            Quantity::DlDb(1),
            Quantity::DoDh(2),
            Quantity::DhDz(2),
            Quantity::DzDh(2),
            Quantity::DhDh(3),
            Quantity::WNew(2),
            Quantity::WoNew,
            Quantity::BNew(1),
            Quantity::BoNew,
            Quantity::LossNew,
        ];
        for q in all {
            assert_eq!(q.to_string().parse::<Quantity>(), Ok(q), "{q}");
        }
    }

    #[test]
    fn entries_use_one_based_indices() {
        let r: QuantityRef = "dL_dWo[2,1]".parse().unwrap();
        assert_eq!(r, QuantityRef { quantity: Quantity::DlDwo, example: None, index: vec![2, 1] });
        assert_eq!(r.to_string(), "dL_dWo[2,1]");
        assert_eq!(r.quantity.entry_symbol(&r.index), "∂L/∂w2,1(o)");
        assert!("dL_do[0]".parse::<QuantityRef>().is_err());
        assert!("dh2_dh2".parse::<Quantity>().is_err());
        assert!("dz1_dh0".parse::<Quantity>().is_err());
        assert!("dL_dW0".parse::<Quantity>().is_err());
        assert!("dL_dW01".parse::<Quantity>().is_err());
        assert_eq!("dh2_dh1[1,2]".parse::<QuantityRef>().unwrap().to_string(), "dh2_dh1[1,2]");
    }

    #[test]
    fn examples_are_numbered_after_a_hash_and_before_an_entry() {
        let r: QuantityRef = "dL_dW1#2[1,3]".parse().unwrap();
        assert_eq!(r, QuantityRef { quantity: Quantity::DlDw(1), example: Some(2), index: vec![1, 3] });
        assert_eq!(r.to_string(), "dL_dW1#2[1,3]");
        assert_eq!(r.symbol(), "∂L/∂w1,3(1)#2");
        assert_eq!("z1#12".parse::<QuantityRef>().unwrap().to_string(), "z1#12");
        for bad in ["z1#0", "z1#", "z1#01", "z1#-1", "z1#1#2", "z1[1]#2", "#2", "z1#x"] {
            assert!(bad.parse::<QuantityRef>().is_err(), "{bad}");
        }
        assert!("W0_new".parse::<Quantity>().is_err());
        assert!("dL_dW1_new".parse::<Quantity>().is_err());
        assert_eq!("W3_new".parse::<Quantity>(), Ok(Quantity::WNew(3)));
    }
}
