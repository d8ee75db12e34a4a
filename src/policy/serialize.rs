//! Serde support for the policy types (the `serde` feature). The stored forms carry a `format`
//! number; values are checked again when read.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use data_encoding::{HEXLOWER, HEXLOWER_PERMISSIVE};
use serde::de::{self, Deserializer};
use serde::ser::Serializer;
use serde::{Deserialize, Serialize};

use super::{Policy, RecoveryCodes, State, Throttle};
use crate::verify::Window;

/// The stored form of a [`Throttle`].
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ThrottleRepr {
    free_failures: u32,
    delay: u64,
    max_delay: u64,
}

impl Serialize for Throttle {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        ThrottleRepr {
            free_failures: self.free_failures,
            delay: self.delay,
            max_delay: self.max_delay,
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Throttle {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let r = ThrottleRepr::deserialize(deserializer)?;
        Ok(Self::new(r.free_failures, r.delay, r.max_delay))
    }
}

/// The stored form of a [`Window`].
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct WindowRepr {
    behind: u32,
    ahead: u32,
}

/// The stored form of a [`Policy`]: every field optional, taking its default.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct PolicyRepr {
    window: WindowRepr,
    max_drift: u32,
    drift_after: u32,
    throttle: Throttle,
    look_ahead: u32,
    resync_look_ahead: u32,
}

impl From<&Policy> for PolicyRepr {
    fn from(p: &Policy) -> Self {
        Self {
            window: WindowRepr {
                behind: p.window.behind(),
                ahead: p.window.ahead(),
            },
            max_drift: p.max_drift,
            drift_after: p.drift_after,
            throttle: p.throttle,
            look_ahead: p.look_ahead,
            resync_look_ahead: p.resync_look_ahead,
        }
    }
}

impl Default for PolicyRepr {
    fn default() -> Self {
        Self::from(&Policy::default())
    }
}

impl Serialize for Policy {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        PolicyRepr::from(self).serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Policy {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let r = PolicyRepr::deserialize(deserializer)?;
        let window = Window::new(r.window.behind, r.window.ahead).map_err(de::Error::custom)?;
        Self::default()
            .with_window(window)
            .with_drift_after(r.drift_after)
            .with_throttle(r.throttle)
            .with_max_drift(r.max_drift)
            .and_then(|p| p.with_look_ahead(r.look_ahead))
            .and_then(|p| p.with_resync_look_ahead(r.resync_look_ahead))
            .map_err(de::Error::custom)
    }
}

/// The error for a stored format this version does not read.
fn unsupported<E: de::Error>(what: &str, found: u32, reads: u32) -> E {
    E::custom(format_args!(
        "unsupported {what} format {found}; this version reads format {reads}"
    ))
}

/// The stored form of a [`State`], format 1. Fields other than `format` default when missing;
/// unknown fields are ignored so that the `format` check gives the error.
#[derive(Serialize, Deserialize)]
struct StateRepr {
    format: u32,
    #[serde(default)]
    version: u64,
    #[serde(default)]
    last_step: Option<u64>,
    #[serde(default)]
    counter: u64,
    #[serde(default)]
    failures: u32,
    #[serde(default)]
    locked_until: Option<u64>,
    #[serde(default)]
    drift: i32,
    #[serde(default)]
    drift_pending: i32,
    #[serde(default)]
    drift_streak: u32,
}

impl Serialize for State {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        StateRepr {
            format: Self::FORMAT,
            version: self.version,
            last_step: self.last_step,
            counter: self.counter,
            failures: self.failures,
            locked_until: self.locked_until,
            drift: self.drift,
            drift_pending: self.drift_pending,
            drift_streak: self.drift_streak,
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for State {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let r = StateRepr::deserialize(deserializer)?;
        if r.format != Self::FORMAT {
            return Err(unsupported("state", r.format, Self::FORMAT));
        }
        Ok(Self {
            version: r.version,
            last_step: r.last_step,
            counter: r.counter,
            failures: r.failures,
            locked_until: r.locked_until,
            drift: r.drift,
            drift_pending: r.drift_pending,
            drift_streak: r.drift_streak,
        })
    }
}

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

/// The stored form of [`RecoveryCodes`], format 1.
#[derive(Serialize, Deserialize)]
struct RecoveryRepr {
    format: u32,
    salt: Hex<16>,
    unused: Vec<Hex<32>>,
    #[serde(default)]
    used: Vec<Hex<32>>,
}

impl Serialize for RecoveryCodes {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        RecoveryRepr {
            format: Self::FORMAT,
            salt: Hex(self.salt()),
            unused: self.unused().iter().map(|h| Hex(*h)).collect(),
            used: self.used().iter().map(|h| Hex(*h)).collect(),
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for RecoveryCodes {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let r = RecoveryRepr::deserialize(deserializer)?;
        if r.format != Self::FORMAT {
            return Err(unsupported("recovery codes", r.format, Self::FORMAT));
        }
        Ok(Self::from_parts(
            r.salt.0,
            r.unused.into_iter().map(|h| h.0).collect(),
            r.used.into_iter().map(|h| h.0).collect(),
        ))
    }
}
