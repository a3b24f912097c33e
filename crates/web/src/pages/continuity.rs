//! Continuity and closure (issue 12): the family's workers over time and a manager
//! changing them (`/families/{id}/workers`); a handover summary for the worker who takes
//! a family on, drawn from the record so the family does not tell its story again
//! (`/families/{id}/handover`); closing a case by a manager's decision, with the reason,
//! the parent's view and a step-down plan, and reopening it (`/families/{id}/closure`).

use super::{parse_id, render, render_invalid};
use crate::auth::{Chrome, Viewer};
use crate::error::AppError;
use crate::forms::{Choice, FormData, FormView};
use crate::AppState;
use alongside_domain::continuity::{reopen_reason, Closure, RawClosure};
use alongside_domain::ids::{FamilyId, UserId};
use alongside_domain::roles::{Capability, Role};
use alongside_domain::validate::{self as v, FieldErrors, LONG_TEXT_MAX};
use alongside_domain::Code;
use alongside_store::{FamilyContinuity, FamilyPage, StoreError};
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::response::Response;
use chrono::Utc;

#[derive(Template)]
#[template(path = "workers.html")]
struct WorkersPage {
    chrome: Chrome,
    p: FamilyPage,
    c: FamilyContinuity,
    can_change: bool,
    plos: Vec<Choice>,
    csws: Vec<Choice>,
    form: FormView,
}

fn choices(users: Vec<alongside_store::User>) -> Vec<Choice> {
    users
        .into_iter()
        .map(|u| Choice {
            value: u.id.to_string(),
            label: u.display_name,
        })
        .collect()
}

async fn workers_page(
    state: &AppState,
    viewer: &Viewer,
    id: FamilyId,
    form: Option<FormView>,
) -> Result<WorkersPage, AppError> {
    let p = state.store.family_page(&viewer.actor, id).await?;
    let c = state.store.continuity(&viewer.actor, id).await?;
    let can_change = viewer.actor.role().can(Capability::CloseCases);
    let (plos, csws) = if can_change {
        (
            choices(state.store.hub_workers(&viewer.actor, Role::Plo).await?),
            choices(state.store.hub_workers(&viewer.actor, Role::Csw).await?),
        )
    } else {
        (Vec::new(), Vec::new())
    };
    let form = form.unwrap_or_else(|| {
        let mut d = FormData::default();
        d.set(
            "plo",
            p.family
                .lead_plo_id
                .map(|u| u.to_string())
                .unwrap_or_default(),
        );
        d.set(
            "csw",
            p.family.csw_id.map(|u| u.to_string()).unwrap_or_default(),
        );
        FormView::new(d, FieldErrors::new())
    });
    Ok(WorkersPage {
        chrome: viewer.chrome("/families", state.config.demo),
        p,
        c,
        can_change,
        plos,
        csws,
        form,
    })
}

pub async fn workers(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    viewer.require_families()?;
    render(&workers_page(&state, &viewer, parse_id(&id)?, None).await?)
}

pub async fn reallocate(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    viewer.require(Capability::CloseCases)?;
    let id: FamilyId = parse_id(&id)?;
    let data = FormData::parse(&body);
    let mut e = FieldErrors::new();
    let plo = v::chosen_id::<UserId>(&mut e, "plo", "the Parent Liaison Officer", data.get("plo"));
    if plo.is_none() && e.get("plo").is_none() {
        e.add(
            "plo",
            "Select the Parent Liaison Officer who leads the work with the family",
        );
    }
    let csw = v::chosen_id::<UserId>(&mut e, "csw", "the Child Support Worker", data.get("csw"));
    let reason = v::required_text(
        &mut e,
        "reason",
        "Why the workers are changing",
        data.get("reason"),
        LONG_TEXT_MAX,
    );
    if let (Some(plo), true) = (plo, e.is_empty()) {
        match state
            .store
            .reallocate(&viewer.actor, id, plo, csw, &reason, Utc::now())
            .await
        {
            Ok(()) => {
                return Ok(viewer.after_save(&format!("/families/{id}/handover"), "workers-changed"))
            }
            Err(StoreError::Conflict(r)) => e.add("plo", r.to_string()),
            Err(other) => return Err(other.into()),
        }
    }
    render_invalid(&workers_page(&state, &viewer, id, Some(FormView::new(data, e))).await?)
}

#[derive(Template)]
#[template(path = "handover.html")]
struct HandoverPage {
    chrome: Chrome,
    p: FamilyPage,
    c: FamilyContinuity,
    plans: Vec<alongside_store::SafetyPlanRow>,
    profiles: Vec<alongside_store::ProfileRow>,
    today: chrono::NaiveDate,
}

/// What a worker taking the family on reads first: who the family are in their own
/// words, who has worked with them, the plans and what is planned, and the latest of the
/// chronology, each linking to the whole record.
pub async fn handover(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    viewer.require_families()?;
    let id: FamilyId = parse_id(&id)?;
    render(&HandoverPage {
        chrome: viewer.chrome("/families", state.config.demo),
        p: state.store.family_page(&viewer.actor, id).await?,
        c: state.store.continuity(&viewer.actor, id).await?,
        plans: state.store.safety_plans(&viewer.actor, Some(id)).await?,
        profiles: state
            .store
            .missing_profiles(&viewer.actor, Some(id))
            .await?,
        today: alongside_domain::clock::uk_today(Utc::now()),
    })
}

#[derive(Template)]
#[template(path = "closure.html")]
struct ClosurePage {
    chrome: Chrome,
    p: FamilyPage,
    c: FamilyContinuity,
    can_close: bool,
    form: FormView,
}

async fn closure_page(
    state: &AppState,
    viewer: &Viewer,
    id: FamilyId,
    form: FormView,
) -> Result<ClosurePage, AppError> {
    Ok(ClosurePage {
        chrome: viewer.chrome("/families", state.config.demo),
        p: state.store.family_page(&viewer.actor, id).await?,
        c: state.store.continuity(&viewer.actor, id).await?,
        can_close: viewer.actor.role().can(Capability::CloseCases),
        form,
    })
}

pub async fn closure(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    viewer.require_families()?;
    render(&closure_page(&state, &viewer, parse_id(&id)?, FormView::default()).await?)
}

pub async fn close(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    viewer.require(Capability::CloseCases)?;
    let id: FamilyId = parse_id(&id)?;
    let data = FormData::parse(&body);
    let raw = RawClosure {
        reason: data.get("reason").into(),
        parent_view: data.get("parent-view").into(),
        step_down: data.get("step-down").into(),
    };
    let errors = match Closure::parse(&raw) {
        Ok(c) => match state
            .store
            .close_case(&viewer.actor, id, &c, Utc::now())
            .await
        {
            Ok(()) => {
                return Ok(viewer.after_save(&format!("/families/{id}/closure"), "case-closed"))
            }
            Err(StoreError::Conflict(r)) => {
                let mut e = FieldErrors::new();
                e.add("reason", r.to_string());
                e
            }
            Err(other) => return Err(other.into()),
        },
        Err(e) => e,
    };
    render_invalid(&closure_page(&state, &viewer, id, FormView::new(data, errors)).await?)
}

pub async fn reopen(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    viewer.require(Capability::CloseCases)?;
    let id: FamilyId = parse_id(&id)?;
    let data = FormData::parse(&body);
    let errors = match reopen_reason(data.get("reopen-reason")) {
        Ok(r) => match state
            .store
            .reopen_case(&viewer.actor, id, &r, Utc::now())
            .await
        {
            Ok(()) => return Ok(viewer.after_save(&format!("/families/{id}"), "case-reopened")),
            Err(StoreError::Conflict(r)) => {
                let mut e = FieldErrors::new();
                e.add("reopen-reason", r.to_string());
                e
            }
            Err(other) => return Err(other.into()),
        },
        Err(e) => e,
    };
    render_invalid(&closure_page(&state, &viewer, id, FormView::new(data, errors)).await?)
}
