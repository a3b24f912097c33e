//! Missing episodes (issue 12). A parent or carer says "my child is missing now" in a few
//! taps (`/my/missing-now`): the next screen says to call 999 and offers the child's
//! profile to hand over, and the team sees it at once on the caseload. The episode is
//! completed later, by the parent (`/my/episodes/{id}`) or a worker (`/episodes/{id}`);
//! a worker records a past one from the child's profile (`/children/{id}/episodes/new`).

use super::{parse_id, render, render_invalid, Face};
use crate::auth::{Chrome, Viewer};
use crate::error::AppError;
use crate::forms::{Choice, FormData, FormView};
use crate::AppState;
use alongside_domain::clock::uk_local;
use alongside_domain::episodes::{
    EpisodeDetails, FoundBy, NewMissingNow, RawEpisode, RawMissingNow, RiskGrading,
};
use alongside_domain::ids::*;
use alongside_domain::roles::Capability;
use alongside_domain::validate::FieldErrors;
use alongside_domain::Code;
use alongside_store::{EpisodeView, ProfileRow, StoreError};
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::response::Response;
use chrono::{Datelike, NaiveDateTime, Utc};

fn raw_episode(d: &FormData) -> RawEpisode {
    let date = |n: &str| super::validate::form_date(d, n);
    let t = |n: &str| d.get(n).to_string();
    RawEpisode {
        last_seen: date("last-seen"),
        last_seen_time: t("last-seen-time"),
        last_seen_where: t("last-seen-where"),
        last_seen_with: t("last-seen-with"),
        reported: t("reported"),
        reported_on: date("reported-on"),
        reported_time: t("reported-time"),
        reported_by: t("reported-by"),
        police_reference: t("police-reference"),
        risk: t("risk"),
        searches: t("searches"),
        clothing: t("clothing"),
        possessions: t("possessions"),
        state_of_mind: t("state-of-mind"),
        returned: date("returned"),
        returned_time: t("returned-time"),
        found_where: t("found-where"),
        found_by: t("found-by"),
        found_with: t("found-with"),
        how_returned: t("how-returned"),
        search_nights: t("search-nights"),
    }
}

/// The form's fields of what is recorded.
fn form_of(e: &EpisodeDetails) -> FormData {
    let mut d = FormData::default();
    let moment = |d: &mut FormData, name: &str, at: Option<NaiveDateTime>| {
        if let Some(at) = at {
            d.set(&format!("{name}-day"), at.day().to_string());
            d.set(&format!("{name}-month"), at.month().to_string());
            d.set(&format!("{name}-year"), at.year().to_string());
        }
    };
    let text = |d: &mut FormData, name: &str, v: &Option<String>| {
        d.set(name, v.clone().unwrap_or_default())
    };
    moment(&mut d, "last-seen", Some(e.last_seen_at));
    d.set("last-seen-time", e.last_seen_at.format("%H:%M").to_string());
    text(&mut d, "last-seen-where", &e.last_seen_where);
    text(&mut d, "last-seen-with", &e.last_seen_with);
    d.set(
        "reported",
        if e.reported_at.is_some() { "yes" } else { "no" },
    );
    moment(&mut d, "reported-on", e.reported_at);
    if let Some(r) = e.reported_at {
        d.set("reported-time", r.format("%H:%M").to_string());
    }
    text(&mut d, "reported-by", &e.reported_by);
    text(&mut d, "police-reference", &e.police_reference);
    d.set("risk", e.risk.map(|r| r.code()).unwrap_or(""));
    text(&mut d, "searches", &e.searches);
    text(&mut d, "clothing", &e.clothing);
    text(&mut d, "possessions", &e.possessions);
    text(&mut d, "state-of-mind", &e.state_of_mind);
    moment(&mut d, "returned", e.returned_at);
    if let Some(r) = e.returned_at {
        d.set("returned-time", r.format("%H:%M").to_string());
    }
    text(&mut d, "found-where", &e.found_where);
    d.set("found-by", e.found_by.map(|f| f.code()).unwrap_or(""));
    text(&mut d, "found-with", &e.found_with);
    text(&mut d, "how-returned", &e.how_returned);
    d.set("search-nights", e.search_nights.to_string());
    d
}

// ---- "my child is missing now" ----

#[derive(Template)]
#[template(path = "missing_now.html")]
struct MissingNowPage {
    chrome: Chrome,
    children: Vec<Choice>,
    form: FormView,
}

async fn missing_now_page(
    state: &AppState,
    viewer: &Viewer,
    form: FormView,
) -> Result<MissingNowPage, AppError> {
    let children: Vec<ProfileRow> = state.store.missing_profiles(&viewer.actor, None).await?;
    Ok(MissingNowPage {
        chrome: viewer.chrome("/my", state.config.demo),
        children: children
            .into_iter()
            .map(|c| Choice {
                value: c.member_id.to_string(),
                label: c.name,
            })
            .collect(),
        form,
    })
}

pub async fn missing_now_form(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Result<Response, AppError> {
    viewer.require(Capability::UseParentPortal)?;
    let mut page = missing_now_page(&state, &viewer, FormView::default()).await?;
    // One child: chosen already.
    if page.children.len() == 1 {
        let only = page.children[0].value.clone();
        page.form.data.set("child", only);
    }
    render(&page)
}

pub async fn missing_now(
    State(state): State<AppState>,
    viewer: Viewer,
    body: Bytes,
) -> Result<Response, AppError> {
    viewer.require(Capability::UseParentPortal)?;
    let data = FormData::parse(&body);
    let raw = RawMissingNow {
        child: data.get("child").into(),
        last_seen_time: data.get("last-seen-time").into(),
        last_seen_where: data.get("last-seen-where").into(),
    };
    let errors = match NewMissingNow::parse(&raw, uk_local(Utc::now())) {
        Ok(new) => match state
            .store
            .report_missing_now(&viewer.actor, &new, Utc::now())
            .await
        {
            Ok(id) => {
                return Ok(
                    axum::response::Redirect::to(&format!("/my/episodes/{id}/now")).into_response(),
                )
            }
            Err(StoreError::Conflict(r)) => {
                let mut e = FieldErrors::new();
                e.add("child", r.to_string());
                e
            }
            Err(other) => return Err(other.into()),
        },
        Err(e) => e,
    };
    render_invalid(&missing_now_page(&state, &viewer, FormView::new(data, errors)).await?)
}

#[derive(Template)]
#[template(path = "missing_now_next.html")]
struct NextPage {
    chrome: Chrome,
    e: EpisodeView,
}

pub async fn missing_now_next(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    viewer.require(Capability::UseParentPortal)?;
    let e = state.store.episode(&viewer.actor, parse_id(&id)?).await?;
    render(&NextPage {
        chrome: viewer.chrome("/my", state.config.demo),
        e,
    })
}

// ---- an episode, completed as the facts come in ----

#[derive(Template)]
#[template(path = "episode.html")]
struct EpisodePage {
    chrome: Chrome,
    /// The episode (none yet: a new one for `child`).
    e: Option<EpisodeView>,
    child: alongside_store::ProfileChild,
    action: String,
    back: String,
    risks: Vec<Choice>,
    found: Vec<Choice>,
    form: FormView,
    /// Workers record the return-home interview; parents read what became of it.
    can_interview: bool,
    outcomes: Vec<Choice>,
    interview_form: FormView,
    /// For the workers: the hub's cost of a search night, and of this episode's nights.
    search_cost: Option<(String, String)>,
}

async fn episode_page(
    state: &AppState,
    viewer: &Viewer,
    id: EpisodeId,
    face: Face,
    form: Option<FormView>,
) -> Result<EpisodePage, AppError> {
    let e = state.store.episode(&viewer.actor, id).await?;
    let search_cost = if face == Face::Worker {
        let night = state
            .store
            .unit_costs(&viewer.actor)
            .await?
            .pence(alongside_domain::costs::UnitCost::SearchNight);
        let pounds = alongside_domain::costs::pounds;
        Some((pounds(night), pounds(night * e.details.search_nights)))
    } else {
        None
    };
    let form = form.unwrap_or_else(|| FormView::new(form_of(&e.details), FieldErrors::new()));
    let (action, back) = (
        format!("{}/episodes/{id}", face.prefix()),
        format!("{}/children/{}/profile", face.prefix(), e.child.member_id),
    );
    Ok(EpisodePage {
        chrome: viewer.chrome(face.nav(), state.config.demo),
        child: e.child.clone(),
        e: Some(e),
        action,
        back,
        risks: Choice::all::<RiskGrading>(),
        found: Choice::all::<FoundBy>(),
        form,
        can_interview: face == Face::Worker,
        outcomes: Choice::all::<alongside_domain::episodes::InterviewOutcome>(),
        interview_form: FormView::default(),
        search_cost,
    })
}

pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    face: Face,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    face.require(&viewer)?;
    render(&episode_page(&state, &viewer, parse_id(&id)?, face, None).await?)
}

pub async fn save(
    State(state): State<AppState>,
    viewer: Viewer,
    face: Face,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    face.require(&viewer)?;
    let id: EpisodeId = parse_id(&id)?;
    let data = FormData::parse(&body);
    match EpisodeDetails::parse(&raw_episode(&data), uk_local(Utc::now())) {
        Ok(d) => {
            state
                .store
                .update_episode(&viewer.actor, id, &d, Utc::now())
                .await?;
            let back = format!("{}/episodes/{id}", face.prefix());
            Ok(viewer.after_save(&back, "episode-saved"))
        }
        Err(e) => render_invalid(
            &episode_page(&state, &viewer, id, face, Some(FormView::new(data, e))).await?,
        ),
    }
}

async fn new_page(
    state: &AppState,
    viewer: &Viewer,
    child: MemberId,
    form: FormView,
) -> Result<EpisodePage, AppError> {
    let p = state.store.missing_profile(&viewer.actor, child).await?;
    Ok(EpisodePage {
        chrome: viewer.chrome("/families", state.config.demo),
        action: format!("/children/{child}/episodes/new"),
        back: format!("/children/{child}/profile"),
        child: p.child,
        e: None,
        risks: Choice::all::<RiskGrading>(),
        found: Choice::all::<FoundBy>(),
        form,
        can_interview: false,
        outcomes: Vec::new(),
        interview_form: FormView::default(),
        search_cost: None,
    })
}

pub async fn new_form(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    viewer.require_families()?;
    render(&new_page(&state, &viewer, parse_id(&id)?, FormView::default()).await?)
}

pub async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    viewer.require_families()?;
    let child: MemberId = parse_id(&id)?;
    let data = FormData::parse(&body);
    match EpisodeDetails::parse(&raw_episode(&data), uk_local(Utc::now())) {
        Ok(d) => {
            let id = state
                .store
                .add_episode(&viewer.actor, child, &d, Utc::now())
                .await?;
            Ok(viewer.after_save(&format!("/episodes/{id}"), "episode-saved"))
        }
        Err(e) => render_invalid(&new_page(&state, &viewer, child, FormView::new(data, e)).await?),
    }
}

use axum::response::IntoResponse;

/// Yes and no, for a radio question.
pub fn yes_no() -> Vec<Choice> {
    vec![
        Choice {
            value: "yes".into(),
            label: "Yes".into(),
        },
        Choice {
            value: "no".into(),
            label: "No".into(),
        },
    ]
}

/// The return-home interview after the episode (workers of the family).
pub async fn interview(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    viewer.require_families()?;
    let id: EpisodeId = parse_id(&id)?;
    let data = FormData::parse(&body);
    let e = state.store.episode(&viewer.actor, id).await?;
    let raw = alongside_domain::episodes::RawInterview {
        offered: super::validate::form_date(&data, "offered"),
        offered_time: data.get("offered-time").into(),
        offered_by: data.get("offered-by").into(),
        independent: data.get("independent").into(),
        outcome: data.get("outcome").into(),
        declined_info: data.get("declined-info").into(),
        not_held_reason: data.get("not-held-reason").into(),
        where_went: data.get("where-went").into(),
        with_whom: data.get("with-whom").into(),
        travel: data.get("travel").into(),
        push_factors: data.get("push-factors").into(),
        pull_factors: data.get("pull-factors").into(),
        indicators: data.get("indicators").into(),
    };
    let Some(back) = e.details.returned_at else {
        return Err(AppError::Conflict(
            StoreError::Conflict(alongside_store::Refusal::StillMissing).to_string(),
        ));
    };
    match alongside_domain::episodes::Interview::parse(&raw, back, uk_local(Utc::now())) {
        Ok(i) => {
            state
                .store
                .record_interview(&viewer.actor, id, &i, Utc::now())
                .await?;
            Ok(viewer.after_save(&format!("/episodes/{id}"), "interview-saved"))
        }
        Err(errors) => {
            let mut page = episode_page(&state, &viewer, id, Face::Worker, None).await?;
            page.interview_form = FormView::new(data, errors);
            render_invalid(&page)
        }
    }
}

/// When the return-home interview is due by, in words.
pub fn interview_due_text(d: &EpisodeDetails) -> String {
    crate::fmt::datetime(&alongside_domain::episodes::interview_due(
        d.returned_at.unwrap_or(d.last_seen_at),
    ))
}
