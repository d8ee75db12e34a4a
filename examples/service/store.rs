//! An account store on SQLite: credentials, verification state and recovery codes in one row
//! per account, updated with compare-and-swap on the state's version. The recovery codes'
//! service key is not in the database: the store is given it when opened.
//!
//! Shared by `examples/service.rs` and `tests/service_sqlite.rs`.

use core::time::Duration;
use std::path::Path;

use otpkit::{
    Algorithm, Credential, Digits, Secret,
    credential::Kind,
    recovery,
    verifier::{Outcome, Policy, State, Verifier},
};
use rusqlite::types::{ToSqlOutput, Value, ValueRef};
use rusqlite::{Connection, OptionalExtension, Row, params, params_from_iter};

/// SQLite integers are signed 64-bit: store a `u64` by its bits.
fn to_db(v: u64) -> i64 {
    i64::from_ne_bytes(v.to_ne_bytes())
}

fn from_db(v: i64) -> u64 {
    u64::from_ne_bytes(v.to_ne_bytes())
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS accounts (
    name          TEXT PRIMARY KEY,
    -- The credential. The secret is its bytes, not base32: a login reads it with no decoding
    -- step (a table lookup indexed by secret data). A real service keeps it encrypted at rest.
    secret        BLOB    NOT NULL,
    algorithm     TEXT    NOT NULL,
    digits        INTEGER NOT NULL,
    kind          TEXT    NOT NULL,  -- 'totp', 'hotp' or 'steam'
    period        INTEGER NOT NULL,
    t0            INTEGER NOT NULL,
    -- otpkit::verifier::State, one column per field. `version` is the compare-and-swap guard.
    version       INTEGER NOT NULL,
    last_step     INTEGER,
    counter       INTEGER NOT NULL,
    failures      INTEGER NOT NULL,
    locked_until  INTEGER,
    drift         INTEGER NOT NULL,
    drift_pending INTEGER NOT NULL,
    drift_streak  INTEGER NOT NULL,
    -- otpkit::recovery::Codes: the salt and the HMAC-SHA-256 hashes under the service key
    -- (which is not in this database), 32 bytes each, concatenated; the format is 2 (keyed),
    -- or 1 for sets of the old unkeyed form, which need re-issue.
    recovery_format INTEGER NOT NULL,
    recovery_salt   BLOB NOT NULL,
    recovery_unused BLOB NOT NULL,
    recovery_used   BLOB NOT NULL
)";

/// One account as read: the credential, its state and its recovery codes.
pub struct Account {
    pub credential: Credential,
    pub state: State,
    pub recovery: recovery::Codes,
}

/// The result of a login attempt, with how many times a concurrent write made it start over.
#[derive(Debug)]
pub struct Attempt<O> {
    pub outcome: O,
    pub conflicts: u32,
}

/// One connection to the accounts database. Open one per thread.
pub struct Store {
    conn: Connection,
    policy: Policy,
    /// The recovery codes' service key, from outside the database.
    recovery_key: recovery::Key,
}

/// Called after a login or redemption read the row and before it writes: the race tests
/// hold every thread there until all have read, so that their writes really conflict.
pub type Pause<'a> = &'a mut dyn FnMut();

impl Store {
    /// Opens (and creates) the database at `path`, in WAL mode so that readers never wait,
    /// with a busy timeout so that writers queue instead of failing. `recovery_key` is the
    /// service key of the recovery codes, kept outside the database.
    pub fn open(
        path: &Path,
        policy: Policy,
        recovery_key: &recovery::Key,
    ) -> rusqlite::Result<Self> {
        let conn = Connection::open(path)?;
        conn.busy_timeout(Duration::from_secs(10))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.execute_batch(SCHEMA)?;
        Ok(Self {
            conn,
            policy,
            recovery_key: recovery_key.clone(),
        })
    }

    /// Adds an account with its first state: `State::for_confirmed` of the enrolment that
    /// confirmed the credential (or `State::for_credential` of an HOTP token).
    pub fn enroll(
        &self,
        name: &str,
        credential: &Credential,
        state: &State,
        recovery: &recovery::Codes,
    ) -> rusqlite::Result<()> {
        self.conn.execute(
            "INSERT INTO accounts VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7,
                 ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)",
            params_from_iter(
                core::iter::once(ToSqlOutput::from(name))
                    .chain(values(credential, state, recovery)),
            ),
        )?;
        Ok(())
    }

    /// Replaces an account's credential (a re-enrolment) with `confirmed`, new recovery codes
    /// and the state `State::for_confirmed(confirmed).replacing(old)`, in one compare-and-swap
    /// on the old state's version: a login that read the old credential and state fails its
    /// own compare-and-swap afterwards, so a code of the replaced secret cannot log in.
    /// Returns whether the write happened (`false`: the row changed since `old` was read;
    /// read it again).
    pub fn reenroll(
        &self,
        name: &str,
        old: &State,
        confirmed: &otpkit::enroll::Confirmed,
        recovery: &recovery::Codes,
    ) -> rusqlite::Result<bool> {
        let credential = &confirmed.credential;
        let state = State::for_confirmed(confirmed).replacing(old);
        let changed = self.conn.execute(
            "UPDATE accounts SET secret = ?1, algorithm = ?2, digits = ?3, kind = ?4,
                 period = ?5, t0 = ?6, version = ?7, last_step = ?8, counter = ?9,
                 failures = ?10, locked_until = ?11, drift = ?12, drift_pending = ?13,
                 drift_streak = ?14, recovery_format = ?15, recovery_salt = ?16,
                 recovery_unused = ?17, recovery_used = ?18
             WHERE name = ?19 AND version = ?20",
            params_from_iter(values(credential, &state, recovery).into_iter().chain([
                ToSqlOutput::from(name),
                ToSqlOutput::from(to_db(old.version)),
            ])),
        )?;
        Ok(changed == 1)
    }

    /// Reads an account.
    pub fn load(&self, name: &str) -> rusqlite::Result<Option<Account>> {
        self.conn
            .query_row(
                "SELECT secret, algorithm, digits, kind, period, t0,
                        version, last_step, counter, failures, locked_until,
                        drift, drift_pending, drift_streak,
                        recovery_format, recovery_salt, recovery_unused, recovery_used
                 FROM accounts WHERE name = ?1",
                [name],
                read_account,
            )
            .optional()
    }

    /// Stores `state` and `recovery` only if the stored version is still `read_version`.
    /// Returns whether the write happened.
    pub fn compare_and_swap(
        &self,
        name: &str,
        read_version: u64,
        state: &State,
        recovery: &recovery::Codes,
    ) -> rusqlite::Result<bool> {
        let changed = self.conn.execute(
            "UPDATE accounts SET version = ?1, last_step = ?2, counter = ?3, failures = ?4,
                 locked_until = ?5, drift = ?6, drift_pending = ?7, drift_streak = ?8,
                 recovery_unused = ?9, recovery_used = ?10
             WHERE name = ?11 AND version = ?12",
            params![
                to_db(state.version),
                state.last_step.map(to_db),
                to_db(state.counter),
                state.failures,
                state.locked_until.map(to_db),
                state.drift,
                state.drift_pending,
                state.drift_streak,
                recovery.unused().concat(),
                recovery.used().concat(),
                name,
                to_db(read_version),
            ],
        )?;
        Ok(changed == 1)
    }

    /// Checks a one-time code typed at unix time `now`: read, check, compare-and-swap; on a
    /// conflict, read again and check again. Only an outcome whose state was stored counts.
    pub fn login(&self, name: &str, code: &str, now: u64) -> rusqlite::Result<Attempt<Outcome>> {
        self.login_pausing(name, code, now, &mut || {})
    }

    /// [`Store::login`], calling `pause` after each read of the row and before its write.
    pub fn login_pausing(
        &self,
        name: &str,
        code: &str,
        now: u64,
        pause: Pause<'_>,
    ) -> rusqlite::Result<Attempt<Outcome>> {
        let mut conflicts = 0;
        loop {
            let account = self
                .load(name)?
                .ok_or(rusqlite::Error::QueryReturnedNoRows)?;
            pause();
            let verifier = Verifier::new(&account.credential, self.policy)
                .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
            let (outcome, state) = verifier.check(&account.state, code, now);
            if state == account.state
                || self.compare_and_swap(name, account.state.version, &state, &account.recovery)?
            {
                return Ok(Attempt { outcome, conflicts });
            }
            conflicts += 1;
        }
    }

    /// Redeems a recovery code, with the same compare-and-swap loop.
    pub fn redeem(
        &self,
        name: &str,
        code: &str,
        now: u64,
    ) -> rusqlite::Result<Attempt<recovery::Outcome>> {
        self.redeem_pausing(name, code, now, &mut || {})
    }

    /// [`Store::redeem`], calling `pause` after each read of the row and before its write.
    pub fn redeem_pausing(
        &self,
        name: &str,
        code: &str,
        now: u64,
        pause: Pause<'_>,
    ) -> rusqlite::Result<Attempt<recovery::Outcome>> {
        let mut conflicts = 0;
        loop {
            let account = self
                .load(name)?
                .ok_or(rusqlite::Error::QueryReturnedNoRows)?;
            pause();
            let (outcome, state, recovery) = account.recovery.redeem(
                &self.recovery_key,
                &account.state,
                self.policy.throttle(),
                code,
                now,
            );
            if state == account.state
                || self.compare_and_swap(name, account.state.version, &state, &recovery)?
            {
                return Ok(Attempt { outcome, conflicts });
            }
            conflicts += 1;
        }
    }
}

/// The values of every column after `name`, in the schema's order: the credential (its secret
/// borrowed, so no unwiped copy is made), the state and the recovery codes.
fn values<'a>(
    credential: &'a Credential,
    state: &State,
    recovery: &recovery::Codes,
) -> [ToSqlOutput<'a>; 18] {
    let (kind, period, t0) = columns(credential);
    let int = |v: i64| ToSqlOutput::Owned(Value::Integer(v));
    let maybe =
        |v: Option<u64>| ToSqlOutput::Owned(v.map_or(Value::Null, |v| Value::Integer(to_db(v))));
    let blob = |v: Vec<u8>| ToSqlOutput::Owned(Value::Blob(v));
    [
        ToSqlOutput::Borrowed(ValueRef::Blob(credential.secret().as_bytes())),
        ToSqlOutput::from(credential.algorithm().as_str()),
        int(i64::from(credential.digits().get())),
        ToSqlOutput::from(kind),
        int(to_db(period)),
        int(to_db(t0)),
        int(to_db(state.version)),
        maybe(state.last_step),
        int(to_db(state.counter)),
        int(i64::from(state.failures)),
        maybe(state.locked_until),
        int(i64::from(state.drift)),
        int(i64::from(state.drift_pending)),
        int(i64::from(state.drift_streak)),
        int(i64::from(recovery.format())),
        blob(recovery.salt().to_vec()),
        blob(recovery.unused().concat()),
        blob(recovery.used().concat()),
    ]
}

/// The kind, period and T0 columns of a credential.
fn columns(credential: &Credential) -> (&'static str, u64, u64) {
    match credential.kind() {
        Kind::Totp { period, t0 } => ("totp", period, t0),
        Kind::Hotp { .. } => ("hotp", 0, 0),
        _ => ("steam", 30, 0),
    }
}

fn hashes(blob: &[u8]) -> Vec<[u8; 32]> {
    blob.chunks_exact(32)
        .filter_map(|c| <[u8; 32]>::try_from(c).ok())
        .collect()
}

fn read_account(row: &Row<'_>) -> rusqlite::Result<Account> {
    let invalid = |e: Box<dyn core::error::Error + Send + Sync>| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, e)
    };
    // Borrowed from the row, so no unwiped copy of the key is made on the way.
    let stored = row.get_ref(0)?.as_blob()?;
    let secret = Secret::from_bytes(stored).map_err(|e| invalid(e.into()))?;
    let algorithm: Algorithm = row
        .get::<_, String>(1)?
        .parse()
        .map_err(|e: otpkit::Error| invalid(e.into()))?;
    let digits = Digits::new(row.get(2)?).map_err(|e| invalid(e.into()))?;
    let credential = match row.get::<_, String>(3)?.as_str() {
        "hotp" => Credential::hotp(secret, algorithm, digits, 0),
        "steam" => Credential::steam(secret),
        _ => Credential::totp(secret, algorithm, digits, from_db(row.get(4)?))
            .map_err(|e| invalid(e.into()))?
            .with_t0(from_db(row.get(5)?)),
    };
    let mut state = State::new();
    state.version = from_db(row.get(6)?);
    state.last_step = row.get::<_, Option<i64>>(7)?.map(from_db);
    state.counter = from_db(row.get(8)?);
    state.failures = row.get(9)?;
    state.locked_until = row.get::<_, Option<i64>>(10)?.map(from_db);
    state.drift = row.get(11)?;
    state.drift_pending = row.get(12)?;
    state.drift_streak = row.get(13)?;
    let format: u32 = row.get(14)?;
    let salt: Vec<u8> = row.get(15)?;
    let salt = <[u8; 16]>::try_from(salt.as_slice()).map_err(|e| invalid(e.into()))?;
    // A set of the old unkeyed form is read as one (and needs re-issue), never as keyed.
    let from_parts = match format {
        recovery::Codes::FORMAT => recovery::Codes::from_parts,
        recovery::Codes::LEGACY_FORMAT => recovery::Codes::from_legacy_parts,
        _ => return Err(invalid("unknown recovery codes format".into())),
    };
    let recovery = from_parts(
        salt,
        hashes(&row.get::<_, Vec<u8>>(16)?),
        hashes(&row.get::<_, Vec<u8>>(17)?),
    )
    .map_err(|e| invalid(e.into()))?;
    Ok(Account {
        credential,
        state,
        recovery,
    })
}
