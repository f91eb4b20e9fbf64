//! The lessons in `lessons/`, embedded in the binary so the tutor works from any folder.

/// Embeds `lessons/<name>.toml` under its name.
macro_rules! lesson {
    ($name:literal) => {
        ($name, include_str!(concat!("../../lessons/", $name, ".toml")))
    };
}

/// `(name, source)` in the order the picker shows them: the notes' own examples first, then one
/// lesson per idea.
const SHIPPED: &[(&str, &str)] = &[
    lesson!("notes-example"),
    lesson!("notes-step2b"),
    lesson!("notes-questions"),
    lesson!("closed-gate"),
    lesson!("one-hidden-layer"),
    lesson!("three-hidden-layers"),
    lesson!("biases"),
    lesson!("sigmoid"),
    lesson!("tanh"),
    lesson!("mse"),
    lesson!("large-logits"),
    lesson!("notes-update"),
    lesson!("batch-mean"),
];

pub fn names() -> impl Iterator<Item = &'static str> {
    SHIPPED.iter().map(|(name, _)| *name)
}

pub fn source(name: &str) -> Option<&'static str> {
    SHIPPED.iter().find(|(n, _)| *n == name).map(|(_, text)| *text)
}

/// Every shipped lesson, parsed. They are checked by the tests, so a failure here is a bug.
pub fn all() -> impl Iterator<Item = (&'static str, &'static str)> {
    SHIPPED.iter().copied()
}
