//! The errors of the secret module: a key too weak for a [`Strength`](super::Strength), and a
//! secret that could not be generated (whose [`GenerateError::Os`] is the crate's one home of
//! "the operating system's random generator failed").

use core::fmt;

#[cfg(feature = "alloc")]
use super::Secret;

/// A secret is shorter than a [`Strength`](super::Strength) allows. It tells the length, never the key.
///
/// # Examples
///
/// ```
/// use otpkit::secret;
///
/// let e = secret::TooWeak { bits: 80, min: 128 };
/// assert_eq!(e.to_string(), "secret has 80 bits, the policy requires at least 128");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TooWeak {
    /// The secret's length in bits.
    pub bits: usize,
    /// The policy's floor in bits.
    pub min: usize,
}

impl fmt::Display for TooWeak {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "secret has {} bits, the policy requires at least {}",
            self.bits, self.min
        )
    }
}

impl core::error::Error for TooWeak {}

/// A secret could not be generated.
///
/// # Examples
///
/// ```
/// use otpkit::{Secret, secret::GenerateError};
/// # #[cfg(feature = "std")] {
/// assert_eq!(Secret::generate_os_bits(80).err(), Some(GenerateError::TooShort { bits: 80 }));
/// # }
/// assert_eq!(
///     GenerateError::TooShort { bits: 80 }.to_string(),
///     "a new secret must have at least 128 bits, got 80"
/// );
/// ```
#[cfg(feature = "alloc")]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum GenerateError {
    /// Fewer bits than [`Secret::MIN_GENERATED_BITS`] (128, the issuer policy) were asked for.
    TooShort {
        /// The size asked for, in bits.
        bits: usize,
    },
    /// More bits than [`Secret::MAX_GENERATED_BITS`] (1024) were asked for.
    TooLong {
        /// The size asked for, in bits.
        bits: usize,
    },
    /// A size that is not a whole number of bytes. Secrets are byte strings; the size is refused
    /// rather than rounded, so the secret always has exactly the bits asked for.
    NotWholeBytes {
        /// The size asked for, in bits.
        bits: usize,
    },
    /// The operating system's random number generator failed (only from `generate_os*`).
    Os,
}

#[cfg(feature = "alloc")]
impl fmt::Display for GenerateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TooShort { bits } => write!(
                f,
                "a new secret must have at least {} bits, got {bits}",
                Secret::MIN_GENERATED_BITS
            ),
            Self::TooLong { bits } => write!(
                f,
                "a new secret must have at most {} bits, got {bits}",
                Secret::MAX_GENERATED_BITS
            ),
            Self::NotWholeBytes { bits } => {
                write!(
                    f,
                    "a secret must be a whole number of bytes, got {bits} bits"
                )
            }
            Self::Os => f.write_str("the operating system's random number generator failed"),
        }
    }
}

#[cfg(feature = "alloc")]
impl core::error::Error for GenerateError {}
