//! The errors of the verifier's settings.

use core::fmt;

use crate::hotp::Hotp;
use crate::verify::Window;

use super::Policy;

/// A policy setting was out of its bounds. Each message names the bound, built from the
/// constant it cites.
///
/// # Examples
///
/// ```
/// use otpkit::verifier::{Error, Policy};
///
/// assert_eq!(Policy::default().with_max_drift(101).err(), Some(Error::DriftTooLarge));
/// assert_eq!(Error::DriftTooLarge.to_string(), "drift bound is larger than 100 steps");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Error {
    /// A drift bound over [`Policy::MAX_DRIFT`] steps.
    DriftTooLarge,
    /// An HOTP look-ahead over [`Window::MAX`] counters.
    LookAheadTooLarge,
    /// An HOTP resync look-ahead over [`Hotp::MAX_RESYNC_WINDOW`] counters.
    ResyncLookAheadTooLarge,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::DriftTooLarge => {
                write!(f, "drift bound is larger than {} steps", Policy::MAX_DRIFT)
            }
            Self::LookAheadTooLarge => {
                write!(f, "look-ahead is larger than {} counters", Window::MAX)
            }
            Self::ResyncLookAheadTooLarge => write!(
                f,
                "resync look-ahead is larger than {} counters",
                Hotp::MAX_RESYNC_WINDOW
            ),
        }
    }
}

impl core::error::Error for Error {}
