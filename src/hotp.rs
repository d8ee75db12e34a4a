//! HOTP (RFC 4226): codes from a counter, look-ahead verification and resynchronisation.

use core::fmt;

use subtle::Choice;

use crate::algorithm::{Algorithm, KeyedMac, LANES};
use crate::code::{Code, Digits, Format, TypedCode};
use crate::error::{Error, VerifyError};
use crate::verify::{CodeSource, Match, Window, candidates, offset, scan, select_last};

/// An HOTP generator and verifier (RFC 4226), keyed once when built.
///
/// Building it keys the HMAC and keeps the inner and outer hash states, so each code costs two
/// hash compressions and no allocation. The states are wiped when the value is dropped, and
/// `Debug` shows no key material.
///
/// # Examples
///
/// ```
/// use otpkit::{Algorithm, Digits, Hotp};
///
/// // RFC 4226 Appendix D.
/// let hotp = Hotp::new(Algorithm::Sha1, b"12345678901234567890", Digits::SIX)?;
/// assert_eq!(hotp.generate(0).as_str(), "755224");
/// assert_eq!(hotp.generate(9).as_str(), "520489");
///
/// // The server's counter is 0; the user pressed the button twice without logging in.
/// let m = hotp.verify("359152", 0, 10).unwrap();
/// assert_eq!(m.next_counter(), 3);
/// # Ok::<(), otpkit::Error>(())
/// ```
#[derive(Clone)]
pub struct Hotp {
    mac: KeyedMac,
    format: Format,
}

impl Hotp {
    /// The largest look-ahead [`Hotp::resync`] accepts.
    ///
    /// # Examples
    ///
    /// ```
    /// # use otpkit::{Algorithm, Digits, Error, Hotp, VerifyError};
    /// let hotp = Hotp::new(Algorithm::Sha1, b"key", Digits::SIX)?;
    /// let too_far = hotp.resync("123456", "654321", 0, Hotp::MAX_RESYNC_WINDOW + 1);
    /// assert_eq!(too_far, Err(VerifyError::Setup(Error::ResyncLookAheadTooLarge)));
    /// # Ok::<(), otpkit::Error>(())
    /// ```
    pub const MAX_RESYNC_WINDOW: u32 = 1000;

    /// Keys an HOTP generator with a secret of any length of one byte or more.
    ///
    /// # Errors
    ///
    /// [`Error::EmptyKey`] for an empty key.
    ///
    /// # Examples
    ///
    /// ```
    /// # use otpkit::{Algorithm, Digits, Hotp, Error};
    /// assert!(Hotp::new(Algorithm::Sha256, &[7; 200], Digits::EIGHT).is_ok());
    /// assert_eq!(Hotp::new(Algorithm::Sha1, b"", Digits::SIX).err(), Some(Error::EmptyKey));
    /// ```
    pub fn new(algorithm: Algorithm, key: &[u8], digits: Digits) -> Result<Self, Error> {
        Self::with_format(algorithm, key, Format::Decimal(digits))
    }

    pub(crate) fn with_format(
        algorithm: Algorithm,
        key: &[u8],
        format: Format,
    ) -> Result<Self, Error> {
        Ok(Self {
            mac: KeyedMac::new(algorithm, key)?,
            format,
        })
    }

    /// The hash algorithm under HMAC.
    ///
    /// # Examples
    ///
    /// ```
    /// # use otpkit::{Algorithm, Digits, Hotp};
    /// let hotp = Hotp::new(Algorithm::Sha512, b"key", Digits::SIX)?;
    /// assert_eq!(hotp.algorithm(), Algorithm::Sha512);
    /// # Ok::<(), otpkit::Error>(())
    /// ```
    #[must_use]
    pub fn algorithm(&self) -> Algorithm {
        self.mac.algorithm()
    }

    /// The number of characters of each code: the digits, or 5 for Steam Guard.
    ///
    /// # Examples
    ///
    /// ```
    /// # use otpkit::{Algorithm, Digits, Hotp};
    /// let hotp = Hotp::new(Algorithm::Sha1, b"key", Digits::EIGHT)?;
    /// assert_eq!(hotp.code_len(), 8);
    /// # Ok::<(), otpkit::Error>(())
    /// ```
    #[must_use]
    pub fn code_len(&self) -> usize {
        usize::from(self.format.len())
    }

    /// Whether codes are rendered as Steam Guard text instead of digits.
    ///
    /// # Examples
    ///
    /// ```
    /// # use otpkit::{Algorithm, Digits, Hotp};
    /// assert!(!Hotp::new(Algorithm::Sha1, b"key", Digits::SIX)?.is_steam());
    /// # Ok::<(), otpkit::Error>(())
    /// ```
    #[must_use]
    pub fn is_steam(&self) -> bool {
        self.format == Format::Steam
    }

    /// The code for `counter` (RFC 4226 §5.3). Defined for every `u64`.
    ///
    /// # Examples
    ///
    /// ```
    /// # use otpkit::{Algorithm, Digits, Hotp};
    /// let hotp = Hotp::new(Algorithm::Sha1, b"12345678901234567890", Digits::SIX)?;
    /// assert_eq!(hotp.generate(1).as_str(), "287082");
    /// assert_eq!(hotp.generate(u64::MAX).len(), 6);
    /// # Ok::<(), otpkit::Error>(())
    /// ```
    #[must_use]
    pub fn generate(&self, counter: u64) -> Code {
        let mut value = [0u32; 1];
        self.mac.truncated_run(counter, &mut value);
        let [value] = value;
        Code::render(value, self.format)
    }

    /// The codes of counters `first`, `first + 1`, … into the slots of `out`, without
    /// allocating, their HMACs computed side by side in chunks (so that a batch costs well under
    /// one [`Hotp::generate`] per code). Returns the number of slots filled: all of them, unless
    /// the counters would pass `u64::MAX`, where the batch stops and the rest stay as they were.
    ///
    /// # Examples
    ///
    /// ```
    /// use otpkit::{Algorithm, Code, Digits, Hotp};
    ///
    /// let hotp = Hotp::new(Algorithm::Sha1, b"12345678901234567890", Digits::SIX)?;
    /// let mut codes = [Code::default(); 10];
    /// assert_eq!(hotp.generate_batch(0, &mut codes), 10);
    /// assert_eq!(codes[0].as_str(), "755224"); // RFC 4226 Appendix D
    /// assert_eq!(codes[9].as_str(), "520489");
    /// assert_eq!(hotp.generate_batch(u64::MAX, &mut codes), 1);
    /// # Ok::<(), otpkit::Error>(())
    /// ```
    pub fn generate_batch(&self, first: u64, out: &mut [Code]) -> usize {
        let available = (u64::MAX - first).saturating_add(1);
        let n = usize::try_from(available).map_or(out.len(), |a| a.min(out.len()));
        let lanes = LANES as u64;
        let filled = out.get_mut(..n).unwrap_or_default();
        for (chunk, codes) in (0u64..).zip(filled.chunks_mut(LANES)) {
            let mut values = [0u32; LANES];
            let values = values.get_mut(..codes.len()).unwrap_or_default();
            self.mac
                .truncated_run(first.wrapping_add(chunk * lanes), values);
            for (code, value) in codes.iter_mut().zip(values.iter()) {
                *code = Code::render(*value, self.format);
            }
        }
        n
    }

    /// How codes are rendered: the verifier reads typed codes in this format.
    pub(crate) fn format(&self) -> Format {
        self.format
    }

    /// Verifies a typed code against counters `counter ..= counter + look_ahead` (RFC 4226 §7.2),
    /// in constant time over all of them. On success store [`Match::next_counter`].
    ///
    /// The text is read as [`CodeError`](crate::CodeError) describes: separators between groups
    /// and whitespace at the ends are ignored.
    ///
    /// Counter `u64::MAX` is never accepted, so the next counter always fits.
    ///
    /// # Errors
    ///
    /// [`VerifyError::Malformed`] for text that is not a code of this length (checked before any
    /// HMAC is computed), [`VerifyError::Setup`] with [`Error::LookAheadTooLarge`] for a
    /// look-ahead over [`Window::MAX`], and [`VerifyError::Mismatch`] when no counter in the
    /// window matches.
    ///
    /// # Examples
    ///
    /// ```
    /// use otpkit::{Algorithm, Digits, Hotp, VerifyError};
    ///
    /// let hotp = Hotp::new(Algorithm::Sha1, b"12345678901234567890", Digits::SIX)?;
    /// assert_eq!(hotp.verify("755 224", 0, 0).unwrap().next_counter(), 1);
    /// // Counter 0 is used up once the server stores 1.
    /// assert_eq!(hotp.verify("755224", 1, 5), Err(VerifyError::Mismatch));
    /// # Ok::<(), otpkit::Error>(())
    /// ```
    pub fn verify(&self, code: &str, counter: u64, look_ahead: u32) -> Result<Match, VerifyError> {
        let typed = TypedCode::parse(code, self.format)?;
        if look_ahead > Window::MAX {
            return Err(Error::LookAheadTooLarge.into());
        }
        if counter == u64::MAX {
            return Err(VerifyError::Mismatch);
        }
        let last = counter
            .saturating_add(u64::from(look_ahead))
            .min(u64::MAX - 1);
        let step = scan(&typed, counter, last, None, self)?;
        Ok(Match {
            step,
            offset: offset(step, counter),
        })
    }

    /// Resynchronises a counter from two consecutive codes (RFC 4226 §7.4): finds `c` in
    /// `counter ..= counter + look_ahead` whose code is `first` and whose successor's is `second`.
    /// The returned match is for the second code, so store [`Match::next_counter`] (`c + 2`).
    ///
    /// Constant time over the window; each counter's code is computed once.
    ///
    /// # Errors
    ///
    /// [`VerifyError::Malformed`] for either text, [`VerifyError::Setup`] with
    /// [`Error::ResyncLookAheadTooLarge`] for a look-ahead over [`Hotp::MAX_RESYNC_WINDOW`],
    /// [`VerifyError::Mismatch`] when no pair matches.
    ///
    /// # Examples
    ///
    /// ```
    /// use otpkit::{Algorithm, Digits, Hotp};
    ///
    /// let hotp = Hotp::new(Algorithm::Sha1, b"12345678901234567890", Digits::SIX)?;
    /// // Codes of counters 7 and 8 (RFC 4226 Appendix D), server still at 0.
    /// let m = hotp.resync("162583", "399871", 0, 100).unwrap();
    /// assert_eq!((m.step, m.next_counter()), (8, 9));
    /// # Ok::<(), otpkit::Error>(())
    /// ```
    pub fn resync(
        &self,
        first: &str,
        second: &str,
        counter: u64,
        look_ahead: u32,
    ) -> Result<Match, VerifyError> {
        let typed_first = TypedCode::parse(first, self.format)?;
        let typed_second = TypedCode::parse(second, self.format)?;
        if look_ahead > Self::MAX_RESYNC_WINDOW {
            return Err(Error::ResyncLookAheadTooLarge.into());
        }
        // The second code's counter must stay below u64::MAX, as in `verify`.
        if counter >= u64::MAX - 1 {
            return Err(VerifyError::Mismatch);
        }
        let last = counter
            .saturating_add(u64::from(look_ahead))
            .min(u64::MAX - 2);
        // Candidate `c` is the pair (c, c + 1); each counter's code is computed once (in the
        // staged chunks of the one code stream) and compared with both texts, the first
        // comparison kept for the next pair.
        let mut stream = candidates(&self, counter, last.saturating_add(1));
        let mut previous = stream
            .next()
            .map_or(Choice::from(0), |(_, value)| typed_first.ct_eq_value(value));
        let pairs = stream.map(|(next, value)| {
            let pair = previous & typed_second.ct_eq_value(value);
            previous = typed_first.ct_eq_value(value);
            (pair, next)
        });
        let matched = Option::<u64>::from(select_last(pairs)).ok_or(VerifyError::Mismatch)?;
        Ok(Match {
            step: matched,
            offset: offset(matched, counter),
        })
    }
}

/// The staged generator: a chunk's HMACs computed side by side ([`KeyedMac::truncated_run`]),
/// each reduced to the number its code shows.
impl CodeSource for &Hotp {
    fn values_into(&self, first: u64, out: &mut [u64]) {
        let mut values = [0u32; LANES];
        let n = out.len().min(LANES);
        self.mac
            .truncated_run(first, values.get_mut(..n).unwrap_or_default());
        for (slot, value) in out.iter_mut().zip(values) {
            *slot = self.format.reduce(value);
        }
    }
}

impl fmt::Debug for Hotp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Hotp")
            .field("algorithm", &self.algorithm())
            .field("format", &self.format)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg_attr(miri, ignore)] // hundreds of HMACs: minutes under Miri
    fn batches_equal_one_code_at_a_time_across_chunks_and_stop_at_the_last_counter() {
        let key = b"12345678901234567890";
        for algorithm in Algorithm::ALL {
            for format in [Format::Decimal(Digits::EIGHT), Format::Steam] {
                let hotp = Hotp::with_format(algorithm, key, format).unwrap();
                for first in [0u64, 41, u64::MAX - 20] {
                    let mut batch = [Code::default(); 21];
                    assert_eq!(hotp.generate_batch(first, &mut batch), 21);
                    for (i, code) in (0u64..).zip(&batch) {
                        assert_eq!(*code, hotp.generate(first + i), "{algorithm} {first}+{i}");
                    }
                }
                let mut batch = [Code::default(); 5];
                assert_eq!(hotp.generate_batch(u64::MAX - 1, &mut batch), 2);
                assert_eq!(batch[1], hotp.generate(u64::MAX));
                assert_eq!(batch[2], Code::default());
                assert_eq!(hotp.generate_batch(7, &mut []), 0);
            }
        }
    }
}
