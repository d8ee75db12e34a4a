//! The portal's shared state and its router: the pages, the CSRF check, sessions in the
//! database, and the security headers every response carries.

use std::sync::Arc;

use axum::Router;
use axum::http::{HeaderValue, header};
use axum::routing::{get, post};
use otpkit::verifier::Policy;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

use crate::clock::Clock;
use crate::db::Db;
use crate::keys::Keys;
use crate::{csrf, pages, session};

/// What every request shares.
#[derive(Clone, Debug)]
pub struct App(Arc<Inner>);

#[derive(Debug)]
pub struct Inner {
    pub db: Db,
    pub keys: Keys,
    pub clock: Clock,
    pub policy: Policy,
    /// The name the authenticator app shows for the account.
    pub issuer: String,
    /// A hash verified when the user name is unknown, so that a wrong name and a wrong
    /// password take the same time.
    pub dummy_hash: String,
    /// Whether the session cookie is `Secure` (HTTPS only; browsers also send it to
    /// `http://localhost`).
    pub secure_cookie: bool,
}

impl core::ops::Deref for App {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

/// A signed-in session ends after this long without a request.
pub const SESSION_IDLE: time::Duration = time::Duration::minutes(30);

impl App {
    pub fn new(inner: Inner) -> Self {
        Self(Arc::new(inner))
    }

    /// The unix time now, from the portal's one clock.
    pub fn now(&self) -> anyhow::Result<u64> {
        self.clock.now()
    }

    pub fn router(self) -> Router {
        let sessions = SessionManagerLayer::new(session::Store(self.db.clone()))
            .with_name(if self.secure_cookie {
                "__Host-session"
            } else {
                "session"
            })
            .with_secure(self.secure_cookie)
            .with_http_only(true)
            .with_same_site(SameSite::Strict)
            .with_path("/")
            .with_expiry(Expiry::OnInactivity(SESSION_IDLE));
        let header =
            |name, value| SetResponseHeaderLayer::overriding(name, HeaderValue::from_static(value));
        Router::new()
            .route("/", get(pages::account::home))
            .route(
                "/signup",
                get(pages::signin::signup_page).post(pages::signin::signup),
            )
            .route(
                "/signin",
                get(pages::signin::signin_page).post(pages::signin::signin),
            )
            .route(
                "/signin/code",
                get(pages::signin::code_page).post(pages::signin::code),
            )
            .route(
                "/signin/recovery",
                get(pages::signin::recovery_page).post(pages::signin::recovery),
            )
            .route("/signout", post(pages::signin::signout))
            .route(
                "/setup",
                get(pages::setup::password_page).post(pages::setup::password),
            )
            .route(
                "/setup/scan",
                get(pages::setup::scan_page).post(pages::setup::confirm),
            )
            .route("/settings", get(pages::account::settings))
            .route("/settings/recovery", post(pages::account::regenerate))
            .route("/settings/disable", post(pages::account::disable))
            .fallback(pages::not_found)
            .layer(axum::middleware::from_fn(csrf::check))
            .layer(sessions)
            .layer(header(
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; img-src data:; style-src 'unsafe-inline'; \
                 form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
            ))
            // Pages show keys and recovery codes: never cached, never framed.
            .layer(header(header::CACHE_CONTROL, "no-store"))
            .layer(header(header::X_FRAME_OPTIONS, "DENY"))
            .layer(header(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
            .layer(header(header::REFERRER_POLICY, "no-referrer"))
            .with_state(self)
    }
}
