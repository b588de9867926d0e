//! A member's dues on their profile: what is in force, the history, the year's months and
//! totals; for those who manage the member, the forms to set the base, record a relief or extra
//! dues.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use dangjian_app::dues::profile::{self, BaseInput, ExtraInput, ReliefInput};
use dangjian_app::dues::view::ProfileView;
use dangjian_app::{Actor, AppError};
use dangjian_domain::MemberId;
use dangjian_domain::Month;
use dangjian_domain::dues::{DuesCategory, collection::CHANNELS};
use serde::Deserialize;

use super::HERE;
use crate::AppState;
use crate::error::HttpError;
use crate::extract::{IdPath, PageForm, QueryParams};
use crate::pages::notice::{self, Notice};
use crate::pages::{Csrf, Layout, render};
use crate::session::{Ctx, CurrentActor};

#[derive(Template)]
#[template(path = "dues/dues_member.html")]
struct MemberPage {
    layout: Layout,
    dues: ProfileView,
    categories: Vec<&'static str>,
    channels: [&'static str; 3],
    january: String,
    this_month: String,
    today: String,
    notice: Option<&'static str>,
    error: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct MemberQuery {
    year: Option<i16>,
    notice: Option<String>,
}

async fn page(
    state: &AppState,
    actor: &Actor,
    csrf: String,
    id: i64,
    year: Option<i16>,
    notice: Option<&'static str>,
    error: Option<String>,
) -> Result<MemberPage, HttpError> {
    let today = state.app.today();
    Ok(MemberPage {
        layout: Layout::for_actor(csrf, actor, HERE),
        dues: profile::profile(&state.app, actor, MemberId(id), year).await?,
        categories: DuesCategory::ALL.map(DuesCategory::label).to_vec(),
        channels: CHANNELS,
        january: format!("{:04}-01", today.year()),
        this_month: Month::of(today).to_string(),
        today: today.to_string(),
        notice,
        error,
    })
}

pub async fn show(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Csrf(csrf): Csrf,
    IdPath(id): IdPath,
    QueryParams(query): QueryParams<MemberQuery>,
) -> Result<Response, HttpError> {
    let notice = notice::text_of(query.notice.as_deref());
    let page = page(&state, &actor, csrf, id, query.year, notice, None).await?;
    Ok(crate::pages::ok(&page))
}

/// After a form: back to the profile with a notice, or the profile again with the refusal.
async fn after(
    state: &AppState,
    actor: &Actor,
    csrf: String,
    id: i64,
    result: Result<ProfileView, AppError>,
    done: Notice,
) -> Result<Response, HttpError> {
    match result {
        Ok(_) => Ok(notice::redirect(&format!("/members/{id}/dues"), done)),
        Err(error @ (AppError::Invalid { .. } | AppError::Conflict(_))) => {
            let status: StatusCode = crate::error::status_of(&error);
            let page = page(state, actor, csrf, id, None, None, Some(error.to_string())).await?;
            Ok(render(status, &page))
        }
        Err(error) => Err(error.into()),
    }
}

pub async fn set_base(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    Csrf(csrf): Csrf,
    IdPath(id): IdPath,
    PageForm(form): PageForm<BaseInput>,
) -> Result<Response, HttpError> {
    let result = profile::set_base(&state.app, &actor, MemberId(id), &form, &ctx).await;
    after(&state, &actor, csrf, id, result, Notice::DuesBaseSet).await
}

pub async fn add_relief(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    Csrf(csrf): Csrf,
    IdPath(id): IdPath,
    PageForm(form): PageForm<ReliefInput>,
) -> Result<Response, HttpError> {
    let result = profile::add_relief(&state.app, &actor, MemberId(id), &form, &ctx).await;
    after(&state, &actor, csrf, id, result, Notice::DuesReliefAdded).await
}

pub async fn record_extra(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    Csrf(csrf): Csrf,
    IdPath(id): IdPath,
    PageForm(form): PageForm<ExtraInput>,
) -> Result<Response, HttpError> {
    let result = profile::record_extra(&state.app, &actor, MemberId(id), &form, &ctx).await;
    after(&state, &actor, csrf, id, result, Notice::DuesExtraRecorded).await
}
