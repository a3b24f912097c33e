//! The web face of Alongside: server-rendered pages (GOV.UK Design System patterns, no
//! JavaScript needed), a JSON API under `/api/v1`, sessions, CSRF protection and
//! security headers.
//!
//! Every route is declared once, in [`routes`], with who may call it; the router, its
//! first gate and the OpenAPI document are built from that table. Handlers hold no SQL
//! and decide no data access themselves: they check the role's capability again and ask
//! the store with the [`alongside_store::Actor`] the session proves, and the store filters
//! by hub and need to know. Templates never decide permissions; handlers pass them what
//! may be shown.
#![forbid(unsafe_code)]

mod actors;
mod alert_index;
mod api;
mod assets;
mod auth;
mod csrf;
mod error;
mod fmt;
mod forms;
mod notices;
mod pages;
mod profile_pdf;
mod record;
pub mod routes;
mod security;

pub use auth::{hash_password, token_hash, verify_password};
pub use pages::account::{code_hash as reset_code_hash, new_code as reset_code};
pub use routes::{route_table, Access, RouteInfo};

use alongside_store::sessions::DbSessionStore;
use alongside_store::Store;
use axum::extract::DefaultBodyLimit;
use axum::{Extension, Router};
use std::sync::Arc;
use tower_sessions::cookie::SameSite;
use tower_sessions::{CachingSessionStore, Expiry, SessionManagerLayer};
use tower_sessions_moka_store::MokaStore;

/// How the web service behaves.
#[derive(Debug, Clone)]
pub struct Config {
    /// Mark cookies `Secure` (set when Alongside is served over TLS).
    pub secure_cookies: bool,
    /// Sign a person out after this long without a request.
    pub idle_timeout: std::time::Duration,
    /// Sign a person out this long after they signed in, however busy (default 12 hours).
    pub session_lifetime: std::time::Duration,
    /// Show a banner saying the data is synthetic.
    pub demo: bool,
    /// The address people reach the service at, without a trailing slash
    /// ("https://alongside.example.org"): invitations and links carry it.
    pub public_url: String,
}

/// Checks the public address given (`--public-url`): http or https, a host, no query or
/// fragment; the trailing slash dropped. `default` when none is given.
pub fn public_url(given: Option<&str>, default: &str) -> Result<String, String> {
    let Some(given) = given.map(str::trim).filter(|g| !g.is_empty()) else {
        return Ok(default.trim_end_matches('/').to_string());
    };
    let u = url::Url::parse(given).map_err(|e| {
        format!("\"{given}\" is not an address ({e}); write it like https://alongside.example.org")
    })?;
    if !matches!(u.scheme(), "http" | "https") || u.host().is_none() {
        return Err(format!(
            "\"{given}\" must start with https:// (or http://) and name a host"
        ));
    }
    if u.query().is_some() || u.fragment().is_some() {
        return Err(format!(
            "\"{given}\" must not have a query (?) or fragment (#)"
        ));
    }
    Ok(u.as_str().trim_end_matches('/').to_string())
}

impl Default for Config {
    fn default() -> Self {
        Self {
            secure_cookies: false,
            idle_timeout: std::time::Duration::from_secs(30 * 60),
            session_lifetime: std::time::Duration::from_secs(12 * 60 * 60),
            demo: false,
            public_url: "http://127.0.0.1:8080".into(),
        }
    }
}

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub config: Arc<Config>,
    pub(crate) limits: Arc<auth::LoginLimits>,
    pub(crate) actors: Arc<auth::ActorCache>,
    pub(crate) alerts: Arc<alert_index::AlertIndex>,
}

/// Largest request body we read (forms and JSON).
const BODY_LIMIT: usize = 256 * 1024;

/// Largest form with files we read: three attachments of 5 MB and the text around them.
pub(crate) const UPLOAD_LIMIT: usize = 16 * 1024 * 1024;

/// The whole application, ready to serve.
pub fn app(store: Arc<dyn Store>, config: Config) -> Router {
    let idle = time::Duration::try_from(config.idle_timeout).unwrap_or(time::Duration::minutes(30));
    // Sessions live in the database; a bounded in-memory cache in front spares a query
    // on every request. Alongside runs as one process, so the cache cannot go stale:
    // signing out deletes from both.
    let session_store = CachingSessionStore::new(
        MokaStore::new(Some(10_000)),
        DbSessionStore::new(store.clone()),
    );
    let sessions = SessionManagerLayer::new(session_store)
        .with_name("alongside_session")
        .with_secure(config.secure_cookies)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_expiry(Expiry::OnInactivity(idle));
    let tls = config.secure_cookies;
    let state = AppState {
        store,
        config: Arc::new(config),
        limits: Arc::new(auth::LoginLimits::new()),
        actors: Arc::new(auth::ActorCache::new()),
        alerts: Arc::new(alert_index::AlertIndex::default()),
    };

    // Every route comes from the route table, with the gate for who may call it; add
    // none here, or it would escape both the gate and the role × route test.
    let routes = routes::build(&state);
    let with_session = routes
        .with_session
        .layer(axum::middleware::from_fn(csrf::guard))
        .layer(sessions);

    Router::new()
        .merge(routes.bare)
        .merge(with_session)
        .fallback(pages::not_found)
        .layer(Extension(Arc::new(routes.openapi)))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(axum::middleware::from_fn(move |req, next| {
            security::headers(tls, req, next)
        }))
        .with_state(state)
}

/// 200 when the database answers, 503 when it does not.
pub(crate) async fn health(
    axum::extract::State(state): axum::extract::State<AppState>,
) -> (axum::http::StatusCode, &'static str) {
    match state.store.ping().await {
        Ok(()) => (axum::http::StatusCode::OK, "ok\n"),
        Err(e) => {
            tracing::error!(error = %e, "health check: database did not answer");
            (
                axum::http::StatusCode::SERVICE_UNAVAILABLE,
                "database unavailable\n",
            )
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_public_address_is_checked() {
        assert_eq!(
            super::public_url(None, "http://127.0.0.1:8080/").unwrap(),
            "http://127.0.0.1:8080"
        );
        assert_eq!(
            super::public_url(Some("https://alongside.example.org/"), "x").unwrap(),
            "https://alongside.example.org"
        );
        assert_eq!(
            super::public_url(Some("https://example.org/hub/"), "x").unwrap(),
            "https://example.org/hub"
        );
        for bad in [
            "alongside.example.org",
            "ftp://x.org",
            "https://x.org/?a=1",
            "https://x.org/#f",
        ] {
            assert!(super::public_url(Some(bad), "x").is_err(), "{bad}");
        }
    }
}
