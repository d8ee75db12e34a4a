//! Aegis JSON vaults (`docs/vault.md` in the Aegis repository): plain, or encrypted with
//! password slots (scrypt → AES-256-GCM key wrap, AES-256-GCM over the content).

use base64::Engine;
use serde_json::Value;

use super::{Entries, Error, Spec, Wiped, aes_gcm_open, num_of, open_json, str_of};
use crate::Password;
use crate::format::unhex;

/// scrypt bounds for a file's slot: Aegis uses N = 2^15, r = 8, p = 1.
const MAX_LOG_N: u8 = 20;
const MAX_R: u64 = 32;
const MAX_P: u64 = 16;
const MAX_MEMORY: u64 = 256 * 1024 * 1024;

pub(crate) fn read(
    file: Wiped,
    password: Option<&Password>,
    out: &mut Entries,
) -> Result<(), Error> {
    let db = file.get("db").ok_or(Error::Malformed("no db"))?;
    let header = file.get("header").ok_or(Error::Malformed("no header"))?;
    let content = if db.is_object() {
        Wiped(db.clone())
    } else {
        let password = password.ok_or(Error::NeedsPassword)?;
        let master = unwrap_master(header, password)?;
        let params = header.get("params").ok_or(Error::Malformed("no params"))?;
        let nonce = unhex(str_of(params, "nonce")).ok_or(Error::Malformed("params.nonce"))?;
        let tag = unhex(str_of(params, "tag")).ok_or(Error::Malformed("params.tag"))?;
        let mut data = base64::engine::general_purpose::STANDARD
            .decode(db.as_str().ok_or(Error::Malformed("db"))?)
            .map_err(|_| Error::Malformed("db is not base64"))?;
        data.extend_from_slice(&tag);
        open_json(&master, &nonce, &data, "decrypted db is not JSON")?
    };
    let entries = content
        .get("entries")
        .and_then(Value::as_array)
        .ok_or(Error::Malformed("no entries"))?;
    for e in entries {
        let info = e.get("info").unwrap_or(&Value::Null);
        let spec = Spec {
            issuer: str_of(e, "issuer"),
            name: str_of(e, "name"),
            note: str_of(e, "note"),
            secret: str_of(info, "secret"),
            kind: str_of(e, "type"),
            ..Spec::otp_params(info, "algo")
        };
        out.push(str_of(e, "name"), spec.entry());
    }
    Ok(())
}

fn unwrap_master(
    header: &Value,
    password: &Password,
) -> Result<zeroize::Zeroizing<Vec<u8>>, Error> {
    let slots = header
        .get("slots")
        .and_then(Value::as_array)
        .ok_or(Error::Malformed("no slots"))?;
    let mut tried = false;
    for slot in slots
        .iter()
        .filter(|s| s.get("type").and_then(Value::as_u64) == Some(1))
    {
        tried = true;
        let n = num_of(slot, "n").ok_or(Error::Malformed("slot.n"))?;
        let r = num_of(slot, "r").ok_or(Error::Malformed("slot.r"))?;
        let p = num_of(slot, "p").ok_or(Error::Malformed("slot.p"))?;
        if !n.is_power_of_two() || n < 2 {
            return Err(Error::Malformed("slot.n is not a power of two"));
        }
        let log_n = u8::try_from(n.trailing_zeros()).map_err(|_| Error::KdfRefused)?;
        if log_n > MAX_LOG_N || r > MAX_R || p > MAX_P || r == 0 || p == 0 {
            return Err(Error::KdfRefused);
        }
        // scrypt holds 128 · r · N bytes at once: at most 256 MiB (Aegis's own use 32 MiB).
        if (128 * r).saturating_mul(n) > MAX_MEMORY {
            return Err(Error::KdfRefused);
        }
        let (r, p) = (
            u32::try_from(r).map_err(|_| Error::KdfRefused)?,
            u32::try_from(p).map_err(|_| Error::KdfRefused)?,
        );
        let params = scrypt::Params::new(log_n, r, p).map_err(|_| Error::KdfRefused)?;
        let salt = unhex(str_of(slot, "salt")).ok_or(Error::Malformed("slot.salt"))?;
        let mut key = zeroize::Zeroizing::new([0u8; 32]);
        scrypt::scrypt(password.as_bytes(), &salt, &params, key.as_mut())
            .map_err(|_| Error::KdfRefused)?;
        let kp = slot
            .get("key_params")
            .ok_or(Error::Malformed("slot.key_params"))?;
        let nonce = unhex(str_of(kp, "nonce")).ok_or(Error::Malformed("slot nonce"))?;
        let mut wrapped = unhex(str_of(slot, "key")).ok_or(Error::Malformed("slot.key"))?;
        wrapped.extend(unhex(str_of(kp, "tag")).ok_or(Error::Malformed("slot tag"))?);
        if let Ok(master) = aes_gcm_open(key.as_ref(), &nonce, &wrapped) {
            return Ok(master);
        }
    }
    Err(if tried {
        Error::WrongPassword
    } else {
        Error::Malformed("no password slot")
    })
}
