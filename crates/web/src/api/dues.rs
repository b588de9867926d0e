//! The dues API (`/api/v1/dues/...`). Its OpenAPI paths are collected in [`DuesApi`] and merged
//! into the document in one place (`api::openapi_document`).

use axum::Json;
use axum::extract::State;
use dangjian_app::dues::{self, CalcResult};
use serde::Deserialize;
use utoipa::{IntoParams, OpenApi};

use super::ErrorBody;
use crate::AppState;
use crate::error::HttpError;
use crate::extract::QueryParams;
use crate::session::CurrentActor;

#[derive(OpenApi)]
#[openapi(paths(calc))]
pub struct DuesApi;

#[derive(Deserialize, IntoParams, Default)]
pub struct CalcQuery {
    /// 在职、离退休、农民、学生、下岗失业/无固定收入、其他.
    #[serde(default)]
    pub category: String,
    /// Monthly income (base) in yuan: `4500`, `4500.5` or `4500.50`; optional for fixed amounts.
    pub income: Option<String>,
}

/// The monthly dues of a category and income, with the bracket and an explanation (党费规定).
#[utoipa::path(get, path = "/api/v1/dues/calc", tag = "dues", params(CalcQuery),
    responses((status = 200, body = CalcResult), (status = 422, body = ErrorBody)))]
pub async fn calc(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    QueryParams(query): QueryParams<CalcQuery>,
) -> Result<Json<CalcResult>, HttpError> {
    Ok(Json(
        dues::calc::calculate(&state.app, &actor, &query.category, query.income.as_deref()).await?,
    ))
}
