//! The API of a child's records beyond the family page (issue 12): the missing-from-home
//! profile, the missing episodes, where the child lives, and the family's workers over time
//! and closures. Reads for the family's workers; the police partner reads a shared profile
//! on its own pages, which carry nothing of the family behind it.

use super::*;

#[utoipa::path(get, path = "/api/v1/children/{id}/profile", params(("id" = i64, Path)),
    responses((status = 200, body = ProfileView), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub(crate) async fn get_profile(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<ProfileView>, ApiError> {
    caller.require_families()?;
    Ok(Json(
        state
            .store
            .missing_profile(&caller.actor, parse_id(&id)?)
            .await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/children/{id}/episodes", params(("id" = i64, Path), ("page" = Option<i64>, Query, minimum = 1, maximum = 100000), ("per_page" = Option<i64>, Query, minimum = 1, maximum = 200, description = "1 to 200; 50 unless given")),
    responses((status = 200, body = Paged<EpisodeRow>, headers(("Link" = String, description = "first, prev, next and last pages"))), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub(crate) async fn list_episodes(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    caller.require_families()?;
    let child: MemberId = parse_id(&id)?;
    page_of(
        state.store.child_episodes(&caller.actor, child).await?,
        q.as_deref(),
        &format!("/api/v1/children/{child}/episodes"),
    )
}

#[utoipa::path(get, path = "/api/v1/episodes/{id}", params(("id" = i64, Path)),
    responses((status = 200, body = EpisodeView), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub(crate) async fn get_episode(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<EpisodeView>, ApiError> {
    caller.require_families()?;
    Ok(Json(
        state.store.episode(&caller.actor, parse_id(&id)?).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/children/{id}/placements", params(("id" = i64, Path)),
    responses((status = 200, body = ChildPlacements), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub(crate) async fn get_placements(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<ChildPlacements>, ApiError> {
    caller.require_families()?;
    Ok(Json(
        state
            .store
            .child_placements(&caller.actor, parse_id(&id)?)
            .await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/families/{id}/continuity", params(("id" = i64, Path)),
    responses((status = 200, body = FamilyContinuity), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub(crate) async fn get_continuity(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<FamilyContinuity>, ApiError> {
    caller.require_families()?;
    Ok(Json(
        state
            .store
            .continuity(&caller.actor, parse_id(&id)?)
            .await?,
    ))
}
