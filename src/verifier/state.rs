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
/// `format` is the layout's number ([`State::FORMAT`]). Every field of format 1 is required
/// (`null` where there is no value): a stored state with a field missing is an error, not a
/// fresh state, since reading it as one would roll an HOTP counter back and drop replay
/// protection and the throttle. Only fields added by a later format may be missing, and take
/// their [`State::new`] value; a later layout will still read format 1, so stored states never
/// lock users out. Fields this version does not know are ignored, and a format it does not
/// know is an error that names it.
///
/// ```
/// # #[cfg(feature = "serde")] {
/// let err = serde_json::from_str::<otpkit::verifier::State>(r#"{"format":1,"version":1}"#);
/// assert_eq!(err.unwrap_err().to_string(), "missing field `last_step`");
/// # }
/// ```
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

    /// The state of a credential just confirmed by an enrolment: the confirming code's step
    /// counts as used ([`State::last_step`]), so that code cannot log in again. Start every
    /// enrolled credential here rather than at [`State::for_credential`], whose state has no
    /// used step. When the credential replaces an earlier one, carry the old state's version
    /// forward with [`State::replacing`].
    ///
    /// # Examples
    ///
    /// ```
    /// use otpkit::{enroll::{self, Enrollment}, verifier::{Outcome, Policy, State, Verifier}};
    ///
    /// let e = Enrollment::start("Example", "alice", enroll::Options::new())?;
    /// let now = 1_700_000_000;
    /// let code = e.credential().to_totp()?.generate(now)?;
    /// let confirmed = e.confirm(code.as_str(), now).map_err(|r| r.into_error())?;
    ///
    /// let verifier = Verifier::new(&confirmed.credential, Policy::default())?;
    /// let state = State::for_confirmed(&confirmed);
    /// assert_eq!(state.last_step, Some(confirmed.step));
    /// // The code that confirmed the enrolment does not log in.
    /// assert_eq!(verifier.check(&state, code.as_str(), now + 5).0, Outcome::AlreadyUsed);
    /// # Ok::<(), Box<dyn core::error::Error>>(())
    /// ```
    #[cfg(feature = "alloc")]
    #[must_use]
    pub fn for_confirmed(confirmed: &crate::enroll::Confirmed) -> Self {
        let mut state = Self::for_credential(&confirmed.credential);
        state.last_step = Some(confirmed.step);
        state
    }

    /// This fresh state, as the successor of `previous`, the state of the credential it
    /// replaces (a re-enrolment): its version is moved one past `previous.version`, so a
    /// request that read the old credential and state fails its compare-and-swap and cannot
    /// log in with a code of the replaced secret. Every other field is this state's.
    ///
    /// Without it every fresh state has version 0, and a request that read version 0 of the
    /// old row before the re-enrolment would still pass the compare-and-swap (ABA). Store the
    /// new credential and this state with the same compare-and-swap on `previous.version`.
    ///
    /// # Examples
    ///
    /// ```
    /// use otpkit::verifier::State;
    ///
    /// let old = State::new(); // no login yet: version 0
    /// let new = State::with_counter(0).replacing(&old);
    /// assert_eq!(new.version, 1);
    /// assert_ne!(new.version, old.version);
    /// ```
    #[must_use]
    pub const fn replacing(mut self, previous: &State) -> Self {
        self.version = previous.version.wrapping_add(1);
        self
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
