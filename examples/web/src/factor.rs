//! The second factor: reading it (the sealed secret opened, the verifier's state and the
//! recovery codes parsed), and every change to it as read → decide → compare-and-swap on the
//! state's version, read again on a conflict. Only an outcome whose state was stored is
//! returned, so racing requests, on one instance or several, are each counted once.

use anyhow::{Context, Result};
use otpkit::credential::Kind;
use otpkit::enroll::Confirmed;
use otpkit::verifier::{Outcome, State, Verifier};
use otpkit::{Algorithm, Credential, Digits, Secret, recovery};

use crate::app::App;
use crate::db::{Factor, to_db};
use crate::keys::Purpose;

/// An active second factor, as read.
pub struct Loaded {
    pub row: Factor,
    pub credential: Credential,
    pub state: State,
    pub recovery: recovery::Codes,
}

impl Loaded {
    /// The verifier of this credential under the portal's policy.
    fn verifier(&self, app: &App) -> Result<Verifier> {
        Verifier::new(&self.credential, app.policy).context("a stored credential")
    }
}

/// The user's active second factor, if any.
pub async fn load(app: &App, user: i64) -> Result<Option<Loaded>> {
    match app.db.factor(user).await? {
        Some(row) if row.active => open(app, user, row).map(Some),
        _ => Ok(None),
    }
}

/// An active factor's row, read: the secret opened, the state and the codes parsed.
pub fn open(app: &App, user: i64, row: Factor) -> Result<Loaded> {
    let plain = app.keys.open(Purpose::Factor, user, &row.secret)?;
    let secret = Secret::from_bytes(&plain)?;
    let algorithm: Algorithm = row.algorithm.parse()?;
    let digits = Digits::new(u8::try_from(row.digits)?)?;
    let credential = Credential::totp(secret, algorithm, digits, u64::try_from(row.period)?)?;
    let state: State = serde_json::from_str(&row.state).context("a stored state")?;
    let recovery: recovery::Codes =
        serde_json::from_str(&row.recovery).context("stored recovery codes")?;
    Ok(Loaded {
        row,
        credential,
        state,
        recovery,
    })
}

/// Stores `state` and `codes` over the row `loaded` was read from; false on a conflict.
async fn swap(
    app: &App,
    user: i64,
    loaded: &Loaded,
    state: &State,
    codes: &recovery::Codes,
) -> Result<bool> {
    app.db
        .update_state(
            user,
            loaded.row.version,
            to_db(state.version),
            &serde_json::to_string(state)?,
            &serde_json::to_string(codes)?,
        )
        .await
}

/// A code from the app, checked against the stored factor.
enum Checked {
    /// No active second factor.
    Missing,
    /// Refused; the refusal's state (a counted failure) is stored.
    Refused(Outcome),
    /// Accepted, with the row it was read from and the state to store; not stored yet, so
    /// that the caller stores it together with its own change, or reads again.
    Accepted(Outcome, Box<Loaded>, State),
}

/// Reads the factor and checks `code`: the one check every code from the app goes through.
async fn check_code(app: &App, user: i64, code: &str, now: u64) -> Result<Checked> {
    loop {
        let Some(loaded) = load(app, user).await? else {
            return Ok(Checked::Missing);
        };
        let (outcome, state) = loaded.verifier(app)?.check(&loaded.state, code, now);
        if outcome.is_accepted() {
            return Ok(Checked::Accepted(outcome, Box::new(loaded), state));
        }
        if state == loaded.state || swap(app, user, &loaded, &state, &loaded.recovery).await? {
            return Ok(Checked::Refused(outcome));
        }
    }
}

/// Checks a code from the app. `None`: the user has no active second factor.
pub async fn check(app: &App, user: i64, code: &str, now: u64) -> Result<Option<Outcome>> {
    loop {
        match check_code(app, user, code, now).await? {
            Checked::Missing => return Ok(None),
            Checked::Refused(outcome) => return Ok(Some(outcome)),
            Checked::Accepted(outcome, loaded, state) => {
                if swap(app, user, &loaded, &state, &loaded.recovery).await? {
                    return Ok(Some(outcome));
                }
            }
        }
    }
}

/// Redeems a recovery code (throttled together with the app's codes).
pub async fn redeem(
    app: &App,
    user: i64,
    code: &str,
    now: u64,
) -> Result<Option<recovery::Outcome>> {
    loop {
        let Some(loaded) = load(app, user).await? else {
            return Ok(None);
        };
        let (outcome, state, codes) = loaded.recovery.redeem(
            app.keys.recovery(),
            &loaded.state,
            app.policy.throttle(),
            code,
            now,
        );
        if state == loaded.state || swap(app, user, &loaded, &state, &codes).await? {
            return Ok(Some(outcome));
        }
    }
}

/// What a change that needs a fresh code gives back.
pub enum Changed<T> {
    /// The code was accepted and the change stored.
    Done(T),
    /// The code was refused (the refusal's state is stored).
    Refused(Outcome),
    /// No active second factor.
    Missing,
}

/// Checks a code and, if it is accepted, replaces the recovery codes in the same write.
pub async fn regenerate(
    app: &App,
    user: i64,
    code: &str,
    now: u64,
) -> Result<Changed<Vec<recovery::Code>>> {
    loop {
        match check_code(app, user, code, now).await? {
            Checked::Missing => return Ok(Changed::Missing),
            Checked::Refused(outcome) => return Ok(Changed::Refused(outcome)),
            Checked::Accepted(_, loaded, state) => {
                let (shown, codes) = recovery::Codes::generate_os(
                    app.keys.recovery(),
                    recovery::Codes::DEFAULT_COUNT,
                )?;
                if swap(app, user, &loaded, &state, &codes).await? {
                    return Ok(Changed::Done(shown));
                }
            }
        }
    }
}

/// Checks a code and, if it is accepted, turns the second factor off: the row stays, inactive,
/// with its secret erased and its version moved on.
pub async fn disable(app: &App, user: i64, code: &str, now: u64) -> Result<Changed<()>> {
    loop {
        match check_code(app, user, code, now).await? {
            Checked::Missing => return Ok(Changed::Missing),
            Checked::Refused(outcome) => return Ok(Changed::Refused(outcome)),
            Checked::Accepted(_, loaded, state) => {
                let off = Factor {
                    active: false,
                    secret: Vec::new(),
                    version: to_db(state.version),
                    state: serde_json::to_string(&state)?,
                    ..loaded.row.clone()
                };
                if app
                    .db
                    .replace_factor(user, loaded.row.version, &off)
                    .await?
                {
                    return Ok(Changed::Done(()));
                }
            }
        }
    }
}

/// Stores a confirmed enrolment as the user's second factor, with new recovery codes, and
/// returns the codes to show once. A user who had one before gets a state whose version moves
/// past the old row's (`State::replacing`), in one compare-and-swap on the old version: a
/// request that read the old row cannot write over the new one.
pub async fn enable(
    app: &App,
    user: i64,
    confirmed: &Confirmed,
    now: u64,
) -> Result<Vec<recovery::Code>> {
    let credential = &confirmed.credential;
    let Kind::Totp { period, .. } = credential.kind() else {
        anyhow::bail!("the portal enrols TOTP credentials only");
    };
    loop {
        let (shown, codes) =
            recovery::Codes::generate_os(app.keys.recovery(), recovery::Codes::DEFAULT_COUNT)?;
        let fresh = State::for_confirmed(confirmed);
        let existing = app.db.factor(user).await?;
        let state = match &existing {
            Some(row) => {
                let old: State = serde_json::from_str(&row.state).context("a stored state")?;
                fresh.replacing(&old)
            }
            None => fresh,
        };
        let factor = Factor {
            active: true,
            secret: app
                .keys
                .seal(Purpose::Factor, user, credential.secret().as_bytes())?,
            algorithm: credential.algorithm().as_str().to_owned(),
            digits: i64::from(credential.digits().get()),
            period: i64::try_from(period)?,
            version: to_db(state.version),
            state: serde_json::to_string(&state)?,
            recovery: serde_json::to_string(&codes)?,
            since: i64::try_from(now)?,
        };
        let stored = match &existing {
            Some(row) => app.db.replace_factor(user, row.version, &factor).await?,
            None => app.db.insert_factor(user, &factor).await?,
        };
        if stored {
            return Ok(shown);
        }
    }
}
