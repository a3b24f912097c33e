//! CSRF protection for forms: a random token per session, carried in every form as
//! `csrf_token` and compared in constant time before any handler runs. The JSON API
//! checks the `X-CSRF-Token` header instead when it is called with a session cookie.
//!
//! The forms a person fills in before signing in (sign in, join, reset a password) keep
//! no session (issue 10, L6: an anonymous GET wrote a session row each time): their token
//! is a signed double-submit cookie ([`public_form`]), a random value with its HMAC under a
//! key made when the process starts, sent both as a SameSite=Strict cookie and in the
//! form. A request without a session token is refused before its body is read, and only
//! a signed-in session may send a large (multipart) body.

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

/// The cookie of the double-submit token of the forms used before signing in.
pub const FORM_COOKIE: &str = "alongside_form";

/// The key the double-submit tokens are signed with: new each time the process starts (a
/// form left open across a restart is refused as expired, and says so).
fn form_key() -> &'static [u8; 32] {
    static KEY: std::sync::OnceLock<[u8; 32]> = std::sync::OnceLock::new();
    KEY.get_or_init(|| {
        let mut k = [0u8; 32];
        rand::thread_rng().fill_bytes(&mut k);
        k
    })
}

fn sign(nonce: &str) -> String {
    use hmac::{Hmac, Mac};
    let mut mac = <Hmac<sha2::Sha256> as Mac>::new_from_slice(form_key()).expect("any key length");
    mac.update(nonce.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// Whether a double-submit token is one this process signed: 32 hex digits of random
/// nonce, then the first 32 of its HMAC-SHA256 (128 bits), so it has the shape of a
/// session's token.
fn signed(token: &str) -> bool {
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return false;
    }
    let (nonce, sig) = token.split_at(32);
    matches(&sign(nonce)[..32], sig)
}

/// The double-submit cookie a request carries, if any.
fn form_cookie(headers: &axum::http::HeaderMap) -> Option<String> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(k, _)| *k == FORM_COOKIE)
        .map(|(_, v)| v.to_string())
}

/// The token for a form used before signing in, and the cookie to set when the browser
/// has none yet (or one this process did not sign).
pub fn public_form(headers: &axum::http::HeaderMap, secure: bool) -> (String, Option<String>) {
    if let Some(t) = form_cookie(headers).filter(|t| signed(t)) {
        return (t, None);
    }
    let mut bytes = [0u8; 16];
    rand::thread_rng().fill_bytes(&mut bytes);
    let nonce = hex::encode(bytes);
    let token = format!("{nonce}{}", &sign(&nonce)[..32]);
    let cookie = format!(
        "{FORM_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict{}",
        if secure { "; Secure" } else { "" }
    );
    (token, Some(cookie))
}

/// Adds the double-submit cookie to a response, when one is to be set.
pub fn with_form_cookie(mut response: Response, cookie: Option<String>) -> Response {
    if let Some(c) = cookie.and_then(|c| axum::http::HeaderValue::from_str(&c).ok()) {
        response
            .headers_mut()
            .append(axum::http::header::SET_COOKIE, c);
    }
    response
}

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
    let expected = expected(&session).await;
    // The double-submit cookie of a form used before signing in, when it is one we signed.
    let cookie = form_cookie(&parts.headers).filter(|t| signed(t));
    if expected.is_none() && cookie.is_none() {
        // Nothing the form could match: refused before the body is read.
        tracing::warn!(path = %parts.uri.path(), "refused a form without a valid CSRF token");
        return AppError::Csrf.into_response();
    }
    // Only a signed-in session sends photos: anyone else's body is small.
    let signed_in = session
        .get::<serde_json::Value>(alongside_store::sessions::AUTH_ENTRY)
        .await
        .ok()
        .flatten()
        .is_some();
    let limit = if boundary.is_some() && signed_in {
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
    let ok = expected.is_some_and(|e| matches(&e, &given))
        || (!signed_in && cookie.is_some_and(|c| matches(&c, &given)));
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
