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

/// An error, as every API error is shaped.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ApiErrorBody {
    /// A stable code: `not_found`, `forbidden`, `unauthorized`, `invalid`, `bad_json`, `internal`.
    pub error: &'static str,
    /// What went wrong and what to do.
    pub message: String,
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
        let mut res = (
            status,
            Json(ApiErrorBody {
                error,
                message,
                fields,
            }),
        )
            .into_response();
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
            let (user, hub) = state
                .store
                .api_token_owner(&hash)
                .await?
                .ok_or(ApiError::Unauthorized)?;
            let actor = state
                .store
                .actor(user, hub)
                .await?
                .ok_or(ApiError::Unauthorized)?;
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
    serde_json::from_slice(body).map_err(|e| ApiError::BadJson(e.to_string()))
}

fn parse_id(raw: &str) -> Result<i64, ApiError> {
    raw.parse::<i64>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or(ApiError::NotFound)
}

/// Paging from `page` and `per_page` in a query string.
fn paging(q: &crate::forms::FormData, max: i64) -> Result<(i64, i64, i64), ApiError> {
    let num = |name: &str, default: i64, hi: i64| -> Result<i64, ApiError> {
        match q.get(name) {
            "" => Ok(default),
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

/// A page of results.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Paged<T> {
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
    pub items: Vec<T>,
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Alongside API", version = "1", description = "Families, referrals, contacts and chronologies of a hub. Every call acts as a person, with that person's role and hub; another hub's records answer 404 like records that do not exist."),
    modifiers(&BearerAuth)
)]
struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{
            HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme,
        };
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        openapi.security = Some(vec![SecurityRequirement::new(
            "bearer",
            Vec::<String>::new(),
        )]);
    }
}

/// The document's title, description and security; its paths are added from the route
/// table (`crate::routes`), from each handler's `#[utoipa::path]`.
pub(crate) fn document_base() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

/// The OpenAPI document, as the route table built it.
pub(crate) async fn openapi(
    Extension(doc): Extension<std::sync::Arc<utoipa::openapi::OpenApi>>,
) -> Json<utoipa::openapi::OpenApi> {
    Json(doc.as_ref().clone())
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

#[utoipa::path(get, path = "/api/v1/families",
    params(("search" = Option<String>, Query, description = "Part of the family name"), ("page" = Option<i64>, Query), ("per_page" = Option<i64>, Query, description = "1 to 200")),
    responses((status = 200, body = Paged<FamilySummary>), (status = 401, body = ApiErrorBody), (status = 403, body = ApiErrorBody)))]
pub(crate) async fn list_families(
    State(state): State<AppState>,
    caller: ApiCaller,
    RawQuery(q): RawQuery,
) -> Result<Json<Paged<FamilySummary>>, ApiError> {
    caller.require_families()?;
    let q = crate::forms::FormData::parse(q.unwrap_or_default().as_bytes());
    let (page, per_page, offset) = paging(&q, 200)?;
    let search = q.get("search").trim();
    let result = state
        .store
        .families(
            &caller.actor,
            (!search.is_empty()).then_some(search),
            per_page,
            offset,
        )
        .await?;
    Ok(Json(Paged {
        total: result.total,
        page,
        per_page,
        items: result.items,
    }))
}

#[utoipa::path(get, path = "/api/v1/families/{id}", params(("id" = i64, Path)),
    responses((status = 200, body = FamilyPage), (status = 404, body = ApiErrorBody)))]
pub(crate) async fn get_family(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<FamilyPage>, ApiError> {
    caller.require_families()?;
    Ok(Json(
        state
            .store
            .family_page(&caller.actor, parse_id(&id)?)
            .await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/families/{id}/contacts", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<Contact>), (status = 404, body = ApiErrorBody)))]
pub(crate) async fn list_contacts(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<Vec<Contact>>, ApiError> {
    caller.require_families()?;
    Ok(Json(
        state.store.contacts(&caller.actor, parse_id(&id)?).await?,
    ))
}

/// A contact to record.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContactRequest {
    /// home_visit, phone_call, message, office_visit, out_of_hours, meeting
    pub kind: String,
    /// held or planned
    pub status: String,
    /// YYYY-MM-DD
    pub date: String,
    /// HH:MM, 24-hour
    #[serde(default)]
    pub time: Option<String>,
    #[serde(default)]
    pub duration_minutes: Option<i64>,
    #[serde(default)]
    pub participants: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
    /// confidential or shareable
    pub visibility: String,
}

/// What was created.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Created {
    pub id: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub family_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub earlier_referrals: Option<i64>,
}

/// Form field names, as the shared validation names them, in the API's terms.
fn api_field(name: &str) -> String {
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
        other => other.replace('-', "_"),
    }
}

fn invalid(e: FieldErrors) -> ApiError {
    ApiError::Invalid(FieldErrors(
        e.0.into_iter()
            .map(|f| FieldError {
                field: api_field(&f.field),
                message: f.message,
            })
            .collect(),
    ))
}

#[utoipa::path(post, path = "/api/v1/families/{id}/contacts", params(("id" = i64, Path)), request_body = ContactRequest,
    responses((status = 201, body = Created), (status = 400, body = ApiErrorBody), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub(crate) async fn create_contact(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    caller.require_families()?;
    let id = parse_id(&id)?;
    let req: ContactRequest = parse_json(&body)?;
    let raw = RawContact {
        kind: req.kind,
        status: req.status,
        date: RawDate::Iso(req.date),
        time: req.time.unwrap_or_default(),
        duration: req
            .duration_minutes
            .map(|d| d.to_string())
            .unwrap_or_default(),
        participants: req.participants.unwrap_or_default(),
        note: req.note.unwrap_or_default(),
        visibility: req.visibility,
    };
    let contact = NewContact::parse(&raw, uk_local(Utc::now())).map_err(invalid)?;
    let cid = state
        .store
        .add_contact(&caller.actor, id, &contact, Utc::now())
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(Created {
            id: cid,
            family_id: Some(id),
            earlier_referrals: None,
        }),
    ))
}

/// A family member to add.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MemberRequest {
    pub given_name: String,
    pub family_name: String,
    #[serde(default)]
    pub known_as: Option<String>,
    /// child_at_risk, sibling, parent_carer, other
    pub member_role: String,
    /// For parents and carers: birth, step, adoptive, foster, kinship, residential, other
    #[serde(default)]
    pub carer_kind: Option<String>,
    /// YYYY-MM-DD
    #[serde(default)]
    pub date_of_birth: Option<String>,
    #[serde(default)]
    pub relationship: Option<String>,
    /// home, kin, foster, residential, secure, other
    #[serde(default)]
    pub lives: Option<String>,
    /// YYYY-MM-DD
    #[serde(default)]
    pub lives_since: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/families/{id}/members", params(("id" = i64, Path)), request_body = MemberRequest,
    responses((status = 201, body = Created), (status = 400, body = ApiErrorBody), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub(crate) async fn create_member(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    caller.require_families()?;
    let id = parse_id(&id)?;
    let req: MemberRequest = parse_json(&body)?;
    let raw = RawMember {
        given_name: req.given_name,
        family_name: req.family_name,
        known_as: req.known_as.unwrap_or_default(),
        member_role: req.member_role,
        carer_kind: req.carer_kind.unwrap_or_default(),
        date_of_birth: req.date_of_birth.map(RawDate::Iso).unwrap_or_default(),
        relationship: req.relationship.unwrap_or_default(),
        lives: req.lives.unwrap_or_default(),
        lives_since: req.lives_since.map(RawDate::Iso).unwrap_or_default(),
    };
    let member = NewMember::parse(&raw, uk_today(Utc::now())).map_err(invalid)?;
    let mid = state
        .store
        .add_member(&caller.actor, id, &member, Utc::now())
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(Created {
            id: mid,
            family_id: Some(id),
            earlier_referrals: None,
        }),
    ))
}

/// The family's strengths and its own words about what it needs (replaces both).
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StrengthsRequest {
    #[serde(default)]
    pub strengths: Option<String>,
    #[serde(default)]
    pub own_words: Option<String>,
}

#[utoipa::path(put, path = "/api/v1/families/{id}/strengths", params(("id" = i64, Path)), request_body = StrengthsRequest,
    responses((status = 204), (status = 400, body = ApiErrorBody), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub(crate) async fn put_strengths(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<StatusCode, ApiError> {
    caller.require_families()?;
    let id = parse_id(&id)?;
    let req: StrengthsRequest = parse_json(&body)?;
    let mut e = FieldErrors::new();
    let long = alongside_domain::validate::LONG_TEXT_MAX;
    let strengths = alongside_domain::validate::optional_text(
        &mut e,
        "strengths",
        "Strengths",
        req.strengths.as_deref().unwrap_or(""),
        long,
    );
    let own_words = alongside_domain::validate::optional_text(
        &mut e,
        "own_words",
        "The family's own words",
        req.own_words.as_deref().unwrap_or(""),
        long,
    );
    if !e.is_empty() {
        return Err(ApiError::Invalid(e));
    }
    state
        .store
        .update_strengths(
            &caller.actor,
            id,
            strengths.as_deref(),
            own_words.as_deref(),
            Utc::now(),
        )
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/v1/families/{id}/chronology",
    params(("id" = i64, Path), ("kind" = Option<String>, Query, description = "Repeatable: referral, triage, contact, planned_contact, family"),
           ("from" = Option<String>, Query, description = "YYYY-MM-DD"), ("to" = Option<String>, Query, description = "YYYY-MM-DD"),
           ("page" = Option<i64>, Query), ("per_page" = Option<i64>, Query, description = "1 to 1000")),
    responses((status = 200, body = Paged<ChronologyEntry>), (status = 400, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub(crate) async fn get_chronology(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> Result<Json<Paged<ChronologyEntry>>, ApiError> {
    caller.require_families()?;
    let id = parse_id(&id)?;
    let q = crate::forms::FormData::parse(q.unwrap_or_default().as_bytes());
    let (page, per_page, offset) = paging(&q, 1000)?;
    let mut e = FieldErrors::new();
    let today = uk_today(Utc::now());
    let kinds = q
        .all("kind")
        .into_iter()
        .filter_map(|k| {
            alongside_domain::validate::code::<ChronologyKind>(&mut e, "kind", "kind", k, false)
        })
        .collect();
    let from = alongside_domain::validate::iso_date(
        &mut e,
        "from",
        "from",
        q.get("from"),
        alongside_domain::validate::When::Any,
        today,
    );
    let to = alongside_domain::validate::iso_date(
        &mut e,
        "to",
        "to",
        q.get("to"),
        alongside_domain::validate::When::Any,
        today,
    );
    if !e.is_empty() {
        return Err(invalid(e));
    }
    let filter = ChronologyFilter {
        kinds,
        from,
        to,
        limit: per_page,
        offset,
        oldest_first: false,
    };
    let result = state.store.chronology(&caller.actor, id, &filter).await?;
    Ok(Json(Paged {
        total: result.total,
        page,
        per_page,
        items: result.items,
    }))
}

#[utoipa::path(get, path = "/api/v1/referrals", params(("all" = Option<bool>, Query, description = "true for every referral, not only open ones")),
    responses((status = 200, body = Vec<ReferralRow>), (status = 403, body = ApiErrorBody)))]
pub(crate) async fn list_referrals(
    State(state): State<AppState>,
    caller: ApiCaller,
    RawQuery(q): RawQuery,
) -> Result<Json<Vec<ReferralRow>>, ApiError> {
    caller.require(
        Capability::TriageReferrals,
        "the referral list is for operational managers",
    )?;
    let q = crate::forms::FormData::parse(q.unwrap_or_default().as_bytes());
    let all = match q.get("all") {
        "" | "false" => false,
        "true" => true,
        _ => return Err(ApiError::BadQuery("'all' must be true or false".into())),
    };
    Ok(Json(state.store.referrals(&caller.actor, !all).await?))
}

/// A person named in a referral.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonRequest {
    pub given_name: String,
    pub family_name: String,
    /// YYYY-MM-DD
    #[serde(default)]
    pub date_of_birth: Option<String>,
    /// For carers: birth, step, adoptive, foster, kinship, residential, other
    #[serde(default)]
    pub carer_kind: Option<String>,
}

/// A referral to record.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReferralRequest {
    /// police, social_care, school, health, voluntary_sector, self, other
    pub source: String,
    /// YYYY-MM-DD, not in the future
    pub received_on: String,
    pub referrer_name: String,
    #[serde(default)]
    pub referrer_contact: Option<String>,
    pub reasons: String,
    #[serde(default)]
    pub indicators: Vec<String>,
    #[serde(default)]
    pub indicators_other: Option<String>,
    pub consent_to_share: bool,
    /// At least one child.
    pub children: Vec<PersonRequest>,
    #[serde(default)]
    pub carers: Vec<PersonRequest>,
}

fn raw_person(p: PersonRequest) -> RawPerson {
    RawPerson {
        given_name: p.given_name,
        family_name: p.family_name,
        date_of_birth: p.date_of_birth.map(RawDate::Iso).unwrap_or_default(),
        carer_kind: p.carer_kind.unwrap_or_default(),
    }
}

#[utoipa::path(post, path = "/api/v1/referrals", request_body = ReferralRequest,
    responses((status = 201, body = Created), (status = 400, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub(crate) async fn create_referral(
    State(state): State<AppState>,
    caller: ApiCaller,
    body: Bytes,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    caller.require(
        Capability::CreateReferral,
        "referrals are recorded by the support team",
    )?;
    let req: ReferralRequest = parse_json(&body)?;
    if req.children.is_empty() {
        let mut e = FieldErrors::new();
        e.add("children", "Name at least one child");
        return Err(ApiError::Invalid(e));
    }
    if req.children.len() > 20 || req.carers.len() > 20 {
        let mut e = FieldErrors::new();
        e.add(
            "children",
            "A referral may name at most 20 children and 20 carers",
        );
        return Err(ApiError::Invalid(e));
    }
    let raw = RawReferral {
        source: req.source,
        received: RawDate::Iso(req.received_on),
        referrer_name: req.referrer_name,
        referrer_contact: req.referrer_contact.unwrap_or_default(),
        reasons: req.reasons,
        indicators: req.indicators,
        indicators_other: req.indicators_other.unwrap_or_default(),
        consent: req.consent_to_share.to_string(),
        children: req
            .children
            .into_iter()
            .enumerate()
            .map(|(i, p)| (format!("child{}", i + 1), raw_person(p)))
            .collect(),
        carers: req
            .carers
            .into_iter()
            .enumerate()
            .map(|(i, p)| (format!("carer{}", i + 1), raw_person(p)))
            .collect(),
    };
    let new = NewReferral::parse(&raw, uk_today(Utc::now())).map_err(invalid)?;
    let created = state
        .store
        .create_referral(&caller.actor, &new, Utc::now())
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(Created {
            id: created.referral_id,
            family_id: Some(created.family_id),
            earlier_referrals: created.earlier_referrals,
        }),
    ))
}

#[utoipa::path(get, path = "/api/v1/referrals/{id}", params(("id" = i64, Path)),
    responses((status = 200, body = ReferralDetail), (status = 404, body = ApiErrorBody)))]
pub(crate) async fn get_referral(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<ReferralDetail>, ApiError> {
    Ok(Json(
        state.store.referral(&caller.actor, parse_id(&id)?).await?,
    ))
}

/// A triage decision.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TriageRequest {
    /// low, medium or high
    pub threshold: String,
    pub reasoning: String,
    /// accept, signpost or nfa
    pub decision: String,
    /// Required when accepting.
    #[serde(default)]
    pub plo_id: Option<i64>,
    #[serde(default)]
    pub csw_id: Option<i64>,
}

#[utoipa::path(post, path = "/api/v1/referrals/{id}/triage", params(("id" = i64, Path)), request_body = TriageRequest,
    responses((status = 204), (status = 400, body = ApiErrorBody), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub(crate) async fn triage_referral(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<StatusCode, ApiError> {
    caller.require(
        Capability::TriageReferrals,
        "triage is for operational managers",
    )?;
    let id = parse_id(&id)?;
    let req: TriageRequest = parse_json(&body)?;
    let raw = RawTriage {
        threshold: req.threshold,
        reasoning: req.reasoning,
        decision: req.decision,
        plo_id: req.plo_id.map(|n| n.to_string()).unwrap_or_default(),
        csw_id: req.csw_id.map(|n| n.to_string()).unwrap_or_default(),
    };
    let t = Triage::parse(&raw).map_err(invalid)?;
    match state
        .store
        .triage_referral(&caller.actor, id, &t, Utc::now())
        .await
    {
        Ok(()) => Ok(StatusCode::NO_CONTENT),
        Err(StoreError::Conflict(m)) => {
            let mut e = FieldErrors::new();
            e.add(
                if m == alongside_store::Refusal::NotHubCsw {
                    "csw_id"
                } else {
                    "plo_id"
                },
                m,
            );
            Err(ApiError::Invalid(e))
        }
        Err(other) => Err(other.into()),
    }
}

// ---- intelligence submissions ----

use alongside_store::{SubmissionDetail, SubmissionRow};

/// A submission as the API gives it and as it is exported: the record, with its grade as
/// police write it ("B2P") and in words.
#[derive(Serialize, utoipa::ToSchema)]
pub struct SubmissionJson {
    #[serde(flatten)]
    pub submission: SubmissionDetail,
    /// The 3x5x2 grade as police write it, e.g. "B2P".
    pub grade: String,
    /// The grade with its words.
    pub grade_words: String,
}

impl From<SubmissionDetail> for SubmissionJson {
    fn from(d: SubmissionDetail) -> Self {
        let g = d.grade();
        SubmissionJson {
            grade: g.code(),
            grade_words: g.words(),
            submission: d,
        }
    }
}

impl ApiCaller {
    fn require_intelligence(&self) -> Result<(), ApiError> {
        let role = self.actor.role();
        if role.can(Capability::SubmitIntelligence) || role.can(Capability::ReceiveIntelligence) {
            Ok(())
        } else {
            Err(ApiError::Forbidden(
                "intelligence submissions are for PLOs, managers and the police partner",
            ))
        }
    }
}

#[utoipa::path(get, path = "/api/v1/submissions",
    responses((status = 200, body = Vec<SubmissionRow>), (status = 401, body = ApiErrorBody), (status = 403, body = ApiErrorBody)))]
pub(crate) async fn list_submissions(
    State(state): State<AppState>,
    caller: ApiCaller,
) -> Result<Json<Vec<SubmissionRow>>, ApiError> {
    caller.require_intelligence()?;
    Ok(Json(state.store.submissions(&caller.actor).await?))
}

#[utoipa::path(get, path = "/api/v1/submissions/{id}", params(("id" = i64, Path)),
    responses((status = 200, body = SubmissionJson), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub(crate) async fn get_submission(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<SubmissionJson>, ApiError> {
    caller.require_intelligence()?;
    let d = state
        .store
        .submission(&caller.actor, parse_id(&id)?)
        .await?;
    Ok(Json(d.into()))
}

/// Relevant entries of a family to pass to the police, graded 3x5x2.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubmissionRequest {
    /// The family's entries to pass on (at least one).
    #[serde(default)]
    pub entry_ids: Vec<i64>,
    /// What the police read; up to 10,000 characters. Do not name the family.
    #[serde(default)]
    pub summary: String,
    /// 3x5x2, e.g. "B2P": source evaluation A-C, intelligence assessment 1-5, handling P or C.
    #[serde(default)]
    pub grade: String,
    /// Required when the handling code is C; ignored for P.
    #[serde(default)]
    pub handling_conditions: Option<String>,
}

/// A submission made.
#[derive(Serialize, utoipa::ToSchema)]
pub struct SubmissionCreated {
    pub id: i64,
    /// E.g. "INT-2026-00042".
    pub reference: String,
}

#[utoipa::path(post, path = "/api/v1/families/{id}/submissions", params(("id" = i64, Path)), request_body = SubmissionRequest,
    responses((status = 201, body = SubmissionCreated), (status = 400, body = ApiErrorBody), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub(crate) async fn create_submission(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<(StatusCode, Json<SubmissionCreated>), ApiError> {
    caller.require(
        Capability::SubmitIntelligence,
        "submissions to the police are made by PLOs and managers",
    )?;
    let id = parse_id(&id)?;
    let req: SubmissionRequest = parse_json(&body)?;
    let raw = RawSubmission {
        entry_ids: req.entry_ids.iter().map(|n| n.to_string()).collect(),
        summary: req.summary,
        grade: RawGrade::Code(req.grade),
        handling_conditions: req.handling_conditions.unwrap_or_default(),
    };
    let new = NewSubmission::parse(&raw).map_err(invalid)?;
    match state
        .store
        .create_submission(&caller.actor, id, &new, Utc::now())
        .await
    {
        Ok((sid, reference)) => Ok((
            StatusCode::CREATED,
            Json(SubmissionCreated { id: sid, reference }),
        )),
        Err(StoreError::Conflict(m)) => {
            let mut e = FieldErrors::new();
            e.add("entry_ids", m);
            Err(ApiError::Invalid(e))
        }
        Err(other) => Err(other.into()),
    }
}

#[utoipa::path(post, path = "/api/v1/submissions/{id}/acknowledge", params(("id" = i64, Path)),
    responses((status = 204), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody, description = "Already acknowledged")))]
pub(crate) async fn acknowledge_submission(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    caller.require(
        Capability::ReceiveIntelligence,
        "submissions are acknowledged by the police partner",
    )?;
    let id = parse_id(&id)?;
    match state
        .store
        .acknowledge_submission(&caller.actor, id, Utc::now())
        .await
    {
        Ok(()) => Ok(StatusCode::NO_CONTENT),
        Err(StoreError::Conflict(m)) => {
            let mut e = FieldErrors::new();
            e.add("status", m);
            Err(ApiError::Invalid(e))
        }
        Err(other) => Err(other.into()),
    }
}

/// What became of a submission.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OutcomeRequest {
    /// added_to_systems, actioned, linked_to_investigation or no_further_action
    #[serde(default)]
    pub outcome: String,
    /// The police's own reference; up to 100 characters.
    #[serde(default)]
    pub reference: Option<String>,
    /// A note for the hub (not shown to the parent); up to 2,000 characters.
    #[serde(default)]
    pub note: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/submissions/{id}/outcome", params(("id" = i64, Path)), request_body = OutcomeRequest,
    responses((status = 204), (status = 400, body = ApiErrorBody), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub(crate) async fn submission_outcome(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<StatusCode, ApiError> {
    caller.require(
        Capability::ReceiveIntelligence,
        "outcomes are recorded by the police partner",
    )?;
    let id = parse_id(&id)?;
    let req: OutcomeRequest = parse_json(&body)?;
    let raw = RawOutcome {
        outcome: req.outcome,
        reference: req.reference.unwrap_or_default(),
        note: req.note.unwrap_or_default(),
    };
    let o = NewOutcome::parse(&raw).map_err(invalid)?;
    state
        .store
        .record_outcome(&caller.actor, id, &o, Utc::now())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

// ---- evidence with its chain of custody; threats and harassment ----

/// The shared validation names fields as the forms do; these are their JSON names.
fn api_field_name(name: &str) -> String {
    match name {
        "handed-on" => "date".into(),
        "handed-time" => "time".into(),
        "handover-note" => "note".into(),
        "correction-note" => "note".into(),
        "reported" => "reported_to_police".into(),
        other => other.replace('-', "_"),
    }
}

fn invalid_fields(e: FieldErrors) -> ApiError {
    ApiError::Invalid(FieldErrors(
        e.0.into_iter()
            .map(|f| FieldError {
                field: api_field_name(&f.field),
                message: f.message,
            })
            .collect(),
    ))
}

impl ApiCaller {
    /// Workers of the family, or police partners of the hub.
    fn require_evidence(&self) -> Result<(), ApiError> {
        let role = self.actor.role();
        if role.sees_families() || role.can(Capability::HandleHubEvidence) {
            Ok(())
        } else {
            Err(ApiError::Forbidden(
                "evidence is for the support team and the hub's police partners",
            ))
        }
    }
}

#[utoipa::path(get, path = "/api/v1/families/{id}/evidence", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<EvidenceRow>), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub(crate) async fn list_family_evidence(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<Vec<EvidenceRow>>, ApiError> {
    caller.require_families()?;
    Ok(Json(
        state
            .store
            .evidence_items(&caller.actor, Some(parse_id(&id)?))
            .await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/evidence/{id}", params(("id" = i64, Path)),
    responses((status = 200, body = EvidenceDetail), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub(crate) async fn get_evidence(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<EvidenceDetail>, ApiError> {
    caller.require_evidence()?;
    Ok(Json(
        state
            .store
            .evidence_item(&caller.actor, parse_id(&id)?)
            .await?,
    ))
}

/// A handover of an evidence item, added to its chain of custody.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HandoverRequest {
    pub handed_by: String,
    pub handed_to: String,
    /// Letters and digits only, up to 12.
    #[serde(default)]
    pub collar_number: Option<String>,
    /// YYYY-MM-DD, not in the future
    pub date: String,
    /// HH:MM, 24-hour
    #[serde(default)]
    pub time: Option<String>,
    /// For example, an exhibit or bag seal number.
    #[serde(default)]
    pub reference: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

/// The entry added to a chain of custody.
#[derive(Serialize, utoipa::ToSchema)]
pub struct CustodyEntryCreated {
    pub evidence_id: i64,
    /// The entry's number in the chain (1 for the first).
    pub entry: i64,
}

#[utoipa::path(post, path = "/api/v1/evidence/{id}/handovers", params(("id" = i64, Path)), request_body = HandoverRequest,
    responses((status = 201, body = CustodyEntryCreated), (status = 400, body = ApiErrorBody), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub(crate) async fn create_handover(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<(StatusCode, Json<CustodyEntryCreated>), ApiError> {
    caller.require_evidence()?;
    let id = parse_id(&id)?;
    let req: HandoverRequest = parse_json(&body)?;
    let raw = RawHandover {
        handed_by: req.handed_by,
        handed_to: req.handed_to,
        collar_number: req.collar_number.unwrap_or_default(),
        date: RawDate::Iso(req.date),
        time: req.time.unwrap_or_default(),
        reference: req.reference.unwrap_or_default(),
        note: req.note.unwrap_or_default(),
    };
    let new = NewCustodyEvent::handover(&raw, uk_local(Utc::now())).map_err(invalid_fields)?;
    let entry = state
        .store
        .add_custody_event(&caller.actor, id, &new, Utc::now())
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(CustodyEntryCreated {
            evidence_id: id,
            entry,
        }),
    ))
}

#[utoipa::path(get, path = "/api/v1/families/{id}/incidents", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<IncidentRow>), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub(crate) async fn list_incidents(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<Vec<IncidentRow>>, ApiError> {
    caller.require_families()?;
    Ok(Json(
        state.store.incidents(&caller.actor, parse_id(&id)?).await?,
    ))
}

/// A threat or incident against the family. Identifiers (phone numbers, vehicle
/// registrations, handles, names of persons of concern) are found in `description` and
/// `people` as the form finds them.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IncidentRequest {
    /// YYYY-MM-DD, not in the future
    pub date: String,
    /// HH:MM, 24-hour
    #[serde(default)]
    pub time: Option<String>,
    /// threat_in_person, threat_by_phone, threat_online, damage_home, damage_car, assault, intimidation_sibling, intimidation_witness, other
    pub kind: String,
    /// What happened, up to 10,000 characters.
    pub description: String,
    /// Names, nicknames or descriptions of persons of concern, separated by commas or lines.
    #[serde(default)]
    pub people: Option<String>,
    pub reported_to_police: bool,
    /// Required when reported to the police, up to 50 characters.
    #[serde(default)]
    pub crime_reference: Option<String>,
    #[serde(default)]
    pub outcome: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/families/{id}/incidents", params(("id" = i64, Path)), request_body = IncidentRequest,
    responses((status = 201, body = Created), (status = 400, body = ApiErrorBody), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub(crate) async fn create_incident(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    caller.require_families()?;
    let id = parse_id(&id)?;
    let req: IncidentRequest = parse_json(&body)?;
    let raw = RawIncident {
        date: RawDate::Iso(req.date),
        time: req.time.unwrap_or_default(),
        kind: req.kind,
        description: req.description,
        people: req.people.unwrap_or_default(),
        reported: req.reported_to_police.to_string(),
        crime_reference: req.crime_reference.unwrap_or_default(),
        outcome: req.outcome.unwrap_or_default(),
    };
    let new = NewIncident::parse(&raw, uk_local(Utc::now())).map_err(invalid_fields)?;
    let iid = crate::record::incident(&state, &caller.actor, Some(id), &new).await?;
    Ok((
        StatusCode::CREATED,
        Json(Created {
            id: iid,
            family_id: Some(id),
            earlier_referrals: None,
        }),
    ))
}

#[utoipa::path(get, path = "/api/v1/families/{id}/entries", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<EntryRow>), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub(crate) async fn list_entries(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<Vec<EntryRow>>, ApiError> {
    caller.require_families()?;
    Ok(Json(
        state
            .store
            .family_entries(&caller.actor, parse_id(&id)?)
            .await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/entries/{id}", params(("id" = i64, Path)),
    responses((status = 200, body = EntryDetail), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub(crate) async fn get_entry(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<EntryDetail>, ApiError> {
    caller.require_families()?;
    Ok(Json(
        state.store.entry(&caller.actor, parse_id(&id)?).await?,
    ))
}

/// An entry of the information log: what was seen or heard, when, where, who was involved
/// and how it is known. Identifiers in `what` are found as the form finds them; those in
/// `vehicle`, `phone`, `handle` and `email` are kept as typed if they do not parse.
/// Photos are added through the form only.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EntryRequest {
    /// Up to 10,000 characters.
    pub what: String,
    /// YYYY-MM-DD, not in the future; or give `approx`.
    #[serde(default)]
    pub date: Option<String>,
    /// HH:MM, 24-hour.
    #[serde(default)]
    pub time: Option<String>,
    /// Roughly when, in words ("last Friday evening").
    #[serde(default)]
    pub approx: Option<String>,
    #[serde(default)]
    pub place: Option<String>,
    /// Names, nicknames or descriptions of persons of concern, by commas or lines.
    #[serde(default)]
    pub people: Option<String>,
    /// Other children or young people named, by commas or lines.
    #[serde(default)]
    pub children: Option<String>,
    /// seen_myself, heard_myself, child_told, other_person_told, phone_or_online, other
    pub how_known: String,
    /// Required for other_person_told.
    #[serde(default)]
    pub how_known_who: Option<String>,
    /// Required for other.
    #[serde(default)]
    pub how_known_detail: Option<String>,
    #[serde(default)]
    pub vehicle: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub handle: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/families/{id}/entries", params(("id" = i64, Path)), request_body = EntryRequest,
    responses((status = 201, body = Created), (status = 400, body = ApiErrorBody), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub(crate) async fn create_entry(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    caller.require_families()?;
    let id = parse_id(&id)?;
    let req: EntryRequest = parse_json(&body)?;
    let raw = RawEntry {
        what: req.what,
        date: RawDate::Iso(req.date.unwrap_or_default()),
        time: req.time.unwrap_or_default(),
        approx: req.approx.unwrap_or_default(),
        place: req.place.unwrap_or_default(),
        people: req.people.unwrap_or_default(),
        children: req.children.unwrap_or_default(),
        how_known: req.how_known,
        how_known_who: req.how_known_who.unwrap_or_default(),
        how_known_detail: req.how_known_detail.unwrap_or_default(),
        identifiers: [
            ("vehicle", req.vehicle),
            ("phone", req.phone),
            ("handle", req.handle),
            ("email", req.email),
        ]
        .into_iter()
        .map(|(f, v)| (f.to_string(), v.unwrap_or_default()))
        .collect(),
    };
    let new = NewEntry::parse(&raw, uk_local(Utc::now())).map_err(invalid_fields)?;
    let eid = crate::record::entry(&state, &caller.actor, Some(id), &new)
        .await?
        .id;
    Ok((
        StatusCode::CREATED,
        Json(Created {
            id: eid,
            family_id: Some(id),
            earlier_referrals: None,
        }),
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
