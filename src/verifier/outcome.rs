//! The result of a check.

use core::fmt;

use crate::error::{CodeError, Error};
use crate::verify::Match;

/// The result of a check. Only [`Outcome::Accepted`] logs the user in.
///
/// # Examples
///
/// ```
/// use otpkit::{Algorithm, Digits, Totp, verifier::{Outcome, Policy, State, Verifier}};
///
/// let totp = Totp::new(Algorithm::Sha1, b"12345678901234567890", Digits::EIGHT, 30)?;
/// let v = Verifier::totp(totp, Policy::default());
/// let (outcome, _) = v.check(&State::new(), "00000000", 59);
/// assert_eq!(outcome, Outcome::WrongCode);
/// assert!(!outcome.is_accepted());
/// assert_eq!(outcome.to_string(), "wrong code");
/// # Ok::<(), otpkit::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Outcome {
    /// The code is right and fresh. The match says its step (counter) and its offset from the
    /// server's current step (the stored counter).
    Accepted(Match),
    /// The code is right but its step (counter) was already accepted (RFC 6238 §5.2). Not
    /// counted as a failure.
    AlreadyUsed,
    /// No step in the window matches. Opaque: it says nothing about how close the guess was.
    /// Counted as a failure.
    WrongCode,
    /// Too many failures: refused without computing any code; try again at unix time `until`.
    Throttled {
        /// The unix time from which attempts are checked again.
        until: u64,
    },
    /// The text is not a code of this credential's shape; no code was computed and it is not
    /// counted as a failure.
    Malformed(CodeError),
    /// The code could not be checked: the server's clock or configuration is wrong (the time
    /// is before the credential's T0 or plainly in milliseconds, the system clock is before 1970). Not the user's guess:
    /// not counted as a failure, and the state is unchanged. Tell the user to try later and the
    /// operator to look at the clock; do not say the code was wrong.
    Misconfigured(Error),
}

impl Outcome {
    /// Whether the user gets in.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(!otpkit::verifier::Outcome::AlreadyUsed.is_accepted());
    /// ```
    #[must_use]
    pub const fn is_accepted(&self) -> bool {
        matches!(self, Self::Accepted(_))
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Accepted(_) => f.write_str("accepted"),
            Self::AlreadyUsed => f.write_str("code was already used"),
            Self::WrongCode => f.write_str("wrong code"),
            Self::Throttled { until } => write!(f, "too many attempts; try again at {until}"),
            Self::Malformed(e) => write!(f, "malformed code: {e}"),
            Self::Misconfigured(e) => e.fmt(f),
        }
    }
}
