//! The forced setup of two-step verification: the password again, then the QR code and the
//! key of a new secret, then the first code from the app, then the recovery codes, once.
//!
//! The pending enrolment lives in the database (`pending`), its secret sealed, for
//! [`PENDING_TTL`] seconds; a reload shows the same key, an expired one asks for the password
//! again. It is offered to a session without an active second factor, or to a fully signed-in
//! one: a session that only knows the password cannot replace an enrolled factor.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use otpkit::enroll::{self, Enrollment};
use otpkit::{Credential, Secret, VerifyError};
use serde::Deserialize;
use tower_sessions::Session;
use zeroize::Zeroizing;

use super::{CODE_MAX, MaySetUp, Signed, chrome, promote};
use crate::app::App;
use crate::db::Pending;
use crate::factor;
use crate::keys::Purpose;
use crate::page::{Failure, Form, bounded, render, render_status};
use crate::password;
use crate::session::Stage;
use crate::views::{Activated, SetupPassword, SetupScan};

/// How long a key shown on the setup page stays good: ten minutes.
pub const PENDING_TTL: u64 = 600;

/// What the portal enrols: the library's defaults, which every authenticator app reads
/// (SHA-1, 6 digits, 30 seconds, a 160-bit secret).
const OPTIONS: enroll::Options = enroll::Options::new();

#[derive(Deserialize)]
pub struct Reauth {
    password: Zeroizing<String>,
}

#[derive(Deserialize)]
pub struct FirstCode {
    code: String,
}

pub async fn password_page(MaySetUp(s): MaySetUp, session: Session) -> Result<Response, Failure> {
    let chrome = chrome(&session, Some(&s.user), None).await?;
    render(&SetupPassword::new(chrome))
}

pub async fn password(
    State(app): State<App>,
    MaySetUp(s): MaySetUp,
    session: Session,
    Form(form): Form<Reauth>,
) -> Result<Response, Failure> {
    bounded("password", &form.password, password::MAX)?;
    if !password::verify(form.password.clone(), s.user.password_hash.clone()).await? {
        let chrome = chrome(
            &session,
            Some(&s.user),
            Some("That is not your password. Type it again.".to_owned()),
        )
        .await?;
        return render_status(StatusCode::UNAUTHORIZED, &SetupPassword::new(chrome));
    }
    let enrollment =
        Enrollment::start(&app.issuer, &s.user.name, OPTIONS).map_err(anyhow::Error::new)?;
    let now = app.now()?;
    let pending = Pending {
        secret: app
            .keys
            .seal(Purpose::Pending, s.user.id, enrollment.secret().as_bytes())?,
        expires: i64::try_from(now.saturating_add(PENDING_TTL)).map_err(anyhow::Error::new)?,
    };
    app.db.put_pending(s.user.id, &pending).await?;
    Ok(Redirect::to("/setup/scan").into_response())
}

/// The session's pending enrolment, if it has one that has not expired.
async fn pending(app: &App, s: &Signed, now: u64) -> Result<Option<Enrollment>, Failure> {
    let Some(pending) = app.db.pending(s.user.id).await? else {
        return Ok(None);
    };
    if u64::try_from(pending.expires).unwrap_or(0) <= now {
        app.db.delete_pending(s.user.id).await?;
        return Ok(None);
    }
    let plain = app
        .keys
        .open(Purpose::Pending, s.user.id, &pending.secret)?;
    let secret = Secret::from_bytes(&plain).map_err(anyhow::Error::new)?;
    let credential = Credential::totp(
        secret,
        OPTIONS.algorithm(),
        OPTIONS.digits(),
        OPTIONS.period(),
    )
    .map_err(anyhow::Error::new)?;
    Ok(Some(
        Enrollment::resume(credential, &app.issuer, &s.user.name).map_err(anyhow::Error::new)?,
    ))
}

/// The setup page of a pending enrolment, with `message` (and `status`) above it.
async fn scan(
    app: &App,
    session: &Session,
    s: &Signed,
    enrollment: &Enrollment,
    status: StatusCode,
    message: Option<String>,
) -> Result<Response, Failure> {
    let qr = enrollment
        .qr()
        .map_err(anyhow::Error::new)?
        .to_svg_data_uri();
    let key = enrollment.secret().to_base32();
    let grouped = Zeroizing::new(
        key.as_bytes()
            .chunks(4)
            .map(|g| String::from_utf8_lossy(g).into_owned())
            .collect::<Vec<_>>()
            .join(" "),
    );
    let chrome = chrome(session, Some(&s.user), message).await?;
    let page = SetupScan::new(
        chrome,
        qr.to_string(),
        grouped.to_string(),
        app.issuer.clone(),
        OPTIONS.digits().get(),
        OPTIONS.period(),
        PENDING_TTL / 60,
    );
    render_status(status, &page)
}

fn expired() -> String {
    format!(
        "The key shown for setup is good for {} minutes, and that time has passed (or setup was \
         not started). Enter your password to get a new key.",
        PENDING_TTL / 60
    )
}

pub async fn scan_page(
    State(app): State<App>,
    MaySetUp(s): MaySetUp,
    session: Session,
) -> Result<Response, Failure> {
    let Some(enrollment) = pending(&app, &s, app.now()?).await? else {
        let chrome = chrome(&session, Some(&s.user), Some(expired())).await?;
        return render(&SetupPassword::new(chrome));
    };
    scan(&app, &session, &s, &enrollment, StatusCode::OK, None).await
}

pub async fn confirm(
    State(app): State<App>,
    MaySetUp(s): MaySetUp,
    session: Session,
    Form(form): Form<FirstCode>,
) -> Result<Response, Failure> {
    let now = app.now()?;
    let Some(enrollment) = pending(&app, &s, now).await? else {
        let chrome = chrome(&session, Some(&s.user), Some(expired())).await?;
        return render_status(StatusCode::BAD_REQUEST, &SetupPassword::new(chrome));
    };
    let code = match bounded("code", &form.code, CODE_MAX) {
        Ok(code) => code,
        Err(f) => return scan(&app, &session, &s, &enrollment, f.status, Some(f.message)).await,
    };
    let confirmed = match enrollment.confirm(code, now) {
        Ok(confirmed) => confirmed,
        Err(rejected) => {
            let message = match rejected.error() {
                VerifyError::Malformed(e) => format!(
                    "That is not a code from your app ({e}). Type the {} digits it shows.",
                    OPTIONS.digits().get()
                ),
                VerifyError::Setup(_) => {
                    "This server's clock is wrong, so the code cannot be checked; tell the \
                     portal's operator."
                        .to_owned()
                }
                _ => "That code does not match this key. Check that the app's account is the \
                      one you just added and that your phone's clock is right, then type the \
                      code it shows now."
                    .to_owned(),
            };
            let enrollment = rejected.into_enrollment();
            return scan(
                &app,
                &session,
                &s,
                &enrollment,
                StatusCode::BAD_REQUEST,
                Some(message),
            )
            .await;
        }
    };
    let codes = factor::enable(&app, s.user.id, &confirmed, now).await?;
    app.db.delete_pending(s.user.id).await?;
    promote(&session, s.user.id, Stage::Full).await?;
    let chrome = chrome(&session, Some(&s.user), None).await?;
    let codes = codes.iter().map(|c| c.as_str().to_owned()).collect();
    render(&Activated::new(chrome, codes))
}
