use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use dangjian_app::tokens::{self, TokenView};
use dangjian_domain::{AccountId, TokenId};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::AppState;
use crate::api::ErrorBody;
use crate::error::HttpError;
use crate::extract::{ApiJson, IdPath};
use crate::session::{Ctx, CurrentActor};

/// API tokens of the accounts the caller manages.
#[utoipa::path(get, path = "/api/v1/tokens", tag = "tokens",
    responses((status = 200, body = Vec<TokenView>), (status = 403, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
) -> Result<Json<Vec<TokenView>>, HttpError> {
    Ok(Json(tokens::list_tokens(&state.app, &actor).await?))
}

#[derive(Deserialize, ToSchema)]
pub struct IssueTokenRequest {
    /// The account the token acts as.
    pub account_id: i64,
    /// What it is for, e.g. "单位 OA 对接".
    pub name: String,
}

#[derive(Serialize, ToSchema)]
pub struct IssuedToken {
    pub token: TokenView,
    /// The token itself, shown only this once: send it as `Authorization: Bearer <secret>`.
    pub secret: String,
}

/// Issue a token acting as an account the caller manages.
#[utoipa::path(post, path = "/api/v1/tokens", tag = "tokens", request_body = IssueTokenRequest,
    responses((status = 201, body = IssuedToken), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn issue(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    ApiJson(body): ApiJson<IssueTokenRequest>,
) -> Result<(StatusCode, Json<IssuedToken>), HttpError> {
    let (token, secret) = tokens::issue_token(
        &state.app,
        &actor,
        AccountId(body.account_id),
        &body.name,
        &ctx,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(IssuedToken { token, secret })))
}

/// Revoke a token; calls made with it are refused from now on.
#[utoipa::path(post, path = "/api/v1/tokens/{id}/revoke", tag = "tokens", params(("id" = i64, Path)),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody, description = "已吊销")))]
pub async fn revoke(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    IdPath(id): IdPath,
) -> Result<StatusCode, HttpError> {
    tokens::revoke_token(&state.app, &actor, TokenId(id), &ctx).await?;
    Ok(StatusCode::NO_CONTENT)
}
