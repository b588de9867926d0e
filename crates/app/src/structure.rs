//! Committees, positions and terms of the organization nodes, and the structure health check
//! (组织体检) that applies the 支部条例 rules of `dangjian_domain::structure` to a subtree.

use dangjian_domain::PositionId;
use std::collections::{HashMap, HashSet};

use dangjian_domain::access::{Action, Scope};
use dangjian_domain::structure::{
    BranchFacts, Finding, GroupFacts, Position, Severity, TermState, TermYears, check_branch,
    check_group, term_end, term_state,
};
use dangjian_domain::{OrgId, OrgKind};
use dangjian_store::SubtreeRange;
use dangjian_store::members;
use dangjian_store::orgs::{self, OrgRow};
use dangjian_store::positions::{self, NewPosition, PositionRow};
use serde::Serialize;

use crate::audit::{self, AuditAction, AuditEntity, Entry, Who};
use crate::members::record::parse_date;
use crate::{Actor, App, AppError, AppResult, RequestContext, orgs as org_cases};

/// A position as the node page and the API show it, with the state of its term.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PositionView {
    pub id: i64,
    pub org_id: i64,
    pub org_name: String,
    pub member_id: i64,
    pub member_name: String,
    /// secretary, deputy_secretary, organization_member, publicity_member, discipline_member,
    /// committee_member or group_leader.
    pub position: String,
    pub position_label: &'static str,
    #[schema(format = Date)]
    pub started_on: String,
    /// election (选举) or appointment (任命).
    pub obtained_by: String,
    #[schema(format = Date)]
    pub term_ends_on: Option<String>,
    /// 任期正常, 即将届满 (within 6 months) or 已届满.
    pub term_note: &'static str,
    #[schema(format = Date)]
    pub ended_on: Option<String>,
}

impl PositionView {
    fn from_row(row: &PositionRow, today: jiff::civil::Date) -> PositionView {
        let position = Position::from_code(&row.position);
        let note = match row
            .term_ends_on
            .as_deref()
            .and_then(parse_date)
            .map(|end| term_state(end, today))
        {
            Some(TermState::Expired { .. }) => "已届满，应按期换届",
            Some(TermState::EndingSoon { .. }) => "6 个月内届满，请筹备换届",
            _ => "",
        };
        PositionView {
            id: row.id,
            org_id: row.org_id,
            org_name: row.org_name.clone(),
            member_id: row.member_id,
            member_name: row.member_name.clone(),
            position: row.position.clone(),
            position_label: position.map(Position::label).unwrap_or(""),
            started_on: row.started_on.clone(),
            obtained_by: row.obtained_by.clone(),
            term_ends_on: row.term_ends_on.clone(),
            term_note: note,
            ended_on: row.ended_on.clone(),
        }
    }
}

/// The current committee and group leaders of a node itself (not of its subtree), 书记 first, then
/// 副书记, then the 委员, as a committee is named.
pub async fn current_positions(
    app: &App,
    actor: &Actor,
    org: OrgId,
) -> AppResult<Vec<PositionView>> {
    let (_, path) = org_cases::load(app, org).await?;
    actor.authorize(Action::ViewOrg, Scope::Org(&path))?;
    let mut handle = app.store.acquire().await?;
    let rows =
        positions::current_positions_in_subtree(handle.conn(), &SubtreeRange::of(&path)).await?;
    let mut held: Vec<&PositionRow> = rows.iter().filter(|r| r.org_id == org.0).collect();
    held.sort_by_key(|r| {
        let rank = Position::from_code(&r.position).map_or(usize::MAX, Position::precedence);
        (rank, r.started_on.clone(), r.id)
    });
    Ok(held
        .into_iter()
        .map(|row| PositionView::from_row(row, app.today()))
        .collect())
}

/// An appointment as the form gives it.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
pub struct AppointInput {
    pub member_id: i64,
    /// A position code or its Chinese name.
    pub position: String,
    /// YYYY-MM-DD.
    #[schema(format = Date)]
    pub started_on: String,
    /// election or appointment; empty: election.
    #[serde(default)]
    pub obtained_by: String,
}

/// Records that a member holds a position in a node; the term ends after the node's term years.
pub async fn appoint(
    app: &App,
    actor: &Actor,
    org: OrgId,
    input: &AppointInput,
    ctx: &RequestContext,
) -> AppResult<PositionView> {
    let (row, path) = org_cases::load(app, org).await?;
    actor.authorize(Action::ManageOrg, Scope::Org(&path))?;
    let kind = OrgKind::from_code(&row.kind).unwrap_or(OrgKind::Branch);
    let position = Position::from_code(input.position.trim())
        .or_else(|| Position::from_label(input.position.trim()))
        .ok_or_else(|| AppError::invalid("position", "请选择职务"))?;
    if (position == Position::GroupLeader) != (kind == OrgKind::Group) {
        return Err(AppError::invalid(
            "position",
            "党小组只设党小组长；党小组长只能设在党小组",
        ));
    }
    let started = parse_date(&input.started_on)
        .ok_or_else(|| AppError::invalid("started_on", "任职日期格式应为 2024-01-15"))?;
    if started > app.today() {
        return Err(AppError::invalid("started_on", "任职日期不能晚于今天"));
    }
    let obtained_by = match input.obtained_by.trim() {
        "" | "election" | "选举" => "election",
        "appointment" | "任命" => "appointment",
        _ => return Err(AppError::invalid("obtained_by", "产生方式应为选举或任命")),
    };
    let mut handle = app.store.acquire().await?;
    let member = members::member_by_id(handle.conn(), input.member_id)
        .await?
        .ok_or_else(|| AppError::invalid("member_id", "党员不存在"))?;
    drop(handle);
    let (_, member_path) =
        org_cases::load(app, OrgId(member.group_id.unwrap_or(member.branch_id))).await?;
    if !path.contains(&member_path) {
        return Err(AppError::invalid("member_id", "只能由本组织的党员担任"));
    }
    let years = row
        .term_years
        .and_then(|y| TermYears::new(u8::try_from(y).unwrap_or(0)).ok())
        .unwrap_or(TermYears::DEFAULT);
    let ends = term_end(started, years).to_string();
    let started = started.to_string();
    let mut tx = app.begin().await?;
    let new = NewPosition {
        org_id: row.id,
        member_id: member.id,
        position: position.code(),
        started_on: &started,
        obtained_by,
        term_ends_on: Some(&ends),
        now: app.now_micros(),
    };
    let id = positions::insert_position(tx.conn(), &new).await?;
    let entry = Entry::new(
        AuditAction::PositionStarted,
        AuditEntity::Position,
        id,
        format!("{} 任{}{}", member.name, row.name, position.label()),
    )
    .org(Some(OrgId(row.id)));
    audit::record(&mut tx, Who::from(actor), ctx, entry).await?;
    tx.commit().await?;
    let mut handle = app.store.acquire().await?;
    let rows = positions::positions_of_member(handle.conn(), member.id).await?;
    rows.iter()
        .find(|r| r.id == id)
        .map(|row| PositionView::from_row(row, app.today()))
        .ok_or(AppError::NotFound("职务"))
}

/// Ends a position today (a departure or the end of a term); the record stays.
pub async fn end_position(
    app: &App,
    actor: &Actor,
    org: OrgId,
    position_id: PositionId,
    ctx: &RequestContext,
) -> AppResult<()> {
    let current = current_positions(app, actor, org).await?;
    let held = current
        .iter()
        .find(|p| p.id == position_id.0)
        .ok_or(AppError::NotFound("职务"))?;
    let (_, path) = org_cases::load(app, org).await?;
    actor.authorize(Action::ManageOrg, Scope::Org(&path))?;
    let mut tx = app.begin().await?;
    positions::end_position(tx.conn(), position_id.0, &app.today().to_string()).await?;
    let entry = Entry::new(
        AuditAction::PositionEnded,
        AuditEntity::Position,
        position_id,
        format!("{} 不再担任{}", held.member_name, held.position_label),
    )
    .org(Some(org));
    audit::record(&mut tx, Who::from(actor), ctx, entry).await?;
    tx.commit().await?;
    Ok(())
}

/// The positions a member has held, newest first (for the profile's timeline).
/// Unauthorized: only for use cases that have authorized the caller on the member.
pub(crate) async fn positions_of_member(app: &App, member_id: i64) -> AppResult<Vec<PositionView>> {
    let mut handle = app.store.acquire().await?;
    Ok(positions::positions_of_member(handle.conn(), member_id)
        .await?
        .iter()
        .map(|row| PositionView::from_row(row, app.today()))
        .collect())
}

/// One finding of the health check, with the node it concerns and where to fix it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct HealthFinding {
    pub org_id: i64,
    pub org_name: String,
    pub code: &'static str,
    /// problem or warning.
    pub severity: &'static str,
    pub message: String,
    /// The rule it breaks, with its source.
    pub rule: &'static str,
    /// The page where it can be fixed.
    pub fix_href: String,
}

fn fix_href(org: &OrgRow, code: &str) -> String {
    match code {
        "members_without_group" => format!("/members?org_id={}&without_group=true", org.id),
        "members_in_dissolved_org" => format!("/members?org_id={}", org.id),
        _ => format!("/orgs/{}", org.id),
    }
}

/// The structure health check (组织体检) of a node's subtree.
pub async fn health_check(app: &App, actor: &Actor, root: OrgId) -> AppResult<Vec<HealthFinding>> {
    let (_, path) = org_cases::load(app, root).await?;
    actor.authorize(Action::ViewOrg, Scope::Org(&path))?;
    let range = SubtreeRange::of(&path);
    let mut handle = app.store.acquire().await?;
    let nodes = orgs::orgs_in_subtree(handle.conn(), &range).await?;
    let counts = orgs::member_counts_in_subtree(handle.conn(), &range).await?;
    let held = positions::current_positions_in_subtree(handle.conn(), &range).await?;
    drop(handle);

    let mut findings = Vec::new();
    let today = app.today();
    for node in nodes.iter().filter(|n| n.status != "dissolved") {
        let facts: Vec<Finding> = match OrgKind::from_code(&node.kind) {
            Some(OrgKind::Branch) => {
                let mine = counts.iter().filter(|c| c.branch_id == node.id);
                let (mut full, mut probationary, mut ungrouped) = (0u32, 0u32, 0u32);
                for count in mine {
                    let n = u32::try_from(count.members).unwrap_or(u32::MAX);
                    if count.category == "full" {
                        full += n
                    } else {
                        probationary += n
                    }
                    if count.group_id.is_none() {
                        ungrouped += n;
                    }
                }
                let seats: Vec<&PositionRow> =
                    held.iter().filter(|p| p.org_id == node.id).collect();
                let positions: Vec<Position> = seats
                    .iter()
                    .filter_map(|p| Position::from_code(&p.position))
                    .collect();
                let committee_people: HashSet<i64> = seats
                    .iter()
                    .filter(|p| {
                        Position::from_code(&p.position).is_some_and(Position::is_committee_seat)
                    })
                    .map(|p| p.member_id)
                    .collect();
                let has_committee = positions.iter().any(|p| {
                    !matches!(
                        p,
                        Position::Secretary | Position::DeputySecretary | Position::GroupLeader
                    )
                });
                let term_end = seats
                    .iter()
                    .find(|p| p.position == Position::Secretary.code())
                    .or(seats.first())
                    .and_then(|p| p.term_ends_on.as_deref())
                    .and_then(parse_date);
                let has_groups = nodes
                    .iter()
                    .any(|g| g.parent_id == Some(node.id) && g.status != "dissolved");
                let facts = BranchFacts {
                    full_members: full,
                    probationary_members: probationary,
                    is_joint: node.is_joint,
                    is_temporary: node.is_temporary,
                    units_in_joint: node.joint_units.and_then(|u| u32::try_from(u).ok()),
                    has_committee,
                    committee_size: has_committee
                        .then(|| u32::try_from(committee_people.len()).unwrap_or(0)),
                    positions,
                    has_groups,
                    members_without_group: if has_groups { ungrouped } else { 0 },
                    term_end,
                };
                check_branch(&facts, today)
            }
            Some(OrgKind::Group) => {
                let has_leader = held
                    .iter()
                    .any(|p| p.org_id == node.id && p.position == Position::GroupLeader.code());
                check_group(&GroupFacts { has_leader })
            }
            _ => Vec::new(),
        };
        findings.extend(facts.into_iter().map(|f| HealthFinding {
            org_id: node.id,
            org_name: node.name.clone(),
            code: f.code,
            severity: match f.severity {
                Severity::Problem => "problem",
                Severity::Warning => "warning",
            },
            message: f.message,
            rule: f.rule,
            fix_href: fix_href(node, f.code),
        }));
    }
    // Members still on the rolls of a dissolved branch or group are outside any organization.
    let dissolved: HashMap<i64, &OrgRow> = nodes
        .iter()
        .filter(|n| n.status == "dissolved")
        .map(|n| (n.id, n))
        .collect();
    for count in &counts {
        let holder = count
            .group_id
            .filter(|g| dissolved.contains_key(g))
            .unwrap_or(count.branch_id);
        if let Some(node) = dissolved.get(&holder) {
            findings.push(HealthFinding {
                org_id: node.id,
                org_name: node.name.clone(),
                code: "members_in_dissolved_org",
                severity: "problem",
                message: format!("已撤销的组织中仍有 {} 名党员，处于组织管理之外", count.members),
                rule: "《中国共产党章程》第八条：每个党员必须编入党的一个支部、小组或其他特定组织，参加党的组织生活",
                fix_href: fix_href(node, "members_in_dissolved_org"),
            });
        }
    }
    findings.sort_by_key(|f| (f.severity != "problem", f.org_id));
    Ok(findings)
}
