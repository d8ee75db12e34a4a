//! Signing up and in: the password, then the code from the app (or a recovery code), and
//! signing out. The session id changes at each step that raises what the session may do.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use otpkit::Digits;
use serde::Deserialize;
use tower_sessions::Session;
use zeroize::Zeroizing;

use super::{
    AtCodeStep, CODE_MAX, Signed, chrome, next_step, promote, recovery_refusal, refusal, signed,
};
use crate::app::App;
use crate::factor;
use crate::page::{Failure, Form, bounded, render, render_status};
use crate::password;
use crate::session::Stage;
use crate::views::{CodePage, RecoveryPage, SignIn, SignUp};

/// The longest user name.
pub const NAME_MAX: usize = 64;

#[derive(Deserialize)]
pub struct Credentials {
    name: String,
    password: Zeroizing<String>,
}

#[derive(Deserialize)]
pub struct Typed {
    code: String,
}

/// A user name as typed: 1 to 64 characters, none a control character.
fn name(text: &str) -> Result<&str, Failure> {
    let name = bounded("user name", text.trim(), NAME_MAX)?;
    if name.chars().any(char::is_control) {
        return Err(Failure::bad_request(
            "A user name cannot hold control characters (tabs, line breaks). Type it again.",
        ));
    }
    Ok(name)
}

pub async fn signup_page(session: Session) -> Result<Response, Failure> {
    let chrome = chrome(&session, None, None).await?;
    render(&SignUp::new(chrome, String::new(), password::MIN))
}

pub async fn signup(
    State(app): State<App>,
    session: Session,
    Form(form): Form<Credentials>,
) -> Result<Response, Failure> {
    let again = |message: String| async {
        let chrome = chrome(&session, None, Some(message)).await?;
        render_status(
            StatusCode::BAD_REQUEST,
            &SignUp::new(chrome, form.name.clone(), password::MIN),
        )
    };
    let name = match name(&form.name) {
        Ok(name) => name,
        Err(f) => return again(f.message).await,
    };
    if let Err(f) = password::acceptable(&form.password) {
        return again(f.message).await;
    }
    let hash = password::hash(form.password.clone()).await?;
    let now = i64::try_from(app.now()?).map_err(anyhow::Error::new)?;
    let Some(id) = app.db.create_user(name, &hash, now).await? else {
        return again(format!("The name “{name}” is taken. Choose another.")).await;
    };
    promote(&session, id, Stage::Password).await?;
    Ok(Redirect::to("/setup").into_response())
}

pub async fn signin_page(State(app): State<App>, session: Session) -> Result<Response, Failure> {
    if let Some(s) = signed(&app, &session).await? {
        return Ok(Redirect::to(next_step(&s).unwrap_or("/")).into_response());
    }
    let chrome = chrome(&session, None, None).await?;
    render(&SignIn::new(chrome, String::new()))
}

pub async fn signin(
    State(app): State<App>,
    session: Session,
    Form(form): Form<Credentials>,
) -> Result<Response, Failure> {
    let wrong = || async {
        let chrome = chrome(
            &session,
            None,
            Some("Wrong user name or password. Check both and try again.".to_owned()),
        )
        .await?;
        render_status(
            StatusCode::UNAUTHORIZED,
            &SignIn::new(chrome, form.name.clone()),
        )
    };
    let name = name(&form.name)?;
    bounded("password", &form.password, password::MAX)?;
    let user = app.db.user_by_name(name).await?;
    // An unknown name costs the same Argon2 run as a wrong password.
    let hash = user
        .as_ref()
        .map_or_else(|| app.dummy_hash.clone(), |u| u.password_hash.clone());
    let right = password::verify(form.password.clone(), hash).await?;
    let (Some(user), true) = (user, right) else {
        return wrong().await;
    };
    promote(&session, user.id, Stage::Password).await?;
    let has_factor = app.db.factor(user.id).await?.is_some_and(|f| f.active);
    Ok(Redirect::to(if has_factor { "/signin/code" } else { "/setup" }).into_response())
}

pub async fn code_page(AtCodeStep(s): AtCodeStep, session: Session) -> Result<Response, Failure> {
    let digits = digits(&s);
    let chrome = chrome(&session, Some(&s.user), None).await?;
    render(&CodePage::new(chrome, digits))
}

/// The digits of the codes the session's factor shows.
fn digits(s: &Signed) -> u8 {
    s.factor
        .as_ref()
        .and_then(|f| u8::try_from(f.digits).ok())
        .unwrap_or(Digits::SIX.get())
}

pub async fn code(
    State(app): State<App>,
    AtCodeStep(s): AtCodeStep,
    session: Session,
    Form(form): Form<Typed>,
) -> Result<Response, Failure> {
    let now = app.now()?;
    let refused = match bounded("code", &form.code, CODE_MAX) {
        Err(f) => f,
        Ok(code) => match factor::check(&app, s.user.id, code, now).await? {
            Some(outcome) if outcome.is_accepted() => {
                promote(&session, s.user.id, Stage::Full).await?;
                return Ok(Redirect::to("/").into_response());
            }
            Some(outcome) => refusal(&outcome, now),
            None => return Ok(Redirect::to("/setup").into_response()),
        },
    };
    let digits = digits(&s);
    let chrome = chrome(&session, Some(&s.user), Some(refused.message)).await?;
    render_status(refused.status, &CodePage::new(chrome, digits))
}

pub async fn recovery_page(
    AtCodeStep(s): AtCodeStep,
    session: Session,
) -> Result<Response, Failure> {
    let chrome = chrome(&session, Some(&s.user), None).await?;
    render(&RecoveryPage::new(chrome))
}

pub async fn recovery(
    State(app): State<App>,
    AtCodeStep(s): AtCodeStep,
    session: Session,
    Form(form): Form<Typed>,
) -> Result<Response, Failure> {
    let now = app.now()?;
    let refused = match bounded("recovery code", &form.code, 2 * CODE_MAX) {
        Err(f) => f,
        Ok(code) => match factor::redeem(&app, s.user.id, code, now).await? {
            Some(outcome) if outcome.is_accepted() => {
                promote(&session, s.user.id, Stage::Full).await?;
                return Ok(Redirect::to("/").into_response());
            }
            Some(outcome) => recovery_refusal(&outcome, now),
            None => return Ok(Redirect::to("/setup").into_response()),
        },
    };
    let chrome = chrome(&session, Some(&s.user), Some(refused.message)).await?;
    render_status(refused.status, &RecoveryPage::new(chrome))
}

pub async fn signout(session: Session) -> Result<Response, Failure> {
    session.flush().await?;
    Ok(Redirect::to("/signin").into_response())
}
