//! The portal's database: SQLite (one file, the default) or PostgreSQL (several instances on
//! one database). Both hold the same tables and answer the same calls; what differs is only
//! each engine's SQL dialect, in `sqlite.rs` and `postgres.rs`.
//!
//! Every write of a second factor's state is a compare-and-swap on its `version` column (the
//! verifier's `State::version`): it happens only if the row is still the one that was read.
//! Rows of second factors are never deleted: turning 2FA off keeps the row, inactive, so its
//! version keeps counting and a request that read the old row can never write over a new one.

mod postgres;
mod sqlite;

use anyhow::Result;

/// A user account.
#[derive(Clone, Debug)]
pub struct User {
    pub id: i64,
    pub name: String,
    /// Argon2id in the PHC string format.
    pub password_hash: String,
}

/// A user's second factor, as stored.
#[derive(Clone, Debug)]
pub struct Factor {
    /// False after the user turned two-step verification off.
    pub active: bool,
    /// The TOTP secret, sealed (`keys::Keys::seal`); empty when inactive.
    pub secret: Vec<u8>,
    pub algorithm: String,
    pub digits: i64,
    pub period: i64,
    /// `State::version`, by its bits: the compare-and-swap guard.
    pub version: i64,
    /// `otpkit::verifier::State` as JSON (its serde form, with a format number).
    pub state: String,
    /// `otpkit::recovery::Codes` as JSON: salt and keyed hashes only.
    pub recovery: String,
    /// Unix time of the enrolment.
    pub since: i64,
}

/// A pending enrolment: the sealed secret shown on the setup page, until it expires.
#[derive(Clone, Debug)]
pub struct Pending {
    pub secret: Vec<u8>,
    pub expires: i64,
}

/// One database, shared by every request of this instance.
#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(sqlite::Sqlite),
    Postgres(postgres::Postgres),
}

/// Calls the same method on whichever engine this is.
macro_rules! each {
    ($self:ident . $method:ident ( $($arg:expr),* )) => {
        match $self {
            Db::Sqlite(db) => db.$method($($arg),*).await,
            Db::Postgres(db) => db.$method($($arg),*).await,
        }
    };
}

impl Db {
    /// Opens `url` (`postgres://…` or a SQLite file path) and creates the tables.
    pub async fn open(url: &str) -> Result<Self> {
        if is_postgres(url) {
            Ok(Self::Postgres(postgres::Postgres::open(url).await?))
        } else {
            Ok(Self::Sqlite(sqlite::Sqlite::open(url).await?))
        }
    }

    /// Adds a user; `None` if the name is taken.
    pub async fn create_user(
        &self,
        name: &str,
        password_hash: &str,
        now: i64,
    ) -> Result<Option<i64>> {
        each!(self.create_user(name, password_hash, now))
    }

    pub async fn user_by_name(&self, name: &str) -> Result<Option<User>> {
        each!(self.user_by_name(name))
    }

    pub async fn user(&self, id: i64) -> Result<Option<User>> {
        each!(self.user(id))
    }

    pub async fn factor(&self, user: i64) -> Result<Option<Factor>> {
        each!(self.factor(user))
    }

    /// Adds a user's first factor row; false if one exists (read it and replace it instead).
    pub async fn insert_factor(&self, user: i64, factor: &Factor) -> Result<bool> {
        each!(self.insert_factor(user, factor))
    }

    /// Replaces the whole row if its version is still `read_version`.
    pub async fn replace_factor(
        &self,
        user: i64,
        read_version: i64,
        factor: &Factor,
    ) -> Result<bool> {
        each!(self.replace_factor(user, read_version, factor))
    }

    /// Stores a new state and recovery codes if the version is still `read_version`.
    pub async fn update_state(
        &self,
        user: i64,
        read_version: i64,
        version: i64,
        state: &str,
        recovery: &str,
    ) -> Result<bool> {
        each!(self.update_state(user, read_version, version, state, recovery))
    }

    /// Stores (or replaces) the user's pending enrolment.
    pub async fn put_pending(&self, user: i64, pending: &Pending) -> Result<()> {
        each!(self.put_pending(user, pending))
    }

    pub async fn pending(&self, user: i64) -> Result<Option<Pending>> {
        each!(self.pending(user))
    }

    pub async fn delete_pending(&self, user: i64) -> Result<()> {
        each!(self.delete_pending(user))
    }

    /// Adds a session; false if the id exists.
    pub async fn session_insert(&self, id: &str, data: &str, expires: i64) -> Result<bool> {
        each!(self.session_insert(id, data, expires))
    }

    pub async fn session_save(&self, id: &str, data: &str, expires: i64) -> Result<()> {
        each!(self.session_save(id, data, expires))
    }

    /// The session's data and expiry if it has not expired at `now`.
    pub async fn session_load(&self, id: &str, now: i64) -> Result<Option<(String, i64)>> {
        each!(self.session_load(id, now))
    }

    pub async fn session_delete(&self, id: &str) -> Result<()> {
        each!(self.session_delete(id))
    }

    /// Deletes the sessions expired at `sessions_now` (the system clock, which tower-sessions
    /// uses) and the pending enrolments expired at `now` (the portal's clock); returns how
    /// many rows went.
    pub async fn sweep(&self, sessions_now: i64, now: i64) -> Result<u64> {
        each!(self.sweep(sessions_now, now))
    }
}

/// Whether `--database` names a PostgreSQL database (else it is a SQLite file).
pub fn is_postgres(url: &str) -> bool {
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

/// A `u64` stored by its bits in a signed 64-bit column.
pub fn to_db(v: u64) -> i64 {
    i64::from_ne_bytes(v.to_ne_bytes())
}
