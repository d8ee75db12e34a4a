//! The parameters of the codes a new enrolment asks for.

use crate::algorithm::Algorithm;
use crate::code::Digits;
use crate::error::Error;
use crate::secret::{GenerateError, Secret};
use crate::totp::Totp;

/// The parameters of the codes a new enrolment asks the authenticator for.
///
/// The defaults (SHA-1, 6 digits, 30 seconds, a 160-bit secret) are the ones every
/// authenticator app honours. Some apps ignore `algorithm`, `digits` or `period` in a URI and
/// show SHA-1 6-digit 30-second codes anyway; confirming the first code is what catches that.
///
/// # Examples
///
/// ```
/// use otpkit::{Algorithm, Digits, enroll};
///
/// let options = enroll::Options::new()
///     .with_algorithm(Algorithm::Sha256)
///     .with_digits(Digits::EIGHT)
///     .with_period(60)?
///     .with_secret_bits(256)?;
/// assert_eq!(options.period(), 60);
/// assert_eq!(enroll::Options::default().secret_bits(), 160);
/// # Ok::<(), Box<dyn core::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Options {
    pub(super) algorithm: Algorithm,
    pub(super) digits: Digits,
    pub(super) period: u64,
    pub(super) secret_bits: usize,
}

impl Options {
    /// SHA-1, 6 digits, 30-second steps and a 160-bit secret.
    ///
    /// # Examples
    ///
    /// ```
    /// use otpkit::{Algorithm, Digits, enroll};
    ///
    /// let o = enroll::Options::new();
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
    /// # use otpkit::{Algorithm, enroll};
    /// assert_eq!(enroll::Options::new().with_algorithm(Algorithm::Sha512).algorithm(), Algorithm::Sha512);
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
    /// # use otpkit::{Digits, enroll};
    /// assert_eq!(enroll::Options::new().with_digits(Digits::EIGHT).digits(), Digits::EIGHT);
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
    /// # use otpkit::{Error, enroll};
    /// assert_eq!(enroll::Options::new().with_period(0), Err(Error::InvalidPeriod));
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
    /// The [`secret::GenerateError`](crate::secret::GenerateError) that [`Secret::generate_bits`] would return for that size.
    ///
    /// # Examples
    ///
    /// ```
    /// # use otpkit::{enroll, secret::GenerateError};
    /// assert_eq!(enroll::Options::new().with_secret_bits(80), Err(GenerateError::TooShort { bits: 80 }));
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
    /// assert_eq!(otpkit::enroll::Options::new().algorithm(), otpkit::Algorithm::Sha1);
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
    /// assert_eq!(otpkit::enroll::Options::new().digits(), otpkit::Digits::SIX);
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
    /// assert_eq!(otpkit::enroll::Options::new().period(), 30);
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
    /// assert_eq!(otpkit::enroll::Options::new().secret_bits(), 160);
    /// ```
    #[must_use]
    pub const fn secret_bits(&self) -> usize {
        self.secret_bits
    }
}

impl Default for Options {
    fn default() -> Self {
        Self::new()
    }
}
