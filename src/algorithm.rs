//! The HMAC algorithms and the keyed state that makes a code cost two compressions.

use core::fmt;
use core::str::FromStr;

use hmac::block_api::HmacCore;
use hmac::digest::KeyInit;
use hmac::digest::block_api::{Buffer, FixedOutputCore};

use crate::error::Error;

/// The hash function under HMAC: SHA-1 (the default of RFC 4226 and nearly every authenticator),
/// SHA-256 or SHA-512 (RFC 6238 §1.2).
///
/// # Examples
///
/// ```
/// use otpkit::Algorithm;
///
/// assert_eq!("sha-256".parse::<Algorithm>(), Ok(Algorithm::Sha256));
/// assert_eq!(Algorithm::Sha512.to_string(), "SHA512");
/// assert_eq!(Algorithm::default(), Algorithm::Sha1);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Algorithm {
    /// HMAC-SHA-1, 20-byte MAC.
    #[default]
    Sha1,
    /// HMAC-SHA-256, 32-byte MAC.
    Sha256,
    /// HMAC-SHA-512, 64-byte MAC.
    Sha512,
}

impl Algorithm {
    /// Every supported algorithm, in the order of the enum.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(otpkit::Algorithm::ALL.len(), 3);
    /// ```
    pub const ALL: [Self; 3] = [Self::Sha1, Self::Sha256, Self::Sha512];

    /// The name as `otpauth://` URIs write it: `SHA1`, `SHA256` or `SHA512`.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(otpkit::Algorithm::Sha256.as_str(), "SHA256");
    /// ```
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Sha1 => "SHA1",
            Self::Sha256 => "SHA256",
            Self::Sha512 => "SHA512",
        }
    }

    /// The MAC length in bytes: 20, 32 or 64.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(otpkit::Algorithm::Sha1.output_len(), 20);
    /// ```
    #[must_use]
    pub const fn output_len(self) -> usize {
        match self {
            Self::Sha1 => 20,
            Self::Sha256 => 32,
            Self::Sha512 => 64,
        }
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Algorithm {
    type Err = Error;

    /// Reads `SHA1`, `SHA256`, `SHA512` in any case, with or without a hyphen after `SHA`.
    fn from_str(s: &str) -> Result<Self, Error> {
        let rest = match s.get(..3) {
            Some(p) if p.eq_ignore_ascii_case("sha") => s.get(3..).unwrap_or(""),
            _ => return Err(Error::UnsupportedAlgorithm),
        };
        let rest = rest.strip_prefix('-').unwrap_or(rest);
        match rest {
            "1" => Ok(Self::Sha1),
            "256" => Ok(Self::Sha256),
            "512" => Ok(Self::Sha512),
            _ => Err(Error::UnsupportedAlgorithm),
        }
    }
}

/// The largest MAC any algorithm produces (SHA-512).
pub(crate) const MAX_MAC_LEN: usize = 64;

/// A MAC on the stack: the first `len` bytes of `bytes` are meaningful.
pub(crate) struct Mac {
    bytes: [u8; MAX_MAC_LEN],
    len: usize,
}

impl Mac {
    pub(crate) fn as_bytes(&self) -> &[u8] {
        self.bytes.get(..self.len).unwrap_or(&[])
    }
}

/// HMAC keyed once: the inner and outer hash states after absorbing `key ^ ipad` and
/// `key ^ opad`. Producing a MAC of one 8-byte counter then costs one inner and one outer
/// compression. The hash cores wipe their state on drop (the `zeroize` feature of `sha1`/`sha2`).
#[derive(Clone)]
pub(crate) enum KeyedMac {
    Sha1(HmacCore<sha1::Sha1>),
    Sha256(HmacCore<sha2::Sha256>),
    Sha512(HmacCore<sha2::Sha512>),
}

fn mac_with<D>(core: &HmacCore<D>, counter: u64, out: &mut [u8; MAX_MAC_LEN]) -> usize
where
    D: hmac::EagerHash,
{
    let mut core = core.clone();
    let mut buffer = Buffer::<HmacCore<D>>::default();
    buffer.digest_blocks(&counter.to_be_bytes(), |_| {});
    let mut tag = hmac::digest::Output::<HmacCore<D>>::default();
    core.finalize_fixed_core(&mut buffer, &mut tag);
    let n = tag.len().min(MAX_MAC_LEN);
    if let (Some(dst), Some(src)) = (out.get_mut(..n), tag.get(..n)) {
        dst.copy_from_slice(src);
    }
    n
}

impl KeyedMac {
    /// Keys the HMAC once. A key longer than the hash block is hashed first (RFC 2104 §2).
    pub(crate) fn new(algorithm: Algorithm, key: &[u8]) -> Result<Self, Error> {
        if key.is_empty() {
            return Err(Error::EmptyKey);
        }
        // `new_from_slice` accepts any length for HMAC; the error arm cannot happen, but it is
        // mapped rather than unwrapped so that no path can panic.
        let keyed = match algorithm {
            Algorithm::Sha1 => HmacCore::new_from_slice(key).map(Self::Sha1),
            Algorithm::Sha256 => HmacCore::new_from_slice(key).map(Self::Sha256),
            Algorithm::Sha512 => HmacCore::new_from_slice(key).map(Self::Sha512),
        };
        keyed.map_err(|_| Error::EmptyKey)
    }

    pub(crate) fn algorithm(&self) -> Algorithm {
        match self {
            Self::Sha1(_) => Algorithm::Sha1,
            Self::Sha256(_) => Algorithm::Sha256,
            Self::Sha512(_) => Algorithm::Sha512,
        }
    }

    /// HMAC of the counter as 8 big-endian bytes (RFC 4226 §5.2).
    pub(crate) fn mac(&self, counter: u64) -> Mac {
        let mut bytes = [0u8; MAX_MAC_LEN];
        let len = match self {
            Self::Sha1(c) => mac_with(c, counter, &mut bytes),
            Self::Sha256(c) => mac_with(c, counter, &mut bytes),
            Self::Sha512(c) => mac_with(c, counter, &mut bytes),
        };
        Mac { bytes, len }
    }
}

/// Dynamic truncation (RFC 4226 §5.3): the low nibble of the last byte picks four bytes, whose
/// top bit is cleared. Total for every MAC of 20 bytes or more.
pub(crate) fn truncate(mac: &[u8]) -> u32 {
    let offset = mac.last().map_or(0, |b| usize::from(b & 0x0f));
    let mut word = [0u8; 4];
    if let Some(src) = mac.get(offset..offset + 4) {
        word.copy_from_slice(src);
    }
    u32::from_be_bytes(word) & 0x7fff_ffff
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_names_leniently_and_rejects_others() {
        for (s, a) in [
            ("SHA1", Algorithm::Sha1),
            ("sha1", Algorithm::Sha1),
            ("Sha-1", Algorithm::Sha1),
            ("SHA256", Algorithm::Sha256),
            ("sha-256", Algorithm::Sha256),
            ("SHA512", Algorithm::Sha512),
            ("SHA-512", Algorithm::Sha512),
        ] {
            assert_eq!(s.parse::<Algorithm>(), Ok(a), "{s}");
        }
        for s in [
            "MD5", "SHA3-256", "SHA", "SHA-", "SHA--1", "", "SHA1 ", "sha224", "é",
        ] {
            assert_eq!(
                s.parse::<Algorithm>(),
                Err(Error::UnsupportedAlgorithm),
                "{s}"
            );
        }
    }

    #[test]
    fn truncation_matches_rfc4226_section_5_4() {
        // The worked example of RFC 4226 §5.4.
        let mac = [
            0x1f, 0x86, 0x98, 0x69, 0x0e, 0x02, 0xca, 0x16, 0x61, 0x85, 0x50, 0xef, 0x7f, 0x19,
            0xda, 0x8e, 0x94, 0x5b, 0x55, 0x5a,
        ];
        assert_eq!(truncate(&mac), 0x50ef_7f19);
    }

    #[test]
    fn empty_key_is_refused() {
        assert!(matches!(
            KeyedMac::new(Algorithm::Sha1, b""),
            Err(Error::EmptyKey)
        ));
    }
}
