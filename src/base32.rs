//! Lenient base32 (RFC 4648 §6) for secrets, decoding into a caller's buffer.
//!
//! Decoding is done by `data-encoding`'s `decode_mut` on groups of eight symbols, which needs no
//! allocator. We chose `data-encoding` over `base32` 1.0 because its 2.x line is stable (base32
//! 1.0 is a release candidate), its `decode_mut`/`encode_mut` write into caller buffers, and it
//! reports the position of bad input.
//!
//! What "lenient" means here, and why:
//! - either case, since people type secrets as they see them;
//! - spaces and hyphens anywhere are ignored (`"JBSW Y3DP"` as apps show secrets in groups);
//! - `=` padding is optional, but once it starts only padding, spaces and hyphens may follow;
//! - unused low bits of the last symbol are ignored, as Google Authenticator does, because some
//!   services issue secrets as random base32 text whose length is not a whole number of bytes;
//! - a symbol count of 1, 3 or 6 past a multiple of eight is an error: no byte string encodes
//!   to it, so it is a typing mistake.

use data_encoding::BASE32_NOPAD;

use crate::error::Base32Error;

const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// Validates the text and counts its symbols.
fn count_symbols(input: &str) -> Result<usize, Base32Error> {
    let mut symbols: usize = 0;
    let mut padding_at: Option<usize> = None;
    for (position, byte) in input.bytes().enumerate() {
        match byte {
            b' ' | b'-' => {}
            b'=' => {
                padding_at.get_or_insert(position);
            }
            b if ALPHABET.contains(&b.to_ascii_uppercase()) => {
                if let Some(position) = padding_at {
                    return Err(Base32Error::InvalidPadding { position });
                }
                symbols += 1;
            }
            _ => return Err(Base32Error::InvalidCharacter { position }),
        }
    }
    match symbols % 8 {
        _ if symbols == 0 => Err(Base32Error::Empty),
        1 | 3 | 6 => Err(Base32Error::InvalidLength { symbols }),
        _ => Ok(symbols),
    }
}

/// The number of bytes `input` decodes to.
///
/// # Errors
///
/// As [`decode_base32`], except [`Base32Error::BufferTooSmall`].
///
/// # Examples
///
/// ```
/// assert_eq!(otpkit::base32_decoded_len("JBSWY3DPEHPK3PXP")?, 10);
/// assert_eq!(otpkit::base32_decoded_len("jbsw y3dp ====")?, 5);
/// # Ok::<(), otpkit::Base32Error>(())
/// ```
pub fn base32_decoded_len(input: &str) -> Result<usize, Base32Error> {
    Ok(count_symbols(input)? * 5 / 8)
}

/// Decodes a base32 secret leniently into `out` and returns the filled part. Needs no allocator.
///
/// Accepts either case, ignores spaces and hyphens, takes `=` padding or none, and ignores the
/// unused low bits of the last symbol (see the module notes for why).
///
/// # Errors
///
/// [`Base32Error::InvalidCharacter`], [`Base32Error::InvalidPadding`],
/// [`Base32Error::InvalidLength`], [`Base32Error::Empty`], or
/// [`Base32Error::BufferTooSmall`] when `out` is shorter than the secret.
///
/// # Examples
///
/// ```
/// let mut buf = [0u8; 64];
/// let key = otpkit::decode_base32("gezd-gnbv gy3t-qojq ====", &mut buf)?;
/// assert_eq!(key, b"1234567890");
/// # Ok::<(), otpkit::Base32Error>(())
/// ```
pub fn decode_base32<'a>(input: &str, out: &'a mut [u8]) -> Result<&'a mut [u8], Base32Error> {
    let symbols = count_symbols(input)?;
    let needed = symbols * 5 / 8;
    let out = out
        .get_mut(..needed)
        .ok_or(Base32Error::BufferTooSmall { needed })?;
    let mut group = [0u8; 8];
    let mut in_group = 0usize;
    let mut written = 0usize;
    let mut symbols_seen = 0usize;
    for (position, byte) in input.bytes().enumerate() {
        let upper = byte.to_ascii_uppercase();
        if !ALPHABET.contains(&upper) {
            continue;
        }
        symbols_seen += 1;
        let Some(slot) = group.get_mut(in_group) else {
            return Err(Base32Error::InvalidCharacter { position });
        };
        *slot = upper;
        in_group += 1;
        if in_group == 8 || symbols_seen == symbols {
            let group = group.get_mut(..in_group).unwrap_or(&mut []);
            clear_trailing_bits(group);
            let bytes = in_group * 5 / 8;
            let dst = out
                .get_mut(written..written + bytes)
                .ok_or(Base32Error::BufferTooSmall { needed })?;
            BASE32_NOPAD
                .decode_mut(group, dst)
                .map_err(|_| Base32Error::InvalidCharacter { position })?;
            written += bytes;
            in_group = 0;
        }
    }
    Ok(out)
}

/// Zeroes the bits of a final partial group's last symbol that carry no byte, so that the strict
/// decoder underneath accepts them.
fn clear_trailing_bits(group: &mut [u8]) {
    let unused_bits = (group.len() * 5) % 8;
    if let Some(last) = group.last_mut() {
        if let Some(value) = ALPHABET.iter().position(|&c| c == *last) {
            let cleared = value & !((1usize << unused_bits) - 1);
            *last = ALPHABET.get(cleared).copied().unwrap_or(b'A');
        }
    }
}

/// The length of the unpadded base32 text of `len` bytes, `ceil(8 * len / 5)`.
///
/// Exact for the length of any slice; saturates at `usize::MAX` for a `len` whose text would
/// not fit in memory (from about `usize::MAX / 8 * 5`), rather than overflowing.
///
/// # Examples
///
/// ```
/// assert_eq!(otpkit::base32_encoded_len(20), 32);
/// assert_eq!(otpkit::base32_encoded_len(10), 16);
/// assert_eq!(otpkit::base32_encoded_len(1), 2);
/// assert_eq!(otpkit::base32_encoded_len(usize::MAX), usize::MAX);
/// ```
#[must_use]
pub const fn base32_encoded_len(len: usize) -> usize {
    // Whole 5-byte groups (8 symbols each) plus the rest, so that nothing is multiplied past
    // `len` before the division: `len * 8` overflowed (found by the `base32_secret` fuzz target).
    (len / 5)
        .saturating_mul(8)
        .saturating_add((len % 5 * 8).div_ceil(5))
}

/// Encodes bytes as unpadded upper-case base32 into `out`, without an allocator.
///
/// # Errors
///
/// [`Base32Error::BufferTooSmall`] when `out` is shorter than
/// [`base32_encoded_len`]`(bytes.len())`.
///
/// # Examples
///
/// ```
/// let mut buf = [0u8; 32];
/// assert_eq!(otpkit::encode_base32(b"1234567890", &mut buf)?, "GEZDGNBVGY3TQOJQ");
/// # Ok::<(), otpkit::Base32Error>(())
/// ```
pub fn encode_base32<'a>(bytes: &[u8], out: &'a mut [u8]) -> Result<&'a str, Base32Error> {
    let needed = base32_encoded_len(bytes.len());
    let out = out
        .get_mut(..needed)
        .ok_or(Base32Error::BufferTooSmall { needed })?;
    BASE32_NOPAD.encode_mut(bytes, out);
    // The alphabet is ASCII, so this cannot fail.
    core::str::from_utf8(out).map_err(|_| Base32Error::InvalidCharacter { position: 0 })
}

#[cfg(test)]
mod tests;
