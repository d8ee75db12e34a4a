//! The two ends of a confirmation: the active credential, or the enrolment back with the
//! reason.

use alloc::boxed::Box;
use core::fmt;

use crate::credential::Credential;
use crate::error::VerifyError;

use super::Enrollment;

/// A confirmed enrolment: the credential to store for the account, and the step of the code
/// that confirmed it.
///
/// Start the account's verifier state with
/// [`State::for_confirmed`](crate::verifier::State::for_confirmed), which stores `step` as the
/// last accepted step, and check logins with
/// [`Verifier::new`](crate::verifier::Verifier::new), so the confirming code cannot log in
/// again (without the verifier: [`Totp::verify_after`](crate::Totp::verify_after) with `step`).
/// When it replaces an earlier credential, carry that state's version forward with
/// [`State::replacing`](crate::verifier::State::replacing). `offset` is how many
/// steps the user's clock was off (−1, 0 or +1), a first sample for drift tracking.
/// Serializable under the `serde` feature (the secret as base32 in human-readable formats).
///
/// # Examples
///
/// ```
/// use otpkit::{Window, enroll::{self, Enrollment}};
///
/// let e = Enrollment::start("Example", "alice", enroll::Options::new())?;
/// let code = e.credential().to_totp()?.generate(1_000_000 - 30)?; // the user's clock is behind
/// let confirmed = e.confirm(code.as_str(), 1_000_000).map_err(|r| r.into_error())?;
/// assert_eq!((confirmed.step, confirmed.offset), (1_000_000 / 30 - 1, -1));
/// # Ok::<(), Box<dyn core::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Confirmed {
    /// The credential to store (encrypted at rest: it cannot be hashed).
    pub credential: Credential,
    /// The step the confirming code was accepted for: the last accepted step.
    pub step: u64,
    /// The accepted step minus the step of the confirmation time.
    pub offset: i64,
}

/// A first code that did not confirm an enrolment: the error, and the enrolment back, to try
/// again with the same secret.
///
/// # Examples
///
/// ```
/// use otpkit::{VerifyError, CodeError, enroll::{self, Enrollment}};
///
/// let e = Enrollment::start("Example", "alice", enroll::Options::new())?;
/// let rejected = e.confirm("12345", 0).unwrap_err();
/// assert_eq!(rejected.error(), VerifyError::Malformed(CodeError::WrongLength { expected: 6, found: 5 }));
/// assert_eq!(rejected.to_string(), "malformed code: code must have 6 characters, got 5");
/// let _again = rejected.into_enrollment();
/// # Ok::<(), otpkit::enroll::Error>(())
/// ```
#[derive(Debug)]
pub struct Rejected {
    // Boxed: an enrolment holds keyed HMAC states, too large to pass back by value in an `Err`.
    pub(super) enrollment: Box<Enrollment>,
    pub(super) error: VerifyError,
}

impl Rejected {
    /// Why the code was refused.
    ///
    /// # Examples
    ///
    /// ```
    /// # use otpkit::{VerifyError, CodeError, enroll::{self, Enrollment}};
    /// let e = Enrollment::start("Example", "alice", enroll::Options::new())?;
    /// assert_eq!(e.confirm("12a456", 0).unwrap_err().error(), VerifyError::Malformed(CodeError::InvalidCharacter { position: 2 }));
    /// # Ok::<(), otpkit::enroll::Error>(())
    /// ```
    #[must_use]
    pub fn error(&self) -> VerifyError {
        self.error
    }

    /// The pending enrolment, unchanged.
    ///
    /// # Examples
    ///
    /// ```
    /// # use otpkit::enroll::{self, Enrollment};
    /// let e = Enrollment::start("Example", "alice", enroll::Options::new())?;
    /// let uri = e.uri();
    /// assert_eq!(e.confirm("", 0).unwrap_err().into_enrollment().uri(), uri);
    /// # Ok::<(), otpkit::enroll::Error>(())
    /// ```
    #[must_use]
    pub fn into_enrollment(self) -> Enrollment {
        *self.enrollment
    }

    /// The error alone, dropping (and so wiping) the enrolment.
    ///
    /// # Examples
    ///
    /// ```
    /// # use otpkit::{VerifyError, enroll::{self, Enrollment}};
    /// let e = Enrollment::start("Example", "alice", enroll::Options::new())?;
    /// let code = if e.credential().to_totp()?.generate(90)?.as_str() == "999999" { "000000" } else { "999999" };
    /// assert_eq!(e.confirm(code, 90).unwrap_err().into_error(), VerifyError::Mismatch);
    /// # Ok::<(), Box<dyn core::error::Error>>(())
    /// ```
    #[must_use]
    pub fn into_error(self) -> VerifyError {
        self.error
    }
}

impl fmt::Display for Rejected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.error.fmt(f)
    }
}

impl core::error::Error for Rejected {
    fn source(&self) -> Option<&(dyn core::error::Error + 'static)> {
        Some(&self.error)
    }
}
