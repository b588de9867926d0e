use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use dangjian_app::members::{self, MemberChoices, MemberInput, MemberQuery, MemberView};
use dangjian_app::{Page, PageParams};
use dangjian_domain::MemberId;
use dangjian_domain::OrgId;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::api::ErrorBody;
use crate::error::HttpError;
use crate::extract::{ApiJson, IdPath, QueryParams};
use crate::session::{Ctx, CurrentActor};

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Paging {
    /// 1-based, at most 1000000.
    #[param(minimum = 1, maximum = 1000000)]
    pub page: Option<i64>,
    /// Rows per page, 1–200 (default 20); more is refused (422), not clamped.
    #[param(minimum = 1, maximum = 200)]
    pub per_page: Option<i64>,
}

/// The roster within the caller's reach, filtered. ID numbers are masked; phones too unless the
/// caller may see personal data.
#[utoipa::path(get, path = "/api/v1/members", tag = "members", params(MemberQuery, Paging),
    responses((status = 200, body = Page<MemberView>), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody, description = "所选组织不存在")))]
pub async fn list(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    QueryParams(query): QueryParams<MemberQuery>,
    QueryParams(paging): QueryParams<Paging>,
) -> Result<Json<Page<MemberView>>, HttpError> {
    let page = PageParams::checked(paging.page, paging.per_page)?;
    Ok(Json(
        members::list_members(&state.app, &actor, &query, page).await?,
    ))
}

#[derive(Deserialize, ToSchema)]
pub struct MemberRequest {
    /// The branch or group the member belongs to.
    pub org_id: i64,
    #[serde(flatten)]
    pub member: MemberInput,
}

/// Register a member. Every wrong field is reported at once (code `invalid`, message lists them).
#[utoipa::path(post, path = "/api/v1/members", tag = "members", request_body = MemberRequest,
    responses((status = 201, body = MemberView), (status = 422, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    ApiJson(body): ApiJson<MemberRequest>,
) -> Result<(StatusCode, Json<MemberView>), HttpError> {
    let created =
        members::create_member(&state.app, &actor, OrgId(body.org_id), &body.member, &ctx).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// One member.
#[utoipa::path(get, path = "/api/v1/members/{id}", tag = "members", params(("id" = i64, Path)),
    responses((status = 200, body = MemberView), (status = 404, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn get_one(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    IdPath(id): IdPath,
) -> Result<Json<MemberView>, HttpError> {
    Ok(Json(
        members::get_member(&state.app, &actor, MemberId(id)).await?,
    ))
}

/// Edit a member; `org_id` may name another group of the same branch (other branches: transfer).
#[utoipa::path(put, path = "/api/v1/members/{id}", tag = "members", params(("id" = i64, Path)), request_body = MemberRequest,
    responses((status = 200, body = MemberView), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    IdPath(id): IdPath,
    ApiJson(body): ApiJson<MemberRequest>,
) -> Result<Json<MemberView>, HttpError> {
    Ok(Json(
        members::update_member(
            &state.app,
            &actor,
            MemberId(id),
            Some(OrgId(body.org_id)),
            &body.member,
            &ctx,
        )
        .await?,
    ))
}

#[derive(Serialize, ToSchema)]
pub struct RevealedIdNumber {
    pub id_number: String,
}

/// The whole ID number, for roles that may see personal data; every call is audited.
#[utoipa::path(post, path = "/api/v1/members/{id}/reveal-id-number", tag = "members", params(("id" = i64, Path)),
    responses((status = 200, body = RevealedIdNumber), (status = 403, body = ErrorBody)))]
pub async fn reveal_id_number(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    IdPath(id): IdPath,
) -> Result<Json<RevealedIdNumber>, HttpError> {
    Ok(Json(RevealedIdNumber {
        id_number: members::reveal_id_number(&state.app, &actor, MemberId(id), &ctx).await?,
    }))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ChoicesQuery {
    /// Name, pinyin initials (张三: zs) or phone; empty: everyone (the first 30).
    q: Option<String>,
}

/// Active members of an organization's subtree to choose from in a form, by name.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/member-choices", tag = "members",
    params(("id" = i64, Path), ChoicesQuery),
    responses((status = 200, body = MemberChoices), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn choices(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    IdPath(id): IdPath,
    QueryParams(query): QueryParams<ChoicesQuery>,
) -> Result<Json<MemberChoices>, HttpError> {
    Ok(Json(
        members::choices(
            &state.app,
            &actor,
            dangjian_domain::OrgId(id),
            query.q.as_deref().unwrap_or(""),
            None,
        )
        .await?,
    ))
}
