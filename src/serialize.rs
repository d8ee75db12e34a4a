//! Serde support (the `serde` feature). Secrets are base32 text in human-readable formats
//! (JSON, TOML) and raw bytes in binary ones. Every value is checked again when it is read, so a
//! stored credential with period 0 or 5 digits is refused rather than trusted.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::ser::Serializer;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::algorithm::Algorithm;
use crate::code::Digits;
use crate::credential::{Credential, Kind};
use crate::secret::Secret;

impl Serialize for Secret {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if serializer.is_human_readable() {
            serializer.serialize_str(&self.to_base32())
        } else {
            serializer.serialize_bytes(self.as_bytes())
        }
    }
}

struct SecretVisitor;

impl<'de> Visitor<'de> for SecretVisitor {
    type Value = Secret;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a base32 secret or its bytes")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Secret, E> {
        Secret::from_base32(v).map_err(E::custom)
    }

    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Secret, E> {
        Secret::from_bytes(v).map_err(E::custom)
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Secret, A::Error> {
        let mut bytes = Zeroizing::new(Vec::new());
        while let Some(b) = seq.next_element::<u8>()? {
            bytes.push(b);
        }
        Secret::from_bytes(&bytes).map_err(de::Error::custom)
    }
}

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        if deserializer.is_human_readable() {
            deserializer.deserialize_str(SecretVisitor)
        } else {
            deserializer.deserialize_bytes(SecretVisitor)
        }
    }
}

impl Serialize for Algorithm {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Algorithm {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        name.parse().map_err(de::Error::custom)
    }
}

impl Serialize for Digits {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u8(self.get())
    }
}

impl<'de> Deserialize<'de> for Digits {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Self::new(u8::deserialize(deserializer)?).map_err(de::Error::custom)
    }
}

/// The stored form of a [`credential::Kind`](crate::credential::Kind): `{"type": "totp", "period": 30, "t0": 0}`,
/// `{"type": "hotp", "counter": 0}` or `{"type": "steam"}`.
#[derive(Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase", deny_unknown_fields)]
enum KindRepr {
    Totp {
        period: u64,
        #[serde(default)]
        t0: u64,
    },
    Hotp {
        counter: u64,
    },
    Steam,
}

impl Serialize for Kind {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match *self {
            Self::Totp { period, t0 } => KindRepr::Totp { period, t0 },
            Self::Hotp { counter } => KindRepr::Hotp { counter },
            Self::Steam => KindRepr::Steam,
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Kind {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(match KindRepr::deserialize(deserializer)? {
            KindRepr::Totp { period, t0 } => Self::Totp { period, t0 },
            KindRepr::Hotp { counter } => Self::Hotp { counter },
            KindRepr::Steam => Self::Steam,
        })
    }
}

/// The stored form of a [`Credential`].
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct CredentialRepr {
    secret: Secret,
    algorithm: Algorithm,
    digits: Digits,
    kind: Kind,
}

impl Serialize for Credential {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        CredentialRepr {
            secret: self.secret().clone(),
            algorithm: self.algorithm(),
            digits: self.digits(),
            kind: self.kind(),
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Credential {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let r = CredentialRepr::deserialize(deserializer)?;
        match r.kind {
            Kind::Totp { period, t0 } => Self::totp(r.secret, r.algorithm, r.digits, period)
                .map(|c| c.with_t0(t0))
                .map_err(de::Error::custom),
            Kind::Hotp { counter } => Ok(Self::hotp(r.secret, r.algorithm, r.digits, counter)),
            Kind::Steam => Ok(Self::steam(r.secret)),
        }
    }
}

/// The error for a stored form whose `format` number this version does not read; shared by
/// every versioned form (the verifier's state, recovery codes).
pub(crate) fn unsupported<E: de::Error>(what: &str, found: u32, reads: u32) -> E {
    E::custom(format_args!(
        "unsupported {what} format {found}; this version reads format {reads}"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::string::ToString;

    fn secret() -> Secret {
        Secret::from_bytes(b"12345678901234567890").unwrap()
    }

    #[test]
    fn credentials_round_trip_through_json() {
        let creds = [
            Credential::totp(secret(), Algorithm::Sha256, Digits::EIGHT, 60)
                .unwrap()
                .with_t0(7),
            Credential::hotp(secret(), Algorithm::Sha512, Digits::SIX, u64::MAX),
            Credential::steam(secret()),
        ];
        for c in creds {
            let json = serde_json::to_string(&c).unwrap();
            let back: Credential = serde_json::from_str(&json).unwrap();
            assert_eq!(back, c, "{json}");
        }
    }

    #[test]
    fn the_stored_form_is_documented_json() {
        let c = Credential::totp(secret(), Algorithm::Sha1, Digits::SIX, 30).unwrap();
        assert_eq!(
            serde_json::to_string(&c).unwrap(),
            r#"{"secret":"GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ","algorithm":"SHA1","digits":6,"kind":{"type":"totp","period":30,"t0":0}}"#
        );
    }

    #[test]
    fn invalid_stored_values_are_refused() {
        let base = r#"{"secret":"GEZDGNBV","algorithm":"SHA1","digits":6,"kind":{"type":"totp","period":30}}"#;
        assert!(serde_json::from_str::<Credential>(base).is_ok());
        for (bad, message) in [
            (
                base.replace("\"digits\":6", "\"digits\":5"),
                "digits must be between 6 and 10, got 5",
            ),
            (
                base.replace("\"period\":30", "\"period\":0"),
                "period must be at least 1 second",
            ),
            (base.replace("SHA1", "MD5"), "unsupported algorithm"),
            (base.replace("GEZDGNBV", ""), "secret is empty"),
            (
                base.replace("GEZDGNBV", "GEZ1"),
                "invalid base32 character at position 3",
            ),
            (base.replace("totp", "motp"), "unknown variant `motp`"),
        ] {
            let err = serde_json::from_str::<Credential>(&bad)
                .unwrap_err()
                .to_string();
            assert!(err.contains(message), "{bad}: {err}");
        }
    }

    #[test]
    fn secrets_never_leak_through_errors() {
        let err = serde_json::from_str::<Secret>(r#""JBSWY3DPEHPK3PX!""#)
            .unwrap_err()
            .to_string();
        assert!(!err.contains("JBSW"), "{err}");
    }
}
