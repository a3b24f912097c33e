//! Where a child lives, and growing up (issue 12): the placement history with, while a
//! child is away from home, the contact arrangements and the plan for coming home
//! (`/children/{id}/placements`, read by the parents at `/my/children/{id}/placements`);
//! and the transition reviews at 16 and 18 (support goes on: nothing closes by itself).

use super::{parse_id, render, render_invalid, Face};
use crate::auth::{Chrome, Viewer};
use crate::error::AppError;
use crate::forms::{Choice, FormData, FormView};
use crate::AppState;
use alongside_domain::clock::uk_today;
use alongside_domain::ids::MemberId;
use alongside_domain::placements::{
    NewPlacement, PlacementKind, RawPlacement, RawTransitionReview, TransitionReview,
};
use alongside_domain::validate::FieldErrors;
use alongside_domain::Code;
use alongside_store::{ChildPlacements, StoreError};
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::response::Response;
use chrono::Utc;

#[derive(Template)]
#[template(path = "placements.html")]
struct PlacementsPage {
    chrome: Chrome,
    c: ChildPlacements,
    face: Face,
    kinds: Vec<Choice>,
    due: Option<u32>,
    form: FormView,
    review_form: FormView,
}

async fn page(
    state: &AppState,
    viewer: &Viewer,
    face: Face,
    child: MemberId,
    form: FormView,
    review_form: FormView,
) -> Result<PlacementsPage, AppError> {
    let c = state.store.child_placements(&viewer.actor, child).await?;
    let due = c.transition_due(uk_today(Utc::now()));
    Ok(PlacementsPage {
        chrome: viewer.chrome(face.nav(), state.config.demo),
        c,
        face,
        kinds: Choice::all::<PlacementKind>(),
        due,
        form,
        review_form,
    })
}

pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    face: Face,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    face.require(&viewer)?;
    let child = parse_id(&id)?;
    let page = page(
        &state,
        &viewer,
        face,
        child,
        FormView::default(),
        FormView::default(),
    );
    render(&page.await?)
}

pub async fn add(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    viewer.require_families()?;
    let child: MemberId = parse_id(&id)?;
    let data = FormData::parse(&body);
    let raw = RawPlacement {
        kind: data.get("kind").into(),
        from: super::validate::form_date(&data, "from"),
        place: data.get("place").into(),
        contact: data.get("contact").into(),
        exit_plan: data.get("exit-plan").into(),
    };
    let c = state.store.child_placements(&viewer.actor, child).await?;
    let today = uk_today(Utc::now());
    let errors = match NewPlacement::parse(&raw, today, c.child.date_of_birth) {
        Ok(p) => match state
            .store
            .add_placement(&viewer.actor, child, &p, Utc::now())
            .await
        {
            Ok(()) => {
                return Ok(
                    viewer.after_save(&format!("/children/{child}/placements"), "placement-saved")
                )
            }
            Err(StoreError::Conflict(r)) => {
                let mut e = FieldErrors::new();
                e.add("from", r.to_string());
                e
            }
            Err(other) => return Err(other.into()),
        },
        Err(e) => e,
    };
    let form = FormView::new(data, errors);
    render_invalid(
        &page(
            &state,
            &viewer,
            Face::Worker,
            child,
            form,
            FormView::default(),
        )
        .await?,
    )
}

pub async fn transition_review(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    viewer.require_families()?;
    let child: MemberId = parse_id(&id)?;
    let data = FormData::parse(&body);
    let raw = RawTransitionReview {
        age: data.get("age").into(),
        held_on: super::validate::form_date(&data, "held-on"),
        notes: data.get("notes").into(),
    };
    match TransitionReview::parse(&raw, uk_today(Utc::now())) {
        Ok(r) => {
            state
                .store
                .record_transition_review(&viewer.actor, child, &r, Utc::now())
                .await?;
            Ok(viewer.after_save(
                &format!("/children/{child}/placements"),
                "transition-review-saved",
            ))
        }
        Err(e) => {
            let review = FormView::new(data, e);
            let page = page(
                &state,
                &viewer,
                Face::Worker,
                child,
                FormView::default(),
                review,
            );
            render_invalid(&page.await?)
        }
    }
}

/// The ages a transition review is held at, for the form.
pub fn ages() -> Vec<Choice> {
    [16, 18]
        .iter()
        .map(|a| Choice {
            value: a.to_string(),
            label: format!("At {a}"),
        })
        .collect()
}
