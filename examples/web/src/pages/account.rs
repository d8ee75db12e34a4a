//! The signed-in pages: home (what the second factor's state says: since when, recovery codes
//! left, the app's clock drift the verifier follows) and the settings (new recovery codes,
//! turning two-step verification off), each needing the password and a fresh code.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use tower_sessions::Session;
use zeroize::Zeroizing;

use super::{CODE_MAX, Full, Signed, chrome, refusal};
use crate::app::App;
use crate::factor::{self, Changed};
use crate::page::{Failure, Form, bounded, render, render_status};
use crate::password;
use crate::views::{Home, NewCodes, Settings};

#[derive(Deserialize)]
pub struct Confirm {
    password: Zeroizing<String>,
    code: String,
}

pub async fn home(
    State(app): State<App>,
    Full(s): Full,
    session: Session,
) -> Result<Response, Failure> {
    // The gate read the row; the page shows that reading.
    let Some(row) = s.factor else {
        return Ok(Redirect::to("/setup").into_response());
    };
    let loaded = factor::open(&app, s.user.id, row)?;
    let since = time::OffsetDateTime::from_unix_timestamp(loaded.row.since)
        .ok()
        .and_then(|t| {
            t.format(time::macros::format_description!(
                "[year]-[month]-[day] [hour]:[minute] UTC"
            ))
            .ok()
        })
        .unwrap_or_default();
    let period = u64::try_from(loaded.row.period).unwrap_or(30);
    let drift = match loaded.state.drift {
        0 => "Your app's clock agrees with ours.".to_owned(),
        d => format!(
            "Your app's clock is about {} seconds {} ours; codes are checked around its time.",
            u64::from(d.unsigned_abs()) * period,
            if d < 0 { "behind" } else { "ahead of" }
        ),
    };
    let chrome = chrome(&session, Some(&s.user), None).await?;
    render(&Home::new(
        chrome,
        s.user.name.clone(),
        since,
        loaded.recovery.remaining(),
        drift,
    ))
}

pub async fn settings(Full(s): Full, session: Session) -> Result<Response, Failure> {
    let chrome = chrome(&session, Some(&s.user), None).await?;
    render(&Settings::new(chrome))
}

/// The settings page again, with what was wrong.
async fn again(session: &Session, s: &Signed, f: Failure) -> Result<Response, Failure> {
    let chrome = chrome(session, Some(&s.user), Some(f.message)).await?;
    render_status(f.status, &Settings::new(chrome))
}

/// Checks the password of a settings form; `Err` is the page to show instead.
async fn reauthenticate(
    session: &Session,
    s: &Signed,
    form: &Confirm,
) -> Result<Result<(), Response>, Failure> {
    if let Err(f) = bounded("password", &form.password, password::MAX) {
        return Ok(Err(again(session, s, f).await?));
    }
    if !password::verify(form.password.clone(), s.user.password_hash.clone()).await? {
        let f = Failure::new(
            StatusCode::UNAUTHORIZED,
            "Wrong password",
            "That is not your password; nothing was changed. Type it again.",
        );
        return Ok(Err(again(session, s, f).await?));
    }
    if let Err(f) = bounded("code", &form.code, CODE_MAX) {
        return Ok(Err(again(session, s, f).await?));
    }
    Ok(Ok(()))
}

pub async fn regenerate(
    State(app): State<App>,
    Full(s): Full,
    session: Session,
    Form(form): Form<Confirm>,
) -> Result<Response, Failure> {
    if let Err(page) = reauthenticate(&session, &s, &form).await? {
        return Ok(page);
    }
    let now = app.now()?;
    match factor::regenerate(&app, s.user.id, &form.code, now).await? {
        Changed::Done(codes) => {
            let chrome = chrome(&session, Some(&s.user), None).await?;
            let codes = codes.iter().map(|c| c.as_str().to_owned()).collect();
            render(&NewCodes::new(chrome, codes))
        }
        Changed::Refused(outcome) => again(&session, &s, refusal(&outcome, now)).await,
        Changed::Missing => Ok(Redirect::to("/setup").into_response()),
    }
}

pub async fn disable(
    State(app): State<App>,
    Full(s): Full,
    session: Session,
    Form(form): Form<Confirm>,
) -> Result<Response, Failure> {
    if let Err(page) = reauthenticate(&session, &s, &form).await? {
        return Ok(page);
    }
    let now = app.now()?;
    match factor::disable(&app, s.user.id, &form.code, now).await? {
        Changed::Done(()) | Changed::Missing => Ok(Redirect::to("/setup").into_response()),
        Changed::Refused(outcome) => again(&session, &s, refusal(&outcome, now)).await,
    }
}
