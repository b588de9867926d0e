//! Who may do what where: the one authorization rule every use case asks.
//! Roles are bound to a node of the organization tree and reach its whole subtree (issue #2).

use crate::{MemberStatus, OrgId, OrgPath};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 系统管理员: the whole installation.
    SystemAdmin,
    /// 组织管理员: a committee, general branch or branch (its secretary or a committee member),
    /// managing that node's whole subtree.
    OrgAdmin,
    /// 党小组长: a Party group.
    GroupLeader,
    /// 党员: own records and what the branch publishes.
    Member,
}

impl Role {
    pub const ALL: [Role; 4] = [
        Role::SystemAdmin,
        Role::OrgAdmin,
        Role::GroupLeader,
        Role::Member,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Role::SystemAdmin => "系统管理员",
            Role::OrgAdmin => "组织管理员",
            Role::GroupLeader => "党小组长",
            Role::Member => "党员",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Role::SystemAdmin => "system_admin",
            Role::OrgAdmin => "org_admin",
            Role::GroupLeader => "group_leader",
            Role::Member => "member",
        }
    }

    pub fn from_code(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|role| role.code() == code)
    }

    /// Whether this role is bound to an organization node (all but the system administrator).
    pub fn needs_org(self) -> bool {
        self != Role::SystemAdmin
    }

    /// The roles a holder of this role may hand out, inside its own scope.
    pub fn may_grant(self, other: Role) -> bool {
        match self {
            Role::SystemAdmin => true,
            Role::OrgAdmin => other != Role::SystemAdmin,
            Role::GroupLeader | Role::Member => false,
        }
    }
}

/// What an action is aimed at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope<'a> {
    /// The installation as a whole (e.g. everything in the audit log, accounts with no node).
    Installation,
    /// One organization node and what lies below it.
    Org(&'a OrgPath),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// See an organization node and its summary.
    ViewOrg,
    /// Create, edit, move, dissolve organization nodes; appoint positions.
    ManageOrg,
    /// See the roster (with ID numbers and phones masked).
    ViewMembers,
    /// Add and edit members, transfer them, import rosters.
    ManageMembers,
    /// See ID numbers and phones unmasked (each unmasked view of an ID number is audited).
    ViewPersonalData,
    /// Create, edit and reset passwords of accounts; unlock them.
    ManageAccounts,
    /// Issue and revoke API tokens.
    ManageApiTokens,
    /// Browse the audit log.
    ViewAudit,
    /// Plan organizational-life activities, run their check-in, attendance and minutes (a group
    /// leader for the group's own meetings).
    ManageActivities,
    /// Approve or return the activity plans of the nodes below (报备审批).
    ApproveActivities,
    /// Record dues bases, reliefs and payments, open sheets, import and export them, set the
    /// farmers' amount (党费).
    ManageDues,
    /// Change points rules, approve or reverse points, publish bulletins (积分管理).
    ManagePoints,
    /// Run 民主评议, 争先创优 and 效能考核: campaigns, decisions, notices and weights.
    ManageAssessments,
    /// Register applicants and record the steps of member development (发展党员).
    ManageDevelopment,
}

/// The caller's grant: a role and, for all but the system administrator, the node it is bound to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    pub role: Role,
    pub org: Option<OrgPath>,
}

impl Grant {
    /// The one authorization rule: a role may take an action on a scope when the role allows the
    /// action and the scope lies within the node the role is bound to.
    pub fn permits(&self, action: Action, scope: Scope<'_>) -> bool {
        if self.role == Role::SystemAdmin {
            return true;
        }
        let role_allows = match self.role {
            Role::SystemAdmin => true,
            Role::OrgAdmin => true,
            Role::GroupLeader => matches!(
                action,
                Action::ViewOrg | Action::ViewMembers | Action::ManageActivities
            ),
            Role::Member => false,
        };
        let within = match (scope, &self.org) {
            (Scope::Org(target), Some(own)) => own.contains(target),
            _ => false,
        };
        role_allows && within
    }

    /// Whether the role may take the action anywhere at all (what the navigation offers).
    pub fn may_ever(&self, action: Action) -> bool {
        match &self.org {
            Some(own) => self.permits(action, Scope::Org(own)),
            None => self.permits(action, Scope::Installation),
        }
    }
}

/// Where the member behind an account stands on a given day. A member's own account follows it:
/// the account signs in only while the member belongs to the organization, is bound to the
/// member's group (or branch), and carries the group leader's reach from the day a 党小组长
/// position starts until it ends (issue #14).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberStanding {
    pub status: MemberStatus,
    /// The member's group, or their branch when they are in no group.
    pub placement: (OrgId, OrgPath),
    /// The group the member leads that day, if any.
    pub leads_group: Option<(OrgId, OrgPath)>,
}

impl Grant {
    /// The grant an account linked to a member has today, with the node it is bound to; `Err`
    /// with the member's status when that status ends the account's access. Administrator roles
    /// were given by hand and stay where they were given; the member and group-leader roles
    /// follow the member's placement and positions.
    pub fn following_member(
        self,
        bound_to: Option<OrgId>,
        member: &MemberStanding,
    ) -> Result<(Grant, Option<OrgId>), MemberStatus> {
        if !member.status.is_active() {
            return Err(member.status);
        }
        Ok(match self.role {
            Role::SystemAdmin | Role::OrgAdmin => (self, bound_to),
            Role::GroupLeader | Role::Member => {
                let (role, (org_id, path)) = match &member.leads_group {
                    Some(group) => (Role::GroupLeader, group.clone()),
                    None => (Role::Member, member.placement.clone()),
                };
                (
                    Grant {
                        role,
                        org: Some(path),
                    },
                    Some(org_id),
                )
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(ids: &[i64]) -> OrgPath {
        let mut p = OrgPath::root(OrgId(ids[0]));
        for id in &ids[1..] {
            p = p.child(OrgId(*id));
        }
        p
    }

    #[test]
    fn system_admin_may_do_everything_everywhere() {
        let admin = Grant {
            role: Role::SystemAdmin,
            org: None,
        };
        assert!(admin.permits(Action::ViewAudit, Scope::Installation));
        assert!(admin.permits(Action::ManageAccounts, Scope::Org(&path(&[1, 2]))));
    }

    #[test]
    fn org_admin_reaches_its_subtree_only() {
        let secretary = Grant {
            role: Role::OrgAdmin,
            org: Some(path(&[1, 2])),
        };
        assert!(secretary.permits(Action::ManageAccounts, Scope::Org(&path(&[1, 2]))));
        assert!(secretary.permits(Action::ViewAudit, Scope::Org(&path(&[1, 2, 3]))));
        assert!(!secretary.permits(Action::ManageAccounts, Scope::Org(&path(&[1]))));
        assert!(!secretary.permits(Action::ManageAccounts, Scope::Org(&path(&[1, 20]))));
        assert!(!secretary.permits(Action::ViewAudit, Scope::Installation));
    }

    #[test]
    fn group_leader_and_member_manage_nothing() {
        let leader = Grant {
            role: Role::GroupLeader,
            org: Some(path(&[1, 2, 3])),
        };
        assert!(leader.permits(Action::ViewOrg, Scope::Org(&path(&[1, 2, 3]))));
        assert!(!leader.permits(Action::ViewOrg, Scope::Org(&path(&[1, 2]))));
        assert!(!leader.permits(Action::ManageAccounts, Scope::Org(&path(&[1, 2, 3]))));
        assert!(leader.permits(Action::ViewMembers, Scope::Org(&path(&[1, 2, 3]))));
        assert!(!leader.permits(Action::ViewPersonalData, Scope::Org(&path(&[1, 2, 3]))));
        assert!(!leader.permits(Action::ManageMembers, Scope::Org(&path(&[1, 2, 3]))));
        assert!(leader.permits(Action::ManageActivities, Scope::Org(&path(&[1, 2, 3]))));
        assert!(!leader.permits(Action::ApproveActivities, Scope::Org(&path(&[1, 2, 3]))));
        let member = Grant {
            role: Role::Member,
            org: Some(path(&[1, 2])),
        };
        for action in [
            Action::ViewOrg,
            Action::ManageAccounts,
            Action::ManageApiTokens,
            Action::ViewAudit,
        ] {
            assert!(!member.may_ever(action), "{action:?}");
        }
    }

    /// Each area's own management action: the secretary within the subtree, nobody else below.
    #[test]
    fn area_actions_belong_to_the_secretary_of_the_subtree() {
        let secretary = Grant {
            role: Role::OrgAdmin,
            org: Some(path(&[1, 2])),
        };
        let leader = Grant {
            role: Role::GroupLeader,
            org: Some(path(&[1, 2, 3])),
        };
        let member = Grant {
            role: Role::Member,
            org: Some(path(&[1, 2, 3])),
        };
        for action in [
            Action::ManageDues,
            Action::ManagePoints,
            Action::ManageAssessments,
            Action::ManageDevelopment,
        ] {
            assert!(
                secretary.permits(action, Scope::Org(&path(&[1, 2, 3]))),
                "{action:?}"
            );
            assert!(
                !secretary.permits(action, Scope::Org(&path(&[1]))),
                "{action:?}"
            );
            assert!(!leader.may_ever(action), "{action:?}");
            assert!(!member.may_ever(action), "{action:?}");
        }
    }

    #[test]
    fn granting_roles() {
        assert!(Role::SystemAdmin.may_grant(Role::SystemAdmin));
        assert!(Role::OrgAdmin.may_grant(Role::OrgAdmin));
        assert!(!Role::OrgAdmin.may_grant(Role::SystemAdmin));
        assert!(!Role::Member.may_grant(Role::Member));
        for role in Role::ALL {
            assert_eq!(Role::from_code(role.code()), Some(role));
        }
    }

    fn standing(status: MemberStatus, leads: Option<&[i64]>) -> MemberStanding {
        MemberStanding {
            status,
            placement: (OrgId(3), path(&[1, 2, 3])),
            leads_group: leads.map(|ids| (OrgId(*ids.last().unwrap_or(&0)), path(ids))),
        }
    }

    #[test]
    fn a_member_account_follows_placement_and_positions() {
        let stored = Grant {
            role: Role::Member,
            org: Some(path(&[1, 2, 9])),
        };
        let (grant, bound) = stored
            .clone()
            .following_member(Some(OrgId(9)), &standing(MemberStatus::Normal, None))
            .expect("normal member signs in");
        assert_eq!((grant.role, bound), (Role::Member, Some(OrgId(3))));
        assert_eq!(grant.org, Some(path(&[1, 2, 3])));

        let (leader, bound) = stored
            .clone()
            .following_member(
                Some(OrgId(9)),
                &standing(MemberStatus::Lost, Some(&[1, 2, 4])),
            )
            .expect("a lost member is still a member");
        assert_eq!((leader.role, bound), (Role::GroupLeader, Some(OrgId(4))));
        assert!(leader.permits(Action::ManageActivities, Scope::Org(&path(&[1, 2, 4]))));

        let former_leader = Grant {
            role: Role::GroupLeader,
            org: Some(path(&[1, 2, 4])),
        };
        let (grant, _) = former_leader
            .following_member(Some(OrgId(4)), &standing(MemberStatus::Normal, None))
            .expect("signs in");
        assert_eq!(grant.role, Role::Member);
    }

    #[test]
    fn leaving_the_organization_ends_access_but_admin_roles_stay_put() {
        let stored = Grant {
            role: Role::Member,
            org: Some(path(&[1, 2, 3])),
        };
        for status in [
            MemberStatus::Suspended,
            MemberStatus::Left,
            MemberStatus::Deceased,
            MemberStatus::TransferredOut,
        ] {
            assert_eq!(
                stored
                    .clone()
                    .following_member(Some(OrgId(3)), &standing(status, None)),
                Err(status)
            );
        }
        let secretary = Grant {
            role: Role::OrgAdmin,
            org: Some(path(&[1, 2])),
        };
        let kept = secretary
            .clone()
            .following_member(
                Some(OrgId(2)),
                &standing(MemberStatus::Normal, Some(&[1, 2, 4])),
            )
            .expect("signs in");
        assert_eq!(kept, (secretary, Some(OrgId(2))));
    }
}
