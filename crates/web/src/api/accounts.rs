use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use dangjian_app::accounts::{self, AccountView, CreatedAccount, NewAccountInput};
use dangjian_app::{Page, PageParams};
use dangjian_domain::AccountId;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::ErrorBody;
use crate::AppState;
use crate::error::HttpError;
use crate::extract::{ApiJson, IdPath, QueryParams};
use crate::session::{Ctx, CurrentActor};

#[derive(Deserialize, IntoParams)]
pub struct ListQuery {
    /// A fragment of the name or phone.
    q: Option<String>,
    /// 1-based.
    page: Option<i64>,
    /// 1–200, default 20.
    per_page: Option<i64>,
}

/// Accounts the caller manages.
#[utoipa::path(get, path = "/api/v1/accounts", tag = "accounts", params(ListQuery),
    responses((status = 200, body = Page<AccountView>), (status = 403, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    QueryParams(query): QueryParams<ListQuery>,
) -> Result<Json<Page<AccountView>>, HttpError> {
    let page = PageParams::new(query.page, query.per_page);
    Ok(Json(
        accounts::list_accounts(&state.app, &actor, query.q.as_deref(), page).await?,
    ))
}

#[derive(Deserialize, ToSchema)]
pub struct NewAccountRequest {
    pub phone: String,
    pub name: String,
    /// system_admin, org_admin, group_leader or member.
    pub role: String,
    /// The node the role is bound to; required for every role but system_admin.
    pub org_id: Option<i64>,
    /// Initial password; omitted, one is generated. The user must change it at first login.
    pub password: Option<String>,
}

/// Create an account; the initial password is returned once.
#[utoipa::path(post, path = "/api/v1/accounts", tag = "accounts", request_body = NewAccountRequest,
    responses((status = 201, body = CreatedAccount), (status = 409, body = ErrorBody, description = "手机号已有账号"),
              (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    ApiJson(body): ApiJson<NewAccountRequest>,
) -> Result<(StatusCode, Json<CreatedAccount>), HttpError> {
    let input = NewAccountInput {
        phone: body.phone,
        name: body.name,
        role: body.role,
        org_id: body.org_id,
        password: body.password,
    };
    Ok((
        StatusCode::CREATED,
        Json(accounts::create_account(&state.app, &actor, &input, &ctx).await?),
    ))
}

/// One account the caller manages.
#[utoipa::path(get, path = "/api/v1/accounts/{id}", tag = "accounts", params(("id" = i64, Path)),
    responses((status = 200, body = AccountView), (status = 404, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn get_one(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    IdPath(id): IdPath,
) -> Result<Json<AccountView>, HttpError> {
    Ok(Json(
        accounts::get_account(&state.app, &actor, AccountId(id)).await?,
    ))
}

#[derive(Serialize, ToSchema)]
pub struct TemporaryPassword {
    /// Hand it to the user; they must change it at the next login.
    pub temporary_password: String,
}

/// Reset an account's password to a temporary one and end its sessions.
#[utoipa::path(post, path = "/api/v1/accounts/{id}/reset-password", tag = "accounts", params(("id" = i64, Path)),
    responses((status = 200, body = TemporaryPassword), (status = 404, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn reset_password(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    IdPath(id): IdPath,
) -> Result<Json<TemporaryPassword>, HttpError> {
    let temporary_password =
        accounts::reset_password(&state.app, &actor, AccountId(id), &ctx).await?;
    Ok(Json(TemporaryPassword { temporary_password }))
}

/// Lift a lock caused by failed logins.
#[utoipa::path(post, path = "/api/v1/accounts/{id}/unlock", tag = "accounts", params(("id" = i64, Path)),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn unlock(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    IdPath(id): IdPath,
) -> Result<StatusCode, HttpError> {
    accounts::unlock_account(&state.app, &actor, AccountId(id), &ctx).await?;
    Ok(StatusCode::NO_CONTENT)
}
