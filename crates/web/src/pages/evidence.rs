//! Evidence items with their chain of custody, and threats and harassment against the family.
//!
//! Workers (managers, PLOs, CSWs) record evidence and incidents on the families they may
//! see. Police partners of the hub see every evidence item of the hub and record
//! handovers, but never family pages. The chain of custody is only ever added to: a
//! mistake is put right by a correction, shown as its own entry.

use super::families::family_name;
use super::{parse_id, render, render_invalid};
use crate::auth::{Chrome, Viewer};
use crate::error::AppError;
use crate::forms::{Choice, FormData, FormView, FromForm};
use crate::AppState;
use alongside_domain::clock::{uk_local, uk_today};
use alongside_domain::ids::*;
use alongside_domain::information::{CustodyEventKind, EvidenceKind, IncidentKind};
use alongside_domain::information::{
    NewCustodyEvent, NewEvidence, NewIncident, RawCorrection, RawEvidence, RawHandover, RawIncident,
};
use alongside_domain::roles::Capability;
use alongside_domain::validate::{self as v, FieldErrors, When};
use alongside_domain::Code;
use alongside_store::{EvidenceDetail, EvidenceRow, IncidentCount, IncidentRow, StoreError};
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use chrono::{DateTime, Months, NaiveDate, Utc};

/// Workers of the family, or police partners of the hub, work on an evidence item.
fn require_evidence(viewer: &Viewer) -> Result<(), AppError> {
    let role = viewer.actor.role();
    if role.sees_families() || role.can(Capability::HandleHubEvidence) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// A UTC moment as UK local date and time.
fn utc_datetime(t: &DateTime<Utc>) -> String {
    crate::fmt::datetime(&uk_local(*t))
}

// ---- a family's evidence ----

#[derive(Template)]
#[template(path = "evidence_list.html")]
struct FamilyEvidencePage {
    chrome: Chrome,
    family_id: FamilyId,
    family_name: String,
    items: Vec<EvidenceRow>,
}

pub(crate) async fn family_evidence(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    viewer.require_families()?;
    let id = parse_id(&id)?;
    let family_name = family_name(&state, &viewer, id).await?;
    let items = state.store.evidence_items(&viewer.actor, Some(id)).await?;
    render(&FamilyEvidencePage {
        chrome: viewer.chrome("/families", state.config.demo),
        family_id: id,
        family_name,
        items,
    })
}

#[derive(Template)]
#[template(path = "evidence_new.html")]
struct EvidenceFormPage {
    chrome: Chrome,
    family_id: FamilyId,
    family_name: String,
    form: FormView,
    kinds: Vec<Choice>,
}

pub(crate) async fn evidence_form(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    viewer.require_families()?;
    let id = parse_id(&id)?;
    let family_name = family_name(&state, &viewer, id).await?;
    render(&EvidenceFormPage {
        chrome: viewer.chrome("/families", state.config.demo),
        family_id: id,
        family_name,
        form: FormView::default(),
        kinds: Choice::all::<EvidenceKind>(),
    })
}

pub(crate) async fn add_evidence(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    viewer.require_families()?;
    let id = parse_id(&id)?;
    let data = FormData::parse(&body);
    match NewEvidence::parse(&RawEvidence::from_form(&data), uk_local(Utc::now())) {
        Ok(new) => {
            let item = state
                .store
                .add_evidence(&viewer.actor, id, &new, Utc::now())
                .await?;
            Ok(viewer.after_save(&format!("/evidence/{item}"), "evidence-added"))
        }
        Err(errors) => {
            let family_name = family_name(&state, &viewer, id).await?;
            render_invalid(&EvidenceFormPage {
                chrome: viewer.chrome("/families", state.config.demo),
                family_id: id,
                family_name,
                form: FormView::new(data, errors),
                kinds: Choice::all::<EvidenceKind>(),
            })
        }
    }
}

// ---- the hub's evidence (police partners) ----

#[derive(Template)]
#[template(path = "evidence_hub.html")]
struct HubEvidencePage {
    chrome: Chrome,
    items: Vec<EvidenceRow>,
}

pub(crate) async fn hub_evidence(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Result<Response, AppError> {
    viewer.require(Capability::HandleHubEvidence)?;
    let items = state.store.evidence_items(&viewer.actor, None).await?;
    render(&HubEvidencePage {
        chrome: viewer.chrome("/evidence", state.config.demo),
        items,
    })
}

// ---- one item and its chain of custody ----

/// One entry of the chain of custody as the table shows it.
struct CustodyRow {
    seq: i64,
    /// For a correction: the entry it corrects.
    corrects: Option<i64>,
    handed_by: String,
    handed_to: String,
    collar_number: String,
    when: String,
    reference: String,
    note: String,
    recorded_by: String,
    recorded_at: String,
}

fn custody_rows(item: &EvidenceDetail) -> Vec<CustodyRow> {
    let text = |s: &Option<String>| s.clone().unwrap_or_default();
    item.events
        .iter()
        .map(|e| CustodyRow {
            seq: e.seq,
            corrects: match e.kind {
                CustodyEventKind::Correction => Some(e.corrects_seq.unwrap_or(0)),
                CustodyEventKind::Transfer => None,
            },
            handed_by: text(&e.handed_by),
            handed_to: text(&e.handed_to),
            collar_number: text(&e.collar_number),
            when: e.at.as_ref().map(crate::fmt::datetime).unwrap_or_default(),
            reference: text(&e.reference),
            note: text(&e.note),
            recorded_by: e.recorded_by.clone(),
            recorded_at: utc_datetime(&e.created_at),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "evidence_item.html")]
struct ItemPage {
    chrome: Chrome,
    item: EvidenceDetail,
    rows: Vec<CustodyRow>,
    recorded_at: String,
    /// Whether the viewer works on the family (and may open its record).
    worker: bool,
    handover: FormView,
    correction: FormView,
}

impl ItemPage {
    fn has_errors(&self) -> bool {
        self.handover.has_errors() || self.correction.has_errors()
    }
}

async fn item_page(
    state: &AppState,
    viewer: &Viewer,
    id: EvidenceId,
    handover: Option<FormView>,
    correction: Option<FormView>,
) -> Result<ItemPage, AppError> {
    let item = state.store.evidence_item(&viewer.actor, id).await?;
    let worker = viewer.actor.role().sees_families();
    // Whoever holds it now is the likeliest to hand it over next.
    let handover = handover.unwrap_or_else(|| {
        FormView::new(
            FormData::from_pairs(&[("handed-by", item.row.held_by.as_str())]),
            FieldErrors::new(),
        )
    });
    Ok(ItemPage {
        chrome: viewer.chrome(
            if worker { "/families" } else { "/evidence" },
            state.config.demo,
        ),
        rows: custody_rows(&item),
        recorded_at: utc_datetime(&item.created_at),
        item,
        worker,
        handover,
        correction: correction.unwrap_or_default(),
    })
}

pub(crate) async fn item(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    require_evidence(&viewer)?;
    let id = parse_id(&id)?;
    render(&item_page(&state, &viewer, id, None, None).await?)
}

/// Adds an entry to the chain; the store's refusal (an entry that does not exist)
/// becomes a message beside `field`.
async fn add_event(
    state: &AppState,
    viewer: &Viewer,
    id: EvidenceId,
    new: &NewCustodyEvent,
    field: &str,
) -> Result<Result<(), FieldErrors>, AppError> {
    match state
        .store
        .add_custody_event(&viewer.actor, id, new, Utc::now())
        .await
    {
        Ok(_) => Ok(Ok(())),
        Err(StoreError::Conflict(message)) => {
            let mut e = FieldErrors::new();
            e.add(field, message);
            Ok(Err(e))
        }
        Err(other) => Err(other.into()),
    }
}

pub(crate) async fn add_handover(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    require_evidence(&viewer)?;
    let id = parse_id(&id)?;
    let data = FormData::parse(&body);
    let result =
        match NewCustodyEvent::handover(&RawHandover::from_form(&data), uk_local(Utc::now())) {
            Ok(new) => add_event(&state, &viewer, id, &new, "handed-to").await?,
            Err(e) => Err(e),
        };
    match result {
        Ok(()) => Ok(viewer.after_save(&format!("/evidence/{id}"), "handover-added")),
        Err(errors) => render_invalid(
            &item_page(&state, &viewer, id, Some(FormView::new(data, errors)), None).await?,
        ),
    }
}

pub(crate) async fn add_correction(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    require_evidence(&viewer)?;
    let id = parse_id(&id)?;
    let data = FormData::parse(&body);
    let result = match NewCustodyEvent::correction(&RawCorrection::from_form(&data)) {
        Ok(new) => add_event(&state, &viewer, id, &new, "corrects").await?,
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => Ok(viewer.after_save(&format!("/evidence/{id}"), "correction-added")),
        Err(errors) => render_invalid(
            &item_page(&state, &viewer, id, None, Some(FormView::new(data, errors))).await?,
        ),
    }
}

// ---- threats and harassment ----

#[derive(Template)]
#[template(path = "incident_list.html")]
struct IncidentsPage {
    chrome: Chrome,
    family_id: FamilyId,
    family_name: String,
    incidents: Vec<IncidentRow>,
}

pub(crate) async fn incidents(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    viewer.require_families()?;
    let id = parse_id(&id)?;
    let family_name = family_name(&state, &viewer, id).await?;
    let incidents = state.store.incidents(&viewer.actor, id).await?;
    render(&IncidentsPage {
        chrome: viewer.chrome("/families", state.config.demo),
        family_id: id,
        family_name,
        incidents,
    })
}

#[derive(Template)]
#[template(path = "incident.html")]
struct IncidentPage {
    chrome: Chrome,
    i: alongside_store::IncidentDetail,
    can_review: bool,
    form: FormView,
}

fn incident_page(
    state: &AppState,
    viewer: &Viewer,
    i: alongside_store::IncidentDetail,
    form: FormView,
) -> IncidentPage {
    IncidentPage {
        chrome: viewer.chrome("/families", state.config.demo),
        can_review: viewer.actor.role().can(Capability::ReviewInformation),
        i,
        form,
    }
}

/// One threat or incident, and (for the PLO) what followed, written for the parent.
pub(crate) async fn incident(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    viewer.require_families()?;
    let i = state.store.incident(&viewer.actor, parse_id(&id)?).await?;
    let data = FormData::from_pairs(&[("note", i.row.review_note.as_deref().unwrap_or(""))]);
    render(&incident_page(
        &state,
        &viewer,
        i,
        FormView::new(data, FieldErrors::new()),
    ))
}

pub(crate) async fn review_incident(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    viewer.require(Capability::ReviewInformation)?;
    let id = parse_id(&id)?;
    let data = FormData::parse(&body);
    let mut e = FieldErrors::new();
    let note = v::required_text(&mut e, "note", "What followed", data.get("note"), 2_000);
    if e.is_empty() {
        match state
            .store
            .review_incident(&viewer.actor, id, &note, Utc::now())
            .await
        {
            Ok(()) => return Ok(viewer.after_save("/review", "incident-reviewed")),
            Err(StoreError::Conflict(m)) => e.add("note", m),
            Err(other) => return Err(other.into()),
        }
    }
    let i = state.store.incident(&viewer.actor, id).await?;
    render_invalid(&incident_page(&state, &viewer, i, FormView::new(data, e)))
}

#[derive(Template)]
#[template(path = "incident_new.html")]
struct IncidentFormPage {
    chrome: Chrome,
    family_id: FamilyId,
    family_name: String,
    form: FormView,
    kinds: Vec<Choice>,
}

pub(crate) async fn incident_form(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    viewer.require_families()?;
    let id = parse_id(&id)?;
    let family_name = family_name(&state, &viewer, id).await?;
    render(&IncidentFormPage {
        chrome: viewer.chrome("/families", state.config.demo),
        family_id: id,
        family_name,
        form: FormView::default(),
        kinds: Choice::all::<IncidentKind>(),
    })
}

pub(crate) async fn add_incident(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    viewer.require_families()?;
    let id = parse_id(&id)?;
    let data = FormData::parse(&body);
    match NewIncident::parse(&RawIncident::from_form(&data), uk_local(Utc::now())) {
        Ok(new) => {
            crate::record::incident(&state, &viewer.actor, Some(id), &new).await?;
            Ok(viewer.after_save(&format!("/families/{id}/incidents"), "incident-added"))
        }
        Err(errors) => {
            let family_name = family_name(&state, &viewer, id).await?;
            render_invalid(&IncidentFormPage {
                chrome: viewer.chrome("/families", state.config.demo),
                family_id: id,
                family_name,
                form: FormView::new(data, errors),
                kinds: Choice::all::<IncidentKind>(),
            })
        }
    }
}

// ---- counting, for managers ----

/// One line of the report: every kind is shown, counted or not.
struct CountRow {
    kind: IncidentKind,
    total: i64,
    reported: i64,
    families: i64,
}

#[derive(Template)]
#[template(path = "reports_incidents.html")]
struct IncidentReportPage {
    chrome: Chrome,
    form: FormView,
    /// The date counted from, when the filter was valid.
    since: Option<NaiveDate>,
    rows: Vec<CountRow>,
    total: i64,
    reported: i64,
}

fn count_rows(counts: &[IncidentCount]) -> Vec<CountRow> {
    IncidentKind::ALL
        .iter()
        .map(|k| {
            let c = counts.iter().find(|c| c.kind == *k);
            CountRow {
                kind: *k,
                total: c.map_or(0, |c| c.total),
                reported: c.map_or(0, |c| c.reported),
                families: c.map_or(0, |c| c.families),
            }
        })
        .collect()
}

pub(crate) async fn incident_report(
    State(state): State<AppState>,
    viewer: Viewer,
    RawQuery(query): RawQuery,
) -> Result<Response, AppError> {
    viewer.require(Capability::ViewCapacity)?;
    let today = uk_today(Utc::now());
    let mut data = FormData::parse(query.unwrap_or_default().as_bytes());
    let mut errors = FieldErrors::new();
    let part = |p: &str| data.get(&format!("since-{p}")).to_string();
    let chosen = v::date_parts(
        &mut errors,
        "since",
        "Since",
        &part("day"),
        &part("month"),
        &part("year"),
        false,
        When::PastOrToday,
        today,
    );
    let since = if errors.is_empty() {
        let since =
            chosen.unwrap_or_else(|| today.checked_sub_months(Months::new(12)).unwrap_or(today));
        if chosen.is_none() {
            data.set("since-day", since.format("%-d").to_string());
            data.set("since-month", since.format("%-m").to_string());
            data.set("since-year", since.format("%Y").to_string());
        }
        Some(since)
    } else {
        None
    };
    let counts = match since {
        Some(s) => state.store.incident_counts(&viewer.actor, s).await?,
        None => Vec::new(),
    };
    let rows = count_rows(&counts);
    let page = IncidentReportPage {
        chrome: viewer.chrome("/capacity", state.config.demo),
        form: FormView::new(data, errors),
        since,
        total: rows.iter().map(|r| r.total).sum(),
        reported: rows.iter().map(|r| r.reported).sum(),
        rows,
    };
    if page.form.has_errors() {
        render_invalid(&page)
    } else {
        render(&page)
    }
}
