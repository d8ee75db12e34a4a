//! Cross-site request forgery: every form carries the session's token (a synchronizer token,
//! 256 random bits) in a hidden `csrf` field, and [`check`], the one place it is checked, lets
//! a POST through only when the field equals the session's token (compared in constant time).
//! The session cookie is also `SameSite=Strict`; the token is what a forged form cannot know.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use subtle::ConstantTimeEq;
use tower_sessions::Session;

use crate::page::Failure;

/// The session key of the token.
const KEY: &str = "csrf";

/// The largest form body read, in bytes.
pub const FORM_LIMIT: usize = 16 * 1024;

/// The session's token, made on first use.
pub async fn token(session: &Session) -> Result<String, Failure> {
    if let Some(token) = session.get::<String>(KEY).await? {
        return Ok(token);
    }
    renew(session).await
}

/// A new token for the session (after its id changed at sign-in).
pub async fn renew(session: &Session) -> Result<String, Failure> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("random generator: {e}"))?;
    let token = data_encoding::BASE64URL_NOPAD.encode(&bytes);
    session.insert(KEY, &token).await?;
    Ok(token)
}

#[derive(Deserialize)]
struct Sent {
    csrf: Option<String>,
}

/// The middleware: GET and HEAD pass; any other request must carry the token.
pub async fn check(session: Session, request: Request, next: Next) -> Response {
    if matches!(*request.method(), Method::GET | Method::HEAD) {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, FORM_LIMIT).await else {
        return Failure::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "That form is too large",
            format!(
                "The form was larger than {} KiB, more than any field here needs. Check what \
                 you pasted and send it again.",
                FORM_LIMIT / 1024
            ),
        )
        .into_response();
    };
    let sent = serde_urlencoded::from_bytes::<Sent>(&bytes)
        .ok()
        .and_then(|s| s.csrf);
    let expected = session.get::<String>(KEY).await.ok().flatten();
    let refused = |message: &str| {
        Failure::new(StatusCode::FORBIDDEN, "The form was refused", message).into_response()
    };
    match (expected, sent) {
        (None, _) => refused(
            "Your session has expired (or this browser does not keep cookies). Nothing was \
             changed. Open the page again and send the form from there.",
        ),
        (Some(_), None) => refused(
            "The form had no security token. Nothing was changed. Reload the page and send the \
             form from there.",
        ),
        (Some(expected), Some(sent)) if bool::from(expected.as_bytes().ct_eq(sent.as_bytes())) => {
            next.run(Request::from_parts(parts, Body::from(bytes)))
                .await
        }
        (Some(_), Some(_)) => refused(
            "The form's security token does not belong to this session: it was sent from \
             another page or an old tab. Nothing was changed. Reload the page and send the form \
             from there.",
        ),
    }
}
