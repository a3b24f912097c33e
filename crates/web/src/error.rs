//! One error type for pages: it logs the cause (never personal data) and shows a safe,
//! helpful page. The API has its own JSON form in `api`.

use alongside_store::StoreError;
use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};

#[derive(Debug)]
pub enum AppError {
    /// Missing, or not the person's to see: the two answer alike.
    NotFound,
    /// The person's role does not do this.
    Forbidden,
    /// The form's CSRF token was missing or wrong.
    Csrf,
    /// Not signed in (or the session ended): go to the sign-in page, then back.
    LoginRequired { next: String },
    /// The record's state refuses the change (e.g. already used); the message says why.
    Conflict(String),
    /// Something failed inside; the cause goes to the log only.
    Internal(String),
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => AppError::NotFound,
            StoreError::Conflict(m) => AppError::Conflict(m.into()),
            other => AppError::Internal(error_chain(&other)),
        }
    }
}

impl From<askama::Error> for AppError {
    fn from(e: askama::Error) -> Self {
        AppError::Internal(format!("template: {e}"))
    }
}

/// The error and its causes, for logs. Store errors carry no personal data: values are
/// bound as parameters and never formatted into messages.
pub fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        s.push_str(": ");
        s.push_str(&c.to_string());
        cur = c.source();
    }
    s
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    title: &'a str,
    message: &'a str,
}

pub fn error_page(status: StatusCode, title: &str, message: &str) -> Response {
    let body = ErrorPage { title, message }
        .render()
        .unwrap_or_else(|_| format!("{title}\n{message}"));
    (status, Html(body)).into_response()
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        match self {
            AppError::NotFound => error_page(
                StatusCode::NOT_FOUND,
                "Page not found",
                "If you typed the web address, check it is correct. If you followed a link, the record may not exist or may not be shared with you.",
            ),
            AppError::Forbidden => error_page(
                StatusCode::FORBIDDEN,
                "You cannot see this page",
                "Your role does not include this work. If you need it, ask your operational manager or administrator.",
            ),
            AppError::Csrf => error_page(
                StatusCode::FORBIDDEN,
                "This form has expired",
                "For your security, the form could not be accepted. Go back, reload the page and try again. Nothing was saved.",
            ),
            AppError::LoginRequired { next } => {
                let target = if next == "/" || next.is_empty() {
                    "/login".to_string()
                } else {
                    format!("/login?next={}", form_urlencoded::byte_serialize(next.as_bytes()).collect::<String>())
                };
                Redirect::to(&target).into_response()
            }
            AppError::Conflict(message) => error_page(
                StatusCode::CONFLICT,
                "This could not be done",
                &format!("{message}. Nothing was changed."),
            ),
            AppError::Internal(cause) => {
                tracing::error!(error = %cause, "request failed");
                error_page(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Sorry, there is a problem with the service",
                    "Try again later. Nothing you entered has been lost from records already saved.",
                )
            }
        }
    }
}
