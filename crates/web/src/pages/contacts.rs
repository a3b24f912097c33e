//! A planned contact, later held or cancelled: what happened goes beside the plan and in
//! the chronology (recording a contact is on the family's pages, `families.rs`).

use super::families::family_name;
use super::{parse_id, render, render_invalid};
use crate::auth::{Chrome, Viewer};
use crate::error::AppError;
use crate::forms::{FormData, FormView};
use crate::AppState;
use alongside_domain::family::ContactStatus;
use alongside_domain::ids::*;
use alongside_domain::validate::{self as v, FieldErrors, LONG_TEXT_MAX};
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::response::Response;
use chrono::Utc;

#[derive(Template)]
#[template(path = "contact_close.html")]
struct ContactClosePage {
    chrome: Chrome,
    family_id: FamilyId,
    family_name: String,
    contact: alongside_store::Contact,
    form: FormView,
}

/// A planned contact of the family, by id; one that is not the family's, or is no
/// longer planned, is not found.
async fn planned_contact(
    state: &AppState,
    viewer: &Viewer,
    family: FamilyId,
    contact: &str,
) -> Result<alongside_store::Contact, AppError> {
    let contact: ContactId = parse_id(contact)?;
    state
        .store
        .contacts(&viewer.actor, family)
        .await?
        .into_iter()
        .find(|c| c.id == contact && c.status == ContactStatus::Planned)
        .ok_or(AppError::NotFound)
}

pub async fn contact_close_form(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, contact)): Path<(String, String)>,
) -> Result<Response, AppError> {
    viewer.require_families()?;
    let id = parse_id(&id)?;
    let contact = planned_contact(&state, &viewer, id, &contact).await?;
    render(&ContactClosePage {
        chrome: viewer.chrome("/families", state.config.demo),
        family_id: id,
        family_name: family_name(&state, &viewer, id).await?,
        contact,
        form: FormView::default(),
    })
}

pub async fn close_contact(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, contact)): Path<(String, String)>,
    body: Bytes,
) -> Result<Response, AppError> {
    viewer.require_families()?;
    let id = parse_id(&id)?;
    let contact = planned_contact(&state, &viewer, id, &contact).await?;
    let data = FormData::parse(&body);
    let mut e = FieldErrors::new();
    let outcome = match data.get("outcome") {
        "held" => Some(ContactStatus::Held),
        "cancelled" => Some(ContactStatus::Cancelled),
        _ => {
            e.add(
                "outcome",
                "Choose whether the contact was held or is cancelled",
            );
            None
        }
    };
    let note = v::required_text(
        &mut e,
        "note",
        if outcome == Some(ContactStatus::Cancelled) {
            "Why it was cancelled"
        } else {
            "What happened"
        },
        data.get("note"),
        LONG_TEXT_MAX,
    );
    if let (Some(outcome), true) = (outcome, e.is_empty()) {
        match state
            .store
            .close_planned_contact(&viewer.actor, id, contact.id, outcome, &note, Utc::now())
            .await
        {
            Ok(()) => return Ok(viewer.after_save(&format!("/families/{id}"), "contact-saved")),
            Err(alongside_store::StoreError::Conflict(m)) => e.add("outcome", m),
            Err(other) => return Err(other.into()),
        }
    }
    render_invalid(&ContactClosePage {
        chrome: viewer.chrome("/families", state.config.demo),
        family_id: id,
        family_name: family_name(&state, &viewer, id).await?,
        contact,
        form: FormView::new(data, e),
    })
}
