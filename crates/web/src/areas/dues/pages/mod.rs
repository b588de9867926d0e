//! Dues pages: the hub (党费), the calculator, a member's dues, the sheets and reports.

pub mod bases;
pub mod batch;
pub mod member;
pub mod sheet;

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use dangjian_app::dues::{self, CalcResult};
use dangjian_app::orgs::{self, OrgView};
use dangjian_domain::access::Action;
use dangjian_domain::dues::DuesCategory;

use crate::AppState;
use crate::areas::dues::api::CalcQuery;
use crate::error::HttpError;
use crate::extract::QueryParams;
use crate::pages::{Csrf, Layout, render};
use crate::session::CurrentActor;

pub(super) const HERE: &str = "/dues";

#[derive(Template)]
#[template(path = "dues/dues_calc.html")]
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
#[template(path = "dues/dues.html")]
struct HubPage {
    layout: Layout,
    own_member_id: Option<i64>,
    orgs: Vec<OrgView>,
}

/// The dues hub: the calculator, the caller's own dues, and the sheets or summaries of the
/// organizations in their reach.
pub async fn hub(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Csrf(csrf): Csrf,
) -> Result<Response, HttpError> {
    let orgs = if actor.grant.may_ever(Action::ViewMembers) {
        orgs::orgs_in_reach(&state.app, &actor, Action::ViewMembers)
            .await?
            .into_iter()
            .filter(|o| !o.dissolved && !o.is_temporary)
            .collect()
    } else {
        Vec::new()
    };
    Ok(crate::pages::ok(&HubPage {
        layout: Layout::for_actor(csrf, &actor, HERE),
        own_member_id: dues::own_member_id(&state.app, &actor).await?,
        orgs,
    }))
}
