//! Why an export could not be read or written, and what was wrong with one account.

use alloc::string::String;
use core::fmt;

use crate::uri::KeyUri;

/// Why one account of an export could not be imported or exported.
///
/// # Examples
///
/// ```
/// use otpkit::migration::AccountProblem;
///
/// assert_eq!(AccountProblem::Period.to_string(), "google authenticator only has 30-second periods");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AccountProblem {
    /// Import: the secret is empty.
    EmptySecret,
    /// Import: the algorithm is MD5, unspecified beyond the known values, or unknown.
    UnsupportedAlgorithm,
    /// Import: the digit count is neither six nor eight (nor unspecified, which means six).
    UnsupportedDigits,
    /// Import: the type is neither HOTP nor TOTP.
    UnsupportedType,
    /// Import: an HOTP counter below zero.
    NegativeCounter,
    /// Export: Steam Guard keys have no representation in an export.
    Steam,
    /// Export: a TOTP period other than 30 seconds (the export has no period field).
    Period,
    /// Export: digits other than 6 or 8.
    Digits,
    /// Export: an HOTP counter above `i64::MAX`.
    CounterTooLarge,
    /// Export: a TOTP T0 other than 0.
    T0,
}

impl fmt::Display for AccountProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::EmptySecret => "secret is empty",
            Self::UnsupportedAlgorithm => "unsupported algorithm (expected SHA1, SHA256 or SHA512)",
            Self::UnsupportedDigits => "digits must be 6 or 8",
            Self::UnsupportedType => "otp type must be hotp or totp",
            Self::NegativeCounter => "counter is negative",
            Self::Steam => "google authenticator has no steam guard keys",
            Self::Period => "google authenticator only has 30-second periods",
            Self::Digits => "google authenticator only has 6 or 8 digits",
            Self::CounterTooLarge => "counter is larger than google authenticator can store",
            Self::T0 => "google authenticator has no t0",
        })
    }
}

/// A Google Authenticator export could not be read or written.
///
/// Messages are short, lowercase, and never contain a secret; account errors name the account
/// (its position and name).
///
/// # Examples
///
/// ```
/// use otpkit::migration;
///
/// assert_eq!(migration::import("otpauth-migration://offline?data=%%%").unwrap_err().to_string(), "invalid percent-encoding at position 33");
/// assert_eq!(migration::import("otpauth-migration://offline"), Err(migration::Error::MissingData));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Error {
    /// The URI is longer than [`KeyUri::MAX_LEN`](crate::KeyUri::MAX_LEN).
    TooLong,
    /// The URI does not start with `otpauth-migration://offline`.
    InvalidScheme,
    /// There is no `data` parameter.
    MissingData,
    /// There is more than one `data` parameter.
    DuplicateData,
    /// A `%` is not followed by two hexadecimal digits.
    InvalidPercentEncoding {
        /// Byte offset of the `%` in the URI.
        position: usize,
    },
    /// `data` is not standard base64.
    InvalidBase64,
    /// `data` does not decode to a migration payload.
    InvalidPayload,
    /// One account could not be imported or exported.
    Account {
        /// The account's position (from 0) in the payload, or in the keys given to export.
        index: usize,
        /// The account name.
        account: String,
        /// What is wrong with it.
        problem: AccountProblem,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TooLong => write!(f, "uri is longer than {} KiB", KeyUri::MAX_LEN / 1024),
            Self::InvalidScheme => f.write_str("not an otpauth-migration://offline uri"),
            Self::MissingData => f.write_str("missing data parameter"),
            Self::DuplicateData => f.write_str("duplicate data parameter"),
            Self::InvalidPercentEncoding { position } => {
                write!(f, "invalid percent-encoding at position {position}")
            }
            Self::InvalidBase64 => f.write_str("data is not valid base64"),
            Self::InvalidPayload => f.write_str("data is not a migration payload"),
            Self::Account {
                index,
                account,
                problem,
            } => write!(f, "account {index} ({account:?}): {problem}"),
        }
    }
}

impl core::error::Error for Error {}
