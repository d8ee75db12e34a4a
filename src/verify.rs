//! The verification window and the constant-time scan over its candidates.

use subtle::{Choice, ConditionallySelectable, ConstantTimeGreater, CtOption};

use crate::algorithm::LANES;
use crate::code::TypedCode;
use crate::error::{Error, VerifyError};
#[cfg(doc)]
use crate::hotp::Hotp;

/// How many steps before and after the current one a typed code may come from.
///
/// The default is one step either way, RFC 6238 §5.2's recommendation for a network delay of
/// about a period. Each side is bounded by [`Window::MAX`] so that one request cannot make the
/// verifier compute more than 201 codes.
///
/// # Examples
///
/// ```
/// use otpkit::{Error, Window};
///
/// let w = Window::new(2, 1)?;
/// assert_eq!((w.behind(), w.ahead()), (2, 1));
/// assert_eq!(Window::default(), Window::symmetric(1)?);
/// assert_eq!(Window::new(101, 0), Err(Error::WindowTooLarge));
/// # Ok::<(), Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Window {
    behind: u32,
    ahead: u32,
}

impl Window {
    /// The most steps allowed on either side.
    ///
    /// # Examples
    ///
    /// ```
    /// use otpkit::Window;
    /// assert!(Window::new(Window::MAX, 0).is_ok());
    /// assert!(Window::new(Window::MAX + 1, 0).is_err());
    /// ```
    pub const MAX: u32 = 100;

    /// Only the current step.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(otpkit::Window::EXACT.ahead(), 0);
    /// ```
    pub const EXACT: Self = Self {
        behind: 0,
        ahead: 0,
    };

    /// A window of `behind` earlier and `ahead` later steps.
    ///
    /// # Errors
    ///
    /// [`Error::WindowTooLarge`] when either side exceeds [`Window::MAX`].
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(otpkit::Window::new(100, 100).is_ok());
    /// ```
    pub const fn new(behind: u32, ahead: u32) -> Result<Self, Error> {
        if behind > Self::MAX || ahead > Self::MAX {
            Err(Error::WindowTooLarge)
        } else {
            Ok(Self { behind, ahead })
        }
    }

    /// The same number of steps on both sides.
    ///
    /// # Errors
    ///
    /// [`Error::WindowTooLarge`] when `steps` exceeds [`Window::MAX`].
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(otpkit::Window::symmetric(2)?.behind(), 2);
    /// # Ok::<(), otpkit::Error>(())
    /// ```
    pub const fn symmetric(steps: u32) -> Result<Self, Error> {
        Self::new(steps, steps)
    }

    /// Steps accepted before the current one.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(otpkit::Window::default().behind(), 1);
    /// ```
    #[must_use]
    pub const fn behind(self) -> u32 {
        self.behind
    }

    /// Steps accepted after the current one.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(otpkit::Window::default().ahead(), 1);
    /// ```
    #[must_use]
    pub const fn ahead(self) -> u32 {
        self.ahead
    }

    /// The inclusive range of steps around `current`, clipped at 0 and `u64::MAX`.
    pub(crate) fn bounds(self, current: u64) -> (u64, u64) {
        (
            current.saturating_sub(u64::from(self.behind)),
            current.saturating_add(u64::from(self.ahead)),
        )
    }
}

impl Default for Window {
    fn default() -> Self {
        Self {
            behind: 1,
            ahead: 1,
        }
    }
}

/// An accepted code: the step (for HOTP, the counter) it was generated for, and how far that is
/// from the current step (for HOTP, from the stored counter).
///
/// # Examples
///
/// ```
/// use otpkit::{Algorithm, Digits, Totp, Window};
///
/// let totp = Totp::new(Algorithm::Sha1, b"12345678901234567890", Digits::EIGHT, 30)?;
/// let code = totp.generate(59 - 30)?; // the code of the step before
/// let m = totp.verify(code.as_str(), 59, Window::default()).unwrap();
/// assert_eq!((m.step, m.offset), (0, -1));
/// # Ok::<(), otpkit::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Match {
    /// The step (TOTP) or counter (HOTP) whose code matched. Store it as the last accepted step.
    pub step: u64,
    /// `step` minus the current step (TOTP) or minus the stored counter (HOTP).
    pub offset: i64,
}

impl Match {
    /// For HOTP: the counter to store after this match, one past the matched counter.
    ///
    /// HOTP verification never accepts counter `u64::MAX`, so this never overflows.
    ///
    /// # Examples
    ///
    /// ```
    /// use otpkit::{Algorithm, Digits, Hotp};
    ///
    /// let hotp = Hotp::new(Algorithm::Sha1, b"12345678901234567890", Digits::SIX)?;
    /// let m = hotp.verify("359152", 0, 5).unwrap(); // RFC 4226's code for counter 2
    /// assert_eq!((m.step, m.offset, m.next_counter()), (2, 2, 3));
    /// # Ok::<(), otpkit::Error>(())
    /// ```
    #[must_use]
    pub const fn next_counter(&self) -> u64 {
        self.step.saturating_add(1)
    }
}

/// The signed distance `step - origin`, saturating at the ends of `i64`.
///
/// Computed without branching on which side of `origin` the step is: a matched step is the
/// secret, and a branch on its side showed in the dudect bench (`benches/ct_verify.rs`) as a
/// timing difference between a match at the first and at the last step of the window. Within
/// a window the clamp never bites, so its comparisons always go the same way.
pub(crate) fn offset(step: u64, origin: u64) -> i64 {
    let wide =
        (i128::from(step) - i128::from(origin)).clamp(i128::from(i64::MIN), i128::from(i64::MAX));
    i64::try_from(wide).unwrap_or_default()
}

/// The one constant-time search of the crate: window verification ([`scan`]), HOTP
/// resynchronisation ([`Hotp::resync`]) and recovery-code lookup all go through it.
///
/// Each candidate is a `(Choice, value)` pair: whether it matches, and what to return if it
/// does. Every candidate is visited, whatever the earlier ones said; a match is kept with
/// `conditional_assign`, so neither which candidate matched nor whether one did changes the
/// instructions run. The answer is a [`CtOption`], and the caller branches on it once, at the
/// end: the only branch on secret data. Among several matches the last one wins (in a window,
/// the latest step).
///
/// The candidates come as an iterator so that the producer decides how they are computed: one
/// HMAC at a time today, or several side by side in fixed-size chunks flattened into the same
/// stream. Every candidate must be computed the same way; only public facts (a window's
/// bounds, a list's length) may decide how many there are.
pub(crate) fn select_last<T: ConditionallySelectable + Default>(
    candidates: impl IntoIterator<Item = (Choice, T)>,
) -> CtOption<T> {
    let mut found = Choice::from(0);
    let mut selected = T::default();
    for (is_match, value) in candidates {
        selected.conditional_assign(&value, is_match);
        found |= is_match;
    }
    CtOption::new(selected, found)
}

/// Window verification: the latest step in `first..=last` whose code (`code_at`, the
/// generator's code of a step) is `typed`, if it comes after `last_accepted` (RFC 6238 §5.2).
/// Every step's code is computed and compared, through [`select_last`].
///
/// The latest match settles freshness too: steps rise through the window, so if any matching
/// step is after `last_accepted`, the latest one is; storing it burns every step the same text
/// could match. A text that matches only steps at or before `last_accepted` is
/// [`VerifyError::Replayed`]. Callers choose the bounds (the public methods from a [`Window`]
/// or a look-ahead, the verifier from its policy) and keep `last - first` bounded.
pub(crate) fn scan(
    typed: &TypedCode,
    first: u64,
    last: u64,
    last_accepted: Option<u64>,
    source: impl CodeSource,
) -> Result<u64, VerifyError> {
    let latest = select_last(
        candidates(&source, first, last).map(|(step, value)| (typed.ct_eq_value(value), step)),
    );
    let step = latest.unwrap_or(0);
    // Whether a step is fresh is computed on the selected step, without a branch on it.
    let fresh = match last_accepted {
        Some(used) => step.ct_gt(&used),
        None => Choice::from(1),
    };
    let found = latest.is_some();
    if bool::from(found & fresh) {
        Ok(step)
    } else if bool::from(found) {
        Err(VerifyError::Replayed)
    } else {
        Err(VerifyError::Mismatch)
    }
}

/// What computes the candidates: the number each step's code shows ([`Format::reduce`] of
/// its truncated value), which [`TypedCode::ct_eq_value`] compares without rendering text.
/// [`Hotp`] is the one source; its HMACs run in stages so that a chunk's compressions overlap.
///
/// [`Format::reduce`]: crate::code::Format::reduce
pub(crate) trait CodeSource {
    /// The numbers of steps `first`, `first + 1`, … into every slot of `out` (at most
    /// [`LANES`]).
    fn values_into(&self, first: u64, out: &mut [u64]);
}

/// The candidates of every step in `first..=last`, in order, as `(step, number)`: computed a
/// chunk of [`LANES`] at a time into a fixed array on the stack (no allocation, whatever the
/// window), then handed out one by one. Only the bounds, public, decide how many chunks and
/// lanes run.
pub(crate) fn candidates<S: CodeSource>(source: &S, first: u64, last: u64) -> Candidates<'_, S> {
    Candidates {
        source,
        step: first,
        left: if last >= first {
            (last - first).saturating_add(1)
        } else {
            0
        },
        values: [0; LANES],
        at: 0,
        filled: 0,
    }
}

/// The stream [`candidates`] returns: a chunk's numbers on the stack, handed out one by one,
/// the next chunk computed when they run out. (A plain struct rather than a chain of iterator
/// adapters: a ±1 scan spent more instructions in the adapters than in its comparisons.)
pub(crate) struct Candidates<'a, S> {
    source: &'a S,
    /// The step of the next candidate handed out.
    step: u64,
    /// Candidates not yet handed out.
    left: u64,
    /// The current chunk's numbers; `values[at..filled]` are still to hand out.
    values: [u64; LANES],
    at: usize,
    filled: usize,
}

impl<S: CodeSource> Iterator for Candidates<'_, S> {
    type Item = (u64, u64);

    #[inline]
    fn next(&mut self) -> Option<(u64, u64)> {
        if self.left == 0 {
            return None;
        }
        if self.at >= self.filled {
            // Only the public count of what is left decides the chunk's size.
            let n = usize::try_from(self.left.min(LANES as u64)).unwrap_or(LANES);
            self.source
                .values_into(self.step, self.values.get_mut(..n).unwrap_or_default());
            self.at = 0;
            self.filled = n;
        }
        let value = *self.values.get(self.at)?;
        let step = self.step;
        self.at += 1;
        self.left -= 1;
        self.step = self.step.wrapping_add(1);
        Some((step, value))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = usize::try_from(self.left).ok();
        (left.unwrap_or(usize::MAX), left)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_clip_at_both_ends() {
        let w = Window::new(3, 4).unwrap();
        assert_eq!(w.bounds(10), (7, 14));
        assert_eq!(w.bounds(1), (0, 5));
        assert_eq!(w.bounds(u64::MAX - 1), (u64::MAX - 4, u64::MAX));
        let max = Window::symmetric(Window::MAX).unwrap();
        assert_eq!(max.bounds(0), (0, 100));
    }

    #[test]
    fn select_last_visits_every_candidate_and_keeps_the_last_match() {
        let visited = core::cell::Cell::new(0);
        let candidates = |matches: &'static [u64]| {
            let visited = &visited;
            (0..10u64).map(move |i| {
                visited.set(visited.get() + 1);
                (Choice::from(u8::from(matches.contains(&i))), i * 100)
            })
        };
        let found = select_last(candidates(&[2, 7]));
        assert_eq!(Option::<u64>::from(found), Some(700));
        assert_eq!(visited.get(), 10);
        // A match at the very first candidate still visits the rest.
        visited.set(0);
        assert_eq!(Option::<u64>::from(select_last(candidates(&[0]))), Some(0));
        assert_eq!(visited.get(), 10);
        visited.set(0);
        assert!(bool::from(select_last(candidates(&[])).is_none()));
        assert_eq!(visited.get(), 10);
    }

    #[test]
    fn candidates_cover_every_step_once_in_order_across_chunks() {
        // Each step's number is the one its generated code spells, across chunk boundaries
        // and up to u64::MAX, for decimal and Steam formats.
        let key = b"12345678901234567890";
        let decimal = crate::Hotp::new(crate::Algorithm::Sha1, key, crate::Digits::SEVEN).unwrap();
        let steam = crate::Totp::steam(key).unwrap();
        for hotp in [&decimal, steam.hotp()] {
            for (first, last) in [
                (0u64, 0u64),
                (5, 5 + LANES as u64 - 1),
                (5, 5 + LANES as u64),
                // Many chunks natively; three under Miri, where each HMAC is slow.
                (10, if cfg!(miri) { 30 } else { 210 }),
                (u64::MAX - 3, u64::MAX),
            ] {
                let got: std::vec::Vec<(u64, u64)> = candidates(&hotp, first, last).collect();
                assert_eq!(got.len(), usize::try_from(last - first + 1).unwrap());
                for ((step, value), expected) in got.into_iter().zip(first..=last) {
                    assert_eq!(step, expected);
                    let code = hotp.generate(step);
                    let typed = TypedCode::parse(code.as_str(), hotp.format()).unwrap();
                    assert!(
                        bool::from(typed.ct_eq_value(value)),
                        "{first}..={last} at {step}"
                    );
                }
            }
            assert_eq!(candidates(&hotp, 7, 6).count(), 0);
        }
    }

    #[test]
    fn offsets_are_signed_distances() {
        assert_eq!(offset(5, 7), -2);
        assert_eq!(offset(7, 5), 2);
        assert_eq!(offset(u64::MAX, 0), i64::MAX);
        assert_eq!(offset(0, u64::MAX), i64::MIN);
    }
}
