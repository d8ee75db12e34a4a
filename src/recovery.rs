//! Recovery codes: single-use codes for when the authenticator is lost. The service keeps only
//! their HMAC-SHA-256 under a service [`Key`] that lives outside the database; a redeemed code
//! moves from the unused list to the used one.
//!
//! # How hard a code is to guess
//!
//! A code is 16 symbols of Crockford's base32, 80 bits; a user has at most
//! [`Codes::MAX_COUNT`] (by default [`Codes::DEFAULT_COUNT`], 10) unused.
//!
//! - **Online**, through [`Codes::redeem`]: failures share the verifier's [`Throttle`]; with
//!   the default (5 free failures, then 30 s doubling to an hour) an attacker gets about 5 +
//!   24 guesses a day. Each succeeds with probability 10 / 2^80 ≈ 8.3 × 10^-24.
//! - **Offline, with a stolen database but not the key**: the stored values are HMACs under a
//!   256-bit (or longer) key the thief does not have, so no guess can be tested at all; the
//!   key must live outside the database (a secrets manager, an environment variable, a file
//!   of its own) for this to hold.
//! - **Offline, with the database and the key**: one guess costs one HMAC-SHA-256 (two
//!   compressions); even at the 1.1 × 10^7 SHA-256 a second of one core measured here, finding one
//!   of ten codes takes on average 2^80 / 10 / 2 ≈ 6 × 10^22 guesses, about 1.7 × 10^8 years
//!   of one core, and still about 190 000 years at a GPU's 10^10 a second.
//!
//! The first format (format 1, [`Codes::from_legacy_parts`]) held 10-symbol codes (50 bits)
//! as an unkeyed salted SHA-256: with a leaked table one of ten codes fell to about
//! 2^50 / 10 / 2 ≈ 5.6 × 10^13 guesses, some 60 days of one core or under two hours of a
//! GPU. Such sets are still read and redeemed, so no user is locked out, but
//! [`Codes::needs_reissue`] says so: give those users new codes.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use hmac::Mac;
use hmac::digest::KeyInit;
use rand_core::CryptoRng;
use sha2::{Digest, Sha256};
use subtle::{Choice, ConditionallySelectable, ConstantTimeEq, ConstantTimeLess};
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
/// Characters per code: 80 bits.
const LEN: usize = 16;
/// Characters per group when shown.
const GROUP: usize = 4;
/// Characters per code of the first, unkeyed format: 50 bits.
const LEGACY_LEN: usize = 10;
const SALT_LEN: usize = 16;
/// Bounds of a [`Key`] in bytes: at least 256 bits, at most one SHA-256 block (a longer key
/// would be hashed first and gain nothing).
const KEY_MIN: usize = 32;
const KEY_MAX: usize = 64;
/// Put before the salt in every keyed hash, so a recovery HMAC is never any other MAC under
/// the same key.
const DOMAIN: &[u8] = b"otpkit recovery code v2\0";

/// The service's key for recovery codes: the HMAC-SHA-256 key their stored form is made
/// under. Keep it **outside** the database that holds the codes (a secrets manager, an
/// environment variable, a file of its own): then a stolen database alone cannot be used to
/// test a single guess offline. One key serves every user (each set has its own salt too).
/// 32 to 64 bytes; wiped on drop; `Debug` does not show it.
///
/// # Examples
///
/// ```
/// use otpkit::recovery::{Error, Key};
///
/// let key = Key::from_bytes(&[7; 32])?; // in a service: read from its secret store
/// assert_eq!(format!("{key:?}"), "Key(..)");
/// assert_eq!(Key::from_bytes(&[7; 16]).err(), Some(Error::KeyLength { found: 16 }));
/// # Ok::<(), Error>(())
/// ```
#[derive(Clone)]
pub struct Key(Zeroizing<Vec<u8>>);

impl Key {
    /// A key from its bytes: 32 to 64 of them.
    ///
    /// # Errors
    ///
    /// [`Error::KeyLength`] for fewer than 32 or more than 64 bytes.
    ///
    /// # Examples
    ///
    /// ```
    /// # use otpkit::recovery::{Error, Key};
    /// assert!(Key::from_bytes(&[1; 64]).is_ok());
    /// assert_eq!(Key::from_bytes(&[1; 65]).err(), Some(Error::KeyLength { found: 65 }));
    /// ```
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, Error> {
        if !(KEY_MIN..=KEY_MAX).contains(&bytes.len()) {
            return Err(Error::KeyLength { found: bytes.len() });
        }
        Ok(Self(Zeroizing::new(bytes.to_vec())))
    }

    /// A fresh 32-byte key from the operating system's generator, to store in the service's
    /// secret store once.
    ///
    /// # Errors
    ///
    /// [`Error::Generate`] if the operating system cannot give random bytes.
    ///
    /// # Examples
    ///
    /// ```
    /// let key = otpkit::recovery::Key::generate_os()?;
    /// # let _ = key;
    /// # Ok::<(), otpkit::recovery::Error>(())
    /// ```
    #[cfg(feature = "std")]
    pub fn generate_os() -> Result<Self, Error> {
        let mut bytes = Zeroizing::new([0u8; KEY_MIN]);
        getrandom::fill(bytes.as_mut_slice()).map_err(|_| crate::secret::GenerateError::Os)?;
        Self::from_bytes(bytes.as_slice())
    }

    /// The keyed hash of one code of a set with `salt`.
    fn hash(&self, salt: &[u8; SALT_LEN], code: &[u8; LEN]) -> [u8; 32] {
        // Any key length is valid for HMAC; the error branch cannot be taken.
        let Ok(mut mac) = hmac::Hmac::<Sha256>::new_from_slice(&self.0) else {
            return [0; 32];
        };
        mac.update(DOMAIN);
        mac.update(salt);
        mac.update(code);
        mac.finalize().into_bytes().into()
    }
}

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Key(..)")
    }
}

/// How a set's hashes were made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Scheme {
    /// HMAC-SHA-256 under the service [`Key`] of 16-symbol codes (format 2).
    Keyed,
    /// The first format: SHA-256 of `salt ‖ code`, 10-symbol codes. Read, never made.
    Legacy,
}

/// One recovery code in plain text, to show the user once: sixteen characters in four groups,
/// `7QK2-MXD0-4RAB-ZP9C`. Wiped on drop; `Debug` does not show it.
///
/// # Examples
///
/// ```
/// let key = otpkit::recovery::Key::from_bytes(&[7; 32])?;
/// let (shown, _stored) = otpkit::recovery::Codes::generate_os(&key, 1)?;
/// let code = shown[0].as_str();
/// assert_eq!(code.len(), 19);
/// assert_eq!((code.as_bytes()[4], code.as_bytes()[9], code.as_bytes()[14]), (b'-', b'-', b'-'));
/// assert_eq!(format!("{:?}", shown[0]), "Code(..)");
/// # Ok::<(), otpkit::recovery::Error>(())
/// ```
pub struct Code(Zeroizing<String>);

impl Code {
    /// The code as shown: `ABCD-EFGH-JKMN-PQRS`.
    ///
    /// # Examples
    ///
    /// ```
    /// # let key = otpkit::recovery::Key::from_bytes(&[7; 32])?;
    /// let (shown, _) = otpkit::recovery::Codes::generate_os(&key, 1)?;
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

/// What a service stores of a user's recovery codes: a random salt and the HMAC-SHA-256,
/// under the service's [`Key`], of each code with the salt, split into unused and used. The
/// codes themselves are shown once, at generation, and never stored; the key is not stored
/// with them. The module docs give the guessing arithmetic.
///
/// A code has 16 characters from Crockford's base32 alphabet (80 bits). Reading is lenient:
/// case is ignored, and so are separators between groups and whitespace at the ends, as for
/// one-time codes (see [`CodeError`]); `O` reads as `0`, `I` and `L` as `1`. Redeem them with
/// [`Codes::redeem`], which shares the throttle with OTP checks; store them with the
/// [`verifier::State`](crate::verifier::State) (one row) so that the state's version guards
/// both. A set is refused when read if a hash appears twice, in one list or in both (it
/// would redeem twice).
///
/// With `serde`, the stored JSON is
/// `{"format":2,"salt":"<32 hex>","unused":["<64 hex>", …],"used":[…]}`; format 1, the old
/// unkeyed form, is read as [`Codes::from_legacy_parts`] and [`Codes::needs_reissue`].
///
/// # Examples
///
/// ```
/// use otpkit::{Algorithm, Digits, Totp, recovery, verifier::{Policy, State, Verifier}};
///
/// let key = recovery::Key::from_bytes(&[7; 32])?; // the service's, kept outside the database
/// let (shown, stored) = recovery::Codes::generate_os(&key, recovery::Codes::DEFAULT_COUNT)?;
/// assert_eq!((shown.len(), stored.remaining()), (10, 10));
///
/// let totp = Totp::new(Algorithm::Sha1, b"12345678901234567890", Digits::SIX, 30).unwrap();
/// let v = Verifier::totp(totp, Policy::default());
/// let typed = shown[3].as_str().to_lowercase(); // case and hyphens do not matter
/// // The verifier's state and throttle: OTP and recovery failures count together.
/// let throttle = v.policy().throttle();
/// let (outcome, state, stored) = stored.redeem(&key, &State::new(), throttle, &typed, 1000);
/// assert_eq!(outcome, recovery::Outcome::Accepted { remaining: 9 });
/// // Single use: the same code again is refused.
/// let (outcome, _, _) = stored.redeem(&key, &state, throttle, &typed, 1001);
/// assert_eq!(outcome, recovery::Outcome::AlreadyUsed { remaining: 9 });
/// // Under another key the codes open nothing.
/// let other = recovery::Key::from_bytes(&[8; 32])?;
/// let (outcome, _, _) = stored.redeem(&other, &State::new(), throttle, shown[4].as_str(), 1000);
/// assert_eq!(outcome, recovery::Outcome::WrongCode);
/// # Ok::<(), recovery::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Codes {
    scheme: Scheme,
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
    /// # let key = recovery::Key::from_bytes(&[7; 32])?;
    /// let (shown, _) = recovery::Codes::generate_os(&key, recovery::Codes::DEFAULT_COUNT)?;
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
    /// # let key = recovery::Key::from_bytes(&[7; 32])?;
    /// assert!(recovery::Codes::generate_os(&key, recovery::Codes::MAX_COUNT + 1).is_err());
    /// # Ok::<(), otpkit::recovery::Error>(())
    /// ```
    pub const MAX_COUNT: usize = 100;
    /// The stored format's number, the `format` field of its JSON: 2, keyed. Format 1 (unkeyed)
    /// is still read, see [`Codes::from_legacy_parts`].
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(otpkit::recovery::Codes::FORMAT, 2);
    /// ```
    pub const FORMAT: u32 = 2;
    /// The number of the first stored format: 10-symbol codes as unkeyed salted SHA-256.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(otpkit::recovery::Codes::LEGACY_FORMAT, 1);
    /// ```
    pub const LEGACY_FORMAT: u32 = 1;

    /// Makes `count` codes with the caller's cryptographic random generator, hashed under the
    /// service's `key`: returns the codes to show the user once and what to store.
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
    /// let key = recovery::Key::from_bytes(&[7; 32])?;
    /// // Any rand_core 0.10 `CryptoRng`; here the OS generator through getrandom.
    /// let mut rng = rand_core::UnwrapErr(getrandom::SysRng);
    /// let (shown, stored) = recovery::Codes::generate(&key, &mut rng, 3)?;
    /// assert_eq!((shown.len(), stored.remaining()), (3, 3));
    /// assert_eq!(recovery::Codes::generate(&key, &mut rng, 101).err(), Some(recovery::Error::TooMany));
    /// # Ok::<(), otpkit::recovery::Error>(())
    /// ```
    pub fn generate<R: CryptoRng + ?Sized>(
        key: &Key,
        rng: &mut R,
        count: usize,
    ) -> Result<(Vec<Code>, Self), Error> {
        Self::generate_with(key, count, |buf| {
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
    /// # let key = otpkit::recovery::Key::from_bytes(&[7; 32])?;
    /// let (shown, stored) = otpkit::recovery::Codes::generate_os(&key, 10)?;
    /// assert_ne!(shown[0].as_str(), shown[1].as_str());
    /// # Ok::<(), otpkit::recovery::Error>(())
    /// ```
    #[cfg(feature = "std")]
    pub fn generate_os(key: &Key, count: usize) -> Result<(Vec<Code>, Self), Error> {
        Self::generate_with(key, count, |buf| {
            getrandom::fill(buf).map_err(|_| crate::secret::GenerateError::Os.into())
        })
    }

    fn generate_with(
        key: &Key,
        count: usize,
        mut fill: impl FnMut(&mut [u8]) -> Result<(), Error>,
    ) -> Result<(Vec<Code>, Self), Error> {
        if count > Self::MAX_COUNT {
            return Err(Error::TooMany);
        }
        let mut salt = [0u8; SALT_LEN];
        fill(&mut salt)?;
        let mut stored = Self {
            scheme: Scheme::Keyed,
            salt,
            unused: Vec::with_capacity(count),
            used: Vec::new(),
        };
        let mut shown = Vec::with_capacity(count);
        while shown.len() < count {
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
            let hash = key.hash(&stored.salt, &code);
            // Two equal codes in one set (2^-80 per pair) would make the set unreadable:
            // draw again.
            if stored.unused.contains(&hash) {
                continue;
            }
            stored.unused.push(hash);
            let mut text = Zeroizing::new(String::with_capacity(LEN + LEN / GROUP));
            for (i, &c) in code.iter().enumerate() {
                if i > 0 && i % GROUP == 0 {
                    text.push('-');
                }
                text.push(char::from(c));
            }
            shown.push(Code(text));
        }
        Ok((shown, stored))
    }

    /// Rebuilds stored codes (format 2, keyed) from their parts, as read from a service's own
    /// columns.
    ///
    /// # Errors
    ///
    /// [`Error::DuplicateHash`] if a hash is twice in `unused`, twice in `used`, or in both:
    /// such a set would let one code in twice.
    ///
    /// # Examples
    ///
    /// ```
    /// # use otpkit::recovery;
    /// # let key = recovery::Key::from_bytes(&[7; 32])?;
    /// let (_, stored) = recovery::Codes::generate_os(&key, 2)?;
    /// let copy = recovery::Codes::from_parts(stored.salt(), stored.unused().to_vec(), stored.used().to_vec())?;
    /// assert_eq!(copy, stored);
    /// let twice = vec![stored.unused()[0], stored.unused()[0]];
    /// assert_eq!(recovery::Codes::from_parts(stored.salt(), twice, vec![]), Err(recovery::Error::DuplicateHash));
    /// # Ok::<(), otpkit::recovery::Error>(())
    /// ```
    pub fn from_parts(
        salt: [u8; 16],
        unused: Vec<[u8; 32]>,
        used: Vec<[u8; 32]>,
    ) -> Result<Self, Error> {
        Self::checked(Scheme::Keyed, salt, unused, used)
    }

    /// Rebuilds stored codes of the first format (format 1: 10-symbol codes, stored as the
    /// unkeyed SHA-256 of `salt ‖ code`) from their parts. Such a set still redeems its codes,
    /// checked the old way, so no user is locked out, but it is never taken for the keyed form:
    /// [`Codes::needs_reissue`] is true, and a service should give the user new codes (made
    /// with [`Codes::generate`]) at the next login.
    ///
    /// # Errors
    ///
    /// [`Error::DuplicateHash`], as [`Codes::from_parts`].
    ///
    /// # Examples
    ///
    /// ```
    /// # use otpkit::recovery;
    /// let old = recovery::Codes::from_legacy_parts([1; 16], vec![[2; 32]], vec![])?;
    /// assert!(old.needs_reissue());
    /// assert_eq!(old.format(), recovery::Codes::LEGACY_FORMAT);
    /// # Ok::<(), otpkit::recovery::Error>(())
    /// ```
    pub fn from_legacy_parts(
        salt: [u8; 16],
        unused: Vec<[u8; 32]>,
        used: Vec<[u8; 32]>,
    ) -> Result<Self, Error> {
        Self::checked(Scheme::Legacy, salt, unused, used)
    }

    /// A set from its parts, refused if one hash is there twice (in either list or across).
    fn checked(
        scheme: Scheme,
        salt: [u8; 16],
        unused: Vec<[u8; 32]>,
        used: Vec<[u8; 32]>,
    ) -> Result<Self, Error> {
        // The hashes are keyed (or salted) digests, not secrets a timing leak would give
        // away; sorting a copy finds a repeat in n log n.
        let mut all: Vec<&[u8; 32]> = unused.iter().chain(used.iter()).collect();
        all.sort_unstable();
        if all.windows(2).any(|pair| pair.first() == pair.get(1)) {
            return Err(Error::DuplicateHash);
        }
        Ok(Self {
            scheme,
            salt,
            unused,
            used,
        })
    }

    /// Whether this set is of the first, unkeyed format (50-bit codes as salted SHA-256, which
    /// a leaked database lets anyone test guesses against): give the user new codes.
    ///
    /// # Examples
    ///
    /// ```
    /// # use otpkit::recovery;
    /// # let key = recovery::Key::from_bytes(&[7; 32])?;
    /// let (_, stored) = recovery::Codes::generate_os(&key, 1)?;
    /// assert!(!stored.needs_reissue());
    /// # Ok::<(), otpkit::recovery::Error>(())
    /// ```
    #[must_use]
    pub fn needs_reissue(&self) -> bool {
        self.scheme == Scheme::Legacy
    }

    /// The stored format of this set: [`Codes::FORMAT`] (keyed) or [`Codes::LEGACY_FORMAT`],
    /// for a service that keeps the parts in columns of its own.
    ///
    /// # Examples
    ///
    /// ```
    /// # use otpkit::recovery;
    /// # let key = recovery::Key::from_bytes(&[7; 32])?;
    /// let (_, stored) = recovery::Codes::generate_os(&key, 1)?;
    /// assert_eq!(stored.format(), recovery::Codes::FORMAT);
    /// # Ok::<(), otpkit::recovery::Error>(())
    /// ```
    #[must_use]
    pub fn format(&self) -> u32 {
        match self.scheme {
            Scheme::Keyed => Self::FORMAT,
            Scheme::Legacy => Self::LEGACY_FORMAT,
        }
    }

    /// The salt hashed before each code.
    ///
    /// # Examples
    ///
    /// ```
    /// # let key = otpkit::recovery::Key::from_bytes(&[7; 32])?;
    /// let (_, stored) = otpkit::recovery::Codes::generate_os(&key, 1)?;
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
    /// # let key = otpkit::recovery::Key::from_bytes(&[7; 32])?;
    /// let (_, stored) = otpkit::recovery::Codes::generate_os(&key, 4)?;
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
    /// # let key = otpkit::recovery::Key::from_bytes(&[7; 32])?;
    /// let (_, stored) = otpkit::recovery::Codes::generate_os(&key, 4)?;
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
    /// # let key = otpkit::recovery::Key::from_bytes(&[7; 32])?;
    /// let (_, stored) = otpkit::recovery::Codes::generate_os(&key, 10)?;
    /// assert_eq!(stored.remaining(), 10);
    /// # Ok::<(), otpkit::recovery::Error>(())
    /// ```
    #[must_use]
    pub fn remaining(&self) -> usize {
        self.unused.len()
    }

    /// The stored hash of what the user typed, the way this set's hashes were made; `Err`
    /// when it is not a code of this set's length and alphabet.
    fn hash_typed(&self, key: &Key, typed: &str) -> Result<[u8; 32], CodeError> {
        match self.scheme {
            Scheme::Keyed => Ok(key.hash(&self.salt, &*normalise::<LEN>(typed)?)),
            Scheme::Legacy => Ok(Sha256::new()
                .chain_update(self.salt)
                .chain_update(*normalise::<LEGACY_LEN>(typed)?)
                .finalize()
                .into()),
        }
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
/// errors. Each symbol is mapped and looked up without a branch or an early exit on its value
/// (compared with the whole alphabet), so the time to read a code does not depend on which
/// symbols it holds: the code is the secret a redemption spends.
fn normalise<const N: usize>(input: &str) -> Result<Zeroizing<[u8; N]>, CodeError> {
    let mut out = Zeroizing::new([0u8; N]);
    read_typed(input, out.as_mut_slice(), |c| {
        let typed = u8::try_from(c).ok()?.to_ascii_uppercase();
        let mut symbol = typed;
        symbol.conditional_assign(&b'0', typed.ct_eq(&b'O'));
        symbol.conditional_assign(&b'1', typed.ct_eq(&b'I') | typed.ct_eq(&b'L'));
        let known = ALPHABET
            .iter()
            .fold(Choice::from(0), |found, a| found | a.ct_eq(&symbol));
        bool::from(known).then_some(symbol)
    })?;
    Ok(out)
}

/// The index of `hash` in `list`, compared with every entry through the one constant-time
/// search, [`select_last`] (hashes are distinct — [`Codes::from_parts`] refuses a set where
/// they are not —, so "last" is "the").
fn find(list: &[[u8; 32]], hash: &[u8; 32]) -> Option<usize> {
    let candidates = list.iter().enumerate().map(|(i, stored)| {
        let index = u64::try_from(i).unwrap_or(u64::MAX);
        (stored.as_slice().ct_eq(hash.as_slice()), index)
    });
    Option::<u64>::from(select_last(candidates)).and_then(|i| usize::try_from(i).ok())
}

/// `list` without entry `index`, in order, built without a branch on `index` (which stored
/// code matched is the secret [`find`] kept): output slot `j` is entry `j` or, from `index`
/// on, entry `j + 1`, picked by mask for every byte. Only the public length decides the work.
/// (A `filter` on `i != index` branched at the matched slot; dudect told the first stored
/// code from the last by it, `SECURITY.md`.)
fn without(list: &[[u8; 32]], index: usize) -> Vec<[u8; 32]> {
    let index = u64::try_from(index).unwrap_or(u64::MAX);
    list.iter()
        .zip(list.iter().skip(1))
        .zip(0u64..)
        .map(|((here, next), j)| {
            let shifted = !j.ct_lt(&index);
            let mut out = *here;
            for (byte, later) in out.iter_mut().zip(next) {
                byte.conditional_assign(later, shifted);
            }
            out
        })
        .collect()
}

impl Codes {
    /// Redeems a recovery code typed at unix time `time`, with the service's `key`, against the
    /// account's verifier [`State`] and [`Throttle`]: throttled like [`Verifier::check`] (the failures count
    /// together), compared in constant time with every unused hash, and single-use. Returns
    /// the outcome, the state and the codes to store — together, under one compare-and-swap on
    /// [`State::version`].
    ///
    /// # Examples
    ///
    /// ```
    /// use otpkit::{Totp, recovery, verifier::{Policy, State, Verifier}};
    ///
    /// let key = recovery::Key::from_bytes(&[7; 32])?;
    /// let v = Verifier::totp(Totp::steam(b"key").unwrap(), Policy::default());
    /// let throttle = v.policy().throttle();
    /// let (shown, codes) = recovery::Codes::generate_os(&key, 2)?;
    /// let (outcome, state, codes) = codes.redeem(&key, &State::new(), throttle, shown[0].as_str(), 50);
    /// assert_eq!(outcome, recovery::Outcome::Accepted { remaining: 1 });
    /// assert_eq!((state.version, codes.used().len()), (1, 1));
    /// let (outcome, state, _) = codes.redeem(&key, &state, throttle, "0000-0000-0000-0000", 51);
    /// assert_eq!(outcome, recovery::Outcome::WrongCode);
    /// assert_eq!(state.failures, 1);
    /// # Ok::<(), otpkit::recovery::Error>(())
    /// ```
    #[must_use]
    pub fn redeem(
        &self,
        key: &Key,
        state: &State,
        throttle: Throttle,
        code: &str,
        time: u64,
    ) -> (Outcome, State, Codes) {
        let codes = self;
        if let Some(until) = state.throttled_until(time) {
            return (Outcome::Throttled { until }, *state, codes.clone());
        }
        let hash = match codes.hash_typed(key, code) {
            Ok(hash) => hash,
            Err(e) => return (Outcome::Malformed(e), *state, codes.clone()),
        };
        let remaining = codes.remaining();
        if let Some(index) = find(&codes.unused, &hash) {
            let mut next = codes.clone();
            next.unused = without(&codes.unused, index);
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
        normalise::<LEN>(code).ok().map(|n| *n)
    }

    /// The normalised form of a typed code of the first (10-symbol) format.
    pub(crate) fn normalised_legacy(code: &str) -> Option<[u8; super::LEGACY_LEN]> {
        normalise::<{ super::LEGACY_LEN }>(code).ok().map(|n| *n)
    }
}
