//! A worker's caseload and the manager's view of capacity across workers.

use super::{parse_id, render, render_invalid};
use crate::auth::{Chrome, Viewer};
use crate::error::AppError;
use crate::forms::{FormData, FormView};
use crate::AppState;
use alongside_domain::roles::Capability;
use alongside_domain::validate::{self as v, FieldErrors};
use alongside_store::{CapacityRow, CaseloadRow, CaseloadRules};
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::response::Response;
use chrono::Utc;

#[derive(Template)]
#[template(path = "caseload.html")]
struct CaseloadPage {
    chrome: Chrome,
    rows: Vec<CaseloadRow>,
    overdue_families: usize,
    reviews_due: Vec<alongside_store::PlanReviewDue>,
    missing: Vec<alongside_store::MissingAttention>,
    interviews: Vec<alongside_store::InterviewDue>,
    transitions: Vec<alongside_store::TransitionDue>,
    now: chrono::NaiveDateTime,
}

pub async fn caseload(State(state): State<AppState>, viewer: Viewer) -> Result<Response, AppError> {
    viewer.require(Capability::HoldCaseload)?;
    let rows = state.store.caseload(&viewer.actor, Utc::now()).await?;
    render(&CaseloadPage {
        chrome: viewer.chrome("/caseload", state.config.demo),
        overdue_families: rows.iter().filter(|r| r.overdue > 0).count(),
        rows,
        reviews_due: state
            .store
            .plan_reviews_due(&viewer.actor, alongside_domain::clock::uk_today(Utc::now()))
            .await?,
        missing: state
            .store
            .missing_attention(&viewer.actor, alongside_domain::clock::uk_today(Utc::now()))
            .await?,
        interviews: state.store.interviews_due(&viewer.actor).await?,
        transitions: state
            .store
            .transitions_due(&viewer.actor, alongside_domain::clock::uk_today(Utc::now()))
            .await?,
        now: alongside_domain::clock::uk_local(Utc::now()),
    })
}

#[derive(Template)]
#[template(path = "capacity.html")]
struct CapacityPage {
    chrome: Chrome,
    rows: Vec<CapacityRow>,
    rules: CaseloadRules,
    form: FormView,
    reviews_due: Vec<alongside_store::PlanReviewDue>,
    missing: Vec<alongside_store::MissingAttention>,
    interviews: Vec<alongside_store::InterviewDue>,
    transitions: Vec<alongside_store::TransitionDue>,
    now: chrono::NaiveDateTime,
}

async fn capacity_page(
    state: &AppState,
    viewer: &Viewer,
    form: Option<FormView>,
) -> Result<CapacityPage, AppError> {
    let rules = state.store.caseload_rules(&viewer.actor).await?;
    let form = form.unwrap_or_else(|| {
        FormView::new(
            FormData::from_pairs(&[
                ("limit", &rules.limit.to_string()),
                ("weight-high", &rules.weight_high.to_string()),
                ("weight-medium", &rules.weight_medium.to_string()),
                ("weight-low", &rules.weight_low.to_string()),
            ]),
            FieldErrors::new(),
        )
    });
    Ok(CapacityPage {
        chrome: viewer.chrome("/capacity", state.config.demo),
        rows: state.store.capacity(&viewer.actor).await?,
        rules,
        form,
        reviews_due: state
            .store
            .plan_reviews_due(&viewer.actor, alongside_domain::clock::uk_today(Utc::now()))
            .await?,
        missing: state
            .store
            .missing_attention(&viewer.actor, alongside_domain::clock::uk_today(Utc::now()))
            .await?,
        interviews: state.store.interviews_due(&viewer.actor).await?,
        transitions: state
            .store
            .transitions_due(&viewer.actor, alongside_domain::clock::uk_today(Utc::now()))
            .await?,
        now: alongside_domain::clock::uk_local(Utc::now()),
    })
}

pub async fn capacity(State(state): State<AppState>, viewer: Viewer) -> Result<Response, AppError> {
    viewer.require(Capability::ViewCapacity)?;
    render(&capacity_page(&state, &viewer, None).await?)
}

/// The hub's caseload limit and the weight of each threshold.
pub async fn capacity_settings(
    State(state): State<AppState>,
    viewer: Viewer,
    body: Bytes,
) -> Result<Response, AppError> {
    viewer.require(Capability::ViewCapacity)?;
    let data = FormData::parse(&body);
    let mut e = FieldErrors::new();
    let limit = v::number_in_range(
        &mut e,
        "limit",
        "The caseload limit",
        data.get("limit"),
        1..=500,
        true,
    );
    let high = v::number_in_range(
        &mut e,
        "weight-high",
        "The weight of a high threshold family",
        data.get("weight-high"),
        1..=10,
        true,
    );
    let medium = v::number_in_range(
        &mut e,
        "weight-medium",
        "The weight of a medium threshold family",
        data.get("weight-medium"),
        1..=10,
        true,
    );
    let low = v::number_in_range(
        &mut e,
        "weight-low",
        "The weight of a low threshold family",
        data.get("weight-low"),
        1..=10,
        true,
    );
    if let (Some(limit), Some(weight_high), Some(weight_medium), Some(weight_low), true) =
        (limit, high, medium, low, e.is_empty())
    {
        state
            .store
            .set_caseload_rules(
                &viewer.actor,
                &CaseloadRules {
                    limit,
                    weight_high,
                    weight_medium,
                    weight_low,
                },
            )
            .await?;
        return Ok(viewer.after_save("/capacity", "settings-saved"));
    }
    render_invalid(&capacity_page(&state, &viewer, Some(FormView::new(data, e))).await?)
}

#[derive(Template)]
#[template(path = "worker_caseload.html")]
struct WorkerPage {
    chrome: Chrome,
    worker: alongside_store::User,
    rows: Vec<CaseloadRow>,
}

/// One worker's families, for the manager.
pub async fn worker(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    viewer.require(Capability::ViewCapacity)?;
    let (worker, rows) = state
        .store
        .worker_caseload(&viewer.actor, parse_id(&id)?, Utc::now())
        .await?;
    render(&WorkerPage {
        chrome: viewer.chrome("/capacity", state.config.demo),
        worker,
        rows,
    })
}
