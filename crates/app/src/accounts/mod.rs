//! Accounts managed by administrators: create, list, reset password, unlock; and the operator's
//! `admin create` from the command line.

pub mod roster;

use dangjian_domain::access::{Action, Scope};
use dangjian_domain::password::check_new_password;
use dangjian_domain::time::{display_minute, from_micros, to_micros};
use dangjian_domain::{AccountId, OrgId, OrgKind, Phone, Role, login};
use dangjian_store::accounts::{self, AccountRow, NewAccount};
use dangjian_store::{StoreError, sessions, tokens};
use serde::Serialize;

use crate::audit::{self, AuditAction, AuditEntity, Entry, Who};
use crate::secrets::{hash_password, temporary_password};
use crate::{Actor, App, AppError, AppResult, Page, PageParams, RequestContext, orgs};

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AccountView {
    #[schema(value_type = i64)]
    pub id: AccountId,
    pub phone: String,
    pub name: String,
    /// system_admin, org_admin, group_leader or member.
    #[schema(value_type = String)]
    pub role: Role,
    pub role_label: &'static str,
    #[schema(value_type = Option<i64>)]
    pub org_id: Option<OrgId>,
    pub org_name: Option<String>,
    pub locked: bool,
    pub must_change_password: bool,
    #[schema(pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}$")]
    pub created_at: String,
    /// The reset button: not on one's own account (that is 修改密码, which asks the old one).
    pub can_reset_password: bool,
}

impl AccountView {
    fn from_row(row: &AccountRow, now: jiff::Timestamp) -> AccountView {
        let role = Role::from_code(&row.role).unwrap_or(Role::Member);
        AccountView {
            id: AccountId(row.id),
            phone: row.phone.clone(),
            name: row.name.clone(),
            role,
            role_label: role.label(),
            org_id: row.org_id.map(OrgId),
            org_name: row.org_name.clone(),
            locked: login::is_locked(row.locked_until.map(from_micros), now),
            must_change_password: row.must_change_password,
            created_at: display_minute(from_micros(row.created_at)),
            can_reset_password: true,
        }
    }

    /// The view as `actor` sees it in the accounts list.
    fn seen_by(mut self, actor: &Actor) -> AccountView {
        self.can_reset_password = self.id != actor.account_id;
        self
    }
}

/// A new account as the administrator's form submits it.
#[derive(Debug, Clone)]
pub struct NewAccountInput {
    pub phone: String,
    pub name: String,
    pub role: String,
    pub org_id: Option<i64>,
    /// Empty: a temporary password is generated and shown once.
    pub password: Option<String>,
}

/// The account created and the password to hand over (the user must change it at first login).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CreatedAccount {
    pub account: AccountView,
    pub initial_password: String,
}

fn check_name(name: &str) -> AppResult<String> {
    AppError::check_name("name", "姓名", name, 50)
}

/// Which node kinds each role may be bound to.
fn role_fits_kind(role: Role, kind: OrgKind) -> bool {
    match role {
        Role::SystemAdmin => false,
        Role::OrgAdmin => kind != OrgKind::Group,
        Role::GroupLeader => kind == OrgKind::Group,
        Role::Member => matches!(kind, OrgKind::Branch | OrgKind::Group),
    }
}

pub async fn create_account(
    app: &App,
    actor: &Actor,
    input: &NewAccountInput,
    ctx: &RequestContext,
) -> AppResult<CreatedAccount> {
    let phone =
        Phone::parse(&input.phone).map_err(|e| AppError::invalid("phone", e.to_string()))?;
    let name = check_name(&input.name)?;
    let role =
        Role::from_code(&input.role).ok_or_else(|| AppError::invalid("role", "请选择角色"))?;
    if !actor.role().may_grant(role) {
        return Err(AppError::Forbidden(format!(
            "您不能创建「{}」账号",
            role.label()
        )));
    }
    let org = match (role.needs_org(), input.org_id) {
        (false, _) => {
            actor.authorize(Action::ManageAccounts, Scope::Installation)?;
            None
        }
        (true, None) => return Err(AppError::invalid("org_id", "请选择所属组织")),
        (true, Some(id)) => {
            let (org, path) = orgs::load(app, OrgId(id)).await.map_err(|e| match e {
                AppError::NotFound(_) => AppError::invalid("org_id", "所选组织不存在"),
                other => other,
            })?;
            actor.authorize(Action::ManageAccounts, Scope::Org(&path))?;
            let kind = OrgKind::from_code(&org.kind).unwrap_or(OrgKind::Branch);
            if !role_fits_kind(role, kind) {
                return Err(AppError::invalid(
                    "org_id",
                    format!("「{}」不能设在{}上", role.label(), kind.label()),
                ));
            }
            Some(org)
        }
    };
    let org_id = org.as_ref().map(|o| o.id);
    let initial_password = match input
        .password
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        Some(given) => {
            check_new_password(given).map_err(|e| AppError::invalid("password", e.to_string()))?;
            given.to_string()
        }
        None => temporary_password(),
    };
    let hash = hash_password(initial_password.clone()).await?;
    let now = to_micros(app.now());
    let mut tx = app.begin().await?;
    let new = NewAccount {
        phone: phone.as_str(),
        name: &name,
        password_hash: &hash,
        role: role.code(),
        org_id,
        must_change_password: true,
        member_id: None,
        now,
    };
    let id = accounts::insert_account(tx.conn(), &new)
        .await
        .map_err(duplicate_phone)?;
    let entry = Entry::new(
        AuditAction::AccountCreated,
        AuditEntity::Account,
        id,
        format!("创建{}账号：{name}（{}）", role.label(), phone.masked()),
    )
    .org(org_id.map(OrgId))
    .change(
        None,
        Some(format!(
            "角色={}，组织={}",
            role.label(),
            org.as_ref().map_or("全系统", |o| o.name.as_str())
        )),
    );
    audit::record(&mut tx, Who::from(actor), ctx, entry).await?;
    let row = accounts::account_by_id(tx.conn(), id)
        .await?
        .ok_or(AppError::NotFound("账号"))?;
    tx.commit().await?;
    Ok(CreatedAccount {
        account: AccountView::from_row(&row, app.now()),
        initial_password,
    })
}

fn duplicate_phone(error: StoreError) -> AppError {
    match error {
        StoreError::Duplicate(_) => AppError::Conflict("该手机号已有账号".into()),
        other => other.into(),
    }
}

/// The accounts the actor manages, filtered by a name or phone fragment.
pub async fn list_accounts(
    app: &App,
    actor: &Actor,
    search: Option<&str>,
    page: PageParams,
) -> AppResult<Page<AccountView>> {
    let reach = actor.reach(Action::ManageAccounts)?;
    let pattern = search
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(dangjian_store::contains_pattern);
    let mut handle = app.store.acquire().await?;
    let (rows, total) = accounts::accounts_in_scope(
        handle.conn(),
        reach.as_ref(),
        pattern.as_deref(),
        page.request(),
    )
    .await?;
    Ok(page.wrap(
        rows.iter()
            .map(|row| AccountView::from_row(row, app.now()).seen_by(actor))
            .collect(),
        total,
    ))
}

/// Loads an account the actor may manage, or refuses.
async fn managed_account(app: &App, actor: &Actor, id: AccountId) -> AppResult<AccountRow> {
    let mut handle = app.store.acquire().await?;
    let row = accounts::account_by_id(handle.conn(), id.0)
        .await?
        .ok_or(AppError::NotFound("账号"))?;
    let path = row
        .org_path
        .as_deref()
        .and_then(dangjian_domain::OrgPath::parse);
    match &path {
        Some(path) => actor.authorize(Action::ManageAccounts, Scope::Org(path))?,
        None => actor.authorize(Action::ManageAccounts, Scope::Installation)?,
    }
    let role = Role::from_code(&row.role).unwrap_or(Role::Member);
    if !actor.role().may_grant(role) {
        return Err(AppError::Forbidden(format!(
            "您不能管理「{}」账号",
            role.label()
        )));
    }
    Ok(row)
}

pub async fn get_account(app: &App, actor: &Actor, id: AccountId) -> AppResult<AccountView> {
    Ok(AccountView::from_row(&managed_account(app, actor, id).await?, app.now()).seen_by(actor))
}

/// Sets a temporary password the user must change at the next login, ends the account's sessions,
/// revokes its API tokens and lifts any lock. Returns the temporary password to hand over.
///
/// A reset is what an administrator does for someone who lost their password, or whose account
/// may be in other hands: every credential the old password let anyone obtain stops working. Not
/// for one's own account: that is a password change, which asks for the current password (a
/// session left open on a shared computer must not be enough to take the account over).
pub async fn reset_password(
    app: &App,
    actor: &Actor,
    id: AccountId,
    ctx: &RequestContext,
) -> AppResult<String> {
    let row = managed_account(app, actor, id).await?;
    if id == actor.account_id {
        return Err(AppError::Forbidden(
            "不能重置自己的密码，请在「修改密码」中输入原密码后修改".into(),
        ));
    }
    let password = temporary_password();
    let hash = hash_password(password.clone()).await?;
    let mut tx = app.begin().await?;
    let now = tx.now_micros();
    accounts::set_password(tx.conn(), row.id, &hash, true, now).await?;
    sessions::delete_sessions_of_account(tx.conn(), row.id, None).await?;
    let revoked = tokens::revoke_tokens_of_account(tx.conn(), row.id, now).await?;
    let summary = if revoked > 0 {
        format!("重置了 {} 的密码，吊销其 {revoked} 个 API 令牌", row.name)
    } else {
        format!("重置了 {} 的密码", row.name)
    };
    let entry = Entry::new(
        AuditAction::PasswordReset,
        AuditEntity::Account,
        row.id,
        summary,
    )
    .org(row.org_id.map(OrgId));
    audit::record(&mut tx, Who::from(actor), ctx, entry).await?;
    tx.commit().await?;
    Ok(password)
}

pub async fn unlock_account(
    app: &App,
    actor: &Actor,
    id: AccountId,
    ctx: &RequestContext,
) -> AppResult<()> {
    let row = managed_account(app, actor, id).await?;
    let mut tx = app.begin().await?;
    accounts::clear_failures(tx.conn(), row.id, to_micros(app.now())).await?;
    let entry = Entry::new(
        AuditAction::AccountUnlocked,
        AuditEntity::Account,
        row.id,
        format!("解锁了 {} 的账号", row.name),
    )
    .org(row.org_id.map(OrgId));
    audit::record(&mut tx, Who::from(actor), ctx, entry).await?;
    tx.commit().await?;
    Ok(())
}

/// `dangjian admin create`: a system administrator created by the operator at the console.
pub async fn create_system_admin(
    app: &App,
    phone: &str,
    name: &str,
    password: &str,
) -> AppResult<AccountView> {
    let phone = Phone::parse(phone).map_err(|e| AppError::invalid("phone", e.to_string()))?;
    let name = check_name(name)?;
    check_new_password(password).map_err(|e| AppError::invalid("password", e.to_string()))?;
    let hash = hash_password(password.to_string()).await?;
    let mut tx = app.begin().await?;
    let new = NewAccount {
        phone: phone.as_str(),
        name: &name,
        password_hash: &hash,
        role: Role::SystemAdmin.code(),
        org_id: None,
        must_change_password: false,
        member_id: None,
        now: to_micros(app.now()),
    };
    let id = accounts::insert_account(tx.conn(), &new)
        .await
        .map_err(duplicate_phone)?;
    let entry = Entry::new(
        AuditAction::AccountCreated,
        AuditEntity::Account,
        id,
        format!("命令行创建系统管理员：{name}（{}）", phone.masked()),
    );
    audit::record(
        &mut tx,
        Who {
            account_id: None,
            name: "命令行",
        },
        &RequestContext::command_line(),
        entry,
    )
    .await?;
    let row = accounts::account_by_id(tx.conn(), id)
        .await?
        .ok_or(AppError::NotFound("账号"))?;
    tx.commit().await?;
    Ok(AccountView::from_row(&row, app.now()))
}

/// The account with this phone, if the actor manages it (for forms that name an account by phone).
pub async fn find_managed_by_phone(
    app: &App,
    actor: &Actor,
    phone: &Phone,
) -> AppResult<AccountView> {
    let mut handle = app.store.acquire().await?;
    let row = accounts::account_by_phone(handle.conn(), phone.as_str())
        .await?
        .ok_or_else(|| AppError::invalid("account_phone", "没有这个手机号的账号"))?;
    drop(handle);
    get_account(app, actor, AccountId(row.id)).await
}
