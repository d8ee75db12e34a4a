//! `Credential`: everything needed to generate and verify codes for one account, owned.

use core::fmt;
use core::num::NonZeroU64;

use crate::algorithm::Algorithm;
use crate::code::{Digits, Format};
use crate::error::Error;
use crate::hotp::Hotp;
use crate::secret::Secret;
use crate::totp::Totp;

/// What kind of one-time password a credential makes, with the parameters of that kind.
///
/// # Examples
///
/// ```
/// use otpkit::credential::Kind;
///
/// let kind = Kind::Totp { period: 30, t0: 0 };
/// assert_eq!(kind.name(), "totp");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Kind {
    /// Time-based (RFC 6238): `period` seconds per step (never 0), starting at unix time `t0`.
    Totp {
        /// Seconds per step, at least 1.
        period: u64,
        /// Unix time at which step 0 starts.
        t0: u64,
    },
    /// Counter-based (RFC 4226), with the counter of the next code.
    Hotp {
        /// The counter of the next code.
        counter: u64,
    },
    /// Steam Guard: SHA-1 TOTP with 30-second steps and five-character codes.
    Steam,
}

impl Kind {
    /// The lower-case name used by `otpauth://` URIs: `totp`, `hotp` or `steam`.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(otpkit::credential::Kind::Steam.name(), "steam");
    /// ```
    #[must_use]
    pub const fn name(&self) -> &'static str {
        match self {
            Self::Totp { .. } => "totp",
            Self::Hotp { .. } => "hotp",
            Self::Steam => "steam",
        }
    }
}

/// An account's one-time password credential: the secret, the algorithm, the number of digits
/// and the kind (TOTP with its period and T0, HOTP with its counter, or Steam Guard).
///
/// Every field is checked when it is built, so turning it into a [`Totp`] or [`Hotp`] cannot
/// fail for a bad parameter. The secret is wiped on drop and `Debug` does not show it.
///
/// # Examples
///
/// ```
/// use otpkit::{Algorithm, Credential, Digits, Secret};
///
/// let secret = Secret::from_base32("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ")?;
/// let cred = Credential::totp(secret, Algorithm::Sha1, Digits::EIGHT, 30)?;
/// let totp = cred.to_totp()?;
/// assert_eq!(totp.generate(59)?.as_str(), "94287082");
/// assert!(!format!("{cred:?}").contains("GEZD"));
/// # Ok::<(), Box<dyn core::error::Error>>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Credential {
    secret: Secret,
    algorithm: Algorithm,
    digits: Digits,
    kind: Kind,
}

impl Credential {
    /// A TOTP credential with `t0 = 0`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidPeriod`] for a period of 0.
    ///
    /// # Examples
    ///
    /// ```
    /// # use otpkit::{Algorithm, Credential, Digits, Error, Secret};
    /// let s = Secret::from_bytes(b"key")?;
    /// assert_eq!(Credential::totp(s, Algorithm::Sha1, Digits::SIX, 0).err(), Some(Error::InvalidPeriod));
    /// # Ok::<(), Error>(())
    /// ```
    pub fn totp(
        secret: Secret,
        algorithm: Algorithm,
        digits: Digits,
        period: u64,
    ) -> Result<Self, Error> {
        if period == 0 {
            return Err(Error::InvalidPeriod);
        }
        Ok(Self {
            secret,
            algorithm,
            digits,
            kind: Kind::Totp { period, t0: 0 },
        })
    }

    /// An HOTP credential whose next code is for `counter`.
    ///
    /// # Examples
    ///
    /// ```
    /// # use otpkit::{Algorithm, Credential, Digits, Secret, credential::Kind};
    /// let c = Credential::hotp(Secret::from_bytes(b"key")?, Algorithm::Sha1, Digits::SIX, 5);
    /// assert_eq!(c.kind(), Kind::Hotp { counter: 5 });
    /// # Ok::<(), otpkit::Error>(())
    /// ```
    #[must_use]
    pub fn hotp(secret: Secret, algorithm: Algorithm, digits: Digits, counter: u64) -> Self {
        Self {
            secret,
            algorithm,
            digits,
            kind: Kind::Hotp { counter },
        }
    }

    /// A Steam Guard credential (SHA-1, 30 s, five characters).
    ///
    /// # Examples
    ///
    /// ```
    /// # use otpkit::{Algorithm, Credential, Secret};
    /// let c = Credential::steam(Secret::from_bytes(b"key")?);
    /// assert_eq!(c.algorithm(), Algorithm::Sha1);
    /// assert_eq!(c.code_len(), 5);
    /// # Ok::<(), otpkit::Error>(())
    /// ```
    #[must_use]
    #[doc(alias = "new_steam")]
    pub fn steam(secret: Secret) -> Self {
        Self {
            secret,
            algorithm: Algorithm::Sha1,
            digits: Digits::SIX,
            kind: Kind::Steam,
        }
    }

    /// Sets T0 of a TOTP credential; other kinds are returned unchanged.
    ///
    /// # Examples
    ///
    /// ```
    /// # use otpkit::{Algorithm, Credential, Digits, Secret, credential::Kind};
    /// let c = Credential::totp(Secret::from_bytes(b"key")?, Algorithm::Sha1, Digits::SIX, 30)?.with_t0(60);
    /// assert_eq!(c.kind(), Kind::Totp { period: 30, t0: 60 });
    /// # Ok::<(), otpkit::Error>(())
    /// ```
    #[must_use]
    pub fn with_t0(mut self, t0: u64) -> Self {
        if let Kind::Totp { period, .. } = self.kind {
            self.kind = Kind::Totp { period, t0 };
        }
        self
    }

    /// The secret.
    ///
    /// # Examples
    ///
    /// ```
    /// # use otpkit::{Credential, Secret};
    /// let c = Credential::steam(Secret::from_bytes(b"key")?);
    /// assert_eq!(c.secret().as_bytes(), b"key");
    /// # Ok::<(), otpkit::Error>(())
    /// ```
    #[must_use]
    pub fn secret(&self) -> &Secret {
        &self.secret
    }

    /// The hash algorithm (always SHA-1 for Steam Guard).
    ///
    /// # Examples
    ///
    /// ```
    /// # use otpkit::{Algorithm, Credential, Digits, Secret};
    /// let c = Credential::hotp(Secret::from_bytes(b"key")?, Algorithm::Sha256, Digits::SIX, 0);
    /// assert_eq!(c.algorithm(), Algorithm::Sha256);
    /// # Ok::<(), otpkit::Error>(())
    /// ```
    #[must_use]
    pub fn algorithm(&self) -> Algorithm {
        self.algorithm
    }

    /// The number of digits of decimal codes. Steam Guard codes ignore it; see
    /// [`Credential::code_len`].
    ///
    /// # Examples
    ///
    /// ```
    /// # use otpkit::{Algorithm, Credential, Digits, Secret};
    /// let c = Credential::hotp(Secret::from_bytes(b"key")?, Algorithm::Sha1, Digits::EIGHT, 0);
    /// assert_eq!(c.digits(), Digits::EIGHT);
    /// # Ok::<(), otpkit::Error>(())
    /// ```
    #[must_use]
    pub fn digits(&self) -> Digits {
        self.digits
    }

    /// The length of the codes: the digits, or 5 for Steam Guard.
    ///
    /// # Examples
    ///
    /// ```
    /// # use otpkit::{Algorithm, Credential, Digits, Secret};
    /// let c = Credential::hotp(Secret::from_bytes(b"key")?, Algorithm::Sha1, Digits::SEVEN, 0);
    /// assert_eq!(c.code_len(), 7);
    /// # Ok::<(), otpkit::Error>(())
    /// ```
    #[must_use]
    pub fn code_len(&self) -> usize {
        usize::from(self.format().len())
    }

    /// The kind and its parameters.
    ///
    /// # Examples
    ///
    /// ```
    /// # use otpkit::{Credential, Secret, credential::Kind};
    /// assert_eq!(Credential::steam(Secret::from_bytes(b"key")?).kind(), Kind::Steam);
    /// # Ok::<(), otpkit::Error>(())
    /// ```
    #[must_use]
    pub fn kind(&self) -> Kind {
        self.kind
    }

    /// The TOTP period in seconds (30 for Steam Guard), or `None` for HOTP.
    ///
    /// # Examples
    ///
    /// ```
    /// # use otpkit::{Credential, Secret};
    /// assert_eq!(Credential::steam(Secret::from_bytes(b"key")?).period(), Some(30));
    /// # Ok::<(), otpkit::Error>(())
    /// ```
    #[must_use]
    pub fn period(&self) -> Option<u64> {
        match self.kind {
            Kind::Totp { period, .. } => Some(period),
            Kind::Steam => Some(Totp::DEFAULT_PERIOD),
            Kind::Hotp { .. } => None,
        }
    }

    /// The HOTP counter, or `None` for time-based kinds.
    ///
    /// # Examples
    ///
    /// ```
    /// # use otpkit::{Algorithm, Credential, Digits, Secret};
    /// let c = Credential::hotp(Secret::from_bytes(b"key")?, Algorithm::Sha1, Digits::SIX, 9);
    /// assert_eq!(c.counter(), Some(9));
    /// # Ok::<(), otpkit::Error>(())
    /// ```
    #[must_use]
    pub fn counter(&self) -> Option<u64> {
        match self.kind {
            Kind::Hotp { counter } => Some(counter),
            Kind::Totp { .. } | Kind::Steam => None,
        }
    }

    /// Replaces the HOTP counter (for example after a verification moved it); other kinds are
    /// returned unchanged.
    ///
    /// # Examples
    ///
    /// ```
    /// # use otpkit::{Algorithm, Credential, Digits, Secret};
    /// let c = Credential::hotp(Secret::from_bytes(b"key")?, Algorithm::Sha1, Digits::SIX, 0).with_counter(3);
    /// assert_eq!(c.counter(), Some(3));
    /// # Ok::<(), otpkit::Error>(())
    /// ```
    #[must_use]
    pub fn with_counter(mut self, counter: u64) -> Self {
        if let Kind::Hotp { .. } = self.kind {
            self.kind = Kind::Hotp { counter };
        }
        self
    }

    fn format(&self) -> Format {
        match self.kind {
            Kind::Steam => Format::Steam,
            Kind::Totp { .. } | Kind::Hotp { .. } => Format::Decimal(self.digits),
        }
    }

    /// The counter-based generator over this credential's key and code format. For TOTP and
    /// Steam it generates the code of a step number.
    ///
    /// # Errors
    ///
    /// [`Error::EmptyKey`] cannot happen for a [`Secret`], which is never empty; it is kept so
    /// that no path can panic.
    ///
    /// # Examples
    ///
    /// ```
    /// # use otpkit::{Algorithm, Credential, Digits, Secret};
    /// let c = Credential::hotp(Secret::from_bytes(b"12345678901234567890")?, Algorithm::Sha1, Digits::SIX, 0);
    /// assert_eq!(c.to_hotp()?.generate(0).as_str(), "755224");
    /// # Ok::<(), otpkit::Error>(())
    /// ```
    pub fn to_hotp(&self) -> Result<Hotp, Error> {
        Hotp::with_format(self.algorithm, self.secret.as_bytes(), self.format())
    }

    /// The time-based generator of a TOTP or Steam Guard credential.
    ///
    /// # Errors
    ///
    /// [`Error::NotTimeBased`] for an HOTP credential.
    ///
    /// # Examples
    ///
    /// ```
    /// # use otpkit::{Algorithm, Credential, Digits, Error, Secret};
    /// let c = Credential::hotp(Secret::from_bytes(b"key")?, Algorithm::Sha1, Digits::SIX, 0);
    /// assert_eq!(c.to_totp().err(), Some(Error::NotTimeBased));
    /// # Ok::<(), otpkit::Error>(())
    /// ```
    pub fn to_totp(&self) -> Result<Totp, Error> {
        let (period, t0) = match self.kind {
            Kind::Totp { period, t0 } => (period, t0),
            Kind::Steam => (Totp::DEFAULT_PERIOD, 0),
            Kind::Hotp { .. } => return Err(Error::NotTimeBased),
        };
        let period = NonZeroU64::new(period).ok_or(Error::InvalidPeriod)?;
        Ok(Totp::from_parts(self.to_hotp()?, period, t0))
    }
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credential")
            .field("secret", &self.secret)
            .field("algorithm", &self.algorithm)
            .field("digits", &self.digits)
            .field("kind", &self.kind)
            .finish()
    }
}
