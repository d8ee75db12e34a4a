//! The HMAC algorithms and the keyed state that makes a code cost two compressions.

use core::fmt;
use core::str::FromStr;

use hmac::digest::block_api::{Block, EagerHash, UpdateCore};
use hmac::digest::common::hazmat::SerializableState;
use zeroize::Zeroize;

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

const IPAD: u8 = 0x36;
const OPAD: u8 = 0x5c;

/// A word of a hash's chaining state: `u32` for SHA-1 and SHA-256, `u64` for SHA-512.
pub(crate) trait Word: Copy + Default + Zeroize {
    const SIZE: usize;
    /// Reads a word of the crates' serialized state (little-endian).
    fn from_le(bytes: &[u8]) -> Self;
    /// Writes the word as a hash output does (big-endian) into `out` (`SIZE` bytes).
    fn write_be(self, out: &mut [u8]);
}

macro_rules! word {
    ($t:ty) => {
        impl Word for $t {
            const SIZE: usize = size_of::<$t>();
            fn from_le(bytes: &[u8]) -> Self {
                let mut le = [0u8; size_of::<$t>()];
                if let Some(src) = bytes.get(..Self::SIZE) {
                    le.copy_from_slice(src);
                }
                <$t>::from_le_bytes(le)
            }
            #[inline(always)]
            fn write_be(self, out: &mut [u8]) {
                out.copy_from_slice(&self.to_be_bytes());
            }
        }
    };
}
word!(u32);
word!(u64);

/// HMAC keyed once (RFC 2104 §2): the hash's chaining state after one block of `key ^ ipad`
/// (`inner`) and after one block of `key ^ opad` (`outer`). A MAC of an 8-byte counter then
/// costs exactly one inner and one outer compression, on blocks padded by hand. Wiped on drop.
#[derive(Clone)]
pub(crate) struct Pads<W: Word, const N: usize> {
    inner: [W; N],
    outer: [W; N],
}

impl<W: Word, const N: usize> Drop for Pads<W, N> {
    fn drop(&mut self) {
        self.wipe();
    }
}

impl<W: Word, const N: usize> Pads<W, N> {
    /// Keys with hash `D`. The key is zero-padded to a block, or first hashed when it is longer
    /// than a block; each pad block is absorbed by `D`'s own block-level core, whose chaining
    /// state is then read back through the crate's state serialization (the first `N` words,
    /// little-endian; were that layout to change, the tests comparing with `hmac::Hmac` fail).
    fn new<D>(key: &[u8]) -> Self
    where
        D: EagerHash,
        D::Core: SerializableState,
    {
        let mut block = Block::<D::Core>::default();
        if let Some(dst) = block.get_mut(..key.len()) {
            dst.copy_from_slice(key);
        } else {
            let mut hash = D::digest(key);
            for (dst, src) in block.iter_mut().zip(hash.iter()) {
                *dst = *src;
            }
            hash.as_mut_slice().zeroize();
        }
        block.iter_mut().for_each(|b| *b ^= IPAD);
        let inner = chaining_state::<D, W, N>(&block);
        block.iter_mut().for_each(|b| *b ^= IPAD ^ OPAD);
        let outer = chaining_state::<D, W, N>(&block);
        block.as_mut_slice().zeroize();
        Self { inner, outer }
    }

    /// Zeroes both states (what `Drop` does).
    fn wipe(&mut self) {
        self.inner.zeroize();
        self.outer.zeroize();
    }
}

/// `D`'s chaining state after absorbing the single block `block`.
fn chaining_state<D, W: Word, const N: usize>(block: &Block<D::Core>) -> [W; N]
where
    D: EagerHash,
    D::Core: SerializableState,
{
    let mut core = D::Core::default();
    core.update_blocks(core::slice::from_ref(block));
    let mut serialized = core.serialize();
    let mut words = [W::default(); N];
    for (word, bytes) in words.iter_mut().zip(serialized.chunks_exact(W::SIZE)) {
        *word = W::from_le(bytes);
    }
    serialized.as_mut_slice().zeroize();
    words
}

/// HMAC of an 8-byte counter for the 64-byte-block hashes (SHA-1: `N` = 5, SHA-256: `N` = 8):
/// one inner compression of `counter || 0x80 || 0… || bit length of (block + 8)`, one outer
/// compression of `inner digest || 0x80 || 0… || bit length of (block + digest)`.
#[inline(always)]
fn mac_b64<const N: usize>(
    pads: &Pads<u32, N>,
    counter: u64,
    compress: fn(&mut [u32; N], &[[u8; 64]]),
) -> Mac {
    let mut state = pads.inner;
    let mut block = [0u8; 64];
    if let Some(c) = block.first_chunk_mut::<8>() {
        *c = counter.to_be_bytes();
    }
    block[8] = 0x80;
    if let Some(l) = block.last_chunk_mut::<8>() {
        *l = ((64 + 8) * 8u64).to_be_bytes();
    }
    compress(&mut state, core::slice::from_ref(&block));

    let mut block = [0u8; 64];
    for (out, word) in block.chunks_exact_mut(4).zip(state) {
        word.write_be(out);
    }
    if let Some(b) = block.get_mut(4 * N) {
        *b = 0x80;
    }
    if let Some(l) = block.last_chunk_mut::<8>() {
        *l = ((64 + 4 * N as u64) * 8).to_be_bytes();
    }
    let mut state = pads.outer;
    compress(&mut state, core::slice::from_ref(&block));

    let mut bytes = [0u8; MAX_MAC_LEN];
    for (out, word) in bytes.chunks_exact_mut(4).zip(state) {
        word.write_be(out);
    }
    Mac { bytes, len: 4 * N }
}

/// As [`mac_b64`] for SHA-512: 128-byte blocks, 64-bit words, a 128-bit length field.
#[inline(always)]
fn mac_sha512(pads: &Pads<u64, 8>, counter: u64) -> Mac {
    let mut state = pads.inner;
    let mut block = [0u8; 128];
    if let Some(c) = block.first_chunk_mut::<8>() {
        *c = counter.to_be_bytes();
    }
    block[8] = 0x80;
    if let Some(l) = block.last_chunk_mut::<16>() {
        *l = ((128 + 8) * 8u128).to_be_bytes();
    }
    sha2::block_api::compress512(&mut state, core::slice::from_ref(&block));

    let mut block = [0u8; 128];
    for (out, word) in block.chunks_exact_mut(8).zip(state) {
        word.write_be(out);
    }
    block[64] = 0x80;
    if let Some(l) = block.last_chunk_mut::<16>() {
        *l = ((128 + 64) * 8u128).to_be_bytes();
    }
    let mut state = pads.outer;
    sha2::block_api::compress512(&mut state, core::slice::from_ref(&block));

    let mut bytes = [0u8; MAX_MAC_LEN];
    for (out, word) in bytes.chunks_exact_mut(8).zip(state) {
        word.write_be(out);
    }
    Mac { bytes, len: 64 }
}

/// HMAC keyed once: the inner and outer chaining states after absorbing `key ^ ipad` and
/// `key ^ opad`. Producing a MAC of one 8-byte counter then costs one inner and one outer
/// compression, called directly on hand-padded blocks (SHA-NI or the ARMv8 SHA instructions
/// when the CPU has them, as the `sha1`/`sha2` crates detect at run time). The states are wiped
/// on drop and never shown by `Debug`.
#[derive(Clone)]
pub(crate) enum KeyedMac {
    Sha1(Pads<u32, 5>),
    Sha256(Pads<u32, 8>),
    Sha512(Pads<u64, 8>),
}

impl KeyedMac {
    /// Keys the HMAC once. A key longer than the hash block is hashed first (RFC 2104 §2).
    pub(crate) fn new(algorithm: Algorithm, key: &[u8]) -> Result<Self, Error> {
        if key.is_empty() {
            return Err(Error::EmptyKey);
        }
        Ok(match algorithm {
            Algorithm::Sha1 => Self::Sha1(Pads::new::<sha1::Sha1>(key)),
            Algorithm::Sha256 => Self::Sha256(Pads::new::<sha2::Sha256>(key)),
            Algorithm::Sha512 => Self::Sha512(Pads::new::<sha2::Sha512>(key)),
        })
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
        match self {
            Self::Sha1(p) => mac_b64(p, counter, sha1::block_api::compress),
            Self::Sha256(p) => mac_b64(p, counter, sha2::block_api::compress256),
            Self::Sha512(p) => mac_sha512(p, counter),
        }
    }
}

impl fmt::Debug for KeyedMac {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeyedMac")
            .field("algorithm", &self.algorithm())
            .finish_non_exhaustive()
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
mod tests;
