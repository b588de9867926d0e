use dangjian_domain::access::{Action, Grant, Scope};
use dangjian_domain::{AccountId, OrgId, OrgPath, Phone, Role};
use dangjian_store::SubtreeRange;
use dangjian_store::accounts::AccountRow;

use crate::{AppError, AppResult};

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
    pub(crate) fn from_row(row: &AccountRow, credential: Credential) -> AppResult<Actor> {
        let role = Role::from_code(&row.role).ok_or_else(|| {
            tracing::error!(account = row.id, role = %row.role, "account has an unknown role");
            AppError::forbidden()
        })?;
        let org = row.org_path.as_deref().and_then(OrgPath::parse);
        Ok(Actor {
            account_id: AccountId(row.id),
            name: row.name.clone(),
            phone: row.phone.clone(),
            grant: Grant { role, org },
            org_id: row.org_id.map(OrgId),
            org_name: row.org_name.clone(),
            must_change_password: row.must_change_password,
            credential,
            member_id: row.member_id,
        })
    }

    pub fn role(&self) -> Role {
        self.grant.role
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
