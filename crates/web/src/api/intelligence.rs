//! The API of intelligence submissions: making them, and the police's answers.

use super::*;

// ---- intelligence submissions ----

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

#[utoipa::path(get, path = "/api/v1/submissions", params(("page" = Option<i64>, Query, minimum = 1, maximum = 100000), ("per_page" = Option<i64>, Query, minimum = 1, maximum = 200, description = "1 to 200; 50 unless given")),
    responses((status = 200, body = Paged<SubmissionRow>, headers(("Link" = String, description = "first, prev, next and last pages"))), (status = 401, body = ApiErrorBody), (status = 403, body = ApiErrorBody)))]
pub(crate) async fn list_submissions(
    State(state): State<AppState>,
    caller: ApiCaller,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    caller.require_intelligence()?;
    page_of(
        state.store.submissions(&caller.actor).await?,
        q.as_deref(),
        "/api/v1/submissions",
    )
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

/// A photo's bytes, in the type it was kept in: in the document, a binary string.
pub struct PhotoBytes;

impl utoipa::PartialSchema for PhotoBytes {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Binary)))
            .into()
    }
}

impl utoipa::ToSchema for PhotoBytes {}

/// Photo `number` of a submission, as its `attachments` number it (1 for the first).
#[utoipa::path(get, path = "/api/v1/submissions/{id}/photos/{number}",
    params(("id" = i64, Path), ("number" = u32, Path)),
    responses(
        (status = 200, description = "The photo, with no metadata and a neutral name",
            content((PhotoBytes = "image/jpeg"), (PhotoBytes = "image/png"), (PhotoBytes = "image/gif"), (PhotoBytes = "image/webp"))),
        (status = 401, body = ApiErrorBody), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub(crate) async fn get_submission_photo(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path((id, number)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    caller.require_intelligence()?;
    let number: u32 = number.parse().map_err(|_| ApiError::NotFound)?;
    let file = state
        .store
        .submission_photo(&caller.actor, parse_id(&id)?, number)
        .await?;
    Ok(crate::pages::photo_response(
        &file.photo.content_type,
        &file.photo.filename,
        file.content,
    ))
}

/// Relevant entries of a family to pass to the police, graded 3x5x2.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubmissionRequest {
    /// The family's entries to pass on (at least one).
    #[serde(default)]
    #[schema(min_items = 1)]
    pub entry_ids: Vec<i64>,
    /// What the police read; up to 10,000 characters. Do not name the family.
    #[serde(default)]
    #[schema(min_length = 1)]
    pub summary: String,
    /// 3x5x2, e.g. "B2P": source evaluation A-C, intelligence assessment 1-5, handling P or C.
    #[serde(default)]
    #[schema(pattern = "^[ABCabc][1-5][PCpc]$", example = "B2P")]
    pub grade: String,
    /// Required when the handling code is C; ignored for P.
    #[serde(default)]
    pub handling_conditions: Option<String>,
    /// Replace the family's own names and address (as its record holds them) in what is
    /// sent with what they stand for, such as "[child]": true unless set to false.
    #[serde(default)]
    pub redact_family_details: Option<bool>,
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
        redact: req
            .redact_family_details
            .map(|r| r.to_string())
            .unwrap_or_default(),
    };
    let new = NewSubmission::parse(&raw).map_err(invalid)?;
    match state
        .store
        .create_submission(&caller.actor, id, &new, Utc::now())
        .await
    {
        Ok((sid, reference)) => Ok((
            StatusCode::CREATED,
            Json(SubmissionCreated {
                id: sid.get(),
                reference,
            }),
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
    #[schema(value_type = alongside_domain::information::SubmissionOutcome)]
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
