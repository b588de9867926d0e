//! The committee's proposal, the assembly's confirmation and the results in members' records.

use dangjian_domain::access::{Action, Scope};
use dangjian_domain::points::Points;
use dangjian_domain::points::evaluation::{Proposed, Rating, check_proposal};
use dangjian_domain::{EvaluationCampaignId, MemberId, OrgId};
use dangjian_store::life_counters::active_members_of_branch;
use dangjian_store::points::evaluation as store;
use serde::{Deserialize, Serialize};

use super::{CampaignView, load, participant, status_label, view, year_total};
use crate::audit::{self, AuditAction, AuditEntity, Entry, Who};
use crate::{Actor, App, AppError, AppResult, RequestContext, orgs};

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct ProposedRating {
    pub member_id: i64,
    /// excellent, qualified, basically_qualified, unqualified (or the Chinese label).
    pub rating: String,
    /// For 不合格: 限期改正, 劝其退党 or 除名, with details.
    #[serde(default)]
    pub handling: String,
}

/// The branch committee proposes every member's rating; checked against the floor and share.
pub async fn propose(
    app: &App,
    actor: &Actor,
    ctx: &RequestContext,
    id: EvaluationCampaignId,
    ratings: &[ProposedRating],
) -> AppResult<CampaignView> {
    let (row, path) = load(app, id.0).await?;
    actor.authorize(Action::ManageAssessments, Scope::Org(&path))?;
    if row.status == "confirmed" {
        return Err(AppError::Conflict("党员大会已确认，不能再修改".into()));
    }
    let mut handle = app.store.acquire().await?;
    let members = active_members_of_branch(handle.conn(), row.branch_id).await?;
    let mut proposed = Vec::new();
    for m in &members {
        let given = ratings
            .iter()
            .find(|r| r.member_id == m.id)
            .ok_or_else(|| AppError::invalid("ratings", format!("请为 {} 提出评定等次", m.name)))?;
        let rating = Rating::parse(&given.rating)
            .ok_or_else(|| AppError::invalid("ratings", "等次须为优秀、合格、基本合格或不合格"))?;
        proposed.push((
            m.id,
            Proposed {
                name: m.name.clone(),
                rating,
                year_total: year_total(&mut handle, m.id, row.year, app.today()).await?,
                handling: given.handling.trim().to_string(),
            },
        ));
    }
    drop(handle);
    let just: Vec<Proposed> = proposed.iter().map(|(_, p)| p.clone()).collect();
    check_proposal(
        &just,
        members.len() as i64,
        row.excellent_share,
        Points(row.floor_points),
    )
    .map_err(|m| AppError::invalid("ratings", m))?;
    let mut tx = app.begin().await?;
    for (member_id, p) in &proposed {
        store::save_result(
            tx.conn(),
            id.0,
            *member_id,
            p.rating.code(),
            p.year_total.0,
            &p.handling,
        )
        .await?;
    }
    store::set_status(tx.conn(), id.0, &row.status, "proposed", None).await?;
    let excellent = just
        .iter()
        .filter(|p| p.rating == Rating::Excellent)
        .count();
    audit::record(
        &mut tx,
        Who::from(actor),
        ctx,
        Entry::new(
            AuditAction::EvaluationProposed,
            AuditEntity::EvalCampaign,
            id,
            format!("支委会提出 {} 年度评定意见：优秀 {excellent} 名", row.year),
        )
        .org(Some(OrgId(row.branch_id))),
    )
    .await?;
    tx.commit().await?;
    view(app, actor, id).await
}

/// The branch assembly confirms the committee's proposal; the ratings enter members' records.
pub async fn confirm(
    app: &App,
    actor: &Actor,
    ctx: &RequestContext,
    id: EvaluationCampaignId,
    assembly_on: &str,
) -> AppResult<CampaignView> {
    let (row, path) = load(app, id.0).await?;
    actor.authorize(Action::ManageAssessments, Scope::Org(&path))?;
    let on: jiff::civil::Date = assembly_on
        .trim()
        .parse()
        .map_err(|_| AppError::invalid("assembly_on", "党员大会日期格式应为 2026-12-20"))?;
    if on > app.today() {
        return Err(AppError::invalid("assembly_on", "党员大会日期不能晚于今天"));
    }
    let mut tx = app.begin().await?;
    if !store::set_status(
        tx.conn(),
        id.0,
        "proposed",
        "confirmed",
        Some(&on.to_string()),
    )
    .await?
    {
        return Err(AppError::Conflict(
            "须先由支委会提出评定意见；已确认的不能再次确认".into(),
        ));
    }
    audit::record(
        &mut tx,
        Who::from(actor),
        ctx,
        Entry::new(
            AuditAction::EvaluationConfirmed,
            AuditEntity::EvalCampaign,
            id,
            format!("党员大会于 {on} 确认 {} 年度民主评议结果", row.year),
        )
        .org(Some(OrgId(row.branch_id))),
    )
    .await?;
    tx.commit().await?;
    view(app, actor, id).await
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ResultView {
    pub year: i64,
    pub branch_name: String,
    pub rating_label: String,
    pub year_total_text: String,
    pub handling: String,
}

/// A member's confirmed ratings (their own, or as the roster's viewers see them).
pub async fn member_results(
    app: &App,
    actor: &Actor,
    member_id: MemberId,
) -> AppResult<Vec<ResultView>> {
    let mut handle = app.store.acquire().await?;
    let p = super::super::placement(handle.conn(), member_id.0).await?;
    if actor.member_id != Some(member_id.0) {
        actor.authorize(Action::ViewMembers, Scope::Org(&p.node_path))?;
    }
    Ok(store::confirmed_of_member(handle.conn(), member_id.0)
        .await?
        .into_iter()
        .map(|r| ResultView {
            year: r.year,
            branch_name: r.branch_name,
            rating_label: Rating::parse(&r.rating)
                .map(|x| x.label().to_string())
                .unwrap_or(r.rating),
            year_total_text: Points(r.year_points).plain(),
            handling: r.handling,
        })
        .collect())
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CampaignSummary {
    pub id: i64,
    pub year: i64,
    pub status_label: &'static str,
}

/// A branch's campaigns (its administrators and its members).
pub async fn campaigns(
    app: &App,
    actor: &Actor,
    branch_id: OrgId,
) -> AppResult<Vec<CampaignSummary>> {
    let path = orgs::path_of(app, branch_id).await?;
    if !actor.grant.permits(Action::ViewMembers, Scope::Org(&path))
        && participant(app, actor, branch_id.0).await?.is_none()
    {
        return Err(AppError::forbidden());
    }
    let mut handle = app.store.acquire().await?;
    Ok(store::campaigns_of_branch(handle.conn(), branch_id.0)
        .await?
        .into_iter()
        .map(|c| CampaignSummary {
            id: c.id,
            year: c.year,
            status_label: status_label(&c.status),
        })
        .collect())
}

/// The campaigns of the caller's own branch (what the points hub links a member to).
pub async fn my_campaigns(app: &App, actor: &Actor) -> AppResult<Vec<CampaignSummary>> {
    let Some(member_id) = actor.member_id else {
        return Ok(Vec::new());
    };
    let mut handle = app.store.acquire().await?;
    let p = super::super::placement(handle.conn(), member_id).await?;
    Ok(store::campaigns_of_branch(handle.conn(), p.branch_id)
        .await?
        .into_iter()
        .map(|c| CampaignSummary {
            id: c.id,
            year: c.year,
            status_label: status_label(&c.status),
        })
        .collect())
}

/// 民主评议 of the member's branch that waits for the member: the self-evaluation not written
/// or nobody rated yet, while the campaign is open.
pub async fn reminders(
    app: &App,
    actor: &Actor,
) -> AppResult<Vec<dangjian_domain::reminder::Reminder>> {
    use dangjian_domain::reminder::{Reminder, ReminderKind};
    let Some(member_id) = actor.member_id else {
        return Ok(Vec::new());
    };
    let mut handle = app.store.acquire().await?;
    let p = super::super::placement(handle.conn(), member_id).await?;
    let mut found = Vec::new();
    for c in store::campaigns_of_branch(handle.conn(), p.branch_id).await? {
        if c.status != "open" {
            continue;
        }
        let wrote = store::self_text(handle.conn(), c.id, member_id)
            .await?
            .is_some_and(|t| !t.trim().is_empty());
        let rated = !store::rated_by(handle.conn(), c.id, member_id)
            .await?
            .is_empty();
        let missing = match (wrote, rated) {
            (true, true) => continue,
            (false, false) => "自评和互评",
            (false, true) => "自评",
            (true, false) => "互评",
        };
        found.push(Reminder {
            kind: ReminderKind::Evaluate,
            title: format!("{} 年度民主评议", c.year),
            href: format!("/evaluations/{}", c.id),
            detail: format!("请完成{missing}"),
            due_on: None,
        });
    }
    Ok(found)
}
