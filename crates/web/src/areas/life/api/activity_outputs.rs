//! Organizational life's outputs over JSON: the 三会一课台账 workbook, the month calendar, members'
//! calendar feeds and the photos and documents of a meeting.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use dangjian_app::activities;
use dangjian_domain::ActivityId;
use dangjian_domain::OrgId;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::api::ErrorBody;
use crate::error::HttpError;
use crate::extract::{IdPath, QueryParams};
use crate::session::{Ctx, CurrentActor};

/// The 三会一课台账 (.xlsx) of a node's subtree: one sheet per activity kind, one row per activity.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/activity-ledger", tag = "activities", params(("id" = i64, Path), PeriodOnly),
    responses((status = 200, description = "三会一课台账", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = crate::areas::members::api::roster_io::XlsxFile),
              (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn ledger(
    state: State<AppState>,
    actor: CurrentActor,
    ctx: Ctx,
    headers: axum::http::HeaderMap,
    id: IdPath,
    query: QueryParams<crate::areas::life::pages::life::PeriodParams>,
) -> Result<axum::response::Response, HttpError> {
    crate::areas::life::pages::life::ledger(state, actor, ctx, headers, id, query).await
}

/// A period and nothing else (the ledger and the dual-life report have no pages).
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PeriodOnly {
    /// `2026-11`, `2026-Q4` or `2026`; default: this year.
    pub period: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MonthQuery {
    /// `2026-11`; default: this month.
    pub month: Option<String>,
}

/// A node's (and its subtree's) activities of a month, by week.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/calendar", tag = "activities", params(("id" = i64, Path), MonthQuery),
    responses((status = 200, body = dangjian_app::activities::calendar::CalendarMonth), (status = 422, body = ErrorBody)))]
pub async fn calendar(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    IdPath(id): IdPath,
    QueryParams(query): QueryParams<MonthQuery>,
) -> Result<Json<dangjian_app::activities::calendar::CalendarMonth>, HttpError> {
    let month = query.month.unwrap_or_default();
    Ok(Json(
        activities::calendar::month_view(&state.app, &actor, OrgId(id), &month).await?,
    ))
}

#[derive(Serialize, ToSchema)]
pub struct FeedUrl {
    /// The secret address of the member's iCalendar feed: `/calendar/{token}.ics`.
    pub path: String,
}

/// Creates (or replaces, revoking the old one) the signed-in member's calendar feed.
#[utoipa::path(post, path = "/api/v1/me/calendar-feed", tag = "activities",
    responses((status = 201, body = FeedUrl), (status = 409, body = ErrorBody)))]
pub async fn create_feed(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
) -> Result<(StatusCode, Json<FeedUrl>), HttpError> {
    let token = activities::calendar::create_feed(&state.app, &actor, &ctx).await?;
    Ok((
        StatusCode::CREATED,
        Json(FeedUrl {
            path: format!("/calendar/{token}.ics"),
        }),
    ))
}

/// Revokes the signed-in member's calendar feed.
#[utoipa::path(delete, path = "/api/v1/me/calendar-feed", tag = "activities",
    responses((status = 204), (status = 409, body = ErrorBody)))]
pub async fn revoke_feed(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
) -> Result<StatusCode, HttpError> {
    activities::calendar::revoke_feed(&state.app, &actor, &ctx).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct Uploaded {
    pub id: i64,
}

/// Attaches a photo (JPEG, PNG) or PDF of at most 5 MB to a held activity (multipart field `file`).
#[utoipa::path(post, path = "/api/v1/activities/{id}/attachments", tag = "activities", params(("id" = i64, Path)),
    request_body(content_type = "multipart/form-data", content = String),
    responses((status = 201, body = Uploaded), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn upload(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    IdPath(id): IdPath,
    multipart: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<(StatusCode, Json<Uploaded>), HttpError> {
    let (name, bytes) = crate::areas::life::pages::life_files::read_file(multipart).await?;
    let id = activities::attach(&state.app, &actor, &ctx, ActivityId(id), &name, &bytes).await?;
    Ok((StatusCode::CREATED, Json(Uploaded { id })))
}

/// An attachment's file.
#[utoipa::path(get, path = "/api/v1/activities/{id}/attachments/{attachment_id}", tag = "activities",
    params(("id" = i64, Path), ("attachment_id" = i64, Path)),
    responses((status = 200, description = "the file"), (status = 404, body = ErrorBody)))]
pub async fn attachment(
    state: State<AppState>,
    actor: CurrentActor,
    path: axum::extract::Path<(String, String)>,
) -> Result<axum::response::Response, HttpError> {
    crate::areas::life::pages::life_files::download_attachment(state, actor, path).await
}
