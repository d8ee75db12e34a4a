//! The state a service stores beside each credential.

use super::Throttle;

/// What a service stores for each credential, beside it: the version for compare-and-swap, the
/// replay marker, the HOTP counter, the throttle and the drift. `Copy`, no allocation.
///
/// Every field is public so that a service may keep it in columns of its own; any value is
/// safe to pass back (checks saturate, clamp and never panic). With the `serde` feature it is
/// also stored as JSON in a versioned format, format 1:
///
/// ```
/// # #[cfg(feature = "serde")] {
/// let v1 = r#"{"format":1,"version":7,"last_step":56666667,"counter":0,"failures":0,
///              "locked_until":null,"drift":-1,"drift_pending":0,"drift_streak":0}"#;
/// let state: otpkit::verifier::State = serde_json::from_str(v1).unwrap();
/// assert_eq!((state.version, state.last_step, state.drift), (7, Some(56_666_667), -1));
/// # }
/// ```
///
/// `format` is the layout's number ([`State::FORMAT`]) and is required; a later layout will
/// still read format 1, so stored states never lock users out. Every other field may be
/// missing and then takes its [`State::new`] value; fields this version does not know are
/// ignored, and a format it does not know is an error that names it.
///
/// # Examples
///
/// ```
/// use otpkit::verifier::State;
///
/// let fresh = State::new();
/// assert_eq!((fresh.version, fresh.last_step, fresh.failures), (0, None, 0));
/// assert_eq!(State::with_counter(5).counter, 5);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct State {
    /// Bumped (wrapping) by every change. Store a new state only if the stored version is
    /// still the one that was read: see "Concurrency" in the [`Verifier`](super::Verifier) docs.
    pub version: u64,
    /// The step (TOTP) or counter (HOTP) accepted last; codes at or before it are refused as
    /// already used.
    pub last_step: Option<u64>,
    /// HOTP: the counter of the next expected code. Unused by TOTP.
    pub counter: u64,
    /// Consecutive failed attempts since the last success.
    pub failures: u32,
    /// Attempts before this unix time are refused unchecked.
    pub locked_until: Option<u64>,
    /// TOTP: the steps by which the user's clock is off (negative: slow); the window is
    /// centred there. Clamped to the policy's `max_drift` when used.
    pub drift: i32,
    /// TOTP: the smallest offset from the centre among the current run of accepted codes off
    /// in one direction (0: no run).
    pub drift_pending: i32,
    /// TOTP: how many accepted codes in a row were off from the centre in `drift_pending`'s
    /// direction.
    pub drift_streak: u32,
}

impl State {
    /// The stored format's number, the `format` field of its JSON.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(otpkit::verifier::State::FORMAT, 1);
    /// ```
    pub const FORMAT: u32 = 1;

    /// The state of a credential no code was accepted for yet.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(otpkit::verifier::State::new(), otpkit::verifier::State::default());
    /// ```
    #[must_use]
    pub const fn new() -> Self {
        Self {
            version: 0,
            last_step: None,
            counter: 0,
            failures: 0,
            locked_until: None,
            drift: 0,
            drift_pending: 0,
            drift_streak: 0,
        }
    }

    /// A fresh state for an HOTP credential whose next code is for `counter`.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(otpkit::verifier::State::with_counter(9).counter, 9);
    /// ```
    #[must_use]
    pub const fn with_counter(counter: u64) -> Self {
        let mut state = Self::new();
        state.counter = counter;
        state
    }

    /// The fresh state for a credential: [`State::with_counter`] of an HOTP credential's
    /// counter, else [`State::new`].
    ///
    /// # Examples
    ///
    /// ```
    /// # use otpkit::{Algorithm, Credential, Digits, Secret, verifier::State};
    /// let c = Credential::hotp(Secret::from_bytes(b"key")?, Algorithm::Sha1, Digits::SIX, 4);
    /// assert_eq!(State::for_credential(&c).counter, 4);
    /// # Ok::<(), otpkit::Error>(())
    /// ```
    #[cfg(feature = "alloc")]
    #[must_use]
    pub fn for_credential(credential: &crate::Credential) -> Self {
        Self::with_counter(credential.counter().unwrap_or(0))
    }

    /// When attempts at `time` are refused by the throttle: the time they may resume.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut s = otpkit::verifier::State::new();
    /// s.locked_until = Some(100);
    /// assert_eq!(s.throttled_until(99), Some(100));
    /// assert_eq!(s.throttled_until(100), None);
    /// ```
    #[must_use]
    pub fn throttled_until(&self, time: u64) -> Option<u64> {
        self.locked_until.filter(|&until| time < until)
    }

    /// The state after a success: failures and lock cleared, version bumped.
    pub(crate) fn succeeded(&self) -> Self {
        let mut next = *self;
        next.failures = 0;
        next.locked_until = None;
        next.version = self.version.wrapping_add(1);
        next
    }

    /// The state after a failure at `time`: one more failure, locked as the throttle says.
    pub(crate) fn failed(&self, throttle: Throttle, time: u64) -> Self {
        let mut next = *self;
        next.failures = self.failures.saturating_add(1);
        let delay = throttle.delay_after(next.failures);
        next.locked_until = (delay > 0).then(|| time.saturating_add(delay));
        next.version = self.version.wrapping_add(1);
        next
    }
}
