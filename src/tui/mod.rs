//! The terminal tutor (DESIGN.md §6): the only part of the crate that knows about ratatui.
//!
//! It is a thin layer over the core library, in the Elm style:
//! - state: [`App`] (the lesson picker or a lesson [`session`]), changed only by
//! - a [`Message`] (a key or a paste) through the pure [`App::update`], which returns the
//!   [`Command`]s for the runtime to perform (quit, save progress, open a lesson);
//! - drawing: `impl Widget for &App`, one widget per pane in [`panes`], so every screen can be
//!   rendered on ratatui's `TestBackend` and snapshot-tested without a terminal.
//!
//! [`terminal`] is the runtime around it: terminal modes, the event loop, signals.

mod app;
mod keymap;
mod layout;
mod lesson;
mod mouse;
mod panes;
mod picker;
pub mod terminal;
mod theme;
mod update;
mod view;

pub use app::{App, Command, Message};
pub use view::{MIN_HEIGHT, MIN_WIDTH};
