//! The service-side verifier: a [`Policy`] applied to a stored [`State`] — window, replay,
//! throttling, clock drift, HOTP counters and resynchronisation, and (with `alloc`) recovery
//! codes. It reads no clock and does no I/O: a check takes the state, the typed code and the
//! time, and returns the outcome with the state to store.

use core::fmt;

use crate::error::{CodeError, VerifyError};
use crate::hotp::Hotp;
use crate::totp::Totp;
use crate::verify::{Match, Window, offset};

#[cfg(feature = "alloc")]
mod recovery;
#[cfg(feature = "serde")]
mod serialize;
#[cfg(test)]
mod tests;

#[cfg(feature = "alloc")]
pub use recovery::{RecoveryCode, RecoveryCodes, RecoveryOutcome};

/// A policy setting was out of its bounds, or recovery codes could not be made.
///
/// # Examples
///
/// ```
/// use otpkit::{Policy, PolicyError};
///
/// assert_eq!(Policy::default().with_max_drift(101).err(), Some(PolicyError::DriftTooLarge));
/// assert_eq!(PolicyError::DriftTooLarge.to_string(), "drift bound is larger than 100 steps");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PolicyError {
    /// A drift bound over [`Policy::MAX_DRIFT`] steps.
    DriftTooLarge,
    /// An HOTP look-ahead over [`Window::MAX`] counters.
    LookAheadTooLarge,
    /// An HOTP resync look-ahead over [`Hotp::MAX_RESYNC_WINDOW`] counters.
    ResyncLookAheadTooLarge,
    /// More recovery codes asked for than `RecoveryCodes::MAX_COUNT`.
    TooManyRecoveryCodes,
    /// The operating system's random generator failed (only from `generate_os`).
    RandomUnavailable,
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::DriftTooLarge => "drift bound is larger than 100 steps",
            Self::LookAheadTooLarge => "look-ahead is larger than 100 counters",
            Self::ResyncLookAheadTooLarge => "resync look-ahead is larger than 1000 counters",
            Self::TooManyRecoveryCodes => "more than 100 recovery codes asked for",
            Self::RandomUnavailable => "the system random generator failed",
        })
    }
}

impl core::error::Error for PolicyError {}

/// Throttling of failed attempts (RFC 4226 §7.3): after `free_failures` consecutive failures
/// every further attempt is refused until a delay has passed; the delay starts at `delay`
/// seconds and doubles with each further failure, up to `max_delay`. A success resets it.
///
/// The default allows 5 failures, then waits 30 s, 60 s, 120 s, … up to one hour.
///
/// # Examples
///
/// ```
/// use otpkit::Throttle;
///
/// let t = Throttle::default();
/// assert_eq!(t.delay_after(4), 0); // four failures are free
/// assert_eq!(t.delay_after(5), 30);
/// assert_eq!(t.delay_after(6), 60);
/// assert_eq!(t.delay_after(20), 3600); // capped
/// assert_eq!(Throttle::NONE.delay_after(u32::MAX), 0);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Throttle {
    free_failures: u32,
    delay: u64,
    max_delay: u64,
}

impl Throttle {
    /// Never throttles. Only for tests and for services that throttle elsewhere.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(otpkit::Throttle::NONE.delay_after(1000), 0);
    /// ```
    pub const NONE: Self = Self {
        free_failures: 0,
        delay: 0,
        max_delay: 0,
    };

    /// Refuses attempts after `free_failures` consecutive failures, for `delay` seconds after
    /// the first refused one, doubling each time, never more than `max_delay` seconds.
    ///
    /// # Examples
    ///
    /// ```
    /// let t = otpkit::Throttle::new(3, 10, 25);
    /// assert_eq!((t.delay_after(3), t.delay_after(4), t.delay_after(5)), (10, 20, 25));
    /// ```
    #[must_use]
    pub const fn new(free_failures: u32, delay: u64, max_delay: u64) -> Self {
        Self {
            free_failures,
            delay,
            max_delay,
        }
    }

    /// Consecutive failures allowed before attempts are delayed.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(otpkit::Throttle::default().free_failures(), 5);
    /// ```
    #[must_use]
    pub const fn free_failures(&self) -> u32 {
        self.free_failures
    }

    /// The first delay in seconds.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(otpkit::Throttle::default().delay(), 30);
    /// ```
    #[must_use]
    pub const fn delay(&self) -> u64 {
        self.delay
    }

    /// The longest delay in seconds.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(otpkit::Throttle::default().max_delay(), 3600);
    /// ```
    #[must_use]
    pub const fn max_delay(&self) -> u64 {
        self.max_delay
    }

    /// Seconds to refuse attempts after `failures` consecutive failures: 0 below
    /// `free_failures`, then `delay · 2^(failures − free_failures)`, capped at `max_delay`.
    ///
    /// # Examples
    ///
    /// ```
    /// let t = otpkit::Throttle::new(1, 1, u64::MAX);
    /// assert_eq!(t.delay_after(1), 1);
    /// assert_eq!(t.delay_after(64), 1 << 63);
    /// assert_eq!(t.delay_after(65), u64::MAX); // no overflow: the cap
    /// ```
    #[must_use]
    pub fn delay_after(&self, failures: u32) -> u64 {
        let Some(extra) = failures.checked_sub(self.free_failures) else {
            return 0;
        };
        1u64.checked_shl(extra)
            .and_then(|factor| self.delay.checked_mul(factor))
            .map_or(self.max_delay, |d| d.min(self.max_delay))
    }
}

impl Default for Throttle {
    fn default() -> Self {
        Self::new(5, 30, 3600)
    }
}

/// The rules a [`Verifier`] applies: the window, the drift bound, throttling and HOTP
/// look-ahead. The [`Verifier`] docs show each rule at work.
///
/// | setting | default | bound |
/// |---|---|---|
/// | [`window`](Policy::window) | ±1 step (RFC 6238 §5.2) | [`Window::MAX`] each side |
/// | [`max_drift`](Policy::max_drift) | 10 steps | [`Policy::MAX_DRIFT`] |
/// | [`drift_after`](Policy::drift_after) | 3 accepted codes (0 turns drift off) | – |
/// | [`throttle`](Policy::throttle) | 5 free failures, then 30 s doubling to 1 h | – |
/// | [`look_ahead`](Policy::look_ahead) (HOTP) | 10 counters | [`Window::MAX`] |
/// | [`resync_look_ahead`](Policy::resync_look_ahead) (HOTP) | 100 counters | [`Hotp::MAX_RESYNC_WINDOW`] |
///
/// # Examples
///
/// ```
/// use otpkit::{Policy, Throttle, Window};
///
/// let policy = Policy::default()
///     .with_window(Window::new(1, 0)?)
///     .with_max_drift(5)?
///     .with_throttle(Throttle::new(3, 60, 900));
/// assert_eq!(policy.window().ahead(), 0);
/// assert_eq!(policy.max_drift(), 5);
/// # Ok::<(), Box<dyn core::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Policy {
    window: Window,
    max_drift: u32,
    drift_after: u32,
    throttle: Throttle,
    look_ahead: u32,
    resync_look_ahead: u32,
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            window: Window::default(),
            max_drift: 10,
            drift_after: 3,
            throttle: Throttle::default(),
            look_ahead: 10,
            resync_look_ahead: 100,
        }
    }
}

impl Policy {
    /// The largest drift bound: the window's centre never moves further than this.
    ///
    /// # Examples
    ///
    /// ```
    /// # use otpkit::Policy;
    /// assert!(Policy::default().with_max_drift(Policy::MAX_DRIFT).is_ok());
    /// ```
    pub const MAX_DRIFT: u32 = 100;

    /// Sets the window around the (drift-corrected) current step.
    ///
    /// # Examples
    ///
    /// ```
    /// # use otpkit::{Policy, Window};
    /// let p = Policy::default().with_window(Window::EXACT);
    /// assert_eq!(p.window(), Window::EXACT);
    /// ```
    #[must_use]
    pub const fn with_window(mut self, window: Window) -> Self {
        self.window = window;
        self
    }

    /// Sets how many steps the window's centre may move to follow a user's clock.
    ///
    /// # Errors
    ///
    /// [`PolicyError::DriftTooLarge`] over [`Policy::MAX_DRIFT`].
    ///
    /// # Examples
    ///
    /// ```
    /// # use otpkit::Policy;
    /// assert_eq!(Policy::default().with_max_drift(0)?.max_drift(), 0);
    /// # Ok::<(), otpkit::PolicyError>(())
    /// ```
    pub const fn with_max_drift(mut self, steps: u32) -> Result<Self, PolicyError> {
        if steps > Self::MAX_DRIFT {
            return Err(PolicyError::DriftTooLarge);
        }
        self.max_drift = steps;
        Ok(self)
    }

    /// Sets how many accepted codes in a row must be off in the same direction before the
    /// window's centre moves; 0 turns drift tracking off.
    ///
    /// # Examples
    ///
    /// ```
    /// # use otpkit::Policy;
    /// assert_eq!(Policy::default().with_drift_after(5).drift_after(), 5);
    /// ```
    #[must_use]
    pub const fn with_drift_after(mut self, codes: u32) -> Self {
        self.drift_after = codes;
        self
    }

    /// Sets the throttling of failed attempts.
    ///
    /// # Examples
    ///
    /// ```
    /// # use otpkit::{Policy, Throttle};
    /// let p = Policy::default().with_throttle(Throttle::NONE);
    /// assert_eq!(p.throttle(), Throttle::NONE);
    /// ```
    #[must_use]
    pub const fn with_throttle(mut self, throttle: Throttle) -> Self {
        self.throttle = throttle;
        self
    }

    /// Sets how many counters past the stored one an HOTP code may come from (RFC 4226 §7.2).
    ///
    /// # Errors
    ///
    /// [`PolicyError::LookAheadTooLarge`] over [`Window::MAX`].
    ///
    /// # Examples
    ///
    /// ```
    /// # use otpkit::Policy;
    /// assert_eq!(Policy::default().with_look_ahead(3)?.look_ahead(), 3);
    /// # Ok::<(), otpkit::PolicyError>(())
    /// ```
    pub const fn with_look_ahead(mut self, counters: u32) -> Result<Self, PolicyError> {
        if counters > Window::MAX {
            return Err(PolicyError::LookAheadTooLarge);
        }
        self.look_ahead = counters;
        Ok(self)
    }

    /// Sets the larger look-ahead of HOTP resynchronisation (RFC 4226 §7.4).
    ///
    /// # Errors
    ///
    /// [`PolicyError::ResyncLookAheadTooLarge`] over [`Hotp::MAX_RESYNC_WINDOW`].
    ///
    /// # Examples
    ///
    /// ```
    /// # use otpkit::Policy;
    /// assert_eq!(Policy::default().with_resync_look_ahead(500)?.resync_look_ahead(), 500);
    /// # Ok::<(), otpkit::PolicyError>(())
    /// ```
    pub const fn with_resync_look_ahead(mut self, counters: u32) -> Result<Self, PolicyError> {
        if counters > Hotp::MAX_RESYNC_WINDOW {
            return Err(PolicyError::ResyncLookAheadTooLarge);
        }
        self.resync_look_ahead = counters;
        Ok(self)
    }

    /// The window around the (drift-corrected) current step.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(otpkit::Policy::default().window(), otpkit::Window::default());
    /// ```
    #[must_use]
    pub const fn window(&self) -> Window {
        self.window
    }

    /// The furthest the window's centre may move, in steps.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(otpkit::Policy::default().max_drift(), 10);
    /// ```
    #[must_use]
    pub const fn max_drift(&self) -> u32 {
        self.max_drift
    }

    /// Accepted codes in a row, off in the same direction, that move the centre (0: never).
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(otpkit::Policy::default().drift_after(), 3);
    /// ```
    #[must_use]
    pub const fn drift_after(&self) -> u32 {
        self.drift_after
    }

    /// The throttling of failed attempts.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(otpkit::Policy::default().throttle().free_failures(), 5);
    /// ```
    #[must_use]
    pub const fn throttle(&self) -> Throttle {
        self.throttle
    }

    /// The HOTP look-ahead in counters.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(otpkit::Policy::default().look_ahead(), 10);
    /// ```
    #[must_use]
    pub const fn look_ahead(&self) -> u32 {
        self.look_ahead
    }

    /// The HOTP resync look-ahead in counters.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(otpkit::Policy::default().resync_look_ahead(), 100);
    /// ```
    #[must_use]
    pub const fn resync_look_ahead(&self) -> u32 {
        self.resync_look_ahead
    }

    /// Whether drift is tracked at all.
    const fn tracks_drift(&self) -> bool {
        self.drift_after > 0 && self.max_drift > 0
    }

    /// The stored drift, clamped to this policy's bound (a stored state may hold anything).
    fn centre(&self, state: &State) -> i64 {
        if !self.tracks_drift() {
            return 0;
        }
        let bound = i64::from(self.max_drift);
        i64::from(state.drift).clamp(-bound, bound)
    }
}

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
/// let state: otpkit::State = serde_json::from_str(v1).unwrap();
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
/// use otpkit::State;
///
/// let fresh = State::new();
/// assert_eq!((fresh.version, fresh.last_step, fresh.failures), (0, None, 0));
/// assert_eq!(State::with_counter(5).counter, 5);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct State {
    /// Bumped (wrapping) by every change. Store a new state only if the stored version is
    /// still the one that was read: see "Concurrency" in the [`Verifier`] docs.
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
    /// assert_eq!(otpkit::State::FORMAT, 1);
    /// ```
    pub const FORMAT: u32 = 1;

    /// The state of a credential no code was accepted for yet.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(otpkit::State::new(), otpkit::State::default());
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
    /// assert_eq!(otpkit::State::with_counter(9).counter, 9);
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
    /// # use otpkit::{Algorithm, Credential, Digits, Secret, State};
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
    /// let mut s = otpkit::State::new();
    /// s.locked_until = Some(100);
    /// assert_eq!(s.throttled_until(99), Some(100));
    /// assert_eq!(s.throttled_until(100), None);
    /// ```
    #[must_use]
    pub fn throttled_until(&self, time: u64) -> Option<u64> {
        self.locked_until.filter(|&until| time < until)
    }

    /// The state after a success: failures and lock cleared, version bumped.
    fn succeeded(&self) -> Self {
        let mut next = *self;
        next.failures = 0;
        next.locked_until = None;
        next.version = self.version.wrapping_add(1);
        next
    }

    /// The state after a failure at `time`: one more failure, locked as the throttle says.
    fn failed(&self, throttle: Throttle, time: u64) -> Self {
        let mut next = *self;
        next.failures = self.failures.saturating_add(1);
        let delay = throttle.delay_after(next.failures);
        next.locked_until = (delay > 0).then(|| time.saturating_add(delay));
        next.version = self.version.wrapping_add(1);
        next
    }
}

/// The result of a check. Only [`Outcome::Accepted`] logs the user in.
///
/// # Examples
///
/// ```
/// use otpkit::{Algorithm, Digits, Outcome, Policy, State, Totp, Verifier};
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
    /// The time is before the credential's T0: a server clock or configuration problem.
    TimeBeforeT0,
}

impl Outcome {
    /// Whether the user gets in.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(!otpkit::Outcome::AlreadyUsed.is_accepted());
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
            Self::TimeBeforeT0 => f.write_str("time is before t0"),
        }
    }
}

#[derive(Clone, Debug)]
enum Generator {
    Totp(Totp),
    Hotp(Hotp),
}

/// A service-side verifier: one credential's generator and a [`Policy`], applied to the
/// [`State`] the service stores beside the credential.
///
/// Each check takes the stored state, what the user typed and the unix time, and returns the
/// [`Outcome`] with the state to store. It reads no clock, does no I/O and needs no allocator
/// (recovery codes aside). If the returned state equals the one passed in, nothing needs
/// storing.
///
/// # Examples
///
/// One example per rule follows; all use the RFC 6238 test key, 8 digits, 30-second steps.
///
/// **Window** (RFC 6238 §5.2): the default accepts the previous, current and next step.
///
/// ```
/// use otpkit::{Algorithm, Digits, Outcome, Policy, State, Totp, Verifier};
///
/// let totp = Totp::new(Algorithm::Sha1, b"12345678901234567890", Digits::EIGHT, 30)?;
/// let v = Verifier::totp(totp.clone(), Policy::default());
/// let now = 300; // step 10
/// for (step, accepted) in [(8, false), (9, true), (10, true), (11, true), (12, false)] {
///     let code = totp.generate_at_step(step);
///     let (outcome, _) = v.check(&State::new(), code.as_str(), now);
///     assert_eq!(outcome.is_accepted(), accepted, "step {step}");
/// }
/// # Ok::<(), otpkit::Error>(())
/// ```
///
/// **Replay**: a step at or before the last accepted one is refused as already used, which is
/// not a wrong code and not a failure.
///
/// ```
/// # use otpkit::{Algorithm, Digits, Outcome, Policy, State, Totp, Verifier};
/// # let totp = Totp::new(Algorithm::Sha1, b"12345678901234567890", Digits::EIGHT, 30)?;
/// let v = Verifier::totp(totp.clone(), Policy::default());
/// let (first, state) = v.check(&State::new(), totp.generate_at_step(10).as_str(), 300);
/// assert!(first.is_accepted());
/// assert_eq!(state.last_step, Some(10));
/// // The same code again, and the previous step's code: both already used.
/// let (again, same) = v.check(&state, totp.generate_at_step(10).as_str(), 310);
/// assert_eq!((again, same), (Outcome::AlreadyUsed, state));
/// let (older, _) = v.check(&state, totp.generate_at_step(9).as_str(), 310);
/// assert_eq!(older, Outcome::AlreadyUsed);
/// # Ok::<(), otpkit::Error>(())
/// ```
///
/// **Throttling** (RFC 4226 §7.3): after 5 failures in a row attempts wait 30 s, then 60 s,
/// … up to an hour; attempts while waiting compute no code; a success resets it all.
///
/// ```
/// # use otpkit::{Algorithm, Digits, Outcome, Policy, State, Totp, Verifier};
/// # let totp = Totp::new(Algorithm::Sha1, b"12345678901234567890", Digits::EIGHT, 30)?;
/// let v = Verifier::totp(totp.clone(), Policy::default());
/// let mut state = State::new();
/// for _ in 0..5 {
///     let (outcome, next) = v.check(&state, "00000000", 1000);
///     assert_eq!(outcome, Outcome::WrongCode);
///     state = next;
/// }
/// assert_eq!(state.locked_until, Some(1030));
/// // Even the right code is refused until then, unchecked.
/// let right = totp.generate(1010)?;
/// assert_eq!(v.check(&state, right.as_str(), 1010).0, Outcome::Throttled { until: 1030 });
/// let (outcome, state) = v.check(&state, totp.generate(1030)?.as_str(), 1030);
/// assert!(outcome.is_accepted());
/// assert_eq!((state.failures, state.locked_until), (0, None));
/// # Ok::<(), otpkit::Error>(())
/// ```
///
/// **Drift** (RFC 6238 §6): the state remembers where accepted codes fall. When a user's
/// clock is *consistently* off — [`Policy::drift_after`] (default 3) accepted codes in a row
/// all off from the window's centre in the same direction — the centre moves by the smallest of
/// those offsets, never beyond [`Policy::max_drift`] (default 10). A code right at the centre
/// ends the run. The window keeps its width around the new centre and is stretched, for this
/// user only, to still reach the server's own step, so a user who fixes their clock is not
/// locked out (and drifts back): a user with drift *d* is checked against |*d*| more steps than
/// the window, never more than [`Policy::max_drift`] more. [`Verifier::resync`] sets the drift
/// at once from two consecutive codes.
///
/// ```
/// # use otpkit::{Algorithm, Digits, Outcome, Policy, State, Totp, Verifier};
/// # let totp = Totp::new(Algorithm::Sha1, b"12345678901234567890", Digits::EIGHT, 30)?;
/// let v = Verifier::totp(totp.clone(), Policy::default());
/// let mut state = State::new();
/// // A phone one step slow: three logins later the window is centred on -1.
/// for login in 0..3u64 {
///     let now = 10_000 + login * 600;
///     let (outcome, next) = v.check(&state, totp.generate(now - 30)?.as_str(), now);
///     assert!(outcome.is_accepted());
///     state = next;
/// }
/// assert_eq!(state.drift, -1);
/// // Now it may fall two steps behind and still get in.
/// let (outcome, _) = v.check(&state, totp.generate(20_000 - 60)?.as_str(), 20_000);
/// assert!(matches!(outcome, Outcome::Accepted(m) if m.offset == -2));
/// # Ok::<(), otpkit::Error>(())
/// ```
///
/// **HOTP**: codes are looked for from the stored counter up to [`Policy::look_ahead`]
/// (default 10) counters ahead; success moves the counter past the match. Beyond that,
/// [`Verifier::resync`] takes two consecutive codes within [`Policy::resync_look_ahead`]
/// (RFC 4226 §7.4).
///
/// ```
/// use otpkit::{Algorithm, Digits, Hotp, Outcome, Policy, State, Verifier};
///
/// let hotp = Hotp::new(Algorithm::Sha1, b"12345678901234567890", Digits::SIX)?;
/// let v = Verifier::hotp(hotp.clone(), Policy::default());
/// let (outcome, state) = v.check(&State::new(), hotp.generate(3).as_str(), 0);
/// assert!(outcome.is_accepted());
/// assert_eq!(state.counter, 4);
/// assert_eq!(v.check(&state, hotp.generate(3).as_str(), 0).0, Outcome::AlreadyUsed);
/// // The button was pressed 50 times without logging in: too far ahead for one code ...
/// assert_eq!(v.check(&state, hotp.generate(54).as_str(), 0).0, Outcome::WrongCode);
/// // ... but two consecutive codes resynchronise.
/// let (outcome, state) = v.resync(&state, hotp.generate(54).as_str(), hotp.generate(55).as_str(), 0);
/// assert!(outcome.is_accepted());
/// assert_eq!(state.counter, 56);
/// # Ok::<(), otpkit::Error>(())
/// ```
///
/// **Recovery codes** (with `alloc`): see [`RecoveryCodes`] and [`Verifier::redeem`].
///
/// # Concurrency
///
/// Two requests with the same code may arrive at once. Both read version *n*, both are
/// accepted, and both try to store version *n + 1*: store the new state only if the stored
/// version is still the one read (`UPDATE … SET state = ?, version = ? WHERE id = ? AND
/// version = ?` and check that one row changed). The request that loses the race reads the
/// state again and checks again — and now sees [`Outcome::AlreadyUsed`]. Only the request whose
/// write succeeded may log the user in. `examples/service.rs` does this with SQLite.
///
/// ```
/// use core::cell::RefCell;
/// # use otpkit::{Algorithm, Digits, Outcome, Policy, State, Totp, Verifier};
/// # let totp = Totp::new(Algorithm::Sha1, b"12345678901234567890", Digits::EIGHT, 30)?;
/// let v = Verifier::totp(totp.clone(), Policy::default());
/// let stored = RefCell::new(State::new());
/// // Store `new` only if the stored version is still `read`'s.
/// let compare_and_swap = |read: &State, new: State| {
///     let mut s = stored.borrow_mut();
///     (s.version == read.version).then(|| *s = new).is_some()
/// };
/// let code = totp.generate(300)?;
/// // Two requests read the same state ...
/// let (a, b) = (*stored.borrow(), *stored.borrow());
/// let (outcome_a, new_a) = v.check(&a, code.as_str(), 300);
/// let (outcome_b, new_b) = v.check(&b, code.as_str(), 300);
/// assert!(outcome_a.is_accepted() && outcome_b.is_accepted());
/// // ... only the first write lands; the second request retries and is refused.
/// assert!(compare_and_swap(&a, new_a));
/// assert!(!compare_and_swap(&b, new_b));
/// let retry = *stored.borrow();
/// assert_eq!(v.check(&retry, code.as_str(), 300).0, Outcome::AlreadyUsed);
/// # Ok::<(), otpkit::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct Verifier {
    generator: Generator,
    policy: Policy,
}

impl Verifier {
    /// A verifier of TOTP (or Steam Guard) codes.
    ///
    /// # Examples
    ///
    /// ```
    /// # use otpkit::{Policy, Totp, Verifier};
    /// let v = Verifier::totp(Totp::steam(b"key")?, Policy::default());
    /// assert_eq!(v.policy(), &Policy::default());
    /// # Ok::<(), otpkit::Error>(())
    /// ```
    #[must_use]
    pub fn totp(totp: Totp, policy: Policy) -> Self {
        Self {
            generator: Generator::Totp(totp),
            policy,
        }
    }

    /// A verifier of HOTP codes; the counter lives in the [`State`].
    ///
    /// # Examples
    ///
    /// ```
    /// # use otpkit::{Algorithm, Digits, Hotp, Policy, State, Verifier};
    /// let hotp = Hotp::new(Algorithm::Sha1, b"12345678901234567890", Digits::SIX)?;
    /// let v = Verifier::hotp(hotp, Policy::default());
    /// assert!(v.check(&State::with_counter(0), "755224", 0).0.is_accepted());
    /// # Ok::<(), otpkit::Error>(())
    /// ```
    #[must_use]
    pub fn hotp(hotp: Hotp, policy: Policy) -> Self {
        Self {
            generator: Generator::Hotp(hotp),
            policy,
        }
    }

    /// A verifier for a stored credential. Start its state with [`State::for_credential`];
    /// from then on the HOTP counter in the state, not the credential's, is the one that counts.
    ///
    /// # Errors
    ///
    /// As [`Credential::to_hotp`](crate::Credential::to_hotp), which cannot fail for a valid
    /// credential.
    ///
    /// # Examples
    ///
    /// ```
    /// use otpkit::{Algorithm, Credential, Digits, Policy, Secret, State, Verifier};
    ///
    /// let secret = Secret::from_bytes(b"12345678901234567890")?;
    /// let cred = Credential::totp(secret, Algorithm::Sha1, Digits::EIGHT, 30)?;
    /// let v = Verifier::new(&cred, Policy::default())?;
    /// let (outcome, state) = v.check(&State::for_credential(&cred), "94287082", 59);
    /// assert!(outcome.is_accepted());
    /// assert_eq!(state.last_step, Some(1));
    /// # Ok::<(), otpkit::Error>(())
    /// ```
    #[cfg(feature = "alloc")]
    pub fn new(credential: &crate::Credential, policy: Policy) -> Result<Self, crate::Error> {
        Ok(match credential.kind() {
            crate::Kind::Hotp { .. } => Self::hotp(credential.to_hotp()?, policy),
            _ => Self::totp(credential.to_totp()?, policy),
        })
    }

    /// The policy.
    ///
    /// # Examples
    ///
    /// ```
    /// # use otpkit::{Policy, Totp, Verifier};
    /// let v = Verifier::totp(Totp::steam(b"key")?, Policy::default().with_drift_after(0));
    /// assert_eq!(v.policy().drift_after(), 0);
    /// # Ok::<(), otpkit::Error>(())
    /// ```
    #[must_use]
    pub const fn policy(&self) -> &Policy {
        &self.policy
    }

    /// Checks a typed code at unix time `time` against the stored `state`, applying every rule
    /// of the policy; returns the outcome and the state to store (compare-and-swap on
    /// [`State::version`]). The [`Verifier`] docs show each rule.
    ///
    /// # Examples
    ///
    /// ```
    /// # use otpkit::{Algorithm, Digits, Outcome, Policy, State, Totp, Verifier};
    /// let totp = Totp::new(Algorithm::Sha1, b"12345678901234567890", Digits::EIGHT, 30)?;
    /// let v = Verifier::totp(totp, Policy::default());
    /// let (outcome, state) = v.check(&State::new(), "9428 7082", 59);
    /// assert!(matches!(outcome, Outcome::Accepted(m) if m.step == 1));
    /// assert_eq!(state.version, 1);
    /// # Ok::<(), otpkit::Error>(())
    /// ```
    #[must_use]
    pub fn check(&self, state: &State, code: &str, time: u64) -> (Outcome, State) {
        if let Some(until) = state.throttled_until(time) {
            return (Outcome::Throttled { until }, *state);
        }
        match &self.generator {
            Generator::Totp(totp) => {
                let centre = self.policy.centre(state);
                let window = self.policy.window;
                let from = centre.min(0) - i64::from(window.behind());
                let to = centre.max(0) + i64::from(window.ahead());
                let result = totp.verify_span(code, time, from, to, state.last_step);
                self.settle(state, result, time, |next, m| {
                    next.last_step = Some(m.step);
                    self.follow_drift(next, m.offset.saturating_sub(centre), centre);
                })
            }
            Generator::Hotp(hotp) => {
                let result = hotp.verify_counter(code, state.counter, self.policy.look_ahead, true);
                self.settle(state, result, time, |next, m| {
                    next.last_step = Some(m.step);
                    next.counter = m.next_counter();
                })
            }
        }
    }

    /// Resynchronises from two consecutive codes the user typed (throttled like
    /// [`Verifier::check`]).
    ///
    /// - HOTP (RFC 4226 §7.4): looks for the pair from the stored counter up to
    ///   [`Policy::resync_look_ahead`] counters ahead and moves the counter past the second.
    /// - TOTP (RFC 6238 §6): looks for the pair within [`Policy::max_drift`] steps either side
    ///   of the current step (the second code being the newer) and centres the window on the
    ///   second code's offset — for a clock too far off for [`Verifier::check`] to learn.
    ///
    /// Accepting the pair counts as a login with the second code.
    ///
    /// # Examples
    ///
    /// ```
    /// use otpkit::{Algorithm, Digits, Outcome, Policy, State, Totp, Verifier};
    ///
    /// let totp = Totp::new(Algorithm::Sha1, b"12345678901234567890", Digits::EIGHT, 30)?;
    /// let v = Verifier::totp(totp.clone(), Policy::default());
    /// // A phone 4 steps slow: too far off for the ±1 window ...
    /// let now = 3000; // step 100
    /// let (first, second) = (totp.generate_at_step(95), totp.generate_at_step(96));
    /// assert_eq!(v.check(&State::new(), second.as_str(), now).0, Outcome::WrongCode);
    /// // ... but two consecutive codes centre the window on it.
    /// let (outcome, state) = v.resync(&State::new(), first.as_str(), second.as_str(), now);
    /// assert!(outcome.is_accepted());
    /// assert_eq!(state.drift, -4);
    /// let later = totp.generate_at_step(106);
    /// assert!(v.check(&state, later.as_str(), now + 300).0.is_accepted());
    /// # Ok::<(), otpkit::Error>(())
    /// ```
    #[must_use]
    pub fn resync(&self, state: &State, first: &str, second: &str, time: u64) -> (Outcome, State) {
        if let Some(until) = state.throttled_until(time) {
            return (Outcome::Throttled { until }, *state);
        }
        match &self.generator {
            Generator::Hotp(hotp) => {
                let result =
                    hotp.resync(first, second, state.counter, self.policy.resync_look_ahead);
                self.settle(state, result, time, |next, m| {
                    next.last_step = Some(m.step);
                    next.counter = m.next_counter();
                })
            }
            Generator::Totp(totp) => {
                let current = match totp.step(time) {
                    Ok(current) => current,
                    Err(_) => return (Outcome::TimeBeforeT0, *state),
                };
                // The second code's step within `reach` of the current one; the first just
                // before it.
                let reach = self.policy.max_drift;
                let start = current.saturating_sub(u64::from(reach)).saturating_sub(1);
                let result = totp
                    .hotp()
                    .resync(first, second, start, reach.saturating_mul(2))
                    .and_then(|m| {
                        // Both codes must be fresh: the first one's step after the last accepted.
                        match state.last_step {
                            Some(used) if m.step.saturating_sub(1) <= used => {
                                Err(VerifyError::Replayed)
                            }
                            _ => Ok(Match {
                                step: m.step,
                                offset: offset(m.step, current),
                            }),
                        }
                    });
                let bound = i64::from(reach);
                self.settle(state, result, time, |next, m| {
                    next.last_step = Some(m.step);
                    next.drift = clamp_i32(m.offset.clamp(-bound, bound));
                    next.drift_pending = 0;
                    next.drift_streak = 0;
                })
            }
        }
    }

    /// Turns a core verification result into an outcome and the state to store.
    fn settle(
        &self,
        state: &State,
        result: Result<Match, VerifyError>,
        time: u64,
        accept: impl FnOnce(&mut State, Match),
    ) -> (Outcome, State) {
        match result {
            Ok(m) => {
                let mut next = state.succeeded();
                accept(&mut next, m);
                (Outcome::Accepted(m), next)
            }
            Err(VerifyError::Replayed) => (Outcome::AlreadyUsed, *state),
            Err(VerifyError::Malformed(e)) => (Outcome::Malformed(e), *state),
            Err(VerifyError::TimeBeforeT0) => (Outcome::TimeBeforeT0, *state),
            Err(_) => (Outcome::WrongCode, state.failed(self.policy.throttle, time)),
        }
    }

    /// The drift rule, after a code accepted `rel` steps from the window's `centre`.
    fn follow_drift(&self, next: &mut State, rel: i64, centre: i64) {
        if !self.policy.tracks_drift() {
            return;
        }
        let pending = i64::from(next.drift_pending);
        if rel == 0 {
            next.drift_pending = 0;
            next.drift_streak = 0;
            return;
        }
        if pending != 0 && (pending > 0) == (rel > 0) {
            next.drift_streak = next.drift_streak.saturating_add(1);
            if rel.abs() < pending.abs() {
                next.drift_pending = clamp_i32(rel);
            }
        } else {
            next.drift_pending = clamp_i32(rel);
            next.drift_streak = 1;
        }
        if next.drift_streak >= self.policy.drift_after {
            let bound = i64::from(self.policy.max_drift);
            let moved = centre.saturating_add(i64::from(next.drift_pending));
            next.drift = clamp_i32(moved.clamp(-bound, bound));
            next.drift_pending = 0;
            next.drift_streak = 0;
        }
    }
}

/// Narrows a small signed value, saturating at the ends of `i32`.
fn clamp_i32(v: i64) -> i32 {
    i32::try_from(v).unwrap_or(if v < 0 { i32::MIN } else { i32::MAX })
}
