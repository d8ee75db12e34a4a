//! Serde support for recovery codes (the `serde` feature): a versioned stored form whose
//! hashes are checked again when read.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use data_encoding::{HEXLOWER, HEXLOWER_PERMISSIVE};
use serde::de::{self, Deserializer};
use serde::ser::Serializer;
use serde::{Deserialize, Serialize};

use super::Codes;
use crate::serialize::unsupported;

/// `N` bytes as lower-case hex text (read in either case).
struct Hex<const N: usize>([u8; N]);

impl<const N: usize> Serialize for Hex<N> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut buf = [0u8; 64];
        let out = buf
            .get_mut(..HEXLOWER.encode_len(N))
            .ok_or_else(|| serde::ser::Error::custom("hex value too long"))?;
        HEXLOWER.encode_mut(&self.0, out);
        serializer.serialize_str(core::str::from_utf8(out).map_err(serde::ser::Error::custom)?)
    }
}

impl<'de, const N: usize> Deserialize<'de> for Hex<N> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        let mut out = [0u8; N];
        if HEXLOWER_PERMISSIVE.decode_len(text.len()).ok() != Some(N) {
            return Err(de::Error::custom(HexLen(N)));
        }
        HEXLOWER_PERMISSIVE
            .decode_mut(text.as_bytes(), &mut out)
            .map_err(|e| de::Error::custom(e.error))?;
        Ok(Self(out))
    }
}

struct HexLen(usize);

impl fmt::Display for HexLen {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "expected {} hex digits", self.0.saturating_mul(2))
    }
}

/// The stored form of [`Codes`]: format 2 (keyed), or format 1 (unkeyed), read as a set that
/// needs re-issue. Every field is required.
#[derive(Serialize, Deserialize)]
struct RecoveryRepr {
    format: u32,
    salt: Hex<16>,
    unused: Vec<Hex<32>>,
    used: Vec<Hex<32>>,
}

impl Serialize for Codes {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        RecoveryRepr {
            // A set of the first format is written as one: never passed off as keyed.
            format: self.format(),
            salt: Hex(self.salt()),
            unused: self.unused().iter().map(|h| Hex(*h)).collect(),
            used: self.used().iter().map(|h| Hex(*h)).collect(),
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Codes {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let r = RecoveryRepr::deserialize(deserializer)?;
        let from_parts = match r.format {
            Self::FORMAT => Self::from_parts,
            Self::LEGACY_FORMAT => Self::from_legacy_parts,
            other => return Err(unsupported("recovery codes", other, Self::FORMAT)),
        };
        from_parts(
            r.salt.0,
            r.unused.into_iter().map(|h| h.0).collect(),
            r.used.into_iter().map(|h| h.0).collect(),
        )
        .map_err(de::Error::custom)
    }
}
