//! Serde for [`KeyUri`] (the `serde` feature): a structured form with the credential's own
//! stored form inside it, so the secret is base32 in human-readable formats. A stored key is
//! accepted only if it is one an `otpauth://` URI can carry: it must read back unchanged
//! from the URI it writes.

use alloc::string::String;
use alloc::vec::Vec;

use serde::de::{self, Deserializer};
use serde::ser::Serializer;
use serde::{Deserialize, Serialize};

use super::{KeyUri, UriError};
use crate::credential::{Credential, Kind};

/// The stored form, written from borrowed fields.
#[derive(Serialize)]
struct KeyUriRef<'a> {
    credential: &'a Credential,
    label_issuer: &'a Option<String>,
    issuer_param: &'a Option<String>,
    account: &'a str,
    params: &'a [(String, String)],
}

/// The stored form, read.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct KeyUriOwned {
    credential: Credential,
    #[serde(default)]
    label_issuer: Option<String>,
    #[serde(default)]
    issuer_param: Option<String>,
    account: String,
    #[serde(default)]
    params: Vec<(String, String)>,
}

impl Serialize for KeyUri {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        KeyUriRef {
            credential: &self.credential,
            label_issuer: &self.label_issuer,
            issuer_param: &self.issuer_param,
            account: &self.account,
            params: &self.params,
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for KeyUri {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let r = KeyUriOwned::deserialize(deserializer)?;
        if let Kind::Totp { t0, .. } = r.credential.kind() {
            if t0 != 0 {
                return Err(de::Error::custom(UriError::T0NotRepresentable));
            }
        }
        let key = Self {
            credential: r.credential,
            label_issuer: r.label_issuer,
            issuer_param: r.issuer_param,
            account: r.account,
            params: r.params,
        };
        // One check for every invariant parsing keeps (a non-empty label issuer, no leading
        // spaces after the separator, no security parameter among the others, …).
        match Self::parse(&key.to_uri()) {
            Ok(back) if back == key => Ok(key),
            _ => Err(de::Error::custom("key is not one an otpauth uri can carry")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::string::ToString;

    #[test]
    fn keys_round_trip_through_json() {
        for uri in [
            "otpauth://totp/Example:alice@google.com?secret=JBSWY3DPEHPK3PXP&issuer=Example",
            "otpauth://totp/Contoso:alice?secret=JBSWY3DPEHPK3PXP&issuer=Microsoft&image=x&color=%23fff",
            "otpauth://hotp/bob?secret=GEZDGNBV&counter=18446744073709551615&digits=10&algorithm=SHA512",
            "otpauth://steam/Steam:g?secret=GEZDGNBV&encoder=steam",
            "otpauth://totp/ACME:bob?secret=GEZDGNBV&issuer=",
        ] {
            let key = KeyUri::parse(uri).unwrap();
            let json = serde_json::to_string(&key).unwrap();
            let back: KeyUri = serde_json::from_str(&json).unwrap();
            assert_eq!(back, key, "{json}");
        }
    }

    #[test]
    fn the_stored_form_is_documented_json() {
        let key = KeyUri::parse(
            "otpauth://totp/Example:alice@google.com?secret=JBSWY3DPEHPK3PXP&issuer=Example&image=x",
        )
        .unwrap();
        assert_eq!(
            serde_json::to_string(&key).unwrap(),
            r#"{"credential":{"secret":"JBSWY3DPEHPK3PXP","algorithm":"SHA1","digits":6,"kind":{"type":"totp","period":30,"t0":0}},"label_issuer":"Example","issuer_param":"Example","account":"alice@google.com","params":[["image","x"]]}"#
        );
        // Optional parts may be left out.
        let short = r#"{"credential":{"secret":"JBSWY3DPEHPK3PXP","algorithm":"SHA1","digits":6,"kind":{"type":"hotp","counter":0}},"account":"a"}"#;
        let key: KeyUri = serde_json::from_str(short).unwrap();
        assert_eq!(
            key,
            KeyUri::parse("otpauth://hotp/a?secret=JBSWY3DPEHPK3PXP").unwrap()
        );
    }

    #[test]
    fn keys_no_uri_can_carry_are_refused() {
        let base = r#"{"credential":{"secret":"GEZDGNBV","algorithm":"SHA1","digits":6,"kind":{"type":"totp","period":30,"t0":0}},"label_issuer":"A","account":"a","params":[]}"#;
        assert!(serde_json::from_str::<KeyUri>(base).is_ok());
        for (bad, message) in [
            (
                base.replace("\"t0\":0", "\"t0\":5"),
                "a uri cannot carry a t0 other than 0",
            ),
            (
                base.replace("\"A\"", "\"\""),
                "key is not one an otpauth uri can carry",
            ),
            (
                base.replace("\"a\"", "\" a\""),
                "key is not one an otpauth uri can carry",
            ),
            (
                base.replace("[]", r#"[["secret","MZXW6"]]"#),
                "key is not one an otpauth uri can carry",
            ),
            (
                // A case variant of a security parameter is that parameter (issue 11).
                base.replace("[]", r#"[["Digits","8"]]"#),
                "key is not one an otpauth uri can carry",
            ),
            (
                base.replace("[]", r#"[["ENCODER","steam"]]"#),
                "key is not one an otpauth uri can carry",
            ),
            (
                base.replace("[]", r#"[["encoder","steam"]]"#),
                "key is not one an otpauth uri can carry",
            ),
            (
                base.replace("\"params\"", "\"extra\""),
                "unknown field `extra`",
            ),
            (
                base.replace("GEZDGNBV", "GEZ1"),
                "invalid base32 character at position 3",
            ),
        ] {
            let err = serde_json::from_str::<KeyUri>(&bad)
                .unwrap_err()
                .to_string();
            assert!(err.starts_with(message), "{bad}: {err}");
            assert!(!err.contains("GEZD"), "{err}");
        }
    }
}
