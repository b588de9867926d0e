//! Dues pages: the hub (党费), the calculator.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use dangjian_app::dues::{self, CalcResult};
use dangjian_domain::dues::DuesCategory;

use super::{Csrf, Layout, render};
use crate::AppState;
use crate::api::dues::CalcQuery;
use crate::error::HttpError;
use crate::extract::QueryParams;
use crate::session::CurrentActor;

const HERE: &str = "/dues";

#[derive(Template)]
#[template(path = "dues_calc.html")]
struct CalcPage {
    layout: Layout,
    categories: Vec<&'static str>,
    category: String,
    income: String,
    result: Option<CalcResult>,
    error: Option<String>,
}

/// The calculator: the form submits by GET, so a result can be bookmarked or shared.
pub async fn calc(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Csrf(csrf): Csrf,
    QueryParams(query): QueryParams<CalcQuery>,
) -> Result<Response, HttpError> {
    let asked = !query.category.is_empty() || query.income.is_some();
    let (result, error) = if asked {
        match dues::calc::calculate(&state.app, &actor, &query.category, query.income.as_deref())
            .await
        {
            Ok(result) => (Some(result), None),
            Err(error @ dangjian_app::AppError::Invalid { .. }) => (None, Some(error.to_string())),
            Err(error) => return Err(error.into()),
        }
    } else {
        (None, None)
    };
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let page = CalcPage {
        layout: Layout::for_actor(csrf, &actor, HERE),
        categories: DuesCategory::ALL.map(DuesCategory::label).to_vec(),
        category: if query.category.is_empty() {
            DuesCategory::Employed.label().to_string()
        } else {
            query.category
        },
        income: query.income.unwrap_or_default(),
        result,
        error,
    };
    Ok(render(status, &page))
}

#[derive(Template)]
#[template(path = "dues.html")]
struct HubPage {
    layout: Layout,
}

/// The dues hub: what the caller can do with dues, by role.
pub async fn hub(
    CurrentActor(actor): CurrentActor,
    Csrf(csrf): Csrf,
) -> Result<Response, HttpError> {
    Ok(super::ok(&HubPage {
        layout: Layout::for_actor(csrf, &actor, HERE),
    }))
}
