//! Organization nodes as the platform needs them: pickers and summaries within the actor's reach.
//! The organization issue builds the full tree management on top of this.

use dangjian_domain::access::Action;
use dangjian_domain::{OrgId, OrgKind, OrgPath};
use dangjian_store::orgs::{self, OrgRow};
use serde::Serialize;

use crate::{Actor, App, AppError, AppResult};

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OrgView {
    #[schema(value_type = i64)]
    pub id: OrgId,
    #[schema(value_type = Option<i64>)]
    pub parent_id: Option<OrgId>,
    /// committee, general_branch, branch or group.
    #[schema(value_type = String)]
    pub kind: OrgKind,
    pub kind_label: &'static str,
    pub name: String,
    /// 1 for a top-level node.
    pub depth: usize,
}

impl OrgView {
    pub(crate) fn from_row(row: &OrgRow) -> OrgView {
        let kind = OrgKind::from_code(&row.kind).unwrap_or(OrgKind::Branch);
        OrgView {
            id: OrgId(row.id),
            parent_id: row.parent_id.map(OrgId),
            kind,
            kind_label: kind.label(),
            name: row.name.clone(),
            depth: OrgPath::parse(&row.path).map(|p| p.depth()).unwrap_or(1),
        }
    }
}

/// The nodes the actor may take `action` on, in tree order (for pickers and the home page).
pub async fn orgs_in_reach(app: &App, actor: &Actor, action: Action) -> AppResult<Vec<OrgView>> {
    let reach = actor.reach(action)?;
    let mut handle = app.store.acquire().await?;
    let rows = match &reach {
        None => orgs::all_orgs(handle.conn()).await?,
        Some(range) => orgs::orgs_in_subtree(handle.conn(), range).await?,
    };
    Ok(rows.iter().map(OrgView::from_row).collect())
}

/// A node with its path, for use cases that authorize against it.
pub(crate) async fn load(app: &App, id: OrgId) -> AppResult<(OrgRow, OrgPath)> {
    let mut handle = app.store.acquire().await?;
    let row = orgs::org_by_id(handle.conn(), id.0)
        .await?
        .ok_or(AppError::NotFound("组织"))?;
    let path = OrgPath::parse(&row.path).ok_or(AppError::NotFound("组织"))?;
    Ok((row, path))
}
