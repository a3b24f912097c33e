//! Safety plans (issue 12): the support team makes and changes a child's plan with the
//! parents (`/families/{id}/plans/new`, `/plans/{id}/revise`); every version is kept and
//! what changed is shown (`/plans/{id}/versions/{n}`); the parents read their family's
//! plans on the portal (`/my/plans/{id}`) and say what they think in their own words,
//! which a worker may also write down for them.

use super::{parse_id, render, render_invalid, render_status, Face};
use crate::auth::{Chrome, Viewer};
use crate::error::AppError;
use crate::forms::{Choice, FormData, FormView, FromForm};
use crate::AppState;
use alongside_domain::clock::uk_today;
use alongside_domain::family::MemberRole;
use alongside_domain::ids::*;
use alongside_domain::plans::{
    NewPlanResponse, NewSafetyPlan, PlanContent, RawPlanResponse, RawSafetyPlan, Responsible,
    Revision, Stance, PLAN_ACTION_ROWS,
};
use alongside_domain::validate::{self as v, FieldErrors, SHORT_TEXT_MAX};
use alongside_domain::Code;
use alongside_store::{Difference, PlanVersion, SafetyPlanDetail, StoreError};
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{Datelike, Utc};

#[derive(Template)]
#[template(path = "plan_form.html")]
struct PlanFormPage {
    chrome: Chrome,
    family_id: FamilyId,
    family_name: String,
    /// Revising: the plan, its child's name, and the version the form was filled from.
    plan: Option<(SafetyPlanId, String, i64)>,
    children: Vec<Choice>,
    who: Vec<Choice>,
    rows: Vec<usize>,
    form: FormView,
}

impl PlanFormPage {
    fn action(&self) -> String {
        match &self.plan {
            Some((id, _, _)) => format!("/plans/{id}/revise"),
            None => format!("/families/{}/plans/new", self.family_id),
        }
    }
}

/// The form's fields of a version, so that a change starts from what is agreed.
fn form_of(c: &PlanContent) -> FormData {
    let mut d = FormData::default();
    let text = |t: &Option<String>| t.clone().unwrap_or_default();
    d.set("risks-people", text(&c.risks_people));
    d.set("risks-places", text(&c.risks_places));
    d.set("risks-online", text(&c.risks_online));
    d.set("risks-times", text(&c.risks_times));
    for (i, a) in c.actions.iter().enumerate() {
        let n = i + 1;
        d.set(&format!("action{n}-who"), a.who.code());
        d.set(
            &format!("action{n}-name"),
            a.name.clone().unwrap_or_default(),
        );
        d.set(
            &format!("action{n}-agency"),
            a.agency.clone().unwrap_or_default(),
        );
        d.set(&format!("action{n}-what"), a.what.clone());
    }
    d.set("agreed-contacts", text(&c.agreed_contacts));
    d.set("what-if", c.what_if.clone());
    d.set("review-day", c.review_on.day().to_string());
    d.set("review-month", c.review_on.month().to_string());
    d.set("review-year", c.review_on.year().to_string());
    d
}

/// Rows enough for what is there and a few more, at least [`PLAN_ACTION_ROWS`].
fn action_rows(form: &FormView) -> Vec<usize> {
    let filled = (1..=alongside_domain::plans::PLAN_ACTIONS_MAX)
        .filter(|n| {
            !form.value(&format!("action{n}-what")).is_empty()
                || !form.value(&format!("action{n}-who")).is_empty()
        })
        .max()
        .unwrap_or(0);
    (1..=(filled + 3).clamp(PLAN_ACTION_ROWS, alongside_domain::plans::PLAN_ACTIONS_MAX)).collect()
}

async fn form_page(
    state: &AppState,
    viewer: &Viewer,
    family_id: FamilyId,
    plan: Option<(SafetyPlanId, String, i64)>,
    form: FormView,
) -> Result<PlanFormPage, AppError> {
    let p = state.store.family_page(&viewer.actor, family_id).await?;
    let today = uk_today(Utc::now());
    let children = p
        .members
        .iter()
        .filter(|m| matches!(m.member_role, MemberRole::ChildAtRisk | MemberRole::Sibling))
        .map(|m| Choice {
            value: m.id.to_string(),
            label: match m.date_of_birth {
                Some(dob) => format!(
                    "{} ({})",
                    m.known_as.as_deref().unwrap_or(&m.given_name),
                    crate::fmt::age_on(dob, today)
                ),
                None => m.known_as.clone().unwrap_or_else(|| m.given_name.clone()),
            },
        })
        .collect();
    Ok(PlanFormPage {
        chrome: viewer.chrome("/families", state.config.demo),
        family_id,
        family_name: p.family.name,
        plan,
        children,
        who: Choice::all::<Responsible>(),
        rows: action_rows(&form),
        form,
    })
}

pub async fn new_form(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    viewer.require_families()?;
    let id = parse_id(&id)?;
    render(&form_page(&state, &viewer, id, None, FormView::default()).await?)
}

pub async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    viewer.require_families()?;
    let id = parse_id(&id)?;
    let data = FormData::parse(&body);
    let raw = RawSafetyPlan::from_form(&data);
    let mut errors = match NewSafetyPlan::parse(&raw, Revision::New, uk_today(Utc::now())) {
        Ok(new) => match state
            .store
            .add_safety_plan(&viewer.actor, id, &new, Utc::now())
            .await
        {
            Ok(plan) => return Ok(viewer.after_save(&format!("/plans/{plan}"), "plan-saved")),
            Err(StoreError::Conflict(r)) => {
                let mut e = FieldErrors::new();
                e.add("child", r.to_string());
                e
            }
            Err(other) => return Err(other.into()),
        },
        Err(e) => e,
    };
    errors
        .0
        .dedup_by(|a, b| a.field == b.field && a.message == b.message);
    render_invalid(&form_page(&state, &viewer, id, None, FormView::new(data, errors)).await?)
}

pub async fn revise_form(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    viewer.require_families()?;
    let id: SafetyPlanId = parse_id(&id)?;
    let d = state.store.safety_plan(&viewer.actor, id).await?;
    let form = FormView::new(form_of(&d.current().content), FieldErrors::new());
    let plan = Some((id, d.plan.child_name.clone(), d.plan.version));
    render(&form_page(&state, &viewer, d.plan.family_id, plan, form).await?)
}

pub async fn revise(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    viewer.require_families()?;
    let id: SafetyPlanId = parse_id(&id)?;
    let d = state.store.safety_plan(&viewer.actor, id).await?;
    let data = FormData::parse(&body);
    // The version the form was filled from. Without it, nothing says the change was made
    // from the plan as it is now: refused, and the form shown again from the current one.
    let read = data.get("read").parse::<i64>().ok();
    let raw = RawSafetyPlan::from_form(&data);
    let mut status = StatusCode::UNPROCESSABLE_ENTITY;
    let parsed = NewSafetyPlan::parse(&raw, Revision::Yes, uk_today(Utc::now()));
    let errors = match (parsed, read) {
        (Ok(_), None) => {
            let mut e = FieldErrors::new();
            e.add(
                "change-note",
                format!(
                    "The form did not say which version it was filled from: check what you typed against version {} of the plan, then save again",
                    d.plan.version
                ),
            );
            e
        }
        (Err(e), _) => e,
        (Ok(new), Some(read)) => match state
            .store
            .revise_safety_plan(&viewer.actor, id, read, &new, Utc::now())
            .await
        {
            Ok(n) => {
                return Ok(viewer.after_save(&format!("/plans/{id}/versions/{n}"), "plan-saved"))
            }
            Err(StoreError::Conflict(r)) => {
                status = StatusCode::CONFLICT;
                let mut e = FieldErrors::new();
                e.add(
                    "change-note",
                    format!("{r}: version {} is the plan now", d.plan.version),
                );
                e
            }
            Err(other) => return Err(other.into()),
        },
    };
    let plan = Some((
        id,
        d.plan.child_name.clone(),
        read.unwrap_or(d.plan.version),
    ));
    let page = form_page(
        &state,
        &viewer,
        d.plan.family_id,
        plan,
        FormView::new(data, errors),
    )
    .await?;
    render_status(status, &page)
}

#[derive(Template)]
#[template(path = "plan.html")]
struct PlanPage {
    chrome: Chrome,
    d: SafetyPlanDetail,
    /// The version shown, and what changed in it from the one before.
    shown: PlanVersion,
    changes: Vec<Difference>,
    overdue: bool,
    /// Shown to a parent or carer on the portal (no changing it, their own words).
    parent: bool,
    stances: Vec<Choice>,
    form: FormView,
}

impl PlanPage {
    fn base(&self) -> String {
        if self.parent {
            format!("/my/plans/{}", self.d.plan.id)
        } else {
            format!("/plans/{}", self.d.plan.id)
        }
    }
    fn is_current(&self) -> bool {
        self.shown.version == self.d.plan.version
    }
}

async fn plan_page(
    state: &AppState,
    viewer: &Viewer,
    id: &str,
    version: Option<&str>,
    parent: bool,
    form: FormView,
) -> Result<PlanPage, AppError> {
    let id: SafetyPlanId = parse_id(id)?;
    let d = state.store.safety_plan(&viewer.actor, id).await?;
    let n = match version {
        Some(v) => v.parse::<i64>().map_err(|_| AppError::NotFound)?,
        None => d.plan.version,
    };
    let shown = d.version(n).cloned().ok_or(AppError::NotFound)?;
    let changes = d.changes_in(n);
    let overdue = d.plan.review_on <= uk_today(Utc::now());
    Ok(PlanPage {
        chrome: viewer.chrome(if parent { "/my" } else { "/families" }, state.config.demo),
        d,
        shown,
        changes,
        overdue,
        parent,
        stances: Choice::all::<Stance>(),
        form,
    })
}

pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    face: Face,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    face.require(&viewer)?;
    let page = plan_page(
        &state,
        &viewer,
        &id,
        None,
        face.parent(),
        FormView::default(),
    );
    render(&page.await?)
}

pub async fn version(
    State(state): State<AppState>,
    viewer: Viewer,
    face: Face,
    Path((id, n)): Path<(String, String)>,
) -> Result<Response, AppError> {
    face.require(&viewer)?;
    let page = plan_page(
        &state,
        &viewer,
        &id,
        Some(&n),
        face.parent(),
        FormView::default(),
    );
    render(&page.await?)
}

/// Records what a parent or carer says of the plan: by the parent on the portal, or by a
/// worker writing down the parent's words (with whose words they are).
pub async fn respond(
    State(state): State<AppState>,
    viewer: Viewer,
    face: Face,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    face.require(&viewer)?;
    let (state, viewer, parent) = (&state, &viewer, face.parent());
    let data = FormData::parse(&body);
    let raw = RawPlanResponse {
        stance: data.get("stance").into(),
        words: data.get("words").into(),
    };
    let mut e = FieldErrors::new();
    let for_parent = if parent {
        None
    } else {
        Some(v::required_text(
            &mut e,
            "for-parent",
            "Whose words these are",
            data.get("for-parent"),
            SHORT_TEXT_MAX,
        ))
    };
    let new = NewPlanResponse::parse(&raw);
    if let Err(more) = &new {
        e.extend(more.clone());
    }
    let plan_id: SafetyPlanId = parse_id(&id)?;
    // The version the page showed; a form without one answers the plan as it is now.
    let version = match data.get("version") {
        "" => {
            state
                .store
                .safety_plan(&viewer.actor, plan_id)
                .await?
                .plan
                .version
        }
        v => v.parse::<i64>().map_err(|_| AppError::NotFound)?,
    };
    if let (Ok(new), true) = (&new, e.is_empty()) {
        state
            .store
            .respond_to_safety_plan(
                &viewer.actor,
                plan_id,
                version,
                for_parent.as_deref(),
                new,
                Utc::now(),
            )
            .await?;
        let back = if parent {
            format!("/my/plans/{plan_id}")
        } else {
            format!("/plans/{plan_id}")
        };
        return Ok(viewer.after_save(&back, "plan-response-saved"));
    }
    let n = version.to_string();
    let page = plan_page(state, viewer, &id, Some(&n), parent, FormView::new(data, e)).await?;
    render_invalid(&page)
}
