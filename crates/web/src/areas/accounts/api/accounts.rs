use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use dangjian_app::accounts::roster::{self, OpenedAccounts, RosterAccounts, Selection};
use dangjian_app::accounts::{self, AccountView, CreatedAccount, NewAccountInput};
use dangjian_app::{Page, PageParams};
use dangjian_domain::MemberId;
use dangjian_domain::{AccountId, OrgId};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::api::ErrorBody;
use crate::error::HttpError;
use crate::extract::{ApiJson, IdPath, QueryParams};
use crate::session::{Ctx, CurrentActor};

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// A fragment of the name or phone.
    q: Option<String>,
    /// 1-based, at most 1000000.
    #[param(minimum = 1, maximum = 1000000)]
    page: Option<i64>,
    /// Rows per page, 1–200 (default 20); more is refused (422), not clamped.
    #[param(minimum = 1, maximum = 200)]
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
    let page = PageParams::checked(query.page, query.per_page)?;
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

/// Reset an account's password to a temporary one, end its sessions and revoke its API tokens.
/// Not one's own account (403): change it with the current password instead.
#[utoipa::path(post, path = "/api/v1/accounts/{id}/reset-password", tag = "accounts", params(("id" = i64, Path)),
    responses((status = 200, body = TemporaryPassword), (status = 404, body = ErrorBody), (status = 403, body = ErrorBody, description = "无权管理该账号，或是自己的账号")))]
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

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RosterQuery {
    /// `true`: only members who have no account yet.
    without_account: Option<bool>,
    /// 1-based, at most 1000000.
    #[param(minimum = 1, maximum = 1000000)]
    page: Option<i64>,
    /// Rows per page, 1–200 (default 20); more is refused (422), not clamped.
    #[param(minimum = 1, maximum = 200)]
    per_page: Option<i64>,
}

/// The active members of an organization's subtree and their accounts.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/member-accounts", tag = "accounts",
    params(("id" = i64, Path), RosterQuery),
    responses((status = 200, body = RosterAccounts), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn roster(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    IdPath(id): IdPath,
    QueryParams(query): QueryParams<RosterQuery>,
) -> Result<Json<RosterAccounts>, HttpError> {
    let page = PageParams::checked(query.page, query.per_page)?;
    Ok(Json(
        roster::roster_accounts(
            &state.app,
            &actor,
            OrgId(id),
            query.without_account.unwrap_or(false),
            page,
        )
        .await?,
    ))
}

#[derive(Deserialize, ToSchema)]
pub struct OpenAccountsRequest {
    /// The members to open accounts for; omitted, every member of the subtree who has none.
    pub member_ids: Option<Vec<i64>>,
}

/// Opens accounts for roster members in one step: the roster's phone number is the login, and
/// each initial password is returned once (to be changed at first login). Members who cannot get
/// one are listed with the reason.
#[utoipa::path(post, path = "/api/v1/orgs/{id}/member-accounts", tag = "accounts",
    params(("id" = i64, Path)), request_body = OpenAccountsRequest,
    responses((status = 201, body = OpenedAccounts), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn open_for_roster(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    IdPath(id): IdPath,
    ApiJson(body): ApiJson<OpenAccountsRequest>,
) -> Result<(StatusCode, Json<OpenedAccounts>), HttpError> {
    let selection = match body.member_ids {
        Some(ids) => Selection::Members(ids),
        None => Selection::AllWithout,
    };
    Ok((
        StatusCode::CREATED,
        Json(roster::open_for_roster(&state.app, &actor, OrgId(id), &selection, &ctx).await?),
    ))
}

#[derive(Deserialize, ToSchema)]
pub struct LinkAccountRequest {
    /// The phone number the existing account signs in with.
    pub phone: String,
}

/// Links an existing account to this member's record; an account linked to another record moves.
#[utoipa::path(put, path = "/api/v1/members/{id}/account", tag = "accounts",
    params(("id" = i64, Path)), request_body = LinkAccountRequest,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn link_member(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    IdPath(id): IdPath,
    ApiJson(body): ApiJson<LinkAccountRequest>,
) -> Result<StatusCode, HttpError> {
    roster::link_to_member(&state.app, &actor, MemberId(id), &body.phone, &ctx).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Removes the link between this member's record and their account; the account stays.
#[utoipa::path(delete, path = "/api/v1/members/{id}/account", tag = "accounts",
    params(("id" = i64, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn unlink_member(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    IdPath(id): IdPath,
) -> Result<StatusCode, HttpError> {
    roster::unlink_from_member(&state.app, &actor, MemberId(id), &ctx).await?;
    Ok(StatusCode::NO_CONTENT)
}
