//! The rules a verifier applies.

use crate::hotp::Hotp;
use crate::verify::Window;

use super::{Error, State, Throttle};

/// The rules a [`Verifier`](super::Verifier) applies: the window, the drift bound, throttling and HOTP
/// look-ahead. The [`Verifier`](super::Verifier) docs show each rule at work.
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
/// use otpkit::{Window, verifier::{Policy, Throttle}};
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
    pub(super) window: Window,
    pub(super) max_drift: u32,
    pub(super) drift_after: u32,
    pub(super) throttle: Throttle,
    pub(super) look_ahead: u32,
    pub(super) resync_look_ahead: u32,
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
    /// # use otpkit::verifier::Policy;
    /// assert!(Policy::default().with_max_drift(Policy::MAX_DRIFT).is_ok());
    /// ```
    pub const MAX_DRIFT: u32 = 100;

    /// Sets the window around the (drift-corrected) current step.
    ///
    /// # Examples
    ///
    /// ```
    /// # use otpkit::{Window, verifier::Policy};
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
    /// [`Error::DriftTooLarge`] over [`Policy::MAX_DRIFT`].
    ///
    /// # Examples
    ///
    /// ```
    /// # use otpkit::verifier::Policy;
    /// assert_eq!(Policy::default().with_max_drift(0)?.max_drift(), 0);
    /// # Ok::<(), otpkit::verifier::Error>(())
    /// ```
    pub const fn with_max_drift(mut self, steps: u32) -> Result<Self, Error> {
        if steps > Self::MAX_DRIFT {
            return Err(Error::DriftTooLarge);
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
    /// # use otpkit::verifier::Policy;
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
    /// # use otpkit::verifier::{Policy, Throttle};
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
    /// [`Error::LookAhead`] with [`crate::Error::LookAheadTooLarge`] over [`Window::MAX`].
    ///
    /// # Examples
    ///
    /// ```
    /// # use otpkit::verifier::Policy;
    /// assert_eq!(Policy::default().with_look_ahead(3)?.look_ahead(), 3);
    /// # Ok::<(), otpkit::verifier::Error>(())
    /// ```
    pub const fn with_look_ahead(mut self, counters: u32) -> Result<Self, Error> {
        if counters > Window::MAX {
            return Err(Error::LookAhead(crate::Error::LookAheadTooLarge));
        }
        self.look_ahead = counters;
        Ok(self)
    }

    /// Sets the larger look-ahead of HOTP resynchronisation (RFC 4226 §7.4).
    ///
    /// # Errors
    ///
    /// [`Error::LookAhead`] with [`crate::Error::ResyncLookAheadTooLarge`] over
    /// [`Hotp::MAX_RESYNC_WINDOW`].
    ///
    /// # Examples
    ///
    /// ```
    /// # use otpkit::verifier::Policy;
    /// assert_eq!(Policy::default().with_resync_look_ahead(500)?.resync_look_ahead(), 500);
    /// # Ok::<(), otpkit::verifier::Error>(())
    /// ```
    pub const fn with_resync_look_ahead(mut self, counters: u32) -> Result<Self, Error> {
        if counters > Hotp::MAX_RESYNC_WINDOW {
            return Err(Error::LookAhead(crate::Error::ResyncLookAheadTooLarge));
        }
        self.resync_look_ahead = counters;
        Ok(self)
    }

    /// The window around the (drift-corrected) current step.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(otpkit::verifier::Policy::default().window(), otpkit::Window::default());
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
    /// assert_eq!(otpkit::verifier::Policy::default().max_drift(), 10);
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
    /// assert_eq!(otpkit::verifier::Policy::default().drift_after(), 3);
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
    /// assert_eq!(otpkit::verifier::Policy::default().throttle().free_failures(), 5);
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
    /// assert_eq!(otpkit::verifier::Policy::default().look_ahead(), 10);
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
    /// assert_eq!(otpkit::verifier::Policy::default().resync_look_ahead(), 100);
    /// ```
    #[must_use]
    pub const fn resync_look_ahead(&self) -> u32 {
        self.resync_look_ahead
    }

    /// Whether drift is tracked at all.
    pub(super) const fn tracks_drift(&self) -> bool {
        self.drift_after > 0 && self.max_drift > 0
    }

    /// The stored drift, clamped to this policy's bound (a stored state may hold anything).
    pub(super) fn centre(&self, state: &State) -> i64 {
        if !self.tracks_drift() {
            return 0;
        }
        let bound = i64::from(self.max_drift);
        i64::from(state.drift).clamp(-bound, bound)
    }
}
