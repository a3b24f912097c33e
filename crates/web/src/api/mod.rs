//! The JSON API under `/api/v1`, described by the OpenAPI document at
//! `/api/v1/openapi.json`. A caller is a person: by personal API token
//! (`Authorization: Bearer ...`) or by their browser session, in which case a write must
//! carry the session's CSRF token in `X-CSRF-Token`. The same validation as the forms
//! applies; errors come back as JSON naming each field at fault.
//!
//! The calls' routes, and who may make each, are declared in [`crate::routes`]; the
//! document's paths are collected there from each handler's `#[utoipa::path]`.

use crate::auth::session_actor;
use crate::{csrf, AppState};
use alongside_domain::clock::{uk_local, uk_today};
use alongside_domain::family::{ChronologyKind, RawContact, RawMember};
use alongside_domain::ids::*;
use alongside_domain::information::{
    RawEntry, RawGrade, RawHandover, RawIncident, RawOutcome, RawSubmission,
};
use alongside_domain::referral::{RawPerson, RawReferral, RawTriage};
use alongside_domain::roles::Capability;
use alongside_domain::validate::{FieldError, FieldErrors, RawDate};
use alongside_store::*;
use axum::body::Bytes;
use axum::extract::{FromRequestParts, Path, RawQuery, State};
use axum::http::request::Parts;
use axum::http::{header, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use chrono::Utc;
use serde::{Deserialize, Serialize};
use tower_sessions::Session;
use utoipa::OpenApi;

/// An error, as every API error is shaped: an RFC 9457 problem
/// (`application/problem+json`), with a stable code and each field at fault.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ApiErrorBody {
    /// A URI reference naming the kind of problem: `/api/v1/problems#invalid`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The kind of problem, in words ("Some fields need correcting").
    pub title: &'static str,
    /// The HTTP status.
    pub status: u16,
    /// What went wrong and what to do.
    pub detail: String,
    /// A stable code: `not_found`, `forbidden`, `unauthorized`, `conflict`, `invalid`,
    /// `bad_json`, `bad_query`, `precondition_failed`, `precondition_required`, `internal`.
    pub error: &'static str,
    /// For `invalid`: each field at fault.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldError>,
}

#[derive(Debug)]
pub enum ApiError {
    NotFound,
    Unauthorized,
    Forbidden(&'static str),
    Invalid(FieldErrors),
    BadJson(String),
    BadQuery(String),
    /// The request is valid but the record's state refuses it (already acknowledged).
    Conflict(String),
    /// `If-Match` names a version that is no longer the record's (someone changed it).
    PreconditionFailed,
    /// A change that must say which version it replaces (`If-Match`) did not.
    PreconditionRequired,
    Internal(String),
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => ApiError::NotFound,
            StoreError::Conflict(m) => ApiError::Conflict(m.into()),
            other => ApiError::Internal(crate::error::error_chain(&other)),
        }
    }
}

impl From<crate::error::AppError> for ApiError {
    fn from(e: crate::error::AppError) -> Self {
        match e {
            crate::error::AppError::NotFound => ApiError::NotFound,
            crate::error::AppError::Forbidden | crate::error::AppError::Csrf => {
                ApiError::Forbidden("not allowed")
            }
            crate::error::AppError::LoginRequired { .. } => ApiError::Unauthorized,
            crate::error::AppError::Conflict(m) => ApiError::Conflict(m),
            crate::error::AppError::Internal(c) => ApiError::Internal(c),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, error, message, fields) = match self {
            ApiError::NotFound => (
                StatusCode::NOT_FOUND,
                "not_found",
                "No such record, or it is not shared with you.".to_string(),
                vec![],
            ),
            ApiError::Unauthorized => (
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "Sign in, or send a personal API token as 'Authorization: Bearer <token>'."
                    .to_string(),
                vec![],
            ),
            ApiError::Forbidden(why) => (
                StatusCode::FORBIDDEN,
                "forbidden",
                format!("Your role may not do this ({why})."),
                vec![],
            ),
            ApiError::Conflict(m) => (StatusCode::CONFLICT, "conflict", m, vec![]),
            ApiError::Invalid(f) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid",
                "Some fields need correcting; nothing was saved.".to_string(),
                f.0,
            ),
            ApiError::BadJson(m) => (
                StatusCode::BAD_REQUEST,
                "bad_json",
                format!("The request body is not valid JSON for this call: {m}"),
                vec![],
            ),
            ApiError::BadQuery(m) => (StatusCode::BAD_REQUEST, "bad_query", m, vec![]),
            ApiError::PreconditionFailed => (
                StatusCode::PRECONDITION_FAILED,
                "precondition_failed",
                "Someone changed this since you read it: read it again (its ETag), then send your change with that ETag in If-Match.".to_string(),
                vec![],
            ),
            ApiError::PreconditionRequired => (
                StatusCode::PRECONDITION_REQUIRED,
                "precondition_required",
                "Send the ETag of the version you are changing in If-Match, so that no one's change is overwritten unseen.".to_string(),
                vec![],
            ),
            ApiError::Internal(cause) => {
                tracing::error!(error = %cause, "api request failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "Something failed on our side. Try again later.".to_string(),
                    vec![],
                )
            }
        };
        let title = match error {
            "not_found" => "Not found",
            "unauthorized" => "Not signed in",
            "forbidden" => "Not allowed",
            "conflict" => "The record's state refuses this",
            "invalid" => "Some fields need correcting",
            "bad_json" => "The body is not valid JSON for this call",
            "bad_query" => "The query is not valid",
            "precondition_failed" => "Changed since it was read",
            "precondition_required" => "Say which version you change",
            _ => "Something failed on our side",
        };
        let mut res = (
            status,
            Json(ApiErrorBody {
                kind: format!("/api/v1/problems#{error}"),
                title,
                status: status.as_u16(),
                detail: message,
                error,
                fields,
            }),
        )
            .into_response();
        res.headers_mut().insert(
            header::CONTENT_TYPE,
            header::HeaderValue::from_static("application/problem+json"),
        );
        if status == StatusCode::UNAUTHORIZED {
            res.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                header::HeaderValue::from_static("Bearer"),
            );
        }
        res
    }
}

/// Who is calling the API.
#[derive(Clone)]
pub struct ApiCaller {
    pub actor: Actor,
}

/// A caller the route table's gate has already resolved for this request, so the
/// handler's extractor does not look the token up a second time.
#[derive(Clone)]
struct Checked(ApiCaller);

/// Hands the caller the gate resolved on to the handler's extractor.
pub(crate) fn pass_checked(parts: &mut Parts, caller: ApiCaller) {
    parts.extensions.insert(Checked(caller));
}

/// Why the API refuses a role that lacks a route's access, in the words of its 403.
pub(crate) fn refusal(access: &crate::routes::Access) -> &'static str {
    use crate::routes::{Access, EVIDENCE, FAMILY_RECORDS, INTELLIGENCE};
    match *access {
        a if a == FAMILY_RECORDS => "family records are for the support team",
        a if a == EVIDENCE => "evidence is for the support team and the hub's police partners",
        a if a == INTELLIGENCE => {
            "intelligence submissions are for PLOs, managers and the police partner"
        }
        Access::Can(Capability::TriageReferrals) => {
            "the referral list and triage are for operational managers"
        }
        Access::Can(Capability::CreateReferral) => "referrals are recorded by the support team",
        Access::Can(Capability::SubmitIntelligence) => {
            "submissions to the police are made by PLOs and managers"
        }
        Access::Can(Capability::ReceiveIntelligence) => {
            "submissions are acknowledged, and outcomes recorded, by the police partner"
        }
        _ => "your role does not include this",
    }
}

impl FromRequestParts<AppState> for ApiCaller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if let Some(Checked(caller)) = parts.extensions.remove::<Checked>() {
            return Ok(caller);
        }
        if let Some(value) = parts.headers.get(header::AUTHORIZATION) {
            let token = value
                .to_str()
                .ok()
                .and_then(|v| v.strip_prefix("Bearer "))
                .map(str::trim)
                .ok_or(ApiError::Unauthorized)?;
            let hash = crate::auth::token_hash(token);
            let (user, hub, scope, token_id) = state
                .store
                .api_token_owner(&hash)
                .await?
                .ok_or(ApiError::Unauthorized)?;
            if scope == alongside_store::TokenScope::Read
                && !matches!(parts.method, Method::GET | Method::HEAD)
            {
                return Err(ApiError::Forbidden(
                    "this token may only read: make a read-and-write token on your account page",
                ));
            }
            let actor = state
                .store
                .actor(user, hub)
                .await?
                .ok_or(ApiError::Unauthorized)?
                .with_origin(alongside_store::Origin {
                    address: crate::auth::address_of(parts),
                    session_ref: None,
                    token_id: Some(token_id),
                });
            return Ok(ApiCaller { actor });
        }
        let session = Session::from_request_parts(parts, state)
            .await
            .map_err(|(_, m)| ApiError::Internal(m.to_string()))?;
        let actor = session_actor(&session, state)
            .await?
            .ok_or(ApiError::Unauthorized)?;
        if !matches!(parts.method, Method::GET | Method::HEAD) {
            let given = parts
                .headers
                .get("x-csrf-token")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            let ok = csrf::expected(&session)
                .await
                .is_some_and(|e| csrf::matches(&e, given));
            if !ok {
                return Err(ApiError::Forbidden(
                    "a write with a session cookie needs the X-CSRF-Token header",
                ));
            }
        }
        let actor = actor.with_origin(crate::auth::origin_of(parts, &session));
        Ok(ApiCaller { actor })
    }
}

impl ApiCaller {
    fn require(&self, cap: Capability, why: &'static str) -> Result<(), ApiError> {
        if self.actor.role().can(cap) {
            Ok(())
        } else {
            Err(ApiError::Forbidden(why))
        }
    }
    fn require_families(&self) -> Result<(), ApiError> {
        if self.actor.role().sees_families() {
            Ok(())
        } else {
            Err(ApiError::Forbidden(
                "family records are for the support team",
            ))
        }
    }
}

fn parse_json<T: for<'de> Deserialize<'de>>(body: &Bytes) -> Result<T, ApiError> {
    // The message may quote what was sent (an unknown field's name): control characters
    // in it are written as escapes, so the answer carries none.
    let said = |e: serde_json::Error| {
        ApiError::BadJson(
            e.to_string()
                .chars()
                .flat_map(|c| {
                    if c.is_control() {
                        c.escape_unicode().collect::<Vec<_>>()
                    } else {
                        vec![c]
                    }
                })
                .collect(),
        )
    };
    let mut value: serde_json::Value = serde_json::from_slice(body).map_err(said)?;
    whole_numbers(&mut value);
    serde_json::from_value(value).map_err(said)
}

/// `1035.0` is the number `1035` (JSON Schema counts it an integer, and some clients
/// write every number so): such numbers are read as the whole numbers they are.
fn whole_numbers(v: &mut serde_json::Value) {
    use serde_json::Value;
    match v {
        Value::Number(n) if !n.is_i64() && !n.is_u64() => {
            if let Some(f) = n.as_f64() {
                if f.fract() == 0.0 && f.abs() < 9.0e15 {
                    // Exact: every integer below 2^53 is an f64 exactly.
                    *v = Value::from(f as i64);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(whole_numbers),
        Value::Object(fields) => fields.values_mut().for_each(whole_numbers),
        _ => {}
    }
}

/// An optional date as the API takes it: left out, null, or `YYYY-MM-DD`. An empty string
/// is not a date (the OpenAPI document says `format: date`), so it is refused by name
/// rather than read as "no date".
fn api_date(field: &str, v: Option<String>) -> Result<RawDate, ApiError> {
    match v {
        Some(d) if d.trim().is_empty() => Err(ApiError::Invalid(FieldErrors(vec![FieldError {
            field: field.to_string(),
            message: format!("{field} must be a date in the form YYYY-MM-DD: to give none, leave it out or send null"),
        }]))),
        Some(d) => Ok(RawDate::Iso(d)),
        None => Ok(RawDate::default()),
    }
}

/// A time as the API takes it: `HH:MM` on the 24-hour clock, as its document says (the
/// pages read times as people write them; a program sends the one form).
fn api_time(field: &str, v: Option<String>) -> Result<String, ApiError> {
    let Some(t) = v else {
        return Ok(String::new());
    };
    let b = t.as_bytes();
    let two = |i: usize| (b[i] - b'0') * 10 + (b[i + 1] - b'0');
    let ok = b.len() == 5
        && b[2] == b':'
        && [0, 1, 3, 4].iter().all(|&i| b[i].is_ascii_digit())
        && two(0) < 24
        && two(3) < 60;
    if ok {
        Ok(t)
    } else {
        Err(ApiError::Invalid(FieldErrors(vec![FieldError {
            field: field.to_string(),
            message: format!("{field} must be a time HH:MM on the 24-hour clock, like 21:30: to give none, leave it out or send null"),
        }])))
    }
}

fn parse_id<I: alongside_domain::ids::Id>(raw: &str) -> Result<I, ApiError> {
    raw.parse::<I>().map_err(|_| ApiError::NotFound)
}

/// Paging from `page` and `per_page` in a query string.
fn paging(q: &crate::forms::FormData, max: i64) -> Result<(i64, i64, i64), ApiError> {
    let num = |name: &str, default: i64, hi: i64| -> Result<i64, ApiError> {
        // Absent: the default. Present but empty ("?page="): not a number, so refused.
        let present = q.0.iter().any(|(k, _)| k == name);
        match q.get(name) {
            "" if !present => Ok(default),
            s => s
                .parse::<i64>()
                .ok()
                .filter(|n| *n >= 1 && *n <= hi)
                .ok_or_else(|| {
                    ApiError::BadQuery(format!("'{name}' must be a whole number from 1 to {hi}"))
                }),
        }
    };
    let page = num("page", 1, 100_000)?;
    let per_page = num("per_page", 50, max)?;
    Ok((page, per_page, (page - 1) * per_page))
}

/// One page of a whole list (the store bounds its lists at 500), as every list of the API
/// is answered: `page` and `per_page` (1 to 200, 50 unless given) read from the query,
/// and Link headers (first, prev, next, last) for the pages around it.
pub(crate) fn page_of<T: Serialize>(
    items: Vec<T>,
    query: Option<&str>,
    path: &str,
) -> Result<Response, ApiError> {
    let q = crate::forms::FormData::parse(query.unwrap_or_default().as_bytes());
    let (page, per_page, offset) = paging(&q, 200)?;
    let total = items.len() as i64;
    let items: Vec<T> = items
        .into_iter()
        .skip(offset as usize)
        .take(per_page as usize)
        .collect();
    Ok(paged_response(
        Paged {
            total,
            page,
            per_page,
            items,
        },
        &q,
        path,
    ))
}

/// A page with its Link headers (RFC 8288), the other query parameters kept.
pub(crate) fn paged_response<T: Serialize>(
    p: Paged<T>,
    q: &crate::forms::FormData,
    path: &str,
) -> Response {
    let last = ((p.total + p.per_page - 1) / p.per_page).max(1);
    let kept: Vec<(String, String)> =
        q.0.iter()
            .filter(|(k, _)| k != "page" && k != "per_page")
            .cloned()
            .collect();
    let link = |n: i64, rel: &str| {
        let mut qs = form_urlencoded::Serializer::new(String::new());
        qs.extend_pairs(kept.iter());
        qs.append_pair("page", &n.to_string());
        qs.append_pair("per_page", &p.per_page.to_string());
        format!("<{path}?{}>; rel=\"{rel}\"", qs.finish())
    };
    let mut links = vec![link(1, "first")];
    if p.page > 1 {
        links.push(link((p.page - 1).min(last), "prev"));
    }
    if p.page < last {
        links.push(link(p.page + 1, "next"));
    }
    links.push(link(last, "last"));
    let mut res = Json(p).into_response();
    if let Ok(v) = header::HeaderValue::from_str(&links.join(", ")) {
        res.headers_mut().insert(header::LINK, v);
    }
    res
}

/// A page of results.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Paged<T> {
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
    pub items: Vec<T>,
}

/// The caller.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Me {
    pub username: String,
    pub display_name: String,
    pub role: alongside_domain::roles::Role,
    pub hub: String,
}

#[utoipa::path(get, path = "/api/v1/me", responses((status = 200, body = Me), (status = 401, body = ApiErrorBody)))]
pub(crate) async fn me(caller: ApiCaller) -> Json<Me> {
    let a = caller.actor;
    Json(Me {
        username: a.username().into(),
        display_name: a.display_name().into(),
        role: a.role(),
        hub: a.hub_name().into(),
    })
}

mod children;
mod document;
mod evidence;
mod families;
mod information;
mod intelligence;
mod plans;
mod referrals;

pub(crate) use children::*;
pub(crate) use document::{complete_document, document_base, openapi};
pub(crate) use evidence::*;
pub(crate) use families::*;
pub(crate) use information::*;
pub(crate) use intelligence::*;
pub(crate) use plans::*;
pub(crate) use referrals::*;

/// Form field names, as the shared validation names them, in the API's terms.
pub(crate) fn api_field(name: &str) -> String {
    let person = [
        ("-given", ".given_name"),
        ("-family", ".family_name"),
        ("-dob", ".date_of_birth"),
        ("-kind", ".carer_kind"),
    ];
    for (prefix, array) in [("child", "children"), ("carer", "carers")] {
        if let Some(rest) = name.strip_prefix(prefix) {
            if let Some((n, suffix)) = person
                .iter()
                .find_map(|(s, r)| rest.strip_suffix(s).map(|n| (n, *r)))
            {
                if let Ok(i) = n.parse::<usize>() {
                    return format!("{array}[{}]{suffix}", i - 1);
                }
            }
        }
    }
    match name {
        "received" => "received_on".into(),
        "consent" => "consent_to_share".into(),
        "plo" => "plo_id".into(),
        "csw" => "csw_id".into(),
        "duration" => "duration_minutes".into(),
        "given" => "given_name".into(),
        "family" => "family_name".into(),
        "dob" => "date_of_birth".into(),
        "role" => "member_role".into(),
        "handed-on" => "date".into(),
        "handed-time" => "time".into(),
        "handover-note" | "correction-note" => "note".into(),
        "reported" => "reported_to_police".into(),
        other => other.replace('-', "_"),
    }
}

pub(crate) fn invalid(e: FieldErrors) -> ApiError {
    invalid_as(e, api_field)
}

/// The problems found, each under the name `name` gives its form field in the API.
pub(crate) fn invalid_as(e: FieldErrors, name: impl Fn(&str) -> String) -> ApiError {
    ApiError::Invalid(FieldErrors(
        e.0.into_iter()
            .map(|f| FieldError {
                field: name(&f.field),
                message: f.message,
            })
            .collect(),
    ))
}

#[cfg(test)]
mod tests {
    #[test]
    fn form_fields_map_to_json_names() {
        assert_eq!(super::api_field("child2-given"), "children[1].given_name");
        assert_eq!(super::api_field("carer1-kind"), "carers[0].carer_kind");
        assert_eq!(super::api_field("referrer-name"), "referrer_name");
        assert_eq!(super::api_field("received"), "received_on");
    }
}
