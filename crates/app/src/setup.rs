//! First-run setup: on an empty database, create the top organization and the first system
//! administrator. Once done, the setup can never run again.

use dangjian_domain::password::check_new_password;
use dangjian_domain::time::to_micros;
use dangjian_domain::{OrgId, OrgKind, Phone, Role};
use dangjian_store::accounts::{self, NewAccount};
use dangjian_store::orgs::NewOrg;
use dangjian_store::{StoreError, orgs, settings};

use crate::audit::{self, AuditAction, AuditEntity, Entry, Who};
use crate::secrets::hash_password;
use crate::{App, AppError, AppResult, RequestContext};

/// Whether the installation still waits for its first-run setup.
pub async fn needs_setup(app: &App) -> AppResult<bool> {
    let mut handle = app.store.acquire().await?;
    if settings::get(handle.conn(), settings::SETUP_COMPLETED)
        .await?
        .is_some()
    {
        return Ok(false);
    }
    Ok(accounts::count_accounts(handle.conn()).await? == 0)
}

#[derive(Debug, Clone, Default)]
pub struct SetupInput {
    pub org_name: String,
    pub admin_name: String,
    pub phone: String,
    pub password: String,
    pub password_again: String,
}

pub async fn complete_setup(app: &App, input: &SetupInput, ctx: &RequestContext) -> AppResult<()> {
    if !needs_setup(app).await? {
        return Err(AppError::Conflict("系统已完成初始化，不能重复设置".into()));
    }
    let org_name = &AppError::check_name("org_name", "组织名称", &input.org_name, 100)?;
    let admin_name = &AppError::check_name("admin_name", "管理员姓名", &input.admin_name, 50)?;
    let phone =
        Phone::parse(&input.phone).map_err(|e| AppError::invalid("phone", e.to_string()))?;
    check_new_password(&input.password)
        .map_err(|e| AppError::invalid("password", e.to_string()))?;
    if input.password != input.password_again {
        return Err(AppError::invalid("password_again", "两次输入的密码不一致"));
    }
    let hash = hash_password(input.password.clone()).await?;
    let now = to_micros(app.now());
    let mut tx = app.begin().await?;
    // Claiming the key first makes a second, concurrent setup fail instead of creating a second root.
    settings::insert(tx.conn(), settings::SETUP_COMPLETED, &now.to_string())
        .await
        .map_err(|e| match e {
            StoreError::Duplicate(_) => AppError::Conflict("系统已完成初始化，不能重复设置".into()),
            other => other.into(),
        })?;
    let (org_id, _) = orgs::insert_org(
        tx.conn(),
        &NewOrg::plain(None, OrgKind::Committee.code(), org_name, now),
    )
    .await?;
    let new = NewAccount {
        phone: phone.as_str(),
        name: admin_name,
        password_hash: &hash,
        role: Role::SystemAdmin.code(),
        org_id: None,
        must_change_password: false,
        member_id: None,
        now,
    };
    let account_id = accounts::insert_account(tx.conn(), &new).await?;
    let who = Who {
        account_id: Some(account_id),
        name: admin_name,
    };
    let entry = Entry::new(
        AuditAction::SetupCompleted,
        AuditEntity::Installation,
        org_id,
        format!("完成初始化：创建「{org_name}」和系统管理员 {admin_name}"),
    )
    .org(Some(OrgId(org_id)));
    audit::record(&mut tx, who, ctx, entry).await?;
    tx.commit().await?;
    Ok(())
}
