//! The API of the information log.

use super::*;

#[utoipa::path(get, path = "/api/v1/families/{id}/entries", params(("id" = i64, Path), ("page" = Option<i64>, Query, minimum = 1, maximum = 100000), ("per_page" = Option<i64>, Query, minimum = 1, maximum = 200, description = "1 to 200; 50 unless given")),
    responses((status = 200, body = Paged<EntryRow>, headers(("Link" = String, description = "first, prev, next and last pages"))), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub(crate) async fn list_entries(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    caller.require_families()?;
    let family: FamilyId = parse_id(&id)?;
    page_of(
        state.store.family_entries(&caller.actor, family).await?,
        q.as_deref(),
        &format!("/api/v1/families/{family}/entries"),
    )
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
    #[schema(min_length = 1)]
    pub what: String,
    /// YYYY-MM-DD, not in the future; or give `approx`.
    #[serde(default)]
    #[schema(format = Date)]
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
    #[schema(value_type = alongside_domain::information::HowKnown)]
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
        date: api_date("date", req.date)?,
        time: api_time("time", req.time)?,
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
    let new = NewEntry::parse(&raw, uk_local(Utc::now())).map_err(invalid)?;
    let eid = crate::record::entry(&state, &caller.actor, Some(id), &new)
        .await?
        .id;
    Ok((
        StatusCode::CREATED,
        Json(Created {
            id: eid.get(),
            family_id: Some(id),
            earlier_referrals: None,
        }),
    ))
}
