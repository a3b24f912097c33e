//! The family record: the family page, members, strengths and the family's own words,
//! contacts, and the chronology with its CSV export.

use super::validate::{self, form_date};
use super::{parse_id, render, render_invalid};
use crate::auth::{Chrome, Viewer};
use crate::error::AppError;
use crate::forms::{Choice, FormData, FormView};
use crate::AppState;
use alongside_domain::audit::{AuditAction, AuditRecord};
use alongside_domain::clock::{uk_local, uk_today};
use alongside_domain::family::{
    CarerKind, ChronologyKind, ContactKind, ContactStatus, LivingSituation, MemberRole, Visibility,
};
use alongside_domain::family::{NewContact, NewMember, RawContact, RawMember};
use alongside_domain::ids::*;
use alongside_domain::validate::{self as v, FieldErrors, LONG_TEXT_MAX};
use alongside_domain::Code;
use alongside_store::{AuditEvent, ChronologyEntry, ChronologyFilter, FamilyPage, FamilySummary};
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::Utc;

const PAGE_SIZE: i64 = 50;

#[derive(Template)]
#[template(path = "families.html")]
struct FamiliesPage {
    chrome: Chrome,
    /// The list's address up to the page number, for pagination links.
    page_base: String,
    families: Vec<FamilySummary>,
    total: i64,
    q: String,
    page: i64,
    pages: i64,
    search_error: Option<String>,
}

pub async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    RawQuery(query): RawQuery,
) -> Result<Response, AppError> {
    viewer.require_families()?;
    let data = FormData::parse(query.unwrap_or_default().as_bytes());
    let q = data.get("q").trim().chars().take(100).collect::<String>();
    let page = validate::page_number(&data);
    let search_error = alongside_domain::validate::control_characters("The search", &q);
    let result = if search_error.is_some() {
        alongside_store::Page {
            items: Vec::new(),
            total: 0,
        }
    } else {
        state
            .store
            .families(
                &viewer.actor,
                (!q.is_empty()).then_some(q.as_str()),
                PAGE_SIZE,
                (page - 1) * PAGE_SIZE,
            )
            .await?
    };
    render(&FamiliesPage {
        chrome: viewer.chrome("/families", state.config.demo),
        page_base: format!(
            "/families?{}&",
            form_urlencoded::Serializer::new(String::new())
                .append_pair("q", &q)
                .finish()
        ),
        pages: (result.total + PAGE_SIZE - 1) / PAGE_SIZE,
        families: result.items,
        total: result.total,
        q,
        page,
        search_error,
    })
}

#[derive(Template)]
#[template(path = "family.html")]
struct FamilyTemplate {
    chrome: Chrome,
    p: FamilyPage,
    /// Only the links this person may follow.
    can_invite: bool,
    can_submit: bool,
    plans: Vec<alongside_store::SafetyPlanRow>,
    today: chrono::NaiveDate,
    profiles: Vec<alongside_store::ProfileRow>,
}

pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    viewer.require_families()?;
    let id = parse_id(&id)?;
    let p = state.store.family_page(&viewer.actor, id).await?;
    let role = viewer.actor.role();
    render(&FamilyTemplate {
        chrome: viewer.chrome("/families", state.config.demo),
        p,
        can_invite: role.can(alongside_domain::roles::Capability::InviteParents),
        can_submit: role.can(alongside_domain::roles::Capability::SubmitIntelligence),
        plans: state.store.safety_plans(&viewer.actor, Some(id)).await?,
        today: alongside_domain::clock::uk_today(chrono::Utc::now()),
        profiles: state
            .store
            .missing_profiles(&viewer.actor, Some(id))
            .await?,
    })
}

#[derive(Template)]
#[template(path = "family_details.html")]
struct DetailsPage {
    chrome: Chrome,
    family_id: FamilyId,
    family_name: String,
    form: FormView,
}

pub async fn details_form(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    viewer.require_families()?;
    let id = parse_id(&id)?;
    let p = state.store.family_page(&viewer.actor, id).await?;
    let data = FormData::from_pairs(&[
        ("area", p.family.area.as_deref().unwrap_or("")),
        ("address", p.family.address.as_deref().unwrap_or("")),
    ]);
    render(&DetailsPage {
        chrome: viewer.chrome("/families", state.config.demo),
        family_id: id,
        family_name: p.family.name,
        form: FormView::new(data, FieldErrors::new()),
    })
}

pub async fn save_details(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    viewer.require_families()?;
    let id = parse_id(&id)?;
    let data = FormData::parse(&body);
    let mut e = FieldErrors::new();
    let area = v::optional_text(&mut e, "area", "The area", data.get("area"), 100);
    let address = v::optional_text(&mut e, "address", "The address", data.get("address"), 500);
    if e.is_empty() {
        state
            .store
            .update_family_details(
                &viewer.actor,
                id,
                area.as_deref(),
                address.as_deref(),
                Utc::now(),
            )
            .await?;
        return Ok(viewer.after_save(&format!("/families/{id}"), "family-saved"));
    }
    let name = family_name(&state, &viewer, id).await?;
    render_invalid(&DetailsPage {
        chrome: viewer.chrome("/families", state.config.demo),
        family_id: id,
        family_name: name,
        form: FormView::new(data, e),
    })
}

#[derive(Template)]
#[template(path = "member_new.html")]
struct MemberPage {
    chrome: Chrome,
    family_id: FamilyId,
    family_name: String,
    /// Where the form goes: a new member, or one being changed.
    action: String,
    heading: String,
    editing: bool,
    form: FormView,
    roles: Vec<Choice>,
    carer_kinds: Vec<Choice>,
    lives: Vec<Choice>,
}

/// The family's name; reading it also proves the viewer may see the family (and audits it).
pub(super) async fn family_name(
    state: &AppState,
    viewer: &Viewer,
    id: FamilyId,
) -> Result<String, AppError> {
    // Reading the page also proves the viewer may see the family (and audits it).
    Ok(state
        .store
        .family_page(&viewer.actor, id)
        .await?
        .family
        .name)
}

pub async fn member_form(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    viewer.require_families()?;
    let id = parse_id(&id)?;
    let name = family_name(&state, &viewer, id).await?;
    render(&member_page(&state, &viewer, id, name, FormView::default()))
}

fn member_page(
    state: &AppState,
    viewer: &Viewer,
    family_id: FamilyId,
    family_name: String,
    form: FormView,
) -> MemberPage {
    MemberPage {
        chrome: viewer.chrome("/families", state.config.demo),
        family_id,
        family_name,
        action: format!("/families/{family_id}/members/new"),
        heading: "Add a family member".into(),
        editing: false,
        form,
        roles: Choice::all::<MemberRole>(),
        carer_kinds: Choice::all::<CarerKind>(),
        lives: Choice::all::<LivingSituation>(),
    }
}

pub async fn add_member(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    viewer.require_families()?;
    let id = parse_id(&id)?;
    let data = FormData::parse(&body);
    let raw = raw_member(&data);
    match NewMember::parse(&raw, uk_today(Utc::now())) {
        Ok(m) => {
            state
                .store
                .add_member(&viewer.actor, id, &m, Utc::now())
                .await?;
            Ok(viewer.after_save(&format!("/families/{id}"), "member-added"))
        }
        Err(errors) => {
            let name = family_name(&state, &viewer, id).await?;
            render_invalid(&member_page(
                &state,
                &viewer,
                id,
                name,
                FormView::new(data, errors),
            ))
        }
    }
}

/// The member form as sent.
fn raw_member(data: &FormData) -> RawMember {
    RawMember {
        given_name: data.get("given").into(),
        family_name: data.get("family").into(),
        known_as: data.get("known-as").into(),
        member_role: data.get("role").into(),
        carer_kind: data.get("carer-kind").into(),
        date_of_birth: form_date(data, "dob"),
        relationship: data.get("relationship").into(),
        lives: data.get("lives").into(),
        lives_since: form_date(data, "lives-since"),
    }
}

/// One member of the family, to change.
async fn member_of(
    state: &AppState,
    viewer: &Viewer,
    family: FamilyId,
    member: &str,
) -> Result<(String, alongside_store::Member), AppError> {
    let member: MemberId = parse_id(member)?;
    let p = state.store.family_page(&viewer.actor, family).await?;
    let m = p
        .members
        .into_iter()
        .find(|m| m.id == member)
        .ok_or(AppError::NotFound)?;
    Ok((p.family.name, m))
}

fn edit_page(
    state: &AppState,
    viewer: &Viewer,
    family: FamilyId,
    name: String,
    m: &alongside_store::Member,
    form: FormView,
) -> MemberPage {
    let mut page = member_page(state, viewer, family, name, form);
    page.action = format!("/families/{family}/members/{}", m.id);
    page.heading = format!("Change {}'s details", m.given_name);
    page.editing = true;
    page
}

pub async fn member_edit_form(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, member)): Path<(String, String)>,
) -> Result<Response, AppError> {
    viewer.require_families()?;
    let id = parse_id(&id)?;
    let (name, m) = member_of(&state, &viewer, id, &member).await?;
    let date = |d: Option<chrono::NaiveDate>, part: &str| {
        d.map(|d| match part {
            "d" => d.format("%-d").to_string(),
            "m" => d.format("%-m").to_string(),
            _ => d.format("%Y").to_string(),
        })
        .unwrap_or_default()
    };
    let data = FormData::from_pairs(&[
        ("given", &m.given_name),
        ("family", &m.family_name),
        ("known-as", m.known_as.as_deref().unwrap_or("")),
        ("role", m.member_role.code()),
        ("carer-kind", m.carer_kind.map(|k| k.code()).unwrap_or("")),
        ("dob-day", &date(m.date_of_birth, "d")),
        ("dob-month", &date(m.date_of_birth, "m")),
        ("dob-year", &date(m.date_of_birth, "y")),
        ("relationship", m.relationship.as_deref().unwrap_or("")),
        ("lives", m.lives.map(|l| l.code()).unwrap_or("")),
        ("lives-since-day", &date(m.lives_since, "d")),
        ("lives-since-month", &date(m.lives_since, "m")),
        ("lives-since-year", &date(m.lives_since, "y")),
    ]);
    render(&edit_page(
        &state,
        &viewer,
        id,
        name,
        &m,
        FormView::new(data, FieldErrors::new()),
    ))
}

pub async fn update_member(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, member)): Path<(String, String)>,
    body: Bytes,
) -> Result<Response, AppError> {
    viewer.require_families()?;
    let id = parse_id(&id)?;
    let (name, m) = member_of(&state, &viewer, id, &member).await?;
    let data = FormData::parse(&body);
    match NewMember::parse(&raw_member(&data), uk_today(Utc::now())) {
        Ok(new) => {
            state
                .store
                .update_member(&viewer.actor, id, m.id, &new, Utc::now())
                .await?;
            Ok(viewer.after_save(&format!("/families/{id}"), "member-saved"))
        }
        Err(errors) => render_invalid(&edit_page(
            &state,
            &viewer,
            id,
            name,
            &m,
            FormView::new(data, errors),
        )),
    }
}

#[derive(Template)]
#[template(path = "strengths.html")]
struct StrengthsPage {
    chrome: Chrome,
    family_id: FamilyId,
    family_name: String,
    form: FormView,
}

pub async fn strengths_form(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    viewer.require_families()?;
    let id = parse_id(&id)?;
    let p = state.store.family_page(&viewer.actor, id).await?;
    let data = FormData::from_pairs(&[
        ("strengths", p.family.strengths.as_deref().unwrap_or("")),
        ("own-words", p.family.own_words.as_deref().unwrap_or("")),
    ]);
    render(&StrengthsPage {
        chrome: viewer.chrome("/families", state.config.demo),
        family_id: id,
        family_name: p.family.name,
        form: FormView::new(data, FieldErrors::new()),
    })
}

pub async fn save_strengths(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    viewer.require_families()?;
    let id = parse_id(&id)?;
    let data = FormData::parse(&body);
    let mut e = FieldErrors::new();
    let strengths = v::optional_text(
        &mut e,
        "strengths",
        "Strengths",
        data.get("strengths"),
        LONG_TEXT_MAX,
    );
    let own_words = v::optional_text(
        &mut e,
        "own-words",
        "The family's own words",
        data.get("own-words"),
        LONG_TEXT_MAX,
    );
    if e.is_empty() {
        state
            .store
            .update_strengths(
                &viewer.actor,
                id,
                strengths.as_deref(),
                own_words.as_deref(),
                None,
                Utc::now(),
            )
            .await?;
        return Ok(viewer.after_save(&format!("/families/{id}"), "strengths-saved"));
    }
    let name = family_name(&state, &viewer, id).await?;
    render_invalid(&StrengthsPage {
        chrome: viewer.chrome("/families", state.config.demo),
        family_id: id,
        family_name: name,
        form: FormView::new(data, e),
    })
}

#[derive(Template)]
#[template(path = "contact_new.html")]
struct ContactPage {
    chrome: Chrome,
    family_id: FamilyId,
    family_name: String,
    form: FormView,
    kinds: Vec<Choice>,
    statuses: Vec<Choice>,
    visibilities: Vec<Choice>,
}

fn contact_page(
    state: &AppState,
    viewer: &Viewer,
    family_id: FamilyId,
    family_name: String,
    form: FormView,
) -> ContactPage {
    ContactPage {
        chrome: viewer.chrome("/families", state.config.demo),
        family_id,
        family_name,
        form,
        kinds: Choice::all::<ContactKind>(),
        statuses: vec![
            Choice {
                value: ContactStatus::Held.code().into(),
                label: "It has happened".into(),
            },
            Choice {
                value: ContactStatus::Planned.code().into(),
                label: "It is planned".into(),
            },
        ],
        visibilities: Choice::all::<Visibility>(),
    }
}

pub async fn contact_form(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    viewer.require_families()?;
    let id = parse_id(&id)?;
    let name = family_name(&state, &viewer, id).await?;
    // Confidential is the safe default for a support note.
    let data = FormData::from_pairs(&[
        ("visibility", Visibility::Confidential.code()),
        ("status", ContactStatus::Held.code()),
    ]);
    render(&contact_page(
        &state,
        &viewer,
        id,
        name,
        FormView::new(data, FieldErrors::new()),
    ))
}

pub async fn add_contact(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    viewer.require_families()?;
    let id = parse_id(&id)?;
    let data = FormData::parse(&body);
    let raw = RawContact {
        kind: data.get("kind").into(),
        status: data.get("status").into(),
        date: form_date(&data, "date"),
        time: data.get("time").into(),
        duration: data.get("duration").into(),
        participants: data.get("participants").into(),
        note: data.get("note").into(),
        visibility: data.get("visibility").into(),
    };
    match NewContact::parse(&raw, uk_local(Utc::now())) {
        Ok(c) => {
            state
                .store
                .add_contact(&viewer.actor, id, &c, Utc::now())
                .await?;
            Ok(viewer.after_save(&format!("/families/{id}"), "contact-added"))
        }
        Err(errors) => {
            let name = family_name(&state, &viewer, id).await?;
            render_invalid(&contact_page(
                &state,
                &viewer,
                id,
                name,
                FormView::new(data, errors),
            ))
        }
    }
}

/// The chronology filter as typed, and what it means.
fn chronology_filter(data: &FormData, e: &mut FieldErrors) -> ChronologyFilter {
    let today = uk_today(Utc::now());
    let kinds = data
        .all("kind")
        .into_iter()
        .filter_map(|k| v::code::<ChronologyKind>(e, "kind", "A type of event", k, false))
        .collect();
    let (from, to) = validate::date_range(e, data, today);
    let page = validate::page_number(data);
    ChronologyFilter {
        kinds,
        from,
        to,
        limit: PAGE_SIZE,
        offset: (page - 1) * PAGE_SIZE,
        oldest_first: false,
    }
}

#[derive(Template)]
#[template(path = "chronology.html")]
struct ChronologyPage {
    chrome: Chrome,
    family_id: FamilyId,
    family_name: String,
    form: FormView,
    kinds: Vec<Choice>,
    entries: Vec<ChronologyEntry>,
    total: i64,
    page: i64,
    pages: i64,
    /// The filter as a query string, for the export link.
    query: String,
    page_base: String,
}

pub async fn chronology(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, AppError> {
    viewer.require_families()?;
    let id = parse_id(&id)?;
    let raw_query = query.unwrap_or_default();
    let mut data = FormData::parse(raw_query.as_bytes());
    let mut errors = FieldErrors::new();
    let filter = chronology_filter(&data, &mut errors);
    let name = family_name(&state, &viewer, id).await?;
    let (entries, total) = if errors.is_empty() {
        let page = state.store.chronology(&viewer.actor, id, &filter).await?;
        (page.items, page.total)
    } else {
        (Vec::new(), 0)
    };
    let page = filter.offset / PAGE_SIZE + 1;
    data.0.retain(|(k, _)| k != "page");
    let query = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(data.0.iter())
        .finish();
    let t = ChronologyPage {
        chrome: viewer.chrome("/families", state.config.demo),
        family_id: id,
        family_name: name,
        kinds: Choice::all::<ChronologyKind>(),
        entries,
        total,
        page,
        pages: (total + PAGE_SIZE - 1) / PAGE_SIZE,
        page_base: format!("/families/{id}/chronology?{query}&"),
        query,
        form: FormView::new(data, errors),
    };
    if t.form.has_errors() {
        render_invalid(&t)
    } else {
        render(&t)
    }
}

pub async fn chronology_csv(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, AppError> {
    viewer.require_families()?;
    let id = parse_id(&id)?;
    let query = query.unwrap_or_default();
    let data = FormData::parse(query.as_bytes());
    let mut errors = FieldErrors::new();
    let mut filter = chronology_filter(&data, &mut errors);
    if !errors.is_empty() {
        return Err(AppError::NotFound);
    }
    filter.limit = 100_000;
    filter.offset = 0;
    filter.oldest_first = true;
    let page = state.store.chronology(&viewer.actor, id, &filter).await?;
    state
        .store
        .record_audit(
            &viewer.actor,
            &AuditEvent::new(AuditAction::Export, AuditRecord::Chronology, None, Some(id)).change(
                format!("filter {}", query.chars().take(200).collect::<String>()),
                "exported as CSV",
            ),
        )
        .await?;
    let body = alongside_network::spreadsheet_csv(
        &[
            "date",
            "time",
            "type",
            "summary",
            "detail",
            "visibility",
            "recorded_by",
        ],
        page.items.iter().map(|e| {
            vec![
                e.occurred_at.date().format("%Y-%m-%d").to_string(),
                e.occurred_at.format("%H:%M").to_string(),
                e.kind.label().to_string(),
                e.summary.clone(),
                e.detail.clone().unwrap_or_default(),
                e.visibility.label().to_string(),
                e.recorded_by.clone(),
            ]
        }),
    );
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"chronology-family-{id}.csv\""),
            ),
        ],
        body,
    )
        .into_response())
}

/// Words for a member's place and kind, for the family page.
pub fn member_role(m: &alongside_store::Member) -> String {
    match (m.member_role, m.carer_kind) {
        (MemberRole::ParentCarer, Some(k)) => k.label().to_string(),
        (r, _) => r.label().to_string(),
    }
}
