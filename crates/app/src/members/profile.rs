//! A member's profile page and API answer in one use case: the record, its history, and what the
//! caller may do with it, so no page decides permissions itself.

use dangjian_domain::MemberId;
use dangjian_domain::OrgId;
use dangjian_domain::access::{Action, Scope};
use serde::Serialize;

use super::{MemberView, member_for, timeline};
use crate::accounts::roster::{LinkedAccount, linked_account};
use crate::structure::{self, PositionView};
use crate::transfers::{self, TransferView};
use crate::{Actor, App, AppResult, orgs};

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MemberProfile {
    pub member: MemberView,
    /// Dated events of the member's record, oldest first: (date, what happened).
    pub timeline: Vec<(String, String)>,
    pub transfers: Vec<TransferView>,
    pub positions: Vec<PositionView>,
    /// May edit the record, transfer the member, record dues.
    pub can_manage: bool,
    /// May open the branch's roster (a group leader sees their group only).
    pub can_open_branch: bool,
    /// May reveal the full ID number (audited) and sees the full phone number.
    pub can_reveal: bool,
    /// May open, link or unlink the member's account.
    pub can_manage_account: bool,
    /// The account the member signs in with; shown to those who manage accounts.
    pub account: Option<LinkedAccount>,
}

pub async fn profile(app: &App, actor: &Actor, id: MemberId) -> AppResult<MemberProfile> {
    let (row, path) = member_for(app, actor, id.0, Action::ViewMembers).await?;
    let can_reveal = actor
        .grant
        .permits(Action::ViewPersonalData, Scope::Org(&path));
    let can_manage_account = actor
        .grant
        .permits(Action::ManageAccounts, Scope::Org(&path));
    let account = if can_manage_account {
        linked_account(app, id.0).await?
    } else {
        None
    };
    let branch_path = orgs::path_of(app, OrgId(row.branch_id)).await?;
    Ok(MemberProfile {
        can_open_branch: actor
            .grant
            .permits(Action::ViewMembers, Scope::Org(&branch_path)),
        member: MemberView::from_row(&row, can_reveal, app.today()),
        timeline: timeline(app, actor, id).await?,
        transfers: transfers::transfers_of_member(app, actor, id).await?,
        positions: structure::positions_of_member(app, id.0).await?,
        can_manage: actor
            .grant
            .permits(Action::ManageMembers, Scope::Org(&path)),
        can_reveal,
        can_manage_account,
        account,
    })
}

/// Whether the caller manages members anywhere (the roster shows the add and import actions).
pub fn may_manage_any(actor: &Actor) -> bool {
    actor.grant.may_ever(Action::ManageMembers)
}

/// Refuses a caller who may not add members anywhere (the empty member and transfer-in forms).
pub fn ensure_may_add(actor: &Actor) -> AppResult<()> {
    actor.reach(Action::ManageMembers).map(|_| ())
}
