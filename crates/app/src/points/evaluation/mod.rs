//! 民主评议党员: a campaign per branch and year. Members write a self-evaluation and rate each
//! other (ratings are anonymous: they are only ever read as counts, and only by the branch's
//! administrators); the committee proposes each member's rating with the tally and the yearly
//! points total beside it, within the 优秀 floor and share; the assembly's confirmation makes the
//! results part of each member's record.

use dangjian_domain::access::{Action, Scope};
use dangjian_domain::activity::Period;
use dangjian_domain::points::evaluation::{DEFAULT_EXCELLENT_SHARE, Rating};
use dangjian_domain::points::{EXCELLENT_FLOOR, Points};
use dangjian_domain::{EvaluationCampaignId, MemberId, OrgId};
use dangjian_store::life_counters::active_members_of_branch;
use dangjian_store::points::evaluation::{self as store, CampaignRow, NewCampaign};
use dangjian_store::points::totals;
use serde::{Deserialize, Serialize};

mod decide;

pub use decide::*;

use crate::audit::{self, AuditAction, AuditEntity, Entry, Who};
use crate::{Actor, App, AppError, AppResult, RequestContext, orgs};

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TallyRow {
    pub member_id: i64,
    pub name: String,
    pub self_submitted: bool,
    /// Peers' ratings: 优秀, 合格, 基本合格, 不合格.
    pub counts: [i64; 4],
    pub year_total_text: String,
    pub year_total: i64,
    pub may_be_excellent: bool,
    pub proposed: Option<String>,
    pub handling: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Peer {
    pub member_id: i64,
    pub name: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CampaignView {
    pub id: i64,
    pub branch_id: i64,
    pub branch_name: String,
    pub year: i64,
    /// open (self-evaluation and mutual rating), proposed, confirmed.
    pub status: String,
    pub status_label: &'static str,
    pub excellent_share: i64,
    pub floor_text: String,
    #[schema(format = Date)]
    pub confirmed_on: Option<String>,
    /// The caller as a participant: their self-evaluation and the peers they have yet to rate.
    pub my_self_evaluation: Option<String>,
    pub peers_to_rate: Vec<Peer>,
    pub is_participant: bool,
    /// The tally, only for the branch's administrators.
    pub tally: Vec<TallyRow>,
    pub can_manage: bool,
}

fn status_label(status: &str) -> &'static str {
    match status {
        "open" => "自评互评中",
        "proposed" => "支委会已提出评定意见，待党员大会确认",
        _ => "党员大会已确认",
    }
}

async fn load(app: &App, id: i64) -> AppResult<(CampaignRow, dangjian_domain::OrgPath)> {
    let mut handle = app.store.acquire().await?;
    let row = store::campaign(handle.conn(), id)
        .await?
        .ok_or(AppError::NotFound("民主评议"))?;
    drop(handle);
    let path = orgs::path_of(app, OrgId(row.branch_id)).await?;
    Ok((row, path))
}

/// The caller's member id when they belong to the campaign's branch.
async fn participant(app: &App, actor: &Actor, branch_id: i64) -> AppResult<Option<i64>> {
    let Some(member_id) = actor.member_id else {
        return Ok(None);
    };
    let mut handle = app.store.acquire().await?;
    let p = super::placement(handle.conn(), member_id).await?;
    Ok((p.branch_id == branch_id).then_some(member_id))
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
// Named apart: another input of the same Rust name would take its place in the OpenAPI document.
#[schema(as = EvaluationStartInput)]
pub struct StartInput {
    pub year: i64,
    /// Percent of the branch's members who may be rated 优秀 (default 30).
    #[serde(default)]
    pub excellent_share: Option<i64>,
    /// Yearly points below which 优秀 cannot be proposed (default 60).
    #[serde(default)]
    pub floor: Option<String>,
}

pub async fn start(
    app: &App,
    actor: &Actor,
    ctx: &RequestContext,
    branch_id: OrgId,
    input: &StartInput,
) -> AppResult<CampaignView> {
    let (org, path) = orgs::load(app, branch_id).await?;
    actor.authorize(Action::ManageAssessments, Scope::Org(&path))?;
    if org.kind != "branch" {
        return Err(AppError::invalid("branch", "民主评议以党支部为单位开展"));
    }
    let share = input.excellent_share.unwrap_or(DEFAULT_EXCELLENT_SHARE);
    if !(0..=100).contains(&share) {
        return Err(AppError::invalid(
            "excellent_share",
            "优秀比例须在 0 至 100 之间",
        ));
    }
    let floor = match input
        .floor
        .as_deref()
        .map(str::trim)
        .filter(|f| !f.is_empty())
    {
        Some(f) => Points::parse(f).map_err(|m| AppError::invalid("floor", m))?,
        None => EXCELLENT_FLOOR,
    };
    if !(2000..=9998).contains(&input.year) {
        return Err(AppError::invalid("year", "年度不正确"));
    }
    let mut tx = app.begin().await?;
    let id = store::insert_campaign(
        tx.conn(),
        &NewCampaign {
            branch_id: branch_id.0,
            year: input.year,
            excellent_share: share,
            floor_points: floor.0,
            created_by: actor.account_id.0,
            created_at: app.now_micros(),
        },
    )
    .await?
    .ok_or_else(|| {
        AppError::Conflict(format!("{} 已开展 {} 年度民主评议", org.name, input.year))
    })?;
    let entry = Entry::new(
        AuditAction::EvaluationStarted,
        AuditEntity::EvalCampaign,
        id,
        format!("{} 开展 {} 年度民主评议党员", org.name, input.year),
    )
    .org(Some(branch_id));
    audit::record(&mut tx, Who::from(actor), ctx, entry).await?;
    tx.commit().await?;
    view(app, actor, EvaluationCampaignId(id)).await
}

pub async fn view(app: &App, actor: &Actor, id: EvaluationCampaignId) -> AppResult<CampaignView> {
    let (row, path) = load(app, id.0).await?;
    let can_manage = actor
        .grant
        .permits(Action::ManageAssessments, Scope::Org(&path));
    let me = participant(app, actor, row.branch_id).await?;
    if !can_manage && me.is_none() {
        return Err(AppError::forbidden());
    }
    let mut handle = app.store.acquire().await?;
    let members = active_members_of_branch(handle.conn(), row.branch_id).await?;
    let (my_self_evaluation, peers_to_rate) = match me {
        Some(me) => {
            let done = store::rated_by(handle.conn(), id.0, me).await?;
            let text = store::self_text(handle.conn(), id.0, me).await?;
            let peers = members
                .iter()
                .filter(|m| m.id != me && !done.contains(&m.id))
                .map(|m| Peer {
                    member_id: m.id,
                    name: m.name.clone(),
                })
                .collect();
            (
                text,
                if row.status == "open" {
                    peers
                } else {
                    Vec::new()
                },
            )
        }
        None => (None, Vec::new()),
    };
    let mut tally = Vec::new();
    if can_manage {
        let counts = store::tally(handle.conn(), id.0).await?;
        let selves = store::self_submitted(handle.conn(), id.0).await?;
        let results = store::results(handle.conn(), id.0).await?;
        let floor = Points(row.floor_points);
        for m in &members {
            let total = year_total(&mut handle, m.id, row.year, app.today()).await?;
            let mut c = [0i64; 4];
            for (_, rating, n) in counts.iter().filter(|(r, _, _)| *r == m.id) {
                if let Some(i) =
                    Rating::parse(rating).and_then(|r| Rating::ALL.iter().position(|x| *x == r))
                {
                    c[i] = *n;
                }
            }
            let result = results.iter().find(|r| r.member_id == m.id);
            tally.push(TallyRow {
                member_id: m.id,
                name: m.name.clone(),
                self_submitted: selves.contains(&m.id),
                counts: c,
                year_total_text: total.plain(),
                year_total: total.0,
                may_be_excellent: total >= floor,
                proposed: result
                    .and_then(|r| Rating::parse(&r.rating))
                    .map(|r| r.label().to_string()),
                handling: result.map(|r| r.handling.clone()).unwrap_or_default(),
            });
        }
    }
    Ok(CampaignView {
        id: id.0,
        branch_id: row.branch_id,
        branch_name: row.branch_name,
        year: row.year,
        status_label: status_label(&row.status),
        status: row.status,
        excellent_share: row.excellent_share,
        floor_text: Points(row.floor_points).plain(),
        confirmed_on: row.confirmed_on,
        is_participant: me.is_some(),
        my_self_evaluation,
        peers_to_rate,
        tally,
        can_manage,
    })
}

/// The yearly base plus the year's points (what 民主评议 shows beside the tally).
async fn year_total(
    handle: &mut dangjian_store::Handle,
    member_id: i64,
    year: i64,
    today: jiff::civil::Date,
) -> AppResult<Points> {
    let year = i16::try_from(year).map_err(|_| AppError::invalid("year", "年度不正确"))?;
    let points = totals::member_total(handle.conn(), member_id, &Period::Year(year).key()).await?;
    let p = super::placement(handle.conn(), member_id).await?;
    let on = Period::Year(year).last_day().min(today);
    let base = super::rulebook::in_force(handle.conn(), &p.node_path, on)
        .await?
        .base;
    Ok(base + Points(points))
}

fn open_campaign(row: &CampaignRow) -> AppResult<()> {
    if row.status != "open" {
        return Err(AppError::Conflict("自评互评已结束".into()));
    }
    Ok(())
}

pub async fn submit_self(
    app: &App,
    actor: &Actor,
    ctx: &RequestContext,
    id: EvaluationCampaignId,
    text: &str,
) -> AppResult<()> {
    let (row, _) = load(app, id.0).await?;
    let me = participant(app, actor, row.branch_id)
        .await?
        .ok_or_else(|| AppError::Forbidden("只有本支部党员参加自评".into()))?;
    open_campaign(&row)?;
    let text = &AppError::check_text(
        "text",
        "自我评价",
        text,
        dangjian_domain::text::Shape::MultiLine,
        5000,
        true,
    )?;
    let mut tx = app.begin().await?;
    store::save_self(tx.conn(), id.0, me, text, app.now_micros()).await?;
    audit::record(
        &mut tx,
        Who::from(actor),
        ctx,
        Entry::new(
            AuditAction::EvaluationSelfSubmitted,
            AuditEntity::EvalCampaign,
            id,
            "提交民主评议自我评价",
        )
        .org(Some(OrgId(row.branch_id))),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A member rates a peer once. The audit entry names the rater but not the rating.
pub async fn rate(
    app: &App,
    actor: &Actor,
    ctx: &RequestContext,
    id: EvaluationCampaignId,
    ratee: MemberId,
    rating: &str,
) -> AppResult<()> {
    let (row, _) = load(app, id.0).await?;
    let me = participant(app, actor, row.branch_id)
        .await?
        .ok_or_else(|| AppError::Forbidden("只有本支部党员参加互评".into()))?;
    open_campaign(&row)?;
    if ratee == MemberId(me) {
        return Err(AppError::invalid(
            "ratee",
            "互评不能评议自己，请在自我评价中写明",
        ));
    }
    let rating = Rating::parse(rating)
        .ok_or_else(|| AppError::invalid("rating", "等次须为优秀、合格、基本合格或不合格"))?;
    let mut tx = app.begin().await?;
    let members = active_members_of_branch(tx.conn(), row.branch_id).await?;
    if !members.iter().any(|m| m.id == ratee.0) {
        return Err(AppError::invalid("ratee", "被评议人不是本支部党员"));
    }
    if !store::rate(tx.conn(), id.0, me, ratee.0, rating.code()).await? {
        return Err(AppError::Conflict(
            "您已评议过这名党员，不能重复评议".into(),
        ));
    }
    audit::record(
        &mut tx,
        Who::from(actor),
        ctx,
        Entry::new(
            AuditAction::EvaluationRated,
            AuditEntity::EvalCampaign,
            id,
            "完成一名党员的互评（内容匿名）",
        )
        .org(Some(OrgId(row.branch_id))),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
