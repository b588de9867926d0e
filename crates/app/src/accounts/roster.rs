//! Accounts for the roster (issue #14): a branch gives its members working accounts in one step,
//! the phone number on the roster being the login; an existing account can be linked to its
//! member record, and the link moved when a record is corrected. A linked account then follows
//! its member ([`crate::Actor::of_account`]).

use dangjian_domain::MemberId;
use dangjian_domain::access::{Action, Scope};
use dangjian_domain::{OrgId, OrgPath, Phone, Role};
use dangjian_store::accounts::{self, NewAccount, RosterAccountRow};
use dangjian_store::{StoreError, SubtreeRange, Tx};
use serde::Serialize;

use crate::audit::{self, AuditAction, AuditEntity, Entry, Who};
use crate::secrets::{hash_passwords, temporary_password};
use crate::{Actor, App, AppError, AppResult, Page, PageParams, RequestContext, members, orgs};

/// How many accounts one request may open: hashing each password takes a good fraction of a
/// second of CPU, and a committee opens its branches' accounts branch by branch.
pub const MAX_ACCOUNTS_AT_ONCE: usize = 500;

/// Where a roster member stands with their account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AccountState {
    /// In use.
    Active,
    /// Opened; the member has not yet signed in and set their own password.
    NotYetUsed,
    /// Stopped by an administrator.
    Disabled,
    /// None yet, and one can be opened.
    None,
    /// None, and none can be opened until the roster's phone number is corrected.
    BadPhone,
    /// None, and the phone number already signs in another account: link that one instead.
    PhoneTaken,
}

impl AccountState {
    pub fn label(self) -> &'static str {
        match self {
            AccountState::Active => "已开通",
            AccountState::NotYetUsed => "已开通，未首次登录",
            AccountState::Disabled => "已停用",
            AccountState::None => "未开通",
            AccountState::BadPhone => "手机号有误，请先更正档案",
            AccountState::PhoneTaken => "手机号已被其他账号使用",
        }
    }

    pub fn may_open(self) -> bool {
        self == AccountState::None
    }

    fn of(row: &RosterAccountRow) -> AccountState {
        match (
            row.account_id,
            row.account_disabled,
            row.account_must_change_password,
        ) {
            (Some(_), Some(true), _) => AccountState::Disabled,
            (Some(_), _, Some(true)) => AccountState::NotYetUsed,
            (Some(_), _, _) => AccountState::Active,
            (None, _, _) if Phone::parse(&row.phone).is_err() => AccountState::BadPhone,
            (None, _, _) if row.phone_taken_by.is_some() => AccountState::PhoneTaken,
            (None, _, _) => AccountState::None,
        }
    }
}

/// A roster member with their account, as the organization's accounts page lists them.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RosterAccountView {
    pub member_id: i64,
    pub name: String,
    /// The login: the roster's phone number, masked unless the caller may see personal data.
    pub phone: String,
    pub org_name: String,
    pub state: AccountState,
    pub state_label: &'static str,
}

/// The accounts page of an organization: its active members and their accounts.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RosterAccounts {
    pub org_id: i64,
    pub org_name: String,
    pub members: Page<RosterAccountView>,
    /// Members of the whole subtree who have no account and can get one now.
    pub may_open: i64,
}

/// One opened account, for the handover list: the member signs in with the phone number and
/// the initial password, and must set their own password at once.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct HandedOver {
    pub member_id: i64,
    pub name: String,
    pub org_name: String,
    pub phone: String,
    pub initial_password: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct NotOpened {
    pub member_id: i64,
    pub name: String,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OpenedAccounts {
    pub org_name: String,
    pub opened: Vec<HandedOver>,
    pub not_opened: Vec<NotOpened>,
}

/// Which members to open accounts for.
#[derive(Debug, Clone)]
pub enum Selection {
    /// Every active member of the subtree who has no account yet.
    AllWithout,
    /// These members (of the subtree).
    Members(Vec<i64>),
}

async fn managed_org(
    app: &App,
    actor: &Actor,
    org_id: OrgId,
) -> AppResult<(dangjian_store::orgs::OrgRow, OrgPath)> {
    let (org, path) = orgs::load(app, org_id).await?;
    actor.authorize(Action::ManageAccounts, Scope::Org(&path))?;
    Ok((org, path))
}

pub async fn roster_accounts(
    app: &App,
    actor: &Actor,
    org_id: OrgId,
    without_account_only: bool,
    page: PageParams,
) -> AppResult<RosterAccounts> {
    let (org, path) = managed_org(app, actor, org_id).await?;
    let scope = SubtreeRange::of(&path);
    let shows_phone = actor
        .grant
        .permits(Action::ViewPersonalData, Scope::Org(&path));
    let mut handle = app.store.acquire().await?;
    let (rows, total) =
        accounts::roster_accounts(handle.conn(), &scope, without_account_only, page.request())
            .await?;
    let (openable, _) = accounts::roster_accounts(
        handle.conn(),
        &scope,
        true,
        dangjian_store::PageRequest {
            offset: 0,
            limit: MAX_ACCOUNTS_AT_ONCE as i64 + 1,
        },
    )
    .await?;
    let may_open = openable
        .iter()
        .filter(|row| AccountState::of(row).may_open())
        .count() as i64;
    let items = rows
        .iter()
        .map(|row| {
            let state = AccountState::of(row);
            RosterAccountView {
                member_id: row.member_id,
                name: row.name.clone(),
                phone: shown_phone(&row.phone, shows_phone),
                org_name: row.placement_name.clone(),
                state,
                state_label: state.label(),
            }
        })
        .collect();
    Ok(RosterAccounts {
        org_id: org.id,
        org_name: org.name,
        members: page.wrap(items, total),
        may_open,
    })
}

fn shown_phone(phone: &str, in_full: bool) -> String {
    match Phone::parse(phone) {
        Ok(phone) if in_full => phone.to_string(),
        Ok(phone) => phone.masked(),
        Err(_) => phone.to_string(),
    }
}

/// Opens accounts for roster members of an organization in one step: each signs in with the
/// roster's phone number and an initial password they must change at first login. Members who
/// cannot get one (an account already, a bad or taken phone number) are listed with the reason;
/// the others are opened together or not at all.
pub async fn open_for_roster(
    app: &App,
    actor: &Actor,
    org_id: OrgId,
    selection: &Selection,
    ctx: &RequestContext,
) -> AppResult<OpenedAccounts> {
    if !actor.role().may_grant(Role::Member) {
        return Err(AppError::forbidden());
    }
    let (org, path) = managed_org(app, actor, org_id).await?;
    let scope = SubtreeRange::of(&path);
    let mut handle = app.store.acquire().await?;
    let rows = match selection {
        Selection::AllWithout => {
            accounts::roster_accounts(
                handle.conn(),
                &scope,
                true,
                dangjian_store::PageRequest {
                    offset: 0,
                    limit: i64::MAX,
                },
            )
            .await?
            .0
        }
        Selection::Members(ids) => {
            if ids.is_empty() {
                return Err(AppError::invalid("member_ids", "请至少选择一名党员"));
            }
            accounts::roster_accounts_of(handle.conn(), ids).await?
        }
    };
    drop(handle);

    let mut not_opened = Vec::new();
    if let Selection::Members(ids) = selection {
        for id in ids {
            if !rows.iter().any(|row| row.member_id == *id) {
                not_opened.push(NotOpened {
                    member_id: *id,
                    name: String::new(),
                    reason: "不是在册党员".into(),
                });
            }
        }
    }
    let mut to_open = Vec::new();
    for row in rows {
        let within = OrgPath::parse(&row.placement_path).is_some_and(|p| path.contains(&p));
        let state = AccountState::of(&row);
        if !within {
            not_opened.push(NotOpened {
                member_id: row.member_id,
                name: row.name.clone(),
                reason: format!("不在{}", org.name),
            });
        } else if !state.may_open() {
            not_opened.push(NotOpened {
                member_id: row.member_id,
                name: row.name.clone(),
                reason: state.label().into(),
            });
        } else {
            to_open.push(row);
        }
    }
    if to_open.len() > MAX_ACCOUNTS_AT_ONCE {
        return Err(AppError::invalid(
            "member_ids",
            format!(
                "一次最多开通 {MAX_ACCOUNTS_AT_ONCE} 个账号（本次 {} 个），请按党支部分批开通",
                to_open.len()
            ),
        ));
    }

    // Hash on the blocking pool, all at once: the pool spreads them over the cores.
    let passwords: Vec<String> = to_open.iter().map(|_| temporary_password()).collect();
    let hashes = hash_passwords(&passwords).await?;

    let mut tx = app.begin().await?;
    let mut opened = Vec::with_capacity(to_open.len());
    let now = tx.now_micros();
    for ((row, password), hash) in to_open.iter().zip(passwords).zip(hashes) {
        let phone =
            Phone::parse(&row.phone).map_err(|e| AppError::invalid("member_ids", e.to_string()))?;
        let new = NewAccount {
            phone: phone.as_str(),
            name: &row.name,
            password_hash: &hash,
            role: Role::Member.code(),
            org_id: Some(row.placement_id),
            must_change_password: true,
            member_id: Some(row.member_id),
            now,
        };
        let id = accounts::insert_account(tx.conn(), &new)
            .await
            .map_err(|error| match error {
                StoreError::Duplicate(_) => AppError::Conflict(format!(
                    "{} 的手机号或档案刚刚被其他操作占用，请刷新后重试",
                    row.name
                )),
                other => other.into(),
            })?;
        let entry = Entry::new(
            AuditAction::AccountCreated,
            AuditEntity::Account,
            id,
            format!("为党员 {} 开通账号（{}）", row.name, phone.masked()),
        )
        .org(Some(OrgId(row.placement_id)));
        audit::record(&mut tx, Who::from(actor), ctx, entry).await?;
        opened.push(HandedOver {
            member_id: row.member_id,
            name: row.name.clone(),
            org_name: row.placement_name.clone(),
            phone: phone.to_string(),
            initial_password: password,
        });
    }
    tx.commit().await?;
    Ok(OpenedAccounts {
        org_name: org.name,
        opened,
        not_opened,
    })
}

/// The account a member's record links to, as the member's page shows it to an administrator.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct LinkedAccount {
    pub phone: String,
    pub role_label: &'static str,
    pub state_label: &'static str,
}

/// Links the account that signs in with `phone` to a member's record. An account linked to
/// another record moves here (a record corrected or entered twice); a member already linked to
/// a different account must be unlinked first.
pub async fn link_to_member(
    app: &App,
    actor: &Actor,
    member_id: MemberId,
    phone: &str,
    ctx: &RequestContext,
) -> AppResult<()> {
    let (member, _) = members::member_for(app, actor, member_id.0, Action::ManageAccounts).await?;
    if !dangjian_domain::MemberStatus::from_code(&member.status).is_some_and(|s| s.is_active()) {
        return Err(AppError::invalid("phone", "该党员已不在册，不能关联账号"));
    }
    let phone = Phone::parse(phone).map_err(|e| AppError::invalid("phone", e.to_string()))?;
    let account = super::find_managed_by_phone(app, actor, &phone).await?;
    let mut handle = app.store.acquire().await?;
    let current = accounts::account_of_member(handle.conn(), member_id.0).await?;
    let row = accounts::account_by_id(handle.conn(), account.id.0)
        .await?
        .ok_or(AppError::NotFound("账号"))?;
    drop(handle);
    if let Some(current) = &current {
        if current.id == row.id {
            return Ok(());
        }
        return Err(AppError::Conflict(format!(
            "{} 已关联账号 {}，请先取消关联",
            member.name,
            shown_phone(&current.phone, false)
        )));
    }
    let mut tx = app.begin().await?;
    let now = tx.now_micros();
    accounts::set_member(tx.conn(), row.id, Some(member_id.0), now)
        .await
        .map_err(|error| match error {
            StoreError::Duplicate(_) => {
                AppError::Conflict("该党员刚刚关联了其他账号，请刷新".into())
            }
            other => other.into(),
        })?;
    let summary = match row.member_id {
        Some(previous) if previous != member_id.0 => format!(
            "账号 {} 改为关联党员 {}（原关联档案 #{previous}）",
            shown_phone(&row.phone, false),
            member.name
        ),
        _ => format!(
            "账号 {} 关联党员 {}",
            shown_phone(&row.phone, false),
            member.name
        ),
    };
    let entry = Entry::new(
        AuditAction::AccountLinked,
        AuditEntity::Account,
        row.id,
        summary,
    )
    .org(Some(OrgId(member.branch_id)))
    .change(
        row.member_id.map(|id| format!("关联党员档案 #{id}")),
        Some(format!("关联党员档案 #{member_id}（{}）", member.name)),
    );
    audit::record(&mut tx, Who::from(actor), ctx, entry).await?;
    follow_member(&mut tx, actor, ctx, member_id.0).await?;
    tx.commit().await?;
    Ok(())
}

/// Removes the link between a member's record and their account; the account stays.
pub async fn unlink_from_member(
    app: &App,
    actor: &Actor,
    member_id: MemberId,
    ctx: &RequestContext,
) -> AppResult<()> {
    let (member, _) = members::member_for(app, actor, member_id.0, Action::ManageAccounts).await?;
    let mut handle = app.store.acquire().await?;
    let current = accounts::account_of_member(handle.conn(), member_id.0)
        .await?
        .ok_or_else(|| AppError::invalid("phone", "该党员没有关联账号"))?;
    drop(handle);
    let mut tx = app.begin().await?;
    let now = tx.now_micros();
    accounts::set_member(tx.conn(), current.id, None, now).await?;
    let entry = Entry::new(
        AuditAction::AccountUnlinked,
        AuditEntity::Account,
        current.id,
        format!(
            "取消账号 {} 与党员 {} 的关联",
            shown_phone(&current.phone, false),
            member.name
        ),
    )
    .org(Some(OrgId(member.branch_id)))
    .change(
        Some(format!("关联党员档案 #{member_id}（{}）", member.name)),
        None,
    );
    audit::record(&mut tx, Who::from(actor), ctx, entry).await?;
    tx.commit().await?;
    Ok(())
}

/// The account linked to a member, for the member's page.
pub(crate) async fn linked_account(app: &App, member_id: i64) -> AppResult<Option<LinkedAccount>> {
    let mut handle = app.store.acquire().await?;
    let Some(row) = accounts::account_of_member(handle.conn(), member_id).await? else {
        return Ok(None);
    };
    let role = Role::from_code(&row.role).unwrap_or(Role::Member);
    let state = if row.disabled {
        AccountState::Disabled
    } else if row.must_change_password {
        AccountState::NotYetUsed
    } else {
        AccountState::Active
    };
    Ok(Some(LinkedAccount {
        phone: shown_phone(&row.phone, false),
        role_label: role.label(),
        state_label: state.label(),
    }))
}

/// Keeps a member's own account where the member now is, inside the transaction that moved them.
pub(crate) async fn follow_member(
    tx: &mut Tx,
    actor: &Actor,
    ctx: &RequestContext,
    member_id: i64,
) -> AppResult<()> {
    let now = tx.now_micros();
    if accounts::follow_member_placement(tx.conn(), member_id, now).await? == 0 {
        return Ok(());
    }
    if let Some(row) = accounts::account_of_member(tx.conn(), member_id).await? {
        let entry = Entry::new(
            AuditAction::AccountMoved,
            AuditEntity::Account,
            row.id,
            format!(
                "{} 的账号随党员档案调整到{}",
                row.name,
                row.org_name.clone().unwrap_or_default()
            ),
        )
        .org(row.org_id.map(OrgId));
        audit::record(tx, Who::from(actor), ctx, entry).await?;
    }
    Ok(())
}
