//! The result of redeeming a recovery code.

use core::fmt;

use crate::error::CodeError;

/// The result of redeeming a recovery code. Only [`Outcome::Accepted`] logs the user in.
///
/// # Examples
///
/// ```
/// use otpkit::recovery;
///
/// let o = recovery::Outcome::Accepted { remaining: 2 };
/// assert!(o.is_accepted());
/// assert_eq!(o.to_string(), "accepted; 2 recovery codes left");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Outcome {
    /// The code was unused; it is now used.
    Accepted {
        /// Unused codes left.
        remaining: usize,
    },
    /// The code was already redeemed. Not counted as a failure.
    AlreadyUsed {
        /// Unused codes left.
        remaining: usize,
    },
    /// Not one of the user's codes. Counted as a failure.
    WrongCode,
    /// Too many failures: refused without hashing; try again at unix time `until`.
    Throttled {
        /// The unix time from which attempts are checked again.
        until: u64,
    },
    /// Not a code of the recovery alphabet and the set's length (16 characters; 10 for a set
    /// of the first format); not counted as a failure.
    Malformed(CodeError),
}

impl Outcome {
    /// Whether the user gets in.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(!otpkit::recovery::Outcome::WrongCode.is_accepted());
    /// ```
    #[must_use]
    pub const fn is_accepted(&self) -> bool {
        matches!(self, Self::Accepted { .. })
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Accepted { remaining } => {
                write!(f, "accepted; {remaining} recovery codes left")
            }
            Self::AlreadyUsed { .. } => f.write_str("recovery code was already used"),
            Self::WrongCode => f.write_str("wrong recovery code"),
            Self::Throttled { until } => write!(f, "too many attempts; try again at {until}"),
            Self::Malformed(e) => write!(f, "malformed recovery code: {e}"),
        }
    }
}
