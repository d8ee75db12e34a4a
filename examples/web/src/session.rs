//! The sessions' store: tower-sessions' records in the portal's own database (SQLite or
//! PostgreSQL), so every instance sees every session. A record is its data as JSON and its
//! expiry; an expired one reads as absent.
//!
//! What a session holds is [`Auth`] (who signed in, and how far) and the CSRF token
//! (`csrf.rs`); never a secret, a code or a password.

use serde::{Deserialize, Serialize};
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, SessionStore};

use crate::db::Db;

/// How far a session has signed in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Stage {
    /// The password was right; the second factor is still to come (or to be set up).
    Password,
    /// Password and second factor (or a recovery code): signed in.
    Full,
}

/// The signed-in user of a session.
#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
pub struct Auth {
    pub user: i64,
    pub stage: Stage,
}

/// The session key of [`Auth`].
pub const AUTH: &str = "auth";

/// tower-sessions' store on [`Db`].
#[derive(Clone, Debug)]
pub struct Store(pub Db);

fn backend(e: anyhow::Error) -> session_store::Error {
    session_store::Error::Backend(e.to_string())
}

fn encode(record: &Record) -> session_store::Result<String> {
    serde_json::to_string(&record.data).map_err(|e| session_store::Error::Encode(e.to_string()))
}

#[async_trait::async_trait]
impl SessionStore for Store {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        let data = encode(record)?;
        let expires = record.expiry_date.unix_timestamp();
        // A new id until it is one no session has (a 128-bit collision is not expected, but
        // an insert that overwrote another session would hand it over).
        while !self
            .0
            .session_insert(&record.id.to_string(), &data, expires)
            .await
            .map_err(backend)?
        {
            record.id = Id::default();
        }
        Ok(())
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let data = encode(record)?;
        self.0
            .session_save(
                &record.id.to_string(),
                &data,
                record.expiry_date.unix_timestamp(),
            )
            .await
            .map_err(backend)
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        let Some((data, expires)) = self
            .0
            .session_load(&id.to_string(), now)
            .await
            .map_err(backend)?
        else {
            return Ok(None);
        };
        let data =
            serde_json::from_str(&data).map_err(|e| session_store::Error::Decode(e.to_string()))?;
        let expiry_date = time::OffsetDateTime::from_unix_timestamp(expires)
            .map_err(|e| session_store::Error::Decode(e.to_string()))?;
        Ok(Some(Record {
            id: *id,
            data,
            expiry_date,
        }))
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        self.0
            .session_delete(&id.to_string())
            .await
            .map_err(backend)
    }
}
