//! andOTP backups: a plain JSON list, or the encrypted binary backup
//! (iterations as a 4-byte big-endian integer, a 12-byte salt, a 12-byte IV, then AES-256-GCM
//! ciphertext and tag under PBKDF2-HMAC-SHA1 of the password).

use super::{Entries, Error, Spec, Wiped, open_json, str_of};
use crate::Password;

/// The most PBKDF2 iterations a file may ask for (andOTP writes 140,000 to 160,000).
pub(crate) const MAX_ITERATIONS: u32 = 2_000_000;
const SALT_LEN: usize = 12;
const IV_LEN: usize = 12;
const HEAD_LEN: usize = 4 + SALT_LEN + IV_LEN;

/// Whether `bytes` have the shape of an encrypted backup (not JSON, a sane iteration count).
pub(crate) fn looks_encrypted(bytes: &[u8]) -> bool {
    bytes.len() >= HEAD_LEN + 16
        && bytes
            .first_chunk::<4>()
            .map(|b| u32::from_be_bytes(*b))
            .is_some_and(|n| (1..=MAX_ITERATIONS).contains(&n))
}

pub(crate) fn read(
    bytes: &[u8],
    password: Option<&Password>,
    out: &mut Entries,
) -> Result<(), Error> {
    let list = if let Ok(v) = serde_json::from_slice(bytes) {
        Wiped(v)
    } else {
        let iterations = bytes
            .first_chunk::<4>()
            .map(|b| u32::from_be_bytes(*b))
            .ok_or(Error::Malformed("too short"))?;
        if bytes.len() < HEAD_LEN + 16 {
            return Err(Error::Malformed("too short"));
        }
        if iterations == 0 || iterations > MAX_ITERATIONS {
            return Err(Error::KdfRefused);
        }
        let password = password.ok_or(Error::NeedsPassword)?;
        let (head, data) = bytes.split_at(HEAD_LEN);
        let (salt, iv) = head
            .get(4..)
            .ok_or(Error::Malformed("too short"))?
            .split_at(SALT_LEN);
        let mut key = zeroize::Zeroizing::new([0u8; 32]);
        pbkdf2::pbkdf2_hmac::<sha1::Sha1>(password.as_bytes(), salt, iterations, key.as_mut());
        open_json(key.as_ref(), iv, data, "decrypted backup is not JSON")?
    };
    let list = list
        .as_array()
        .ok_or(Error::Malformed("not a list of entries"))?;
    for e in list {
        let spec = Spec {
            issuer: str_of(e, "issuer"),
            name: str_of(e, "label"),
            note: "",
            secret: str_of(e, "secret"),
            kind: str_of(e, "type"),
            ..Spec::otp_params(e, "algorithm")
        };
        out.push(str_of(e, "label"), spec.entry());
    }
    Ok(())
}
