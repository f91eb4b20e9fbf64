//! What a learner types: the answer language, grading and diagnosis.

pub mod syntax;
