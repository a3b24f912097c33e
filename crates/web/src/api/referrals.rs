//! The API of referrals and their triage.

use super::*;

#[utoipa::path(get, path = "/api/v1/referrals", params(("all" = Option<bool>, Query, description = "true for every referral, not only open ones"), ("page" = Option<i64>, Query, minimum = 1, maximum = 100000), ("per_page" = Option<i64>, Query, minimum = 1, maximum = 200, description = "1 to 200; 50 unless given")),
    responses((status = 200, body = Paged<ReferralRow>, headers(("Link" = String, description = "first, prev, next and last pages"))), (status = 403, body = ApiErrorBody)))]
pub(crate) async fn list_referrals(
    State(state): State<AppState>,
    caller: ApiCaller,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    caller.require(
        Capability::TriageReferrals,
        "the referral list is for operational managers",
    )?;
    let raw = q.unwrap_or_default();
    let q = crate::forms::FormData::parse(raw.as_bytes());
    let all = match q.get("all") {
        "" | "false" => false,
        "true" => true,
        _ => return Err(ApiError::BadQuery("'all' must be true or false".into())),
    };
    page_of(
        state.store.referrals(&caller.actor, !all).await?,
        Some(&raw),
        "/api/v1/referrals",
    )
}

/// A person named in a referral.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonRequest {
    #[schema(min_length = 1)]
    pub given_name: String,
    #[schema(min_length = 1)]
    pub family_name: String,
    /// YYYY-MM-DD
    #[serde(default)]
    #[schema(format = Date)]
    pub date_of_birth: Option<String>,
    /// For carers: birth, step, adoptive, foster, kinship, residential, other
    #[serde(default)]
    #[schema(value_type = Option<alongside_domain::family::CarerKind>)]
    pub carer_kind: Option<String>,
}

/// A referral to record.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReferralRequest {
    /// police, social_care, school, health, voluntary_sector, self, other
    #[schema(value_type = alongside_domain::referral::ReferralSource)]
    pub source: String,
    /// YYYY-MM-DD, not in the future
    #[schema(format = Date, min_length = 1)]
    pub received_on: String,
    #[schema(min_length = 1)]
    pub referrer_name: String,
    #[serde(default)]
    pub referrer_contact: Option<String>,
    #[schema(min_length = 1)]
    pub reasons: String,
    #[serde(default)]
    #[schema(value_type = Vec<alongside_domain::referral::Indicator>)]
    pub indicators: Vec<String>,
    #[serde(default)]
    pub indicators_other: Option<String>,
    pub consent_to_share: bool,
    /// At least one child.
    #[schema(min_items = 1)]
    pub children: Vec<PersonRequest>,
    #[serde(default)]
    pub carers: Vec<PersonRequest>,
}

pub(crate) fn raw_person(field: &str, p: PersonRequest) -> Result<RawPerson, ApiError> {
    Ok(RawPerson {
        given_name: p.given_name,
        family_name: p.family_name,
        date_of_birth: api_date(&format!("{field}.date_of_birth"), p.date_of_birth)?,
        carer_kind: p.carer_kind.unwrap_or_default(),
    })
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
            .map(|(i, p)| {
                Ok((
                    format!("child{}", i + 1),
                    raw_person(&format!("children[{i}]"), p)?,
                ))
            })
            .collect::<Result<_, ApiError>>()?,
        carers: req
            .carers
            .into_iter()
            .enumerate()
            .map(|(i, p)| {
                Ok((
                    format!("carer{}", i + 1),
                    raw_person(&format!("carers[{i}]"), p)?,
                ))
            })
            .collect::<Result<_, ApiError>>()?,
    };
    let new = NewReferral::parse(&raw, uk_today(Utc::now())).map_err(invalid)?;
    let created = state
        .store
        .create_referral(&caller.actor, &new, Utc::now())
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(Created {
            id: created.referral_id.get(),
            family_id: created.family_id,
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
    #[schema(value_type = alongside_domain::referral::Threshold)]
    pub threshold: String,
    #[schema(min_length = 1)]
    pub reasoning: String,
    /// accept, signpost or nfa
    #[schema(value_type = alongside_domain::referral::TriageDecision)]
    pub decision: String,
    /// Required when accepting.
    #[serde(default)]
    pub plo_id: Option<i64>,
    #[serde(default)]
    pub csw_id: Option<UserId>,
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
