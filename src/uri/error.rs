//! Why a URI could not be read or written.

use alloc::string::String;
use core::fmt;

use crate::code::Digits;
use crate::error::Base32Error;

use super::KeyUri;

/// An `otpauth://` URI could not be read, or a key cannot be written as one.
///
/// Messages are short, lowercase, and never contain the secret.
///
/// # Examples
///
/// ```
/// use otpkit::{KeyUri, UriError};
///
/// let err = KeyUri::parse("otpauth://totp/a?secret=JBSWY3DP&digits=6&digits=8").unwrap_err();
/// assert_eq!(err, UriError::DuplicateParameter { name: "digits" });
/// assert_eq!(err.to_string(), "duplicate parameter \"digits\"");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum UriError {
    /// The URI is longer than [`KeyUri::MAX_LEN`](crate::KeyUri::MAX_LEN).
    TooLong,
    /// The URI does not start with `otpauth://`.
    InvalidScheme,
    /// The type is not `totp`, `hotp` or `steam`.
    UnsupportedType {
        /// The type as written (at most 16 characters of it).
        name: String,
    },
    /// There is no `/` and label after the type.
    MissingLabel,
    /// A `%` is not followed by two hexadecimal digits.
    InvalidPercentEncoding {
        /// Byte offset of the `%` in the URI.
        position: usize,
    },
    /// A label or parameter does not decode to UTF-8.
    InvalidUtf8 {
        /// Byte offset in the URI of the start of that label part, name or value.
        position: usize,
    },
    /// There is no `secret` parameter.
    MissingSecret,
    /// The `secret` parameter is not base32 of at least one byte.
    InvalidSecret(Base32Error),
    /// The `algorithm` is not SHA1, SHA256 or SHA512.
    UnsupportedAlgorithm,
    /// `digits` is not a number from 6 to 10.
    InvalidDigits,
    /// `period` is not a number of seconds of at least 1.
    InvalidPeriod,
    /// `counter` is not a number that fits in 64 bits.
    InvalidCounter,
    /// A security parameter appears more than once.
    DuplicateParameter {
        /// The parameter: `secret`, `issuer`, `algorithm`, `digits`, `period` or `counter`.
        name: &'static str,
    },
    /// A Steam Guard key has an `algorithm`, `digits` or `period` other than SHA1, 5 and 30.
    SteamParameter {
        /// The parameter that does not fit.
        name: &'static str,
    },
    /// A credential with a T0 other than 0: URIs have no parameter for it.
    T0NotRepresentable,
    /// [`KeyUri::with_param`](crate::KeyUri::with_param) was asked to set a parameter that
    /// says how codes are made.
    ReservedParameter {
        /// The parameter, in lower case: `secret`, `issuer`, `algorithm`, `digits`, `period`,
        /// `counter` or `encoder`.
        name: &'static str,
    },
    /// [`KeyUri::from_pasted`](crate::KeyUri::from_pasted) got text that is neither a URI nor
    /// base32; the base32 error says where.
    NotAKey(Base32Error),
    /// [`KeyUri::from_pasted`](crate::KeyUri::from_pasted) got a Google Authenticator export
    /// (`otpauth-migration://`), which holds several keys.
    MigrationExport,
    /// [`Totp::from_uri`](crate::Totp::from_uri) got an HOTP key.
    NotTimeBased,
}

impl fmt::Display for UriError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TooLong => write!(f, "uri is longer than {} KiB", KeyUri::MAX_LEN / 1024),
            Self::InvalidScheme => f.write_str("not an otpauth:// uri"),
            Self::UnsupportedType { name } => write!(f, "unsupported otp type {name:?}"),
            Self::MissingLabel => f.write_str("missing label"),
            Self::InvalidPercentEncoding { position } => {
                write!(f, "invalid percent-encoding at position {position}")
            }
            Self::InvalidUtf8 { position } => write!(f, "invalid utf-8 at position {position}"),
            Self::MissingSecret => f.write_str("missing secret"),
            Self::InvalidSecret(e) => write!(f, "invalid secret: {e}"),
            Self::UnsupportedAlgorithm => {
                f.write_str("unsupported algorithm (expected SHA1, SHA256 or SHA512)")
            }
            Self::InvalidDigits => write!(
                f,
                "digits must be a whole number from {} to {}",
                Digits::MIN.get(),
                Digits::MAX.get()
            ),
            Self::InvalidPeriod => {
                f.write_str("period must be a whole number of seconds, at least 1")
            }
            Self::InvalidCounter => {
                f.write_str("counter must be a whole number from 0 to 18446744073709551615")
            }
            Self::DuplicateParameter { name } => write!(f, "duplicate parameter {name:?}"),
            Self::SteamParameter { name } => {
                write!(f, "parameter {name:?} does not fit a steam guard key")
            }
            Self::T0NotRepresentable => f.write_str("a uri cannot carry a t0 other than 0"),
            Self::ReservedParameter { name } => write!(
                f,
                "parameter {name:?} comes from the credential: it cannot be set as an extra parameter"
            ),
            Self::NotAKey(e) => write!(
                f,
                "not a key ({e}): paste an otpauth:// uri or a base32 secret"
            ),
            Self::MigrationExport => f.write_str(
                "a google authenticator export holds several keys: read it with migration::import",
            ),
            Self::NotTimeBased => {
                f.write_str("uri is an hotp key: read it with Credential::from_uri")
            }
        }
    }
}

impl core::error::Error for UriError {
    fn source(&self) -> Option<&(dyn core::error::Error + 'static)> {
        match self {
            Self::InvalidSecret(e) | Self::NotAKey(e) => Some(e),
            Self::TooLong
            | Self::InvalidScheme
            | Self::UnsupportedType { .. }
            | Self::MissingLabel
            | Self::InvalidPercentEncoding { .. }
            | Self::InvalidUtf8 { .. }
            | Self::MissingSecret
            | Self::UnsupportedAlgorithm
            | Self::InvalidDigits
            | Self::InvalidPeriod
            | Self::InvalidCounter
            | Self::DuplicateParameter { .. }
            | Self::SteamParameter { .. }
            | Self::ReservedParameter { .. }
            | Self::MigrationExport
            | Self::NotTimeBased
            | Self::T0NotRepresentable => None,
        }
    }
}
