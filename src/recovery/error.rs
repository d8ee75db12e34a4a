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
/// # let key = otpkit::recovery::Key::from_bytes(&[7; 32])?;
/// assert_eq!(Codes::generate_os(&key, Codes::MAX_COUNT + 1).err(), Some(Error::TooMany));
/// assert_eq!(Error::TooMany.to_string(), "more than 100 recovery codes asked for");
/// # Ok::<(), Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Error {
    /// More codes asked for than [`Codes::MAX_COUNT`].
    TooMany,
    /// A service [`Key`](super::Key) of fewer than 32 or more than 64 bytes.
    KeyLength {
        /// The bytes given.
        found: usize,
    },
    /// A stored set holds one hash twice, in one list or in both the unused and the used
    /// list: it would let one code in twice, so it is refused when read.
    DuplicateHash,
    /// The random bytes could not be had: only [`GenerateError::Os`], from
    /// [`Codes::generate_os`]. The operating system's generator failing is one fact, whose
    /// home is [`GenerateError`]; this wraps it and shows its message.
    Generate(GenerateError),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TooMany => write!(f, "more than {} recovery codes asked for", Codes::MAX_COUNT),
            Self::KeyLength { found } => write!(
                f,
                "a recovery code key must have 32 to 64 bytes, got {found}"
            ),
            Self::DuplicateHash => f.write_str("stored recovery codes hold the same hash twice"),
            Self::Generate(e) => e.fmt(f),
        }
    }
}

impl core::error::Error for Error {
    fn source(&self) -> Option<&(dyn core::error::Error + 'static)> {
        match self {
            Self::Generate(e) => Some(e),
            Self::TooMany | Self::KeyLength { .. } | Self::DuplicateHash => None,
        }
    }
}

impl From<GenerateError> for Error {
    fn from(e: GenerateError) -> Self {
        Self::Generate(e)
    }
}
