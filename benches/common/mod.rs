//! Inputs and contenders shared by the benches: every contender gets the same keys, time and
//! typed code, so the figures of one group differ only in the code under test.
//!
//! - `otpkit`: this crate, keyed once (or from the secret bytes where the group says so).
//! - `totp-rs`: `totp_rs::Totp` (6.x), `generate` and `check`; it keys HMAC for every code.
//! - `totp-lite`: `totp_custom`, which keys HMAC for every code and returns a `String`.
//! - `naive`: `hmac::Hmac<D>` keyed for every code, truncated by hand: the obvious baseline.

#![allow(dead_code, clippy::unwrap_used, clippy::indexing_slicing)]

use hmac::digest::KeyInit;
use hmac::{Hmac, Mac};
use otpkit::{Algorithm, Digits, Totp, Window};

/// A unix time (RFC 6238 Appendix B uses it too); step 37 037 036 with a 30-second period.
pub const TIME: u64 = 1_111_111_109;
/// The period of every TOTP here.
pub const PERIOD: u64 = 30;

/// The RFC 6238 Appendix B seeds: 20 bytes for SHA-1, 32 for SHA-256, 64 for SHA-512.
pub fn key(algorithm: Algorithm) -> Vec<u8> {
    b"1234567890"
        .iter()
        .copied()
        .cycle()
        .take(algorithm.output_len())
        .collect()
}

/// The name criterion shows for an algorithm.
pub fn name(algorithm: Algorithm) -> &'static str {
    algorithm.as_str()
}

pub fn otpkit_totp(algorithm: Algorithm, key: &[u8]) -> Totp {
    Totp::new(algorithm, key, Digits::SIX, PERIOD).unwrap()
}

pub fn totp_rs(algorithm: Algorithm, key: &[u8], skew: u16) -> totp_rs::Totp {
    let algorithm = match algorithm {
        Algorithm::Sha1 => totp_rs::Algorithm::SHA1,
        Algorithm::Sha256 => totp_rs::Algorithm::SHA256,
        Algorithm::Sha512 => totp_rs::Algorithm::SHA512,
    };
    totp_rs::Builder::new()
        .with_algorithm(algorithm)
        .with_digits(6)
        .with_skew(skew)
        .with_step_duration(PERIOD)
        .with_secret(key)
        .build_noncompliant()
}

pub fn totp_lite(algorithm: Algorithm, key: &[u8], time: u64) -> String {
    use totp_lite::{Sha1, Sha256, Sha512, totp_custom};
    match algorithm {
        Algorithm::Sha1 => totp_custom::<Sha1>(PERIOD, 6, key, time),
        Algorithm::Sha256 => totp_custom::<Sha256>(PERIOD, 6, key, time),
        Algorithm::Sha512 => totp_custom::<Sha512>(PERIOD, 6, key, time),
    }
}

/// totp-lite has no verifier: the way its users check a code is to generate each step's.
pub fn totp_lite_verify(algorithm: Algorithm, key: &[u8], code: &str, time: u64, w: u64) -> bool {
    let step = time / PERIOD;
    (step - w..=step + w).any(|s| totp_lite(algorithm, key, s * PERIOD) == code)
}

fn naive_mac<M: Mac + KeyInit>(key: &[u8], counter: u64, code: impl FnOnce(&[u8]) -> u32) -> u32 {
    let mut mac = <M as KeyInit>::new_from_slice(key).unwrap();
    mac.update(&counter.to_be_bytes());
    code(&mac.finalize().into_bytes())
}

/// HMAC keyed afresh for this one code, then RFC 4226 §5.3 truncation to 6 digits.
pub fn naive_code(algorithm: Algorithm, key: &[u8], counter: u64) -> u32 {
    let six = |mac: &[u8]| {
        let offset = usize::from(mac[mac.len() - 1] & 0x0f);
        let word = u32::from_be_bytes(mac[offset..offset + 4].try_into().unwrap());
        (word & 0x7fff_ffff) % 1_000_000
    };
    match algorithm {
        Algorithm::Sha1 => naive_mac::<Hmac<sha1::Sha1>>(key, counter, six),
        Algorithm::Sha256 => naive_mac::<Hmac<sha2::Sha256>>(key, counter, six),
        Algorithm::Sha512 => naive_mac::<Hmac<sha2::Sha512>>(key, counter, six),
    }
}

/// The naive verifier: parse the code, then key and compute every step in the window.
pub fn naive_verify(algorithm: Algorithm, key: &[u8], code: &str, time: u64, w: u64) -> bool {
    let Ok(typed) = code.parse::<u32>() else {
        return false;
    };
    let step = time / PERIOD;
    (step - w..=step + w).any(|s| naive_code(algorithm, key, s) == typed)
}

/// A 6-digit code that matches no step within `w` of `TIME`: the worst case of a verifier
/// (every contender must compute the whole window). Checked against otpkit and totp-rs.
pub fn miss_code(algorithm: Algorithm, key: &[u8], w: u32) -> String {
    let step = TIME / PERIOD;
    let taken: Vec<u32> = (step - u64::from(w)..=step + u64::from(w))
        .map(|s| naive_code(algorithm, key, s))
        .collect();
    let code = (0..1_000_000u32)
        .find(|c| !taken.contains(c))
        .map(|c| format!("{c:06}"))
        .unwrap();
    let window = Window::symmetric(w).unwrap();
    assert!(
        otpkit_totp(algorithm, key)
            .verify(&code, TIME, window)
            .is_err()
    );
    let skew = u16::try_from(w).unwrap();
    assert!(totp_rs(algorithm, key, skew).check(&code, TIME).is_none());
    code
}
