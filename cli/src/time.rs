//! The clock, read in one place for every command that works at "now".

use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result};

use crate::cli::TimeArgs;

/// The current unix time in whole seconds.
pub(crate) fn now() -> Result<u64> {
    Ok(SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .context("the system clock is before 1970: set the clock, or give --time")?
        .as_secs())
}

/// `--time` when given, else now.
pub(crate) fn at(args: &TimeArgs) -> Result<u64> {
    match args.time {
        // The library refuses these too; saying so here names the option.
        Some(t) if t > otpkit::Totp::MAX_TIME => {
            anyhow::bail!("--time is after year 5000, so it is milliseconds: give unix seconds")
        }
        Some(t) => Ok(t),
        None => now(),
    }
}
