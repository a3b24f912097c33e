//! Referrals: recording one, the manager's list of open referrals with their response
//! times, and triage (threshold, decision, allocation).

use super::validate::form_date;
use super::{parse_id, render, render_invalid};
use crate::auth::{Chrome, Viewer};
use crate::error::AppError;
use crate::forms::{Choice, FormData, FormView};
use crate::AppState;
use alongside_domain::clock::uk_today;
use alongside_domain::family::CarerKind;
use alongside_domain::ids::UserId;
use alongside_domain::referral::{Indicator, ReferralSource, Threshold, TriageDecision};
use alongside_domain::referral::{NewReferral, RawPerson, RawReferral, RawTriage, Triage};
use alongside_domain::roles::{Capability, Role};
use alongside_domain::validate::{self as v, FieldErrors};
use alongside_domain::workdays;
use alongside_domain::Code as _;
use alongside_store::{ReferralDetail, ReferralRow, StoreError};
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::response::Response;
use chrono::Utc;

pub const CHILD_SLOTS: usize = 3;
pub const CARER_SLOTS: usize = 2;

fn raw_person(data: &FormData, prefix: &str) -> RawPerson {
    RawPerson {
        given_name: data.get(&format!("{prefix}-given")).to_string(),
        family_name: data.get(&format!("{prefix}-family")).to_string(),
        date_of_birth: form_date(data, &format!("{prefix}-dob")),
        carer_kind: data.get(&format!("{prefix}-kind")).to_string(),
    }
}

fn raw_referral(data: &FormData) -> RawReferral {
    RawReferral {
        source: data.get("source").to_string(),
        received: form_date(data, "received"),
        referrer_name: data.get("referrer-name").to_string(),
        referrer_contact: data.get("referrer-contact").to_string(),
        reasons: data.get("reasons").to_string(),
        indicators: data
            .all("indicators")
            .into_iter()
            .map(String::from)
            .collect(),
        indicators_other: data.get("indicators-other").to_string(),
        consent: data.get("consent").to_string(),
        children: (1..=CHILD_SLOTS)
            .map(|i| (format!("child{i}"), raw_person(data, &format!("child{i}"))))
            .collect(),
        carers: (1..=CARER_SLOTS)
            .map(|i| (format!("carer{i}"), raw_person(data, &format!("carer{i}"))))
            .collect(),
    }
}

#[derive(Template)]
#[template(path = "referral_new.html")]
struct NewReferralPage {
    chrome: Chrome,
    form: FormView,
    sources: Vec<Choice>,
    indicators: Vec<Choice>,
    carer_kinds: Vec<Choice>,
    consent: Vec<Choice>,
    children: Vec<PersonSlot>,
    carers: Vec<PersonSlot>,
}

/// The field names of one person in the referral form.
struct PersonSlot {
    legend: String,
    given: String,
    family: String,
    dob: String,
    kind: String,
}

impl PersonSlot {
    fn new(prefix: &str, legend: String) -> Self {
        Self {
            legend,
            given: format!("{prefix}-given"),
            family: format!("{prefix}-family"),
            dob: format!("{prefix}-dob"),
            kind: format!("{prefix}-kind"),
        }
    }
}

impl NewReferralPage {
    fn new(chrome: Chrome, form: FormView) -> Self {
        Self {
            chrome,
            form,
            sources: Choice::all::<ReferralSource>(),
            indicators: Choice::all::<Indicator>(),
            carer_kinds: Choice::all::<CarerKind>(),
            consent: vec![
                Choice {
                    value: "yes".into(),
                    label: "Yes".into(),
                },
                Choice {
                    value: "no".into(),
                    label: "No".into(),
                },
            ],
            children: (1..=CHILD_SLOTS)
                .map(|i| {
                    PersonSlot::new(
                        &format!("child{i}"),
                        if i == 1 {
                            "Child".into()
                        } else {
                            format!("Another child (optional, {i} of {CHILD_SLOTS})")
                        },
                    )
                })
                .collect(),
            carers: (1..=CARER_SLOTS)
                .map(|i| {
                    PersonSlot::new(
                        &format!("carer{i}"),
                        format!("Parent or carer (optional, {i} of {CARER_SLOTS})"),
                    )
                })
                .collect(),
        }
    }
}

pub async fn new_form(State(state): State<AppState>, viewer: Viewer) -> Result<Response, AppError> {
    viewer.require(Capability::CreateReferral)?;
    render(&NewReferralPage::new(
        viewer.chrome("/referrals/new", state.config.demo),
        FormView::default(),
    ))
}

pub async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    body: Bytes,
) -> Result<Response, AppError> {
    viewer.require(Capability::CreateReferral)?;
    let data = FormData::parse(&body);
    let today = uk_today(Utc::now());
    match NewReferral::parse(&raw_referral(&data), today) {
        Err(errors) => render_invalid(&NewReferralPage::new(
            viewer.chrome("/referrals/new", state.config.demo),
            FormView::new(data, errors),
        )),
        Ok(new) => {
            let created = state
                .store
                .create_referral(&viewer.actor, &new, Utc::now())
                .await?;
            Ok(viewer.after_save(
                &format!("/referrals/{}", created.referral_id),
                "referral-saved",
            ))
        }
    }
}

/// A row of the open-referrals table, with its response times.
struct OpenReferral {
    row: ReferralRow,
    /// Working days from receipt to first contact (or to today while waiting).
    working_days: i64,
    past_target: bool,
}

#[derive(Template)]
#[template(path = "referrals.html")]
struct ReferralsPage {
    chrome: Chrome,
    open: Vec<OpenReferral>,
    target: i64,
    form: FormView,
    past_target: usize,
    /// Alerts the hub has not yet looked at (the manager's dashboard shows them first).
    new_alerts: i64,
    /// Accounts of the hub waiting for a manager's approval, and the latest changes to
    /// the hub's accounts (separation of duties).
    awaiting: Vec<alongside_store::User>,
    account_notices: Vec<alongside_store::AccountNotice>,
    nations: Vec<Choice>,
}

async fn referrals_page(
    state: &AppState,
    viewer: &Viewer,
    form: Option<FormView>,
) -> Result<ReferralsPage, AppError> {
    let hub = state
        .store
        .hub_by_name(viewer.actor.hub_name())
        .await?
        .ok_or(AppError::NotFound)?;
    let today = uk_today(Utc::now());
    let hub_holidays = state.store.hub_holidays(&viewer.actor).await?;
    let holidays = hub_holidays.holidays();
    let rows = state.store.referrals(&viewer.actor, true).await?;
    let open: Vec<OpenReferral> = rows
        .into_iter()
        .map(|row| {
            let end = row.first_contact_at.map(|t| t.date()).unwrap_or(today);
            let working_days = workdays::working_days_between(row.received_on, end, &holidays);
            let past_target =
                row.first_contact_at.is_none() && working_days > hub.first_contact_target_days;
            OpenReferral {
                row,
                working_days,
                past_target,
            }
        })
        .collect();
    let service = state
        .store
        .parent_service_name(&viewer.actor)
        .await?
        .unwrap_or_default();
    let form = form.unwrap_or_else(|| {
        FormView::new(
            FormData::from_pairs(&[
                ("target", &hub.first_contact_target_days.to_string()),
                ("cross-hub-limit", &hub.cross_hub_daily_limit.to_string()),
                ("parent-service-name", &service),
                ("nation", hub_holidays.nation.code()),
            ]),
            FieldErrors::new(),
        )
    });
    Ok(ReferralsPage {
        nations: Choice::all::<alongside_domain::workdays::Nation>(),
        chrome: viewer.chrome("/referrals", state.config.demo),
        past_target: open.iter().filter(|o| o.past_target).count(),
        new_alerts: state.store.unseen_alerts(&viewer.actor).await?,
        awaiting: if viewer.actor.role().can(Capability::ApproveAccounts) {
            state
                .store
                .accounts_awaiting_approval(&viewer.actor)
                .await?
        } else {
            Vec::new()
        },
        account_notices: if viewer.actor.role().can(Capability::ApproveAccounts) {
            state.store.account_notices(&viewer.actor, 10).await?
        } else {
            Vec::new()
        },
        open,
        target: hub.first_contact_target_days,
        form,
    })
}

pub async fn list(State(state): State<AppState>, viewer: Viewer) -> Result<Response, AppError> {
    viewer.require(Capability::TriageReferrals)?;
    render(&referrals_page(&state, &viewer, None).await?)
}

pub async fn settings(
    State(state): State<AppState>,
    viewer: Viewer,
    body: Bytes,
) -> Result<Response, AppError> {
    viewer.require(Capability::TriageReferrals)?;
    let data = FormData::parse(&body);
    let mut errors = FieldErrors::new();
    let days = v::number_in_range(
        &mut errors,
        "target",
        "Working days to first contact",
        data.get("target"),
        1..=60,
        true,
    );
    let limit = v::number_in_range(
        &mut errors,
        "cross-hub-limit",
        "Matches with other hubs a day",
        data.get("cross-hub-limit"),
        0..=200,
        false,
    );
    let nation = v::code::<alongside_domain::workdays::Nation>(
        &mut errors,
        "nation",
        "The nation whose bank holidays the hub keeps",
        data.get("nation"),
        false,
    );
    let service = v::optional_text(
        &mut errors,
        "parent-service-name",
        "The name parents and carers see",
        data.get("parent-service-name"),
        40,
    );
    match (days, errors.is_empty()) {
        (Some(days), true) => {
            state
                .store
                .set_first_contact_target(&viewer.actor, days)
                .await?;
            state
                .store
                .set_parent_service_name(&viewer.actor, service.as_deref())
                .await?;
            state.actors.forget_hub(viewer.actor.hub_id());
            if let Some(nation) = nation {
                state.store.set_hub_nation(&viewer.actor, nation).await?;
            }
            if let Some(limit) = limit {
                state
                    .store
                    .set_cross_hub_daily_limit(&viewer.actor, limit)
                    .await?;
            }
            Ok(viewer.after_save("/referrals", "settings-saved"))
        }
        _ => render_invalid(
            &referrals_page(&state, &viewer, Some(FormView::new(data, errors))).await?,
        ),
    }
}

#[derive(Template)]
#[template(path = "referral.html")]
struct ReferralPage {
    chrome: Chrome,
    r: ReferralDetail,
    can_triage: bool,
    can_see_family: bool,
}

pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let r = state.store.referral(&viewer.actor, id).await?;
    let role = viewer.actor.role();
    let can_see_family = role.can(Capability::SeeAllHubFamilies)
        || r.lead_plo_id == Some(viewer.actor.user_id())
        || r.csw_id == Some(viewer.actor.user_id());
    render(&ReferralPage {
        chrome: viewer.chrome("/referrals", state.config.demo),
        can_triage: role.can(Capability::TriageReferrals),
        can_see_family,
        r,
    })
}

#[derive(Template)]
#[template(path = "triage.html")]
struct TriagePage {
    chrome: Chrome,
    r: ReferralDetail,
    form: FormView,
    thresholds: Vec<Choice>,
    decisions: Vec<Choice>,
    plos: Vec<Choice>,
    csws: Vec<Choice>,
}

async fn triage_page(
    state: &AppState,
    viewer: &Viewer,
    r: ReferralDetail,
    form: FormView,
) -> Result<TriagePage, AppError> {
    // Each worker with their caseload, so allocation is made knowing it.
    let rules = state.store.caseload_rules(&viewer.actor).await?;
    let capacity = if viewer.actor.role().can(Capability::ViewCapacity) {
        state.store.capacity(&viewer.actor).await?
    } else {
        Vec::new()
    };
    let workers = |users: Vec<alongside_store::User>| {
        users
            .into_iter()
            .map(|u| {
                let label = match capacity.iter().find(|c| c.user_id == u.id) {
                    Some(c) => format!(
                        "{} ({} families, {} high; weighted {} of {}{})",
                        u.display_name,
                        c.total(),
                        c.high,
                        c.load(&rules),
                        rules.limit,
                        if c.load(&rules) > rules.limit {
                            ", over the limit"
                        } else {
                            ""
                        }
                    ),
                    None => u.display_name,
                };
                Choice {
                    value: u.id.to_string(),
                    label,
                }
            })
            .collect()
    };
    Ok(TriagePage {
        chrome: viewer.chrome("/referrals", state.config.demo),
        r,
        form,
        thresholds: Choice::all::<Threshold>(),
        decisions: Choice::all::<TriageDecision>(),
        plos: workers(state.store.hub_workers(&viewer.actor, Role::Plo).await?),
        csws: workers(state.store.hub_workers(&viewer.actor, Role::Csw).await?),
    })
}

pub async fn triage_form(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    viewer.require(Capability::TriageReferrals)?;
    let id = parse_id(&id)?;
    let r = state.store.referral(&viewer.actor, id).await?;
    // Start from the current decision, so a re-triage changes only what it must.
    let opt = |v: Option<UserId>| v.map(|n| n.to_string()).unwrap_or_default();
    let data = FormData::from_pairs(&[
        (
            "threshold",
            r.row
                .threshold
                .map(alongside_domain::Code::code)
                .unwrap_or(""),
        ),
        ("reasoning", r.threshold_reasoning.as_deref().unwrap_or("")),
        (
            "decision",
            r.decision.map(alongside_domain::Code::code).unwrap_or(""),
        ),
        ("plo", &opt(r.lead_plo_id)),
        ("csw", &opt(r.csw_id)),
    ]);
    render(&triage_page(&state, &viewer, r, FormView::new(data, FieldErrors::new())).await?)
}

pub async fn triage(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    viewer.require(Capability::TriageReferrals)?;
    let id = parse_id(&id)?;
    let data = FormData::parse(&body);
    let raw = RawTriage {
        threshold: data.get("threshold").into(),
        reasoning: data.get("reasoning").into(),
        decision: data.get("decision").into(),
        plo_id: data.get("plo").into(),
        csw_id: data.get("csw").into(),
    };
    let errors = match Triage::parse(&raw) {
        Ok(t) => match state
            .store
            .triage_referral(&viewer.actor, id, &t, Utc::now())
            .await
        {
            Ok(()) => return Ok(viewer.after_save(&format!("/referrals/{id}"), "triage-saved")),
            Err(StoreError::Conflict(msg)) => {
                let mut e = FieldErrors::new();
                e.add(
                    if msg == alongside_store::Refusal::NotHubCsw {
                        "csw"
                    } else {
                        "plo"
                    },
                    msg,
                );
                e
            }
            Err(other) => return Err(other.into()),
        },
        Err(e) => e,
    };
    let r = state.store.referral(&viewer.actor, id).await?;
    render_invalid(&triage_page(&state, &viewer, r, FormView::new(data, errors)).await?)
}
