//! The errors of the verifier's settings.

use core::fmt;

#[cfg(doc)]
use crate::{Hotp, Window};

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
    /// An HOTP look-ahead over its bound: [`crate::Error::LookAheadTooLarge`] (over
    /// [`Window::MAX`]) or [`crate::Error::ResyncLookAheadTooLarge`] (over
    /// [`Hotp::MAX_RESYNC_WINDOW`]). The bound is the one [`Hotp::verify`] and
    /// [`Hotp::resync`] check, so its error is theirs, wrapped, and shows its message.
    LookAhead(crate::Error),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::DriftTooLarge => {
                write!(f, "drift bound is larger than {} steps", Policy::MAX_DRIFT)
            }
            Self::LookAhead(e) => e.fmt(f),
        }
    }
}

impl core::error::Error for Error {
    fn source(&self) -> Option<&(dyn core::error::Error + 'static)> {
        match self {
            Self::LookAhead(e) => Some(e),
            Self::DriftTooLarge => None,
        }
    }
}

/// A look-ahead over the bound of [`Hotp::verify`] or [`Hotp::resync`]: [`Error::LookAhead`].
impl From<crate::Error> for Error {
    fn from(e: crate::Error) -> Self {
        Self::LookAhead(e)
    }
}
