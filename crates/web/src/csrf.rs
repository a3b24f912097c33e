//! CSRF protection for forms: a random token per session, carried in every form as
//! `csrf_token` and compared in constant time before any handler runs. The JSON API
//! checks the `X-CSRF-Token` header instead when it is called with a session cookie.

use crate::error::AppError;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use rand::RngCore;
use subtle::ConstantTimeEq;
use tower_sessions::Session;

const KEY: &str = "csrf";

/// The session's token, made on first use.
pub async fn token(session: &Session) -> Result<String, AppError> {
    if let Some(t) = session
        .get::<String>(KEY)
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
    {
        return Ok(t);
    }
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    let t = hex::encode(bytes);
    session
        .insert(KEY, &t)
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(t)
}

/// Starts a new token (after signing in).
pub async fn renew(session: &Session) -> Result<String, AppError> {
    let _ = session.remove::<String>(KEY).await;
    token(session).await
}

pub fn matches(expected: &str, given: &str) -> bool {
    !expected.is_empty() && expected.as_bytes().ct_eq(given.as_bytes()).into()
}

pub async fn expected(session: &Session) -> Option<String> {
    session.get::<String>(KEY).await.ok().flatten()
}

pub async fn guard(session: Session, req: Request, next: Next) -> Response {
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if safe || req.uri().path().starts_with("/api/") {
        return next.run(req).await;
    }
    let (parts, body) = req.into_parts();
    let boundary = parts
        .headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|ct| multer::parse_boundary(ct).ok());
    let limit = if boundary.is_some() {
        crate::UPLOAD_LIMIT
    } else {
        crate::BODY_LIMIT
    };
    let bytes = match axum::body::to_bytes(body, limit).await {
        Ok(b) => b,
        Err(_) => {
            return crate::error::error_page(
                StatusCode::PAYLOAD_TOO_LARGE,
                "What you sent is too large",
                "Shorten the text, or send fewer or smaller files (up to 3 files of 5 MB each), and try again.",
            )
        }
    };
    let given = match boundary {
        Some(b) => multipart_token(bytes.clone(), b).await,
        None => form_urlencoded::parse(&bytes)
            .find(|(k, _)| k == "csrf_token")
            .map(|(_, v)| v.into_owned())
            .unwrap_or_default(),
    };
    let ok = expected(&session)
        .await
        .is_some_and(|e| matches(&e, &given));
    if !ok {
        tracing::warn!(path = %parts.uri.path(), "refused a form without a valid CSRF token");
        return AppError::Csrf.into_response();
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

/// The `csrf_token` field of a multipart form (forms put it first, so the search is short).
async fn multipart_token(bytes: axum::body::Bytes, boundary: String) -> String {
    let stream = futures_util::stream::once(async move { Ok::<_, std::io::Error>(bytes) });
    let mut form = multer::Multipart::new(stream, boundary);
    while let Ok(Some(field)) = form.next_field().await {
        if field.name() == Some("csrf_token") {
            return field.text().await.unwrap_or_default();
        }
    }
    String::new()
}
