//! The 效能考核 API.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use dangjian_app::points::assessment::{self, AssessmentView};
use dangjian_domain::OrgId;
use serde::Deserialize;
use utoipa::{IntoParams, OpenApi, ToSchema};

use crate::AppState;
use crate::api::ErrorBody;
use crate::error::HttpError;
use crate::extract::{ApiJson, IdPath, QueryParams};
use crate::session::{Ctx, CurrentActor};

#[derive(OpenApi)]
#[openapi(paths(scores, set_weights))]
pub struct AssessmentApi;

#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
pub struct ScoreQuery {
    pub period: Option<String>,
    /// groups or branches (default).
    #[serde(default)]
    pub of: String,
}

/// The weighted performance scores of the groups or branches under a node, each component shown.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/assessment", tag = "assessment", params(("id" = i64, Path), ScoreQuery),
    responses((status = 200, body = AssessmentView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn scores(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    IdPath(id): IdPath,
    QueryParams(q): QueryParams<ScoreQuery>,
) -> Result<Json<AssessmentView>, HttpError> {
    Ok(Json(
        assessment::scores(&state.app, &actor, OrgId(id), q.period.as_deref(), &q.of).await?,
    ))
}

#[derive(Deserialize, ToSchema)]
pub struct WeightsInput {
    pub compliance: i64,
    pub attendance: i64,
    pub points: i64,
    pub dues: i64,
}

/// Sets the weights (percent, adding up to 100) for the node's subtree.
#[utoipa::path(post, path = "/api/v1/orgs/{id}/assessment/weights", tag = "assessment", params(("id" = i64, Path)), request_body = WeightsInput,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn set_weights(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    IdPath(id): IdPath,
    ApiJson(w): ApiJson<WeightsInput>,
) -> Result<StatusCode, HttpError> {
    assessment::set_weights(
        &state.app,
        &actor,
        &ctx,
        OrgId(id),
        [w.compliance, w.attendance, w.points, w.dues],
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}
