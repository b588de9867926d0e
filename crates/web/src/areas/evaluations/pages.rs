//! 民主评议 pages: one page per campaign showing what the caller may do (write the
//! self-evaluation, rate the peers left, or, for the branch, the tally with points beside it,
//! the proposal form and the assembly's confirmation).

use dangjian_domain::{EvaluationCampaignId, MemberId, OrgId};
use std::collections::HashMap;

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use dangjian_app::points::evaluation::{self, CampaignView, ProposedRating, StartInput};
use dangjian_domain::points::evaluation::Rating;
use serde::Deserialize;

use crate::AppState;
use crate::error::HttpError;
use crate::extract::{IdPath, PageForm};
use crate::pages::{Csrf, Layout, ok};
use crate::session::{Ctx, CurrentActor};

#[derive(Template)]
#[template(path = "assessment/evaluation.html")]
struct CampaignPage {
    layout: Layout,
    c: CampaignView,
    ratings: Vec<(&'static str, &'static str)>,
}

pub async fn show(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Csrf(csrf): Csrf,
    IdPath(id): IdPath,
) -> Result<Response, HttpError> {
    let c = evaluation::view(&state.app, &actor, EvaluationCampaignId(id)).await?;
    let ratings = Rating::ALL.iter().map(|r| (r.code(), r.label())).collect();
    Ok(ok(&CampaignPage {
        layout: Layout::for_actor(csrf, &actor, "/points"),
        c,
        ratings,
    }))
}

#[derive(Deserialize)]
pub struct StartForm {
    year: i64,
    #[serde(default)]
    excellent_share: Option<i64>,
    #[serde(default)]
    floor: Option<String>,
}

pub async fn start(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    IdPath(id): IdPath,
    PageForm(f): PageForm<StartForm>,
) -> Result<Response, HttpError> {
    let c = evaluation::start(
        &state.app,
        &actor,
        &ctx,
        OrgId(id),
        &StartInput {
            year: f.year,
            excellent_share: f.excellent_share,
            floor: f.floor,
        },
    )
    .await?;
    Ok(Redirect::to(&format!("/evaluations/{}", c.id)).into_response())
}

#[derive(Deserialize)]
pub struct SelfForm {
    text: String,
}

pub async fn self_evaluation(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    IdPath(id): IdPath,
    PageForm(f): PageForm<SelfForm>,
) -> Result<Response, HttpError> {
    evaluation::submit_self(&state.app, &actor, &ctx, EvaluationCampaignId(id), &f.text).await?;
    Ok(Redirect::to(&format!("/evaluations/{id}")).into_response())
}

#[derive(Deserialize)]
pub struct RateForm {
    member_id: i64,
    rating: String,
}

pub async fn rate(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    IdPath(id): IdPath,
    PageForm(f): PageForm<RateForm>,
) -> Result<Response, HttpError> {
    evaluation::rate(
        &state.app,
        &actor,
        &ctx,
        EvaluationCampaignId(id),
        MemberId(f.member_id),
        &f.rating,
    )
    .await?;
    Ok(Redirect::to(&format!("/evaluations/{id}")).into_response())
}

/// The proposal form posts `rating_<member id>` and `handling_<member id>` for every member.
pub async fn propose(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    IdPath(id): IdPath,
    PageForm(f): PageForm<HashMap<String, String>>,
) -> Result<Response, HttpError> {
    let ratings: Vec<ProposedRating> = f
        .iter()
        .filter_map(|(k, v)| {
            let member_id = k.strip_prefix("rating_")?.parse().ok()?;
            Some(ProposedRating {
                member_id,
                rating: v.clone(),
                handling: f
                    .get(&format!("handling_{member_id}"))
                    .cloned()
                    .unwrap_or_default(),
            })
        })
        .collect();
    evaluation::propose(&state.app, &actor, &ctx, EvaluationCampaignId(id), &ratings).await?;
    Ok(Redirect::to(&format!("/evaluations/{id}")).into_response())
}

#[derive(Deserialize)]
pub struct ConfirmForm {
    assembly_on: String,
}

pub async fn confirm(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    IdPath(id): IdPath,
    PageForm(f): PageForm<ConfirmForm>,
) -> Result<Response, HttpError> {
    evaluation::confirm(
        &state.app,
        &actor,
        &ctx,
        EvaluationCampaignId(id),
        &f.assembly_on,
    )
    .await?;
    Ok(Redirect::to(&format!("/evaluations/{id}")).into_response())
}
