//! The information log ("provenance log") on the workers' side: recording an entry with
//! its identifiers and photos, checking the identifiers, the family's log, one entry with
//! its review, the review queue, and attachments. The parent portal (`parent.rs`) uses the
//! same form and check through [`LogPlace`].

use super::{parse_id, render, render_invalid};
use crate::auth::{Chrome, Viewer};
use crate::error::AppError;
use crate::forms::{Choice, FormData, FormView, FromForm};
use crate::AppState;
use alongside_domain::clock::uk_local;
use alongside_domain::ids::*;
use alongside_domain::information::entry::IDENTIFIER_FIELDS;
use alongside_domain::information::{EntryStatus, HowKnown, IdentifierStatus};
use alongside_domain::information::{IdentifierCheck, NewEntry, RawCheck, RawEntry};
use alongside_domain::roles::Capability;
use alongside_domain::validate::{self as v, FieldErrors};
use alongside_domain::Code;
use alongside_store::{EntryDetail, EntryReview, EntryRow, StoredIdentifier};
use alongside_store::{Refusal, StoreError};
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;

/// Where an entry is recorded from: a worker on a family's record, or a parent on
/// their own pages. It decides the addresses and the words, never the access.
#[derive(Debug, Clone, Copy)]
pub enum LogPlace {
    Family(FamilyId),
    Parent,
}

impl LogPlace {
    fn new_action(self) -> String {
        match self {
            LogPlace::Family(f) => format!("/families/{f}/information/new"),
            LogPlace::Parent => "/my/notes/new".into(),
        }
    }
    fn back(self) -> String {
        match self {
            LogPlace::Family(f) => format!("/families/{f}/information"),
            LogPlace::Parent => "/my".into(),
        }
    }
    fn entry(self, id: EntryId) -> String {
        match self {
            LogPlace::Family(_) => format!("/information/{id}"),
            LogPlace::Parent => format!("/my/notes/{id}"),
        }
    }
    fn check(self, id: EntryId) -> String {
        format!("{}/check", self.entry(id))
    }
    fn nav(self) -> &'static str {
        match self {
            LogPlace::Family(_) => "/families",
            LogPlace::Parent => "/my/notes/new",
        }
    }
}

#[derive(Template)]
#[template(path = "entry_new.html")]
struct EntryFormPage {
    chrome: Chrome,
    action: String,
    back: String,
    caption: String,
    form: FormView,
    how_known: Vec<Choice>,
    identifier_fields: Vec<(&'static str, &'static str, &'static str)>,
}

fn entry_form_page(
    state: &AppState,
    viewer: &Viewer,
    place: LogPlace,
    caption: String,
    form: FormView,
) -> EntryFormPage {
    EntryFormPage {
        chrome: viewer.chrome(place.nav(), state.config.demo),
        action: place.new_action(),
        back: place.back(),
        caption,
        form,
        how_known: Choice::all::<HowKnown>(),
        identifier_fields: IDENTIFIER_FIELDS
            .iter()
            .map(|(f, _, label)| {
                (
                    *f,
                    *label,
                    match *f {
                        "vehicle" => {
                            "For example, AB12 CDE. Part of a registration is worth recording too."
                        }
                        "phone" => "For example, 07700 900123",
                        "handle" => "For example, snapchat @name or instagram.com/name",
                        _ => "",
                    },
                )
            })
            .collect(),
    }
}

async fn caption_for(
    state: &AppState,
    viewer: &Viewer,
    place: LogPlace,
) -> Result<String, AppError> {
    Ok(match place {
        LogPlace::Family(f) => super::families::family_name(state, viewer, f).await?,
        LogPlace::Parent => String::new(),
    })
}

/// The empty form.
pub async fn show_new_form(
    state: &AppState,
    viewer: &Viewer,
    place: LogPlace,
) -> Result<Response, AppError> {
    let caption = caption_for(state, viewer, place).await?;
    render(&entry_form_page(
        state,
        viewer,
        place,
        caption,
        FormView::default(),
    ))
}

/// Saves an entry from the multipart form, then asks the person to check what was found.
pub async fn save_new(
    state: &AppState,
    viewer: &Viewer,
    place: LogPlace,
    form: Multipart,
) -> Result<Response, AppError> {
    let (data, files, mut errors) = match crate::forms::read_multipart(form).await {
        Ok(x) => x,
        Err(_) => {
            return Ok(crate::error::error_page(
                axum::http::StatusCode::BAD_REQUEST,
                "The form could not be read",
                "Go back and try again. If you chose photos, choose them again.",
            ))
        }
    };
    let raw = RawEntry::from_form(&data);
    let result = NewEntry::parse(&raw, uk_local(Utc::now()));
    let new = match result {
        Ok(new) if errors.is_empty() => new.with_attachments(files),
        Ok(_) => return invalid_entry(state, viewer, place, data, errors, !files.is_empty()).await,
        Err(e) => {
            for err in e.iter() {
                errors.add(err.field.clone(), err.message.clone());
            }
            return invalid_entry(state, viewer, place, data, errors, !files.is_empty()).await;
        }
    };
    let family = match place {
        LogPlace::Family(f) => Some(f),
        LogPlace::Parent => None,
    };
    let done = match crate::record::entry(state, &viewer.actor, family, &new).await {
        Ok(done) => done,
        Err(StoreError::Conflict(r @ (Refusal::FamilyPhotoQuota | Refusal::DailyPhotoQuota))) => {
            errors.add("photos", r.to_string());
            return invalid_entry(state, viewer, place, data, errors, true).await;
        }
        Err(other) => return Err(other.into()),
    };
    Ok(Redirect::to(&if done.to_check {
        place.check(done.id)
    } else {
        format!("{}?saved=1", place.entry(done.id))
    })
    .into_response())
}

async fn invalid_entry(
    state: &AppState,
    viewer: &Viewer,
    place: LogPlace,
    data: FormData,
    mut errors: FieldErrors,
    had_files: bool,
) -> Result<Response, AppError> {
    if had_files && errors.get("photos").is_none() {
        // A browser cannot be given files back: say so, beside the field.
        errors.add("photos", "Choose your photos or screenshots again: they were not saved because of the problems above");
    }
    let caption = caption_for(state, viewer, place).await?;
    render_invalid(&entry_form_page(
        state,
        viewer,
        place,
        caption,
        FormView::new(data, errors),
    ))
}

pub(crate) async fn new_form(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    viewer.require_families()?;
    let id = parse_id(&id)?;
    show_new_form(&state, &viewer, LogPlace::Family(id)).await
}

pub(crate) async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    form: Multipart,
) -> Result<Response, AppError> {
    viewer.require_families()?;
    let id = parse_id(&id)?;
    save_new(&state, &viewer, LogPlace::Family(id), form).await
}

/// One identifier on the check page, with what the person chose.
pub struct CheckRow {
    pub id: IdentifierId,
    pub kind: String,
    pub display: String,
    /// What was written, and whether it was recognised, in the words of the page.
    pub hint: String,
    pub choice: String,
    pub fix: String,
    pub check_error: Option<String>,
    pub fix_error: Option<String>,
}

#[derive(Template)]
#[template(path = "entry_check.html")]
struct CheckPage {
    chrome: Chrome,
    action: String,
    back: String,
    what: String,
    rows: Vec<CheckRow>,
    errors: FieldErrors,
    /// Passed to the police: the details can no longer change.
    locked: bool,
}

/// Who is checking identifiers: the person who recorded the entry (what was found in
/// their words), or the PLO at review (every identifier, typed or found).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Checker {
    Recorder { parent: bool },
    Reviewer,
}

impl Checker {
    fn checks(self, i: &StoredIdentifier) -> bool {
        self == Checker::Reviewer || i.origin == "text"
    }

    fn hint(self, i: &StoredIdentifier) -> String {
        let kind = i.kind.label().to_lowercase();
        match self {
            Checker::Recorder { .. } if !i.recognised => format!(
                "You wrote \u{201c}{}\u{201d}. We could not recognise this as a {kind}: it is kept exactly as you typed it.",
                i.raw
            ),
            Checker::Recorder { .. } => format!("You wrote \u{201c}{}\u{201d}.", i.raw),
            Checker::Reviewer => format!(
                "Written as \u{201c}{}\u{201d}{}; {}.{}",
                i.raw,
                if i.origin == "text" { " in the text" } else { " in a box of its own" },
                match i.status {
                    IdentifierStatus::Suggested => "not checked by the person who recorded it".to_string(),
                    s => format!("{} by the person who recorded it", s.label().to_lowercase()),
                },
                if i.recognised { "" } else { " Not recognised as a well-formed one." }
            ),
        }
    }
}

/// The rows of the check page or the review form: as stored, or as just sent.
pub fn check_rows(
    found: &[StoredIdentifier],
    data: Option<&FormData>,
    errors: &FieldErrors,
    checker: Checker,
) -> Vec<CheckRow> {
    found
        .iter()
        .filter(|i| checker.checks(i))
        .map(|i| {
            // At review, the PLO's own earlier answer; never the recorder's.
            let answered = checker != Checker::Reviewer || i.reviewed;
            let preset = match i.status {
                _ if !answered => "",
                IdentifierStatus::Confirmed => "confirm",
                IdentifierStatus::Corrected => "correct",
                IdentifierStatus::Rejected => "reject",
                IdentifierStatus::Suggested => "",
            };
            let (choice, fix) = match data {
                Some(d) => (
                    d.get(&format!("check-{}", i.id)).to_string(),
                    d.get(&format!("fix-{}", i.id)).to_string(),
                ),
                None => (
                    preset.to_string(),
                    if answered && i.status == IdentifierStatus::Corrected {
                        i.display.clone()
                    } else {
                        String::new()
                    },
                ),
            };
            CheckRow {
                id: i.id,
                kind: i.kind.label().to_string(),
                display: i.display.clone(),
                hint: checker.hint(i),
                choice,
                fix,
                check_error: errors.get(&format!("check-{}", i.id)).map(str::to_string),
                fix_error: errors.get(&format!("fix-{}", i.id)).map(str::to_string),
            }
        })
        .collect()
}

/// Whose pages the identifier check is shown on.
#[derive(Debug, Clone, Copy)]
pub enum Side {
    Worker,
    Parent,
}

impl Side {
    fn checker(self) -> Checker {
        Checker::Recorder {
            parent: matches!(self, Side::Parent),
        }
    }

    fn place(self, e: &EntryDetail) -> LogPlace {
        match self {
            Side::Worker => LogPlace::Family(e.row.family_id),
            Side::Parent => LogPlace::Parent,
        }
    }
}

/// The check page: what was found in the text, to confirm, correct or reject.
pub async fn show_check(
    state: &AppState,
    viewer: &Viewer,
    side: Side,
    id: EntryId,
) -> Result<Response, AppError> {
    let e = state.store.entry(&viewer.actor, id).await?;
    only_the_recorder(viewer, &e)?;
    let place = side.place(&e);
    render(&CheckPage {
        chrome: viewer.chrome(place.nav(), state.config.demo),
        action: place.check(id),
        back: place.entry(id),
        what: e.row.what.clone(),
        rows: check_rows(&e.identifiers, None, &FieldErrors::new(), side.checker()),
        errors: FieldErrors::new(),
        locked: !e.row.status.identifiers_open(),
    })
}

/// Only the person who recorded an entry says what its identifiers are.
fn only_the_recorder(viewer: &Viewer, e: &EntryDetail) -> Result<(), AppError> {
    if e.recorded_by_id == viewer.actor.user_id() {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

pub async fn save_check(
    state: &AppState,
    viewer: &Viewer,
    side: Side,
    id: EntryId,
    body: &[u8],
) -> Result<Response, AppError> {
    let e = state.store.entry(&viewer.actor, id).await?;
    only_the_recorder(viewer, &e)?;
    let place = side.place(&e);
    let data = FormData::parse(body);
    let found: Vec<StoredIdentifier> = e
        .identifiers
        .iter()
        .filter(|i| side.checker().checks(i))
        .cloned()
        .collect();
    let page = |errors: FieldErrors, locked: bool| CheckPage {
        chrome: viewer.chrome(place.nav(), state.config.demo),
        action: place.check(id),
        back: place.entry(id),
        what: e.row.what.clone(),
        rows: check_rows(&found, Some(&data), &errors, side.checker()),
        errors,
        locked,
    };
    match checks(&data, &found) {
        Ok(checks) => match state
            .store
            .check_identifiers(&viewer.actor, id, &checks, Utc::now())
            .await
        {
            Ok(()) => Ok(Redirect::to(&format!("{}?saved=1", place.entry(id))).into_response()),
            // Passed to the police meanwhile: say so, and change nothing.
            Err(StoreError::Conflict(_)) => {
                super::render_status(StatusCode::CONFLICT, &page(FieldErrors::new(), true))
            }
            Err(other) => Err(other.into()),
        },
        Err(errors) => render_invalid(&page(errors, false)),
    }
}

pub(crate) async fn check_form(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    viewer.require_families()?;
    show_check(&state, &viewer, Side::Worker, parse_id(&id)?).await
}

pub(crate) async fn check(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    viewer.require_families()?;
    save_check(&state, &viewer, Side::Worker, parse_id(&id)?, &body).await
}

#[derive(Template)]
#[template(path = "information.html")]
struct FamilyLogPage {
    chrome: Chrome,
    family_id: FamilyId,
    family_name: String,
    entries: Vec<EntryRow>,
}

pub(crate) async fn family_log(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    viewer.require_families()?;
    let id = parse_id(&id)?;
    let family_name = super::families::family_name(&state, &viewer, id).await?;
    let entries = state.store.family_entries(&viewer.actor, id).await?;
    render(&FamilyLogPage {
        chrome: viewer.chrome("/families", state.config.demo),
        family_id: id,
        family_name,
        entries,
    })
}

#[derive(Template)]
#[template(path = "entry.html")]
struct EntryPage {
    chrome: Chrome,
    e: EntryDetail,
    can_review: bool,
    is_recorder: bool,
    saved: bool,
    form: FormView,
    /// The PLO's word on each identifier, in the review form.
    rows: Vec<CheckRow>,
}

fn entry_page(
    state: &AppState,
    viewer: &Viewer,
    e: EntryDetail,
    saved: bool,
    form: FormView,
    sent: Option<&FormData>,
) -> EntryPage {
    let role = viewer.actor.role();
    let can_review = role.can(Capability::ReviewInformation)
        && matches!(
            e.row.status,
            EntryStatus::New | EntryStatus::Relevant | EntryStatus::NotRelevant
        );
    let rows = if can_review {
        check_rows(&e.identifiers, sent, &form.errors, Checker::Reviewer)
    } else {
        Vec::new()
    };
    EntryPage {
        chrome: viewer.chrome("/families", state.config.demo),
        can_review,
        is_recorder: e.recorded_by_id == viewer.actor.user_id(),
        e,
        saved,
        form,
        rows,
    }
}

pub(crate) async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    axum::extract::RawQuery(q): axum::extract::RawQuery,
) -> Result<Response, AppError> {
    viewer.require_families()?;
    let e = state.store.entry(&viewer.actor, parse_id(&id)?).await?;
    let saved = q.as_deref() == Some("saved=1");
    let data = FormData::from_pairs(&[("reason", e.review_reason.as_deref().unwrap_or(""))]);
    render(&entry_page(
        &state,
        &viewer,
        e,
        saved,
        FormView::new(data, FieldErrors::new()),
        None,
    ))
}

pub(crate) async fn review(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    viewer.require(Capability::ReviewInformation)?;
    let id = parse_id(&id)?;
    let data = FormData::parse(&body);
    let mut e = FieldErrors::new();
    let relevant = match data.get("decision") {
        "relevant" => Some(true),
        "not_relevant" => Some(false),
        _ => {
            e.add("decision", "Choose whether this information is relevant");
            None
        }
    };
    let reason = v::required_text(&mut e, "reason", "The reason", data.get("reason"), 2_000);
    let entry = state.store.entry(&viewer.actor, id).await?;
    let identifier_checks = match checks(&data, &entry.identifiers) {
        Ok(c) => c,
        Err(errors) => {
            e.extend(errors);
            Vec::new()
        }
    };
    if let (Some(relevant), true) = (relevant, e.is_empty()) {
        let review = EntryReview {
            relevant,
            reason,
            checks: identifier_checks,
        };
        match state
            .store
            .review_entry(&viewer.actor, id, &review, Utc::now())
            .await
        {
            Ok(()) => {
                if relevant {
                    crate::alert_index::after_review(&state, &viewer.actor, id).await;
                }
                return Ok(viewer.after_save("/review", "reviewed"));
            }
            Err(StoreError::Conflict(msg)) => e.add("decision", msg),
            Err(other) => return Err(other.into()),
        }
    }
    let entry = state.store.entry(&viewer.actor, id).await?;
    let form = FormView::new(data.clone(), e);
    render_invalid(&entry_page(
        &state,
        &viewer,
        entry,
        false,
        form,
        Some(&data),
    ))
}

#[derive(Template)]
#[template(path = "review.html")]
struct QueuePage {
    chrome: Chrome,
    entries: Vec<EntryRow>,
    incidents: Vec<alongside_store::IncidentDetail>,
}

pub(crate) async fn queue(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Result<Response, AppError> {
    viewer.require(Capability::ReviewInformation)?;
    let entries = state.store.review_queue(&viewer.actor).await?;
    let incidents = state.store.incident_review_queue(&viewer.actor).await?;
    render(&QueuePage {
        chrome: viewer.chrome("/review", state.config.demo),
        entries,
        incidents,
    })
}

/// A photo or screenshot, to those who may see the entry. The police reach photos through
/// the submission that passed them on (`intelligence::photo`).
pub(crate) async fn attachment(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let file = state
        .store
        .attachment(&viewer.actor, parse_id(&id)?)
        .await?;
    Ok(super::photo_response(
        &file.meta.content_type,
        &file.meta.filename,
        file.content,
    ))
}

/// How far an entry has gone, in a worker's words, for tags.
pub fn status_class(s: &EntryStatus) -> &'static str {
    match s {
        EntryStatus::New => "govuk-tag--blue",
        EntryStatus::Relevant => "govuk-tag--yellow",
        EntryStatus::NotRelevant => "govuk-tag--grey",
        EntryStatus::Submitted => "govuk-tag--green",
    }
}

/// The opening of an entry's text, for lists.
pub fn opening(text: &str) -> String {
    crate::fmt::opening(text, 120)
}

/// When an entry says it happened.
pub fn when(at: &Option<chrono::NaiveDateTime>, approx: &Option<String>) -> String {
    crate::fmt::when(at, approx).unwrap_or_else(|| "Not known".into())
}

/// What the person said about each identifier on the check page: for identifier `n`,
/// `check-n` and `fix-n` (the rules are [`IdentifierCheck::parse_all`]).
pub fn checks(
    data: &FormData,
    found: &[StoredIdentifier],
) -> Result<Vec<(IdentifierId, IdentifierCheck)>, FieldErrors> {
    let raw: Vec<RawCheck> = found
        .iter()
        .map(|i| RawCheck {
            id: i.id,
            kind: i.kind,
            choice: data.get(&format!("check-{}", i.id)).to_string(),
            fix: data.get(&format!("fix-{}", i.id)).to_string(),
        })
        .collect();
    IdentifierCheck::parse_all(&raw)
}
