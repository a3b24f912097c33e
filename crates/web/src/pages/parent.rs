//! The parent portal: a PLO invites a parent or carer of a family they hold; the parent
//! joins with the one-time code and a password of their own; then they see their own
//! notes and what became of them, log what they notice and threats against the family,
//! and find support. Every parent page carries Exit this page and a neutral title, and
//! `/exit` ends the session before leaving, so Back cannot bring the page back.

use super::information::{self, LogPlace};
use super::{parse_id, render, render_invalid};
use crate::auth::{self, Chrome, Viewer};
use crate::error::AppError;
use crate::forms::{Choice, FormData, FormView};
use crate::AppState;
use alongside_domain::clock::uk_local;
use alongside_domain::family::MemberRole;
use alongside_domain::ids::*;
use alongside_domain::information::{
    entry_progress_for_parent, IncidentKind, SUPPORT_ORGANISATIONS,
};
use alongside_domain::roles::Capability;
use alongside_domain::validate::{self as v, FieldErrors, SHORT_TEXT_MAX};
use alongside_store::StoreError;
use alongside_store::{Acceptance, EntryDetail, Invitation, NewInvitation, ParentHome};
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Multipart, Path, RawQuery, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use tower_sessions::Session;

/// Where Exit this page goes: an ordinary site that gives nothing away.
pub const NEUTRAL_SITE: &str = "https://www.bbc.co.uk/weather";

// ---- invitations (the PLO's side) ----

#[derive(Template)]
#[template(path = "invitations.html")]
struct InvitationsPage {
    chrome: Chrome,
    family_id: FamilyId,
    family_name: String,
    carers: Vec<Choice>,
    invitations: Vec<(Invitation, &'static str)>,
    form: FormView,
    /// Just made: the code, shown this once.
    created: Option<(String, String)>,
    /// Where the parent goes to join ("https://…/join").
    join_url: String,
}

async fn invitations_page(
    state: &AppState,
    viewer: &Viewer,
    family_id: FamilyId,
    form: FormView,
    created: Option<(String, String)>,
) -> Result<InvitationsPage, AppError> {
    let p = state.store.family_page(&viewer.actor, family_id).await?;
    let list = state.store.invitations(&viewer.actor, family_id).await?;
    let now = Utc::now();
    Ok(InvitationsPage {
        chrome: viewer.chrome("/families", state.config.demo),
        join_url: format!("{}/join", state.config.public_url),
        family_id,
        family_name: p.family.name,
        carers: p
            .members
            .iter()
            .filter(|m| m.member_role == MemberRole::ParentCarer)
            .map(|m| Choice {
                value: m.id.to_string(),
                label: format!("{} {}", m.given_name, m.family_name),
            })
            .collect(),
        invitations: list
            .into_iter()
            .map(|i| {
                let s = i.state(now);
                (i, s)
            })
            .collect(),
        form,
        created,
    })
}

pub(crate) async fn invitations(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    viewer.require(Capability::InviteParents)?;
    let id = parse_id(&id)?;
    render(&invitations_page(&state, &viewer, id, FormView::default(), None).await?)
}

pub(crate) async fn invite(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    viewer.require(Capability::InviteParents)?;
    let id = parse_id(&id)?;
    let data = FormData::parse(&body);
    let mut e = FieldErrors::new();
    let member = data.get("member");
    let member_id = if member.is_empty() {
        None
    } else {
        member.parse::<MemberId>().ok()
    };
    if !member.is_empty() && member_id.is_none() {
        e.add("member", "Choose a parent or carer of this family");
    }
    let name = v::optional_text(
        &mut e,
        "name",
        "Their name",
        data.get("name"),
        SHORT_TEXT_MAX,
    );
    let page = invitations_page(&state, &viewer, id, FormView::default(), None).await?;
    let display_name = match (member_id, name) {
        (_, Some(n)) => Some(n),
        (Some(m), None) => page
            .carers
            .iter()
            .find(|c| c.value == m.to_string())
            .map(|c| c.label.clone()),
        (None, None) => None,
    };
    if display_name.is_none() && e.is_empty() {
        e.add(
            "member",
            "Choose the parent or carer to invite, or enter their name",
        );
    }
    if let (Some(display_name), true) = (display_name, e.is_empty()) {
        match state
            .store
            .create_invitation(
                &viewer.actor,
                id,
                &NewInvitation::new(member_id, display_name.clone()),
                Utc::now(),
            )
            .await
        {
            Ok(created) => {
                let page = invitations_page(
                    &state,
                    &viewer,
                    id,
                    FormView::default(),
                    Some((display_name, created.code)),
                )
                .await?;
                return render(&page);
            }
            Err(StoreError::Conflict(msg)) => e.add("member", msg),
            Err(other) => return Err(other.into()),
        }
    }
    let page = InvitationsPage {
        form: FormView::new(data, e),
        ..page
    };
    render_invalid(&page)
}

pub(crate) async fn withdraw(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, inv)): Path<(String, String)>,
) -> Result<Response, AppError> {
    viewer.require(Capability::InviteParents)?;
    let (id, inv) = (parse_id(&id)?, parse_id(&inv)?);
    state
        .store
        .withdraw_invitation(&viewer.actor, id, inv, Utc::now())
        .await?;
    Ok(viewer.after_save(
        &format!("/families/{id}/invitations"),
        "invitation-withdrawn",
    ))
}

// ---- joining (the parent's side, before they have an account) ----

#[derive(Template)]
#[template(path = "join.html")]
struct JoinPage {
    csrf: String,
    form: FormView,
}

pub(crate) async fn join_form(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
    RawQuery(q): RawQuery,
) -> Result<Response, AppError> {
    let q = FormData::parse(q.unwrap_or_default().as_bytes());
    let data = FormData::from_pairs(&[("code", q.get("code"))]);
    // No session until one is needed: the form's token is a signed double-submit cookie.
    let (csrf, cookie) = crate::csrf::public_form(&headers, state.config.secure_cookies);
    Ok(crate::csrf::with_form_cookie(
        render(&JoinPage {
            csrf,
            form: FormView::new(data, FieldErrors::new()),
        })?,
        cookie,
    ))
}

pub(crate) async fn join(
    State(state): State<AppState>,
    session: Session,
    crate::auth::ClientIp(ip): crate::auth::ClientIp,
    headers: axum::http::HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let mut data = FormData::parse(&body);
    if !state.limits.allow_join(ip) {
        tracing::warn!("joining throttled");
        let mut e = FieldErrors::new();
        e.add(
            "code",
            "Too many tries from here in a short time: wait a minute, then try again",
        );
        data.set("password", "");
        data.set("confirm", "");
        return Ok((
            axum::http::StatusCode::TOO_MANY_REQUESTS,
            render_invalid(&JoinPage {
                csrf: crate::csrf::public_form(&headers, state.config.secure_cookies).0,
                form: FormView::new(data, e),
            })?,
        )
            .into_response());
    }
    let mut e = FieldErrors::new();
    let code = v::required_text(&mut e, "code", "The invitation code", data.get("code"), 40);
    let username = alongside_domain::accounts::username(&mut e, "username", data.get("username"));
    let password = alongside_domain::accounts::password::check(
        &mut e,
        "password",
        data.get("password"),
        &[&username],
    );
    if e.get("password").is_none()
        && alongside_domain::accounts::password::normalise(data.get("confirm")) != password
    {
        e.add("confirm", "The two passwords do not match: type it again");
    }
    // Passwords are never sent back to the page.
    data.set("password", "");
    data.set("confirm", "");
    if e.get("code").is_none() {
        if let Err(StoreError::Conflict(msg)) =
            state.store.invitation_usable(&code, Utc::now()).await
        {
            e.add("code", msg);
        }
    }
    if e.is_empty() {
        let hash = crate::auth::hash_password(&password).map_err(AppError::Internal)?;
        match state
            .store
            .accept_invitation(
                &Acceptance::new(code.clone(), username.clone(), hash),
                Utc::now(),
            )
            .await
        {
            Ok(user) => {
                let hub = state
                    .store
                    .user_hubs(user.id)
                    .await?
                    .first()
                    .map(|h| h.id)
                    .ok_or(AppError::NotFound)?;
                auth::start_session(&session, user.id, hub, auth::user_agent(&headers)).await?;
                return Ok(Redirect::to("/my").into_response());
            }
            Err(StoreError::Conflict(msg)) if msg.is_username() => {
                tracing::warn!("a username was refused when joining");
                e.add("username", msg)
            }
            Err(StoreError::Conflict(msg)) => e.add("code", msg),
            Err(other) => return Err(other.into()),
        }
    }
    render_invalid(&JoinPage {
        csrf: crate::csrf::public_form(&headers, state.config.secure_cookies).0,
        form: FormView::new(data, e),
    })
}

/// Exit this page: the session ends first, then the browser goes to an ordinary site.
pub(crate) async fn exit(State(state): State<AppState>, session: Session) -> Response {
    if let Ok(Some(actor)) = auth::session_actor(&session, &state).await {
        state.actors.forget(actor.user_id());
    }
    let _ = session.flush().await;
    Redirect::to(NEUTRAL_SITE).into_response()
}

// ---- the parent's own pages ----

/// One thing the parent shared, with its progress in plain words.
pub struct ParentNote {
    pub id: EntryId,
    pub opening: String,
    pub shared_on: String,
    pub progress: &'static str,
    pub reason: Option<String>,
    pub last_news: String,
}

#[derive(Template)]
#[template(path = "my_home.html")]
struct HomePage {
    chrome: Chrome,
    home: ParentHome,
    notes: Vec<ParentNote>,
    organisations: &'static [(&'static str, &'static str, &'static str)],
    saved: bool,
    plans: Vec<alongside_store::SafetyPlanRow>,
    profiles: Vec<alongside_store::ProfileRow>,
}

fn notes(home: &ParentHome) -> Vec<ParentNote> {
    home.entries
        .iter()
        .map(|e| {
            let last = [
                Some(e.created_at),
                e.reviewed_at,
                e.submitted_at,
                e.acknowledged_at,
                e.outcome_at,
            ]
            .into_iter()
            .flatten()
            .max()
            .unwrap_or(e.created_at);
            ParentNote {
                id: e.id,
                opening: information::opening(&e.what),
                shared_on: crate::fmt::utc_date(&e.created_at),
                progress: entry_progress_for_parent(e.status, e.submission_status, e.outcome),
                reason: e.review_reason.clone().filter(|_| e.outcome.is_none()),
                last_news: crate::fmt::utc_date(&last),
            }
        })
        .collect()
}

pub(crate) async fn home(
    State(state): State<AppState>,
    viewer: Viewer,
    RawQuery(q): RawQuery,
) -> Result<Response, AppError> {
    viewer.require(Capability::UseParentPortal)?;
    let home = state.store.parent_home(&viewer.actor).await?;
    render(&HomePage {
        chrome: viewer.chrome("/my", state.config.demo),
        notes: notes(&home),
        home,
        organisations: SUPPORT_ORGANISATIONS,
        saved: q.as_deref() == Some("saved=1"),
        plans: state.store.safety_plans(&viewer.actor, None).await?,
        profiles: state.store.missing_profiles(&viewer.actor, None).await?,
    })
}

pub(crate) async fn note_form(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Result<Response, AppError> {
    viewer.require(Capability::UseParentPortal)?;
    information::show_new_form(&state, &viewer, LogPlace::Parent).await
}

pub(crate) async fn note_create(
    State(state): State<AppState>,
    viewer: Viewer,
    form: Multipart,
) -> Result<Response, AppError> {
    viewer.require(Capability::UseParentPortal)?;
    information::save_new(&state, &viewer, LogPlace::Parent, form).await
}

#[derive(Template)]
#[template(path = "my_note.html")]
struct NotePage {
    chrome: Chrome,
    e: EntryDetail,
    progress: &'static str,
    saved: bool,
}

pub(crate) async fn note(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> Result<Response, AppError> {
    viewer.require(Capability::UseParentPortal)?;
    let e = state.store.entry(&viewer.actor, parse_id(&id)?).await?;
    render(&NotePage {
        chrome: viewer.chrome("/my", state.config.demo),
        progress: entry_progress_for_parent(e.row.status, e.submission_status, e.outcome),
        e,
        saved: q.as_deref() == Some("saved=1"),
    })
}

pub(crate) async fn note_check_form(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    viewer.require(Capability::UseParentPortal)?;
    information::show_check(&state, &viewer, information::Side::Parent, parse_id(&id)?).await
}

pub(crate) async fn note_check(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    viewer.require(Capability::UseParentPortal)?;
    information::save_check(
        &state,
        &viewer,
        information::Side::Parent,
        parse_id(&id)?,
        &body,
    )
    .await
}

#[derive(Template)]
#[template(path = "my_incident_new.html")]
struct IncidentPage {
    chrome: Chrome,
    form: FormView,
    kinds: Vec<Choice>,
}

pub(crate) async fn incident_form(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Result<Response, AppError> {
    viewer.require(Capability::UseParentPortal)?;
    render(&IncidentPage {
        chrome: viewer.chrome("/my/incidents/new", state.config.demo),
        form: FormView::default(),
        kinds: Choice::all::<IncidentKind>(),
    })
}

pub(crate) async fn incident_create(
    State(state): State<AppState>,
    viewer: Viewer,
    body: Bytes,
) -> Result<Response, AppError> {
    viewer.require(Capability::UseParentPortal)?;
    let data = FormData::parse(&body);
    match alongside_domain::information::NewIncident::parse(
        &<alongside_domain::information::RawIncident as crate::forms::FromForm>::from_form(&data),
        uk_local(Utc::now()),
    ) {
        Ok(new) => {
            crate::record::incident(&state, &viewer.actor, None, &new).await?;
            Ok(Redirect::to("/my?saved=1").into_response())
        }
        Err(errors) => render_invalid(&IncidentPage {
            chrome: viewer.chrome("/my/incidents/new", state.config.demo),
            form: FormView::new(data, errors),
            kinds: Choice::all::<IncidentKind>(),
        }),
    }
}
