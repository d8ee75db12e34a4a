//! Serde support for the verifier's types (the `serde` feature). The stored forms carry a `format`
//! number; values are checked again when read.

use serde::de::{self, Deserializer};
use serde::ser::Serializer;
use serde::{Deserialize, Serialize};

use super::{Policy, State, Throttle};
use crate::serialize::unsupported;
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
