//! How a handler answers when it cannot go on: a [`Failure`] is a status and a message that
//! says what to do, shown on the message page. Errors of the server (the database, a sealed
//! secret that will not open) are logged without detail a user could use and shown as a
//! generic 500; nothing the user typed is ever logged.

use askama::Template;
use axum::extract::{FromRequest, Request, rejection::FormRejection};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use serde::de::DeserializeOwned;

use crate::views::{Chrome, MessagePage};

/// A status and a message for the user.
#[derive(Debug)]
pub struct Failure {
    pub status: StatusCode,
    pub title: &'static str,
    pub message: String,
}

impl Failure {
    pub fn new(status: StatusCode, title: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            title,
            message: message.into(),
        }
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "That did not work", message)
    }
}

impl From<anyhow::Error> for Failure {
    fn from(e: anyhow::Error) -> Self {
        eprintln!("otpkit-web: internal error: {e:#}");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Something went wrong on our side",
            "The server could not finish this request. Nothing you typed was the problem; try \
             again in a moment.",
        )
    }
}

impl From<tower_sessions::session::Error> for Failure {
    fn from(e: tower_sessions::session::Error) -> Self {
        anyhow::Error::new(e).into()
    }
}

impl From<askama::Error> for Failure {
    fn from(e: askama::Error) -> Self {
        anyhow::Error::new(e).into()
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        let page = MessagePage::new(
            Chrome {
                message: Some(self.message),
                ..Chrome::default()
            },
            self.title.to_owned(),
        );
        match page.render() {
            Ok(html) => (self.status, Html(html)).into_response(),
            Err(_) => (self.status, "error").into_response(),
        }
    }
}

/// Renders a page.
pub fn render(page: &impl Template) -> Result<Response, Failure> {
    Ok(Html(page.render()?).into_response())
}

/// Renders a page with a status other than 200 (a form shown again with what was wrong).
pub fn render_status(status: StatusCode, page: &impl Template) -> Result<Response, Failure> {
    Ok((status, Html(page.render()?)).into_response())
}

/// [`axum::Form`], with a missing or malformed field answered by a [`Failure`] that names it.
#[derive(Debug)]
pub struct Form<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Form<T> {
    type Rejection = Failure;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Form::<T>::from_request(req, state).await {
            Ok(axum::Form(value)) => Ok(Self(value)),
            Err(FormRejection::FailedToDeserializeForm(e)) => Err(Failure::bad_request(format!(
                "The form was incomplete or had a bad field ({}). Reload the page and fill in \
                 every field.",
                e.body_text()
                    .trim_start_matches("Failed to deserialize form body: ")
            ))),
            Err(e) => Err(Failure::bad_request(format!(
                "The form could not be read ({}). Reload the page and send it again.",
                e.body_text()
            ))),
        }
    }
}

/// Refuses a field longer than `max` characters (or empty), naming it.
pub fn bounded<'a>(field: &str, value: &'a str, max: usize) -> Result<&'a str, Failure> {
    let chars = value.chars().count();
    if chars == 0 {
        return Err(Failure::bad_request(format!(
            "The {field} is empty. Fill it in and send the form again."
        )));
    }
    if chars > max {
        return Err(Failure::bad_request(format!(
            "The {field} is too long (more than {max} characters). Check what you typed."
        )));
    }
    Ok(value)
}
