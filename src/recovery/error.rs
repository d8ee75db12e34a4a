//! Why recovery codes could not be made.

use core::fmt;

use super::Codes;

/// Recovery codes could not be made.
///
/// # Examples
///
/// ```
/// use otpkit::recovery::{Codes, Error};
///
/// assert_eq!(Codes::generate_os(Codes::MAX_COUNT + 1).err(), Some(Error::TooMany));
/// assert_eq!(Error::TooMany.to_string(), "more than 100 recovery codes asked for");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Error {
    /// More codes asked for than [`Codes::MAX_COUNT`].
    TooMany,
    /// The operating system's random generator failed (only from
    /// [`Codes::generate_os`](super::Codes)).
    RandomUnavailable,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TooMany => write!(f, "more than {} recovery codes asked for", Codes::MAX_COUNT),
            Self::RandomUnavailable => f.write_str("the system random generator failed"),
        }
    }
}

impl core::error::Error for Error {}
