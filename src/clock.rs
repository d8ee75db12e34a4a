//! The library's one reading of the system clock (std). Every `*_now()` convenience calls
//! [`now`]; everything else takes the time as an argument.

use crate::error::{Error, VerifyError};

/// Why the clock gave no unix time. Private: each caller turns it into its own public error
/// with `?`. Each target can only meet one of the two, hence the `allow(dead_code)`s.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ClockError {
    /// The clock reads a time before 1970.
    #[cfg_attr(all(target_arch = "wasm32", target_os = "unknown"), allow(dead_code))]
    BeforeUnixEpoch,
    /// The target has no clock std can read (`wasm32-unknown-unknown`).
    #[cfg_attr(
        not(all(target_arch = "wasm32", target_os = "unknown")),
        allow(dead_code)
    )]
    Unavailable,
}

impl From<ClockError> for Error {
    fn from(e: ClockError) -> Self {
        match e {
            ClockError::BeforeUnixEpoch => Self::ClockBeforeUnixEpoch,
            ClockError::Unavailable => Self::NoSystemClock,
        }
    }
}

impl From<ClockError> for VerifyError {
    fn from(e: ClockError) -> Self {
        match e {
            ClockError::BeforeUnixEpoch => Self::ClockBeforeUnixEpoch,
            ClockError::Unavailable => Self::NoSystemClock,
        }
    }
}

/// The current unix time in whole seconds.
///
/// On `wasm32-unknown-unknown` std has no clock to read and `SystemTime::now()` panics, so
/// this answers [`ClockError::Unavailable`] without calling it: the library never panics.
#[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
pub(crate) fn now() -> Result<u64, ClockError> {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .map_err(|_| ClockError::BeforeUnixEpoch)
}

/// The current unix time in whole seconds: none on `wasm32-unknown-unknown` (see above).
#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
pub(crate) fn now() -> Result<u64, ClockError> {
    Err(ClockError::Unavailable)
}

#[cfg(test)]
mod tests;
