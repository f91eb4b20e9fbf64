//! backprop-tutor: lessons, the forward/backward engine, the step plan and answer grading.
//! The terminal UI lives in `tui` and is the only module that knows about ratatui.

pub mod answer;
pub mod authoring;
pub mod cli;
pub mod diagnosis;
pub mod engine;
pub mod fingerprint;
pub mod lesson;
pub mod network;
pub mod plain;
pub mod plan;
pub mod quantity;
pub mod report;
pub mod textfile;
pub mod tui;
pub mod tutor;
pub mod value;
