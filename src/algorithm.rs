//! The HMAC algorithms and the keyed state that makes a code cost two compressions.

use core::fmt;
use core::str::FromStr;

use hmac::digest::block_api::EagerHash;
use hmac::digest::common::hazmat::SerializableState;
use subtle::{ConditionallySelectable, ConstantTimeEq};
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
#[cfg(test)]
pub(crate) const MAX_MAC_LEN: usize = 64;

/// A MAC on the stack: the first `len` bytes of `bytes` are meaningful (for the tests, which
/// compare whole MACs with `hmac::Hmac`; the library itself only ever needs truncated values).
#[cfg(test)]
pub(crate) struct Mac {
    bytes: [u8; MAX_MAC_LEN],
    len: usize,
}

#[cfg(test)]
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
    /// Dynamic truncation of the digest whose chaining state is `state` ([`truncate_words`]).
    fn truncate<const N: usize>(state: &[Self; N]) -> u32;
}

impl Word for u32 {
    const SIZE: usize = 4;
    fn from_le(bytes: &[u8]) -> Self {
        let mut le = [0u8; 4];
        if let Some(src) = bytes.get(..4) {
            le.copy_from_slice(src);
        }
        Self::from_le_bytes(le)
    }
    #[inline(always)]
    fn write_be(self, out: &mut [u8]) {
        out.copy_from_slice(&self.to_be_bytes());
    }
    #[inline(always)]
    fn truncate<const N: usize>(state: &[Self; N]) -> u32 {
        let mut head = [0u32; 5];
        for (h, w) in head.iter_mut().zip(state) {
            *h = *w;
        }
        #[allow(clippy::cast_possible_truncation)] // the digest's last byte
        let last = state.last().map_or(0, |w| *w as u8);
        truncate_words(head, last)
    }
}

impl Word for u64 {
    const SIZE: usize = 8;
    fn from_le(bytes: &[u8]) -> Self {
        let mut le = [0u8; 8];
        if let Some(src) = bytes.get(..8) {
            le.copy_from_slice(src);
        }
        Self::from_le_bytes(le)
    }
    #[inline(always)]
    fn write_be(self, out: &mut [u8]) {
        out.copy_from_slice(&self.to_be_bytes());
    }
    #[inline(always)]
    #[allow(clippy::cast_possible_truncation)] // halves of a word, and the digest's last byte
    fn truncate<const N: usize>(state: &[Self; N]) -> u32 {
        let mut head = [0u32; 6];
        for (pair, w) in head.chunks_exact_mut(2).zip(state) {
            if let [high, low] = pair {
                *high = (*w >> 32) as u32;
                *low = *w as u32;
            }
        }
        let five = *head.first_chunk::<5>().unwrap_or(&[0; 5]);
        let last = state.last().map_or(0, |w| *w as u8);
        truncate_words(five, last)
    }
}

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
    /// Keys with hash `D`, whose block-level `compress` takes `B`-byte blocks. The key is
    /// zero-padded to a block, or first hashed when it is longer than a block; the two pad
    /// blocks are then compressed from `D`'s initial state, independently, so that the two
    /// compressions overlap. The initial state is read through the crate's state
    /// serialization (the first `N` words, little-endian; were that layout to change, the
    /// tests comparing with `hmac::Hmac` fail).
    fn new<D, const B: usize>(key: &[u8], compress: fn(&mut [W; N], &[[u8; B]])) -> Self
    where
        D: EagerHash,
        D::Core: SerializableState,
    {
        let mut ipad = [0u8; B];
        if let Some(dst) = ipad.get_mut(..key.len()) {
            dst.copy_from_slice(key);
        } else {
            let mut hash = D::digest(key);
            for (dst, src) in ipad.iter_mut().zip(hash.iter()) {
                *dst = *src;
            }
            hash.as_mut_slice().zeroize();
        }
        let mut opad = ipad;
        ipad.iter_mut().for_each(|b| *b ^= IPAD);
        opad.iter_mut().for_each(|b| *b ^= OPAD);
        let initial = initial_state::<D, W, N>();
        let (mut inner, mut outer) = (initial, initial);
        compress(&mut inner, core::slice::from_ref(&ipad));
        compress(&mut outer, core::slice::from_ref(&opad));
        ipad.zeroize();
        opad.zeroize();
        Self { inner, outer }
    }

    /// Zeroes both states (what `Drop` does).
    fn wipe(&mut self) {
        self.inner.zeroize();
        self.outer.zeroize();
    }
}

/// `D`'s initial chaining state (its IV), as its core serializes it.
fn initial_state<D, W: Word, const N: usize>() -> [W; N]
where
    D: EagerHash,
    D::Core: SerializableState,
{
    let serialized = D::Core::default().serialize();
    let mut words = [W::default(); N];
    for (word, bytes) in words.iter_mut().zip(serialized.chunks_exact(W::SIZE)) {
        *word = W::from_le(bytes);
    }
    words
}

/// How many candidates one staged run computes side by side: the chunk of the window's scan.
///
/// Eight SHA-1 or SHA-256 compressions in flight cover the latency of one (about 2.5 times its
/// throughput cost with SHA-NI, `benches/README.md`); more would only grow the stack. A window of
/// 201 steps is 26 chunks, and each chunk's blocks and states (under 1.5 KiB) live on the stack.
pub(crate) const LANES: usize = 8;

/// The truncated values (RFC 4226 §5.3) of the HMACs of counters `first`, `first + 1`, … (wrapping
/// at `u64::MAX`), one per slot of `out` (at most [`LANES`]; any more stay untouched), computed
/// in stages so that independent compressions overlap: every inner block, then every inner
/// compression, every outer block, every outer compression, every truncation. The blocks are
/// hand-padded (`counter || 0x80 || 0… || bit length` inside, `digest || 0x80 || 0… || bit
/// length` outside); the length field is written as its low 8 bytes, which is the whole of it
/// for 64-byte blocks and, the message being short, of SHA-512's 128-bit field too.
///
/// `out.len()` is public (a window's size), so the number of lanes may depend on it; nothing
/// here depends on the key, the counters' values or the MACs beyond the data flow itself.
/// `L` is the number of lanes the stack arrays hold ([`KeyedMac::truncated_run`] picks 1, 4 or
/// [`LANES`] from the public run length, so that one code does not clear eight blocks).
#[inline(always)]
fn staged<W: Word, const N: usize, const B: usize, const L: usize>(
    pads: &Pads<W, N>,
    first: u64,
    out: &mut [u32],
    compress: fn(&mut [W; N], &[[u8; B]]),
) {
    let n = out.len().min(L);
    let digest_len = N * W::SIZE;
    let mut blocks = [[0u8; B]; L];
    // Stage 1: the inner blocks.
    let mut counter = first;
    for block in blocks.iter_mut().take(n) {
        if let Some(c) = block.first_chunk_mut::<8>() {
            *c = counter.to_be_bytes();
        }
        if let Some(b) = block.get_mut(8) {
            *b = 0x80;
        }
        if let Some(l) = block.last_chunk_mut::<8>() {
            *l = ((B as u64 + 8) * 8).to_be_bytes();
        }
        counter = counter.wrapping_add(1);
    }
    // Stage 2: the inner compressions, independent of each other.
    // Each lane starts from a copy of the keyed state that its compression then overwrites,
    // so no copy of a pad outlives the call in an unused lane.
    let mut states = [[W::default(); N]; L];
    for (state, block) in states.iter_mut().zip(&blocks).take(n) {
        *state = pads.inner;
        compress(state, core::slice::from_ref(block));
    }
    // Stage 3: the outer blocks, each holding its inner digest.
    for (block, state) in blocks.iter_mut().zip(&states).take(n) {
        for (bytes, word) in block.chunks_exact_mut(W::SIZE).zip(state) {
            word.write_be(bytes);
        }
        if let Some(b) = block.get_mut(digest_len) {
            *b = 0x80;
        }
        // Stage 1 left its counter lane and padding byte inside the digest, which has just
        // overwritten them; the length field is the block's last 8 bytes either way.
        if let Some(l) = block.last_chunk_mut::<8>() {
            *l = ((B + digest_len) as u64 * 8).to_be_bytes();
        }
    }
    // Stage 4: the outer compressions.
    for (state, block) in states.iter_mut().zip(&blocks).take(n) {
        *state = pads.outer;
        compress(state, core::slice::from_ref(block));
    }
    // Stage 5: truncation, masked (see [`truncate_words`]).
    for (value, state) in out.iter_mut().zip(&states) {
        *value = W::truncate(state);
    }
}

/// The full MAC of one counter, through the same padding as [`staged`] (for the tests against
/// `hmac::Hmac` and for callers that need the bytes).
#[cfg(test)]
fn single<W: Word, const N: usize, const B: usize>(
    pads: &Pads<W, N>,
    counter: u64,
    compress: fn(&mut [W; N], &[[u8; B]]),
) -> Mac {
    let digest_len = N * W::SIZE;
    let mut block = [0u8; B];
    if let Some(c) = block.first_chunk_mut::<8>() {
        *c = counter.to_be_bytes();
    }
    if let Some(b) = block.get_mut(8) {
        *b = 0x80;
    }
    if let Some(l) = block.last_chunk_mut::<8>() {
        *l = ((B as u64 + 8) * 8).to_be_bytes();
    }
    let mut state = pads.inner;
    compress(&mut state, core::slice::from_ref(&block));
    let mut block = [0u8; B];
    for (bytes, word) in block.chunks_exact_mut(W::SIZE).zip(state) {
        word.write_be(bytes);
    }
    if let Some(b) = block.get_mut(digest_len) {
        *b = 0x80;
    }
    if let Some(l) = block.last_chunk_mut::<8>() {
        *l = ((B + digest_len) as u64 * 8).to_be_bytes();
    }
    let mut state = pads.outer;
    compress(&mut state, core::slice::from_ref(&block));
    let mut bytes = [0u8; MAX_MAC_LEN];
    for (out, word) in bytes.chunks_exact_mut(W::SIZE).zip(state) {
        word.write_be(out);
    }
    Mac {
        bytes,
        len: digest_len,
    }
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
            Algorithm::Sha1 => {
                Self::Sha1(Pads::new::<sha1::Sha1, 64>(key, sha1::block_api::compress))
            }
            Algorithm::Sha256 => Self::Sha256(Pads::new::<sha2::Sha256, 64>(
                key,
                sha2::block_api::compress256,
            )),
            Algorithm::Sha512 => Self::Sha512(Pads::new::<sha2::Sha512, 128>(
                key,
                sha2::block_api::compress512,
            )),
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
    #[cfg(test)]
    pub(crate) fn mac(&self, counter: u64) -> Mac {
        match self {
            Self::Sha1(p) => single(p, counter, sha1::block_api::compress),
            Self::Sha256(p) => single(p, counter, sha2::block_api::compress256),
            Self::Sha512(p) => single(p, counter, sha2::block_api::compress512),
        }
    }

    /// The truncated values of counters `first`, `first + 1`, … into `out` (at most [`LANES`]
    /// slots are filled), computed in stages so that their compressions overlap.
    pub(crate) fn truncated_run(&self, first: u64, out: &mut [u32]) {
        match out.len() {
            0..=1 => self.run::<1>(first, out),
            2..=4 => self.run::<4>(first, out),
            _ => self.run::<LANES>(first, out),
        }
    }

    /// [`staged`] with `L` lanes of stack arrays.
    fn run<const L: usize>(&self, first: u64, out: &mut [u32]) {
        match self {
            Self::Sha1(p) => staged::<_, 5, 64, L>(p, first, out, sha1::block_api::compress),
            Self::Sha256(p) => {
                staged::<_, 8, 64, L>(p, first, out, sha2::block_api::compress256);
            }
            Self::Sha512(p) => {
                staged::<_, 8, 128, L>(p, first, out, sha2::block_api::compress512);
            }
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

/// Dynamic truncation (RFC 4226 §5.3) of a MAC given as its first five big-endian 32-bit words
/// and its last byte: the low nibble of the last byte picks four bytes, whose top bit is
/// cleared.
///
/// The offset is secret (it comes from the MAC), so it never indexes memory nor decides a
/// branch: the pair of words holding the window (`head[q]`, `head[q + 1]` for `q = offset / 4`)
/// is picked by masked selection over all four pairs, and the window is shifted out of the pair
/// by `8 · (offset mod 4)` bits (a register shift, whose time does not depend on its count).
pub(crate) fn truncate_words(head: [u32; 5], last: u8) -> u32 {
    let offset = last & 0x0f;
    let q = offset >> 2;
    let r = u32::from(offset & 3);
    let mut pair = 0u64;
    for (i, words) in (0u8..).zip(head.windows(2)) {
        if let [high, low] = *words {
            let candidate = (u64::from(high) << 32) | u64::from(low);
            pair.conditional_assign(&candidate, q.ct_eq(&i));
        }
    }
    // The window is bytes r..r + 4 of the pair's eight (big-endian).
    #[allow(clippy::cast_possible_truncation)] // the low 32 bits are the window
    let window = (pair >> (32 - 8 * r)) as u32;
    window & 0x7fff_ffff
}

/// Dynamic truncation of a MAC given as bytes (20 or more), through [`truncate_words`].
#[cfg(test)]
pub(crate) fn truncate(mac: &[u8]) -> u32 {
    let mut head = [0u32; 5];
    for (word, bytes) in head.iter_mut().zip(mac.chunks_exact(4)) {
        let mut be = [0u8; 4];
        be.copy_from_slice(bytes);
        *word = u32::from_be_bytes(be);
    }
    truncate_words(head, mac.last().copied().unwrap_or(0))
}

#[cfg(test)]
mod tests;
