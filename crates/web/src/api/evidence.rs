//! The API of evidence with its chain of custody, and of threats and harassment.

use super::*;

// ---- evidence with its chain of custody; threats and harassment ----

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

#[utoipa::path(get, path = "/api/v1/families/{id}/evidence", params(("id" = i64, Path), ("page" = Option<i64>, Query, minimum = 1, maximum = 100000), ("per_page" = Option<i64>, Query, minimum = 1, maximum = 200, description = "1 to 200; 50 unless given")),
    responses((status = 200, body = Paged<EvidenceRow>, headers(("Link" = String, description = "first, prev, next and last pages"))), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub(crate) async fn list_family_evidence(
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
            .evidence_items(&caller.actor, Some(family))
            .await?,
        q.as_deref(),
        &format!("/api/v1/families/{family}/evidence"),
    )
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
    #[schema(min_length = 1)]
    pub handed_by: String,
    #[schema(min_length = 1)]
    pub handed_to: String,
    /// Letters and digits only, up to 12.
    #[serde(default)]
    pub collar_number: Option<String>,
    /// YYYY-MM-DD, not in the future
    #[schema(format = Date, min_length = 1)]
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
    pub evidence_id: EvidenceId,
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
        time: api_time("time", req.time)?,
        reference: req.reference.unwrap_or_default(),
        note: req.note.unwrap_or_default(),
    };
    let new = NewCustodyEvent::handover(&raw, uk_local(Utc::now())).map_err(invalid)?;
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

#[utoipa::path(get, path = "/api/v1/families/{id}/incidents", params(("id" = i64, Path), ("page" = Option<i64>, Query, minimum = 1, maximum = 100000), ("per_page" = Option<i64>, Query, minimum = 1, maximum = 200, description = "1 to 200; 50 unless given")),
    responses((status = 200, body = Paged<IncidentRow>, headers(("Link" = String, description = "first, prev, next and last pages"))), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub(crate) async fn list_incidents(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    caller.require_families()?;
    let family: FamilyId = parse_id(&id)?;
    page_of(
        state.store.incidents(&caller.actor, family).await?,
        q.as_deref(),
        &format!("/api/v1/families/{family}/incidents"),
    )
}

/// A threat or incident against the family. Identifiers (phone numbers, vehicle
/// registrations, handles, names of persons of concern) are found in `description` and
/// `people` as the form finds them.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IncidentRequest {
    /// YYYY-MM-DD, not in the future
    #[schema(format = Date, min_length = 1)]
    pub date: String,
    /// HH:MM, 24-hour
    #[serde(default)]
    pub time: Option<String>,
    /// threat_in_person, threat_by_phone, threat_online, damage_home, damage_car, assault, intimidation_sibling, intimidation_witness, other
    #[schema(value_type = alongside_domain::information::IncidentKind)]
    pub kind: String,
    /// What happened, up to 10,000 characters.
    #[schema(min_length = 1)]
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
        time: api_time("time", req.time)?,
        kind: req.kind,
        description: req.description,
        people: req.people.unwrap_or_default(),
        reported: req.reported_to_police.to_string(),
        crime_reference: req.crime_reference.unwrap_or_default(),
        outcome: req.outcome.unwrap_or_default(),
    };
    let new = NewIncident::parse(&raw, uk_local(Utc::now())).map_err(invalid)?;
    let iid = crate::record::incident(&state, &caller.actor, Some(id), &new).await?;
    Ok((
        StatusCode::CREATED,
        Json(Created {
            id: iid.get(),
            family_id: Some(id),
            earlier_referrals: None,
        }),
    ))
}
