//! Intelligence submissions: made from relevant entries and graded 3x5x2 by a PLO or
//! manager; received, acknowledged and answered by the hub's police partner; exported.
//!
//! The police never see who the family is: the store gives them a description of the
//! source and the worker to contact instead, and the print view and the JSON export leave
//! the family out whoever makes them, because both are made to be handed to the police.

use super::families::family_name;
use super::{parse_id, render, render_invalid};
use crate::auth::{Chrome, Viewer};
use crate::error::AppError;
use crate::forms::{Choice, FormData, FormView};
use crate::AppState;
use alongside_domain::audit::{AuditAction, AuditRecord};
use alongside_domain::ids::*;
use alongside_domain::information::{
    EntryStatus, Grade, HandlingCode, IntelligenceAssessment, SourceEvaluation, SubmissionOutcome,
    SubmissionStatus,
};
use alongside_domain::information::{
    NewOutcome, NewSubmission, RawGrade, RawOutcome, RawSubmission,
};
use alongside_domain::roles::Capability;
use alongside_domain::validate::FieldErrors;
use alongside_domain::Code;
use alongside_store::{AuditEvent, StoreError};
use alongside_store::{
    EntryRow, SubmissionDetail, SubmissionPreview, SubmissionRow, SubmittedPhoto,
};
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, NaiveDateTime, Utc};

// ---- formatting for the templates ----

/// When something happened: the time given, the words given, or when it was recorded.
fn when_happened(
    at: &Option<NaiveDateTime>,
    approx: &Option<String>,
    recorded: Option<&DateTime<Utc>>,
) -> String {
    crate::fmt::when(at, approx).unwrap_or_else(|| match recorded {
        Some(r) => format!("Not known (recorded {})", crate::fmt::utc_datetime(r)),
        None => "Not known".to_string(),
    })
}

fn size_label(bytes: i64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    } else if bytes >= 1024 {
        format!("{} KB", (bytes + 1023) / 1024)
    } else {
        format!("{bytes} bytes")
    }
}

/// The tag colour of a submission's status.
pub fn status_class(s: &SubmissionStatus) -> &'static str {
    match s {
        SubmissionStatus::Submitted => "govuk-tag--yellow",
        SubmissionStatus::Acknowledged => "govuk-tag--blue",
        SubmissionStatus::OutcomeRecorded => "govuk-tag--green",
    }
}

/// A choice shown with its code and words: "B – Untested".
fn coded<T: Code>() -> Vec<Choice> {
    T::ALL
        .iter()
        .map(|v| Choice {
            value: v.code().to_string(),
            label: format!("{} – {}", v.code(), v.label()),
        })
        .collect()
}

fn require_either(viewer: &Viewer) -> Result<(), AppError> {
    let role = viewer.actor.role();
    if role.can(Capability::SubmitIntelligence) || role.can(Capability::ReceiveIntelligence) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

// ---- a family's intelligence ----

/// An entry as the family's intelligence pages show it.
struct EntryChoice {
    id: String,
    when: String,
    recorded_by: String,
    how_known: String,
    opening: String,
    status: EntryStatus,
}

impl EntryChoice {
    fn from_row(e: &EntryRow) -> Self {
        EntryChoice {
            id: e.id.to_string(),
            when: when_happened(&e.occurred_at, &e.occurred_approx, Some(&e.created_at)),
            recorded_by: format!("{} ({})", e.recorded_by, e.recorder_role.label()),
            how_known: e.how_known.label().to_string(),
            opening: crate::fmt::opening(&e.what, 160),
            status: e.status,
        }
    }
}

/// The family's entries that can still be passed on, oldest first.
async fn submittable(
    state: &AppState,
    viewer: &Viewer,
    family_id: FamilyId,
) -> Result<Vec<EntryRow>, AppError> {
    let mut entries: Vec<EntryRow> = state
        .store
        .family_entries(&viewer.actor, family_id)
        .await?
        .into_iter()
        .filter(|e| matches!(e.status, EntryStatus::New | EntryStatus::Relevant))
        .collect();
    entries.reverse();
    Ok(entries)
}

#[derive(Template)]
#[template(path = "intelligence_family.html")]
struct FamilyIntelligencePage {
    chrome: Chrome,
    family_id: FamilyId,
    family_name: String,
    entries: Vec<EntryChoice>,
    submissions: Vec<SubmissionRow>,
}

pub async fn family_intelligence(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    viewer.require(Capability::SubmitIntelligence)?;
    let id = parse_id(&id)?;
    let name = family_name(&state, &viewer, id).await?;
    let entries = submittable(&state, &viewer, id).await?;
    let submissions = state
        .store
        .submissions(&viewer.actor)
        .await?
        .into_iter()
        .filter(|s| s.family_id == Some(id))
        .collect();
    render(&FamilyIntelligencePage {
        chrome: viewer.chrome("/families", state.config.demo),
        family_id: id,
        family_name: name,
        entries: entries.iter().map(EntryChoice::from_row).collect(),
        submissions,
    })
}

#[derive(Template)]
#[template(path = "intelligence_new.html")]
struct NewSubmissionPage {
    chrome: Chrome,
    family_id: FamilyId,
    family_name: String,
    entries: Vec<EntryChoice>,
    form: FormView,
    sources: Vec<Choice>,
    assessments: Vec<Choice>,
    handlings: Vec<Choice>,
}

fn new_page(
    state: &AppState,
    viewer: &Viewer,
    family_id: FamilyId,
    family_name: String,
    entries: &[EntryRow],
    form: FormView,
) -> NewSubmissionPage {
    NewSubmissionPage {
        chrome: viewer.chrome("/families", state.config.demo),
        family_id,
        family_name,
        entries: entries.iter().map(EntryChoice::from_row).collect(),
        form,
        sources: coded::<SourceEvaluation>(),
        assessments: coded::<IntelligenceAssessment>(),
        handlings: coded::<HandlingCode>(),
    }
}

pub async fn new_form(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    viewer.require(Capability::SubmitIntelligence)?;
    let id = parse_id(&id)?;
    let name = family_name(&state, &viewer, id).await?;
    let entries = submittable(&state, &viewer, id).await?;
    // The entries already judged relevant are chosen, and their words start the summary.
    let mut data = FormData::default();
    let mut summary: Vec<String> = Vec::new();
    for e in entries.iter().filter(|e| e.status == EntryStatus::Relevant) {
        data.0.push(("entry-ids".into(), e.id.to_string()));
        summary.push(format!(
            "{}\n{}",
            when_happened(&e.occurred_at, &e.occurred_approx, Some(&e.created_at)),
            e.what.trim()
        ));
    }
    data.set("summary", summary.join("\n\n"));
    render(&new_page(
        &state,
        &viewer,
        id,
        name,
        &entries,
        FormView::new(data, FieldErrors::new()),
    ))
}

fn raw_submission(data: &FormData) -> RawSubmission {
    RawSubmission {
        entry_ids: data
            .all("entry-ids")
            .into_iter()
            .map(str::to_string)
            .collect(),
        summary: data.get("summary").into(),
        grade: RawGrade::Parts {
            source: data.get("source-evaluation").into(),
            assessment: data.get("assessment").into(),
            handling: data.get("handling").into(),
        },
        handling_conditions: data.get("handling-conditions").into(),
        redact: data.get("redact").into(),
    }
}

pub async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    viewer.require(Capability::SubmitIntelligence)?;
    let id = parse_id(&id)?;
    let data = FormData::parse(&body);
    let step = data.get("step").to_string();
    let errors = match NewSubmission::parse(&raw_submission(&data)) {
        // Changing it: the form again, as it was filled in.
        Ok(_) if step == "change" => FieldErrors::new(),
        // Not yet checked: what would be sent, to check before it is (it cannot be undone).
        Ok(new) if step != "send" => {
            match state
                .store
                .submission_preview(&viewer.actor, id, &new)
                .await
            {
                Ok(preview) => {
                    return render(&CheckSubmissionPage {
                        chrome: viewer.chrome("/families", state.config.demo),
                        family_id: id,
                        family_name: family_name(&state, &viewer, id).await?,
                        hidden: data
                            .0
                            .iter()
                            .filter(|(k, _)| {
                                !matches!(k.as_str(), "csrf_token" | "step" | "redact" | "preview")
                            })
                            .cloned()
                            .chain(std::iter::once((
                                "preview".to_string(),
                                preview_digest(&preview),
                            )))
                            .collect(),
                        changed: data.get("step") == "changed",
                        redact: new.redact(),
                        grade: new.grade().words(),
                        conditions: new.handling_conditions().map(str::to_string),
                        p: preview,
                    });
                }
                Err(e) => match refused_entries(&state, &viewer, id, e).await? {
                    Ok(errors) => errors,
                    Err(other) => return Err(other),
                },
            }
        }
        // What the check page showed must still be what goes: if the identifiers passed
        // on changed meanwhile (a review, a correction), the PLO checks again.
        Ok(new)
            if !data.get("preview").is_empty()
                && state
                    .store
                    .submission_preview(&viewer.actor, id, &new)
                    .await
                    .is_ok_and(|p| preview_digest(&p) != data.get("preview")) =>
        {
            let mut again = data.clone();
            again.set("step", "changed".to_string());
            let body = form_urlencoded::Serializer::new(String::new())
                .extend_pairs(again.0.iter())
                .finish();
            return Box::pin(create(
                State(state),
                viewer,
                Path(id.to_string()),
                Bytes::from(body),
            ))
            .await;
        }
        Ok(new) => match state
            .store
            .create_submission(&viewer.actor, id, &new, Utc::now())
            .await
        {
            Ok((sid, _reference)) => {
                return Ok(viewer.after_save(&format!("/intelligence/{sid}"), "submission-sent"))
            }
            Err(e) => match refused_entries(&state, &viewer, id, e).await? {
                Ok(errors) => errors,
                Err(other) => return Err(other),
            },
        },
        Err(e) => e,
    };
    let name = family_name(&state, &viewer, id).await?;
    let entries = submittable(&state, &viewer, id).await?;
    let page = new_page(
        &state,
        &viewer,
        id,
        name,
        &entries,
        FormView::new(data, errors),
    );
    if page.form.has_errors() {
        render_invalid(&page)
    } else {
        render(&page)
    }
}

/// What the store said about the entries chosen, beside the choices: an entry already
/// passed on, or one that is not this family's (a stale or altered form). Anything else
/// is not the form's to explain.
async fn refused_entries(
    state: &AppState,
    viewer: &Viewer,
    family: FamilyId,
    e: StoreError,
) -> Result<Result<FieldErrors, AppError>, AppError> {
    let mut errors = FieldErrors::new();
    match e {
        StoreError::Conflict(message) => errors.add("entry-ids", message),
        StoreError::NotFound if state.store.family_page(&viewer.actor, family).await.is_ok() => {
            errors.add(
                "entry-ids",
                "Choose entries from this family's information log",
            )
        }
        other => return Ok(Err(other.into())),
    }
    Ok(Ok(errors))
}

/// What a check page showed of the identifiers a submission passes on and holds back, so
/// that sending can tell whether it is still what goes.
fn preview_digest(p: &SubmissionPreview) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for (list, tag) in [(&p.passed_on, b'+'), (&p.held_back, b'-')] {
        let mut items: Vec<String> = list
            .iter()
            .map(|i| format!("{}:{}", i.kind.code(), i.value))
            .collect();
        items.sort();
        for i in items {
            h.update([tag]);
            h.update(i.as_bytes());
            h.update([0]);
        }
    }
    hex::encode(&h.finalize()[..12])
}

#[derive(Template)]
#[template(path = "intelligence_check.html")]
struct CheckSubmissionPage {
    chrome: Chrome,
    family_id: FamilyId,
    family_name: String,
    /// What was typed, carried to the send button.
    hidden: Vec<(String, String)>,
    /// Shown again because what would be sent changed since it was checked.
    changed: bool,
    redact: bool,
    grade: String,
    conditions: Option<String>,
    p: SubmissionPreview,
}

// ---- the hub's submissions ----

#[derive(Template)]
#[template(path = "intelligence_list.html")]
struct ListPage {
    chrome: Chrome,
    show_family: bool,
    police: bool,
    submissions: Vec<SubmissionRow>,
}

pub async fn list(State(state): State<AppState>, viewer: Viewer) -> Result<Response, AppError> {
    require_either(&viewer)?;
    let submissions = state.store.submissions(&viewer.actor).await?;
    let role = viewer.actor.role();
    render(&ListPage {
        chrome: viewer.chrome("/intelligence", state.config.demo),
        show_family: role.sees_families(),
        police: role.can(Capability::ReceiveIntelligence),
        submissions,
    })
}

// ---- one submission ----

struct AttachmentView {
    number: u32,
    filename: String,
    size: String,
    sha256: String,
}

impl AttachmentView {
    fn from_photo(a: &SubmittedPhoto) -> Self {
        AttachmentView {
            number: a.number,
            filename: a.label(),
            size: size_label(a.size_bytes),
            sha256: a.sha256.clone(),
        }
    }
}

struct SubmittedEntryView {
    n: usize,
    when: String,
    place: Option<String>,
    people: Option<String>,
    how_known: String,
    what: String,
    attachments: Vec<AttachmentView>,
}

/// A submission with everything formatted as the pages show it.
struct SubmissionView {
    d: SubmissionDetail,
    grade_code: String,
    grade_words: String,
    conditional: bool,
    submitted_at: String,
    acknowledged: Option<String>,
    outcome_at: Option<String>,
    outcome_for_parent: Option<&'static str>,
    entries: Vec<SubmittedEntryView>,
}

impl SubmissionView {
    fn new(d: SubmissionDetail) -> Self {
        let grade: Grade = d.grade();
        let acknowledged = d
            .acknowledged_at
            .as_ref()
            .map(|t| match &d.acknowledged_by {
                Some(by) => format!("{} by {by}", crate::fmt::utc_datetime(t)),
                None => crate::fmt::utc_datetime(t),
            });
        let entries = d
            .entries
            .iter()
            .enumerate()
            .map(|(i, e)| SubmittedEntryView {
                n: i + 1,
                when: when_happened(&e.occurred_at, &e.occurred_approx, None),
                place: e.place.clone(),
                people: e.people.clone(),
                how_known: e.how_known.label().to_string(),
                what: e.what.clone(),
                attachments: e
                    .attachments
                    .iter()
                    .map(AttachmentView::from_photo)
                    .collect(),
            })
            .collect();
        SubmissionView {
            grade_code: grade.code(),
            grade_words: grade.words(),
            conditional: grade.handling == HandlingCode::C,
            submitted_at: crate::fmt::utc_datetime(&d.row.created_at),
            acknowledged,
            outcome_at: d.outcome_at.as_ref().map(crate::fmt::utc_datetime),
            outcome_for_parent: d.row.outcome.map(SubmissionOutcome::for_parent),
            entries,
            d,
        }
    }
}

/// An outcome radio with what the parent will be told.
struct OutcomeChoice {
    value: &'static str,
    label: &'static str,
    for_parent: &'static str,
}

#[derive(Template)]
#[template(path = "intelligence_show.html")]
struct ShowPage {
    chrome: Chrome,
    s: SubmissionView,
    police: bool,
    form: FormView,
    outcomes: Vec<OutcomeChoice>,
}

async fn show_page(
    state: &AppState,
    viewer: &Viewer,
    id: SubmissionId,
    form: FormView,
) -> Result<ShowPage, AppError> {
    let d = state.store.submission(&viewer.actor, id).await?;
    Ok(ShowPage {
        chrome: viewer.chrome("/intelligence", state.config.demo),
        s: SubmissionView::new(d),
        police: viewer.actor.role().can(Capability::ReceiveIntelligence),
        form,
        outcomes: SubmissionOutcome::ALL
            .iter()
            .map(|o| OutcomeChoice {
                value: o.code(),
                label: o.label(),
                for_parent: o.for_parent(),
            })
            .collect(),
    })
}

pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    require_either(&viewer)?;
    let id = parse_id(&id)?;
    let mut page = show_page(&state, &viewer, id, FormView::default()).await?;
    // An outcome already recorded is what the form starts from, to be corrected.
    if let Some(o) = page.s.d.row.outcome {
        let data = FormData::from_pairs(&[
            ("outcome", o.code()),
            (
                "reference",
                page.s.d.outcome_reference.as_deref().unwrap_or(""),
            ),
            ("note", page.s.d.outcome_note.as_deref().unwrap_or("")),
        ]);
        page.form = FormView::new(data, FieldErrors::new());
    }
    render(&page)
}

pub async fn acknowledge(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    viewer.require(Capability::ReceiveIntelligence)?;
    let id = parse_id(&id)?;
    match state
        .store
        .acknowledge_submission(&viewer.actor, id, Utc::now())
        .await
    {
        Ok(()) => Ok(viewer.after_save(&format!("/intelligence/{id}"), "acknowledged")),
        Err(StoreError::Conflict(message)) => {
            let mut e = FieldErrors::new();
            e.add("acknowledge", message);
            render_invalid(
                &show_page(&state, &viewer, id, FormView::new(FormData::default(), e)).await?,
            )
        }
        Err(other) => Err(other.into()),
    }
}

pub async fn record_outcome(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    viewer.require(Capability::ReceiveIntelligence)?;
    let id = parse_id(&id)?;
    let data = FormData::parse(&body);
    let raw = RawOutcome {
        outcome: data.get("outcome").into(),
        reference: data.get("reference").into(),
        note: data.get("note").into(),
    };
    let errors = match NewOutcome::parse(&raw) {
        Ok(o) => match state
            .store
            .record_outcome(&viewer.actor, id, &o, Utc::now())
            .await
        {
            Ok(()) => return Ok(viewer.after_save(&format!("/intelligence/{id}"), "outcome-saved")),
            Err(StoreError::Conflict(message)) => {
                let mut e = FieldErrors::new();
                e.add("outcome", message);
                e
            }
            Err(other) => return Err(other.into()),
        },
        Err(e) => e,
    };
    render_invalid(&show_page(&state, &viewer, id, FormView::new(data, errors)).await?)
}

// ---- exports for the police's own systems ----

/// A submission as handed to the police: never the family, whoever makes the export.
async fn for_export(
    state: &AppState,
    viewer: &Viewer,
    id: SubmissionId,
) -> Result<SubmissionDetail, AppError> {
    require_either(viewer)?;
    let mut d = state.store.submission(&viewer.actor, id).await?;
    d.row.family_name = None;
    d.row.family_id = None;
    state
        .store
        .record_audit(
            &viewer.actor,
            &AuditEvent::new(
                AuditAction::Export,
                AuditRecord::Submission,
                Some(id.get()),
                None,
            ),
        )
        .await?;
    Ok(d)
}

#[derive(Template)]
#[template(path = "intelligence_print.html")]
struct PrintPage {
    s: SubmissionView,
    printed_at: String,
    printed_by: String,
}

pub async fn print(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let d = for_export(&state, &viewer, id).await?;
    render(&PrintPage {
        s: SubmissionView::new(d),
        printed_at: crate::fmt::utc_datetime(&Utc::now()),
        printed_by: viewer.actor.display_name().to_string(),
    })
}

/// A reference as a safe file name.
fn file_stem(reference: &str) -> String {
    let s: String = reference
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    if s.is_empty() {
        "submission".into()
    } else {
        s
    }
}

/// Photo `n` of a submission, by its number there, to whoever may read the submission.
pub async fn photo(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, n)): Path<(String, String)>,
) -> Result<Response, AppError> {
    require_either(&viewer)?;
    let number: u32 = n.parse().map_err(|_| AppError::NotFound)?;
    let file = state
        .store
        .submission_photo(&viewer.actor, parse_id(&id)?, number)
        .await?;
    Ok(super::photo_response(
        &file.photo.content_type,
        &file.photo.filename,
        file.content,
    ))
}

pub async fn export_json(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let d = for_export(&state, &viewer, id).await?;
    let filename = format!("{}.json", file_stem(&d.row.reference));
    let json = serde_json::to_string_pretty(&crate::api::SubmissionJson::from(d))
        .map_err(|e| AppError::Internal(format!("json: {e}")))?;
    let body = alongside_domain::text::json_with_bidi_escaped(&json).into_owned();
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/json; charset=utf-8".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        body,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_formatting_helpers() {
        assert_eq!(size_label(512), "512 bytes");
        assert_eq!(size_label(2048), "2 KB");
        assert_eq!(size_label(3 * 1024 * 1024), "3.0 MB");
        assert_eq!(file_stem("INT-2026-00001"), "INT-2026-00001");
        assert_eq!(file_stem("\"; x"), "x");
        assert_eq!(
            coded::<SourceEvaluation>()[1].label,
            "B – Untested".to_string()
        );
    }
}
