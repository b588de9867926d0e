//! What a node's points page shows, composed once here so that the page only renders it: the
//! leaderboard, proposals, rules, 争先创优 and 民主评议, and what the caller may open or do.

use dangjian_domain::OrgId;
use dangjian_domain::OrgKind;
use dangjian_domain::access::{Action, Scope};

use super::awards::{self, AwardSummary};
use super::bulletin;
use super::evaluation::{self, CampaignSummary};
use super::proposals::{self, ProposalView};
use super::rulebook::{self, RulebookView};
use super::views::{self, Leaderboard};
use crate::{Actor, App, AppError, AppResult, orgs};

pub struct NodePoints {
    pub board: Leaderboard,
    pub proposals: Vec<ProposalView>,
    pub rules: RulebookView,
    pub awards: Vec<AwardSummary>,
    /// 民主评议 is held by a branch; other nodes have no such section.
    pub is_branch: bool,
    pub campaigns: Vec<CampaignSummary>,
    pub this_year: i16,
    /// The bulletin the page links to: of the period shown when one was chosen, else last month's.
    pub bulletin_period: String,
    /// The node's own page and its 效能考核: for those who may view the node.
    pub can_open_node: bool,
    /// The bulletin: for those who may view the node, and its members once it is published.
    pub can_read_bulletin: bool,
    /// Proposals are listed to those who may view the node's members.
    pub can_see_proposals: bool,
    pub can_see_awards: bool,
    pub can_propose: bool,
}

/// A node's points page for a period (this year by default) and a board of members, groups or
/// branches. Sections the caller may not see come back empty with their flag off.
pub async fn node_points(
    app: &App,
    actor: &Actor,
    org_id: OrgId,
    period: Option<&str>,
    of: &str,
    limit: Option<i64>,
) -> AppResult<NodePoints> {
    let board = views::leaderboard(app, actor, org_id, period, of, limit).await?;
    let (org, path) = orgs::load(app, org_id).await?;
    let bulletin_period = bulletin::period_or_last_month(period, app.today())?.key();
    let can_open_node = actor.grant.permits(Action::ViewOrg, Scope::Org(&path));
    let can_see_proposals = actor.grant.permits(Action::ViewMembers, Scope::Org(&path));
    let is_branch = OrgKind::from_code(&org.kind) == Some(OrgKind::Branch);
    Ok(NodePoints {
        proposals: if can_see_proposals {
            proposals::list(app, actor, org_id).await?
        } else {
            Vec::new()
        },
        rules: rulebook::rulebook(app, actor, org_id, None).await?,
        awards: if can_open_node {
            awards::campaigns(app, actor, org_id).await?
        } else {
            Vec::new()
        },
        campaigns: if is_branch {
            unless_forbidden(evaluation::campaigns(app, actor, org_id).await)?
        } else {
            Vec::new()
        },
        is_branch,
        this_year: app.today().year(),
        can_open_node,
        can_read_bulletin: bulletin::may_read(app, actor, &path, org_id.0, &bulletin_period)
            .await?,
        bulletin_period,
        can_see_proposals,
        can_see_awards: can_open_node,
        can_propose: proposals::may_propose(actor),
        board,
    })
}

/// A section the caller takes no part in is empty, not an error; any other failure is one.
fn unless_forbidden<T: Default>(result: AppResult<T>) -> AppResult<T> {
    match result {
        Err(AppError::Forbidden(_)) => Ok(T::default()),
        other => other,
    }
}
