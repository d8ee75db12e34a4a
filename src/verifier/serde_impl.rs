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

/// The stored form of a [`State`], format 1. Every field is required: a state with a field
/// missing is refused rather than read as fresh (which would fail open). Each field is read
/// as "present or not" (`None`: missing; the nullable ones as `Some(None)` for `null`) so that
/// the `format` check comes first and a format this version does not know is named in the
/// error; then a missing field is an error. A field added by a later format would be the one
/// to take its [`State::new`] value when missing. Unknown fields are ignored.
#[derive(Serialize, Deserialize)]
struct StateRepr {
    format: u32,
    #[serde(default)]
    version: Option<u64>,
    #[serde(default, deserialize_with = "present")]
    last_step: Option<Option<u64>>,
    #[serde(default)]
    counter: Option<u64>,
    #[serde(default)]
    failures: Option<u32>,
    #[serde(default, deserialize_with = "present")]
    locked_until: Option<Option<u64>>,
    #[serde(default)]
    drift: Option<i32>,
    #[serde(default)]
    drift_pending: Option<i32>,
    #[serde(default)]
    drift_streak: Option<u32>,
}

/// A nullable field that is there: `null` is `Some(None)`, missing is the `default` `None`.
fn present<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Option<u64>>, D::Error> {
    Option::<u64>::deserialize(deserializer).map(Some)
}

/// A required field's value, or serde's "missing field" error naming it.
fn required<T, E: de::Error>(value: Option<T>, name: &'static str) -> Result<T, E> {
    value.ok_or_else(|| E::missing_field(name))
}

impl Serialize for State {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        StateRepr {
            format: Self::FORMAT,
            version: Some(self.version),
            last_step: Some(self.last_step),
            counter: Some(self.counter),
            failures: Some(self.failures),
            locked_until: Some(self.locked_until),
            drift: Some(self.drift),
            drift_pending: Some(self.drift_pending),
            drift_streak: Some(self.drift_streak),
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
            version: required(r.version, "version")?,
            last_step: required(r.last_step, "last_step")?,
            counter: required(r.counter, "counter")?,
            failures: required(r.failures, "failures")?,
            locked_until: required(r.locked_until, "locked_until")?,
            drift: required(r.drift, "drift")?,
            drift_pending: required(r.drift_pending, "drift_pending")?,
            drift_streak: required(r.drift_streak, "drift_streak")?,
        })
    }
}
