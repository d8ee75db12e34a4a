//! Why an enrolment could not be started or resumed.

use core::fmt;

use crate::secret::{GenerateError, TooWeak};
use crate::uri::UriError;

/// An enrolment could not be started or resumed.
///
/// # Examples
///
/// ```
/// use otpkit::enroll::{self, Enrollment};
///
/// let err = Enrollment::start("", "alice", enroll::Options::new()).unwrap_err();
/// assert_eq!(err, enroll::Error::EmptyIssuer);
/// assert_eq!(err.to_string(), "issuer is empty");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Error {
    /// The issuer (the service's name, shown by the app) is empty.
    EmptyIssuer,
    /// The account name is empty.
    EmptyAccount,
    /// A resumed credential is not TOTP with T0 = 0, the only kind an enrolment makes.
    NotTotp,
    /// A resumed credential's secret is shorter than [`secret::Strength::ISSUER`](crate::secret::Strength::ISSUER) allows.
    WeakSecret(TooWeak),
    /// The secret could not be generated (the operating system's generator failed).
    Generate(GenerateError),
    /// The URI could not be built. Not expected for a TOTP credential with T0 = 0; kept so
    /// that no path can panic.
    Uri(UriError),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::EmptyIssuer => f.write_str("issuer is empty"),
            Self::EmptyAccount => f.write_str("account name is empty"),
            Self::NotTotp => f.write_str("an enrolment needs a totp credential with t0 = 0"),
            Self::WeakSecret(e) => write!(f, "weak secret: {e}"),
            Self::Generate(e) => write!(f, "cannot generate a secret: {e}"),
            Self::Uri(e) => write!(f, "cannot build the uri: {e}"),
        }
    }
}

impl core::error::Error for Error {
    fn source(&self) -> Option<&(dyn core::error::Error + 'static)> {
        match self {
            Self::WeakSecret(e) => Some(e),
            Self::Generate(e) => Some(e),
            Self::Uri(e) => Some(e),
            Self::EmptyIssuer | Self::EmptyAccount | Self::NotTotp => None,
        }
    }
}

impl From<GenerateError> for Error {
    fn from(e: GenerateError) -> Self {
        Self::Generate(e)
    }
}
