use askama::Template;
use axum::extract::State;
use axum::response::Response;
use dangjian_app::members::{self, MemberView};
use dangjian_app::orgs::{self, OrgView};
use dangjian_app::transfers::{self, LetterInput, TransferView};
use dangjian_app::{Actor, AppError};
use dangjian_domain::OrgId;
use dangjian_domain::access::Action;
use dangjian_domain::{MemberId, TransferId};
use serde::Deserialize;

use crate::AppState;
use crate::error::HttpError;
use crate::extract::{IdPath, PageForm, QueryParams};
use crate::pages::notice::{self, Notice, NoticeQuery};
use crate::pages::{Csrf, Layout, ok, render};
use crate::session::{Ctx, CurrentActor};

const HERE: &str = "/transfers";

#[derive(Template)]
#[template(path = "transfers/transfers.html")]
struct ListPage {
    layout: Layout,
    transfers: Vec<TransferView>,
    can_manage: bool,
    today: String,
    notice: Option<&'static str>,
    error: Option<String>,
}

async fn list_page(
    state: &AppState,
    actor: &Actor,
    csrf: String,
    notice: Option<&'static str>,
    error: Option<String>,
) -> Result<ListPage, HttpError> {
    Ok(ListPage {
        layout: Layout::for_actor(csrf, actor, HERE),
        transfers: transfers::list_transfers(&state.app, actor).await?,
        can_manage: actor.grant.may_ever(Action::ManageMembers),
        today: state.app.today().to_string(),
        notice,
        error,
    })
}

pub async fn list(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Csrf(csrf): Csrf,
    QueryParams(query): QueryParams<NoticeQuery>,
) -> Result<Response, HttpError> {
    let page = list_page(&state, &actor, csrf, query.text(), None).await?;
    Ok(ok(&page))
}

/// Runs a decision from the list; a refusal is shown on the list.
async fn on_list(
    state: &AppState,
    actor: &Actor,
    csrf: String,
    result: Result<Notice, AppError>,
) -> Result<Response, HttpError> {
    match result {
        Ok(done) => Ok(notice::redirect(HERE, done)),
        Err(error @ (AppError::Invalid { .. } | AppError::Conflict(_))) => {
            let status = crate::error::status_of(&error);
            Ok(render(
                status,
                &list_page(state, actor, csrf, None, Some(error.to_string())).await?,
            ))
        }
        Err(error) => Err(error.into()),
    }
}

#[derive(Deserialize, Default)]
pub struct DecisionForm {
    #[serde(default)]
    note: String,
    #[serde(default)]
    group_id: String,
    #[serde(default)]
    returned_on: String,
}

pub async fn accept(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    Csrf(csrf): Csrf,
    IdPath(id): IdPath,
    PageForm(form): PageForm<DecisionForm>,
) -> Result<Response, HttpError> {
    let group = form.group_id.trim().parse::<i64>().ok().map(OrgId);
    let result = transfers::accept(&state.app, &actor, TransferId(id), group, &ctx)
        .await
        .map(|_| Notice::TransferAccepted);
    on_list(&state, &actor, csrf, result).await
}

pub async fn reject(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    Csrf(csrf): Csrf,
    IdPath(id): IdPath,
    PageForm(form): PageForm<DecisionForm>,
) -> Result<Response, HttpError> {
    let result = transfers::reject(&state.app, &actor, TransferId(id), &form.note, &ctx)
        .await
        .map(|_| Notice::TransferRejected);
    on_list(&state, &actor, csrf, result).await
}

pub async fn cancel(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    Csrf(csrf): Csrf,
    IdPath(id): IdPath,
) -> Result<Response, HttpError> {
    let result = transfers::cancel(&state.app, &actor, TransferId(id), &ctx)
        .await
        .map(|_| Notice::TransferCancelled);
    on_list(&state, &actor, csrf, result).await
}

pub async fn slip(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    Csrf(csrf): Csrf,
    IdPath(id): IdPath,
    PageForm(form): PageForm<DecisionForm>,
) -> Result<Response, HttpError> {
    let result =
        transfers::record_slip(&state.app, &actor, TransferId(id), &form.returned_on, &ctx)
            .await
            .map(|_| Notice::TransferSlip);
    on_list(&state, &actor, csrf, result).await
}

#[derive(Template)]
#[template(path = "transfers/transfer_form.html")]
struct StartPage {
    layout: Layout,
    member: MemberView,
    targets: Vec<OrgView>,
    today: String,
    error: Option<String>,
}

async fn start_page(
    state: &AppState,
    actor: &Actor,
    csrf: String,
    member_id: i64,
    error: Option<String>,
) -> Result<StartPage, HttpError> {
    let member = members::get_member(&state.app, actor, MemberId(member_id)).await?;
    let targets = orgs::transfer_targets(&state.app, actor)
        .await?
        .into_iter()
        .filter(|t| {
            t.id.0 != member.branch_id && t.parent_id.map(|p| p.0) != Some(member.branch_id)
        })
        .collect();
    Ok(StartPage {
        layout: Layout::for_actor(csrf, actor, "/members"),
        member,
        targets,
        today: state.app.today().to_string(),
        error,
    })
}

pub async fn start_form(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Csrf(csrf): Csrf,
    IdPath(id): IdPath,
) -> Result<Response, HttpError> {
    actor.reach(Action::ManageMembers)?;
    Ok(ok(&start_page(&state, &actor, csrf, id, None).await?))
}

#[derive(Deserialize)]
pub struct StartForm {
    #[serde(default)]
    to_org_id: String,
    #[serde(default)]
    reason: String,
}

async fn on_start_page(
    state: &AppState,
    actor: &Actor,
    csrf: String,
    id: i64,
    result: Result<Notice, AppError>,
) -> Result<Response, HttpError> {
    match result {
        Ok(done) => Ok(notice::redirect(&format!("/members/{id}"), done)),
        Err(error @ (AppError::Invalid { .. } | AppError::Conflict(_))) => {
            let status = crate::error::status_of(&error);
            Ok(render(
                status,
                &start_page(state, actor, csrf, id, Some(error.to_string())).await?,
            ))
        }
        Err(error) => Err(error.into()),
    }
}

pub async fn start(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    Csrf(csrf): Csrf,
    IdPath(id): IdPath,
    PageForm(form): PageForm<StartForm>,
) -> Result<Response, HttpError> {
    let result = match form.to_org_id.trim().parse::<i64>() {
        Ok(to) => transfers::start_internal(
            &state.app,
            &actor,
            MemberId(id),
            OrgId(to),
            &form.reason,
            &ctx,
        )
        .await
        .map(|_| Notice::TransferStarted),
        Err(_) => Err(AppError::invalid("to_org_id", "请选择接收党支部")),
    };
    on_start_page(&state, &actor, csrf, id, result).await
}

pub async fn out(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    Csrf(csrf): Csrf,
    IdPath(id): IdPath,
    PageForm(letter): PageForm<LetterInput>,
) -> Result<Response, HttpError> {
    let result = transfers::transfer_out(&state.app, &actor, MemberId(id), &letter, &ctx)
        .await
        .map(|_| Notice::TransferredOut);
    on_start_page(&state, &actor, csrf, id, result).await
}
