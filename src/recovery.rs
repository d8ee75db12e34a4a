//! Recovery codes: single-use codes for when the authenticator is lost. The service keeps only
//! salted SHA-256 hashes; a redeemed code moves from the unused list to the used one.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use rand_core::CryptoRng;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use crate::code::read_typed;
use crate::error::CodeError;
#[cfg(doc)]
use crate::verifier::Verifier;
use crate::verifier::{State, Throttle};
use crate::verify::select_last;

mod error;
mod outcome;
#[cfg(feature = "serde")]
mod serde_impl;
#[cfg(test)]
mod tests;

pub use error::Error;
pub use outcome::Outcome;

/// Crockford's base32 alphabet: no `I`, `L`, `O` or `U`, so no two symbols look alike; when
/// reading, `O` is taken as `0` and `I`/`L` as `1`. 32 symbols give 5 bits each.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// Characters per code: 50 bits.
const LEN: usize = 10;
/// Characters before the hyphen when shown.
const GROUP: usize = 5;
const SALT_LEN: usize = 16;

/// One recovery code in plain text, to show the user once: ten characters in two groups,
/// `7QK2M-XD04R`. Wiped on drop; `Debug` does not show it.
///
/// # Examples
///
/// ```
/// let (shown, _stored) = otpkit::recovery::Codes::generate_os(1)?;
/// let code = shown[0].as_str();
/// assert_eq!(code.len(), 11);
/// assert_eq!(code.as_bytes()[5], b'-');
/// assert_eq!(format!("{:?}", shown[0]), "Code(..)");
/// # Ok::<(), otpkit::recovery::Error>(())
/// ```
pub struct Code(Zeroizing<String>);

impl Code {
    /// The code as shown: `ABCDE-FGHJK`.
    ///
    /// # Examples
    ///
    /// ```
    /// let (shown, _) = otpkit::recovery::Codes::generate_os(1)?;
    /// assert!(shown[0].as_str().chars().all(|c| c == '-' || c.is_ascii_alphanumeric()));
    /// # Ok::<(), otpkit::recovery::Error>(())
    /// ```
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Code(..)")
    }
}

/// What a service stores of a user's recovery codes: a random salt and the SHA-256 hashes of
/// `salt ‖ code`, split into unused and used. The codes themselves are shown once, at
/// generation, and never stored.
///
/// A code has 10 characters from Crockford's base32 alphabet (50 bits), so a hash is as hard to
/// reverse as guessing the code, and the salt keeps one guess from testing every user at once.
/// Reading is lenient: case is ignored, and so are separators between groups and whitespace at
/// the ends, as for one-time codes (see [`CodeError`]); `O` reads as `0`, `I`
/// and `L` as `1`. Redeem them with [`Codes::redeem`], which shares the throttle with OTP checks;
/// store them with the [`verifier::State`](crate::verifier::State) (one row) so that the state's version guards both.
///
/// With `serde`, the stored JSON is
/// `{"format":1,"salt":"<32 hex>","unused":["<64 hex>", …],"used":[…]}`.
///
/// # Examples
///
/// ```
/// use otpkit::{Algorithm, Digits, Totp, recovery, verifier::{Policy, State, Verifier}};
///
/// let (shown, stored) = recovery::Codes::generate_os(recovery::Codes::DEFAULT_COUNT)?;
/// assert_eq!((shown.len(), stored.remaining()), (10, 10));
///
/// let totp = Totp::new(Algorithm::Sha1, b"12345678901234567890", Digits::SIX, 30).unwrap();
/// let v = Verifier::totp(totp, Policy::default());
/// let typed = shown[3].as_str().to_lowercase(); // case and hyphen do not matter
/// // The verifier's state and throttle: OTP and recovery failures count together.
/// let throttle = v.policy().throttle();
/// let (outcome, state, stored) = stored.redeem(&State::new(), throttle, &typed, 1000);
/// assert_eq!(outcome, recovery::Outcome::Accepted { remaining: 9 });
/// // Single use: the same code again is refused.
/// let (outcome, _, _) = stored.redeem(&state, throttle, &typed, 1001);
/// assert_eq!(outcome, recovery::Outcome::AlreadyUsed { remaining: 9 });
/// # Ok::<(), otpkit::recovery::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Codes {
    salt: [u8; SALT_LEN],
    unused: Vec<[u8; 32]>,
    used: Vec<[u8; 32]>,
}

impl Codes {
    /// How many codes to make unless there is a reason for another number.
    ///
    /// # Examples
    ///
    /// ```
    /// # use otpkit::recovery;
    /// let (shown, _) = recovery::Codes::generate_os(recovery::Codes::DEFAULT_COUNT)?;
    /// assert_eq!(shown.len(), 10);
    /// # Ok::<(), otpkit::recovery::Error>(())
    /// ```
    pub const DEFAULT_COUNT: usize = 10;
    /// The most codes one call makes.
    ///
    /// # Examples
    ///
    /// ```
    /// # use otpkit::recovery;
    /// assert!(recovery::Codes::generate_os(recovery::Codes::MAX_COUNT + 1).is_err());
    /// ```
    pub const MAX_COUNT: usize = 100;
    /// The stored format's number, the `format` field of its JSON.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(otpkit::recovery::Codes::FORMAT, 1);
    /// ```
    pub const FORMAT: u32 = 1;

    /// Makes `count` codes with the caller's cryptographic random generator: returns the codes
    /// to show the user once and what to store.
    ///
    /// # Errors
    ///
    /// [`Error::TooMany`] for more than [`Codes::MAX_COUNT`].
    ///
    /// # Examples
    ///
    /// ```
    /// use otpkit::recovery;
    ///
    /// // Any rand_core 0.10 `CryptoRng`; here the OS generator through getrandom.
    /// let mut rng = rand_core::UnwrapErr(getrandom::SysRng);
    /// let (shown, stored) = recovery::Codes::generate(&mut rng, 3)?;
    /// assert_eq!((shown.len(), stored.remaining()), (3, 3));
    /// assert_eq!(recovery::Codes::generate(&mut rng, 101).err(), Some(recovery::Error::TooMany));
    /// # Ok::<(), otpkit::recovery::Error>(())
    /// ```
    pub fn generate<R: CryptoRng + ?Sized>(
        rng: &mut R,
        count: usize,
    ) -> Result<(Vec<Code>, Self), Error> {
        Self::generate_with(count, |buf| {
            rng.fill_bytes(buf);
            Ok(())
        })
    }

    /// [`Codes::generate`] with the operating system's generator.
    ///
    /// # Errors
    ///
    /// [`Error::TooMany`], or [`Error::Generate`] with [`GenerateError::Os`](crate::secret::GenerateError::Os) if the operating
    /// system cannot give random bytes.
    ///
    /// # Examples
    ///
    /// ```
    /// let (shown, stored) = otpkit::recovery::Codes::generate_os(10)?;
    /// assert_ne!(shown[0].as_str(), shown[1].as_str());
    /// # Ok::<(), otpkit::recovery::Error>(())
    /// ```
    #[cfg(feature = "std")]
    pub fn generate_os(count: usize) -> Result<(Vec<Code>, Self), Error> {
        Self::generate_with(count, |buf| {
            getrandom::fill(buf).map_err(|_| crate::secret::GenerateError::Os.into())
        })
    }

    fn generate_with(
        count: usize,
        mut fill: impl FnMut(&mut [u8]) -> Result<(), Error>,
    ) -> Result<(Vec<Code>, Self), Error> {
        if count > Self::MAX_COUNT {
            return Err(Error::TooMany);
        }
        let mut salt = [0u8; SALT_LEN];
        fill(&mut salt)?;
        let mut stored = Self::from_parts(salt, Vec::with_capacity(count), Vec::new());
        let mut shown = Vec::with_capacity(count);
        for _ in 0..count {
            let mut raw = Zeroizing::new([0u8; LEN]);
            fill(raw.as_mut_slice())?;
            // One symbol per byte from its low 5 bits: uniform over the 32 symbols.
            let mut code = Zeroizing::new([0u8; LEN]);
            for (symbol, byte) in code.iter_mut().zip(raw.iter()) {
                *symbol = ALPHABET
                    .get(usize::from(byte & 31))
                    .copied()
                    .unwrap_or(b'0');
            }
            stored.unused.push(stored.hash(&code));
            let mut text = Zeroizing::new(String::with_capacity(LEN + 1));
            for (i, &c) in code.iter().enumerate() {
                if i == GROUP {
                    text.push('-');
                }
                text.push(char::from(c));
            }
            shown.push(Code(text));
        }
        Ok((shown, stored))
    }

    /// Rebuilds stored codes from their parts, as read from a service's own columns.
    ///
    /// # Examples
    ///
    /// ```
    /// # use otpkit::recovery;
    /// let (_, stored) = recovery::Codes::generate_os(2)?;
    /// let copy = recovery::Codes::from_parts(stored.salt(), stored.unused().to_vec(), stored.used().to_vec());
    /// assert_eq!(copy, stored);
    /// # Ok::<(), otpkit::recovery::Error>(())
    /// ```
    #[must_use]
    pub fn from_parts(salt: [u8; 16], unused: Vec<[u8; 32]>, used: Vec<[u8; 32]>) -> Self {
        Self { salt, unused, used }
    }

    /// The salt hashed before each code.
    ///
    /// # Examples
    ///
    /// ```
    /// let (_, stored) = otpkit::recovery::Codes::generate_os(1)?;
    /// assert_eq!(stored.salt().len(), 16);
    /// # Ok::<(), otpkit::recovery::Error>(())
    /// ```
    #[must_use]
    pub fn salt(&self) -> [u8; 16] {
        self.salt
    }

    /// The hashes of the codes not used yet.
    ///
    /// # Examples
    ///
    /// ```
    /// let (_, stored) = otpkit::recovery::Codes::generate_os(4)?;
    /// assert_eq!(stored.unused().len(), 4);
    /// # Ok::<(), otpkit::recovery::Error>(())
    /// ```
    #[must_use]
    pub fn unused(&self) -> &[[u8; 32]] {
        &self.unused
    }

    /// The hashes of the codes already redeemed, kept to tell "already used" from "wrong".
    ///
    /// # Examples
    ///
    /// ```
    /// let (_, stored) = otpkit::recovery::Codes::generate_os(4)?;
    /// assert!(stored.used().is_empty());
    /// # Ok::<(), otpkit::recovery::Error>(())
    /// ```
    #[must_use]
    pub fn used(&self) -> &[[u8; 32]] {
        &self.used
    }

    /// How many codes are left.
    ///
    /// # Examples
    ///
    /// ```
    /// let (_, stored) = otpkit::recovery::Codes::generate_os(10)?;
    /// assert_eq!(stored.remaining(), 10);
    /// # Ok::<(), otpkit::recovery::Error>(())
    /// ```
    #[must_use]
    pub fn remaining(&self) -> usize {
        self.unused.len()
    }

    fn hash(&self, code: &[u8; LEN]) -> [u8; 32] {
        Sha256::new()
            .chain_update(self.salt)
            .chain_update(code)
            .finalize()
            .into()
    }
}

impl fmt::Debug for Codes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Codes")
            .field("unused", &self.unused.len())
            .field("used", &self.used.len())
            .finish_non_exhaustive()
    }
}

/// Reads a typed recovery code with the one reader of typed codes
/// ([`read_typed`], whose module says which separators are accepted where): case ignored,
/// `O` → `0`, `I`/`L` → `1`. Only the length and characters, which the user chose, decide
/// errors.
fn normalise(input: &str) -> Result<Zeroizing<[u8; LEN]>, CodeError> {
    let mut out = Zeroizing::new([0u8; LEN]);
    read_typed(input, out.as_mut_slice(), |c| {
        match u8::try_from(c).ok()?.to_ascii_uppercase() {
            b'O' => Some(b'0'),
            b'I' | b'L' => Some(b'1'),
            symbol => ALPHABET.contains(&symbol).then_some(symbol),
        }
    })?;
    Ok(out)
}

/// The index of `hash` in `list`, compared with every entry through the one constant-time
/// search, [`select_last`] (hashes are distinct, so "last" is "the").
fn find(list: &[[u8; 32]], hash: &[u8; 32]) -> Option<usize> {
    let candidates = list.iter().enumerate().map(|(i, stored)| {
        let index = u64::try_from(i).unwrap_or(u64::MAX);
        (stored.as_slice().ct_eq(hash.as_slice()), index)
    });
    Option::<u64>::from(select_last(candidates)).and_then(|i| usize::try_from(i).ok())
}

impl Codes {
    /// Redeems a recovery code typed at unix time `time`, against the account's verifier
    /// [`State`] and [`Throttle`]: throttled like [`Verifier::check`] (the failures count
    /// together), compared in constant time with every unused hash, and single-use. Returns
    /// the outcome, the state and the codes to store — together, under one compare-and-swap on
    /// [`State::version`].
    ///
    /// # Examples
    ///
    /// ```
    /// use otpkit::{Totp, recovery, verifier::{Policy, State, Verifier}};
    ///
    /// let v = Verifier::totp(Totp::steam(b"key").unwrap(), Policy::default());
    /// let throttle = v.policy().throttle();
    /// let (shown, codes) = recovery::Codes::generate_os(2)?;
    /// let (outcome, state, codes) = codes.redeem(&State::new(), throttle, shown[0].as_str(), 50);
    /// assert_eq!(outcome, recovery::Outcome::Accepted { remaining: 1 });
    /// assert_eq!((state.version, codes.used().len()), (1, 1));
    /// let (outcome, state, _) = codes.redeem(&state, throttle, "0000000000", 51);
    /// assert_eq!(outcome, recovery::Outcome::WrongCode);
    /// assert_eq!(state.failures, 1);
    /// # Ok::<(), otpkit::recovery::Error>(())
    /// ```
    #[must_use]
    pub fn redeem(
        &self,
        state: &State,
        throttle: Throttle,
        code: &str,
        time: u64,
    ) -> (Outcome, State, Codes) {
        let codes = self;
        if let Some(until) = state.throttled_until(time) {
            return (Outcome::Throttled { until }, *state, codes.clone());
        }
        let normalised = match normalise(code) {
            Ok(n) => n,
            Err(e) => return (Outcome::Malformed(e), *state, codes.clone()),
        };
        let hash = codes.hash(&normalised);
        let remaining = codes.remaining();
        if let Some(index) = find(&codes.unused, &hash) {
            let mut next = codes.clone();
            next.unused = codes
                .unused
                .iter()
                .enumerate()
                .filter(|&(i, _)| i != index)
                .map(|(_, h)| *h)
                .collect();
            next.used.push(hash);
            let remaining = next.remaining();
            (Outcome::Accepted { remaining }, state.succeeded(), next)
        } else if find(&codes.used, &hash).is_some() {
            (Outcome::AlreadyUsed { remaining }, *state, codes.clone())
        } else {
            (
                Outcome::WrongCode,
                state.failed(throttle, time),
                codes.clone(),
            )
        }
    }
}

#[cfg(test)]
pub(super) mod testing {
    //! Hooks for the policy tests.
    use super::{LEN, normalise};

    /// The normalised form of a typed code, or `None` if it is malformed.
    pub(crate) fn normalised(code: &str) -> Option<[u8; LEN]> {
        normalise(code).ok().map(|n| *n)
    }
}
