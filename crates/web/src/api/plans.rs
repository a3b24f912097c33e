//! The API of safety plans: a family's plans, one plan with every version and response,
//! a new plan, a new version made from the one read, and a parent's words on a version.

use super::*;
use alongside_domain::plans::{
    NewPlanResponse, NewSafetyPlan, RawPlanAction, RawPlanResponse, RawSafetyPlan, Revision,
};

#[utoipa::path(get, path = "/api/v1/families/{id}/plans", params(("id" = i64, Path), ("page" = Option<i64>, Query, minimum = 1, maximum = 100000), ("per_page" = Option<i64>, Query, minimum = 1, maximum = 200, description = "1 to 200; 50 unless given")),
    responses((status = 200, body = Paged<SafetyPlanRow>, headers(("Link" = String, description = "first, prev, next and last pages"))), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub(crate) async fn list_plans(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    caller.require_families()?;
    let family: FamilyId = parse_id(&id)?;
    page_of(
        state
            .store
            .safety_plans(&caller.actor, Some(family))
            .await?,
        q.as_deref(),
        &format!("/api/v1/families/{family}/plans"),
    )
}

#[utoipa::path(get, path = "/api/v1/plans/{id}", params(("id" = i64, Path)),
    responses((status = 200, body = SafetyPlanDetail), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub(crate) async fn get_plan(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<SafetyPlanDetail>, ApiError> {
    caller.require_families()?;
    Ok(Json(
        state
            .store
            .safety_plan(&caller.actor, parse_id(&id)?)
            .await?,
    ))
}

/// One "who does what" line.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanActionRequest {
    #[schema(value_type = alongside_domain::plans::Responsible)]
    pub who: String,
    /// Required for `other`.
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub agency: Option<String>,
    #[schema(min_length = 1)]
    pub what: String,
}

/// A safety plan, or a new version of one.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanRequest {
    /// A new plan: the family member (a child) it is for. Not sent for a new version.
    #[serde(default)]
    #[schema(minimum = 1)]
    pub child_id: Option<i64>,
    /// At least one of the four risks.
    #[serde(default)]
    pub risks_people: Option<String>,
    #[serde(default)]
    pub risks_places: Option<String>,
    #[serde(default)]
    pub risks_online: Option<String>,
    #[serde(default)]
    pub risks_times: Option<String>,
    #[schema(min_items = 1, max_items = 30)]
    pub actions: Vec<PlanActionRequest>,
    #[serde(default)]
    pub agreed_contacts: Option<String>,
    #[schema(min_length = 1)]
    pub what_if: String,
    /// YYYY-MM-DD, today or later
    #[schema(format = Date, min_length = 1)]
    pub review_on: String,
    /// Required for a new version: what changed and why.
    #[serde(default)]
    pub change_note: Option<String>,
    /// A new version: the version it was made from (refused with 409 if another has been
    /// made since).
    #[serde(default)]
    #[schema(minimum = 1)]
    pub read: Option<i64>,
}

fn raw_plan(req: PlanRequest) -> RawSafetyPlan {
    RawSafetyPlan {
        child: req.child_id.map(|c| c.to_string()).unwrap_or_default(),
        risks_people: req.risks_people.unwrap_or_default(),
        risks_places: req.risks_places.unwrap_or_default(),
        risks_online: req.risks_online.unwrap_or_default(),
        risks_times: req.risks_times.unwrap_or_default(),
        actions: req
            .actions
            .into_iter()
            .map(|a| RawPlanAction {
                who: a.who,
                name: a.name.unwrap_or_default(),
                agency: a.agency.unwrap_or_default(),
                what: a.what,
            })
            .collect(),
        agreed_contacts: req.agreed_contacts.unwrap_or_default(),
        what_if: req.what_if,
        review_on: RawDate::Iso(req.review_on),
        change_note: req.change_note.unwrap_or_default(),
    }
}

/// The form's field names, in the API's terms.
fn plan_field(f: &str) -> String {
    if let Some(rest) = f.strip_prefix("action") {
        if let Some((n, part)) = rest.split_once('-') {
            if let Ok(n) = n.parse::<usize>() {
                return format!("actions[{}].{part}", n - 1);
            }
        }
    }
    match f {
        "child" => "child_id".into(),
        "review" => "review_on".into(),
        other => other.replace('-', "_"),
    }
}

fn plan_invalid(e: FieldErrors) -> ApiError {
    invalid_as(e, plan_field)
}

#[utoipa::path(post, path = "/api/v1/families/{id}/plans", params(("id" = i64, Path)), request_body = PlanRequest,
    responses((status = 201, body = Created), (status = 400, body = ApiErrorBody), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub(crate) async fn create_plan(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    caller.require_families()?;
    let family: FamilyId = parse_id(&id)?;
    let req: PlanRequest = parse_json(&body)?;
    let new = NewSafetyPlan::parse(&raw_plan(req), Revision::New, uk_today(Utc::now()))
        .map_err(plan_invalid)?;
    let plan = state
        .store
        .add_safety_plan(&caller.actor, family, &new, Utc::now())
        .await
        .map_err(|e| match e {
            StoreError::Conflict(r) => plan_invalid(FieldErrors(vec![FieldError {
                field: "child".into(),
                message: r.to_string(),
            }])),
            other => other.into(),
        })?;
    Ok((
        StatusCode::CREATED,
        Json(Created {
            id: plan.get(),
            family_id: Some(family),
            earlier_referrals: None,
        }),
    ))
}

/// The new version's number.
#[derive(Serialize, utoipa::ToSchema)]
pub struct NewVersion {
    pub plan_id: SafetyPlanId,
    pub version: i64,
}

#[utoipa::path(post, path = "/api/v1/plans/{id}/versions", params(("id" = i64, Path)), request_body = PlanRequest,
    responses((status = 201, body = NewVersion), (status = 400, body = ApiErrorBody), (status = 404, body = ApiErrorBody), (status = 409, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub(crate) async fn revise_plan(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<(StatusCode, Json<NewVersion>), ApiError> {
    caller.require_families()?;
    let plan: SafetyPlanId = parse_id(&id)?;
    let req: PlanRequest = parse_json(&body)?;
    let read = match req.read {
        Some(r) => r,
        None => {
            state
                .store
                .safety_plan(&caller.actor, plan)
                .await?
                .plan
                .version
        }
    };
    let new = NewSafetyPlan::parse(&raw_plan(req), Revision::Yes, uk_today(Utc::now()))
        .map_err(plan_invalid)?;
    let version = state
        .store
        .revise_safety_plan(&caller.actor, plan, read, &new, Utc::now())
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(NewVersion {
            plan_id: plan,
            version,
        }),
    ))
}

/// What a parent or carer says of a version, in their own words.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanResponseRequest {
    #[schema(minimum = 1)]
    pub version: i64,
    #[schema(value_type = alongside_domain::plans::Stance)]
    pub stance: String,
    #[schema(min_length = 1)]
    pub words: String,
    /// Whose words these are (a worker writing them down).
    #[schema(min_length = 1)]
    pub for_parent: String,
}

#[utoipa::path(post, path = "/api/v1/plans/{id}/responses", params(("id" = i64, Path)), request_body = PlanResponseRequest,
    responses((status = 204), (status = 400, body = ApiErrorBody), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub(crate) async fn respond_to_plan(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<StatusCode, ApiError> {
    caller.require_families()?;
    let plan: SafetyPlanId = parse_id(&id)?;
    let req: PlanResponseRequest = parse_json(&body)?;
    let mut e = FieldErrors::new();
    let for_parent = alongside_domain::validate::required_text(
        &mut e,
        "for_parent",
        "Whose words these are",
        &req.for_parent,
        alongside_domain::validate::SHORT_TEXT_MAX,
    );
    let new = NewPlanResponse::parse(&RawPlanResponse {
        stance: req.stance,
        words: req.words,
    });
    if let Err(more) = &new {
        e.extend(more.clone());
    }
    let new = match (new, e.is_empty()) {
        (Ok(n), true) => n,
        _ => return Err(ApiError::Invalid(e)),
    };
    state
        .store
        .respond_to_safety_plan(
            &caller.actor,
            plan,
            req.version,
            Some(&for_parent),
            &new,
            Utc::now(),
        )
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
