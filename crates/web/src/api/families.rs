//! The API of the family record: families, members, strengths, contacts, the chronology.

use super::*;

#[utoipa::path(get, path = "/api/v1/families",
    params(("search" = Option<String>, Query, description = "Part of the family name"), ("page" = Option<i64>, Query, minimum = 1, maximum = 100000), ("per_page" = Option<i64>, Query, minimum = 1, maximum = 200, description = "1 to 200")),
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
    if let Some(message) = alongside_domain::validate::control_characters("search", search) {
        let mut e = FieldErrors::new();
        e.add("search", message);
        return Err(invalid(e));
    }
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

/// One family's record
///
/// Its ETag is the version of its strengths and own words, which
/// `PUT /api/v1/families/{id}/strengths` must name in If-Match.
#[utoipa::path(get, path = "/api/v1/families/{id}", params(("id" = i64, Path)),
    responses((status = 200, body = FamilyPage, headers(("ETag" = String, description = "The version of the strengths and own words"))), (status = 404, body = ApiErrorBody)))]
pub(crate) async fn get_family(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    caller.require_families()?;
    let p = state
        .store
        .family_page(&caller.actor, parse_id(&id)?)
        .await?;
    let tag = p.family.strengths_tag();
    Ok(([(axum::http::header::ETAG, tag)], Json(p)).into_response())
}

#[utoipa::path(get, path = "/api/v1/families/{id}/contacts", params(("id" = i64, Path), ("page" = Option<i64>, Query, minimum = 1, maximum = 100000), ("per_page" = Option<i64>, Query, minimum = 1, maximum = 200, description = "1 to 200; 50 unless given")),
    responses((status = 200, body = Paged<Contact>, headers(("Link" = String, description = "first, prev, next and last pages"))), (status = 404, body = ApiErrorBody)))]
pub(crate) async fn list_contacts(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    caller.require_families()?;
    let family: FamilyId = parse_id(&id)?;
    page_of(
        state.store.contacts(&caller.actor, family).await?,
        q.as_deref(),
        &format!("/api/v1/families/{family}/contacts"),
    )
}

/// A contact to record.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContactRequest {
    /// home_visit, phone_call, message, office_visit, out_of_hours, meeting
    #[schema(value_type = alongside_domain::family::ContactKind)]
    pub kind: String,
    /// held or planned
    #[schema(value_type = NewContactStatus)]
    pub status: String,
    /// YYYY-MM-DD
    #[schema(format = Date, min_length = 1)]
    pub date: String,
    /// HH:MM, 24-hour
    #[serde(default)]
    pub time: Option<String>,
    /// 1 to 1440
    #[serde(default)]
    #[schema(minimum = 1, maximum = 1440)]
    pub duration_minutes: Option<i64>,
    #[serde(default)]
    pub participants: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
    /// confidential or shareable
    #[schema(value_type = alongside_domain::family::Visibility)]
    pub visibility: String,
}

/// A contact as it is recorded: held, or planned (a planned one is later marked held or
/// cancelled on the family record's page).
#[derive(utoipa::ToSchema)]
#[schema(rename_all = "snake_case")]
#[allow(dead_code)] // Only the schema: the request carries the code, which the domain reads.
pub enum NewContactStatus {
    Held,
    Planned,
}

/// What was created.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Created {
    pub id: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub family_id: Option<FamilyId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub earlier_referrals: Option<i64>,
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
        time: api_time("time", req.time)?,
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
            id: cid.get(),
            family_id: Some(id),
            earlier_referrals: None,
        }),
    ))
}

/// A family member to add.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MemberRequest {
    #[schema(min_length = 1)]
    pub given_name: String,
    #[schema(min_length = 1)]
    pub family_name: String,
    #[serde(default)]
    pub known_as: Option<String>,
    /// child_at_risk, sibling, parent_carer, other
    #[schema(value_type = alongside_domain::family::MemberRole)]
    pub member_role: String,
    /// For parents and carers: birth, step, adoptive, foster, kinship, residential, other
    #[serde(default)]
    #[schema(value_type = Option<alongside_domain::family::CarerKind>)]
    pub carer_kind: Option<String>,
    /// YYYY-MM-DD
    #[serde(default)]
    #[schema(format = Date)]
    pub date_of_birth: Option<String>,
    #[serde(default)]
    pub relationship: Option<String>,
    /// home, kin, foster, residential, secure, other
    #[serde(default)]
    #[schema(value_type = Option<alongside_domain::family::LivingSituation>)]
    pub lives: Option<String>,
    /// YYYY-MM-DD
    #[serde(default)]
    #[schema(format = Date)]
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
        date_of_birth: api_date("date_of_birth", req.date_of_birth)?,
        relationship: req.relationship.unwrap_or_default(),
        lives: req.lives.unwrap_or_default(),
        lives_since: api_date("lives_since", req.lives_since)?,
    };
    let member = NewMember::parse(&raw, uk_today(Utc::now())).map_err(invalid)?;
    let mid = state
        .store
        .add_member(&caller.actor, id, &member, Utc::now())
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(Created {
            id: mid.get(),
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

/// Replace a family's strengths and own words
///
/// Send the family's ETag (from `GET /api/v1/families/{id}`) in If-Match: a change made
/// meanwhile by someone else is refused with 412, and one without If-Match with 428.
#[utoipa::path(put, path = "/api/v1/families/{id}/strengths", params(("id" = i64, Path), ("If-Match" = String, Header, description = "The family's ETag, as read")), request_body = StrengthsRequest,
    responses((status = 204), (status = 400, body = ApiErrorBody), (status = 404, body = ApiErrorBody), (status = 412, body = ApiErrorBody), (status = 422, body = ApiErrorBody), (status = 428, body = ApiErrorBody)))]
pub(crate) async fn put_strengths(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
    headers: axum::http::HeaderMap,
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
    let expected = headers
        .get(axum::http::header::IF_MATCH)
        // Bytes that are not text name no version of ours: refused as changed (412).
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        .map(|v| v.trim().trim_start_matches("W/").to_string())
        .ok_or(ApiError::PreconditionRequired)?;
    // "If-Match: *" (RFC 9110 13.1.1) asks only that the record exist: the caller has
    // said, in so many words, that it replaces whatever is there.
    let expected = (expected != "*").then_some(expected);
    state
        .store
        .update_strengths(
            &caller.actor,
            id,
            strengths.as_deref(),
            own_words.as_deref(),
            expected.as_deref(),
            Utc::now(),
        )
        .await
        .map_err(|e| match e {
            alongside_store::StoreError::Conflict(alongside_store::Refusal::ChangedSinceRead) => {
                ApiError::PreconditionFailed
            }
            other => other.into(),
        })?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/v1/families/{id}/chronology",
    params(("id" = i64, Path), ("kind" = Option<Vec<alongside_domain::family::ChronologyKind>>, Query, style = Form, explode, description = "Repeatable: the kinds of line to show"),
           ("from" = Option<String>, Query, format = Date, description = "YYYY-MM-DD"), ("to" = Option<String>, Query, format = Date, description = "YYYY-MM-DD"),
           ("page" = Option<i64>, Query, minimum = 1, maximum = 100000), ("per_page" = Option<i64>, Query, minimum = 1, maximum = 1000, description = "1 to 1000")),
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
    // Given but empty (`?from=`) is not a value: refused by name, as the document says.
    for name in ["from", "to", "kind"] {
        if q.all(name).iter().any(|v| v.trim().is_empty()) {
            e.add(
                name,
                format!("{name} is empty: give a value, or leave it out of the query"),
            );
        }
    }
    let kinds = q
        .all("kind")
        .into_iter()
        .filter(|k| !k.trim().is_empty())
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
