//! The SQLite engine: one connection in WAL mode, used by one blocking task at a time.

use core::time::Duration;
use std::sync::{Arc, Mutex};

use anyhow::{Result, anyhow};
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::{Factor, Pending, User};

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS users (
    id            INTEGER PRIMARY KEY,
    name          TEXT    NOT NULL UNIQUE,
    password_hash TEXT    NOT NULL,
    created       INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS factors (
    user_id   INTEGER PRIMARY KEY REFERENCES users(id),
    active    INTEGER NOT NULL,
    secret    BLOB    NOT NULL,
    algorithm TEXT    NOT NULL,
    digits    INTEGER NOT NULL,
    period    INTEGER NOT NULL,
    version   INTEGER NOT NULL,
    state     TEXT    NOT NULL,
    recovery  TEXT    NOT NULL,
    since     INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS pending (
    user_id INTEGER PRIMARY KEY REFERENCES users(id),
    secret  BLOB    NOT NULL,
    expires INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS sessions (
    id      TEXT    PRIMARY KEY,
    data    TEXT    NOT NULL,
    expires INTEGER NOT NULL
);
";

/// The SQLite database of one portal.
#[derive(Clone)]
pub struct Sqlite {
    conn: Arc<Mutex<Connection>>,
}

impl core::fmt::Debug for Sqlite {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("Sqlite")
    }
}

impl Sqlite {
    pub async fn open(path: &str) -> Result<Self> {
        let path = path.strip_prefix("sqlite://").unwrap_or(path).to_owned();
        let conn = tokio::task::spawn_blocking(move || -> Result<Connection> {
            let conn = Connection::open(&path)?;
            conn.busy_timeout(Duration::from_secs(10))?;
            conn.pragma_update(None, "journal_mode", "WAL")?;
            conn.pragma_update(None, "foreign_keys", "ON")?;
            conn.execute_batch(SCHEMA)?;
            Ok(conn)
        })
        .await??;
        Ok(Self {
            conn: Arc::new(Mutex::new(conn)),
        })
    }

    /// Runs `f` on the connection in a blocking task.
    async fn call<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Connection) -> rusqlite::Result<T> + Send + 'static,
    ) -> Result<T> {
        let conn = Arc::clone(&self.conn);
        tokio::task::spawn_blocking(move || {
            let conn = conn
                .lock()
                .map_err(|_| anyhow!("the database lock was poisoned"))?;
            Ok(f(&conn)?)
        })
        .await?
    }

    pub async fn create_user(&self, name: &str, hash: &str, now: i64) -> Result<Option<i64>> {
        let (name, hash) = (name.to_owned(), hash.to_owned());
        self.call(move |c| {
            let n = c.execute(
                "INSERT INTO users (name, password_hash, created) VALUES (?1, ?2, ?3)
                 ON CONFLICT (name) DO NOTHING",
                params![name, hash, now],
            )?;
            Ok((n == 1).then(|| c.last_insert_rowid()))
        })
        .await
    }

    pub async fn user_by_name(&self, name: &str) -> Result<Option<User>> {
        let name = name.to_owned();
        self.call(move |c| {
            c.query_row(
                "SELECT id, name, password_hash FROM users WHERE name = ?1",
                [name],
                user,
            )
            .optional()
        })
        .await
    }

    pub async fn user(&self, id: i64) -> Result<Option<User>> {
        self.call(move |c| {
            c.query_row(
                "SELECT id, name, password_hash FROM users WHERE id = ?1",
                [id],
                user,
            )
            .optional()
        })
        .await
    }

    pub async fn factor(&self, user: i64) -> Result<Option<Factor>> {
        self.call(move |c| {
            c.query_row(
                "SELECT active, secret, algorithm, digits, period, version, state, recovery, since
                 FROM factors WHERE user_id = ?1",
                [user],
                |r| {
                    Ok(Factor {
                        active: r.get(0)?,
                        secret: r.get(1)?,
                        algorithm: r.get(2)?,
                        digits: r.get(3)?,
                        period: r.get(4)?,
                        version: r.get(5)?,
                        state: r.get(6)?,
                        recovery: r.get(7)?,
                        since: r.get(8)?,
                    })
                },
            )
            .optional()
        })
        .await
    }

    pub async fn insert_factor(&self, user: i64, f: &Factor) -> Result<bool> {
        let f = f.clone();
        self.call(move |c| {
            let n = c.execute(
                "INSERT INTO factors (user_id, active, secret, algorithm, digits, period, version,
                                      state, recovery, since)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
                 ON CONFLICT (user_id) DO NOTHING",
                params![
                    user,
                    f.active,
                    f.secret,
                    f.algorithm,
                    f.digits,
                    f.period,
                    f.version,
                    f.state,
                    f.recovery,
                    f.since
                ],
            )?;
            Ok(n == 1)
        })
        .await
    }

    pub async fn replace_factor(&self, user: i64, read_version: i64, f: &Factor) -> Result<bool> {
        let f = f.clone();
        self.call(move |c| {
            let n = c.execute(
                "UPDATE factors SET active = ?1, secret = ?2, algorithm = ?3, digits = ?4,
                        period = ?5, version = ?6, state = ?7, recovery = ?8, since = ?9
                 WHERE user_id = ?10 AND version = ?11",
                params![
                    f.active,
                    f.secret,
                    f.algorithm,
                    f.digits,
                    f.period,
                    f.version,
                    f.state,
                    f.recovery,
                    f.since,
                    user,
                    read_version
                ],
            )?;
            Ok(n == 1)
        })
        .await
    }

    pub async fn update_state(
        &self,
        user: i64,
        read_version: i64,
        version: i64,
        state: &str,
        recovery: &str,
    ) -> Result<bool> {
        let (state, recovery) = (state.to_owned(), recovery.to_owned());
        self.call(move |c| {
            let n = c.execute(
                "UPDATE factors SET version = ?1, state = ?2, recovery = ?3
                 WHERE user_id = ?4 AND version = ?5 AND active",
                params![version, state, recovery, user, read_version],
            )?;
            Ok(n == 1)
        })
        .await
    }

    pub async fn put_pending(&self, user: i64, p: &Pending) -> Result<()> {
        let p = p.clone();
        self.call(move |c| {
            c.execute(
                "INSERT INTO pending (user_id, secret, expires) VALUES (?1, ?2, ?3)
                 ON CONFLICT (user_id) DO UPDATE SET secret = excluded.secret,
                                                     expires = excluded.expires",
                params![user, p.secret, p.expires],
            )
            .map(drop)
        })
        .await
    }

    pub async fn pending(&self, user: i64) -> Result<Option<Pending>> {
        self.call(move |c| {
            c.query_row(
                "SELECT secret, expires FROM pending WHERE user_id = ?1",
                [user],
                |r| {
                    Ok(Pending {
                        secret: r.get(0)?,
                        expires: r.get(1)?,
                    })
                },
            )
            .optional()
        })
        .await
    }

    pub async fn delete_pending(&self, user: i64) -> Result<()> {
        self.call(move |c| {
            c.execute("DELETE FROM pending WHERE user_id = ?1", [user])
                .map(drop)
        })
        .await
    }

    pub async fn session_insert(&self, id: &str, data: &str, expires: i64) -> Result<bool> {
        let (id, data) = (id.to_owned(), data.to_owned());
        self.call(move |c| {
            let n = c.execute(
                "INSERT INTO sessions (id, data, expires) VALUES (?1, ?2, ?3)
                 ON CONFLICT (id) DO NOTHING",
                params![id, data, expires],
            )?;
            Ok(n == 1)
        })
        .await
    }

    pub async fn session_save(&self, id: &str, data: &str, expires: i64) -> Result<()> {
        let (id, data) = (id.to_owned(), data.to_owned());
        self.call(move |c| {
            c.execute(
                "INSERT INTO sessions (id, data, expires) VALUES (?1, ?2, ?3)
                 ON CONFLICT (id) DO UPDATE SET data = excluded.data, expires = excluded.expires",
                params![id, data, expires],
            )
            .map(drop)
        })
        .await
    }

    pub async fn session_load(&self, id: &str, now: i64) -> Result<Option<(String, i64)>> {
        let id = id.to_owned();
        self.call(move |c| {
            c.query_row(
                "SELECT data, expires FROM sessions WHERE id = ?1 AND expires > ?2",
                params![id, now],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
        })
        .await
    }

    pub async fn session_delete(&self, id: &str) -> Result<()> {
        let id = id.to_owned();
        self.call(move |c| {
            c.execute("DELETE FROM sessions WHERE id = ?1", [id])
                .map(drop)
        })
        .await
    }
}

impl Sqlite {
    pub async fn sweep(&self, sessions_now: i64, now: i64) -> Result<u64> {
        self.call(move |c| {
            let sessions = c.execute("DELETE FROM sessions WHERE expires <= ?1", [sessions_now])?;
            let pending = c.execute("DELETE FROM pending WHERE expires <= ?1", [now])?;
            Ok(u64::try_from(sessions + pending).unwrap_or(u64::MAX))
        })
        .await
    }
}

fn user(r: &Row<'_>) -> rusqlite::Result<User> {
    Ok(User {
        id: r.get(0)?,
        name: r.get(1)?,
        password_hash: r.get(2)?,
    })
}
