//! The plan form: a new activity, or a draft edited.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use dangjian_app::activities::{self, ActivityView, PlanInput};
use dangjian_app::members::MemberChoice;
use dangjian_app::orgs::{self, OrgView};
use dangjian_app::{Actor, AppError};
use dangjian_domain::ActivityId;
use dangjian_domain::OrgId;
use serde::Deserialize;

use super::{Choice, HERE, kind_choices};
use crate::AppState;
use crate::error::HttpError;
use crate::extract::{IdPath, PageForm, QueryParams};
use crate::pages::{Csrf, Layout, ok, render};
use crate::session::{Ctx, CurrentActor};

#[derive(Template)]
#[template(path = "life/activity_form.html")]
struct FormPage {
    layout: Layout,
    org: OrgView,
    /// `None` for a new plan.
    activity_id: Option<i64>,
    form: PlanForm,
    kinds: Vec<Choice>,
    people: Vec<MemberChoice>,
    error: Option<String>,
}

/// The plan form as posted (every field a string, so a bad value is reported, not rejected).
#[derive(Deserialize, Default, Clone)]
pub struct PlanForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    topic: String,
    #[serde(default)]
    date: String,
    #[serde(default)]
    start: String,
    #[serde(default)]
    end: String,
    #[serde(default)]
    place: String,
    online: Option<String>,
    #[serde(default)]
    host_member_id: String,
    #[serde(default)]
    recorder_member_id: String,
    #[serde(default)]
    speaker_member_id: String,
    #[serde(default)]
    agenda: String,
}

impl PlanForm {
    fn input(&self) -> PlanInput {
        let id = |raw: &str| raw.trim().parse::<i64>().ok();
        PlanInput {
            kind: self.kind.clone(),
            topic: self.topic.clone(),
            date: self.date.clone(),
            start: self.start.clone(),
            end: self.end.clone(),
            place: self.place.clone(),
            online: self.online.is_some(),
            host_member_id: id(&self.host_member_id),
            recorder_member_id: id(&self.recorder_member_id),
            speaker_member_id: id(&self.speaker_member_id),
            agenda: self.agenda.clone(),
        }
    }

    fn from_view(view: &ActivityView) -> PlanForm {
        let id = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
        PlanForm {
            kind: view.kind.clone(),
            topic: view.topic.clone(),
            date: view.date.clone(),
            start: view.start.clone(),
            end: view.end.clone(),
            place: view.place.clone(),
            online: view.online.then(|| "on".into()),
            host_member_id: id(view.host_member_id),
            recorder_member_id: id(view.recorder_member_id),
            speaker_member_id: id(view.speaker_member_id),
            agenda: view.agenda.clone(),
        }
    }
}

#[derive(Deserialize)]
pub struct OrgQuery {
    #[serde(default)]
    org: String,
    #[serde(default)]
    kind: String,
}

async fn form_page(
    state: &AppState,
    actor: &Actor,
    csrf: String,
    org_id: i64,
    activity_id: Option<i64>,
    form: PlanForm,
    error: Option<String>,
) -> Result<FormPage, HttpError> {
    let org = orgs::get_org(&state.app, actor, OrgId(org_id)).await?;
    let people = activities::member_choices(&state.app, actor, OrgId(org_id)).await?;
    Ok(FormPage {
        layout: Layout::for_actor(csrf, actor, HERE),
        org,
        activity_id,
        form,
        kinds: kind_choices(),
        people,
        error,
    })
}

fn org_param(raw: &str) -> Result<i64, HttpError> {
    raw.trim()
        .parse()
        .map_err(|_| AppError::invalid("org", "请从组织页面进入，选择要安排活动的组织").into())
}

pub async fn new_form(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Csrf(csrf): Csrf,
    QueryParams(query): QueryParams<OrgQuery>,
) -> Result<Response, HttpError> {
    let org_id = org_param(&query.org)?;
    let form = PlanForm {
        kind: query.kind.clone(),
        date: state.app.today().to_string(),
        start: "14:30".into(),
        end: "16:00".into(),
        ..PlanForm::default()
    };
    Ok(ok(&form_page(
        &state, &actor, csrf, org_id, None, form, None,
    )
    .await?))
}

pub async fn create(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    Csrf(csrf): Csrf,
    QueryParams(query): QueryParams<OrgQuery>,
    PageForm(form): PageForm<PlanForm>,
) -> Result<Response, HttpError> {
    let org_id = org_param(&query.org)?;
    match activities::create(&state.app, &actor, &ctx, OrgId(org_id), &form.input()).await {
        Ok(id) => Ok(Redirect::to(&format!("/activities/{id}")).into_response()),
        Err(error @ (AppError::Invalid { .. } | AppError::Conflict(_))) => {
            let status = crate::error::status_of(&error);
            let page = form_page(
                &state,
                &actor,
                csrf,
                org_id,
                None,
                form,
                Some(error.to_string()),
            )
            .await?;
            Ok(render(status, &page))
        }
        Err(error) => Err(error.into()),
    }
}

pub async fn edit_form(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Csrf(csrf): Csrf,
    IdPath(id): IdPath,
) -> Result<Response, HttpError> {
    let detail = activities::get(&state.app, &actor, ActivityId(id)).await?;
    let form = PlanForm::from_view(&detail.activity);
    let org = detail.activity.org_id;
    Ok(ok(&form_page(
        &state,
        &actor,
        csrf,
        org,
        Some(id),
        form,
        None,
    )
    .await?))
}

pub async fn update(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    Csrf(csrf): Csrf,
    IdPath(id): IdPath,
    PageForm(form): PageForm<PlanForm>,
) -> Result<Response, HttpError> {
    match activities::update(&state.app, &actor, &ctx, ActivityId(id), &form.input()).await {
        Ok(()) => Ok(Redirect::to(&format!("/activities/{id}")).into_response()),
        Err(error @ (AppError::Invalid { .. } | AppError::Conflict(_))) => {
            let status = crate::error::status_of(&error);
            let org = activities::get(&state.app, &actor, ActivityId(id))
                .await?
                .activity
                .org_id;
            let page = form_page(
                &state,
                &actor,
                csrf,
                org,
                Some(id),
                form,
                Some(error.to_string()),
            )
            .await?;
            Ok(render(status, &page))
        }
        Err(error) => Err(error.into()),
    }
}
