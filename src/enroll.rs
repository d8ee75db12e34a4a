//! Enrolment, the service's side of adding an authenticator: a fresh secret shown as a URI (and
//! a QR code), then confirmed by the first code the user types. Nothing is active before that.

use alloc::boxed::Box;
use alloc::string::String;
use core::fmt;

use rand_core::CryptoRng;
use zeroize::Zeroizing;

use crate::algorithm::Algorithm;
use crate::code::Digits;
use crate::credential::{Credential, Kind};
use crate::error::{Error, VerifyError};
use crate::secret::{GenerateError, Secret};
use crate::strength::{SecretPolicy, WeakSecret};
use crate::totp::Totp;
use crate::uri::{KeyUri, UriError};
use crate::verify::Window;

/// The parameters of the codes a new enrolment asks the authenticator for.
///
/// The defaults (SHA-1, 6 digits, 30 seconds, a 160-bit secret) are the ones every
/// authenticator app honours. Some apps ignore `algorithm`, `digits` or `period` in a URI and
/// show SHA-1 6-digit 30-second codes anyway; confirming the first code is what catches that.
///
/// # Examples
///
/// ```
/// use otpkit::{Algorithm, Digits, EnrollOptions};
///
/// let options = EnrollOptions::new()
///     .with_algorithm(Algorithm::Sha256)
///     .with_digits(Digits::EIGHT)
///     .with_period(60)?
///     .with_secret_bits(256)?;
/// assert_eq!(options.period(), 60);
/// assert_eq!(EnrollOptions::default().secret_bits(), 160);
/// # Ok::<(), Box<dyn core::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct EnrollOptions {
    algorithm: Algorithm,
    digits: Digits,
    period: u64,
    secret_bits: usize,
}

impl EnrollOptions {
    /// SHA-1, 6 digits, 30-second steps and a 160-bit secret.
    ///
    /// # Examples
    ///
    /// ```
    /// use otpkit::{Algorithm, Digits, EnrollOptions};
    ///
    /// let o = EnrollOptions::new();
    /// assert_eq!((o.algorithm(), o.digits(), o.period(), o.secret_bits()), (Algorithm::Sha1, Digits::SIX, 30, 160));
    /// ```
    #[must_use]
    pub const fn new() -> Self {
        Self {
            algorithm: Algorithm::Sha1,
            digits: Digits::SIX,
            period: Totp::DEFAULT_PERIOD,
            secret_bits: Secret::DEFAULT_BITS,
        }
    }

    /// Sets the HMAC algorithm.
    ///
    /// # Examples
    ///
    /// ```
    /// # use otpkit::{Algorithm, EnrollOptions};
    /// assert_eq!(EnrollOptions::new().with_algorithm(Algorithm::Sha512).algorithm(), Algorithm::Sha512);
    /// ```
    #[must_use]
    pub const fn with_algorithm(mut self, algorithm: Algorithm) -> Self {
        self.algorithm = algorithm;
        self
    }

    /// Sets the number of digits.
    ///
    /// # Examples
    ///
    /// ```
    /// # use otpkit::{Digits, EnrollOptions};
    /// assert_eq!(EnrollOptions::new().with_digits(Digits::EIGHT).digits(), Digits::EIGHT);
    /// ```
    #[must_use]
    pub const fn with_digits(mut self, digits: Digits) -> Self {
        self.digits = digits;
        self
    }

    /// Sets the step length in seconds.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidPeriod`] for 0.
    ///
    /// # Examples
    ///
    /// ```
    /// # use otpkit::{EnrollOptions, Error};
    /// assert_eq!(EnrollOptions::new().with_period(0), Err(Error::InvalidPeriod));
    /// ```
    pub const fn with_period(mut self, seconds: u64) -> Result<Self, Error> {
        if seconds == 0 {
            return Err(Error::InvalidPeriod);
        }
        self.period = seconds;
        Ok(self)
    }

    /// Sets the size of the secret to generate: 128 to 1024 bits, in whole bytes.
    ///
    /// # Errors
    ///
    /// The [`GenerateError`] that [`Secret::generate_bits`] would return for that size.
    ///
    /// # Examples
    ///
    /// ```
    /// # use otpkit::{EnrollOptions, GenerateError};
    /// assert_eq!(EnrollOptions::new().with_secret_bits(80), Err(GenerateError::TooShort { bits: 80 }));
    /// ```
    pub fn with_secret_bits(mut self, bits: usize) -> Result<Self, GenerateError> {
        crate::secret::check_generated_bits(bits)?;
        self.secret_bits = bits;
        Ok(self)
    }

    /// The HMAC algorithm.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(otpkit::EnrollOptions::new().algorithm(), otpkit::Algorithm::Sha1);
    /// ```
    #[must_use]
    pub const fn algorithm(&self) -> Algorithm {
        self.algorithm
    }

    /// The number of digits.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(otpkit::EnrollOptions::new().digits(), otpkit::Digits::SIX);
    /// ```
    #[must_use]
    pub const fn digits(&self) -> Digits {
        self.digits
    }

    /// The step length in seconds.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(otpkit::EnrollOptions::new().period(), 30);
    /// ```
    #[must_use]
    pub const fn period(&self) -> u64 {
        self.period
    }

    /// The size of the secret to generate, in bits.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(otpkit::EnrollOptions::new().secret_bits(), 160);
    /// ```
    #[must_use]
    pub const fn secret_bits(&self) -> usize {
        self.secret_bits
    }
}

impl Default for EnrollOptions {
    fn default() -> Self {
        Self::new()
    }
}

/// An enrolment could not be started or resumed.
///
/// # Examples
///
/// ```
/// use otpkit::{EnrollError, EnrollOptions, Enrollment};
///
/// let err = Enrollment::start("", "alice", EnrollOptions::new()).unwrap_err();
/// assert_eq!(err, EnrollError::EmptyIssuer);
/// assert_eq!(err.to_string(), "issuer is empty");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum EnrollError {
    /// The issuer (the service's name, shown by the app) is empty.
    EmptyIssuer,
    /// The account name is empty.
    EmptyAccount,
    /// A resumed credential is not TOTP with T0 = 0, the only kind an enrolment makes.
    NotTotp,
    /// A resumed credential's secret is shorter than [`SecretPolicy::ISSUER`] allows.
    WeakSecret(WeakSecret),
    /// The secret could not be generated (the operating system's generator failed).
    Generate(GenerateError),
    /// The URI could not be built. Not expected for a TOTP credential with T0 = 0; kept so
    /// that no path can panic.
    Uri(UriError),
}

impl fmt::Display for EnrollError {
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

impl core::error::Error for EnrollError {
    fn source(&self) -> Option<&(dyn core::error::Error + 'static)> {
        match self {
            Self::WeakSecret(e) => Some(e),
            Self::Generate(e) => Some(e),
            Self::Uri(e) => Some(e),
            _ => None,
        }
    }
}

impl From<GenerateError> for EnrollError {
    fn from(e: GenerateError) -> Self {
        Self::Generate(e)
    }
}

/// A pending enrolment of a TOTP authenticator: a fresh secret for (issuer, account), waiting
/// for the user's first code.
///
/// Show the user [`Enrollment::uri`] (as a QR code with [`Enrollment::qr`] under the `qr`
/// feature, or the base32 secret from [`Enrollment::secret`] to type in), then pass the first
/// code they read off their app to [`Enrollment::confirm`]. Only a code that verifies turns
/// the enrolment into a [`Confirmed`] credential; an enrolment that is dropped, or never
/// confirmed, leaves nothing to activate. Keep it between the two requests in server-side
/// session storage, encrypted like any stored secret ([`Enrollment::resume`] rebuilds it from
/// its parts, and it serializes under the `serde` feature).
///
/// The secret is wiped on drop and `Debug` does not show it.
///
/// # Examples
///
/// ```
/// use otpkit::{EnrollOptions, Enrollment, VerifyError, Window};
///
/// // The service.
/// let enrollment = Enrollment::start("Example", "alice@example.com", EnrollOptions::new())?;
/// let uri = enrollment.uri(); // shown as a QR code
///
/// // The authenticator reads the URI and shows a code.
/// let now = 1_700_000_000;
/// let app = otpkit::KeyUri::parse(&uri)?.credential().to_totp()?;
/// let code = app.generate(now)?;
///
/// // The service confirms it, and stores the credential with the accepted step.
/// let confirmed = enrollment.confirm(code.as_str(), now + 3).map_err(|r| r.into_error())?;
/// let totp = confirmed.credential.to_totp()?;
/// // That very code cannot log in again.
/// assert_eq!(
///     totp.verify_after(code.as_str(), now + 5, Window::default(), confirmed.step),
///     Err(VerifyError::Replayed)
/// );
/// # Ok::<(), Box<dyn core::error::Error>>(())
/// ```
pub struct Enrollment {
    key: KeyUri,
    totp: Totp,
}

impl Enrollment {
    /// Starts an enrolment with a fresh secret from the operating system's generator.
    ///
    /// # Errors
    ///
    /// [`EnrollError::EmptyIssuer`], [`EnrollError::EmptyAccount`], or
    /// [`EnrollError::Generate`] if the operating system cannot provide random bytes.
    ///
    /// # Examples
    ///
    /// ```
    /// use otpkit::{EnrollOptions, Enrollment};
    ///
    /// let e = Enrollment::start("Example", "alice@example.com", EnrollOptions::new())?;
    /// assert_eq!(e.secret().bits(), 160);
    /// assert!(e.uri().starts_with("otpauth://totp/Example:alice@example.com?secret="));
    /// # Ok::<(), otpkit::EnrollError>(())
    /// ```
    #[cfg(feature = "std")]
    pub fn start(issuer: &str, account: &str, options: EnrollOptions) -> Result<Self, EnrollError> {
        check_names(issuer, account)?;
        let secret = Secret::generate_os_bits(options.secret_bits)?;
        Self::build(secret, issuer, account, options)
    }

    /// Starts an enrolment with a fresh secret from the caller's cryptographically secure
    /// generator (any `rand_core` 0.10 [`CryptoRng`]).
    ///
    /// # Errors
    ///
    /// [`EnrollError::EmptyIssuer`], [`EnrollError::EmptyAccount`].
    ///
    /// # Examples
    ///
    /// ```
    /// use otpkit::{EnrollOptions, Enrollment};
    ///
    /// let mut rng = rand_core::UnwrapErr(getrandom::SysRng);
    /// let options = EnrollOptions::new().with_secret_bits(256)?;
    /// let e = Enrollment::start_with_rng("Example", "alice", options, &mut rng)?;
    /// assert_eq!(e.secret().bits(), 256);
    /// # Ok::<(), Box<dyn core::error::Error>>(())
    /// ```
    pub fn start_with_rng<R: CryptoRng + ?Sized>(
        issuer: &str,
        account: &str,
        options: EnrollOptions,
        rng: &mut R,
    ) -> Result<Self, EnrollError> {
        check_names(issuer, account)?;
        let secret = Secret::generate_bits(rng, options.secret_bits)?;
        Self::build(secret, issuer, account, options)
    }

    fn build(
        secret: Secret,
        issuer: &str,
        account: &str,
        options: EnrollOptions,
    ) -> Result<Self, EnrollError> {
        let credential =
            Credential::totp(secret, options.algorithm, options.digits, options.period)
                .map_err(|_| EnrollError::NotTotp)?;
        Self::from_credential(credential, issuer, account)
    }

    fn from_credential(
        credential: Credential,
        issuer: &str,
        account: &str,
    ) -> Result<Self, EnrollError> {
        let totp = credential.to_totp().map_err(|_| EnrollError::NotTotp)?;
        let key = KeyUri::new(credential, Some(issuer), account).map_err(EnrollError::Uri)?;
        Ok(Self { key, totp })
    }

    /// Rebuilds a pending enrolment from what a service stored between showing the QR code and
    /// reading the first code: the credential, issuer and account.
    ///
    /// # Errors
    ///
    /// [`EnrollError::EmptyIssuer`], [`EnrollError::EmptyAccount`], [`EnrollError::NotTotp`]
    /// for an HOTP or Steam credential or a T0 other than 0, and [`EnrollError::WeakSecret`]
    /// for a secret under 128 bits ([`SecretPolicy::ISSUER`]).
    ///
    /// # Examples
    ///
    /// ```
    /// use otpkit::{EnrollError, EnrollOptions, Enrollment};
    ///
    /// let pending = Enrollment::start("Example", "alice", EnrollOptions::new())?;
    /// let (credential, issuer, account) = (pending.credential().clone(), "Example", "alice");
    /// // … the next request …
    /// let resumed = Enrollment::resume(credential, issuer, account)?;
    /// assert_eq!(resumed.uri(), pending.uri());
    /// # Ok::<(), EnrollError>(())
    /// ```
    pub fn resume(
        credential: Credential,
        issuer: &str,
        account: &str,
    ) -> Result<Self, EnrollError> {
        check_names(issuer, account)?;
        if !matches!(credential.kind(), Kind::Totp { t0: 0, .. }) {
            return Err(EnrollError::NotTotp);
        }
        SecretPolicy::ISSUER
            .check(credential.secret())
            .map_err(EnrollError::WeakSecret)?;
        Self::from_credential(credential, issuer, account)
    }

    /// The `otpauth://` URI to give the authenticator ([`KeyUri::to_uri`]: every parameter
    /// written out). It holds the secret; the string is wiped on drop.
    ///
    /// # Examples
    ///
    /// ```
    /// # use otpkit::{EnrollOptions, Enrollment};
    /// let e = Enrollment::start("ACME Co", "bob", EnrollOptions::new())?;
    /// let uri = e.uri();
    /// assert!(uri.starts_with("otpauth://totp/ACME%20Co:bob?secret="));
    /// assert!(uri.ends_with("&issuer=ACME%20Co&algorithm=SHA1&digits=6&period=30"));
    /// # Ok::<(), otpkit::EnrollError>(())
    /// ```
    #[must_use]
    pub fn uri(&self) -> Zeroizing<String> {
        self.key.to_uri()
    }

    /// The URI as a QR code, to draw as SVG or in a terminal.
    ///
    /// # Errors
    ///
    /// [`QrError::DataTooLong`](crate::QrError::DataTooLong) if the issuer and account make the
    /// URI longer than a QR code holds (about 2300 bytes).
    ///
    /// # Examples
    ///
    /// ```
    /// # use otpkit::{EnrollOptions, Enrollment};
    /// let e = Enrollment::start("Example", "alice", EnrollOptions::new())?;
    /// let svg = e.qr()?.to_svg();
    /// assert!(svg.starts_with("<svg"));
    /// # Ok::<(), Box<dyn core::error::Error>>(())
    /// ```
    #[cfg(feature = "qr")]
    pub fn qr(&self) -> Result<crate::qr::QrCode, crate::qr::QrError> {
        crate::qr::QrCode::new(&self.uri())
    }

    /// The URI as a [`KeyUri`].
    ///
    /// # Examples
    ///
    /// ```
    /// # use otpkit::{EnrollOptions, Enrollment};
    /// let e = Enrollment::start("Example", "alice", EnrollOptions::new())?;
    /// assert_eq!(e.key().issuer(), Some("Example"));
    /// assert_eq!(e.key().account(), "alice");
    /// # Ok::<(), otpkit::EnrollError>(())
    /// ```
    #[must_use]
    pub fn key(&self) -> &KeyUri {
        &self.key
    }

    /// The pending credential. Nothing should accept codes from it before
    /// [`Enrollment::confirm`] succeeds.
    ///
    /// # Examples
    ///
    /// ```
    /// # use otpkit::{EnrollOptions, Enrollment, Kind};
    /// let e = Enrollment::start("Example", "alice", EnrollOptions::new())?;
    /// assert_eq!(e.credential().kind(), Kind::Totp { period: 30, t0: 0 });
    /// # Ok::<(), otpkit::EnrollError>(())
    /// ```
    #[must_use]
    pub fn credential(&self) -> &Credential {
        self.key.credential()
    }

    /// The new secret, for users who type it in instead of scanning: show
    /// [`Secret::to_base32`].
    ///
    /// # Examples
    ///
    /// ```
    /// # use otpkit::{EnrollOptions, Enrollment};
    /// let e = Enrollment::start("Example", "alice", EnrollOptions::new())?;
    /// assert_eq!(e.secret().to_base32().len(), 32); // 160 bits
    /// # Ok::<(), otpkit::EnrollError>(())
    /// ```
    #[must_use]
    pub fn secret(&self) -> &Secret {
        self.credential().secret()
    }

    /// Checks the first code the user typed, at unix time `time`, one step either way
    /// ([`Window::default`]).
    ///
    /// On success the enrolment is used up and becomes the [`Confirmed`] credential to store,
    /// with the step the code was accepted for: store both, and verify later logins with
    /// [`Totp::verify_after`] so that this code cannot be used again. On failure the
    /// enrolment comes back inside [`Rejected`], to try again.
    ///
    /// # Errors
    ///
    /// [`Rejected`], with the [`VerifyError`]: `Malformed` for text that is not a code of the
    /// right length, `Mismatch` for a wrong code.
    ///
    /// # Examples
    ///
    /// ```
    /// use otpkit::{EnrollOptions, Enrollment, VerifyError};
    ///
    /// let e = Enrollment::start("Example", "alice", EnrollOptions::new())?;
    /// let now = 1_700_000_000;
    /// let wrong = if e.credential().to_totp()?.generate(now)?.as_str() == "000000" { "111111" } else { "000000" };
    /// let rejected = e.confirm(wrong, now).unwrap_err();
    /// assert_eq!(rejected.error(), VerifyError::Mismatch);
    ///
    /// let e = rejected.into_enrollment(); // the same secret: the user tries again
    /// let code = e.credential().to_totp()?.generate(now)?;
    /// let confirmed = e.confirm(code.as_str(), now).map_err(|r| r.into_error())?;
    /// assert_eq!(confirmed.step, now / 30);
    /// # Ok::<(), Box<dyn core::error::Error>>(())
    /// ```
    ///
    /// A confirmed enrolment is gone; it cannot be confirmed, or shown, again:
    ///
    /// ```compile_fail
    /// # use otpkit::{EnrollOptions, Enrollment};
    /// let e = Enrollment::start("Example", "alice", EnrollOptions::new())?;
    /// let first = e.confirm("123456", 0);
    /// let uri = e.uri();
    /// # Ok::<(), otpkit::EnrollError>(())
    /// ```
    pub fn confirm(self, code: &str, time: u64) -> Result<Confirmed, Rejected> {
        match self.totp.verify(code, time, Window::default()) {
            Ok(m) => Ok(Confirmed {
                credential: self.key.credential().clone(),
                step: m.step,
                offset: m.offset,
            }),
            Err(error) => Err(Rejected {
                enrollment: Box::new(self),
                error,
            }),
        }
    }

    /// [`Enrollment::confirm`] at the system clock's time.
    ///
    /// # Errors
    ///
    /// As [`Enrollment::confirm`]; also [`VerifyError::ClockBeforeUnixEpoch`] if the clock
    /// reads before 1970, and [`VerifyError::NoSystemClock`] on `wasm32-unknown-unknown`,
    /// where std has no clock (there, pass the time to [`Enrollment::confirm`]).
    ///
    /// # Examples
    ///
    /// ```
    /// use otpkit::{EnrollOptions, Enrollment};
    ///
    /// let e = Enrollment::start("Example", "alice", EnrollOptions::new())?;
    /// let code = e.credential().to_totp()?.generate_now()?;
    /// assert!(e.confirm_now(code.as_str()).is_ok());
    /// # Ok::<(), Box<dyn core::error::Error>>(())
    /// ```
    #[cfg(feature = "std")]
    pub fn confirm_now(self, code: &str) -> Result<Confirmed, Rejected> {
        match crate::clock::now() {
            Ok(now) => self.confirm(code, now),
            Err(e) => Err(Rejected {
                enrollment: Box::new(self),
                error: e.into(),
            }),
        }
    }
}

fn check_names(issuer: &str, account: &str) -> Result<(), EnrollError> {
    if issuer.trim().is_empty() {
        Err(EnrollError::EmptyIssuer)
    } else if account.trim().is_empty() {
        Err(EnrollError::EmptyAccount)
    } else {
        Ok(())
    }
}

impl fmt::Debug for Enrollment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Enrollment")
            .field("key", &self.key)
            .finish_non_exhaustive()
    }
}

/// A confirmed enrolment: the credential to store for the account, and the step of the code
/// that confirmed it.
///
/// Store `step` as the account's last accepted step and verify every later login with
/// [`Totp::verify_after`], so the confirming code cannot be replayed. `offset` is how many
/// steps the user's clock was off (−1, 0 or +1), a first sample for drift tracking.
/// Serializable under the `serde` feature (the secret as base32 in human-readable formats).
///
/// # Examples
///
/// ```
/// use otpkit::{EnrollOptions, Enrollment, Window};
///
/// let e = Enrollment::start("Example", "alice", EnrollOptions::new())?;
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
/// use otpkit::{EnrollOptions, Enrollment, VerifyError, CodeError};
///
/// let e = Enrollment::start("Example", "alice", EnrollOptions::new())?;
/// let rejected = e.confirm("12345", 0).unwrap_err();
/// assert_eq!(rejected.error(), VerifyError::Malformed(CodeError::WrongLength { expected: 6, found: 5 }));
/// assert_eq!(rejected.to_string(), "malformed code: code must have 6 characters, got 5");
/// let _again = rejected.into_enrollment();
/// # Ok::<(), otpkit::EnrollError>(())
/// ```
#[derive(Debug)]
pub struct Rejected {
    // Boxed: an enrolment holds keyed HMAC states, too large to pass back by value in an `Err`.
    enrollment: Box<Enrollment>,
    error: VerifyError,
}

impl Rejected {
    /// Why the code was refused.
    ///
    /// # Examples
    ///
    /// ```
    /// # use otpkit::{EnrollOptions, Enrollment, VerifyError, CodeError};
    /// let e = Enrollment::start("Example", "alice", EnrollOptions::new())?;
    /// assert_eq!(e.confirm("12a456", 0).unwrap_err().error(), VerifyError::Malformed(CodeError::InvalidCharacter { position: 2 }));
    /// # Ok::<(), otpkit::EnrollError>(())
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
    /// # use otpkit::{EnrollOptions, Enrollment};
    /// let e = Enrollment::start("Example", "alice", EnrollOptions::new())?;
    /// let uri = e.uri();
    /// assert_eq!(e.confirm("", 0).unwrap_err().into_enrollment().uri(), uri);
    /// # Ok::<(), otpkit::EnrollError>(())
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
    /// # use otpkit::{EnrollOptions, Enrollment, VerifyError};
    /// let e = Enrollment::start("Example", "alice", EnrollOptions::new())?;
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

#[cfg(feature = "serde")]
mod serde_impls {
    //! A pending enrolment is stored between two requests: it serializes as its credential,
    //! issuer and account, and is rebuilt through [`Enrollment::resume`], which checks them.

    use alloc::string::String;

    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use super::Enrollment;
    use crate::credential::Credential;

    #[derive(Serialize)]
    struct PendingRef<'a> {
        credential: &'a Credential,
        issuer: &'a str,
        account: &'a str,
    }

    #[derive(Deserialize)]
    struct Pending {
        credential: Credential,
        issuer: String,
        account: String,
    }

    impl Serialize for Enrollment {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            PendingRef {
                credential: self.credential(),
                issuer: self.key.issuer().unwrap_or(""),
                account: self.key.account(),
            }
            .serialize(serializer)
        }
    }

    impl<'de> Deserialize<'de> for Enrollment {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            let p = Pending::deserialize(deserializer)?;
            Enrollment::resume(p.credential, &p.issuer, &p.account)
                .map_err(serde::de::Error::custom)
        }
    }
}

#[cfg(test)]
mod tests;
