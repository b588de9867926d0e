//! Manual awards and deductions: an org admin or group leader proposes with a reason and
//! evidence; an org admin of the branch (or above) approves, never the proposer; approval appends
//! the entry. Mistakes are fixed by a reversing entry, never by an edit.

use dangjian_domain::access::{Action, Role, Scope};
use dangjian_domain::activity::Period;
use dangjian_domain::points::{Points, Trigger, capped_award};
use dangjian_domain::time::{display_minute, from_micros};
use dangjian_domain::{OrgId, PointsEntryId, ProposalId};
use dangjian_store::SubtreeRange;
use dangjian_store::points::ledger::{self, NewProposal, ProposalRow};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::{NewEntry, Placement, append, placement, rulebook};
use crate::audit::{self, AuditAction, AuditEntity, Entry, Who};
use crate::{Actor, App, AppError, AppResult, RequestContext, orgs};

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct ProposalInput {
    pub member_id: i64,
    pub item_code: String,
    /// `5`, `-10`, `0.5`.
    pub points: String,
    pub reason: String,
    #[serde(default)]
    pub evidence: String,
    /// ISO date of the deed; today when empty.
    #[serde(default)]
    #[schema(format = Date)]
    pub occurred_on: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ProposalView {
    pub id: i64,
    pub member_id: i64,
    pub member_name: String,
    pub item_code: String,
    pub points: i64,
    pub points_text: String,
    pub reason: String,
    pub evidence: String,
    #[schema(format = Date)]
    pub occurred_on: String,
    pub proposer_name: String,
    /// pending, approved, rejected.
    pub status: String,
    pub status_label: &'static str,
    pub decider_name: String,
    pub decision_note: String,
    pub entry_id: Option<i64>,
    #[schema(pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}$")]
    pub created_at: String,
    /// Whether the caller may decide it now (an admin of the branch who did not propose it).
    pub can_decide: bool,
}

fn view(actor: &Actor, row: ProposalRow, may_approve: bool) -> ProposalView {
    let status_label = match row.status.as_str() {
        "pending" => "待审批",
        "approved" => "已批准",
        _ => "未批准",
    };
    ProposalView {
        can_decide: may_approve && row.status == "pending" && row.proposed_by != actor.account_id.0,
        id: row.id,
        member_id: row.member_id,
        member_name: row.member_name,
        item_code: row.item_code,
        points: row.points,
        points_text: Points(row.points).signed(),
        reason: row.reason,
        evidence: row.evidence,
        occurred_on: row.occurred_on,
        proposer_name: row.proposer_name,
        status: row.status,
        status_label,
        decider_name: row.decider_name,
        decision_note: row.decision_note,
        entry_id: row.entry_id,
        created_at: display_minute(from_micros(row.created_at)),
    }
}

/// How much of an award the item's cap still allows the member; an error names the room left.
async fn check_cap(
    tx: &mut dangjian_store::Tx,
    p: &Placement,
    item: &dangjian_domain::points::RuleItem,
    points: Points,
    on: Date,
) -> AppResult<()> {
    let Some(cap) = item.cap else { return Ok(()) };
    let period = Period::containing(on, item.cap_period);
    let used = ledger::item_used(
        tx.conn(),
        p.member_id,
        &item.code,
        &period.first_day().to_string(),
        &period.last_day().to_string(),
    )
    .await?;
    if capped_award(points, Points(used), Some(cap)) != points {
        let room = Points((cap.0 - used.abs()).max(0));
        return Err(AppError::invalid(
            "points",
            format!(
                "「{}」{}上限 {} 分，{} 已得 {} 分，最多还能计 {} 分",
                item.name,
                period.label(),
                cap.plain(),
                p.name,
                Points(used).plain(),
                room.plain()
            ),
        ));
    }
    Ok(())
}

async fn manual_item(
    tx: &mut dangjian_store::Tx,
    p: &Placement,
    code: &str,
    on: Date,
) -> AppResult<(dangjian_domain::points::RuleItem, Option<i64>)> {
    let rules = rulebook::in_force(tx.conn(), &p.node_path, on).await?;
    let (item, version) = rules
        .items
        .into_iter()
        .find(|(i, _)| i.code == code.trim().to_uppercase() && i.enabled)
        .ok_or_else(|| AppError::invalid("item_code", "没有这条积分规则，或已停用"))?;
    if item.trigger != Trigger::Manual {
        return Err(AppError::invalid(
            "item_code",
            format!(
                "「{}」由系统按{}自动计分，不能手工申报",
                item.name,
                item.trigger.label()
            ),
        ));
    }
    Ok((item, version))
}

async fn branch_path(tx: &mut dangjian_store::Tx, id: i64) -> AppResult<dangjian_domain::OrgPath> {
    dangjian_store::orgs::org_by_id(tx.conn(), id)
        .await?
        .and_then(|r| dangjian_domain::OrgPath::parse(&r.path))
        .ok_or(AppError::NotFound("组织"))
}

/// Whether the caller may propose awards and deductions at all (the form is offered to them).
pub fn may_propose(actor: &Actor) -> bool {
    matches!(
        actor.role(),
        Role::OrgAdmin | Role::GroupLeader | Role::SystemAdmin
    )
}

/// An org admin or group leader proposes an award or deduction for a member in their reach.
pub async fn propose(
    app: &App,
    actor: &Actor,
    ctx: &RequestContext,
    input: &ProposalInput,
) -> AppResult<ProposalView> {
    if !may_propose(actor) {
        return Err(AppError::Forbidden(
            "只有组织管理员或党小组长可以申报积分".into(),
        ));
    }
    let reason = &AppError::check_text(
        "reason",
        "理由",
        &input.reason,
        dangjian_domain::text::Shape::MultiLine,
        500,
        true,
    )?;
    let points = Points::parse(&input.points).map_err(|m| AppError::invalid("points", m))?;
    let on: Date = match input.occurred_on.trim() {
        "" => app.today(),
        d => d
            .parse()
            .map_err(|_| AppError::invalid("occurred_on", "日期格式应为 2026-01-01"))?,
    };
    if on > app.today() {
        return Err(AppError::invalid("occurred_on", "不能申报未来日期的积分"));
    }
    let mut tx = app.begin().await?;
    let p = placement(tx.conn(), input.member_id).await?;
    actor.authorize(Action::ViewMembers, Scope::Org(&p.node_path))?;
    let (item, _) = manual_item(&mut tx, &p, &input.item_code, on).await?;
    if !item.allows(points) {
        return Err(AppError::invalid(
            "points",
            format!(
                "「{}」的分值应在 {} 至 {} 之间",
                item.name,
                item.min.signed(),
                item.max.signed()
            ),
        ));
    }
    check_cap(&mut tx, &p, &item, points, on).await?;
    let id = ledger::insert_proposal(
        tx.conn(),
        &NewProposal {
            branch_id: p.branch_id,
            member_id: p.member_id,
            item_code: &item.code,
            points: points.0,
            reason,
            evidence: input.evidence.trim(),
            occurred_on: &on.to_string(),
            proposed_by: actor.account_id.0,
            proposer_name: &actor.name,
            created_at: app.now_micros(),
        },
    )
    .await?;
    let entry = Entry::new(
        AuditAction::PointsProposed,
        AuditEntity::PointsProposal,
        id,
        format!(
            "为 {} 申报「{}」{} 分：{reason}",
            p.name,
            item.name,
            points.signed()
        ),
    )
    .org(Some(OrgId(p.branch_id)));
    audit::record(&mut tx, Who::from(actor), ctx, entry).await?;
    let row = ledger::proposal(tx.conn(), id)
        .await?
        .ok_or(AppError::NotFound("积分申报"))?;
    tx.commit().await?;
    Ok(view(actor, row, false))
}

/// The branch's org admin approves (appending the entry) or rejects a pending proposal.
pub async fn decide(
    app: &App,
    actor: &Actor,
    ctx: &RequestContext,
    id: ProposalId,
    approve: bool,
    note: &str,
) -> AppResult<ProposalView> {
    let mut tx = app.begin().await?;
    let row = ledger::proposal(tx.conn(), id.0)
        .await?
        .ok_or(AppError::NotFound("积分申报"))?;
    let p = placement(tx.conn(), row.member_id).await?;
    let branch_path = branch_path(&mut tx, row.branch_id).await?;
    actor.authorize(Action::ManagePoints, Scope::Org(&branch_path))?;
    if row.proposed_by == actor.account_id.0 {
        return Err(AppError::Forbidden("不能审批自己提出的积分申报".into()));
    }
    if actor.member_id == Some(row.member_id) {
        return Err(AppError::Forbidden("不能审批给自己的积分申报".into()));
    }
    if row.status != "pending" {
        return Err(AppError::Conflict("该申报已处理".into()));
    }
    let entry_id = if approve {
        let on: Date = row
            .occurred_on
            .parse()
            .map_err(|_| AppError::Unexpected("bad proposal date".into()))?;
        let (item, version) = manual_item(&mut tx, &p, &row.item_code, on).await?;
        check_cap(&mut tx, &p, &item, Points(row.points), on).await?;
        let reason = format!("{}：{}", item.name, row.reason);
        Some(
            append(
                &mut tx,
                &NewEntry {
                    placement: &p,
                    item_code: &item.code,
                    item_name: &item.name,
                    rule_version_id: version,
                    points: row.points,
                    reason: &reason,
                    source_key: &format!("proposal:{id}"),
                    reverses_entry_id: None,
                    proposed_by: &row.proposer_name,
                    approved_by: &actor.name,
                    occurred_on: on,
                },
            )
            .await?,
        )
    } else {
        None
    };
    let status = if approve { "approved" } else { "rejected" };
    if !ledger::decide_proposal(
        tx.conn(),
        id.0,
        status,
        actor.account_id.0,
        &actor.name,
        note.trim(),
        entry_id,
    )
    .await?
    {
        return Err(AppError::Conflict("该申报已处理".into()));
    }
    let summary = format!(
        "{}{} 的积分申报（{} 分）",
        if approve { "批准" } else { "未批准" },
        p.name,
        Points(row.points).signed()
    );
    audit::record(
        &mut tx,
        Who::from(actor),
        ctx,
        Entry::new(
            AuditAction::PointsProposalDecided,
            AuditEntity::PointsProposal,
            id,
            summary,
        )
        .org(Some(OrgId(row.branch_id))),
    )
    .await?;
    let row = ledger::proposal(tx.conn(), id.0)
        .await?
        .ok_or(AppError::NotFound("积分申报"))?;
    tx.commit().await?;
    Ok(view(actor, row, true))
}

/// Proposals of the branches under a node, pending first.
pub async fn list(app: &App, actor: &Actor, org_id: OrgId) -> AppResult<Vec<ProposalView>> {
    let (_, path) = orgs::load(app, org_id).await?;
    actor.authorize(Action::ViewMembers, Scope::Org(&path))?;
    let may_approve = actor.grant.permits(Action::ManagePoints, Scope::Org(&path));
    let mut handle = app.store.acquire().await?;
    let rows = ledger::proposals_in(handle.conn(), &SubtreeRange::of(&path), 200).await?;
    Ok(rows
        .into_iter()
        .map(|r| view(actor, r, may_approve))
        .collect())
}

/// An org admin of the branch reverses a mistaken entry with a reason: a new entry of the
/// opposite points (each entry can be reversed once).
pub async fn reverse(
    app: &App,
    actor: &Actor,
    ctx: &RequestContext,
    entry_id: PointsEntryId,
    reason: &str,
) -> AppResult<PointsEntryId> {
    let reason = &AppError::check_text(
        "reason",
        "理由",
        reason,
        dangjian_domain::text::Shape::MultiLine,
        500,
        true,
    )?;
    let mut tx = app.begin().await?;
    let original = ledger::entry_by_id(tx.conn(), entry_id.0)
        .await?
        .ok_or(AppError::NotFound("积分记录"))?;
    let branch_path = branch_path(&mut tx, original.branch_id).await?;
    actor.authorize(Action::ManagePoints, Scope::Org(&branch_path))?;
    if original.reverses_entry_id.is_some() {
        return Err(AppError::Conflict(
            "冲正记录不能再冲正；如有错误请重新申报".into(),
        ));
    }
    if ledger::is_reversed(tx.conn(), entry_id.0).await? {
        return Err(AppError::Conflict("该记录已冲正".into()));
    }
    let p = placement(tx.conn(), original.member_id).await?;
    let on: Date = original
        .occurred_on
        .parse()
        .map_err(|_| AppError::Unexpected("bad entry date".into()))?;
    let text = format!("冲正 #{}：{reason}", original.id);
    let id = append(
        &mut tx,
        &NewEntry {
            placement: &p,
            item_code: &original.item_code,
            item_name: &original.item_name,
            rule_version_id: original.rule_version_id,
            points: -original.points,
            reason: &text,
            source_key: &format!("reversal:{entry_id}"),
            reverses_entry_id: Some(entry_id.0),
            proposed_by: &actor.name,
            approved_by: &actor.name,
            occurred_on: on,
        },
    )
    .await?;
    let summary = format!(
        "冲正 {} 的积分记录 #{}（{} 分）：{reason}",
        p.name,
        entry_id,
        Points(-original.points).signed()
    );
    audit::record(
        &mut tx,
        Who::from(actor),
        ctx,
        Entry::new(
            AuditAction::PointsEntryReversed,
            AuditEntity::PointsEntry,
            id,
            summary,
        )
        .org(Some(OrgId(original.branch_id))),
    )
    .await?;
    tx.commit().await?;
    Ok(PointsEntryId(id))
}

/// Proposals in the caller's own organization that wait for the caller's decision.
pub async fn reminders(
    app: &App,
    actor: &Actor,
) -> AppResult<Vec<dangjian_domain::reminder::Reminder>> {
    use dangjian_domain::reminder::{Reminder, ReminderKind};
    let Some(org_id) = actor.own_org_for(Action::ManagePoints) else {
        return Ok(Vec::new());
    };
    Ok(list(app, actor, org_id)
        .await?
        .into_iter()
        .filter(|p| p.can_decide)
        .map(|p| Reminder {
            kind: ReminderKind::DecideProposal,
            title: format!("{} {} 分：{}", p.member_name, p.points_text, p.reason),
            href: format!("/orgs/{}/points#proposals", org_id.0),
            detail: format!("{} 申报", p.proposer_name),
            due_on: None,
        })
        .collect())
}
