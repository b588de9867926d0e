use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use dangjian_app::members::{MemberInput, MemberView};
use dangjian_app::transfers::{self, LetterInput, TransferView};
use dangjian_domain::OrgId;
use dangjian_domain::{MemberId, TransferId};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::AppState;
use crate::api::ErrorBody;
use crate::error::HttpError;
use crate::extract::{ApiJson, IdPath};
use crate::session::{Ctx, CurrentActor};

/// Transfers leaving or entering the caller's reach, newest first.
#[utoipa::path(get, path = "/api/v1/transfers", tag = "transfers",
    responses((status = 200, body = Vec<TransferView>), (status = 403, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
) -> Result<Json<Vec<TransferView>>, HttpError> {
    Ok(Json(transfers::list_transfers(&state.app, &actor).await?))
}

#[derive(Deserialize, ToSchema)]
pub struct StartRequest {
    pub member_id: i64,
    /// The receiving branch, or one of its groups.
    pub to_org_id: i64,
    #[serde(default)]
    pub reason: String,
}

/// The sending branch starts a transfer within the system; the member stays until it is accepted.
#[utoipa::path(post, path = "/api/v1/transfers", tag = "transfers", request_body = StartRequest,
    responses((status = 201, body = TransferView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody), (status = 404, body = ErrorBody, description = "党员或接收组织不存在")))]
pub async fn start(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    ApiJson(body): ApiJson<StartRequest>,
) -> Result<(StatusCode, Json<TransferView>), HttpError> {
    let started = transfers::start_internal(
        &state.app,
        &actor,
        MemberId(body.member_id),
        OrgId(body.to_org_id),
        &body.reason,
        &ctx,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(started)))
}

#[derive(Deserialize, ToSchema, Default)]
pub struct DecisionRequest {
    /// Accept: place the member in this group of the receiving branch.
    pub group_id: Option<i64>,
    /// Reject: why (required).
    #[serde(default)]
    pub note: String,
}

/// The receiving branch accepts; the member moves.
#[utoipa::path(post, path = "/api/v1/transfers/{id}/accept", tag = "transfers", params(("id" = i64, Path)), request_body = DecisionRequest,
    responses((status = 200, body = TransferView), (status = 409, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn accept(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    IdPath(id): IdPath,
    ApiJson(body): ApiJson<DecisionRequest>,
) -> Result<Json<TransferView>, HttpError> {
    Ok(Json(
        transfers::accept(
            &state.app,
            &actor,
            TransferId(id),
            body.group_id.map(OrgId),
            &ctx,
        )
        .await?,
    ))
}

/// The receiving branch rejects with a reason; the member stays.
#[utoipa::path(post, path = "/api/v1/transfers/{id}/reject", tag = "transfers", params(("id" = i64, Path)), request_body = DecisionRequest,
    responses((status = 200, body = TransferView), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn reject(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    IdPath(id): IdPath,
    ApiJson(body): ApiJson<DecisionRequest>,
) -> Result<Json<TransferView>, HttpError> {
    Ok(Json(
        transfers::reject(&state.app, &actor, TransferId(id), &body.note, &ctx).await?,
    ))
}

/// The sending branch withdraws a pending transfer.
#[utoipa::path(post, path = "/api/v1/transfers/{id}/cancel", tag = "transfers", params(("id" = i64, Path)),
    responses((status = 200, body = TransferView), (status = 409, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn cancel(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    IdPath(id): IdPath,
) -> Result<Json<TransferView>, HttpError> {
    Ok(Json(
        transfers::cancel(&state.app, &actor, TransferId(id), &ctx).await?,
    ))
}

#[derive(Deserialize, ToSchema)]
pub struct OutRequest {
    pub member_id: i64,
    #[serde(flatten)]
    pub letter: LetterInput,
}

/// Transfer a member out of the system with an introduction letter; the slip is due in 3 months.
#[utoipa::path(post, path = "/api/v1/transfers/out", tag = "transfers", request_body = OutRequest,
    responses((status = 201, body = TransferView), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody, description = "党员不存在")))]
pub async fn out(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    ApiJson(body): ApiJson<OutRequest>,
) -> Result<(StatusCode, Json<TransferView>), HttpError> {
    let issued = transfers::transfer_out(
        &state.app,
        &actor,
        MemberId(body.member_id),
        &body.letter,
        &ctx,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(issued)))
}

#[derive(Deserialize, ToSchema)]
pub struct SlipRequest {
    /// YYYY-MM-DD.
    #[schema(format = Date)]
    pub returned_on: String,
}

/// Record the return slip of a letter out of the system.
#[utoipa::path(post, path = "/api/v1/transfers/{id}/slip", tag = "transfers", params(("id" = i64, Path)), request_body = SlipRequest,
    responses((status = 200, body = TransferView), (status = 409, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn slip(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    IdPath(id): IdPath,
    ApiJson(body): ApiJson<SlipRequest>,
) -> Result<Json<TransferView>, HttpError> {
    Ok(Json(
        transfers::record_slip(&state.app, &actor, TransferId(id), &body.returned_on, &ctx).await?,
    ))
}

#[derive(Deserialize, ToSchema)]
pub struct InRequest {
    /// The branch or group receiving the member.
    pub org_id: i64,
    pub member: MemberInput,
    pub letter: LetterInput,
}

/// Register a member who arrives from outside the system with a letter.
#[utoipa::path(post, path = "/api/v1/transfers/in", tag = "transfers", request_body = InRequest,
    responses((status = 201, body = MemberView), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn transfer_in(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    ApiJson(body): ApiJson<InRequest>,
) -> Result<(StatusCode, Json<MemberView>), HttpError> {
    let created = transfers::transfer_in(
        &state.app,
        &actor,
        OrgId(body.org_id),
        &body.member,
        &body.letter,
        &ctx,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(created)))
}
