//! The alerts page: matches across families and hubs, and children not known to the hub,
//! for managers and police partners. Opening it marks the hub's alerts as seen.

use super::render;
use crate::auth::{Chrome, Viewer};
use crate::error::AppError;
use crate::AppState;
use alongside_domain::roles::Capability;
use alongside_store::AlertRow;
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use chrono::Utc;

#[derive(Template)]
#[template(path = "alerts.html")]
struct AlertsPage {
    chrome: Chrome,
    alerts: Vec<AlertRow>,
    sees_families: bool,
}

pub(crate) async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Result<Response, AppError> {
    viewer.require(Capability::ReceiveAlerts)?;
    let alerts = state.store.alerts(&viewer.actor, 500).await?;
    state
        .store
        .mark_alerts_seen(&viewer.actor, Utc::now())
        .await?;
    render(&AlertsPage {
        chrome: viewer.chrome("/alerts", state.config.demo),
        sees_families: viewer.actor.role().sees_families(),
        alerts,
    })
}

/// Where an alert's record is, for a link.
pub fn record_link(
    source_type: &Option<String>,
    id: &Option<i64>,
    family: &Option<alongside_domain::ids::FamilyId>,
) -> Option<String> {
    match (source_type.as_deref(), id, family) {
        (Some("entry"), Some(id), _) => Some(format!("/information/{id}")),
        (Some("incident"), _, Some(f)) => Some(format!("/families/{f}/incidents")),
        _ => None,
    }
}
