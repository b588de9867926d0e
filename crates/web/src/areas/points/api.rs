//! The points API (`/api/v1/points/...`, `/api/v1/orgs/{id}/points/...`). Its OpenAPI paths are
//! collected in [`PointsApi`] and merged into the document in `api::openapi_document`.

use axum::Json;
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use dangjian_app::points::bulletin::{self, BulletinView, PublishedView};
use dangjian_app::points::consume;
use dangjian_app::points::proposals::{self, ProposalInput, ProposalView};
use dangjian_app::points::rulebook::{self, RulebookView, VersionInput, VersionView};
use dangjian_app::points::verify::{self, VerifyReport};
use dangjian_app::points::views::{self, CardView, Leaderboard};
use dangjian_domain::{MemberId, OrgId, PointsEntryId, ProposalId};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, OpenApi, ToSchema};

use crate::AppState;
use crate::api::ErrorBody;
use crate::error::HttpError;
use crate::extract::{ApiJson, IdPath, QueryParams};
use crate::session::{Ctx, CurrentActor};

#[derive(OpenApi)]
#[openapi(paths(
    card,
    my_bulletins,
    process,
    propose,
    decide,
    reverse,
    rules,
    new_version,
    leaderboard,
    org_proposals,
    bulletin_view,
    publish,
    bulletin_export,
    verify_chain,
))]
pub struct PointsApi;

/// After every successful write request the server books the domain events it produced, so a
/// member sees points as soon as the meeting is confirmed (see `app::points::consume`).
pub async fn after_write(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let write = !matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    let response = next.run(request).await;
    let status = response.status();
    if write
        && (status.is_success() || status.is_redirection())
        && let Err(error) = consume::process_events(&state.app).await
    {
        tracing::error!(%error, "booking domain events into the points ledger failed");
    }
    response
}

#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
pub struct CardQuery {
    /// Another member's card (for those who may view the roster); default: the caller's own.
    pub member_id: Option<i64>,
    /// `2026`, `2026-Q1` or `2026-03`; default: this year.
    pub period: Option<String>,
}

/// A member's points card: the period's points, the balance with the yearly base, entries with
/// reasons, and ranks in group and branch.
#[utoipa::path(get, path = "/api/v1/points/card", tag = "points", params(CardQuery),
    responses((status = 200, body = CardView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody, description = "期间格式不正确")))]
pub async fn card(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    QueryParams(q): QueryParams<CardQuery>,
) -> Result<Json<CardView>, HttpError> {
    Ok(Json(
        views::card(
            &state.app,
            &actor,
            q.member_id.map(MemberId),
            q.period.as_deref(),
        )
        .await?,
    ))
}

/// Bulletins published to the caller's branch, group and the nodes above.
#[utoipa::path(get, path = "/api/v1/points/bulletins", tag = "points", responses((status = 200, body = [PublishedView])))]
pub async fn my_bulletins(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
) -> Result<Json<Vec<PublishedView>>, HttpError> {
    Ok(Json(bulletin::published_for_me(&state.app, &actor).await?))
}

#[derive(Serialize, ToSchema)]
pub struct Processed {
    pub events: usize,
}

/// Books the domain events recorded since the last run (the server also does this after every
/// write). Replaying is harmless: each event is booked at most once.
#[utoipa::path(post, path = "/api/v1/points/process", tag = "points",
    responses((status = 200, body = Processed), (status = 403, body = ErrorBody)))]
pub async fn process(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
) -> Result<Json<Processed>, HttpError> {
    Ok(Json(Processed {
        events: consume::process_on_request(&state.app, &actor, &ctx).await?,
    }))
}

/// Proposes a manual award or deduction (org admin or group leader); the branch approves it.
#[utoipa::path(post, path = "/api/v1/points/proposals", tag = "points", request_body = ProposalInput,
    responses((status = 201, body = ProposalView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn propose(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    ApiJson(input): ApiJson<ProposalInput>,
) -> Result<impl IntoResponse, HttpError> {
    Ok((
        StatusCode::CREATED,
        Json(proposals::propose(&state.app, &actor, &ctx, &input).await?),
    ))
}

#[derive(Deserialize, ToSchema)]
// Named apart: another input of the same Rust name would take its place in the OpenAPI document.
#[schema(as = ProposalDecisionInput)]
pub struct DecisionInput {
    pub approve: bool,
    #[serde(default)]
    pub note: String,
}

/// Approves or rejects a proposal (an org admin of the branch, never its proposer).
#[utoipa::path(post, path = "/api/v1/points/proposals/{id}/decision", tag = "points", params(("id" = i64, Path)), request_body = DecisionInput,
    responses((status = 200, body = ProposalView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn decide(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    IdPath(id): IdPath,
    ApiJson(input): ApiJson<DecisionInput>,
) -> Result<Json<ProposalView>, HttpError> {
    Ok(Json(
        proposals::decide(
            &state.app,
            &actor,
            &ctx,
            ProposalId(id),
            input.approve,
            &input.note,
        )
        .await?,
    ))
}

#[derive(Deserialize, ToSchema)]
pub struct ReversalInput {
    pub reason: String,
}

#[derive(Serialize, ToSchema)]
pub struct Reversed {
    pub entry_id: i64,
}

/// Reverses a mistaken entry with a new entry of opposite points (entries are never edited).
#[utoipa::path(post, path = "/api/v1/points/entries/{id}/reversal", tag = "points", params(("id" = i64, Path)), request_body = ReversalInput,
    responses((status = 201, body = Reversed), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn reverse(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    IdPath(id): IdPath,
    ApiJson(input): ApiJson<ReversalInput>,
) -> Result<impl IntoResponse, HttpError> {
    let entry_id =
        proposals::reverse(&state.app, &actor, &ctx, PointsEntryId(id), &input.reason).await?;
    Ok((
        StatusCode::CREATED,
        Json(Reversed {
            entry_id: entry_id.0,
        }),
    ))
}

#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
pub struct OnQuery {
    /// The day to show the rules of (ISO); default today.
    pub on: Option<String>,
}

/// The rules in force at a node: inherited items, this node's overrides and its versions.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/points/rules", tag = "points", params(("id" = i64, Path), OnQuery),
    responses((status = 200, body = RulebookView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody, description = "日期格式不正确")))]
pub async fn rules(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    IdPath(id): IdPath,
    QueryParams(q): QueryParams<OnQuery>,
) -> Result<Json<RulebookView>, HttpError> {
    Ok(Json(
        rulebook::rulebook(&state.app, &actor, OrgId(id), q.on.as_deref()).await?,
    ))
}

/// Adds a version of the node's rules from an effective date (never rewriting awarded points).
#[utoipa::path(post, path = "/api/v1/orgs/{id}/points/rules", tag = "points", params(("id" = i64, Path)), request_body = VersionInput,
    responses((status = 201, body = VersionView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn new_version(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    IdPath(id): IdPath,
    ApiJson(input): ApiJson<VersionInput>,
) -> Result<impl IntoResponse, HttpError> {
    Ok((
        StatusCode::CREATED,
        Json(rulebook::new_version(&state.app, &actor, &ctx, OrgId(id), &input).await?),
    ))
}

#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
pub struct BoardQuery {
    pub period: Option<String>,
    /// members (default), groups or branches.
    #[serde(default)]
    pub of: String,
    /// At most 500; default 50.
    pub limit: Option<i64>,
}

/// A leaderboard of a node and period; ties share a rank.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/points/leaderboard", tag = "points", params(("id" = i64, Path), BoardQuery),
    responses((status = 200, body = Leaderboard), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn leaderboard(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    IdPath(id): IdPath,
    QueryParams(q): QueryParams<BoardQuery>,
) -> Result<Json<Leaderboard>, HttpError> {
    Ok(Json(
        views::leaderboard(
            &state.app,
            &actor,
            OrgId(id),
            q.period.as_deref(),
            &q.of,
            q.limit,
        )
        .await?,
    ))
}

/// Proposals of the branches under a node, pending first.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/points/proposals", tag = "points", params(("id" = i64, Path)),
    responses((status = 200, body = [ProposalView]), (status = 403, body = ErrorBody)))]
pub async fn org_proposals(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    IdPath(id): IdPath,
) -> Result<Json<Vec<ProposalView>>, HttpError> {
    Ok(Json(proposals::list(&state.app, &actor, OrgId(id)).await?))
}

#[derive(Deserialize, IntoParams, ToSchema, Default)]
#[into_params(parameter_in = Query)]
pub struct PeriodQuery {
    pub period: Option<String>,
}

/// A node's bulletin (积分通报) of a period; members may read it once published.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/points/bulletin", tag = "points", params(("id" = i64, Path), PeriodQuery),
    responses((status = 200, body = BulletinView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody, description = "期间格式不正确")))]
pub async fn bulletin_view(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    IdPath(id): IdPath,
    QueryParams(q): QueryParams<PeriodQuery>,
) -> Result<Json<BulletinView>, HttpError> {
    Ok(Json(
        bulletin::bulletin(&state.app, &actor, OrgId(id), q.period.as_deref()).await?,
    ))
}

/// Publishes the bulletin to the node's members.
#[utoipa::path(post, path = "/api/v1/orgs/{id}/points/bulletin/publish", tag = "points", params(("id" = i64, Path)), request_body = PeriodQuery,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn publish(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    IdPath(id): IdPath,
    ApiJson(q): ApiJson<PeriodQuery>,
) -> Result<StatusCode, HttpError> {
    bulletin::publish(&state.app, &actor, &ctx, OrgId(id), q.period.as_deref()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The bulletin as an .xlsx workbook.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/points/bulletin/export", tag = "points", params(("id" = i64, Path), PeriodQuery),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody, description = "期间格式不正确")))]
pub async fn bulletin_export(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    IdPath(id): IdPath,
    QueryParams(q): QueryParams<PeriodQuery>,
) -> Result<Response, HttpError> {
    let (name, bytes) =
        bulletin::bulletin_xlsx(&state.app, &actor, &ctx, OrgId(id), q.period.as_deref()).await?;
    Ok(crate::areas::members::pages::roster_io::download(
        bytes,
        &name,
        "points-bulletin.xlsx",
    ))
}

#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
pub struct VerifyQuery {
    /// Only the branches under this node; default: all the caller may audit.
    pub node: Option<i64>,
}

/// Recomputes the ledger's hash chains and reports the first broken link.
#[utoipa::path(get, path = "/api/v1/points/verify", tag = "points", params(VerifyQuery),
    responses((status = 200, body = VerifyReport), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody, description = "所选组织不存在")))]
pub async fn verify_chain(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    QueryParams(q): QueryParams<VerifyQuery>,
) -> Result<Json<VerifyReport>, HttpError> {
    let node = q.node.or_else(|| {
        if actor.grant.org.is_some() {
            actor.org_id.map(|o| o.0)
        } else {
            None
        }
    });
    Ok(Json(
        verify::verify(&state.app, &actor, node.map(OrgId)).await?,
    ))
}
