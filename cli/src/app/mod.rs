//! `otpkit app`: the terminal authenticator on the vault. Unlock, watch every account's code
//! change on its own period, copy one, add a key from a login page (pasted, or a QR
//! screenshot), edit, delete; it locks itself after an idle time.
//!
//! The parts: `state` (the pure state machine: keys in, state out), `view` (drawing, a pure
//! function of the state and the time), `form` (the add/edit form), `clipboard`, `qr`, `theme`
//! (colours and `NO_COLOR`), and `vault_io`, the one module that talks to `otpkit-vault`.
//! This module owns the terminal and the clock.

mod clipboard;
mod form;
mod qr;
mod state;
mod theme;
mod vault_io;
mod view;

#[cfg(test)]
mod tests;

use core::time::Duration;
use std::io;
use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use clap::Args;
use ratatui::crossterm::event::{self, DisableBracketedPaste, EnableBracketedPaste};
use ratatui::crossterm::execute;

use crate::exit_codes::ExitCode;
use clipboard::{Clipboard, Copier, Osc52, System};
use state::{App, DEFAULT_LOCK_AFTER};
use theme::Colors;

/// The environment variable that fixes the app's clock at a unix time: for tests and
/// screenshots only (codes then never change and the app never locks by itself).
pub(crate) const TEST_TIME_VAR: &str = "OTPKIT_APP_TEST_TIME";

/// `otpkit app`.
#[derive(Debug, Args)]
pub(crate) struct AppArgs {
    /// The vault file [default: $OTPKIT_VAULT, else $XDG_DATA_HOME/otpkit/vault.otpkit].
    #[arg(long, value_name = "PATH")]
    vault: Option<PathBuf>,

    /// Lock after this many idle seconds (the password is asked again) [default: 300].
    #[arg(long, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(5..))]
    lock_after: Option<u64>,
}

/// The app's one clock: the system's, or a fixed time for tests.
enum Clock {
    System,
    Fixed(u64),
}

impl Clock {
    fn from_env() -> Result<Self> {
        match std::env::var(TEST_TIME_VAR) {
            Ok(t) => Ok(Self::Fixed(t.trim().parse().with_context(|| {
                format!("{TEST_TIME_VAR}: expected unix seconds")
            })?)),
            Err(_) => Ok(Self::System),
        }
    }

    fn now(&self) -> Result<u64> {
        match self {
            Self::System => crate::time::now(),
            Self::Fixed(t) => Ok(*t),
        }
    }
}

/// Runs the app until the user quits.
pub(crate) fn run(args: &AppArgs) -> Result<ExitCode> {
    let path = crate::commands::vault::vault_path(args.vault.as_deref())?;
    if !vault_io::exists(&path) {
        bail!(
            "no vault at {}: create one with `otpkit vault init`",
            path.display()
        );
    }
    let clock = Clock::from_env()?;
    let board: Box<dyn Clipboard> = match System::new() {
        Some(system) => Box::new(system),
        None => Box::new(Osc52(io::stdout())),
    };
    let lock_after = args.lock_after.unwrap_or(DEFAULT_LOCK_AFTER);
    let mut app = App::new(path, lock_after, Copier::new(board), clock.now()?);
    let colors = Colors::from_env();

    let mut terminal = ratatui::try_init().context("cannot set up the terminal")?;
    // Bracketed paste: a pasted key arrives as one event, not as keystrokes.
    let _ = execute!(io::stdout(), EnableBracketedPaste);
    let result = event_loop(&mut app, &clock, colors, &mut terminal);
    // A code still on the clipboard is cleared on the way out, if it is still ours.
    app.tick(u64::MAX);
    let _ = execute!(io::stdout(), DisableBracketedPaste);
    ratatui::restore();
    result.map(|()| ExitCode::Success)
}

fn event_loop(
    app: &mut App,
    clock: &Clock,
    colors: Colors,
    terminal: &mut ratatui::DefaultTerminal,
) -> Result<()> {
    while !app.quit {
        let now = clock.now()?;
        terminal.draw(|f| view::render(app, now, colors, f))?;
        // Redraw at least every quarter second, so countdowns tick.
        if event::poll(Duration::from_millis(250))? {
            let ev = event::read()?;
            app.on_event(&ev, clock.now()?);
        }
        app.tick(clock.now()?);
    }
    Ok(())
}
