//! Why recovery codes could not be made.

use core::fmt;

use super::Codes;
use crate::secret::GenerateError;

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
    /// The random bytes could not be had: only [`GenerateError::Os`], from
    /// [`Codes::generate_os`]. The operating system's generator failing is one fact, whose
    /// home is [`GenerateError`]; this wraps it and shows its message.
    Generate(GenerateError),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TooMany => write!(f, "more than {} recovery codes asked for", Codes::MAX_COUNT),
            Self::Generate(e) => e.fmt(f),
        }
    }
}

impl core::error::Error for Error {
    fn source(&self) -> Option<&(dyn core::error::Error + 'static)> {
        match self {
            Self::Generate(e) => Some(e),
            Self::TooMany => None,
        }
    }
}

impl From<GenerateError> for Error {
    fn from(e: GenerateError) -> Self {
        Self::Generate(e)
    }
}
