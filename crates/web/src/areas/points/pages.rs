//! Points pages (积分管理): the hub, a member's points card, a node's leaderboards, rules,
//! proposals and bulletin, and the chain verification page. Handlers extract, call, render.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use dangjian_app::AppError;
use dangjian_app::orgs::{self, OrgView};
use dangjian_app::points::bulletin::{self, BulletinView, PublishedView};
use dangjian_app::points::evaluation::{self, CampaignSummary, ResultView};
use dangjian_app::points::node_page::{self, NodePoints};
use dangjian_app::points::proposals::{self, ProposalInput};
use dangjian_app::points::rulebook::{self, ItemInput, VersionInput};
use dangjian_app::points::verify::{self, VerifyReport};
use dangjian_app::points::views::{self, CardView};
use dangjian_domain::access::Action;
use dangjian_domain::{MemberId, OrgId, PointsEntryId, ProposalId};
use serde::Deserialize;

use crate::AppState;
use crate::areas::points::api::{BoardQuery, CardQuery, PeriodQuery, VerifyQuery};
use crate::charts::{self, Chart};
use crate::error::HttpError;
use crate::extract::{IdPath, PageForm, QueryParams};
use crate::pages::{Csrf, Layout, ok, render};
use crate::session::{Ctx, CurrentActor};

const HERE: &str = "/points";

#[derive(Template)]
#[template(path = "points/points.html")]
struct HubPage {
    layout: Layout,
    campaigns: Vec<CampaignSummary>,
    results: Vec<ResultView>,
    card: Option<CardView>,
    bulletins: Vec<PublishedView>,
    orgs: Vec<OrgView>,
    can_verify: bool,
}

/// The hub: the caller's own card, bulletins published to them, and the nodes in their reach.
pub async fn hub(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Csrf(csrf): Csrf,
) -> Result<Response, HttpError> {
    let card = match actor.member_id {
        Some(_) => Some(views::card(&state.app, &actor, None, None).await?),
        None => None,
    };
    let orgs = if actor.grant.may_ever(Action::ViewOrg) {
        orgs::orgs_in_reach(&state.app, &actor, Action::ViewOrg)
            .await?
            .into_iter()
            .filter(|o| !o.dissolved)
            .collect()
    } else {
        Vec::new()
    };
    let results = match actor.member_id {
        Some(me) => evaluation::member_results(&state.app, &actor, MemberId(me)).await?,
        None => Vec::new(),
    };
    Ok(ok(&HubPage {
        layout: Layout::for_actor(csrf, &actor, HERE),
        campaigns: evaluation::my_campaigns(&state.app, &actor).await?,
        results,
        card,
        bulletins: bulletin::published_for_me(&state.app, &actor).await?,
        orgs,
        can_verify: verify::may_verify_all(&actor),
    }))
}

#[derive(Template)]
#[template(path = "points/points_card.html")]
struct CardPage {
    layout: Layout,
    card: CardView,
}

pub async fn card(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Csrf(csrf): Csrf,
    QueryParams(q): QueryParams<CardQuery>,
) -> Result<Response, HttpError> {
    let card = views::card(
        &state.app,
        &actor,
        q.member_id.map(MemberId),
        q.period.as_deref(),
    )
    .await?;
    Ok(ok(&CardPage {
        layout: Layout::for_actor(csrf, &actor, HERE),
        card,
    }))
}

#[derive(Template)]
#[template(path = "points/points_org.html")]
struct OrgPage {
    layout: Layout,
    page: NodePoints,
    /// What the proposal form holds: empty, or what was submitted when it was refused.
    proposal: ProposeForm,
    proposal_error: Option<String>,
}

/// A node's points: leaderboard (members, groups or branches), proposals, and links onward.
pub async fn org(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Csrf(csrf): Csrf,
    IdPath(id): IdPath,
    QueryParams(q): QueryParams<BoardQuery>,
) -> Result<Response, HttpError> {
    let page = org_page(&state, &actor, csrf, id, &q, ProposeForm::default(), None).await?;
    Ok(ok(&page))
}

async fn org_page(
    state: &AppState,
    actor: &dangjian_app::Actor,
    csrf: String,
    id: i64,
    q: &BoardQuery,
    proposal: ProposeForm,
    proposal_error: Option<String>,
) -> Result<OrgPage, HttpError> {
    let page = node_page::node_points(
        &state.app,
        actor,
        OrgId(id),
        q.period.as_deref(),
        &q.of,
        q.limit,
    )
    .await?;
    Ok(OrgPage {
        layout: Layout::for_actor(csrf, actor, HERE),
        page,
        proposal,
        proposal_error,
    })
}

#[derive(Deserialize)]
pub struct ItemForm {
    effective_from: String,
    code: String,
    name: String,
    category: String,
    points: String,
    #[serde(default)]
    min: String,
    #[serde(default)]
    max: String,
    #[serde(default)]
    cap: String,
    #[serde(default)]
    cap_period: String,
    trigger: String,
    #[serde(default)]
    disabled: Option<String>,
    #[serde(default)]
    note: String,
}

/// One changed item as a new version of the node's rules.
pub async fn new_version(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    IdPath(id): IdPath,
    PageForm(f): PageForm<ItemForm>,
) -> Result<Response, HttpError> {
    let input = VersionInput {
        effective_from: f.effective_from,
        base: None,
        note: f.note,
        items: vec![ItemInput {
            code: f.code,
            name: f.name,
            category: f.category,
            points: f.points,
            min: Some(f.min),
            max: Some(f.max),
            cap: Some(f.cap),
            cap_period: Some(f.cap_period),
            trigger: f.trigger,
            enabled: f.disabled.is_none(),
        }],
    };
    rulebook::new_version(&state.app, &actor, &ctx, OrgId(id), &input).await?;
    Ok(Redirect::to(&format!("/orgs/{id}/points")).into_response())
}

#[derive(Deserialize, Default)]
pub struct ProposeForm {
    /// Missing when no member was chosen: the form is shown again saying so.
    #[serde(default)]
    member_id: Option<i64>,
    #[serde(default)]
    item_code: String,
    #[serde(default)]
    points: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    evidence: String,
    #[serde(default)]
    occurred_on: String,
}

pub async fn propose(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    Csrf(csrf): Csrf,
    IdPath(id): IdPath,
    PageForm(f): PageForm<ProposeForm>,
) -> Result<Response, HttpError> {
    let result = match f.member_id {
        None => Err(AppError::invalid("member_id", "请选择党员")),
        Some(member_id) => {
            let input = ProposalInput {
                member_id,
                item_code: f.item_code.clone(),
                points: f.points.clone(),
                reason: f.reason.clone(),
                evidence: f.evidence.clone(),
                occurred_on: f.occurred_on.clone(),
            };
            proposals::propose(&state.app, &actor, &ctx, &input).await
        }
    };
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/orgs/{id}/points")).into_response()),
        Err(error @ (AppError::Invalid { .. } | AppError::Conflict(_))) => {
            let status = crate::error::status_of(&error);
            let message = error.to_string();
            let page = org_page(
                &state,
                &actor,
                csrf,
                id,
                &BoardQuery::default(),
                f,
                Some(message),
            )
            .await?;
            Ok(render(status, &page))
        }
        Err(error) => Err(error.into()),
    }
}

#[derive(Deserialize)]
pub struct DecideForm {
    decision: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    back: Option<i64>,
}

pub async fn decide(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    IdPath(id): IdPath,
    PageForm(f): PageForm<DecideForm>,
) -> Result<Response, HttpError> {
    proposals::decide(
        &state.app,
        &actor,
        &ctx,
        ProposalId(id),
        f.decision == "approve",
        &f.note,
    )
    .await?;
    Ok(Redirect::to(
        &f.back
            .map(|o| format!("/orgs/{o}/points"))
            .unwrap_or_else(|| HERE.into()),
    )
    .into_response())
}

#[derive(Deserialize)]
pub struct ReverseForm {
    reason: String,
    member_id: i64,
}

pub async fn reverse(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    IdPath(id): IdPath,
    PageForm(f): PageForm<ReverseForm>,
) -> Result<Response, HttpError> {
    proposals::reverse(&state.app, &actor, &ctx, PointsEntryId(id), &f.reason).await?;
    Ok(Redirect::to(&format!("/points/card?member_id={}", f.member_id)).into_response())
}

#[derive(Template)]
#[template(path = "points/points_bulletin.html")]
struct BulletinPage {
    layout: Layout,
    b: BulletinView,
    chart: Option<Chart>,
}

pub async fn bulletin_page(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Csrf(csrf): Csrf,
    IdPath(id): IdPath,
    QueryParams(q): QueryParams<PeriodQuery>,
) -> Result<Response, HttpError> {
    let b = bulletin::bulletin(&state.app, &actor, OrgId(id), q.period.as_deref()).await?;
    Ok(ok(&BulletinPage {
        layout: Layout::for_actor(csrf, &actor, HERE),
        chart: charts::bulletin_groups(&b),
        b,
    }))
}

#[derive(Deserialize)]
pub struct PublishForm {
    period: String,
}

pub async fn publish(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    IdPath(id): IdPath,
    PageForm(f): PageForm<PublishForm>,
) -> Result<Response, HttpError> {
    bulletin::publish(&state.app, &actor, &ctx, OrgId(id), Some(&f.period)).await?;
    Ok(Redirect::to(&format!("/orgs/{id}/points/bulletin?period={}", f.period)).into_response())
}

#[derive(Template)]
#[template(path = "points/points_verify.html")]
struct VerifyPage {
    layout: Layout,
    report: VerifyReport,
}

pub async fn verify_page(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Csrf(csrf): Csrf,
    QueryParams(q): QueryParams<VerifyQuery>,
) -> Result<Response, HttpError> {
    let node = q.node.or_else(|| {
        if actor.grant.org.is_some() {
            actor.org_id.map(|o| o.0)
        } else {
            None
        }
    });
    let report = verify::verify(&state.app, &actor, node.map(OrgId)).await?;
    Ok(ok(&VerifyPage {
        layout: Layout::for_actor(csrf, &actor, HERE),
        report,
    }))
}
