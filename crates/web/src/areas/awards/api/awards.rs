//! The 争先创优 API (`/api/v1/awards/...`).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use dangjian_app::points::awards::{
    self, AwardCampaignView, AwardSummary, DecisionInput, HonourView, NominationInput,
};
use dangjian_domain::{AwardCampaignId, MemberId, NominationId, OrgId};
use serde::Deserialize;
use utoipa::{OpenApi, ToSchema};

use crate::AppState;
use crate::api::ErrorBody;
use crate::error::HttpError;
use crate::extract::{ApiJson, IdPath};
use crate::session::{Ctx, CurrentActor};

#[derive(OpenApi)]
#[openapi(paths(list, start, get_one, nominate, decide, object, finalize, honours))]
pub struct AwardsApi;

/// A node's award campaigns.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/awards", tag = "awards", params(("id" = i64, Path)),
    responses((status = 200, body = [AwardSummary]), (status = 403, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    IdPath(id): IdPath,
) -> Result<Json<Vec<AwardSummary>>, HttpError> {
    Ok(Json(
        awards::campaigns(&state.app, &actor, OrgId(id)).await?,
    ))
}

#[derive(Deserialize, ToSchema)]
// Named apart: another input of the same Rust name would take its place in the OpenAPI document.
#[schema(as = AwardStartInput)]
pub struct StartInput {
    pub title: String,
}

/// Starts a campaign (e.g. 2026年度“两优一先”评选).
#[utoipa::path(post, path = "/api/v1/orgs/{id}/awards", tag = "awards", params(("id" = i64, Path)), request_body = StartInput,
    responses((status = 201, body = AwardCampaignView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn start(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    IdPath(id): IdPath,
    ApiJson(input): ApiJson<StartInput>,
) -> Result<impl IntoResponse, HttpError> {
    Ok((
        StatusCode::CREATED,
        Json(awards::start(&state.app, &actor, &ctx, OrgId(id), &input.title).await?),
    ))
}

/// A campaign: nominations (during the notice, members see the selected ones).
#[utoipa::path(get, path = "/api/v1/awards/{id}", tag = "awards", params(("id" = i64, Path)),
    responses((status = 200, body = AwardCampaignView), (status = 403, body = ErrorBody)))]
pub async fn get_one(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    IdPath(id): IdPath,
) -> Result<Json<AwardCampaignView>, HttpError> {
    Ok(Json(
        awards::view(&state.app, &actor, AwardCampaignId(id)).await?,
    ))
}

/// Nominates a member or group with a reason.
#[utoipa::path(post, path = "/api/v1/awards/{id}/nominations", tag = "awards", params(("id" = i64, Path)), request_body = NominationInput,
    responses((status = 201, body = AwardCampaignView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn nominate(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    IdPath(id): IdPath,
    ApiJson(input): ApiJson<NominationInput>,
) -> Result<impl IntoResponse, HttpError> {
    Ok((
        StatusCode::CREATED,
        Json(awards::nominate(&state.app, &actor, &ctx, AwardCampaignId(id), &input).await?),
    ))
}

/// The committee's decision and the public notice dates.
#[utoipa::path(post, path = "/api/v1/awards/{id}/decision", tag = "awards", params(("id" = i64, Path)), request_body = DecisionInput,
    responses((status = 200, body = AwardCampaignView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn decide(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    IdPath(id): IdPath,
    ApiJson(input): ApiJson<DecisionInput>,
) -> Result<Json<AwardCampaignView>, HttpError> {
    Ok(Json(
        awards::decide(&state.app, &actor, &ctx, AwardCampaignId(id), &input).await?,
    ))
}

#[derive(Deserialize, ToSchema)]
pub struct ObjectionInput {
    pub nomination_id: i64,
    pub text: String,
}

/// An objection to a nominee on notice (only between the notice's first and last day).
#[utoipa::path(post, path = "/api/v1/awards/{id}/objections", tag = "awards", params(("id" = i64, Path)), request_body = ObjectionInput,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn object(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    IdPath(id): IdPath,
    ApiJson(input): ApiJson<ObjectionInput>,
) -> Result<StatusCode, HttpError> {
    awards::object(
        &state.app,
        &actor,
        &ctx,
        AwardCampaignId(id),
        NominationId(input.nomination_id),
        &input.text,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Records the final list once the notice has ended.
#[utoipa::path(post, path = "/api/v1/awards/{id}/final", tag = "awards", params(("id" = i64, Path)),
    responses((status = 200, body = AwardCampaignView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn finalize(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    IdPath(id): IdPath,
) -> Result<Json<AwardCampaignView>, HttpError> {
    Ok(Json(
        awards::finalize(&state.app, &actor, &ctx, AwardCampaignId(id)).await?,
    ))
}

/// A member's honours from final lists.
#[utoipa::path(get, path = "/api/v1/members/{id}/honours", tag = "awards", params(("id" = i64, Path)),
    responses((status = 200, body = [HonourView]), (status = 403, body = ErrorBody)))]
pub async fn honours(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    IdPath(id): IdPath,
) -> Result<Json<Vec<HonourView>>, HttpError> {
    Ok(Json(
        awards::member_honours(&state.app, &actor, MemberId(id)).await?,
    ))
}
