//! Simple reference implementations that the fuzz targets compare otpkit with.
//!
//! Written for obviousness, not speed, and on a different plan from the library: base32 is
//! decoded one bit at a time from the rules in `src/base32.rs`'s module docs, where the library
//! hands groups of eight symbols to `data-encoding`; verification generates every code of the
//! window and picks the answer with ordinary iterator code, where the library scans in
//! constant time.

use otpkit::{Base32Error, CodeError, Match, VerifyError};

const BASE32_ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const STEAM_ALPHABET: &[u8; 26] = b"23456789BCDFGHJKMNPQRTVWXY";

/// The 5-bit value of a base32 symbol in either case.
fn symbol_value(byte: u8) -> Option<u8> {
    match byte.to_ascii_uppercase() {
        upper @ b'A'..=b'Z' => Some(upper - b'A'),
        digit @ b'2'..=b'7' => Some(digit - b'2' + 26),
        _ => None,
    }
}

/// Lenient base32 as otpkit documents it: either case; spaces and hyphens ignored anywhere;
/// `=` optional, but after the first `=` only `=`, spaces and hyphens; the unused low bits
/// of the last symbol ignored; a symbol that would carry no bits of any byte is an error.
///
/// Errors are reported for the first offending byte, left to right, before any length check.
pub fn decode_base32(input: &str) -> Result<Vec<u8>, Base32Error> {
    let mut values = Vec::new();
    let mut first_padding = None;
    for (position, byte) in input.bytes().enumerate() {
        if byte == b' ' || byte == b'-' {
            continue;
        }
        if byte == b'=' {
            first_padding = first_padding.or(Some(position));
            continue;
        }
        let Some(value) = symbol_value(byte) else {
            return Err(Base32Error::InvalidCharacter { position });
        };
        if let Some(position) = first_padding {
            return Err(Base32Error::InvalidPadding { position });
        }
        values.push(value);
    }
    if values.is_empty() {
        return Err(Base32Error::Empty);
    }
    // Bits left over after the last whole byte. Five or more means a whole symbol that no
    // byte needs: no encoder produces that, so it is a typing mistake.
    if (values.len() * 5) % 8 >= 5 {
        return Err(Base32Error::InvalidLength {
            symbols: values.len(),
        });
    }
    let mut out = Vec::new();
    let mut acc: u16 = 0;
    let mut bits = 0u32;
    for value in values {
        acc = (acc << 5) | u16::from(value);
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits).to_be_bytes()[1]);
            acc &= (1 << bits) - 1;
        }
    }
    Ok(out)
}

/// Unpadded upper-case base32, one bit at a time.
pub fn encode_base32(bytes: &[u8]) -> String {
    let mut out = String::new();
    let mut acc: u16 = 0;
    let mut bits = 0u32;
    let mut emit = |value: u16| {
        let symbol = BASE32_ALPHABET.get(usize::from(value & 31)).copied();
        out.push(symbol.map_or('?', char::from));
    };
    for &byte in bytes {
        acc = (acc << 8) | u16::from(byte);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            emit(acc >> bits);
            acc &= (1 << bits) - 1;
        }
    }
    if bits > 0 {
        emit(acc << (5 - bits));
    }
    out
}

/// `ceil(8 * len / 5)`, the unpadded base32 length of `len` bytes, or `usize::MAX` when that
/// does not fit in a `usize`.
pub fn base32_encoded_len(len: usize) -> usize {
    let exact = (u128::try_from(len).unwrap_or(u128::MAX) * 8).div_ceil(5);
    usize::try_from(exact).unwrap_or(usize::MAX)
}

/// Reads a typed code as otpkit documents it: digits only, or for Steam Guard the letters and
/// digits of its alphabet in either case, exactly `len` of them; ASCII space, tab, CR and LF
/// skipped before the first symbol and after the last, and space, tab, hyphen, U+00A0 and
/// U+202F skipped between two symbols. Anything else is refused at its byte offset.
pub fn normalise_code(input: &str, steam: bool, len: usize) -> Result<String, CodeError> {
    let is_symbol = |c: char| {
        if steam {
            u8::try_from(c).is_ok_and(|b| STEAM_ALPHABET.contains(&b.to_ascii_uppercase()))
        } else {
            c.is_ascii_digit()
        }
    };
    let symbols: Vec<usize> = input
        .char_indices()
        .filter(|&(_, c)| is_symbol(c))
        .map(|(i, _)| i)
        .collect();
    let mut out = String::new();
    for (position, c) in input.char_indices() {
        if is_symbol(c) {
            out.push(c.to_ascii_uppercase());
            continue;
        }
        let inside = symbols.iter().any(|&s| s < position) && symbols.iter().any(|&s| s > position);
        let allowed = if inside {
            matches!(c, ' ' | '\t' | '-' | '\u{a0}' | '\u{202f}')
        } else {
            matches!(c, ' ' | '\t' | '\r' | '\n')
        };
        if !allowed {
            return Err(CodeError::InvalidCharacter { position });
        }
    }
    if symbols.len() == len {
        Ok(out)
    } else {
        Err(CodeError::WrongLength {
            expected: u8::try_from(len).unwrap_or(u8::MAX),
            found: u8::try_from(symbols.len()).unwrap_or(u8::MAX),
        })
    }
}

/// The answer of a window scan over `first..=last` (inclusive, `first <= last`) for the
/// typed text `typed`: the latest step whose code is `typed` and that comes after
/// `last_accepted`; else `Replayed` if an earlier-used step matched; else `Mismatch`.
/// `offset` is measured from `origin`.
pub fn scan(
    first: u64,
    last: u64,
    origin: u64,
    typed: &str,
    last_accepted: Option<u64>,
    code_at: impl Fn(u64) -> String,
) -> Result<Match, VerifyError> {
    let matching: Vec<u64> = (first..=last).filter(|&s| code_at(s) == typed).collect();
    let fresh = matching
        .iter()
        .copied()
        .filter(|&s| last_accepted.is_none_or(|used| s > used))
        .max();
    match fresh {
        Some(step) => Ok(Match {
            step,
            offset: offset(step, origin),
        }),
        None if matching.is_empty() => Err(VerifyError::Mismatch),
        None => Err(VerifyError::Replayed),
    }
}

/// `step - origin` as a signed number, saturating at the ends of `i64`.
pub fn offset(step: u64, origin: u64) -> i64 {
    let wide = i128::from(step) - i128::from(origin);
    i64::try_from(wide).unwrap_or(if wide < 0 { i64::MIN } else { i64::MAX })
}

/// Standard padded base64 (RFC 4648 §4), three bytes at a time.
pub fn encode_base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let byte = |i: usize| u32::from(chunk.get(i).copied().unwrap_or(0));
        let group = (byte(0) << 16) | (byte(1) << 8) | byte(2);
        for i in 0..4usize {
            if i <= chunk.len() {
                let value = usize::try_from((group >> (18 - 6 * i)) & 63).unwrap_or(0);
                out.push(ALPHABET.get(value).map_or('?', |&c| char::from(c)));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// A protobuf varint.
pub fn put_varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push(value.to_le_bytes()[0] | 0x80);
        value >>= 7;
    }
    out.push(value.to_le_bytes()[0]);
}

/// A protobuf varint field (wire type 0).
pub fn put_varint_field(out: &mut Vec<u8>, tag: u64, value: u64) {
    put_varint(out, tag << 3);
    put_varint(out, value);
}

/// A protobuf length-delimited field (wire type 2).
pub fn put_bytes_field(out: &mut Vec<u8>, tag: u64, bytes: &[u8]) {
    put_varint(out, (tag << 3) | 2);
    put_varint(out, u64::try_from(bytes.len()).unwrap_or(u64::MAX));
    out.extend_from_slice(bytes);
}

/// What a plain second reading of an `otpauth://` URI finds, for checking an accepted
/// [`otpkit::KeyUri`] field by field: written from the documented reading rules, not from the
/// library's parser.
#[derive(Debug, PartialEq, Eq)]
pub struct UriReading {
    /// `totp`, `hotp` or `steam`, lower-case, with `encoder=steam` applied.
    pub kind: String,
    /// The label's issuer prefix, decoded; `None` when empty or absent.
    pub label_issuer: Option<String>,
    /// The account, decoded, leading spaces trimmed.
    pub account: String,
    /// Each known parameter's decoded value, by lower-case name.
    pub known: Vec<(String, String)>,
    /// The other parameters, in order.
    pub others: Vec<(String, String)>,
}

const KNOWN_NAMES: [&str; 6] = [
    "secret",
    "issuer",
    "algorithm",
    "digits",
    "period",
    "counter",
];

/// Percent-decodes `raw` (with `+` as a space when `plus`); `None` for a bad escape or UTF-8.
pub fn percent_decode(raw: &str, plus: bool) -> Option<String> {
    let mut out = Vec::new();
    let mut bytes = raw.bytes();
    while let Some(b) = bytes.next() {
        out.push(match b {
            b'%' => {
                let hex = [bytes.next()?, bytes.next()?];
                u8::from_str_radix(core::str::from_utf8(&hex).ok()?, 16).ok()?
            }
            b'+' if plus => b' ',
            b => b,
        });
    }
    String::from_utf8(out).ok()
}

/// Reads `text` as an `otpauth://` URI the simple way; `None` where it is not one.
pub fn read_uri(text: &str) -> Option<UriReading> {
    let text = text.trim_matches(|c: char| c.is_ascii_whitespace());
    let text = text.split('#').next()?;
    if text.len() < 10
        || !text.is_char_boundary(10)
        || !text[..10].eq_ignore_ascii_case("otpauth://")
    {
        return None;
    }
    let rest = &text[10..];
    let type_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let mut kind = rest[..type_end].to_ascii_lowercase();
    let path = rest[type_end..].strip_prefix('/')?;
    let (raw_label, query) = path.split_once('?').unwrap_or((path, ""));
    let mut known = Vec::new();
    let mut others = Vec::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        let (name, value) = (percent_decode(name, true)?, percent_decode(value, true)?);
        let lower = name.to_ascii_lowercase();
        if KNOWN_NAMES.contains(&lower.as_str()) {
            known.push((lower, value));
        } else {
            if lower == "encoder" && value.eq_ignore_ascii_case("steam") && kind == "totp" {
                kind = "steam".into();
            }
            others.push((name, value));
        }
    }
    let issuer = known
        .iter()
        .find(|(n, _)| n == "issuer")
        .map(|(_, v)| v.as_str());
    let colon_at = |nth: usize| raw_label.match_indices(':').nth(nth).map(|(i, _)| (i, 1));
    let otplib = issuer
        .filter(|i| i.contains(':'))
        .and_then(|i| colon_at(i.matches(':').count()).map(|sep| (i, sep)))
        .filter(|(i, (at, _))| percent_decode(&raw_label[..*at], false).as_deref() == Some(*i))
        .map(|(_, sep)| sep);
    let separator = otplib
        .or_else(|| colon_at(0))
        .or_else(|| raw_label.to_ascii_lowercase().find("%3a").map(|i| (i, 3)));
    let (label_issuer, account) = match separator {
        Some((at, width)) => (
            Some(percent_decode(&raw_label[..at], false)?).filter(|i| !i.is_empty()),
            percent_decode(&raw_label[at + width..], false)?
                .trim_start_matches(' ')
                .to_owned(),
        ),
        None => (None, percent_decode(raw_label, false)?),
    };
    Some(UriReading {
        kind,
        label_issuer,
        account,
        known,
        others,
    })
}
