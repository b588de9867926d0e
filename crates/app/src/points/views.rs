//! The member's points card and the leaderboards, read from the maintained totals.

use dangjian_domain::MemberId;
use dangjian_domain::access::{Action, Scope};
use dangjian_domain::activity::Period;
use dangjian_domain::points::{Points, rank_with_ties};
use dangjian_domain::{OrgId, OrgKind, OrgPath};
use dangjian_store::points::ledger;
use dangjian_store::points::totals::{self, Among};
use dangjian_store::{Conn, SubtreeRange};
use serde::Serialize;

use super::{period_or_year, placement, rulebook};
use crate::{Actor, App, AppError, AppResult, orgs};

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct EntryView {
    pub id: i64,
    #[schema(format = Date)]
    pub occurred_on: String,
    pub item_code: String,
    pub item_name: String,
    pub points: i64,
    pub points_text: String,
    pub reason: String,
    pub approved_by: String,
    pub is_reversal: bool,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CardView {
    pub member_id: i64,
    pub member_name: String,
    pub period: String,
    pub period_label: String,
    /// The period's points in tenths, and as text.
    pub period_points: i64,
    pub period_points_text: String,
    /// The yearly base plus the year's points so far (RULES.md: base 100 a year).
    pub base_text: String,
    pub balance: i64,
    pub balance_text: String,
    pub group_rank: Option<i64>,
    pub group_size: i64,
    pub branch_rank: i64,
    pub branch_size: i64,
    pub entries: Vec<EntryView>,
    /// Whether the caller may reverse entries (an admin of the branch).
    pub can_reverse: bool,
}

/// Rank of `points` among `size` members of which the totals hold `rows`: members without a row
/// have 0 points, so a negative total also ranks below them.
async fn rank(
    conn: Conn<'_>,
    among: &Among,
    period: &str,
    points: i64,
    size: i64,
) -> AppResult<i64> {
    let (above, rows) = totals::above(conn, among, period, points).await?;
    let silent_above = if points < 0 { (size - rows).max(0) } else { 0 };
    Ok(1 + above + silent_above)
}

/// A member's points card for a period (this year by default). Members see their own; those who
/// may view the roster see the members in their reach.
pub async fn card(
    app: &App,
    actor: &Actor,
    member_id: Option<MemberId>,
    period: Option<&str>,
) -> AppResult<CardView> {
    let member_id = member_id
        .or(actor.member_id.map(MemberId))
        .ok_or(AppError::NotFound("本人的党员档案"))?;
    let period = period_or_year(period, app.today())?;
    let mut handle = app.store.acquire().await?;
    let p = placement(handle.conn(), member_id.0).await?;
    if actor.member_id != Some(member_id.0) {
        actor.authorize(Action::ViewMembers, Scope::Org(&p.node_path))?;
    }
    let key = period.key();
    let period_points = totals::member_total(handle.conn(), member_id.0, &key).await?;
    let year = period.first_day().year();
    let year_points =
        totals::member_total(handle.conn(), member_id.0, &Period::Year(year).key()).await?;
    let base = rulebook::in_force(
        handle.conn(),
        &p.node_path,
        period.last_day().min(app.today().max(period.first_day())),
    )
    .await?
    .base;
    let counts = dangjian_store::orgs::member_counts_in_subtree(
        handle.conn(),
        &SubtreeRange::of(&p.branch_path),
    )
    .await?;
    let branch_size: i64 = counts
        .iter()
        .filter(|c| c.branch_id == p.branch_id)
        .map(|c| c.members)
        .sum();
    let group_size: i64 = counts
        .iter()
        .filter(|c| c.group_id.is_some() && c.group_id == p.group_id)
        .map(|c| c.members)
        .sum();
    let branch_rank = rank(
        handle.conn(),
        &Among::Branch(p.branch_id),
        &key,
        period_points,
        branch_size,
    )
    .await?;
    let group_rank = match p.group_id {
        Some(g) => Some(
            rank(
                handle.conn(),
                &Among::Group(g),
                &key,
                period_points,
                group_size,
            )
            .await?,
        ),
        None => None,
    };
    let rows = ledger::entries_of_member(
        handle.conn(),
        member_id.0,
        &period.first_day().to_string(),
        &period.last_day().to_string(),
    )
    .await?;
    let balance = base + Points(year_points);
    Ok(CardView {
        member_id: member_id.0,
        member_name: p.name.clone(),
        period: key,
        period_label: period.label(),
        period_points,
        period_points_text: Points(period_points).plain(),
        base_text: base.plain(),
        balance: balance.0,
        balance_text: balance.plain(),
        group_rank,
        group_size,
        branch_rank,
        branch_size,
        entries: rows
            .into_iter()
            .filter(|e| e.points != 0 || e.reason.contains("上限"))
            .map(|e| EntryView {
                id: e.id,
                points_text: Points(e.points).signed(),
                occurred_on: e.occurred_on,
                item_code: e.item_code,
                item_name: e.item_name,
                points: e.points,
                reason: e.reason,
                approved_by: e.approved_by,
                is_reversal: e.reverses_entry_id.is_some(),
            })
            .collect(),
        can_reverse: actor
            .grant
            .permits(Action::ManagePoints, Scope::Org(&p.branch_path)),
    })
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Ranked {
    pub rank: i64,
    pub id: i64,
    pub name: String,
    /// Members: their points; groups and branches: the sum.
    pub points: i64,
    pub points_text: String,
    /// Groups and branches: members on the rolls and the average per member (tenths).
    pub members: Option<i64>,
    pub average: Option<i64>,
    pub average_text: Option<String>,
    /// Whether the caller may open this row: the member's card, or the node's points.
    pub can_open: bool,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Leaderboard {
    pub org_id: i64,
    pub org_name: String,
    pub period: String,
    pub period_label: String,
    /// members, groups or branches.
    pub of: String,
    pub rows: Vec<Ranked>,
}

/// Members see the boards of their own node, the nodes above it and those below it; others need
/// to view the node.
fn may_see_board(actor: &Actor, path: &OrgPath) -> bool {
    let own_line = actor
        .grant
        .org
        .as_ref()
        .is_some_and(|own| own.contains(path) || path.contains(own))
        && actor.member_id.is_some();
    own_line || actor.grant.permits(Action::ViewOrg, Scope::Org(path))
}

/// The top members, groups (by average per member) or branches (by average) of a node and period.
/// Ties share a rank. Members are read top-down from the totals' index, never sorted here.
pub async fn leaderboard(
    app: &App,
    actor: &Actor,
    org_id: OrgId,
    period: Option<&str>,
    of: &str,
    limit: Option<i64>,
) -> AppResult<Leaderboard> {
    let (org, path) = orgs::load(app, org_id).await?;
    if !may_see_board(actor, &path) {
        actor.authorize(Action::ViewOrg, Scope::Org(&path))?;
    }
    let period = period_or_year(period, app.today())?;
    let key = period.key();
    let limit = limit.unwrap_or(50).clamp(1, 500);
    let sees_every_card = actor.grant.permits(Action::ViewMembers, Scope::Org(&path));
    let mut handle = app.store.acquire().await?;
    let range = SubtreeRange::of(&path);
    let rows = match of {
        "members" | "" => {
            let among = match OrgKind::from_code(&org.kind) {
                Some(OrgKind::Group) => Among::Group(org_id.0),
                Some(OrgKind::Branch) => Among::Branch(org_id.0),
                _ => Among::Subtree(range),
            };
            let top = totals::top_members(handle.conn(), &among, &key, limit).await?;
            let scores: Vec<i64> = top.iter().map(|t| t.points).collect();
            top.into_iter()
                .zip(rank_with_ties(&scores))
                .map(|(t, rank)| Ranked {
                    rank,
                    id: t.member_id,
                    name: t.name,
                    points: t.points,
                    points_text: Points(t.points).plain(),
                    members: None,
                    average: None,
                    average_text: None,
                    can_open: sees_every_card || actor.member_id == Some(t.member_id),
                })
                .collect()
        }
        "groups" | "branches" => {
            let kind = if of == "groups" { "group" } else { "branch" };
            let mut nodes = totals::node_totals(handle.conn(), &range, kind, &key).await?;
            let avg = |points: i64, members: i64| if members > 0 { points / members } else { 0 };
            nodes.sort_by(|a, b| {
                avg(b.points, b.members)
                    .cmp(&avg(a.points, a.members))
                    .then(a.org_id.cmp(&b.org_id))
            });
            nodes.truncate(limit as usize);
            let scores: Vec<i64> = nodes.iter().map(|n| avg(n.points, n.members)).collect();
            nodes
                .into_iter()
                .zip(rank_with_ties(&scores))
                .map(|(n, rank)| Ranked {
                    rank,
                    id: n.org_id,
                    name: n.name,
                    points: n.points,
                    points_text: Points(n.points).plain(),
                    members: Some(n.members),
                    average: Some(avg(n.points, n.members)),
                    average_text: Some(Points(avg(n.points, n.members)).plain()),
                    can_open: OrgPath::parse(&n.path)
                        .is_some_and(|node| may_see_board(actor, &node)),
                })
                .collect()
        }
        _ => {
            return Err(AppError::invalid(
                "of",
                "排行对象须为 members、groups 或 branches",
            ));
        }
    };
    Ok(Leaderboard {
        org_id: org_id.0,
        org_name: org.name,
        period: key,
        period_label: period.label(),
        of: if of.is_empty() {
            "members".into()
        } else {
            of.into()
        },
        rows,
    })
}
