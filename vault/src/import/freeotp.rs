//! FreeOTP+ JSON backups: `tokens`, each with the secret as a list of signed bytes.

use otpkit::Secret;
use serde_json::Value;

use super::{Entries, Error, Spec, Wiped, str_of};

pub(crate) fn read(file: Wiped, out: &mut Entries) -> Result<(), Error> {
    let tokens = file
        .get("tokens")
        .and_then(Value::as_array)
        .ok_or(Error::Malformed("no tokens"))?;
    for t in tokens {
        let issuer = Some(str_of(t, "issuerExt"))
            .filter(|i| !i.is_empty())
            .unwrap_or(str_of(t, "issuerInt"));
        let spec = Spec {
            issuer,
            name: str_of(t, "label"),
            note: "",
            secret: "",
            kind: str_of(t, "type"),
            ..Spec::otp_params(t, "algo")
        };
        let entry = secret(t).and_then(|s| spec.entry_with(s));
        out.push(str_of(t, "label"), entry);
    }
    Ok(())
}

/// The secret's bytes: Java's signed bytes, -128 to 127 (unsigned 0 to 255 read too).
fn secret(token: &Value) -> Result<Secret, String> {
    let list = token
        .get("secret")
        .and_then(Value::as_array)
        .ok_or("secret is not a list of bytes")?;
    let bytes = zeroize::Zeroizing::new(
        list.iter()
            .map(|b| {
                b.as_i64()
                    .filter(|v| (-128..=255).contains(v))
                    .map(|v| v.to_le_bytes()[0])
                    .ok_or("secret is not a list of bytes")
            })
            .collect::<Result<Vec<u8>, _>>()?,
    );
    Secret::from_bytes(&bytes).map_err(|_| "secret is empty".to_owned())
}
