//! Throttling of failed attempts.

/// Throttling of failed attempts (RFC 4226 §7.3): after `free_failures` consecutive failures
/// every further attempt is refused until a delay has passed; the delay starts at `delay`
/// seconds and doubles with each further failure, up to `max_delay`. A success resets it.
///
/// The default allows 5 failures, then waits 30 s, 60 s, 120 s, … up to one hour.
///
/// # Examples
///
/// ```
/// use otpkit::verifier::Throttle;
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
    pub(super) free_failures: u32,
    pub(super) delay: u64,
    pub(super) max_delay: u64,
}

impl Throttle {
    /// Never throttles. Only for tests and for services that throttle elsewhere.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(otpkit::verifier::Throttle::NONE.delay_after(1000), 0);
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
    /// let t = otpkit::verifier::Throttle::new(3, 10, 25);
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
    /// assert_eq!(otpkit::verifier::Throttle::default().free_failures(), 5);
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
    /// assert_eq!(otpkit::verifier::Throttle::default().delay(), 30);
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
    /// assert_eq!(otpkit::verifier::Throttle::default().max_delay(), 3600);
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
    /// let t = otpkit::verifier::Throttle::new(1, 1, u64::MAX);
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
