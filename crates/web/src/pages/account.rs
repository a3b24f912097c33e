//! A person's own account, and what an administrator does to one.
//!
//! Everyone: change their password, see their sessions and end any of them (a phone taken
//! by a person of concern can be signed out). Staff also keep personal API tokens and
//! switch hubs (`/account`); parents and carers see only the first part (`/my/account`),
//! with nothing that names the hub or the service's workings. Administrators disable and
//! enable accounts (sessions and tokens end at once), change roles (approved by a manager
//! as in M2) and make one-time password-reset codes, handed over like an invitation code;
//! `/reset` takes a code. Every step is audited by the store.

use super::{parse_id, render, render_invalid};
use crate::auth::{hash_password, verify_password, Chrome, Viewer};
use crate::error::AppError;
use crate::forms::{Choice, FormData, FormView};
use crate::AppState;
use alongside_domain::accounts::password;
use alongside_domain::accounts::{RoleChange, TokenScope};
use alongside_domain::ids::*;
use alongside_domain::roles::{Capability, Role};
use alongside_domain::validate::{self as v, FieldErrors};
use alongside_domain::Code;
use alongside_store::{ApiToken, Refusal, SessionInfo, StoreError, User};
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::Utc;
use rand::RngCore;
use serde::Deserialize;
use tower_sessions::Session;

/// A session as the account page lists it.
struct SessionView {
    id_hash: String,
    started: String,
    seen: String,
    agent: String,
    current: bool,
}

/// What both account pages show: the password form and the sessions.
struct Security {
    password_form: FormView,
    sessions: Vec<SessionView>,
    done: Option<&'static str>,
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    chrome: Chrome,
    tokens: Vec<ApiToken>,
    form: FormView,
    new_token: Option<String>,
    hubs: Vec<alongside_store::Hub>,
    hub_id: HubId,
    scopes: Vec<Choice>,
    security: Security,
}

#[derive(Template)]
#[template(path = "my_account.html")]
struct MyAccountPage {
    chrome: Chrome,
    security: Security,
}

#[derive(Deserialize, Default)]
pub struct Done {
    done: Option<String>,
}

fn done_message(done: &Done) -> Option<&'static str> {
    match done.done.as_deref() {
        Some("password") => Some("Your password is changed. Your other sessions have ended."),
        Some("sessions") => Some("Your other sessions have ended."),
        Some("session") => Some("That session has ended."),
        _ => None,
    }
}

/// The hash of this request's own session, to mark it and keep it.
fn current_session(session: &Session) -> Option<String> {
    session.id().map(|id| alongside_store::session_id_hash(&id))
}

async fn security(
    state: &AppState,
    viewer: &Viewer,
    session: &Session,
    password_form: FormView,
    done: Option<&'static str>,
) -> Result<Security, AppError> {
    let current = current_session(session);
    let when = |t: Option<chrono::DateTime<Utc>>| {
        t.map(|t| crate::fmt::utc_datetime(&t))
            .unwrap_or_else(|| "Not known".into())
    };
    let sessions = state
        .store
        .own_sessions(&viewer.actor, Utc::now().timestamp())
        .await?
        .into_iter()
        .map(|s: SessionInfo| SessionView {
            current: current.as_deref() == Some(s.id_hash.as_str()),
            started: when(s.started_at),
            seen: when(s.seen_at),
            agent: s
                .agent
                .map(|a| device(&a))
                .unwrap_or_else(|| "A browser".into()),
            id_hash: s.id_hash,
        })
        .collect();
    Ok(Security {
        password_form,
        sessions,
        done,
    })
}

/// A short name for the device a browser describes itself as.
fn device(agent: &str) -> String {
    let system = [
        ("iPhone", "an iPhone"),
        ("iPad", "an iPad"),
        ("Android", "Android"),
        ("Windows", "Windows"),
        ("Mac OS X", "a Mac"),
        ("CrOS", "a Chromebook"),
        ("Linux", "Linux"),
    ]
    .iter()
    .find(|(k, _)| agent.contains(k))
    .map(|(_, v)| *v);
    let browser = [
        ("Edg/", "Edge"),
        ("Firefox/", "Firefox"),
        ("Chrome/", "Chrome"),
        ("Safari/", "Safari"),
    ]
    .iter()
    .find(|(k, _)| agent.contains(k))
    .map(|(_, v)| *v);
    match (browser, system) {
        (Some(b), Some(s)) => format!("{b} on {s}"),
        (Some(b), None) => b.to_string(),
        (None, Some(s)) => format!("A browser on {s}"),
        (None, None) => "A browser or program".into(),
    }
}

async fn staff_page(
    state: &AppState,
    viewer: &Viewer,
    form: FormView,
    new_token: Option<String>,
    security: Security,
) -> Result<AccountPage, AppError> {
    Ok(AccountPage {
        chrome: viewer.chrome("/account", state.config.demo),
        tokens: state.store.api_tokens(&viewer.actor).await?,
        form,
        new_token,
        hubs: crate::auth::hubs_of(state, viewer).await?,
        hub_id: viewer.actor.hub_id(),
        scopes: Choice::all::<TokenScope>(),
        security,
    })
}

/// The page a person's own account is on, with the password form or sessions as given.
async fn own_page(
    state: &AppState,
    viewer: &Viewer,
    session: &Session,
    password_form: FormView,
    done: Option<&'static str>,
) -> Result<Response, AppError> {
    let invalid = password_form.has_errors();
    let sec = security(state, viewer, session, password_form, done).await?;
    fn shown<T: Template>(page: &T, invalid: bool) -> Result<Response, AppError> {
        if invalid {
            render_invalid(page)
        } else {
            render(page)
        }
    }
    if viewer.actor.role().can(Capability::UseParentPortal) {
        let page = MyAccountPage {
            chrome: viewer.chrome("/my/account", state.config.demo),
            security: sec,
        };
        shown(&page, invalid)
    } else {
        shown(
            &staff_page(state, viewer, FormView::default(), None, sec).await?,
            invalid,
        )
    }
}

/// Where a person's own account page is.
fn own_address(viewer: &Viewer) -> &'static str {
    if viewer.actor.role().can(Capability::UseParentPortal) {
        "/my/account"
    } else {
        "/account"
    }
}

/// A person's own account page: `/account` for staff, `/my/account` for parents and
/// carers (the route table decides who reaches which).
pub async fn account(
    State(state): State<AppState>,
    viewer: Viewer,
    session: Session,
    Query(done): Query<Done>,
) -> Result<Response, AppError> {
    own_page(
        &state,
        &viewer,
        &session,
        FormView::default(),
        done_message(&done),
    )
    .await
}

/// Changes the person's own password: the current one first, then the new one twice.
pub async fn change_password(
    State(state): State<AppState>,
    viewer: Viewer,
    session: Session,
    body: Bytes,
) -> Result<Response, AppError> {
    let mut data = FormData::parse(&body);
    let mut e = FieldErrors::new();
    let current = data.get("current-password").to_string();
    let creds = state.store.credentials(viewer.actor.username()).await?;
    let right = creds
        .as_ref()
        .is_some_and(|c| verify_password(&c.password_hash, &current));
    if current.is_empty() {
        e.add("current-password", "Enter your current password");
    } else if !right {
        e.add(
            "current-password",
            "That is not your current password: type it again",
        );
    }
    let new = password::check(
        &mut e,
        "new-password",
        data.get("new-password"),
        &[viewer.actor.username(), viewer.actor.display_name()],
    );
    if e.get("new-password").is_none() && password::normalise(data.get("confirm-password")) != new {
        e.add(
            "confirm-password",
            "The two new passwords do not match: type it again",
        );
    }
    for field in ["current-password", "new-password", "confirm-password"] {
        data.set(field, "");
    }
    if !e.is_empty() {
        return own_page(&state, &viewer, &session, FormView::new(data, e), None).await;
    }
    let hash = hash_password(&new).map_err(AppError::Internal)?;
    let ended = state
        .store
        .change_own_password(&viewer.actor, &hash, current_session(&session).as_deref())
        .await?;
    state
        .actors
        .end_sessions(&ended, state.config.session_lifetime);
    state.actors.forget(viewer.actor.user_id());
    Ok(Redirect::to(&format!("{}?done=password", own_address(&viewer))).into_response())
}

/// Ends one of the person's own sessions; ending this one signs them out.
pub async fn end_session(
    State(state): State<AppState>,
    viewer: Viewer,
    session: Session,
    Path(which): Path<String>,
) -> Result<Response, AppError> {
    if which.len() != 64 || !which.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(AppError::NotFound);
    }
    let ended = state
        .store
        .end_own_sessions(&viewer.actor, Some(&which), None)
        .await?;
    state
        .actors
        .end_sessions(&ended, state.config.session_lifetime);
    if current_session(&session).as_deref() == Some(which.as_str()) {
        let _ = session.flush().await;
        return Ok(Redirect::to("/login").into_response());
    }
    Ok(Redirect::to(&format!("{}?done=session", own_address(&viewer))).into_response())
}

/// Signs the person out everywhere but here.
pub async fn end_other_sessions(
    State(state): State<AppState>,
    viewer: Viewer,
    session: Session,
) -> Result<Response, AppError> {
    let ended = state
        .store
        .end_own_sessions(&viewer.actor, None, current_session(&session).as_deref())
        .await?;
    state
        .actors
        .end_sessions(&ended, state.config.session_lifetime);
    Ok(Redirect::to(&format!("{}?done=sessions", own_address(&viewer))).into_response())
}

// ---- personal API tokens (staff) ----

pub async fn create_token(
    State(state): State<AppState>,
    viewer: Viewer,
    session: Session,
    body: Bytes,
) -> Result<Response, AppError> {
    let data = FormData::parse(&body);
    let mut e = FieldErrors::new();
    let name = v::required_text(
        &mut e,
        "name",
        "A name for the token",
        data.get("name"),
        100,
    );
    // Read only unless asked: most programs only read.
    let scope = v::code::<TokenScope>(
        &mut e,
        "scope",
        "What the token may do",
        data.get("scope"),
        false,
    )
    .unwrap_or(TokenScope::Read);
    if !e.is_empty() {
        let sec = security(&state, &viewer, &session, FormView::default(), None).await?;
        return render_invalid(
            &staff_page(&state, &viewer, FormView::new(data, e), None, sec).await?,
        );
    }
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    let token = format!("alg_{}", hex::encode(bytes));
    state
        .store
        .create_api_token(
            &viewer.actor,
            &name,
            &crate::auth::token_hash(&token),
            Utc::now() + chrono::Duration::days(alongside_domain::accounts::TOKEN_LIFETIME_DAYS),
            scope,
        )
        .await?;
    let sec = security(&state, &viewer, &session, FormView::default(), None).await?;
    render(&staff_page(&state, &viewer, FormView::default(), Some(token), sec).await?)
}

pub async fn revoke_token(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    state.store.revoke_api_token(&viewer.actor, id).await?;
    Ok(Redirect::to("/account").into_response())
}

// ---- an administrator's page of one account ----

#[derive(Template)]
#[template(path = "user.html")]
struct UserPage {
    chrome: Chrome,
    user: User,
    form: FormView,
    roles: Vec<Choice>,
    reset_code: Option<(String, String)>,
    done: Option<String>,
    is_self: bool,
}

async fn user_page(
    state: &AppState,
    viewer: &Viewer,
    id: UserId,
    form: FormView,
    reset_code: Option<(String, String)>,
    done: Option<String>,
) -> Result<UserPage, AppError> {
    let user = state.store.hub_user(&viewer.actor, id).await?;
    Ok(UserPage {
        chrome: viewer.chrome("/admin/users", state.config.demo),
        is_self: user.id == viewer.actor.user_id(),
        roles: Choice::all::<Role>()
            .into_iter()
            .filter(|c| {
                c.value != Role::Administrator.code()
                    && c.value != Role::Parent.code()
                    && c.value != user.role.code()
            })
            .collect(),
        user,
        form,
        reset_code,
        done,
    })
}

pub async fn user(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(done): Query<Done>,
) -> Result<Response, AppError> {
    viewer.require(Capability::ManageUsers)?;
    let said = match done.done.as_deref() {
        Some("disabled") => Some("The account is disabled: its sessions and tokens have ended."),
        Some("enabled") => Some("The account is enabled again."),
        Some("role") => Some("The role is changed."),
        Some("role-requested") => {
            Some("The new role waits for a manager of the hub to approve it.")
        }
        _ => None,
    };
    render(
        &user_page(
            &state,
            &viewer,
            parse_id(&id)?,
            FormView::default(),
            None,
            said.map(String::from),
        )
        .await?,
    )
}

async fn set_active(
    state: AppState,
    viewer: Viewer,
    id: String,
    active: bool,
) -> Result<Response, AppError> {
    viewer.require(Capability::ManageUsers)?;
    let id: UserId = parse_id(&id)?;
    state
        .store
        .set_user_active(&viewer.actor, id, active, Utc::now())
        .await?;
    state.actors.forget(id);
    Ok(Redirect::to(&format!(
        "/admin/users/{id}?done={}",
        if active { "enabled" } else { "disabled" }
    ))
    .into_response())
}

pub async fn disable_user(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    set_active(state, viewer, id, false).await
}

pub async fn enable_user(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    set_active(state, viewer, id, true).await
}

pub async fn change_role(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    viewer.require(Capability::ManageUsers)?;
    let id: UserId = parse_id(&id)?;
    let data = FormData::parse(&body);
    let mut e = FieldErrors::new();
    let role = v::code::<Role>(&mut e, "role", "A role", data.get("role"), true);
    if let Some(role) = role {
        match state.store.change_role(&viewer.actor, id, role).await {
            Ok(change) => {
                state.actors.forget(id);
                let done = match change {
                    RoleChange::Now => "role",
                    RoleChange::ApprovedByAManager => "role-requested",
                };
                return Ok(Redirect::to(&format!("/admin/users/{id}?done={done}")).into_response());
            }
            Err(StoreError::Conflict(r @ Refusal::RoleChange(_))) => e.add("role", r.to_string()),
            Err(other) => return Err(other.into()),
        }
    }
    render_invalid(&user_page(&state, &viewer, id, FormView::new(data, e), None, None).await?)
}

/// The code's shape: 12 letters and digits in three groups, easy to read out.
pub fn new_code() -> String {
    const CHARS: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut bytes = [0u8; 12];
    rand::thread_rng().fill_bytes(&mut bytes);
    let raw: String = bytes
        .iter()
        .map(|b| CHARS[*b as usize % CHARS.len()] as char)
        .collect();
    format!("{}-{}-{}", &raw[..4], &raw[4..8], &raw[8..])
}

/// How a code typed back is compared: without spaces or dashes, in capitals.
pub fn code_hash(typed: &str) -> String {
    let plain: String = typed
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_uppercase();
    crate::auth::token_hash(&format!("reset:{plain}"))
}

pub async fn make_reset_code(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    viewer.require(Capability::ManageUsers)?;
    let id: UserId = parse_id(&id)?;
    let code = new_code();
    match state
        .store
        .create_reset_code(&viewer.actor, id, &code_hash(&code), Utc::now())
        .await
    {
        Ok(expires) => {
            let until = crate::fmt::utc_datetime(&expires);
            render(
                &user_page(
                    &state,
                    &viewer,
                    id,
                    FormView::default(),
                    Some((code, until)),
                    None,
                )
                .await?,
            )
        }
        Err(StoreError::Conflict(r @ Refusal::AccountDisabled)) => {
            let mut e = FieldErrors::new();
            e.add("reset", r.to_string());
            render_invalid(
                &user_page(
                    &state,
                    &viewer,
                    id,
                    FormView::new(FormData::default(), e),
                    None,
                    None,
                )
                .await?,
            )
        }
        Err(other) => Err(other.into()),
    }
}

// ---- taking a reset code (signed out) ----

#[derive(Template)]
#[template(path = "reset.html")]
struct ResetPage {
    form: FormView,
    csrf: String,
    done: bool,
}

pub async fn reset_form(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
) -> Result<Response, AppError> {
    // No session until one is needed: the form's token is a signed double-submit cookie.
    let (csrf, cookie) = crate::csrf::public_form(&headers, state.config.secure_cookies);
    let page = ResetPage {
        form: FormView::default(),
        csrf,
        done: false,
    };
    Ok(crate::csrf::with_form_cookie(
        Html(page.render()?).into_response(),
        cookie,
    ))
}

pub async fn reset(
    State(state): State<AppState>,
    crate::auth::ClientIp(ip): crate::auth::ClientIp,
    headers: axum::http::HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let mut data = FormData::parse(&body);
    let mut e = FieldErrors::new();
    let username = alongside_domain::accounts::username(&mut e, "username", data.get("username"));
    let code = v::required_text(&mut e, "code", "The reset code", data.get("code"), 40);
    let new = password::check(
        &mut e,
        "new-password",
        data.get("new-password"),
        &[&username],
    );
    if e.get("new-password").is_none() && password::normalise(data.get("confirm-password")) != new {
        e.add(
            "confirm-password",
            "The two new passwords do not match: type it again",
        );
    }
    data.set("new-password", "");
    data.set("confirm-password", "");
    let csrf = crate::csrf::public_form(&headers, state.config.secure_cookies).0;
    let again = |form: FormView, status: StatusCode| async move {
        let page = ResetPage {
            form,
            csrf,
            done: false,
        };
        Ok::<Response, AppError>((status, Html(page.render()?)).into_response())
    };
    // Codes tried from one address are slowed like joining: guessing is how they leak.
    if !state.limits.allow_reset(ip) {
        e.add(
            "code",
            "Too many tries from here in a short time: wait a few minutes, then try again",
        );
        return again(FormView::new(data, e), StatusCode::TOO_MANY_REQUESTS).await;
    }
    if !e.is_empty() {
        return again(FormView::new(data, e), StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let hash = hash_password(&new).map_err(AppError::Internal)?;
    match state
        .store
        .use_reset_code(&username, &code_hash(&code), &hash, Utc::now())
        .await
    {
        Ok((user, ended)) => {
            state.actors.forget(user);
            state
                .actors
                .end_sessions(&ended, state.config.session_lifetime);
            let page = ResetPage {
                form: FormView::default(),
                csrf: String::new(),
                done: true,
            };
            Ok(Html(page.render()?).into_response())
        }
        Err(StoreError::Conflict(r @ Refusal::ResetCodeUnknown)) => {
            e.add("code", r.to_string());
            again(FormView::new(data, e), StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(other) => Err(other.into()),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn devices_are_named_shortly_and_codes_compare_loosely() {
        assert_eq!(
            super::device("Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/126.0 Mobile Safari/537.36"),
            "Chrome on Android"
        );
        assert_eq!(super::device("curl/8.5"), "A browser or program");
        let code = super::new_code();
        assert_eq!(code.len(), 14);
        assert_eq!(
            super::code_hash(&code),
            super::code_hash(&code.to_lowercase().replace('-', " "))
        );
    }
}
