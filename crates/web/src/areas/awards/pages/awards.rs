//! 争先创优 pages: a campaign with its nominations, the committee's decision with the notice
//! dates, objections during the notice, and the final list.

use dangjian_domain::{AwardCampaignId, NominationId, OrgId};
use std::collections::HashMap;

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use dangjian_app::AppError;
use dangjian_app::points::awards::{self, AwardCampaignView, DecisionInput, NominationInput};
use dangjian_domain::points::awards::Honour;
use serde::Deserialize;

use crate::AppState;
use crate::error::HttpError;
use crate::extract::{IdPath, PageForm};
use crate::pages::{Csrf, Layout, ok, render};
use crate::session::{Ctx, CurrentActor};

#[derive(Template)]
#[template(path = "assessment/awards.html")]
struct CampaignPage {
    layout: Layout,
    c: AwardCampaignView,
    honours: Vec<(&'static str, &'static str)>,
    /// The recommendation form: empty, or what was submitted when it was refused.
    nomination: NominateForm,
    nomination_error: Option<String>,
}

async fn campaign_page(
    state: &AppState,
    actor: &dangjian_app::Actor,
    csrf: String,
    id: i64,
    nomination: NominateForm,
    nomination_error: Option<String>,
) -> Result<CampaignPage, HttpError> {
    let c = awards::view(&state.app, actor, AwardCampaignId(id)).await?;
    let honours = Honour::ALL.iter().map(|h| (h.code(), h.label())).collect();
    Ok(CampaignPage {
        layout: Layout::for_actor(csrf, actor, "/points"),
        c,
        honours,
        nomination,
        nomination_error,
    })
}

pub async fn show(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Csrf(csrf): Csrf,
    IdPath(id): IdPath,
) -> Result<Response, HttpError> {
    let page = campaign_page(&state, &actor, csrf, id, NominateForm::default(), None).await?;
    Ok(ok(&page))
}

#[derive(Deserialize)]
pub struct StartForm {
    title: String,
}

pub async fn start(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    IdPath(id): IdPath,
    PageForm(f): PageForm<StartForm>,
) -> Result<Response, HttpError> {
    let c = awards::start(&state.app, &actor, &ctx, OrgId(id), &f.title).await?;
    Ok(Redirect::to(&format!("/awards/{}", c.id)).into_response())
}

#[derive(Deserialize, Default)]
pub struct NominateForm {
    #[serde(default)]
    honour: String,
    /// Chosen in the member picker, for an individual honour.
    #[serde(default)]
    member_id: Option<i64>,
    /// Chosen from the groups, for 优秀党小组; an unchosen `<select>` sends an empty value.
    #[serde(default, deserialize_with = "crate::pages::empty_as_none")]
    group_id: Option<i64>,
    #[serde(default)]
    reason: String,
}

/// An individual honour names the member chosen in the picker; 优秀党小组 names the group.
pub async fn nominate(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    Csrf(csrf): Csrf,
    IdPath(id): IdPath,
    PageForm(f): PageForm<NominateForm>,
) -> Result<Response, HttpError> {
    let for_group = Honour::parse(&f.honour).is_some_and(Honour::is_for_group);
    let input = NominationInput {
        honour: f.honour.clone(),
        member_id: if for_group { None } else { f.member_id },
        group_id: if for_group { f.group_id } else { None },
        reason: f.reason.clone(),
    };
    match awards::nominate(&state.app, &actor, &ctx, AwardCampaignId(id), &input).await {
        Ok(_) => Ok(Redirect::to(&format!("/awards/{id}")).into_response()),
        Err(error @ (AppError::Invalid { .. } | AppError::Conflict(_))) => {
            let status = crate::error::status_of(&error);
            let message = error.to_string();
            let page = campaign_page(&state, &actor, csrf, id, f, Some(message)).await?;
            Ok(render(status, &page))
        }
        Err(error) => Err(error.into()),
    }
}

/// Checkboxes `select_<nomination id>` and the two notice dates.
pub async fn decide(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    IdPath(id): IdPath,
    PageForm(f): PageForm<HashMap<String, String>>,
) -> Result<Response, HttpError> {
    let input = DecisionInput {
        selected: f
            .keys()
            .filter_map(|k| k.strip_prefix("select_")?.parse().ok())
            .collect(),
        notice_from: f.get("notice_from").cloned().unwrap_or_default(),
        notice_to: f.get("notice_to").cloned().unwrap_or_default(),
    };
    awards::decide(&state.app, &actor, &ctx, AwardCampaignId(id), &input).await?;
    Ok(Redirect::to(&format!("/awards/{id}")).into_response())
}

#[derive(Deserialize)]
pub struct ObjectForm {
    nomination_id: i64,
    text: String,
}

pub async fn object(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    IdPath(id): IdPath,
    PageForm(f): PageForm<ObjectForm>,
) -> Result<Response, HttpError> {
    awards::object(
        &state.app,
        &actor,
        &ctx,
        AwardCampaignId(id),
        NominationId(f.nomination_id),
        &f.text,
    )
    .await?;
    Ok(Redirect::to(&format!("/awards/{id}")).into_response())
}

pub async fn finalize(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    IdPath(id): IdPath,
) -> Result<Response, HttpError> {
    awards::finalize(&state.app, &actor, &ctx, AwardCampaignId(id)).await?;
    Ok(Redirect::to(&format!("/awards/{id}")).into_response())
}
