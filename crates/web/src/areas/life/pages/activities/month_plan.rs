//! 生成本月计划 as pages: the drafts shown first, written on confirmation.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use dangjian_app::AppError;
use dangjian_app::activities::{self, MonthPlanInput, MonthPlanView};
use dangjian_domain::OrgId;
use dangjian_domain::activity::ActivityStatus;
use serde::Deserialize;

use super::HERE;
use crate::AppState;
use crate::error::HttpError;
use crate::extract::{IdPath, PageForm, QueryParams};
use crate::pages::notice::{self, Notice};
use crate::pages::{Csrf, Layout, ok, render};
use crate::session::{Ctx, CurrentActor};

#[derive(Template)]
#[template(path = "life/month_plan.html")]
struct MonthPlanPage {
    layout: Layout,
    plan: MonthPlanView,
    /// The month after, to plan ahead without typing one.
    next_month: String,
    notice: Option<&'static str>,
    error: Option<String>,
}

impl MonthPlanPage {
    fn status_label(&self, code: &str) -> &'static str {
        ActivityStatus::from_code(code).map_or("", ActivityStatus::label)
    }
}

#[derive(Deserialize, Default)]
pub struct MonthQuery {
    #[serde(default)]
    month: String,
    notice: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct MonthForm {
    #[serde(default)]
    month: String,
}

async fn page(
    state: &AppState,
    actor: &dangjian_app::Actor,
    ctx: &dangjian_app::RequestContext,
    csrf: String,
    org_id: i64,
    month: &str,
) -> Result<MonthPlanPage, HttpError> {
    let input = MonthPlanInput {
        month: month.to_string(),
        confirm: false,
    };
    let plan = activities::plan_month(&state.app, actor, ctx, OrgId(org_id), &input).await?;
    let next_month = dangjian_domain::Month::parse(&plan.month)
        .map(|m| m.next().to_string())
        .unwrap_or_default();
    Ok(MonthPlanPage {
        layout: Layout::for_actor(csrf, actor, HERE),
        plan,
        next_month,
        notice: None,
        error: None,
    })
}

pub async fn month_plan_preview(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    Csrf(csrf): Csrf,
    IdPath(id): IdPath,
    QueryParams(query): QueryParams<MonthQuery>,
) -> Result<Response, HttpError> {
    let mut shown = page(&state, &actor, &ctx, csrf, id, &query.month).await?;
    shown.notice = notice::text_of(query.notice.as_deref());
    Ok(ok(&shown))
}

pub async fn month_plan_create(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    Csrf(csrf): Csrf,
    IdPath(id): IdPath,
    PageForm(form): PageForm<MonthForm>,
) -> Result<Response, HttpError> {
    let input = MonthPlanInput {
        month: form.month.clone(),
        confirm: true,
    };
    match activities::plan_month(&state.app, &actor, &ctx, OrgId(id), &input).await {
        Ok(plan) => Ok(notice::redirect(
            &format!("/orgs/{id}/month-plan?month={}", plan.month),
            Notice::MonthPlanned,
        )),
        Err(error @ (AppError::Invalid { .. } | AppError::Conflict(_))) => {
            let status = crate::error::status_of(&error);
            let mut shown = page(&state, &actor, &ctx, csrf, id, &form.month).await?;
            shown.error = Some(error.to_string());
            Ok(render(status, &shown))
        }
        Err(error) => Err(error.into()),
    }
}
