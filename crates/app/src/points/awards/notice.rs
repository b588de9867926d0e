//! The committee's decision, the public notice (公示) with its objections, and the final list.

use dangjian_domain::access::{Action, Scope};
use dangjian_domain::points::awards::{Honour, check_notice, may_finalize, objection_window};
use dangjian_domain::{AwardCampaignId, MemberId, NominationId, OrgId};
use dangjian_store::points::awards as store;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::{AwardCampaignView, load, status_label, view};
use crate::audit::{self, AuditAction, AuditEntity, Entry, Who};
use crate::{Actor, App, AppError, AppResult, RequestContext, orgs};

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
// Named apart: another input of the same Rust name would take its place in the OpenAPI document.
#[schema(as = AwardDecisionInput)]
pub struct DecisionInput {
    /// The nominations the committee selected.
    pub selected: Vec<i64>,
    pub notice_from: String,
    pub notice_to: String,
}

fn date(field: &'static str, text: &str) -> AppResult<Date> {
    text.trim()
        .parse()
        .map_err(|_| AppError::invalid(field, "日期格式应为 2026-06-01"))
}

/// The committee's decision: the selected nominees go on public notice between two dates.
pub async fn decide(
    app: &App,
    actor: &Actor,
    ctx: &RequestContext,
    id: AwardCampaignId,
    input: &DecisionInput,
) -> AppResult<AwardCampaignView> {
    let (row, path, _) = load(app, actor, id.0).await?;
    actor.authorize(Action::ManageAssessments, Scope::Org(&path))?;
    let (from, to) = (
        date("notice_from", &input.notice_from)?,
        date("notice_to", &input.notice_to)?,
    );
    check_notice(from, to).map_err(|m| AppError::invalid("notice_to", m))?;
    if input.selected.is_empty() {
        return Err(AppError::invalid("selected", "请至少选定一名拟表彰对象"));
    }
    let mut tx = app.begin().await?;
    for n in &input.selected {
        if !store::select(tx.conn(), id.0, *n).await? {
            return Err(AppError::invalid("selected", "所选推荐不属于本次评选"));
        }
    }
    if !store::set_status(
        tx.conn(),
        id.0,
        "nominating",
        "notice",
        Some((&from.to_string(), &to.to_string())),
    )
    .await?
    {
        return Err(AppError::Conflict("本次评选已决定".into()));
    }
    audit::record(
        &mut tx,
        Who::from(actor),
        ctx,
        Entry::new(
            AuditAction::AwardDecided,
            AuditEntity::AwardCampaign,
            id,
            format!("确定「{}」拟表彰名单，公示 {from} 至 {to}", row.title),
        )
        .org(Some(OrgId(row.org_id))),
    )
    .await?;
    tx.commit().await?;
    view(app, actor, id).await
}

/// A member of the node objects to a nominee during the notice.
pub async fn object(
    app: &App,
    actor: &Actor,
    ctx: &RequestContext,
    id: AwardCampaignId,
    nomination_id: NominationId,
    text: &str,
) -> AppResult<()> {
    let (row, _, _) = load(app, actor, id.0).await?;
    let (Some(from), Some(to)) = (row.notice_from.as_deref(), row.notice_to.as_deref()) else {
        return Err(AppError::Conflict("尚未公示".into()));
    };
    objection_window(
        app.today(),
        date("notice_from", from)?,
        date("notice_to", to)?,
    )
    .map_err(AppError::Conflict)?;
    let text = &AppError::check_text(
        "text",
        "异议的事实和理由",
        text,
        dangjian_domain::text::Shape::MultiLine,
        2000,
        true,
    )?;
    let mut tx = app.begin().await?;
    if !store::nominations(tx.conn(), id.0)
        .await?
        .iter()
        .any(|n| n.id == nomination_id.0 && n.selected)
    {
        return Err(AppError::NotFound("公示对象"));
    }
    let oid = store::object(
        tx.conn(),
        nomination_id.0,
        actor.account_id.0,
        text,
        app.now_micros(),
    )
    .await?;
    audit::record(
        &mut tx,
        Who::from(actor),
        ctx,
        Entry::new(
            AuditAction::AwardObjectionFiled,
            AuditEntity::AwardObjection,
            oid,
            "对公示对象提出异议",
        )
        .org(Some(OrgId(row.org_id))),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// After the notice ends, the final list is recorded.
pub async fn finalize(
    app: &App,
    actor: &Actor,
    ctx: &RequestContext,
    id: AwardCampaignId,
) -> AppResult<AwardCampaignView> {
    let (row, path, _) = load(app, actor, id.0).await?;
    actor.authorize(Action::ManageAssessments, Scope::Org(&path))?;
    let to = row
        .notice_to
        .as_deref()
        .ok_or_else(|| AppError::Conflict("尚未公示".into()))?;
    may_finalize(app.today(), date("notice_to", to)?).map_err(AppError::Conflict)?;
    let mut tx = app.begin().await?;
    if !store::set_status(tx.conn(), id.0, "notice", "final", None).await? {
        return Err(AppError::Conflict("名单已确定".into()));
    }
    audit::record(
        &mut tx,
        Who::from(actor),
        ctx,
        Entry::new(
            AuditAction::AwardFinalized,
            AuditEntity::AwardCampaign,
            id,
            format!("「{}」公示期满，确定表彰名单", row.title),
        )
        .org(Some(OrgId(row.org_id))),
    )
    .await?;
    tx.commit().await?;
    view(app, actor, id).await
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct HonourView {
    pub title: String,
    pub honour_label: &'static str,
    pub notice_to: Option<String>,
}

/// A member's honours from final lists.
pub async fn member_honours(
    app: &App,
    actor: &Actor,
    member_id: MemberId,
) -> AppResult<Vec<HonourView>> {
    let mut handle = app.store.acquire().await?;
    let p = super::super::placement(handle.conn(), member_id.0).await?;
    if actor.member_id != Some(member_id.0) {
        actor.authorize(Action::ViewMembers, Scope::Org(&p.node_path))?;
    }
    Ok(store::honours_of_member(handle.conn(), member_id.0)
        .await?
        .into_iter()
        .map(|h| HonourView {
            title: h.title,
            honour_label: Honour::parse(&h.honour).map(Honour::label).unwrap_or(""),
            notice_to: h.notice_to,
        })
        .collect())
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AwardSummary {
    pub id: i64,
    pub title: String,
    pub status_label: &'static str,
}

pub async fn campaigns(app: &App, actor: &Actor, org_id: OrgId) -> AppResult<Vec<AwardSummary>> {
    let path = orgs::path_of(app, org_id).await?;
    actor.authorize(Action::ViewOrg, Scope::Org(&path))?;
    let mut handle = app.store.acquire().await?;
    Ok(store::campaigns_of(handle.conn(), org_id.0)
        .await?
        .into_iter()
        .map(|c| AwardSummary {
            id: c.id,
            title: c.title,
            status_label: status_label(&c.status),
        })
        .collect())
}
