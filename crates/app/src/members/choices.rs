//! Members as a form offers them for choosing (issue #14): found by name or pinyin initials, as
//! the roster search finds them, and only those the caller may choose. No form asks anyone to
//! type a member's internal number. The one `MemberChoice` every form's list of people uses (the
//! activity plan's host, recorder and speaker too).

use dangjian_domain::MemberId;
use dangjian_domain::{MemberStatus, OrgId};
use serde::Serialize;

use super::{MemberQuery, list_members, member_for};
use crate::{Actor, App, AppResult, PageParams};
use dangjian_domain::access::Action;

/// How many members one answer lists; a search narrows the rest.
pub const CHOICES_AT_ONCE: i64 = 30;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MemberChoice {
    pub id: i64,
    pub name: String,
    /// The member's group, or branch when in no group.
    pub org_name: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MemberChoices {
    pub choices: Vec<MemberChoice>,
    /// More members match than are listed.
    pub more: bool,
}

/// Active members of an organization's subtree matching `q` (name, pinyin initials or phone;
/// empty: everyone), by name; `selected`, if the caller may see it, comes first so a form shown
/// again keeps its choice.
pub async fn choices(
    app: &App,
    actor: &Actor,
    org_id: OrgId,
    q: &str,
    selected: Option<MemberId>,
) -> AppResult<MemberChoices> {
    let query = MemberQuery {
        org_id: Some(org_id.0),
        status: Some(MemberStatus::Normal.code().to_string()),
        q: Some(q.to_string()),
        ..MemberQuery::default()
    };
    let page = list_members(
        app,
        actor,
        &query,
        PageParams::new(Some(1), Some(CHOICES_AT_ONCE)),
    )
    .await?;
    let more = page.total > CHOICES_AT_ONCE;
    let mut choices: Vec<MemberChoice> = page.items.into_iter().map(MemberChoice::from).collect();
    if let Some(id) = selected
        && !choices.iter().any(|c| c.id == id.0)
        && let Ok(chosen) = choice(app, actor, id).await
    {
        choices.insert(0, chosen);
    }
    Ok(MemberChoices { choices, more })
}

/// One member as a choice, if the caller may see them.
pub async fn choice(app: &App, actor: &Actor, id: MemberId) -> AppResult<MemberChoice> {
    let (row, _) = member_for(app, actor, id.0, Action::ViewMembers).await?;
    Ok(MemberChoice::from(&row))
}

impl From<&dangjian_store::members::MemberRow> for MemberChoice {
    fn from(row: &dangjian_store::members::MemberRow) -> MemberChoice {
        MemberChoice {
            id: row.id,
            name: row.name.clone(),
            org_name: row
                .group_name
                .clone()
                .unwrap_or_else(|| row.branch_name.clone()),
        }
    }
}

impl From<super::MemberView> for MemberChoice {
    fn from(view: super::MemberView) -> MemberChoice {
        MemberChoice {
            id: view.id,
            name: view.name,
            org_name: view.group_name.unwrap_or(view.branch_name),
        }
    }
}
