//! What the organization pages show beside the node itself: where it sits, what the caller may
//! do with it, where it may be moved, its positions and health findings. The pages and the API
//! both take it from here, so neither holds a permission rule of its own.

use dangjian_domain::OrgId;
use dangjian_domain::OrgKind;
use dangjian_domain::access::{Action, Scope};
use serde::Serialize;

use super::{OrgView, TreeNode, load, orgs_in_reach, tree};
use crate::members::{self, MemberQuery, MemberView};
use crate::structure::{self, HealthFinding, PositionView};
use crate::{Actor, App, AppError, AppResult, PageParams};

/// One node as its page shows it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OrgOverview {
    pub node: TreeNode,
    /// From the top the caller may see down to the parent.
    pub ancestors: Vec<OrgView>,
    pub children: Vec<TreeNode>,
    /// May edit, move, dissolve the node and appoint to its positions.
    pub can_manage: bool,
    /// May plan the node's organizational-life activities (a group leader for the group).
    pub can_plan: bool,
    /// Nodes the caller may move this one under (empty unless `can_manage`).
    pub move_targets: Vec<OrgView>,
    pub positions: Vec<PositionView>,
    pub findings: Vec<HealthFinding>,
    /// Members who may be appointed to a position (a branch's or group's own, for a manager).
    pub candidates: Vec<MemberView>,
}

/// Whether the caller may create a top-level organization.
pub fn may_create_top(actor: &Actor) -> bool {
    actor.grant.permits(Action::ManageOrg, Scope::Installation)
}

pub async fn overview(app: &App, actor: &Actor, id: OrgId) -> AppResult<OrgOverview> {
    let mut subtree = tree(app, actor, Some(id)).await?;
    if subtree.is_empty() {
        return Err(AppError::NotFound("组织"));
    }
    let node = subtree.remove(0);
    let org = node.org.clone();
    let visible = orgs_in_reach(app, actor, Action::ViewOrg).await?;
    let (_, path) = load(app, id).await?;
    let can_manage = actor.grant.permits(Action::ManageOrg, Scope::Org(&path));
    let can_plan = actor
        .grant
        .permits(Action::ManageActivities, Scope::Org(&path));
    let move_targets = if can_manage {
        targets_outside(app, actor, &org, &subtree).await?
    } else {
        Vec::new()
    };
    let candidates = if can_manage && matches!(org.kind, OrgKind::Branch | OrgKind::Group) {
        let query = MemberQuery {
            org_id: Some(id.0),
            status: Some("normal".into()),
            ..MemberQuery::default()
        };
        members::list_members(app, actor, &query, PageParams::new(Some(1), Some(200)))
            .await?
            .items
    } else {
        Vec::new()
    };
    Ok(OrgOverview {
        ancestors: ancestors_of(&visible, &org),
        positions: structure::current_positions(app, actor, id).await?,
        findings: structure::health_check(app, actor, id).await?,
        node,
        children: subtree,
        can_manage,
        can_plan,
        move_targets,
        candidates,
    })
}

/// The nodes the caller may move `id` under: not itself, not its present parent, not inside its
/// own subtree, not dissolved, and only where its kind may stand.
pub async fn move_targets(app: &App, actor: &Actor, id: OrgId) -> AppResult<Vec<OrgView>> {
    let (_, path) = load(app, id).await?;
    actor.authorize(Action::ManageOrg, Scope::Org(&path))?;
    let mut subtree = tree(app, actor, Some(id)).await?;
    if subtree.is_empty() {
        return Err(AppError::NotFound("组织"));
    }
    let node = subtree.remove(0);
    targets_outside(app, actor, &node.org, &subtree).await
}

async fn targets_outside(
    app: &App,
    actor: &Actor,
    org: &OrgView,
    below: &[TreeNode],
) -> AppResult<Vec<OrgView>> {
    Ok(orgs_in_reach(app, actor, Action::ManageOrg)
        .await?
        .into_iter()
        .filter(|t| {
            !t.dissolved
                && t.id != org.id
                && Some(t.id) != org.parent_id
                && org.kind.may_be_child_of(Some(t.kind))
        })
        .filter(|t| !below.iter().any(|s| s.org.id == t.id))
        .collect())
}

/// The node to edit, refused unless the caller may manage it.
pub async fn org_for_editing(app: &App, actor: &Actor, id: OrgId) -> AppResult<OrgView> {
    let (row, path) = load(app, id).await?;
    actor.authorize(Action::ManageOrg, Scope::Org(&path))?;
    Ok(OrgView::from_row(&row))
}

/// The parent a new node goes under (none: a top-level node), refused unless the caller may
/// create there.
pub async fn parent_for_new(
    app: &App,
    actor: &Actor,
    parent: Option<OrgId>,
) -> AppResult<Option<OrgView>> {
    match parent {
        Some(id) => {
            let (row, path) = load(app, id).await?;
            actor.authorize(Action::ManageOrg, Scope::Org(&path))?;
            Ok(Some(OrgView::from_row(&row)))
        }
        None => {
            actor.authorize(Action::ManageOrg, Scope::Installation)?;
            Ok(None)
        }
    }
}

fn ancestors_of(visible: &[OrgView], org: &OrgView) -> Vec<OrgView> {
    let mut chain = Vec::new();
    let mut parent = org.parent_id;
    while let Some(id) = parent {
        match visible.iter().find(|o| o.id == id) {
            Some(found) => {
                chain.push(found.clone());
                parent = found.parent_id;
            }
            None => break,
        }
    }
    chain.reverse();
    chain
}
