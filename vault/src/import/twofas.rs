//! 2FAS `.2fas` backups (schema versions up to 4): plain `services`, or `servicesEncrypted`
//! = base64(ciphertext and tag) `:` base64(salt) `:` base64(IV), AES-256-GCM under
//! PBKDF2-HMAC-SHA256 (10,000 iterations) of the password.

use base64::Engine;
use serde_json::Value;

use super::{Entries, Error, Spec, Wiped, num_of, open_json, str_of};
use crate::Password;

/// The PBKDF2 iteration count 2FAS uses.
pub(crate) const ITERATIONS: u32 = 10_000;
const MAX_SCHEMA: u64 = 4;

pub(crate) fn read(
    file: Wiped,
    password: Option<&Password>,
    out: &mut Entries,
) -> Result<(), Error> {
    if num_of(&file, "schemaVersion").is_some_and(|v| v > MAX_SCHEMA) {
        return Err(Error::Malformed("2FAS schema newer than 4"));
    }
    let encrypted = str_of(&file, "servicesEncrypted");
    let services = if encrypted.is_empty() {
        Wiped(
            file.get("services")
                .cloned()
                .ok_or(Error::Malformed("no services"))?,
        )
    } else {
        let password = password.ok_or(Error::NeedsPassword)?;
        let b64 = |s: &str| {
            base64::engine::general_purpose::STANDARD
                .decode(s)
                .map_err(|_| Error::Malformed("servicesEncrypted is not base64"))
        };
        let mut parts = encrypted.split(':');
        let (Some(data), Some(salt), Some(iv), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(Error::Malformed("servicesEncrypted is not data:salt:iv"));
        };
        let (data, salt, iv) = (b64(data)?, b64(salt)?, b64(iv)?);
        let mut key = zeroize::Zeroizing::new([0u8; 32]);
        pbkdf2::pbkdf2_hmac::<sha2::Sha256>(password.as_bytes(), &salt, ITERATIONS, key.as_mut());
        open_json(key.as_ref(), &iv, &data, "decrypted services are not JSON")?
    };
    let services = services
        .as_array()
        .ok_or(Error::Malformed("services is not a list"))?;
    for s in services {
        let otp = s.get("otp").unwrap_or(&Value::Null);
        let issuer = Some(str_of(otp, "issuer"))
            .filter(|i| !i.is_empty())
            .unwrap_or(str_of(s, "name"));
        let name = Some(str_of(otp, "account"))
            .filter(|a| !a.is_empty())
            .unwrap_or(str_of(otp, "label"));
        let spec = Spec {
            issuer,
            name,
            note: "",
            secret: str_of(s, "secret"),
            kind: str_of(otp, "tokenType"),
            ..Spec::otp_params(otp, "algorithm")
        };
        let mut entry = spec.entry();
        if let Ok(e) = &mut entry {
            e.color = s
                .get("badge")
                .map(|b| str_of(b, "color"))
                .and_then(|c| c.parse().ok());
        }
        out.push(str_of(s, "name"), entry);
    }
    Ok(())
}
