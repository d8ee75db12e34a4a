//! The handlers, one module per part of the flow: `signin` (sign up, password, code,
//! recovery code, sign out), `setup` (the forced enrolment), `account` (the home page and the
//! settings). What they share is here: who the session is, where a session at its stage must
//! go next, and the one wording of each verifier outcome.

pub mod account;
pub mod setup;
pub mod signin;

use axum::extract::FromRequestParts;
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use otpkit::recovery;
use otpkit::verifier::Outcome;
use tower_sessions::Session;

use crate::app::App;
use crate::csrf;
use crate::db::{Factor, User};
use crate::page::Failure;
use crate::session::{AUTH, Auth, Stage};
use crate::views::Chrome;

/// The most characters a typed code may have before it is refused unread (a public length
/// check: the verifier's own reader refuses anything that is not a code).
pub const CODE_MAX: usize = 32;

/// The session's user, read again from the database (a deleted user is signed out).
pub struct Signed {
    pub auth: Auth,
    pub user: User,
    /// The user's active second factor, as read for this request.
    pub factor: Option<Factor>,
}

impl Signed {
    /// Whether the user has an active second factor.
    pub fn has_factor(&self) -> bool {
        self.factor.is_some()
    }
}

/// Who the session is, if anyone.
pub async fn signed(app: &App, session: &Session) -> Result<Option<Signed>, Failure> {
    let Some(auth) = session.get::<Auth>(AUTH).await? else {
        return Ok(None);
    };
    let Some(user) = app.db.user(auth.user).await? else {
        session.flush().await?;
        return Ok(None);
    };
    let factor = app.db.factor(user.id).await?.filter(|f| f.active);
    Ok(Some(Signed { auth, user, factor }))
}

/// Where a signed-in session must go before anything else: the code, or the setup of
/// two-step verification, which every account needs. `None`: fully signed in.
pub fn next_step(signed: &Signed) -> Option<&'static str> {
    if !signed.has_factor() {
        Some("/setup")
    } else if signed.auth.stage == Stage::Password {
        Some("/signin/code")
    } else {
        None
    }
}

/// Extractors for the pages' rules: a handler that takes one runs only for a session the
/// rule lets through; any other is redirected to where it must go (or to sign-in).
macro_rules! gate {
    ($(#[$doc:meta])* $name:ident, $rule:expr) => {
        $(#[$doc])*
        pub struct $name(pub Signed);

        impl FromRequestParts<App> for $name {
            type Rejection = Response;

            async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Response> {
                let session = Session::from_request_parts(parts, app)
                    .await
                    .map_err(IntoResponse::into_response)?;
                let rule: fn(&Signed) -> Option<&'static str> = $rule;
                match signed(app, &session).await {
                    Err(failure) => Err(failure.into_response()),
                    Ok(None) => Err(Redirect::to("/signin").into_response()),
                    Ok(Some(s)) => match rule(&s) {
                        None => Ok(Self(s)),
                        Some(to) => Err(Redirect::to(to).into_response()),
                    },
                }
            }
        }
    };
}

gate!(
    /// Fully signed in: password and second factor.
    Full,
    next_step
);
gate!(
    /// Past the password, at the code (or recovery code) step.
    AtCodeStep,
    |s| match next_step(s) {
        Some("/signin/code") => None,
        other => Some(other.unwrap_or("/")),
    }
);
gate!(
    /// May set up a second factor: one without an active factor, or fully signed in (a
    /// session that only knows the password cannot replace an enrolled factor).
    MaySetUp,
    |s| match (s.has_factor(), s.auth.stage) {
        (false, _) => None,
        (true, Stage::Password) => Some("/signin/code"),
        (true, Stage::Full) => Some("/settings"),
    }
);

/// The layout's parts for a page of this session.
pub async fn chrome(
    session: &Session,
    user: Option<&User>,
    message: Option<String>,
) -> Result<Chrome, Failure> {
    Ok(Chrome {
        csrf: csrf::token(session).await?,
        user: user.map(|u| u.name.clone()),
        message,
    })
}

/// Signs the session in at `stage`, with a new session id and a new CSRF token (so an id or
/// token seen before this step is worth nothing after it).
pub async fn promote(session: &Session, user: i64, stage: Stage) -> Result<(), Failure> {
    session.cycle_id().await?;
    session.insert(AUTH, Auth { user, stage }).await?;
    csrf::renew(session).await?;
    Ok(())
}

/// Seconds from `now` until `until`, as words.
fn wait(now: u64, until: u64) -> String {
    let s = until.saturating_sub(now).max(1);
    if s < 120 {
        format!("{s} seconds")
    } else {
        format!("{} minutes", s.div_ceil(60))
    }
}

/// What the user reads after a code from the app was refused. The verifier's outcomes, each
/// worded once: a replay, a wrong code, the throttle with the time left, a malformed code, a
/// server clock that cannot be used.
pub fn refusal(outcome: &Outcome, now: u64) -> Failure {
    match outcome {
        Outcome::AlreadyUsed => Failure::bad_request(
            "That code was already used. Wait until your app shows the next one and type that.",
        ),
        Outcome::WrongCode => Failure::bad_request(
            "Wrong code. Check that you read the code of this portal's account in your app, and \
             that your phone's clock is right.",
        ),
        Outcome::Throttled { until } => Failure::new(
            StatusCode::TOO_MANY_REQUESTS,
            "Too many attempts",
            format!(
                "Too many wrong codes. Try again in {}; each wrong code after that doubles the \
                 wait.",
                wait(now, *until)
            ),
        ),
        Outcome::Malformed(e) => Failure::bad_request(format!(
            "That is not a code from your app ({e}). Type the digits it shows; spaces are fine."
        )),
        Outcome::Misconfigured(_) => Failure::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "The server's clock is wrong",
            "Your code could not be checked because this server's clock is wrong. Nothing was \
             counted against you; try again later, and tell the portal's operator.",
        ),
        Outcome::Accepted(_) => Failure::bad_request("Accepted."),
        _ => Failure::bad_request("That code was not accepted. Try the next one."),
    }
}

/// What the user reads after a recovery code was refused.
pub fn recovery_refusal(outcome: &recovery::Outcome, now: u64) -> Failure {
    match outcome {
        recovery::Outcome::AlreadyUsed { .. } => Failure::bad_request(
            "That recovery code was already used; each works once. Try another of your codes.",
        ),
        recovery::Outcome::WrongCode => Failure::bad_request(
            "That is not one of your recovery codes. Check it against the list you saved.",
        ),
        recovery::Outcome::Throttled { until } => Failure::new(
            StatusCode::TOO_MANY_REQUESTS,
            "Too many attempts",
            format!("Too many wrong codes. Try again in {}.", wait(now, *until)),
        ),
        recovery::Outcome::Malformed(e) => Failure::bad_request(format!(
            "That is not a recovery code ({e}). They look like ABCD-EFGH-JKMN-PQRS."
        )),
        _ => Failure::bad_request("That recovery code was not accepted."),
    }
}

/// Any path that is not a page.
pub async fn not_found() -> Failure {
    Failure::new(
        StatusCode::NOT_FOUND,
        "No such page",
        "There is no page at this address. Start again from the portal's home page.",
    )
}
