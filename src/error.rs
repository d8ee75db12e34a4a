//! The core's error types, one home for each fact. Each is small and `Copy`, with short
//! lowercase messages that never contain key material; a message that names a bound builds it
//! from the constant it cites. Where one error carries another ([`VerifyError::Setup`] an
//! [`Error`], [`VerifyError::Malformed`] a [`CodeError`]) it wraps it, with a `From` impl, and
//! shows its message: the fact is said once, in its own type.

use core::fmt;

use crate::code::Digits;
use crate::hotp::Hotp;
use crate::verify::Window;

/// A generator or window could not be built, or a time could not be turned into a step.
///
/// # Examples
///
/// ```
/// use otpkit::{Algorithm, Digits, Error};
///
/// assert_eq!(Digits::new(5), Err(Error::InvalidDigits { digits: 5 }));
/// assert_eq!(Error::InvalidDigits { digits: 5 }.to_string(), "digits must be between 6 and 10, got 5");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Error {
    /// A code length outside 6 to 10 digits.
    InvalidDigits {
        /// The length that was asked for.
        digits: u8,
    },
    /// A TOTP period of zero seconds.
    InvalidPeriod,
    /// A key of zero bytes.
    EmptyKey,
    /// A verification window wider than [`Window::MAX`] steps on one side.
    WindowTooLarge,
    /// An HOTP look-ahead over [`Window::MAX`] counters.
    LookAheadTooLarge,
    /// An HOTP resynchronisation look-ahead over [`Hotp::MAX_RESYNC_WINDOW`] counters.
    ResyncLookAheadTooLarge,
    /// A unix time earlier than the TOTP epoch T0.
    TimeBeforeT0,
    /// The system clock reads a time before 1970 (only from the `*_now()` functions).
    ClockBeforeUnixEpoch,
    /// An algorithm name other than SHA1, SHA256 or SHA512.
    UnsupportedAlgorithm,
    /// A time-based generator was asked of an HOTP credential.
    NotTimeBased,
    /// A unix time after the start of year 5000 ([`Totp::MAX_TIME`](crate::Totp::MAX_TIME)): almost surely
    /// milliseconds (JavaScript's `Date.now()`, Java's `currentTimeMillis()`) where seconds
    /// were meant.
    TimeInMilliseconds,
    /// The `*_now()` functions on a target without a system clock (`wasm32-unknown-unknown`,
    /// where `SystemTime::now()` panics): pass the time to the functions that take one.
    NoSystemClock,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidDigits { digits } => write!(
                f,
                "digits must be between {} and {}, got {digits}",
                Digits::MIN.get(),
                Digits::MAX.get()
            ),
            Self::InvalidPeriod => f.write_str("period must be at least 1 second"),
            Self::EmptyKey => f.write_str("key is empty"),
            Self::WindowTooLarge => {
                write!(f, "window is larger than {} steps on one side", Window::MAX)
            }
            Self::LookAheadTooLarge => {
                write!(f, "look-ahead is larger than {} counters", Window::MAX)
            }
            Self::ResyncLookAheadTooLarge => write!(
                f,
                "resync look-ahead is larger than {} counters",
                Hotp::MAX_RESYNC_WINDOW
            ),
            Self::TimeBeforeT0 => f.write_str("time is before t0"),
            Self::ClockBeforeUnixEpoch => f.write_str("system clock is before 1970"),
            Self::UnsupportedAlgorithm => {
                f.write_str("unsupported algorithm (expected SHA1, SHA256 or SHA512)")
            }
            Self::NotTimeBased => f.write_str("credential is not time-based"),
            Self::TimeInMilliseconds => {
                f.write_str("time is after year 5000: pass unix seconds, not milliseconds")
            }
            Self::NoSystemClock => {
                f.write_str("no system clock on this target: pass the time in unix seconds")
            }
        }
    }
}

impl core::error::Error for Error {}

/// A typed code could not be read. The length and the characters of a code are public facts,
/// so these errors may say exactly what is wrong.
///
/// One reader takes every typed code, one-time or recovery: it skips ASCII space, tab, CR and
/// LF before the first symbol and after the last, and ASCII space, tab, hyphen, no-break space
/// (U+00A0) and narrow no-break space (U+202F) between two symbols, which is what people paste
/// (`"123 456\n"`, `"123-456"`, `"123\u{a0}456"`). Anything else is refused.
///
/// # Examples
///
/// ```
/// use otpkit::{CodeError, Digits, Hotp, Algorithm, VerifyError};
///
/// let hotp = Hotp::new(Algorithm::Sha1, b"12345678901234567890", Digits::SIX)?;
/// assert_eq!(
///     hotp.verify("12a456", 0, 0),
///     Err(VerifyError::Malformed(CodeError::InvalidCharacter { position: 2 }))
/// );
/// assert_eq!(CodeError::InvalidCharacter { position: 2 }.to_string(), "invalid character at position 2");
/// assert!(hotp.verify("755\u{a0}224\r\n", 0, 0).is_ok());
/// assert_eq!(
///     hotp.verify("755\u{2009}224", 0, 0), // a thin space is not a group separator
///     Err(VerifyError::Malformed(CodeError::InvalidCharacter { position: 3 }))
/// );
/// # Ok::<(), otpkit::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CodeError {
    /// The code has a character that is neither a digit (or, for Steam Guard, a letter of its
    /// alphabet), nor a separator between two groups (ASCII space, tab, hyphen, U+00A0 or
    /// U+202F), nor whitespace at an end (ASCII space, tab, CR, LF). `position` is the byte
    /// offset in the input; the error never names a symbol of the code.
    InvalidCharacter {
        /// Byte offset of the offending character.
        position: usize,
    },
    /// The code has the wrong number of digits (separators are not counted).
    WrongLength {
        /// The number of digits the generator produces.
        expected: u8,
        /// The number of digits found, capped at 255.
        found: u8,
    },
}

impl fmt::Display for CodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidCharacter { position } => {
                write!(f, "invalid character at position {position}")
            }
            Self::WrongLength { expected, found } => {
                write!(f, "code must have {expected} characters, got {found}")
            }
        }
    }
}

impl core::error::Error for CodeError {}

/// A typed code was not accepted.
///
/// [`VerifyError::Mismatch`] is deliberately opaque: it says nothing about how close a guess was
/// or where in the window it fell.
///
/// # Examples
///
/// ```
/// use otpkit::{Algorithm, Digits, Totp, VerifyError, Window};
///
/// let totp = Totp::new(Algorithm::Sha1, b"12345678901234567890", Digits::EIGHT, 30)?;
/// assert_eq!(totp.verify("00000000", 59, Window::default()), Err(VerifyError::Mismatch));
/// assert_eq!(VerifyError::Mismatch.to_string(), "code does not match");
/// # Ok::<(), otpkit::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum VerifyError {
    /// The typed text is not a code of the right shape.
    Malformed(CodeError),
    /// No candidate in the window matches.
    Mismatch,
    /// The code matches only steps at or before the last accepted one: it was already used.
    Replayed,
    /// The code could not be checked at all: the time is before the TOTP epoch T0
    /// ([`Error::TimeBeforeT0`]) or plainly in milliseconds ([`Error::TimeInMilliseconds`]),
    /// the system clock is unusable ([`Error::ClockBeforeUnixEpoch`],
    /// [`Error::NoSystemClock`], only from the `*_now()` functions), or a look-ahead is over
    /// its bound ([`Error::LookAheadTooLarge`], [`Error::ResyncLookAheadTooLarge`]). A problem
    /// of the server's clock or configuration, not of the code typed; the message is the
    /// wrapped error's.
    Setup(Error),
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Malformed(e) => write!(f, "malformed code: {e}"),
            Self::Mismatch => f.write_str("code does not match"),
            Self::Replayed => f.write_str("code was already used"),
            Self::Setup(e) => e.fmt(f),
        }
    }
}

impl core::error::Error for VerifyError {
    fn source(&self) -> Option<&(dyn core::error::Error + 'static)> {
        match self {
            Self::Malformed(e) => Some(e),
            Self::Setup(e) => Some(e),
            Self::Mismatch | Self::Replayed => None,
        }
    }
}

impl From<CodeError> for VerifyError {
    fn from(e: CodeError) -> Self {
        Self::Malformed(e)
    }
}

/// A time or window the check cannot use: [`VerifyError::Setup`].
impl From<Error> for VerifyError {
    fn from(e: Error) -> Self {
        Self::Setup(e)
    }
}

/// A base32 secret could not be decoded. `position` is a byte offset in the input.
///
/// # Examples
///
/// ```
/// use otpkit::{decode_base32, Base32Error};
///
/// let mut buf = [0u8; 16];
/// assert_eq!(decode_base32("JBSW1", &mut buf), Err(Base32Error::InvalidCharacter { position: 4 }));
/// assert_eq!(Base32Error::InvalidCharacter { position: 4 }.to_string(), "invalid base32 character at position 4");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Base32Error {
    /// A character outside `A`–`Z`, `2`–`7` (either case), `=` padding at the end, space or `-`.
    InvalidCharacter {
        /// Byte offset of the offending character.
        position: usize,
    },
    /// Padding (`=`) followed by something other than padding, spaces or hyphens.
    InvalidPadding {
        /// Byte offset of the first `=`.
        position: usize,
    },
    /// A number of symbols that no byte string encodes to (1, 3 or 6 more than a multiple of 8).
    InvalidLength {
        /// The number of base32 symbols found.
        symbols: usize,
    },
    /// No symbols at all.
    Empty,
    /// The output buffer is shorter than the decoded secret.
    BufferTooSmall {
        /// The number of bytes the secret needs.
        needed: usize,
    },
}

impl fmt::Display for Base32Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidCharacter { position } => {
                write!(f, "invalid base32 character at position {position}")
            }
            Self::InvalidPadding { position } => {
                write!(f, "invalid base32 padding at position {position}")
            }
            Self::InvalidLength { symbols } => {
                write!(f, "invalid base32 length: {symbols} symbols")
            }
            Self::Empty => f.write_str("secret is empty"),
            Self::BufferTooSmall { needed } => {
                write!(f, "output buffer too small: {needed} bytes needed")
            }
        }
    }
}

impl core::error::Error for Base32Error {}

#[cfg(test)]
mod tests {
    use super::*;
    use std::string::ToString;

    #[test]
    fn messages_are_exact() {
        let cases: [(&dyn fmt::Display, &str); 24] = [
            (
                &Error::InvalidDigits { digits: 11 },
                "digits must be between 6 and 10, got 11",
            ),
            (&Error::InvalidPeriod, "period must be at least 1 second"),
            (&Error::EmptyKey, "key is empty"),
            (
                &Error::WindowTooLarge,
                "window is larger than 100 steps on one side",
            ),
            (&Error::TimeBeforeT0, "time is before t0"),
            (
                &Error::LookAheadTooLarge,
                "look-ahead is larger than 100 counters",
            ),
            (&Error::ClockBeforeUnixEpoch, "system clock is before 1970"),
            (
                &Error::UnsupportedAlgorithm,
                "unsupported algorithm (expected SHA1, SHA256 or SHA512)",
            ),
            (&Error::NotTimeBased, "credential is not time-based"),
            (
                &CodeError::InvalidCharacter { position: 3 },
                "invalid character at position 3",
            ),
            (
                &CodeError::WrongLength {
                    expected: 6,
                    found: 5,
                },
                "code must have 6 characters, got 5",
            ),
            (
                &VerifyError::Malformed(CodeError::WrongLength {
                    expected: 8,
                    found: 6,
                }),
                "malformed code: code must have 8 characters, got 6",
            ),
            (&VerifyError::Mismatch, "code does not match"),
            (&VerifyError::Replayed, "code was already used"),
            (
                &VerifyError::Setup(Error::TimeBeforeT0),
                "time is before t0",
            ),
            (
                &VerifyError::Setup(Error::LookAheadTooLarge),
                "look-ahead is larger than 100 counters",
            ),
            (
                &Error::ResyncLookAheadTooLarge,
                "resync look-ahead is larger than 1000 counters",
            ),
            (
                &VerifyError::Setup(Error::ClockBeforeUnixEpoch),
                "system clock is before 1970",
            ),
            (
                &Error::TimeInMilliseconds,
                "time is after year 5000: pass unix seconds, not milliseconds",
            ),
            (
                &Error::NoSystemClock,
                "no system clock on this target: pass the time in unix seconds",
            ),
            (
                &Base32Error::InvalidPadding { position: 4 },
                "invalid base32 padding at position 4",
            ),
            (
                &Base32Error::InvalidLength { symbols: 9 },
                "invalid base32 length: 9 symbols",
            ),
            (&Base32Error::Empty, "secret is empty"),
            (
                &Base32Error::BufferTooSmall { needed: 20 },
                "output buffer too small: 20 bytes needed",
            ),
        ];
        for (e, text) in cases {
            assert_eq!(e.to_string(), text);
        }
    }
}
