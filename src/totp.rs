//! TOTP (RFC 6238): codes from the time, the countdown, and windowed verification with replay
//! protection.

use core::fmt;
use core::num::NonZeroU64;

use crate::algorithm::Algorithm;
use crate::code::{Code, Digits, Format, TypedCode};
use crate::error::{Error, VerifyError};
use crate::hotp::Hotp;
use crate::verify::{Match, Window, offset, scan};
#[cfg(feature = "std")]
use {crate::clock, std::time::SystemTime};

/// A TOTP generator and verifier (RFC 6238), keyed once when built.
///
/// The step of a unix time `t` is `(t - t0) / period` (RFC 6238 §4.2); its code is the HOTP
/// code of that step. Times are `u64` unix **seconds**; a time before `t0` is an error, never
/// a wrap-around, and so is a time after the start of year 5000 ([`Totp::MAX_TIME`]), which is
/// a time in milliseconds passed by mistake ([`Error::TimeInMilliseconds`]). Under `std`,
/// [`Totp::generate_at`], [`Totp::verify_at`] and [`Totp::seconds_left_at`] take a
/// [`SystemTime`](std::time::SystemTime) instead, which cannot be confused.
///
/// # Examples
///
/// ```
/// use otpkit::{Algorithm, Digits, Totp, Window};
///
/// // RFC 6238 Appendix B, SHA-1 at T = 59.
/// let totp = Totp::new(Algorithm::Sha1, b"12345678901234567890", Digits::EIGHT, 30)?;
/// assert_eq!(totp.generate(59)?.as_str(), "94287082");
/// assert_eq!(totp.seconds_left(59)?, 1);
///
/// let m = totp.verify("94287082", 59, Window::default()).unwrap();
/// assert_eq!((m.step, m.offset), (1, 0));
/// # Ok::<(), otpkit::Error>(())
/// ```
#[derive(Clone)]
pub struct Totp {
    hotp: Hotp,
    period: NonZeroU64,
    t0: u64,
}

impl Totp {
    /// The period nearly every service uses, and the default of `otpauth://` URIs.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(otpkit::Totp::steam(b"key")?.period(), otpkit::Totp::DEFAULT_PERIOD);
    /// # Ok::<(), otpkit::Error>(())
    /// ```
    pub const DEFAULT_PERIOD: u64 = 30;

    /// The latest unix time accepted: 95 617 584 000, the first second of year 5000 (UTC).
    ///
    /// A later `u64` time is refused with [`Error::TimeInMilliseconds`] (wrapped in
    /// [`VerifyError::Setup`] when verifying): it is almost surely milliseconds, such as
    /// JavaScript's `Date.now()` or Java's `System.currentTimeMillis()`, and any time in
    /// milliseconds after early 1973 is larger than this. Refusing is better than quietly
    /// computing the code of a step some 50 000 years away, which no authenticator shows.
    ///
    /// # Examples
    ///
    /// ```
    /// use otpkit::{Algorithm, Digits, Error, Totp};
    ///
    /// let totp = Totp::new(Algorithm::Sha1, b"12345678901234567890", Digits::SIX, 30)?;
    /// assert!(totp.generate(Totp::MAX_TIME).is_ok());
    /// let millis = 1_700_000_000_000; // November 2023, in milliseconds
    /// assert_eq!(totp.generate(millis), Err(Error::TimeInMilliseconds));
    /// assert_eq!(
    ///     Error::TimeInMilliseconds.to_string(),
    ///     "time is after year 5000: pass unix seconds, not milliseconds"
    /// );
    /// assert_eq!(totp.generate(millis / 1000), totp.generate(1_700_000_000));
    /// # Ok::<(), otpkit::Error>(())
    /// ```
    pub const MAX_TIME: u64 = 95_617_584_000;

    /// Keys a TOTP generator with `period` seconds per step and `t0 = 0`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidPeriod`] for a period of 0, [`Error::EmptyKey`] for an empty key.
    ///
    /// # Examples
    ///
    /// ```
    /// use otpkit::{Algorithm, Digits, Error, Totp};
    ///
    /// assert!(Totp::new(Algorithm::Sha256, b"key", Digits::SIX, 60).is_ok());
    /// assert_eq!(Totp::new(Algorithm::Sha1, b"key", Digits::SIX, 0).err(), Some(Error::InvalidPeriod));
    /// ```
    #[doc(alias = "from_rfc6238")]
    pub fn new(
        algorithm: Algorithm,
        key: &[u8],
        digits: Digits,
        period: u64,
    ) -> Result<Self, Error> {
        let period = NonZeroU64::new(period).ok_or(Error::InvalidPeriod)?;
        Ok(Self::from_parts(
            Hotp::new(algorithm, key, digits)?,
            period,
            0,
        ))
    }

    /// A Steam Guard generator: SHA-1, 30-second steps, five characters from
    /// `23456789BCDFGHJKMNPQRTVWXY`.
    ///
    /// # Errors
    ///
    /// [`Error::EmptyKey`] for an empty key.
    ///
    /// # Examples
    ///
    /// ```
    /// let steam = otpkit::Totp::steam(b"12345678901234567890")?;
    /// let code = steam.generate(59)?;
    /// assert_eq!(code.len(), 5);
    /// assert!(code.as_str().bytes().all(|c| b"23456789BCDFGHJKMNPQRTVWXY".contains(&c)));
    /// # Ok::<(), otpkit::Error>(())
    /// ```
    #[doc(alias = "new_steam")]
    pub fn steam(key: &[u8]) -> Result<Self, Error> {
        let period = NonZeroU64::MIN.saturating_add(Self::DEFAULT_PERIOD - 1);
        Ok(Self::from_parts(
            Hotp::with_format(Algorithm::Sha1, key, Format::Steam)?,
            period,
            0,
        ))
    }

    pub(crate) fn from_parts(hotp: Hotp, period: NonZeroU64, t0: u64) -> Self {
        Self { hotp, period, t0 }
    }

    /// Sets the epoch T0, the unix time at which step 0 starts (RFC 6238 §4.1).
    ///
    /// # Examples
    ///
    /// ```
    /// # use otpkit::{Algorithm, Digits, Totp};
    /// let totp = Totp::new(Algorithm::Sha1, b"key", Digits::SIX, 30)?.with_t0(1000);
    /// assert_eq!(totp.step(1000)?, 0);
    /// assert_eq!(totp.step(1030)?, 1);
    /// assert!(totp.step(999).is_err());
    /// # Ok::<(), otpkit::Error>(())
    /// ```
    #[must_use]
    pub fn with_t0(mut self, t0: u64) -> Self {
        self.t0 = t0;
        self
    }

    /// The period in seconds.
    ///
    /// # Examples
    ///
    /// ```
    /// # use otpkit::{Algorithm, Digits, Totp};
    /// assert_eq!(Totp::new(Algorithm::Sha1, b"key", Digits::SIX, 60)?.period(), 60);
    /// # Ok::<(), otpkit::Error>(())
    /// ```
    #[must_use]
    pub fn period(&self) -> u64 {
        self.period.get()
    }

    /// The epoch T0 in unix seconds.
    ///
    /// # Examples
    ///
    /// ```
    /// # use otpkit::{Algorithm, Digits, Totp};
    /// assert_eq!(Totp::new(Algorithm::Sha1, b"key", Digits::SIX, 30)?.t0(), 0);
    /// # Ok::<(), otpkit::Error>(())
    /// ```
    #[must_use]
    pub fn t0(&self) -> u64 {
        self.t0
    }

    /// The HOTP generator underneath: the same key, algorithm and code format.
    ///
    /// # Examples
    ///
    /// ```
    /// # use otpkit::{Algorithm, Digits, Totp};
    /// let totp = Totp::new(Algorithm::Sha1, b"12345678901234567890", Digits::EIGHT, 30)?;
    /// assert_eq!(totp.hotp().generate(1), totp.generate(59)?);
    /// # Ok::<(), otpkit::Error>(())
    /// ```
    #[must_use]
    pub fn hotp(&self) -> &Hotp {
        &self.hotp
    }

    /// The hash algorithm under HMAC.
    ///
    /// # Examples
    ///
    /// ```
    /// # use otpkit::{Algorithm, Digits, Totp};
    /// assert_eq!(Totp::steam(b"key")?.algorithm(), Algorithm::Sha1);
    /// # Ok::<(), otpkit::Error>(())
    /// ```
    #[must_use]
    pub fn algorithm(&self) -> Algorithm {
        self.hotp.algorithm()
    }

    /// The step number of unix time `time` (seconds): `(time - t0) / period`.
    ///
    /// # Errors
    ///
    /// [`Error::TimeInMilliseconds`] when `time` is after [`Totp::MAX_TIME`],
    /// [`Error::TimeBeforeT0`] when `time < t0`.
    ///
    /// # Examples
    ///
    /// ```
    /// # use otpkit::{Algorithm, Digits, Error, Totp};
    /// let totp = Totp::new(Algorithm::Sha1, b"key", Digits::SIX, 30)?;
    /// assert_eq!(totp.step(1_111_111_109)?, 37_037_036);
    /// assert_eq!(totp.step(Totp::MAX_TIME)?, Totp::MAX_TIME / 30);
    /// assert_eq!(totp.step(1_111_111_109_000), Err(Error::TimeInMilliseconds));
    /// # Ok::<(), otpkit::Error>(())
    /// ```
    pub fn step(&self, time: u64) -> Result<u64, Error> {
        Ok(self.since_t0(time)? / self.period)
    }

    /// Seconds from T0 to `time`, once `time` is known to be seconds.
    fn since_t0(&self, time: u64) -> Result<u64, Error> {
        if time > Self::MAX_TIME {
            return Err(Error::TimeInMilliseconds);
        }
        time.checked_sub(self.t0).ok_or(Error::TimeBeforeT0)
    }

    /// Seconds until the code of `time` changes: from `period` (just changed) down to 1.
    ///
    /// # Errors
    ///
    /// As [`Totp::step`].
    ///
    /// # Examples
    ///
    /// ```
    /// # use otpkit::{Algorithm, Digits, Totp};
    /// let totp = Totp::new(Algorithm::Sha1, b"key", Digits::SIX, 30)?;
    /// assert_eq!(totp.seconds_left(60)?, 30);
    /// assert_eq!(totp.seconds_left(89)?, 1);
    /// # Ok::<(), otpkit::Error>(())
    /// ```
    pub fn seconds_left(&self, time: u64) -> Result<u64, Error> {
        let since = self.since_t0(time)?;
        Ok(self.period.get() - since % self.period)
    }

    /// The code at unix time `time` (seconds).
    ///
    /// # Errors
    ///
    /// As [`Totp::step`].
    ///
    /// # Examples
    ///
    /// ```
    /// # use otpkit::{Algorithm, Digits, Totp};
    /// let totp = Totp::new(Algorithm::Sha1, b"12345678901234567890", Digits::EIGHT, 30)?;
    /// assert_eq!(totp.generate(1_111_111_109)?.as_str(), "07081804");
    /// # Ok::<(), otpkit::Error>(())
    /// ```
    pub fn generate(&self, time: u64) -> Result<Code, Error> {
        Ok(self.generate_at_step(self.step(time)?))
    }

    /// The code of step `step`, a step number (as [`Totp::step`] returns), not a time.
    ///
    /// # Examples
    ///
    /// ```
    /// # use otpkit::{Algorithm, Digits, Totp};
    /// let totp = Totp::new(Algorithm::Sha1, b"12345678901234567890", Digits::EIGHT, 30)?;
    /// assert_eq!(totp.generate_at_step(1).as_str(), "94287082");
    /// # Ok::<(), otpkit::Error>(())
    /// ```
    #[must_use]
    pub fn generate_at_step(&self, step: u64) -> Code {
        self.hotp.generate(step)
    }

    /// The codes of the step at `time` and the steps after it, one per slot of `out`, without
    /// allocating: what `code --window` or an authenticator showing the next code near a
    /// rollover needs. As [`Hotp::generate_batch`], whose staged HMACs make this cheaper than
    /// one [`Totp::generate_at_step`] per slot; returns the number of slots filled.
    ///
    /// # Errors
    ///
    /// As [`Totp::generate`].
    ///
    /// # Examples
    ///
    /// ```
    /// use otpkit::{Algorithm, Code, Digits, Totp};
    ///
    /// let totp = Totp::new(Algorithm::Sha1, b"12345678901234567890", Digits::EIGHT, 30)?;
    /// let mut codes = [Code::default(); 3];
    /// assert_eq!(totp.generate_batch(59, &mut codes)?, 3);
    /// assert_eq!(codes[0].as_str(), "94287082"); // step 1, RFC 6238 Appendix B
    /// assert_eq!(codes[2], totp.generate_at_step(3));
    /// # Ok::<(), otpkit::Error>(())
    /// ```
    pub fn generate_batch(&self, time: u64, out: &mut [Code]) -> Result<usize, Error> {
        Ok(self.hotp.generate_batch(self.step(time)?, out))
    }

    /// Verifies a typed code at unix time `time` (seconds) against every step in `window`, in
    /// constant time over the window.
    ///
    /// This alone does not stop a code being used twice: store the returned step and use
    /// [`Totp::verify_after`] next time (RFC 6238 §5.2).
    ///
    /// # Errors
    ///
    /// [`VerifyError::Malformed`] for text that is not a code of this length,
    /// [`VerifyError::Setup`] with [`Error::TimeInMilliseconds`] after [`Totp::MAX_TIME`] or
    /// [`Error::TimeBeforeT0`], and the opaque [`VerifyError::Mismatch`].
    ///
    /// # Examples
    ///
    /// ```
    /// # use otpkit::{Algorithm, Digits, Totp, Window, VerifyError};
    /// let totp = Totp::new(Algorithm::Sha1, b"12345678901234567890", Digits::EIGHT, 30)?;
    /// assert_eq!(totp.verify("9428 7082", 89, Window::default()).unwrap().offset, -1);
    /// assert_eq!(totp.verify("94287082", 119, Window::default()), Err(VerifyError::Mismatch));
    /// # Ok::<(), otpkit::Error>(())
    /// ```
    #[doc(alias = "check")]
    pub fn verify(&self, code: &str, time: u64, window: Window) -> Result<Match, VerifyError> {
        self.verify_inner(code, time, window, None)
    }

    /// Verifies like [`Totp::verify`], and refuses any step at or before `last_step`, the step
    /// accepted last for this key (RFC 6238 §5.2). Store the returned step in its place.
    ///
    /// # Errors
    ///
    /// As [`Totp::verify`], plus [`VerifyError::Replayed`] when the code matches only steps at
    /// or before `last_step`.
    ///
    /// # Examples
    ///
    /// ```
    /// # use otpkit::{Algorithm, Digits, Totp, Window, VerifyError};
    /// let totp = Totp::new(Algorithm::Sha1, b"12345678901234567890", Digits::EIGHT, 30)?;
    /// let first = totp.verify("94287082", 59, Window::default()).unwrap();
    /// assert_eq!(
    ///     totp.verify_after("94287082", 60, Window::default(), first.step),
    ///     Err(VerifyError::Replayed)
    /// );
    /// # Ok::<(), otpkit::Error>(())
    /// ```
    pub fn verify_after(
        &self,
        code: &str,
        time: u64,
        window: Window,
        last_step: u64,
    ) -> Result<Match, VerifyError> {
        self.verify_inner(code, time, window, Some(last_step))
    }

    fn verify_inner(
        &self,
        code: &str,
        time: u64,
        window: Window,
        last_step: Option<u64>,
    ) -> Result<Match, VerifyError> {
        let typed = TypedCode::parse(code, self.hotp.format())?;
        let current = self.step(time)?;
        let (first, last) = window.bounds(current);
        let step = scan(&typed, first, last, last_step, &self.hotp)?;
        Ok(Match {
            step,
            offset: offset(step, current),
        })
    }
}

/// The `*_now()` conveniences read the system clock (in `clock.rs`, the one place the library
/// does); the `*_at()` ones take a [`SystemTime`]; everything else takes the time as unix
/// seconds, so that the library holds no clock.
#[cfg(feature = "std")]
impl Totp {
    /// The code at `time`, a [`SystemTime`]: [`Totp::generate`] without the question of
    /// seconds or milliseconds. (Not [`Totp::generate_at_step`], which takes a step number.)
    ///
    /// # Errors
    ///
    /// [`Error::ClockBeforeUnixEpoch`] for a time before 1970, and as [`Totp::generate`].
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::{Duration, UNIX_EPOCH};
    /// # use otpkit::{Algorithm, Digits, Totp};
    /// let totp = Totp::new(Algorithm::Sha1, b"12345678901234567890", Digits::EIGHT, 30)?;
    /// let time = UNIX_EPOCH + Duration::from_secs(1_111_111_109);
    /// assert_eq!(totp.generate_at(time)?.as_str(), "07081804");
    /// # Ok::<(), otpkit::Error>(())
    /// ```
    pub fn generate_at(&self, time: SystemTime) -> Result<Code, Error> {
        self.generate(clock::unix_seconds(time)?)
    }

    /// Seconds until the code of `time`, a [`SystemTime`], changes.
    ///
    /// # Errors
    ///
    /// As [`Totp::generate_at`].
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::{Duration, UNIX_EPOCH};
    /// # use otpkit::{Algorithm, Digits, Totp};
    /// let totp = Totp::new(Algorithm::Sha1, b"key", Digits::SIX, 30)?;
    /// assert_eq!(totp.seconds_left_at(UNIX_EPOCH + Duration::from_millis(89_500))?, 1);
    /// # Ok::<(), otpkit::Error>(())
    /// ```
    pub fn seconds_left_at(&self, time: SystemTime) -> Result<u64, Error> {
        self.seconds_left(clock::unix_seconds(time)?)
    }

    /// [`Totp::verify_after`] at `time`, a [`SystemTime`]; pass `None` when no code was
    /// accepted yet (then it is [`Totp::verify`]).
    ///
    /// # Errors
    ///
    /// As [`Totp::verify_after`], plus [`VerifyError::Setup`] with
    /// [`Error::ClockBeforeUnixEpoch`] for a time before 1970.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::{Duration, UNIX_EPOCH};
    /// # use otpkit::{Algorithm, Digits, Totp, VerifyError, Window};
    /// let totp = Totp::new(Algorithm::Sha1, b"12345678901234567890", Digits::EIGHT, 30)?;
    /// let time = UNIX_EPOCH + Duration::from_secs(59);
    /// let m = totp.verify_at("94287082", time, Window::default(), None).unwrap();
    /// assert_eq!(m.step, 1);
    /// assert_eq!(
    ///     totp.verify_at("94287082", time, Window::default(), Some(m.step)),
    ///     Err(VerifyError::Replayed)
    /// );
    /// # Ok::<(), otpkit::Error>(())
    /// ```
    pub fn verify_at(
        &self,
        code: &str,
        time: SystemTime,
        window: Window,
        last_step: Option<u64>,
    ) -> Result<Match, VerifyError> {
        let time = clock::unix_seconds(time)?;
        self.verify_inner(code, time, window, last_step)
    }

    /// The code for the current system time.
    ///
    /// # Errors
    ///
    /// [`Error::TimeBeforeT0`], [`Error::ClockBeforeUnixEpoch`] for a clock before 1970, and
    /// [`Error::NoSystemClock`] on `wasm32-unknown-unknown`, which has no clock.
    ///
    /// # Examples
    ///
    /// ```
    /// # use otpkit::{Algorithm, Digits, Totp};
    /// let totp = Totp::new(Algorithm::Sha1, b"key", Digits::SIX, 30)?;
    /// assert_eq!(totp.generate_now()?.len(), 6);
    /// # Ok::<(), otpkit::Error>(())
    /// ```
    #[doc(alias = "generate_current")]
    pub fn generate_now(&self) -> Result<Code, Error> {
        self.generate(clock::now()?)
    }

    /// Seconds until the current code changes.
    ///
    /// # Errors
    ///
    /// As [`Totp::generate_now`].
    ///
    /// # Examples
    ///
    /// ```
    /// # use otpkit::{Algorithm, Digits, Totp};
    /// let totp = Totp::new(Algorithm::Sha1, b"key", Digits::SIX, 30)?;
    /// assert!((1..=30).contains(&totp.seconds_left_now()?));
    /// # Ok::<(), otpkit::Error>(())
    /// ```
    #[doc(alias = "ttl")]
    pub fn seconds_left_now(&self) -> Result<u64, Error> {
        self.seconds_left(clock::now()?)
    }

    /// [`Totp::verify_after`] at the current system time; pass `None` when no code was accepted
    /// yet.
    ///
    /// # Errors
    ///
    /// As [`Totp::verify_after`], plus [`VerifyError::Setup`] with
    /// [`Error::ClockBeforeUnixEpoch`] or [`Error::NoSystemClock`].
    ///
    /// # Examples
    ///
    /// ```
    /// # use otpkit::{Algorithm, Digits, Totp, Window};
    /// let totp = Totp::new(Algorithm::Sha1, b"key", Digits::SIX, 30)?;
    /// let code = totp.generate_now()?;
    /// assert!(totp.verify_now(code.as_str(), Window::default(), None).is_ok());
    /// # Ok::<(), otpkit::Error>(())
    /// ```
    #[doc(alias = "check_current")]
    pub fn verify_now(
        &self,
        code: &str,
        window: Window,
        last_step: Option<u64>,
    ) -> Result<Match, VerifyError> {
        let now = clock::now()?;
        self.verify_inner(code, now, window, last_step)
    }
}

impl fmt::Debug for Totp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Totp")
            .field("hotp", &self.hotp)
            .field("period", &self.period)
            .field("t0", &self.t0)
            .finish()
    }
}
