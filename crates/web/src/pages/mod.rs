//! Server-rendered pages. Each handler: who is asking (the `Viewer` extractor), what
//! their role allows, the store call, the template. Their routes, with who may call
//! each, are declared in [`crate::routes`].

pub mod account;
pub(crate) mod admin;
pub mod alerts;
pub(crate) mod contacts;
pub(crate) mod continuity;
pub(crate) mod episodes;
pub(crate) mod evidence;
pub(crate) mod families;
pub(crate) mod information;
pub mod network;
pub use information::{
    opening as information_opening, status_class as information_status_class,
    when as information_when,
};
pub(crate) mod intelligence;
pub(crate) mod missing;
pub(crate) mod parent;
pub(crate) mod placements;
pub(crate) mod plans;
pub use families::member_role;
pub(crate) mod referrals;
pub mod validate;
pub(crate) mod work;

use crate::auth::{Chrome, Viewer};
use crate::error::AppError;
use crate::AppState;
use alongside_domain::roles::Capability;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};

/// Renders a template as a page.
pub fn render<T: Template>(t: &T) -> Result<Response, AppError> {
    Ok(Html(t.render()?).into_response())
}

/// Renders a form shown again with errors: 422, so programs can tell.
pub fn render_invalid<T: Template>(t: &T) -> Result<Response, AppError> {
    render_status(StatusCode::UNPROCESSABLE_ENTITY, t)
}

/// Renders a page with the status that says what happened (409 when a change came too
/// late, say).
pub fn render_status<T: Template>(status: StatusCode, t: &T) -> Result<Response, AppError> {
    Ok((status, Html(t.render()?)).into_response())
}

/// Whose view of a child's records a page is, read from the path the route matched: the
/// family's workers (`/children/..`, `/plans/..`, `/episodes/..`), the parents or carers
/// on the portal (`/my/..`), or the hub's police partner (`/police/..`). One handler
/// serves every view; the route table says who may call each path, and the store still
/// decides which records each reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Face {
    Worker,
    Parent,
    Police,
}

impl Face {
    pub(crate) fn parent(self) -> bool {
        self == Face::Parent
    }
    pub(crate) fn police(self) -> bool {
        self == Face::Police
    }
    /// What the view's paths start with.
    pub(crate) fn prefix(self) -> &'static str {
        match self {
            Face::Worker => "",
            Face::Parent => "/my",
            Face::Police => "/police",
        }
    }
    /// The navigation item the view belongs under.
    pub(crate) fn nav(self) -> &'static str {
        match self {
            Face::Worker => "/families",
            Face::Parent => "/my",
            Face::Police => "/police/profiles",
        }
    }
    /// The capability the view needs (a first check; the store decides the record).
    pub(crate) fn require(self, viewer: &Viewer) -> Result<(), AppError> {
        match self {
            Face::Worker => viewer.require_families(),
            Face::Parent => viewer.require(Capability::UseParentPortal),
            Face::Police => viewer.require(Capability::ReadSharedProfiles),
        }
    }
}

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Face {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _: &S,
    ) -> Result<Self, Self::Rejection> {
        let path = parts.uri.path();
        Ok(if path.starts_with("/my/") {
            Face::Parent
        } else if path.starts_with("/police/") {
            Face::Police
        } else {
            Face::Worker
        })
    }
}

/// A record id from the path; anything that is not one is simply not found.
pub fn parse_id<I: alongside_domain::ids::Id>(raw: &str) -> Result<I, AppError> {
    raw.parse::<I>().map_err(|_| AppError::NotFound)
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    chrome: Chrome,
}

/// The start page: each role goes to where its work is.
/// A stored photo as it is served: its neutral name, and a policy that lets the browser
/// run nothing in it.
pub(crate) fn photo_response(content_type: &str, filename: &str, content: Vec<u8>) -> Response {
    let name: String = filename
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.'))
        .collect();
    (
        [
            (axum::http::header::CONTENT_TYPE, content_type.to_string()),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{name}\""),
            ),
            (
                axum::http::header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; sandbox".to_string(),
            ),
        ],
        content,
    )
        .into_response()
}

pub async fn home(State(state): State<AppState>, viewer: Viewer) -> Result<Response, AppError> {
    let role = viewer.actor.role();
    if role.can(Capability::HoldCaseload) {
        return Ok(Redirect::to("/caseload").into_response());
    }
    if role.can(Capability::TriageReferrals) {
        return Ok(Redirect::to("/referrals").into_response());
    }
    if role.can(Capability::ManageUsers) {
        return Ok(Redirect::to("/admin/users").into_response());
    }
    if role.can(Capability::UseParentPortal) {
        return Ok(Redirect::to("/my").into_response());
    }
    if role.can(Capability::ReceiveIntelligence) {
        return Ok(Redirect::to("/intelligence").into_response());
    }
    render(&HomePage {
        chrome: viewer.chrome("/", state.config.demo),
    })
}

/// No route: a page says so, and the API answers as the API does (a JSON problem).
pub async fn not_found(uri: axum::http::Uri) -> Response {
    if uri.path().starts_with("/api/") {
        crate::api::ApiError::NotFound.into_response()
    } else {
        AppError::NotFound.into_response()
    }
}
