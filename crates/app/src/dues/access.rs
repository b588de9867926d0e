//! Who may see and change whose dues: the roster's rules (`ViewMembers`, `ManageMembers` on the
//! member's group or branch), and every member may see their own.

use dangjian_domain::access::{Action, Scope};
use dangjian_domain::{OrgId, OrgPath};
use dangjian_store::accounts;
use dangjian_store::dues::sheet::{self, DuesMember};

use crate::{Actor, App, AppError, AppResult, orgs};

/// The member and the path of the node they sit in, if the actor may take `action` on them.
pub(crate) async fn member_for(
    app: &App,
    actor: &Actor,
    member_id: i64,
    action: Action,
) -> AppResult<(DuesMember, OrgPath)> {
    let mut handle = app.store.acquire().await?;
    let member = sheet::dues_member(handle.conn(), member_id)
        .await?
        .ok_or(AppError::NotFound("党员"))?;
    drop(handle);
    let path = orgs::path_of(app, OrgId(member.group_id.unwrap_or(member.branch_id))).await?;
    if action == Action::ViewMembers && own_member_id(app, actor).await? == Some(member_id) {
        return Ok((member, path));
    }
    actor.authorize(action, Scope::Org(&path))?;
    Ok((member, path))
}

/// The member record the actor's account belongs to, if any.
pub async fn own_member_id(app: &App, actor: &Actor) -> AppResult<Option<i64>> {
    let mut handle = app.store.acquire().await?;
    Ok(accounts::account_by_id(handle.conn(), actor.account_id.0)
        .await?
        .and_then(|a| a.member_id))
}

/// Whether the actor may change this member's dues records.
pub(crate) fn may_manage(actor: &Actor, path: &OrgPath) -> bool {
    actor.grant.permits(Action::ManageDues, Scope::Org(path))
}
