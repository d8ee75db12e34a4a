//! A pending enrolment is stored between two requests: it serializes as its credential,
//! issuer and account, and is rebuilt through [`Enrollment::resume`], which checks them.

use alloc::string::String;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::Enrollment;
use crate::credential::Credential;

#[derive(Serialize)]
struct PendingRef<'a> {
    credential: &'a Credential,
    issuer: &'a str,
    account: &'a str,
}

#[derive(Deserialize)]
struct Pending {
    credential: Credential,
    issuer: String,
    account: String,
}

impl Serialize for Enrollment {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        PendingRef {
            credential: self.credential(),
            issuer: self.key.issuer().unwrap_or(""),
            account: self.key.account(),
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Enrollment {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let p = Pending::deserialize(deserializer)?;
        Enrollment::resume(p.credential, &p.issuer, &p.account).map_err(serde::de::Error::custom)
    }
}
