use dangjian_domain::access::{Action, Grant, MemberStanding, Scope};
use dangjian_domain::{AccountId, MemberStatus, OrgId, OrgPath, Phone, Role};
use dangjian_store::SubtreeRange;
use dangjian_store::accounts::{self, AccountRow};

use crate::{App, AppError, AppResult};

/// Who is asking: a signed-in account with its role and the node the role is bound to.
#[derive(Debug, Clone)]
pub struct Actor {
    pub account_id: AccountId,
    pub name: String,
    pub phone: String,
    pub grant: Grant,
    pub org_id: Option<OrgId>,
    pub org_name: Option<String>,
    pub must_change_password: bool,
    pub credential: Credential,
    /// The member this account belongs to, when the account is a member's own (check-in, leave,
    /// make-up study and the member's own records go through it).
    pub member_id: Option<i64>,
}

/// How the actor proved who it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credential {
    /// A browser or app session; the value is the stored hash of the cookie.
    Session { token_hash: String },
    /// An API token issued by an administrator.
    ApiToken { token_id: i64 },
}

/// Where a request came from, for the audit log.
#[derive(Debug, Clone, Default)]
pub struct RequestContext {
    pub client_ip: String,
    pub request_id: String,
}

impl RequestContext {
    /// Writes made by an operator at the command line.
    pub fn command_line() -> RequestContext {
        RequestContext {
            client_ip: "命令行".into(),
            request_id: String::new(),
        }
    }
}

impl Actor {
    /// The actor an account stands for today. A member's own account follows the member
    /// ([`Grant::following_member`]): bound to their group or branch, a group leader while a
    /// 党小组长 position runs, and refused once the member has left the organization.
    pub(crate) async fn of_account(
        app: &App,
        row: &AccountRow,
        credential: Credential,
    ) -> AppResult<Actor> {
        let role = Role::from_code(&row.role).ok_or_else(|| {
            tracing::error!(account = row.id, role = %row.role, "account has an unknown role");
            AppError::forbidden()
        })?;
        let stored = Grant {
            role,
            org: row.org_path.as_deref().and_then(OrgPath::parse),
        };
        let mut actor = Actor {
            account_id: AccountId(row.id),
            name: row.name.clone(),
            phone: row.phone.clone(),
            grant: stored,
            org_id: row.org_id.map(OrgId),
            org_name: row.org_name.clone(),
            must_change_password: row.must_change_password,
            credential,
            member_id: row.member_id,
        };
        let Some(member_id) = row.member_id else {
            return Ok(actor);
        };
        let mut handle = app.store.acquire().await?;
        let standing =
            accounts::member_standing(handle.conn(), member_id, &app.today().to_string()).await?;
        drop(handle);
        let Some(standing) = standing else {
            return Ok(actor);
        };
        let (Some(placement_path), status) = (
            OrgPath::parse(&standing.placement_path),
            MemberStatus::from_code(&standing.status).unwrap_or(MemberStatus::Normal),
        ) else {
            return Ok(actor);
        };
        let led_group = match (standing.led_group_id, standing.led_group_path.as_deref()) {
            (Some(id), Some(path)) => OrgPath::parse(path).map(|path| (OrgId(id), path)),
            _ => None,
        };
        let member = MemberStanding {
            status,
            placement: (OrgId(standing.placement_id), placement_path),
            leads_group: led_group,
        };
        let (grant, bound_to) = actor
            .grant
            .clone()
            .following_member(actor.org_id, &member)
            .map_err(|status| {
                AppError::Forbidden(format!(
                    "您的党员档案状态为「{}」，账号已不能使用；如有疑问请联系党组织",
                    status.label()
                ))
            })?;
        if bound_to != actor.org_id {
            actor.org_name = if bound_to == standing.led_group_id.map(OrgId) {
                standing.led_group_name
            } else {
                Some(standing.placement_name)
            };
        }
        actor.grant = grant;
        actor.org_id = bound_to;
        Ok(actor)
    }

    pub fn role(&self) -> Role {
        self.grant.role
    }

    /// The organization the caller runs when their role may ever take `action` there: where
    /// their 待办 for that area comes from.
    pub fn own_org_for(&self, action: Action) -> Option<OrgId> {
        self.org_id.filter(|_| self.grant.may_ever(action))
    }

    /// The one gate every use case passes: refuses unless the grant permits the action on the scope.
    pub fn authorize(&self, action: Action, scope: Scope<'_>) -> AppResult<()> {
        if self.grant.permits(action, scope) {
            Ok(())
        } else {
            Err(AppError::forbidden())
        }
    }

    /// The widest scope the actor may take the action on: `None` for the whole installation.
    /// Use cases that list things filter by this range.
    pub fn reach(&self, action: Action) -> AppResult<Option<SubtreeRange>> {
        if self.grant.permits(action, Scope::Installation) {
            return Ok(None);
        }
        match &self.grant.org {
            Some(own) if self.grant.permits(action, Scope::Org(own)) => {
                Ok(Some(SubtreeRange::of(own)))
            }
            _ => Err(AppError::forbidden()),
        }
    }

    /// The phone as lists show it to others.
    pub fn masked_phone(&self) -> String {
        Phone::parse(&self.phone)
            .map(|p| p.masked())
            .unwrap_or_else(|_| self.phone.clone())
    }
}
