//! The store's errors: one variant per thing that can go wrong, each with its own message.

use core::fmt;
use std::io;

/// Why opening, saving or changing a vault failed.
///
/// A wrong password, a truncated file and a damaged file are three different errors, and none
/// of them changes any file: the caller can say so and point at the backups
/// ([`crate::Vault::backups_dir`]).
///
/// # Examples
///
/// ```
/// assert_eq!(otpkit_vault::Error::WrongPassword.to_string(), "wrong password");
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// No slot of the vault opens with this password (the file itself is intact).
    WrongPassword,
    /// The file ends early: it is shorter than its header says.
    Truncated,
    /// The file's bytes changed after it was written (checksum or authentication tag mismatch).
    Damaged,
    /// The file does not start with the vault's format name.
    NotAVault,
    /// The file is of a later format version than this build reads.
    UnsupportedVersion(u32),
    /// The header is intact but does not say what a vault header must.
    BadHeader(&'static str),
    /// The key derivation parameters are beyond what this build accepts (memory, passes, lanes).
    KdfRefused(&'static str),
    /// The decrypted account list does not read.
    BadPayload,
    /// Another process saved a newer version since this one was read; nothing was written.
    Conflict {
        /// The generation this process read.
        expected: u64,
        /// The generation on disk now.
        found: u64,
    },
    /// `create` found a vault at the path already.
    AlreadyExists,
    /// There is no vault at the path.
    NotFound,
    /// An account field is out of bounds (a colour that is not `#RRGGBB`, an empty name...).
    InvalidAccount(&'static str),
    /// No account matches the query.
    NoMatch,
    /// More than one account matches the query; the candidates, as `issuer:name (id)`.
    Ambiguous(Vec<String>),
    /// The operating system refused a step of reading or saving.
    Io {
        /// What was being done, e.g. "rename the new file over the vault".
        step: &'static str,
        /// The operating system's reason.
        source: io::Error,
    },
    /// The operating system's random generator failed (no key, nonce or id could be drawn);
    /// nothing was written.
    Random(io::Error),
    /// A test-only failpoint stopped the save after this step (feature `failpoints`).
    #[cfg(feature = "failpoints")]
    Failpoint(crate::store::Step),
}

impl Error {
    pub(crate) fn io(step: &'static str) -> impl FnOnce(io::Error) -> Self {
        move |source| Self::Io { step, source }
    }

    /// Whether the file on disk is unreadable as it is (truncated, damaged, not a vault, bad
    /// header), so that a backup is the way back.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(otpkit_vault::Error::Damaged.is_damage());
    /// assert!(!otpkit_vault::Error::WrongPassword.is_damage());
    /// ```
    #[must_use]
    pub fn is_damage(&self) -> bool {
        matches!(
            self,
            Self::Truncated
                | Self::Damaged
                | Self::NotAVault
                | Self::BadHeader(_)
                | Self::BadPayload
        )
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::WrongPassword => f.write_str("wrong password"),
            Self::Truncated => f.write_str("vault file is truncated"),
            Self::Damaged => {
                f.write_str("vault file is damaged (its checksum or tag does not match)")
            }
            Self::NotAVault => f.write_str("not an otpkit vault file"),
            Self::UnsupportedVersion(v) => write!(f, "vault format version {v} is not supported"),
            Self::BadHeader(why) => write!(f, "vault header is invalid: {why}"),
            Self::KdfRefused(why) => write!(f, "key derivation parameters refused: {why}"),
            Self::BadPayload => f.write_str("vault contents do not read"),
            Self::Conflict { expected, found } => write!(
                f,
                "the vault was changed by another process (generation {found}, expected {expected})"
            ),
            Self::AlreadyExists => f.write_str("a vault already exists at this path"),
            Self::NotFound => f.write_str("no vault at this path"),
            Self::InvalidAccount(why) => write!(f, "invalid account: {why}"),
            Self::NoMatch => f.write_str("no account matches"),
            Self::Ambiguous(c) => write!(f, "{} accounts match: {}", c.len(), c.join(", ")),
            Self::Io { step, source } => write!(f, "cannot {step}: {source}"),
            Self::Random(source) => {
                write!(
                    f,
                    "the operating system's random generator failed: {source}"
                )
            }
            #[cfg(feature = "failpoints")]
            Self::Failpoint(step) => write!(f, "failpoint after {step:?}"),
        }
    }
}

impl core::error::Error for Error {
    fn source(&self) -> Option<&(dyn core::error::Error + 'static)> {
        match self {
            Self::Io { source, .. } | Self::Random(source) => Some(source),
            _ => None,
        }
    }
}
