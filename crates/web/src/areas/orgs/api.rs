use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use dangjian_app::orgs::{self, OrgInput, OrgView, TreeNode};
use dangjian_domain::OrgId;
use dangjian_domain::PositionId;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::AppState;
use crate::api::ErrorBody;
use crate::error::HttpError;
use crate::extract::{ApiJson, IdPath};
use crate::session::{Ctx, CurrentActor};

/// The organization tree the caller may see, in tree order, with member counts (subtree included).
#[utoipa::path(get, path = "/api/v1/orgs", tag = "orgs",
    responses((status = 200, body = Vec<TreeNode>), (status = 403, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
) -> Result<Json<Vec<TreeNode>>, HttpError> {
    Ok(Json(orgs::tree(&state.app, &actor, None).await?))
}

/// One node with its member counts (subtree included; a group counts its own members).
#[utoipa::path(get, path = "/api/v1/orgs/{id}", tag = "orgs", params(("id" = i64, Path)),
    responses((status = 200, body = TreeNode), (status = 404, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn get_one(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    IdPath(id): IdPath,
) -> Result<Json<TreeNode>, HttpError> {
    Ok(Json(
        orgs::node_with_counts(&state.app, &actor, OrgId(id)).await?,
    ))
}

#[derive(Deserialize, ToSchema)]
pub struct OrgRequest {
    /// The parent node; omitted: a new top-level committee (system administrators only). Ignored on update.
    pub parent_id: Option<i64>,
    pub name: String,
    /// committee, general_branch, branch or group. Ignored on update.
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub is_joint: bool,
    #[serde(default)]
    pub is_temporary: bool,
    pub joint_units: Option<i64>,
    /// 3–5.
    pub term_years: Option<i64>,
}

impl OrgRequest {
    fn input(&self) -> OrgInput {
        OrgInput {
            name: self.name.clone(),
            kind: self.kind.clone(),
            is_joint: self.is_joint,
            is_temporary: self.is_temporary,
            joint_units: self.joint_units,
            term_years: self.term_years,
        }
    }
}

/// Create a node; a group only under a branch, a branch under a committee or general branch, and so on.
#[utoipa::path(post, path = "/api/v1/orgs", tag = "orgs", request_body = OrgRequest,
    responses((status = 201, body = OrgView), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody, description = "上级组织不存在")))]
pub async fn create(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    ApiJson(body): ApiJson<OrgRequest>,
) -> Result<(StatusCode, Json<OrgView>), HttpError> {
    let created = orgs::create_org(
        &state.app,
        &actor,
        body.parent_id.map(OrgId),
        &body.input(),
        &ctx,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// Rename a node or change its flags and term.
#[utoipa::path(put, path = "/api/v1/orgs/{id}", tag = "orgs", params(("id" = i64, Path)), request_body = OrgRequest,
    responses((status = 200, body = OrgView), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    IdPath(id): IdPath,
    ApiJson(body): ApiJson<OrgRequest>,
) -> Result<Json<OrgView>, HttpError> {
    Ok(Json(
        orgs::update_org(&state.app, &actor, OrgId(id), &body.input(), &ctx).await?,
    ))
}

/// Delete a node created by mistake (refused once it has any history: dissolve it instead).
#[utoipa::path(delete, path = "/api/v1/orgs/{id}", tag = "orgs", params(("id" = i64, Path)),
    responses((status = 204), (status = 409, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn delete(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    IdPath(id): IdPath,
) -> Result<StatusCode, HttpError> {
    orgs::delete_org(&state.app, &actor, OrgId(id), &ctx).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
pub struct MoveRequest {
    pub parent_id: i64,
}

/// The nodes this node may be moved under: those the caller manages, outside the node's own
/// subtree, not its present parent, and where its kind may stand.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/move-targets", tag = "orgs", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<OrgView>), (status = 404, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn move_targets(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    IdPath(id): IdPath,
) -> Result<Json<Vec<OrgView>>, HttpError> {
    Ok(Json(
        orgs::move_targets(&state.app, &actor, OrgId(id)).await?,
    ))
}

/// Move a node with its whole subtree under another node.
#[utoipa::path(post, path = "/api/v1/orgs/{id}/move", tag = "orgs", params(("id" = i64, Path)), request_body = MoveRequest,
    responses((status = 200, body = OrgView), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn move_to(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    IdPath(id): IdPath,
    ApiJson(body): ApiJson<MoveRequest>,
) -> Result<Json<OrgView>, HttpError> {
    Ok(Json(
        orgs::move_org(&state.app, &actor, OrgId(id), OrgId(body.parent_id), &ctx).await?,
    ))
}

/// Dissolve (撤销) a node with no members left; its history stays.
#[utoipa::path(post, path = "/api/v1/orgs/{id}/dissolve", tag = "orgs", params(("id" = i64, Path)),
    responses((status = 204), (status = 409, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn dissolve(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    IdPath(id): IdPath,
) -> Result<StatusCode, HttpError> {
    orgs::dissolve_org(&state.app, &actor, OrgId(id), &ctx).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The structure health check (组织体检) of a node's subtree, each finding with its rule.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/health", tag = "orgs", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<dangjian_app::structure::HealthFinding>), (status = 403, body = ErrorBody)))]
pub async fn health(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    IdPath(id): IdPath,
) -> Result<Json<Vec<dangjian_app::structure::HealthFinding>>, HttpError> {
    Ok(Json(
        dangjian_app::structure::health_check(&state.app, &actor, OrgId(id)).await?,
    ))
}

/// The positions currently held in a node (committee seats, group leader), with term notes.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/positions", tag = "orgs", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<dangjian_app::structure::PositionView>), (status = 403, body = ErrorBody)))]
pub async fn positions(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    IdPath(id): IdPath,
) -> Result<Json<Vec<dangjian_app::structure::PositionView>>, HttpError> {
    Ok(Json(
        dangjian_app::structure::current_positions(&state.app, &actor, OrgId(id)).await?,
    ))
}

/// Record that a member of the node holds a position from a date; the term follows the node's term years.
#[utoipa::path(post, path = "/api/v1/orgs/{id}/positions", tag = "orgs", params(("id" = i64, Path)),
    request_body = dangjian_app::structure::AppointInput,
    responses((status = 201, body = dangjian_app::structure::PositionView), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn appoint(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    IdPath(id): IdPath,
    ApiJson(body): ApiJson<dangjian_app::structure::AppointInput>,
) -> Result<(StatusCode, Json<dangjian_app::structure::PositionView>), HttpError> {
    let position =
        dangjian_app::structure::appoint(&state.app, &actor, OrgId(id), &body, &ctx).await?;
    Ok((StatusCode::CREATED, Json(position)))
}

#[derive(Deserialize, ToSchema)]
pub struct EndPositionRequest {
    pub position_id: i64,
}

/// Record that a position ends today; the history stays.
#[utoipa::path(post, path = "/api/v1/orgs/{id}/positions/end", tag = "orgs", params(("id" = i64, Path)),
    request_body = EndPositionRequest, responses((status = 204), (status = 404, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn end_position(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    IdPath(id): IdPath,
    ApiJson(body): ApiJson<EndPositionRequest>,
) -> Result<StatusCode, HttpError> {
    dangjian_app::structure::end_position(
        &state.app,
        &actor,
        OrgId(id),
        PositionId(body.position_id),
        &ctx,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}
