//! The service-side verifier: a [`Policy`] applied to a stored [`State`] — window, replay,
//! throttling, clock drift, HOTP counters and resynchronisation. It reads no clock and does no
//! I/O: a check takes the state, the typed code and the time, and returns the [`Outcome`] with
//! the state to store. Recovery codes, which share the [`State`]'s throttle, are in
//! [`recovery`](crate::recovery).
//!
//! One concept per file: [`Policy`] (`policy.rs`), [`Throttle`] (`throttle.rs`), [`State`]
//! (`state.rs`), [`Outcome`] (`outcome.rs`), [`Error`] (`error.rs`), the serde forms
//! (`serde_impl.rs`); this file holds the [`Verifier`] and its rules.

use crate::code::TypedCode;
use crate::error::VerifyError;
use crate::hotp::Hotp;
use crate::totp::Totp;
use crate::verify::{Match, offset, scan};

mod error;
mod outcome;
mod policy;
#[cfg(feature = "serde")]
mod serde_impl;
mod state;
#[cfg(test)]
pub(crate) mod tests;
mod throttle;

pub use error::Error;
pub use outcome::Outcome;
pub use policy::Policy;
pub use state::State;
pub use throttle::Throttle;

/// The generator a [`Verifier`] checks codes against.
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
/// use otpkit::{Algorithm, Digits, Totp, verifier::{Outcome, Policy, State, Verifier}};
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
/// # use otpkit::{Algorithm, Digits, Totp, verifier::{Outcome, Policy, State, Verifier}};
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
/// # use otpkit::{Algorithm, Digits, Totp, verifier::{Outcome, Policy, State, Verifier}};
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
/// # use otpkit::{Algorithm, Digits, Totp, verifier::{Outcome, Policy, State, Verifier}};
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
/// use otpkit::{Algorithm, Digits, Hotp, verifier::{Outcome, Policy, State, Verifier}};
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
/// **Recovery codes** (with `alloc`): see [`recovery::Codes`](crate::recovery::Codes) and
/// [`recovery::Codes::redeem`](crate::recovery::Codes::redeem), which share the state's throttle.
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
/// # use otpkit::{Algorithm, Digits, Totp, verifier::{Outcome, Policy, State, Verifier}};
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
    /// # use otpkit::{Totp, verifier::{Policy, Verifier}};
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
    /// # use otpkit::{Algorithm, Digits, Hotp, verifier::{Policy, State, Verifier}};
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

    /// A verifier for a stored credential. Start the state of an enrolled credential with
    /// [`State::for_confirmed`], so the code that confirmed the enrolment cannot log in again
    /// ([`State::for_credential`] for one that was not confirmed by a code, such as an HOTP
    /// token); from then on the HOTP counter in the state, not the credential's, is the one that
    /// counts.
    ///
    /// # Errors
    ///
    /// As [`Credential::to_hotp`](crate::Credential::to_hotp), which cannot fail for a valid
    /// credential.
    ///
    /// # Examples
    ///
    /// ```
    /// use otpkit::{Algorithm, Credential, Digits, Secret, verifier::{Policy, State, Verifier}};
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
        use crate::credential::Kind;
        Ok(match credential.kind() {
            Kind::Hotp { .. } => Self::hotp(credential.to_hotp()?, policy),
            Kind::Totp { .. } | Kind::Steam => Self::totp(credential.to_totp()?, policy),
        })
    }

    /// The policy.
    ///
    /// # Examples
    ///
    /// ```
    /// # use otpkit::{Totp, verifier::{Policy, Verifier}};
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
    /// # use otpkit::{Algorithm, Digits, Totp, verifier::{Outcome, Policy, State, Verifier}};
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
                let result = self.check_totp(totp, state, code, time, centre);
                self.settle(state, result, time, |next, m| {
                    next.last_step = Some(m.step);
                    self.follow_drift(next, m.offset.saturating_sub(centre), centre);
                })
            }
            Generator::Hotp(hotp) => {
                let result = self.check_hotp(hotp, state, code);
                self.settle(state, result, time, |next, m| {
                    next.last_step = Some(m.step);
                    next.counter = m.next_counter();
                })
            }
        }
    }

    /// The TOTP window of this state: the policy's window around the drift `centre`,
    /// stretched to still reach the server's own step. Its width is bounded by the policy
    /// (window plus [`Policy::MAX_DRIFT`]); the offset returned is from the current step.
    fn check_totp(
        &self,
        totp: &Totp,
        state: &State,
        code: &str,
        time: u64,
        centre: i64,
    ) -> Result<Match, VerifyError> {
        let typed = TypedCode::parse(code, totp.hotp().format())?;
        let current = totp.step(time)?;
        let window = self.policy.window;
        let from = centre.min(0) - i64::from(window.behind());
        let to = centre.max(0) + i64::from(window.ahead());
        let first = current.saturating_add_signed(from);
        let last = current.saturating_add_signed(to);
        let step = scan(&typed, first, last, state.last_step, totp.hotp())?;
        Ok(Match {
            step,
            offset: offset(step, current),
        })
    }

    /// The HOTP look-ahead of this state, from the stored counter up to
    /// [`Policy::look_ahead`] (bounded by [`Window::MAX`](crate::Window::MAX) when the policy
    /// was built). The counter just before, the last one accepted, is scanned too, so that the
    /// code just used is told apart as already used rather than wrong.
    fn check_hotp(&self, hotp: &Hotp, state: &State, code: &str) -> Result<Match, VerifyError> {
        let typed = TypedCode::parse(code, hotp.format())?;
        let counter = state.counter;
        // Counter u64::MAX is never accepted, so that the next counter always fits.
        if counter == u64::MAX {
            return Err(VerifyError::Mismatch);
        }
        let last = counter
            .saturating_add(u64::from(self.policy.look_ahead))
            .min(u64::MAX - 1);
        let (first, last_accepted) = match counter.checked_sub(1) {
            Some(used) => (used, Some(used)),
            None => (counter, None),
        };
        let step = scan(&typed, first, last, last_accepted, hotp)?;
        Ok(Match {
            step,
            offset: offset(step, counter),
        })
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
    /// use otpkit::{Algorithm, Digits, Totp, verifier::{Outcome, Policy, State, Verifier}};
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
                let reach = self.policy.max_drift;
                let result = Self::resync_totp(totp, state, first, second, time, reach);
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

    /// A TOTP pair whose second code's step is within `reach` of the current one, the first
    /// just before it; both must be after the last accepted step. The offset returned is the
    /// second code's, from the current step.
    fn resync_totp(
        totp: &Totp,
        state: &State,
        first: &str,
        second: &str,
        time: u64,
        reach: u32,
    ) -> Result<Match, VerifyError> {
        let current = totp.step(time)?;
        // The second code's step lies in `current - reach ..= current + reach`, clipped at
        // both ends: near T0 the start stops at step 0 (the first code's), and the end stays
        // at `current + reach` rather than sliding forward by what was clipped.
        let start = current.saturating_sub(u64::from(reach)).saturating_sub(1);
        let end = current.saturating_add(u64::from(reach));
        let span = end.saturating_sub(1).saturating_sub(start);
        let look_ahead = u32::try_from(span)
            .unwrap_or(u32::MAX)
            .min(reach.saturating_mul(2));
        let m = totp.hotp().resync(first, second, start, look_ahead)?;
        // At step 0 with no drift allowed, no pair fits (the scan still ran, for the typed
        // codes' errors and its constant time): the one pair it saw ends past `end`.
        if m.step > end {
            return Err(VerifyError::Mismatch);
        }
        match state.last_step {
            Some(used) if m.step.saturating_sub(1) <= used => Err(VerifyError::Replayed),
            Some(_) | None => Ok(Match {
                step: m.step,
                offset: offset(m.step, current),
            }),
        }
    }

    /// Turns a core verification result into an outcome and the state to store: the one
    /// mapping from [`VerifyError`] to [`Outcome`], exhaustive, so that an error added later
    /// must be placed here rather than fall into a counted guess.
    ///
    /// Only [`VerifyError::Mismatch`] is the user's wrong guess, counted by the throttle. A
    /// setup error (a time before T0, a look-ahead over its bound, a clock before 1970) is the
    /// server's problem: it becomes [`Outcome::Misconfigured`], the state is kept as it was,
    /// and nothing is counted — a misconfigured server must not lock its users out.
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
            Err(VerifyError::Mismatch) => {
                (Outcome::WrongCode, state.failed(self.policy.throttle, time))
            }
            Err(VerifyError::Replayed) => (Outcome::AlreadyUsed, *state),
            Err(VerifyError::Malformed(e)) => (Outcome::Malformed(e), *state),
            Err(VerifyError::Setup(e)) => (Outcome::Misconfigured(e), *state),
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
