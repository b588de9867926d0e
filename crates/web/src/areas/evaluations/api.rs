//! The 民主评议 API (`/api/v1/evaluations/...`). Ratings are write-only for members: no endpoint
//! returns who rated whom or how; administrators see counts only.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use dangjian_app::points::evaluation::{
    self, CampaignSummary, CampaignView, ProposedRating, ResultView, StartInput,
};
use dangjian_domain::{EvaluationCampaignId, MemberId, OrgId};
use serde::Deserialize;
use utoipa::{OpenApi, ToSchema};

use crate::AppState;
use crate::api::ErrorBody;
use crate::error::HttpError;
use crate::extract::{ApiJson, IdPath};
use crate::session::{Ctx, CurrentActor};

#[derive(OpenApi)]
#[openapi(paths(
    list,
    start,
    get_one,
    self_evaluation,
    rate,
    propose,
    confirm,
    member_results
))]
pub struct EvaluationApi;

/// A branch's campaigns.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/evaluations", tag = "evaluation", params(("id" = i64, Path)),
    responses((status = 200, body = [CampaignSummary]), (status = 403, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    IdPath(id): IdPath,
) -> Result<Json<Vec<CampaignSummary>>, HttpError> {
    Ok(Json(
        evaluation::campaigns(&state.app, &actor, OrgId(id)).await?,
    ))
}

/// Starts a branch's yearly campaign (share of 优秀 and points floor configurable).
#[utoipa::path(post, path = "/api/v1/orgs/{id}/evaluations", tag = "evaluation", params(("id" = i64, Path)), request_body = StartInput,
    responses((status = 201, body = CampaignView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn start(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    IdPath(id): IdPath,
    ApiJson(input): ApiJson<StartInput>,
) -> Result<impl IntoResponse, HttpError> {
    Ok((
        StatusCode::CREATED,
        Json(evaluation::start(&state.app, &actor, &ctx, OrgId(id), &input).await?),
    ))
}

/// A campaign as the caller may see it: participants their own part, administrators the tally.
#[utoipa::path(get, path = "/api/v1/evaluations/{id}", tag = "evaluation", params(("id" = i64, Path)),
    responses((status = 200, body = CampaignView), (status = 403, body = ErrorBody)))]
pub async fn get_one(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    IdPath(id): IdPath,
) -> Result<Json<CampaignView>, HttpError> {
    Ok(Json(
        evaluation::view(&state.app, &actor, EvaluationCampaignId(id)).await?,
    ))
}

#[derive(Deserialize, ToSchema)]
pub struct SelfInput {
    pub text: String,
}

/// The caller's self-evaluation (may be revised while the campaign is open).
#[utoipa::path(post, path = "/api/v1/evaluations/{id}/self", tag = "evaluation", params(("id" = i64, Path)), request_body = SelfInput,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn self_evaluation(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    IdPath(id): IdPath,
    ApiJson(input): ApiJson<SelfInput>,
) -> Result<StatusCode, HttpError> {
    evaluation::submit_self(
        &state.app,
        &actor,
        &ctx,
        EvaluationCampaignId(id),
        &input.text,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
pub struct RateInput {
    pub member_id: i64,
    pub rating: String,
}

/// Rates a peer once (never oneself); anonymous.
#[utoipa::path(post, path = "/api/v1/evaluations/{id}/ratings", tag = "evaluation", params(("id" = i64, Path)), request_body = RateInput,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn rate(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    IdPath(id): IdPath,
    ApiJson(input): ApiJson<RateInput>,
) -> Result<StatusCode, HttpError> {
    evaluation::rate(
        &state.app,
        &actor,
        &ctx,
        EvaluationCampaignId(id),
        MemberId(input.member_id),
        &input.rating,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
pub struct ProposalBody {
    pub ratings: Vec<ProposedRating>,
}

/// The branch committee's proposal for every member (floor and share enforced).
#[utoipa::path(post, path = "/api/v1/evaluations/{id}/proposal", tag = "evaluation", params(("id" = i64, Path)), request_body = ProposalBody,
    responses((status = 200, body = CampaignView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn propose(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    IdPath(id): IdPath,
    ApiJson(input): ApiJson<ProposalBody>,
) -> Result<Json<CampaignView>, HttpError> {
    Ok(Json(
        evaluation::propose(
            &state.app,
            &actor,
            &ctx,
            EvaluationCampaignId(id),
            &input.ratings,
        )
        .await?,
    ))
}

#[derive(Deserialize, ToSchema)]
pub struct ConfirmInput {
    /// The date of the branch assembly that confirmed the results.
    #[schema(format = Date)]
    pub assembly_on: String,
}

/// The branch assembly's confirmation: results enter members' records.
#[utoipa::path(post, path = "/api/v1/evaluations/{id}/confirmation", tag = "evaluation", params(("id" = i64, Path)), request_body = ConfirmInput,
    responses((status = 200, body = CampaignView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn confirm(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    IdPath(id): IdPath,
    ApiJson(input): ApiJson<ConfirmInput>,
) -> Result<Json<CampaignView>, HttpError> {
    Ok(Json(
        evaluation::confirm(
            &state.app,
            &actor,
            &ctx,
            EvaluationCampaignId(id),
            &input.assembly_on,
        )
        .await?,
    ))
}

/// A member's confirmed 民主评议 results.
#[utoipa::path(get, path = "/api/v1/members/{id}/evaluations", tag = "evaluation", params(("id" = i64, Path)),
    responses((status = 200, body = [ResultView]), (status = 403, body = ErrorBody)))]
pub async fn member_results(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    IdPath(id): IdPath,
) -> Result<Json<Vec<ResultView>>, HttpError> {
    Ok(Json(
        evaluation::member_results(&state.app, &actor, MemberId(id)).await?,
    ))
}
