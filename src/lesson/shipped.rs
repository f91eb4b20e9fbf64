//! The lessons in `lessons/`, embedded in the binary so the tutor works from any folder.

/// `(name, source)` in the order the picker shows them.
const SHIPPED: &[(&str, &str)] = &[("notes-example", include_str!("../../lessons/notes-example.toml"))];

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
