//! Who may do what where: the one authorization rule every use case asks.
//! Roles are bound to a node of the organization tree and reach its whole subtree (issue #2).

use crate::OrgPath;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::OrgId;

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
}
