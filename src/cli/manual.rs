//! `completions SHELL` and `man`: shell completions and a man page, both generated from the
//! clap definitions, so they always list the options the binary really has.

use super::{Cli, exit, print};
use clap::CommandFactory;

/// The completion script for `shell`, as the shell loads it (`source <(backprop-tutor
/// completions bash)`).
pub(super) fn completions(shell: clap_complete::Shell) -> u8 {
    let mut command = Cli::command();
    let name = command.get_name().to_string();
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command, name, &mut script);
    print(&String::from_utf8_lossy(&script), exit::OK)
}

/// The man page in roff (`backprop-tutor man > backprop-tutor.1`).
pub(super) fn man() -> u8 {
    let mut page = Vec::new();
    match clap_mangen::Man::new(Cli::command()).render(&mut page) {
        Ok(()) => print(&String::from_utf8_lossy(&page), exit::OK),
        Err(error) => {
            eprintln!("error: cannot render the man page: {error}");
            exit::BAD_INPUT
        }
    }
}
