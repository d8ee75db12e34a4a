//! One module per command. Each takes its parsed arguments and returns the exit status.

pub(crate) mod code;
pub(crate) mod demo;
pub(crate) mod export;
pub(crate) mod import;
pub(crate) mod inspect;
pub(crate) mod new;
pub(crate) mod vault;
pub(crate) mod verify;

use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result};

/// The current unix time in whole seconds.
pub(crate) fn now() -> Result<u64> {
    Ok(SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .context("the system clock is before 1970: set the clock, or give --time")?
        .as_secs())
}
