//! Signing in and out, who is asking, and throttling of sign-in attempts.
//!
//! Passwords are hashed with Argon2id. An unknown username is checked against a dummy
//! hash so that it takes as long as a wrong password. Sessions are server-side (see
//! `alongside_store::sessions`); signing in starts a new session id.

use crate::error::AppError;
use crate::forms::{FormData, FormView};
use crate::{csrf, AppState};
use alongside_domain::audit::{AuditAction, AuditRecord};
use alongside_domain::ids::*;
use alongside_domain::roles::{Capability, Role};
use alongside_domain::validate::FieldErrors;
use alongside_domain::Code;
use alongside_store::Actor;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use askama::Template;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, FromRequestParts, Query, State};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::{LazyLock, Mutex};
use std::time::Duration;
use std::time::Instant;
use tower_sessions::Session;

/// Hashes a password with Argon2id and a random salt.
pub fn hash_password(password: &str) -> Result<String, String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| e.to_string())
}

/// Whether `password` matches `hash`. A malformed hash never matches. Passwords are
/// hashed in Unicode normal form NFKC (`accounts::password::normalise`); one set before
/// that, as typed, still matches as typed.
pub fn verify_password(hash: &str, password: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(hash) else {
        return false;
    };
    let matches = |p: &str| {
        Argon2::default()
            .verify_password(p.as_bytes(), &parsed)
            .is_ok()
    };
    let normal = alongside_domain::accounts::password::normalise(password);
    matches(&normal) || (normal != password && matches(password))
}

static DUMMY_HASH: LazyLock<String> =
    LazyLock::new(|| hash_password("not a real password; timing only").unwrap_or_default());

/// Sign-in throttles (issue 10, L5): slow the attacker, not the owner. Wrong passwords
/// for one account from one address back off, doubling from the fifth to at most
/// [`BACKOFF_CAP`]; the owner elsewhere is not slowed at all. One address is limited
/// across every account (spraying), and each failure is recorded by the store, which
/// tells managers when one address fails against many accounts.
pub struct LoginLimits {
    backoff: Mutex<HashMap<BackoffKey, (u32, Instant)>>,
    by_ip: DefaultKeyedRateLimiter<IpAddr>,
    /// Joining with an invitation, per address: names tried there say which exist.
    join_by_ip: DefaultKeyedRateLimiter<IpAddr>,
    /// Accounts an administrator makes, per administrator.
    new_accounts: DefaultKeyedRateLimiter<String>,
    /// Password-reset codes tried, per address.
    reset_by_ip: DefaultKeyedRateLimiter<IpAddr>,
}

impl LoginLimits {
    pub fn new() -> Self {
        let per_ip = Quota::with_period(Duration::from_millis(500))
            .expect("non-zero period")
            .allow_burst(NonZeroU32::new(100).expect("non-zero"));
        let join = Quota::with_period(Duration::from_secs(6))
            .expect("non-zero period")
            .allow_burst(NonZeroU32::new(10).expect("non-zero"));
        let accounts = Quota::with_period(Duration::from_secs(60))
            .expect("non-zero period")
            .allow_burst(NonZeroU32::new(30).expect("non-zero"));
        Self {
            backoff: Mutex::new(HashMap::new()),
            by_ip: RateLimiter::keyed(per_ip),
            join_by_ip: RateLimiter::keyed(join),
            reset_by_ip: RateLimiter::keyed(join),
            new_accounts: RateLimiter::keyed(accounts),
        }
    }

    /// Whether another attempt to join may be tried from this address now.
    pub fn allow_join(&self, ip: Option<IpAddr>) -> bool {
        ip.is_none_or(|ip| self.join_by_ip.check_key(&ip).is_ok())
    }

    /// Whether another reset code may be tried from this address now.
    pub fn allow_reset(&self, ip: Option<IpAddr>) -> bool {
        ip.is_none_or(|ip| self.reset_by_ip.check_key(&ip).is_ok())
    }

    /// Whether this administrator may make another account now.
    pub fn allow_new_account(&self, who: &str) -> bool {
        self.new_accounts.check_key(&who.to_string()).is_ok()
    }

    /// Whether a sign-in for this account may be tried from this address now.
    fn allow(&self, username: &str, ip: Option<IpAddr>) -> bool {
        let key = (username.to_lowercase(), ip);
        let waiting = self
            .backoff
            .lock()
            .ok()
            .and_then(|b| b.get(&key).map(|(_, until)| Instant::now() < *until))
            .unwrap_or(false);
        let ip_ok = ip.is_none_or(|ip| self.by_ip.check_key(&ip).is_ok());
        !waiting && ip_ok
    }

    /// A wrong password for this account from this address: the next try waits longer.
    fn failed(&self, username: &str, ip: Option<IpAddr>) {
        if let Ok(mut b) = self.backoff.lock() {
            if b.len() > 100_000 {
                b.retain(|_, (_, until)| Instant::now() < *until + BACKOFF_CAP);
            }
            let entry = b
                .entry((username.to_lowercase(), ip))
                .or_insert((0, Instant::now()));
            entry.0 += 1;
            let wait = if entry.0 < FREE_TRIES {
                Duration::ZERO
            } else {
                (Duration::from_millis(500) * 2u32.saturating_pow(entry.0 - FREE_TRIES))
                    .min(BACKOFF_CAP)
            };
            entry.1 = Instant::now() + wait;
        }
    }

    /// The right password: this account and address start again.
    fn succeeded(&self, username: &str, ip: Option<IpAddr>) {
        if let Ok(mut b) = self.backoff.lock() {
            b.remove(&(username.to_lowercase(), ip));
        }
    }
}

/// One account (its name as typed, lower case) from one address.
type BackoffKey = (String, Option<IpAddr>);

/// Wrong passwords for one account from one address before any wait.
const FREE_TRIES: u32 = 5;
/// The longest wait between tries for one account from one address.
pub const BACKOFF_CAP: Duration = Duration::from_secs(30);

/// The address a request came from, when the server knows it.
pub struct ClientIp(pub Option<IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientIp(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|c| c.0.ip()),
        ))
    }
}

pub use crate::actors::ActorCache;

/// What the session remembers about who is signed in.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct SessionAuth {
    user_id: UserId,
    hub_id: HubId,
    /// Unix seconds of the last request that refreshed the session.
    seen: i64,
    /// Unix seconds of signing in (0 for a session from before this was kept: it counts
    /// from its next request).
    #[serde(default)]
    started: i64,
    /// How the browser described itself at sign-in, cut short (for the account page).
    #[serde(default)]
    agent: Option<String>,
}

/// The session store reads who is signed in from this entry.
const AUTH_KEY: &str = alongside_store::sessions::AUTH_ENTRY;

/// The browser's description of itself, cut short, for a person's list of sessions.
pub fn user_agent(headers: &axum::http::HeaderMap) -> Option<String> {
    headers
        .get(axum::http::header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(|a| a.chars().filter(|c| !c.is_control()).take(200).collect())
}

/// A signed-in person, in the hub they are working in.
pub struct Viewer {
    pub actor: Actor,
    pub csrf: String,
    /// What the page says after a save (`?done=<code>`, in [`crate::notices`]).
    pub notice: Option<&'static str>,
}

impl Viewer {
    pub fn require(&self, cap: Capability) -> Result<(), AppError> {
        if self.actor.role().can(cap) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// The redirect after a save: to `path`, which then shows the success banner for
    /// `code` (see [`crate::notices`]).
    pub fn after_save(&self, path: &str, code: &str) -> axum::response::Response {
        use axum::response::IntoResponse;
        axum::response::Redirect::to(&crate::notices::sealed(path, code, &self.csrf))
            .into_response()
    }

    pub fn require_families(&self) -> Result<(), AppError> {
        if self.actor.role().sees_families() {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// The page furniture: who is signed in, the hub, the navigation.
    pub fn chrome(&self, active: &str, demo: bool) -> Chrome {
        let role = self.actor.role();
        let mut nav: Vec<(&'static str, &'static str)> = Vec::new();
        if role.can(Capability::HoldCaseload) {
            nav.push(("/caseload", "Caseload"));
        }
        if role.can(Capability::TriageReferrals) {
            nav.push(("/referrals", "Referrals"));
        }
        if role.sees_families() {
            nav.push(("/families", "Families"));
        }
        if role.can(Capability::CreateReferral) {
            nav.push(("/referrals/new", "New referral"));
        }
        if role.can(Capability::ReviewInformation) {
            nav.push(("/review", "Information to review"));
        }
        if role.can(Capability::SubmitIntelligence) || role.can(Capability::ReceiveIntelligence) {
            nav.push(("/intelligence", "Intelligence"));
        }
        if role.can(Capability::ReceiveAlerts) {
            nav.push(("/alerts", "Alerts"));
        }
        if role.can(Capability::ViewNetwork) {
            nav.push(("/network", "Network"));
        }
        if role.can(Capability::HandleHubEvidence) {
            nav.push(("/evidence", "Evidence"));
        }
        if role.can(Capability::ReadSharedProfiles) {
            nav.push(("/police/profiles", "Missing children"));
        }
        if role.can(Capability::ViewCapacity) {
            nav.push(("/capacity", "Capacity"));
        }
        if role.can(Capability::ManageUsers) {
            nav.push(("/admin/users", "Users"));
            nav.push(("/admin/bank-holidays", "Bank holidays"));
            nav.push(("/admin/unit-costs", "Unit costs"));
        }
        if role.can(Capability::ViewAuditLog) {
            nav.push(("/audit", "Audit log"));
        }
        let parent = role.can(Capability::UseParentPortal);
        if parent {
            // Neutral words: someone looking over a parent's shoulder learns little.
            nav.push(("/my", "Home"));
            nav.push(("/my/notes/new", "New note"));
            nav.push(("/my/incidents/new", "Something happened"));
            nav.push(("/my/account", "Your account"));
        } else {
            nav.push(("/account", "Account"));
        }
        Chrome {
            parent,
            user: self.actor.display_name().to_string(),
            role: role.label().to_string(),
            hub: self.actor.hub_name().to_string(),
            csrf: self.csrf.clone(),
            nav: nav
                .into_iter()
                .map(|(href, label)| NavItem {
                    href,
                    label,
                    active: href == active,
                })
                .collect(),
            demo,
            notice: self.notice,
            service: self.actor.service_name().to_string(),
        }
    }
}

pub struct NavItem {
    pub href: &'static str,
    pub label: &'static str,
    pub active: bool,
}

/// What the layout needs on every signed-in page.
pub struct Chrome {
    pub user: String,
    pub role: String,
    pub hub: String,
    pub csrf: String,
    pub nav: Vec<NavItem>,
    pub demo: bool,
    /// A parent or carer: the page carries Exit this page and neutral navigation.
    pub parent: bool,
    /// A success notification banner after a save.
    pub notice: Option<&'static str>,
    /// The service's name as this person sees it ("Alongside", or the hub's neutral name
    /// for its parents and carers).
    pub service: String,
}

impl FromRequestParts<AppState> for Viewer {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let next = parts
            .uri
            .path_and_query()
            .map(|p| p.to_string())
            .unwrap_or_default();
        let session = Session::from_request_parts(parts, state)
            .await
            .map_err(|(_, m)| AppError::Internal(m.to_string()))?;
        let auth: Option<SessionAuth> = session
            .get(AUTH_KEY)
            .await
            .map_err(|e| AppError::Internal(e.to_string()))?;
        let Some(mut auth) = auth else {
            return Err(AppError::LoginRequired { next });
        };
        let Some(actor) = state.actors.get(state, auth.user_id, auth.hub_id).await? else {
            // The account was disabled or removed from the hub: end the session.
            let _ = session.flush().await;
            return Err(AppError::LoginRequired { next });
        };
        if session.id().is_some_and(|id| {
            state
                .actors
                .is_ended(&alongside_store::session_id_hash(&id))
        }) {
            let _ = session.flush().await;
            return Err(AppError::LoginRequired { next });
        }
        let now = chrono::Utc::now().timestamp();
        // However busy, a session ends its lifetime after signing in (12 hours unless
        // set otherwise): a session taken over does not last for ever.
        if auth.started > 0 && now - auth.started > state.config.session_lifetime.as_secs() as i64 {
            let _ = session.flush().await;
            return Err(AppError::LoginRequired { next });
        }
        // Refresh the idle timer at most once a minute (or a tenth of the timeout, if
        // shorter), to keep writes down.
        let every = (state.config.idle_timeout.as_secs() as i64 / 10).clamp(0, 60);
        if now - auth.seen > every || auth.started == 0 {
            auth.seen = now;
            if auth.started == 0 {
                auth.started = now;
            }
            session
                .insert(AUTH_KEY, &auth)
                .await
                .map_err(|e| AppError::Internal(e.to_string()))?;
        }
        let csrf = csrf::token(&session).await?;
        let actor = actor.with_origin(origin_of(parts, &session));
        let notice = crate::notices::from_query(parts.uri.query(), &csrf);
        Ok(Viewer {
            actor,
            csrf,
            notice,
        })
    }
}

/// Where a request with a session came from, for its audit events.
pub fn origin_of(parts: &Parts, session: &Session) -> alongside_store::Origin {
    alongside_store::Origin {
        address: address_of(parts),
        session_ref: session
            .id()
            .map(|id| alongside_store::session_id_hash(&id)[..12].to_string()),
        token_id: None,
    }
}

/// The address a request came from, as audit events record it.
pub fn address_of(parts: &Parts) -> Option<String> {
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string())
}

/// The signed-in user behind a session, if any (for the JSON API).
pub async fn session_actor(session: &Session, state: &AppState) -> Result<Option<Actor>, AppError> {
    let auth: Option<SessionAuth> = session
        .get(AUTH_KEY)
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let ended = session.id().is_some_and(|id| {
        state
            .actors
            .is_ended(&alongside_store::session_id_hash(&id))
    });
    match auth {
        None => Ok(None),
        Some(_) if ended => Ok(None),
        Some(a)
            if a.started > 0
                && chrono::Utc::now().timestamp() - a.started
                    > state.config.session_lifetime.as_secs() as i64 =>
        {
            Ok(None)
        }
        Some(a) => state.actors.get(state, a.user_id, a.hub_id).await,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_local_paths_are_returned_to() {
        assert_eq!(super::safe_next("/families/3?x=1"), "/families/3?x=1");
        for bad in [
            "//evil.example",
            "/\t/evil.example",
            "/\\evil.example",
            "https://evil.example",
            "/\r\nx",
            "",
        ] {
            assert_eq!(super::safe_next(bad), "/", "{bad:?}");
        }
    }
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    form: FormView,
    csrf: String,
    next: String,
    throttled: bool,
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

/// Only a path on this site may be returned to after signing in.
fn safe_next(next: &str) -> String {
    // Browsers drop tabs and newlines from URLs and read `\` as `/`, so "/\t/x" or
    // "/\\x" would leave the site: refuse any of them.
    let local = next.starts_with('/')
        && !next.starts_with("//")
        && !next.contains(|c: char| c.is_control() || c == '\\');
    if local {
        next.to_string()
    } else {
        "/".to_string()
    }
}

pub async fn login_page(
    State(state): State<AppState>,
    session: Session,
    headers: axum::http::HeaderMap,
    Query(q): Query<NextQuery>,
) -> Result<Response, AppError> {
    if session
        .get::<SessionAuth>(AUTH_KEY)
        .await
        .ok()
        .flatten()
        .is_some()
    {
        return Ok(Redirect::to("/").into_response());
    }
    // No session until one is needed: the form's token is a signed double-submit cookie.
    let (token, cookie) = csrf::public_form(&headers, state.config.secure_cookies);
    let page = LoginPage {
        form: FormView::default(),
        csrf: token,
        next: safe_next(q.next.as_deref().unwrap_or("/")),
        throttled: false,
    };
    Ok(csrf::with_form_cookie(
        Html(page.render()?).into_response(),
        cookie,
    ))
}

pub async fn login(
    State(state): State<AppState>,
    session: Session,
    ClientIp(ip): ClientIp,
    headers: axum::http::HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let mut data = FormData::parse(&body);
    let username = data.get("username").trim().to_string();
    let password = data.get("password").to_string();
    let next = safe_next(data.get("next"));
    data.set("password", "");
    let mut errors = FieldErrors::new();
    if username.is_empty() {
        errors.add("username", "Enter your username");
    } else if let Some(message) =
        alongside_domain::validate::control_characters("Your username", &username)
    {
        errors.add("username", message);
    }
    if password.is_empty() {
        errors.add("password", "Enter your password");
    }
    let (form_token, form_cookie) = csrf::public_form(&headers, state.config.secure_cookies);
    let render =
        |form: FormView, throttled: bool, status: StatusCode| -> Result<Response, AppError> {
            let page = LoginPage {
                form,
                csrf: form_token.clone(),
                next: next.clone(),
                throttled,
            };
            Ok(csrf::with_form_cookie(
                (status, Html(page.render()?)).into_response(),
                form_cookie.clone(),
            ))
        };
    if !errors.is_empty() {
        return render(
            FormView::new(data, errors),
            false,
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    }
    if !state.limits.allow(&username, ip) {
        tracing::warn!("sign-in throttled");
        return render(
            FormView::new(data, errors),
            true,
            StatusCode::TOO_MANY_REQUESTS,
        );
    }
    let creds = state.store.credentials(&username).await?;
    let address = ip.map(|a| a.to_string());
    let verified = match &creds {
        Some(c) => verify_password(&c.password_hash, &password) && c.user.active,
        None => {
            let _ = verify_password(&DUMMY_HASH, &password);
            false
        }
    };
    let hubs = match (&creds, verified) {
        (Some(c), true) => state.store.user_hubs(c.user.id).await?,
        _ => Vec::new(),
    };
    let waiting = verified && creds.as_ref().is_some_and(|c| c.user.awaiting_approval);
    let (Some(creds), true, Some(first_hub), false) = (creds, verified, hubs.first(), waiting)
    else {
        if waiting {
            errors.add(
                "username",
                "Your account is waiting for a manager of your hub to approve it. Ask them to approve it, then sign in.",
            );
        } else if verified {
            errors.add("username", "Your account is not a member of any hub yet. Ask your administrator to add you to one.");
        } else {
            errors.add("username", "Enter a correct username and password");
            state.limits.failed(&username, ip);
            state
                .store
                .record_failed_sign_in(&username, address.as_deref(), chrono::Utc::now())
                .await?;
        }
        return render(FormView::new(data, errors), false, StatusCode::UNAUTHORIZED);
    };
    state.limits.succeeded(&username, ip);
    start_session(&session, creds.user.id, first_hub.id, user_agent(&headers)).await?;
    if let Some(actor) = state.store.actor(creds.user.id, first_hub.id).await? {
        let origin = alongside_store::Origin {
            address,
            session_ref: None,
            token_id: None,
        };
        state
            .store
            .record_audit(
                &actor.with_origin(origin),
                &alongside_store::AuditEvent::new(
                    AuditAction::SignIn,
                    AuditRecord::Session,
                    Some(creds.user.id.get()),
                    None,
                ),
            )
            .await?;
    }
    Ok(Redirect::to(&next).into_response())
}

/// Signs a person in on this session: a new session id (no fixation), a new CSRF token.
pub async fn start_session(
    session: &Session,
    user_id: UserId,
    hub_id: HubId,
    agent: Option<String>,
) -> Result<(), AppError> {
    session
        .cycle_id()
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let now = chrono::Utc::now().timestamp();
    let auth = SessionAuth {
        user_id,
        hub_id,
        seen: now,
        started: now,
        agent,
    };
    session
        .insert(AUTH_KEY, &auth)
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
    csrf::renew(session).await?;
    Ok(())
}

pub async fn logout(
    State(state): State<AppState>,
    session: Session,
    ClientIp(ip): ClientIp,
) -> Result<Response, AppError> {
    if let Ok(Some(auth)) = session.get::<SessionAuth>(AUTH_KEY).await {
        if let Some(actor) = state.actors.get(&state, auth.user_id, auth.hub_id).await? {
            let origin = alongside_store::Origin {
                address: ip.map(|a| a.to_string()),
                session_ref: session
                    .id()
                    .map(|id| alongside_store::session_id_hash(&id)[..12].to_string()),
                token_id: None,
            };
            state
                .store
                .record_audit(
                    &actor.with_origin(origin),
                    &alongside_store::AuditEvent::new(
                        AuditAction::SignOut,
                        AuditRecord::Session,
                        Some(auth.user_id.get()),
                        None,
                    ),
                )
                .await?;
        }
        state.actors.forget(auth.user_id);
    }
    session
        .flush()
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(Redirect::to("/login").into_response())
}

/// Moves a person who belongs to several hubs into another of them.
pub async fn switch_hub(
    State(state): State<AppState>,
    viewer: Viewer,
    session: Session,
    body: Bytes,
) -> Result<Response, AppError> {
    let data = FormData::parse(&body);
    let hub_id: HubId = data.get("hub_id").parse().map_err(|_| AppError::NotFound)?;
    if state
        .store
        .actor(viewer.actor.user_id(), hub_id)
        .await?
        .is_none()
    {
        return Err(AppError::NotFound);
    }
    let Some(mut auth) = session
        .get::<SessionAuth>(AUTH_KEY)
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
    else {
        return Err(AppError::NotFound);
    };
    auth.hub_id = hub_id;
    auth.seen = chrono::Utc::now().timestamp();
    session
        .insert(AUTH_KEY, &auth)
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(Redirect::to("/").into_response())
}

/// The hubs a viewer may switch to (for the account page).
pub async fn hubs_of(
    state: &AppState,
    viewer: &Viewer,
) -> Result<Vec<alongside_store::Hub>, AppError> {
    Ok(state.store.user_hubs(viewer.actor.user_id()).await?)
}

/// The label of a role code, for lists that hold codes.
pub fn role_label(code: &str) -> String {
    Role::parse(code)
        .map(|r| r.label().to_string())
        .unwrap_or_else(|| code.to_string())
}

/// The hash a personal API token is stored and looked up by.
pub fn token_hash(token: &str) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(token.as_bytes()))
}
