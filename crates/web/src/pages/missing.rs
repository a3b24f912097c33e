//! A child's missing-from-home profile (issue 12; the Philomena Protocol's Part 1): kept
//! ready by the family's workers (`/children/{id}/profile`) and by the parents on the
//! portal, on a phone (`/my/children/{id}/profile`); a recent photo, kept as its pixels
//! alone; a print view to hand to the police when the child is missing.

use super::{parse_id, photo_response, render, render_invalid, render_status, Face};
use crate::auth::{Chrome, Viewer};
use crate::error::AppError;
use crate::forms::{read_multipart, FormData, FormView, FromForm};
use crate::AppState;
use alongside_domain::ids::*;
use alongside_domain::missing::{NewProfile, ProfileContent, RawProfile, FRIEND_ROWS};
use alongside_domain::validate::FieldErrors;
use alongside_store::{EpisodeRow, ProfileView, StoreError};
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::Utc;

/// Where the pages are: the worker's (`/children/{id}/profile`), the parent's
/// (`/my/children/{id}/profile`) or the police partner's (`/police/children/{id}/profile`).
fn base(face: Face, child: MemberId) -> String {
    format!("{}/children/{child}/profile", face.prefix())
}

#[derive(Template)]
#[template(path = "profile.html")]
struct ProfilePage {
    chrome: Chrome,
    p: ProfileView,
    face: Face,
    base: String,
    form: FormView,
    episodes: Vec<EpisodeRow>,
    patterns: alongside_domain::episodes::Patterns,
}

/// The child's previous episodes as the print view and the PDF list them.
pub(crate) fn episode_lines(episodes: &[EpisodeRow]) -> Vec<String> {
    episodes
        .iter()
        .map(|e| {
            let mut s = format!("Last seen {}", crate::fmt::datetime(&e.last_seen_at));
            match e.returned_at {
                Some(r) => s.push_str(&format!("; back {}", crate::fmt::datetime(&r))),
                None => s.push_str("; still missing"),
            }
            if let Some(w) = &e.found_where {
                s.push_str(&format!(", found at {w}"));
            }
            s
        })
        .collect()
}

async fn profile_page(
    state: &AppState,
    viewer: &Viewer,
    child: MemberId,
    face: Face,
    form: FormView,
) -> Result<ProfilePage, AppError> {
    let p = state.store.missing_profile(&viewer.actor, child).await?;
    let episodes = state.store.child_episodes(&viewer.actor, child).await?;
    let seen: Vec<_> = episodes
        .iter()
        .map(|e| (e.last_seen_at, e.found_where.as_deref()))
        .collect();
    let today = alongside_domain::clock::uk_today(Utc::now());
    Ok(ProfilePage {
        chrome: viewer.chrome(face.nav(), state.config.demo),
        p,
        face,
        base: base(face, child),
        form,
        patterns: alongside_domain::episodes::Patterns::of(&seen, today),
        episodes,
    })
}

pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    face: Face,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    face.require(&viewer)?;
    let child: MemberId = parse_id(&id)?;
    render(&profile_page(&state, &viewer, child, face, FormView::default()).await?)
}

#[derive(Template)]
#[template(path = "profile_form.html")]
struct ProfileFormPage {
    chrome: Chrome,
    p: ProfileView,
    base: String,
    rows: Vec<usize>,
    form: FormView,
}

/// The form's fields of what is saved, so that a change starts from it.
fn form_of(c: &ProfileContent) -> FormData {
    let mut d = FormData::default();
    let names = [
        "nicknames",
        "place-of-birth",
        "height",
        "build",
        "hair",
        "eyes",
        "marks",
        "appearance",
        "phones",
        "other-sims",
        "online",
        "places",
        "risk-locations",
        "vehicles",
        "medical",
        "medication",
        "school",
        "transport",
    ];
    for (name, (_, value)) in names.iter().zip(c.parts()) {
        d.set(name, value.clone().unwrap_or_default());
    }
    for (i, f) in c.friends.iter().enumerate() {
        let n = i + 1;
        d.set(&format!("friend{n}-name"), f.name.clone());
        d.set(
            &format!("friend{n}-child"),
            if f.child { "yes" } else { "no" },
        );
        d.set(
            &format!("friend{n}-about"),
            f.about.clone().unwrap_or_default(),
        );
    }
    d
}

fn friend_rows(form: &FormView) -> Vec<usize> {
    let max = alongside_domain::missing::FRIENDS_MAX;
    let filled = (1..=max)
        .filter(|n| !form.value(&format!("friend{n}-name")).is_empty())
        .max()
        .unwrap_or(0);
    (1..=(filled + 2).clamp(FRIEND_ROWS, max)).collect()
}

async fn form_page(
    state: &AppState,
    viewer: &Viewer,
    child: MemberId,
    face: Face,
    form: Option<FormView>,
) -> Result<ProfileFormPage, AppError> {
    let p = state.store.missing_profile(&viewer.actor, child).await?;
    let form = form.unwrap_or_else(|| {
        let mut d = p.content.as_ref().map(form_of).unwrap_or_default();
        d.set("read", p.version().to_string());
        FormView::new(d, FieldErrors::new())
    });
    Ok(ProfileFormPage {
        chrome: viewer.chrome(face.nav(), state.config.demo),
        rows: friend_rows(&form),
        base: base(face, child),
        p,
        form,
    })
}

pub async fn edit_form(
    State(state): State<AppState>,
    viewer: Viewer,
    face: Face,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    face.require(&viewer)?;
    let child: MemberId = parse_id(&id)?;
    render(&form_page(&state, &viewer, child, face, None).await?)
}

pub async fn save(
    State(state): State<AppState>,
    viewer: Viewer,
    face: Face,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    face.require(&viewer)?;
    let child: MemberId = parse_id(&id)?;
    let data = FormData::parse(&body);
    let read = data.get("read").parse::<i64>().unwrap_or(0);
    let mut status = StatusCode::UNPROCESSABLE_ENTITY;
    let errors = match NewProfile::parse(&RawProfile::from_form(&data)) {
        Ok(new) => match state
            .store
            .save_missing_profile(&viewer.actor, child, read, &new, Utc::now())
            .await
        {
            Ok(_) => return Ok(viewer.after_save(&base(face, child), "profile-saved")),
            Err(StoreError::Conflict(r)) => {
                status = StatusCode::CONFLICT;
                let mut e = FieldErrors::new();
                e.add("nicknames", format!("{r}: what you typed is below; the profile as saved meanwhile is on its page"));
                e
            }
            Err(other) => return Err(other.into()),
        },
        Err(e) => e,
    };
    let page = form_page(
        &state,
        &viewer,
        child,
        face,
        Some(FormView::new(data, errors)),
    )
    .await?;
    render_status(status, &page)
}

pub async fn add_photo(
    State(state): State<AppState>,
    viewer: Viewer,
    face: Face,
    Path(id): Path<String>,
    form: Multipart,
) -> Result<Response, AppError> {
    face.require(&viewer)?;
    let child: MemberId = parse_id(&id)?;
    let Ok((data, files, mut errors)) = read_multipart(form).await else {
        return Ok(crate::error::error_page(
            StatusCode::BAD_REQUEST,
            "The form could not be read",
            "Go back and choose the photo again.",
        ));
    };
    if files.is_empty() && errors.is_empty() {
        errors.add("photos", "Choose a recent photo of them");
    }
    if let (Some(photo), true) = (files.first(), errors.is_empty()) {
        match state
            .store
            .add_profile_photo(
                &viewer.actor,
                child,
                photo.content_type(),
                photo.bytes(),
                Utc::now(),
            )
            .await
        {
            Ok(()) => return Ok(viewer.after_save(&base(face, child), "profile-photo-saved")),
            Err(StoreError::Conflict(r)) => errors.add("photos", r.to_string()),
            Err(other) => return Err(other.into()),
        }
    }
    render_invalid(&profile_page(&state, &viewer, child, face, FormView::new(data, errors)).await?)
}

pub async fn photo(
    State(state): State<AppState>,
    viewer: Viewer,
    face: Face,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    face.require(&viewer)?;
    let child: MemberId = parse_id(&id)?;
    let (content_type, bytes) = state
        .store
        .profile_photo(&viewer.actor, child)
        .await?
        .ok_or(AppError::NotFound)?;
    let ext = content_type.trim_start_matches("image/");
    Ok(photo_response(
        &content_type,
        &format!("photo.{ext}"),
        bytes,
    ))
}

#[derive(Template)]
#[template(path = "profile_print.html")]
struct PrintPage {
    chrome: Chrome,
    p: ProfileView,
    base: String,
    printed: String,
    episodes: Vec<String>,
}

pub async fn print(
    State(state): State<AppState>,
    viewer: Viewer,
    face: Face,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    face.require(&viewer)?;
    let child: MemberId = parse_id(&id)?;
    let p = state.store.missing_profile(&viewer.actor, child).await?;
    render(&PrintPage {
        chrome: viewer.chrome(face.nav(), state.config.demo),
        p,
        base: base(face, child),
        printed: crate::fmt::datetime(&alongside_domain::clock::uk_local(Utc::now())),
        episodes: episode_lines(&state.store.child_episodes(&viewer.actor, child).await?),
    })
}

/// The profile as a PDF, to keep on the phone and send or hand to the police. An
/// unwritten profile has no document (404); the photo goes in as it is stored.
pub async fn pdf(
    State(state): State<AppState>,
    viewer: Viewer,
    face: Face,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    face.require(&viewer)?;
    let child: MemberId = parse_id(&id)?;
    let p = state.store.missing_profile(&viewer.actor, child).await?;
    if p.content.is_none() {
        return Err(AppError::NotFound);
    }
    let photo = match p.photo {
        Some(_) => state.store.profile_photo(&viewer.actor, child).await?,
        None => None,
    };
    let printed = crate::fmt::datetime(&alongside_domain::clock::uk_local(Utc::now()));
    let episodes = episode_lines(&state.store.child_episodes(&viewer.actor, child).await?);
    // Laying out and compressing is CPU work: off the async threads.
    let pdf = tokio::task::spawn_blocking(move || {
        crate::profile_pdf::profile_pdf(
            &p,
            photo.as_ref().map(|(t, b)| (t.as_str(), b.as_slice())),
            &episodes,
            &printed,
        )
    })
    .await
    .map_err(|e| AppError::Internal(format!("the PDF task stopped: {e}")))?
    .map_err(AppError::Internal)?;
    Ok((
        [
            (
                axum::http::header::CONTENT_TYPE,
                "application/pdf".to_string(),
            ),
            (
                axum::http::header::CONTENT_DISPOSITION,
                "attachment; filename=\"missing-from-home-profile.pdf\"".to_string(),
            ),
            (axum::http::header::CACHE_CONTROL, "no-store".to_string()),
        ],
        pdf,
    )
        .into_response())
}

/// The family or their PLO shares the profile with the hub's police partner, saying why
/// (the police read it otherwise only while the child is missing).
pub async fn share(
    State(state): State<AppState>,
    viewer: Viewer,
    face: Face,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    face.require(&viewer)?;
    let child: MemberId = parse_id(&id)?;
    let data = FormData::parse(&body);
    let mut errors = FieldErrors::new();
    let reason = alongside_domain::validate::required_text(
        &mut errors,
        "share-reason",
        "Why the police should have it now",
        data.get("share-reason"),
        alongside_domain::validate::SHORT_TEXT_MAX,
    );
    if errors.is_empty() {
        match state
            .store
            .share_profile(&viewer.actor, child, &reason, Utc::now())
            .await
        {
            Ok(()) => return Ok(viewer.after_save(&base(face, child), "profile-shared")),
            Err(StoreError::Conflict(r)) => errors.add("share-reason", r.to_string()),
            Err(other) => return Err(other.into()),
        }
    }
    render_invalid(&profile_page(&state, &viewer, child, face, FormView::new(data, errors)).await?)
}

/// The share withdrawn: the police read the profile again only while the child is missing.
pub async fn withdraw_share(
    State(state): State<AppState>,
    viewer: Viewer,
    face: Face,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    face.require(&viewer)?;
    let child: MemberId = parse_id(&id)?;
    state
        .store
        .withdraw_profile_share(&viewer.actor, child, Utc::now())
        .await?;
    Ok(viewer.after_save(&base(face, child), "profile-share-withdrawn"))
}

#[derive(Template)]
#[template(path = "police_profiles.html")]
struct PoliceListPage {
    chrome: Chrome,
    rows: Vec<alongside_store::SharedProfileRow>,
}

/// The police partner's list: the children missing now, and the profiles shared with them.
pub async fn police_list(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Result<Response, AppError> {
    Face::Police.require(&viewer)?;
    render(&PoliceListPage {
        chrome: viewer.chrome(Face::Police.nav(), state.config.demo),
        rows: state.store.shared_profiles(&viewer.actor).await?,
    })
}
