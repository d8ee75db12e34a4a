//! Enrolment, the service's side of adding an authenticator: a fresh secret shown as a URI (and
//! a QR code), then confirmed by the first code the user types. Nothing is active before that.

use alloc::boxed::Box;
use alloc::string::String;
use core::fmt;

use rand_core::CryptoRng;
use zeroize::Zeroizing;

use crate::credential::{Credential, Kind};
#[cfg(feature = "std")]
use crate::error::VerifyError;
use crate::secret::{self, Secret};
use crate::totp::Totp;
use crate::uri::KeyUri;
use crate::verify::Window;

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
/// use otpkit::enroll::{self, Enrollment};
/// use otpkit::verifier::{Outcome, Policy, State, Verifier};
///
/// // The service.
/// let enrollment = Enrollment::start("Example", "alice@example.com", enroll::Options::new())?;
/// let uri = enrollment.uri(); // shown as a QR code
///
/// // The authenticator reads the URI and shows a code.
/// let now = 1_700_000_000;
/// let app = otpkit::KeyUri::parse(&uri)?.credential().to_totp()?;
/// let code = app.generate(now)?;
///
/// // The service confirms it, and stores the credential with the state that counts the
/// // accepted step as used.
/// let confirmed = enrollment.confirm(code.as_str(), now + 3).map_err(|r| r.into_error())?;
/// let state = State::for_confirmed(&confirmed);
/// let verifier = Verifier::new(&confirmed.credential, Policy::default())?;
/// // That very code cannot log in again; the next one can.
/// assert_eq!(verifier.check(&state, code.as_str(), now + 5).0, Outcome::AlreadyUsed);
/// let next = app.generate(now + 30)?;
/// assert!(verifier.check(&state, next.as_str(), now + 30).0.is_accepted());
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
    /// [`Error::EmptyIssuer`], [`Error::EmptyAccount`], or
    /// [`Error::Generate`] if the operating system cannot provide random bytes.
    ///
    /// # Examples
    ///
    /// ```
    /// use otpkit::enroll::{self, Enrollment};
    ///
    /// let e = Enrollment::start("Example", "alice@example.com", enroll::Options::new())?;
    /// assert_eq!(e.secret().bits(), 160);
    /// assert!(e.uri().starts_with("otpauth://totp/Example:alice@example.com?secret="));
    /// # Ok::<(), otpkit::enroll::Error>(())
    /// ```
    #[cfg(feature = "std")]
    pub fn start(issuer: &str, account: &str, options: Options) -> Result<Self, Error> {
        check_names(issuer, account)?;
        let secret = Secret::generate_os_bits(options.secret_bits)?;
        Self::build(secret, issuer, account, options)
    }

    /// Starts an enrolment with a fresh secret from the caller's cryptographically secure
    /// generator (any `rand_core` 0.10 [`CryptoRng`]).
    ///
    /// # Errors
    ///
    /// [`Error::EmptyIssuer`], [`Error::EmptyAccount`].
    ///
    /// # Examples
    ///
    /// ```
    /// use otpkit::enroll::{self, Enrollment};
    ///
    /// let mut rng = rand_core::UnwrapErr(getrandom::SysRng);
    /// let options = enroll::Options::new().with_secret_bits(256)?;
    /// let e = Enrollment::start_with_rng("Example", "alice", options, &mut rng)?;
    /// assert_eq!(e.secret().bits(), 256);
    /// # Ok::<(), Box<dyn core::error::Error>>(())
    /// ```
    pub fn start_with_rng<R: CryptoRng + ?Sized>(
        issuer: &str,
        account: &str,
        options: Options,
        rng: &mut R,
    ) -> Result<Self, Error> {
        check_names(issuer, account)?;
        let secret = Secret::generate_bits(rng, options.secret_bits)?;
        Self::build(secret, issuer, account, options)
    }

    fn build(secret: Secret, issuer: &str, account: &str, options: Options) -> Result<Self, Error> {
        let credential =
            Credential::totp(secret, options.algorithm, options.digits, options.period)
                .map_err(|_| Error::NotTotp)?;
        Self::from_credential(credential, issuer, account)
    }

    fn from_credential(credential: Credential, issuer: &str, account: &str) -> Result<Self, Error> {
        let totp = credential.to_totp().map_err(|_| Error::NotTotp)?;
        let key = KeyUri::new(credential, Some(issuer), account).map_err(Error::Uri)?;
        Ok(Self { key, totp })
    }

    /// Rebuilds a pending enrolment from what a service stored between showing the QR code and
    /// reading the first code: the credential, issuer and account.
    ///
    /// # Errors
    ///
    /// [`Error::EmptyIssuer`], [`Error::EmptyAccount`], [`Error::NotTotp`]
    /// for an HOTP or Steam credential or a T0 other than 0, and [`Error::WeakSecret`]
    /// for a secret under 128 bits ([`secret::Strength::ISSUER`](crate::secret::Strength::ISSUER)).
    ///
    /// # Examples
    ///
    /// ```
    /// use otpkit::enroll::{self, Enrollment};
    ///
    /// let pending = Enrollment::start("Example", "alice", enroll::Options::new())?;
    /// let (credential, issuer, account) = (pending.credential().clone(), "Example", "alice");
    /// // … the next request …
    /// let resumed = Enrollment::resume(credential, issuer, account)?;
    /// assert_eq!(resumed.uri(), pending.uri());
    /// # Ok::<(), enroll::Error>(())
    /// ```
    pub fn resume(credential: Credential, issuer: &str, account: &str) -> Result<Self, Error> {
        check_names(issuer, account)?;
        if !matches!(credential.kind(), Kind::Totp { t0: 0, .. }) {
            return Err(Error::NotTotp);
        }
        secret::Strength::ISSUER
            .check(credential.secret())
            .map_err(Error::WeakSecret)?;
        Self::from_credential(credential, issuer, account)
    }

    /// The `otpauth://` URI to give the authenticator ([`KeyUri::to_uri`]: every parameter
    /// written out). It holds the secret; the string is wiped on drop.
    ///
    /// # Examples
    ///
    /// ```
    /// # use otpkit::enroll::{self, Enrollment};
    /// let e = Enrollment::start("ACME Co", "bob", enroll::Options::new())?;
    /// let uri = e.uri();
    /// assert!(uri.starts_with("otpauth://totp/ACME%20Co:bob?secret="));
    /// assert!(uri.ends_with("&issuer=ACME%20Co&algorithm=SHA1&digits=6&period=30"));
    /// # Ok::<(), otpkit::enroll::Error>(())
    /// ```
    #[must_use]
    pub fn uri(&self) -> Zeroizing<String> {
        self.key.to_uri()
    }

    /// The URI as a QR code, to draw as SVG or in a terminal.
    ///
    /// # Errors
    ///
    /// [`qr::Error::DataTooLong`](crate::qr::Error::DataTooLong)(crate::qr::Error::DataTooLong) if the issuer and account make the
    /// URI longer than a QR code holds (about 2300 bytes).
    ///
    /// # Examples
    ///
    /// ```
    /// # use otpkit::enroll::{self, Enrollment};
    /// let e = Enrollment::start("Example", "alice", enroll::Options::new())?;
    /// let svg = e.qr()?.to_svg();
    /// assert!(svg.starts_with("<svg"));
    /// # Ok::<(), Box<dyn core::error::Error>>(())
    /// ```
    #[cfg(feature = "qr")]
    pub fn qr(&self) -> Result<crate::qr::QrCode, crate::qr::Error> {
        crate::qr::QrCode::new(&self.uri())
    }

    /// The URI as a [`KeyUri`].
    ///
    /// # Examples
    ///
    /// ```
    /// # use otpkit::enroll::{self, Enrollment};
    /// let e = Enrollment::start("Example", "alice", enroll::Options::new())?;
    /// assert_eq!(e.key().issuer(), Some("Example"));
    /// assert_eq!(e.key().account(), "alice");
    /// # Ok::<(), otpkit::enroll::Error>(())
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
    /// # use otpkit::{credential::Kind, enroll::{self, Enrollment}};
    /// let e = Enrollment::start("Example", "alice", enroll::Options::new())?;
    /// assert_eq!(e.credential().kind(), Kind::Totp { period: 30, t0: 0 });
    /// # Ok::<(), otpkit::enroll::Error>(())
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
    /// # use otpkit::enroll::{self, Enrollment};
    /// let e = Enrollment::start("Example", "alice", enroll::Options::new())?;
    /// assert_eq!(e.secret().to_base32().len(), 32); // 160 bits
    /// # Ok::<(), otpkit::enroll::Error>(())
    /// ```
    #[must_use]
    pub fn secret(&self) -> &Secret {
        self.credential().secret()
    }

    /// Checks the first code the user typed, at unix time `time`, one step either way
    /// ([`Window::default`]).
    ///
    /// On success the enrolment is used up and becomes the [`Confirmed`] credential to store,
    /// with the step the code was accepted for: store the credential with
    /// [`State::for_confirmed`](crate::verifier::State::for_confirmed) and check later logins
    /// with [`Verifier::new`](crate::verifier::Verifier::new) (or [`Totp::verify_after`] from
    /// the step) so that this code cannot be used again. On failure the
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
    /// use otpkit::{VerifyError, enroll::{self, Enrollment}};
    ///
    /// let e = Enrollment::start("Example", "alice", enroll::Options::new())?;
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
    /// # use otpkit::enroll::{self, Enrollment};
    /// let e = Enrollment::start("Example", "alice", enroll::Options::new())?;
    /// let first = e.confirm("123456", 0);
    /// let uri = e.uri();
    /// # Ok::<(), otpkit::enroll::Error>(())
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
    /// As [`Enrollment::confirm`]; also `ClockBeforeUnixEpoch` if the clock reads before 1970,
    /// and `NoSystemClock` on a target without one.
    ///
    /// # Examples
    ///
    /// ```
    /// use otpkit::enroll::{self, Enrollment};
    ///
    /// let e = Enrollment::start("Example", "alice", enroll::Options::new())?;
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
                error: VerifyError::from(e),
            }),
        }
    }
}

fn check_names(issuer: &str, account: &str) -> Result<(), Error> {
    if issuer.trim().is_empty() {
        Err(Error::EmptyIssuer)
    } else if account.trim().is_empty() {
        Err(Error::EmptyAccount)
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

mod confirmed;
mod error;
mod options;
#[cfg(feature = "serde")]
mod serde_impl;
#[cfg(test)]
mod tests;

pub use confirmed::{Confirmed, Rejected};
pub use error::Error;
pub use options::Options;
