//! The 效能考核 page: the score table with every component, and the weights form.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use dangjian_app::points::assessment::{self, AssessmentView};
use dangjian_domain::OrgId;
use serde::Deserialize;

use crate::AppState;
use crate::areas::awards::api::assessment::ScoreQuery;
use crate::charts::{self, Chart};
use crate::error::HttpError;
use crate::extract::{IdPath, PageForm, QueryParams};
use crate::pages::{Csrf, Layout, ok};
use crate::session::{Ctx, CurrentActor};

#[derive(Template)]
#[template(path = "assessment/assessment.html")]
struct AssessmentPage {
    layout: Layout,
    a: AssessmentView,
    chart: Option<Chart>,
}

pub async fn show(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Csrf(csrf): Csrf,
    IdPath(id): IdPath,
    QueryParams(q): QueryParams<ScoreQuery>,
) -> Result<Response, HttpError> {
    let a = assessment::scores(&state.app, &actor, OrgId(id), q.period.as_deref(), &q.of).await?;
    Ok(ok(&AssessmentPage {
        layout: Layout::for_actor(csrf, &actor, "/points"),
        chart: charts::assessment(&a),
        a,
    }))
}

#[derive(Template)]
#[template(path = "assessment/dashboard.html")]
struct DashboardPage {
    layout: Layout,
    a: AssessmentView,
    charts: Vec<Chart>,
}

/// A committee's dashboard: its branches side by side (compliance, dues, average points), the
/// figures the assessment already reads from maintained counters.
pub async fn dashboard(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Csrf(csrf): Csrf,
    IdPath(id): IdPath,
    QueryParams(q): QueryParams<DashboardQuery>,
) -> Result<Response, HttpError> {
    let a = assessment::scores(
        &state.app,
        &actor,
        OrgId(id),
        q.period.as_deref(),
        "branches",
    )
    .await?;
    Ok(ok(&DashboardPage {
        layout: Layout::for_actor(csrf, &actor, "/orgs"),
        charts: charts::committee(&a),
        a,
    }))
}

#[derive(Deserialize)]
pub struct DashboardQuery {
    period: Option<String>,
}

#[derive(Deserialize)]
pub struct WeightsForm {
    compliance: i64,
    attendance: i64,
    points: i64,
    dues: i64,
}

pub async fn set_weights(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    IdPath(id): IdPath,
    PageForm(f): PageForm<WeightsForm>,
) -> Result<Response, HttpError> {
    assessment::set_weights(
        &state.app,
        &actor,
        &ctx,
        OrgId(id),
        [f.compliance, f.attendance, f.points, f.dues],
    )
    .await?;
    Ok(Redirect::to(&format!("/orgs/{id}/assessment")).into_response())
}
