//! The PostgreSQL engine: a connection pool (deadpool), so several instances of the portal can
//! serve one user base from one database.

use anyhow::Result;
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use tokio_postgres::{NoTls, Row};

use super::{Factor, Pending, User};

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS users (
    id            BIGSERIAL PRIMARY KEY,
    name          TEXT      NOT NULL UNIQUE,
    password_hash TEXT      NOT NULL,
    created       BIGINT    NOT NULL
);
CREATE TABLE IF NOT EXISTS factors (
    user_id   BIGINT  PRIMARY KEY REFERENCES users(id),
    active    BOOLEAN NOT NULL,
    secret    BYTEA   NOT NULL,
    algorithm TEXT    NOT NULL,
    digits    BIGINT  NOT NULL,
    period    BIGINT  NOT NULL,
    version   BIGINT  NOT NULL,
    state     TEXT    NOT NULL,
    recovery  TEXT    NOT NULL,
    since     BIGINT  NOT NULL
);
CREATE TABLE IF NOT EXISTS pending (
    user_id BIGINT PRIMARY KEY REFERENCES users(id),
    secret  BYTEA  NOT NULL,
    expires BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS sessions (
    id      TEXT   PRIMARY KEY,
    data    TEXT   NOT NULL,
    expires BIGINT NOT NULL
);
";

/// A pool of connections to one PostgreSQL database.
#[derive(Clone)]
pub struct Postgres {
    pool: Pool,
}

impl core::fmt::Debug for Postgres {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("Postgres")
    }
}

impl Postgres {
    pub async fn open(url: &str) -> Result<Self> {
        let config: tokio_postgres::Config = url.parse()?;
        let manager = Manager::from_config(
            config,
            NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager).max_size(16).build()?;
        let mut client = pool.get().await?;
        // Instances started together would race on CREATE TABLE IF NOT EXISTS (two of them
        // can both find a table missing): one transaction-scoped advisory lock orders them.
        let tx = client.transaction().await?;
        tx.execute("SELECT pg_advisory_xact_lock(7424210)", &[])
            .await?;
        tx.batch_execute(SCHEMA).await?;
        tx.commit().await?;
        drop(client);
        Ok(Self { pool })
    }

    pub async fn create_user(&self, name: &str, hash: &str, now: i64) -> Result<Option<i64>> {
        let c = self.pool.get().await?;
        let row = c
            .query_opt(
                "INSERT INTO users (name, password_hash, created) VALUES ($1, $2, $3)
                 ON CONFLICT (name) DO NOTHING RETURNING id",
                &[&name, &hash, &now],
            )
            .await?;
        Ok(row.map(|r| r.try_get(0)).transpose()?)
    }

    pub async fn user_by_name(&self, name: &str) -> Result<Option<User>> {
        let c = self.pool.get().await?;
        let row = c
            .query_opt(
                "SELECT id, name, password_hash FROM users WHERE name = $1",
                &[&name],
            )
            .await?;
        row.as_ref().map(user).transpose()
    }

    pub async fn user(&self, id: i64) -> Result<Option<User>> {
        let c = self.pool.get().await?;
        let row = c
            .query_opt(
                "SELECT id, name, password_hash FROM users WHERE id = $1",
                &[&id],
            )
            .await?;
        row.as_ref().map(user).transpose()
    }

    pub async fn factor(&self, user: i64) -> Result<Option<Factor>> {
        let c = self.pool.get().await?;
        let row = c
            .query_opt(
                "SELECT active, secret, algorithm, digits, period, version, state, recovery, since
                 FROM factors WHERE user_id = $1",
                &[&user],
            )
            .await?;
        row.map(|r| -> Result<Factor> {
            Ok(Factor {
                active: r.try_get(0)?,
                secret: r.try_get(1)?,
                algorithm: r.try_get(2)?,
                digits: r.try_get(3)?,
                period: r.try_get(4)?,
                version: r.try_get(5)?,
                state: r.try_get(6)?,
                recovery: r.try_get(7)?,
                since: r.try_get(8)?,
            })
        })
        .transpose()
    }

    pub async fn insert_factor(&self, user: i64, f: &Factor) -> Result<bool> {
        let c = self.pool.get().await?;
        let n = c
            .execute(
                "INSERT INTO factors (user_id, active, secret, algorithm, digits, period, version,
                                      state, recovery, since)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                 ON CONFLICT (user_id) DO NOTHING",
                &[
                    &user,
                    &f.active,
                    &f.secret,
                    &f.algorithm,
                    &f.digits,
                    &f.period,
                    &f.version,
                    &f.state,
                    &f.recovery,
                    &f.since,
                ],
            )
            .await?;
        Ok(n == 1)
    }

    pub async fn replace_factor(&self, user: i64, read_version: i64, f: &Factor) -> Result<bool> {
        let c = self.pool.get().await?;
        let n = c
            .execute(
                "UPDATE factors SET active = $1, secret = $2, algorithm = $3, digits = $4,
                        period = $5, version = $6, state = $7, recovery = $8, since = $9
                 WHERE user_id = $10 AND version = $11",
                &[
                    &f.active,
                    &f.secret,
                    &f.algorithm,
                    &f.digits,
                    &f.period,
                    &f.version,
                    &f.state,
                    &f.recovery,
                    &f.since,
                    &user,
                    &read_version,
                ],
            )
            .await?;
        Ok(n == 1)
    }

    pub async fn update_state(
        &self,
        user: i64,
        read_version: i64,
        version: i64,
        state: &str,
        recovery: &str,
    ) -> Result<bool> {
        let c = self.pool.get().await?;
        let n = c
            .execute(
                "UPDATE factors SET version = $1, state = $2, recovery = $3
                 WHERE user_id = $4 AND version = $5 AND active",
                &[&version, &state, &recovery, &user, &read_version],
            )
            .await?;
        Ok(n == 1)
    }

    pub async fn put_pending(&self, user: i64, p: &Pending) -> Result<()> {
        let c = self.pool.get().await?;
        c.execute(
            "INSERT INTO pending (user_id, secret, expires) VALUES ($1, $2, $3)
             ON CONFLICT (user_id) DO UPDATE SET secret = excluded.secret,
                                                 expires = excluded.expires",
            &[&user, &p.secret, &p.expires],
        )
        .await?;
        Ok(())
    }

    pub async fn pending(&self, user: i64) -> Result<Option<Pending>> {
        let c = self.pool.get().await?;
        let row = c
            .query_opt(
                "SELECT secret, expires FROM pending WHERE user_id = $1",
                &[&user],
            )
            .await?;
        row.map(|r| -> Result<Pending> {
            Ok(Pending {
                secret: r.try_get(0)?,
                expires: r.try_get(1)?,
            })
        })
        .transpose()
    }

    pub async fn delete_pending(&self, user: i64) -> Result<()> {
        let c = self.pool.get().await?;
        c.execute("DELETE FROM pending WHERE user_id = $1", &[&user])
            .await?;
        Ok(())
    }

    pub async fn session_insert(&self, id: &str, data: &str, expires: i64) -> Result<bool> {
        let c = self.pool.get().await?;
        let n = c
            .execute(
                "INSERT INTO sessions (id, data, expires) VALUES ($1, $2, $3)
                 ON CONFLICT (id) DO NOTHING",
                &[&id, &data, &expires],
            )
            .await?;
        Ok(n == 1)
    }

    pub async fn session_save(&self, id: &str, data: &str, expires: i64) -> Result<()> {
        let c = self.pool.get().await?;
        c.execute(
            "INSERT INTO sessions (id, data, expires) VALUES ($1, $2, $3)
             ON CONFLICT (id) DO UPDATE SET data = excluded.data, expires = excluded.expires",
            &[&id, &data, &expires],
        )
        .await?;
        Ok(())
    }

    pub async fn session_load(&self, id: &str, now: i64) -> Result<Option<(String, i64)>> {
        let c = self.pool.get().await?;
        let row = c
            .query_opt(
                "SELECT data, expires FROM sessions WHERE id = $1 AND expires > $2",
                &[&id, &now],
            )
            .await?;
        row.map(|r| -> Result<(String, i64)> { Ok((r.try_get(0)?, r.try_get(1)?)) })
            .transpose()
    }

    pub async fn session_delete(&self, id: &str) -> Result<()> {
        let c = self.pool.get().await?;
        c.execute("DELETE FROM sessions WHERE id = $1", &[&id])
            .await?;
        Ok(())
    }
}

impl Postgres {
    pub async fn sweep(&self, sessions_now: i64, now: i64) -> Result<u64> {
        let c = self.pool.get().await?;
        let sessions = c
            .execute("DELETE FROM sessions WHERE expires <= $1", &[&sessions_now])
            .await?;
        let pending = c
            .execute("DELETE FROM pending WHERE expires <= $1", &[&now])
            .await?;
        Ok(sessions + pending)
    }
}

fn user(r: &Row) -> Result<User> {
    Ok(User {
        id: r.try_get(0)?,
        name: r.try_get(1)?,
        password_hash: r.try_get(2)?,
    })
}
