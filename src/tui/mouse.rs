//! Mouse reporting for the wheel alone: button presses in the basic mode, SGR-encoded so wide
//! terminals work. No motion tracking (crossterm's `EnableMouseCapture` asks for every
//! movement), so moving the mouse sends nothing and an idle tutor stays idle.

use ratatui::crossterm::Command;
use std::fmt;

/// Turns wheel (and button) reports on.
pub(super) struct EnableWheel;
/// Turns them off again.
pub(super) struct DisableWheel;

impl Command for EnableWheel {
    fn write_ansi(&self, f: &mut impl fmt::Write) -> fmt::Result {
        f.write_str("\x1b[?1000h\x1b[?1006h")
    }

    #[cfg(windows)]
    fn execute_winapi(&self) -> std::io::Result<()> {
        ratatui::crossterm::event::EnableMouseCapture.execute_winapi()
    }

    #[cfg(windows)]
    fn is_ansi_code_supported(&self) -> bool {
        false
    }
}

impl Command for DisableWheel {
    fn write_ansi(&self, f: &mut impl fmt::Write) -> fmt::Result {
        f.write_str("\x1b[?1006l\x1b[?1000l")
    }

    #[cfg(windows)]
    fn execute_winapi(&self) -> std::io::Result<()> {
        ratatui::crossterm::event::DisableMouseCapture.execute_winapi()
    }

    #[cfg(windows)]
    fn is_ansi_code_supported(&self) -> bool {
        false
    }
}
