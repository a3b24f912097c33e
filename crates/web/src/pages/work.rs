//! A worker's caseload and the manager's view of capacity across workers.

use super::render;
use crate::auth::{Chrome, Viewer};
use crate::error::AppError;
use crate::AppState;
use alongside_domain::roles::Capability;
use alongside_store::{CapacityRow, CaseloadRow};
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use chrono::Utc;

#[derive(Template)]
#[template(path = "caseload.html")]
struct CaseloadPage {
    chrome: Chrome,
    rows: Vec<CaseloadRow>,
    overdue_families: usize,
}

pub async fn caseload(State(state): State<AppState>, viewer: Viewer) -> Result<Response, AppError> {
    viewer.require(Capability::HoldCaseload)?;
    let rows = state.store.caseload(&viewer.actor, Utc::now()).await?;
    render(&CaseloadPage {
        chrome: viewer.chrome("/caseload", state.config.demo),
        overdue_families: rows.iter().filter(|r| r.overdue > 0).count(),
        rows,
    })
}

#[derive(Template)]
#[template(path = "capacity.html")]
struct CapacityPage {
    chrome: Chrome,
    rows: Vec<CapacityRow>,
}

pub async fn capacity(State(state): State<AppState>, viewer: Viewer) -> Result<Response, AppError> {
    viewer.require(Capability::ViewCapacity)?;
    let rows = state.store.capacity(&viewer.actor).await?;
    render(&CapacityPage {
        chrome: viewer.chrome("/capacity", state.config.demo),
        rows,
    })
}
