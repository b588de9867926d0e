//! The demo organization that `serve --demo` and `dangjian demo` load, with one account per role.
//! The organization issue replaces the tree with the full police-station example.

use dangjian_domain::time::to_micros;
use dangjian_domain::{OrgKind, Role};
use dangjian_store::accounts::{self, NewAccount};
use dangjian_store::{orgs, settings};
use jiff::Timestamp;

use crate::audit::{self, Entry, Who};
use crate::secrets::hash_password;
use crate::{App, AppError, AppResult, RequestContext};

/// The demo password of every demo account (printed at start; never for real use).
pub const DEMO_PASSWORD: &str = "demo2026";

#[derive(Debug, Clone)]
pub struct DemoAccount {
    pub role: Role,
    pub name: &'static str,
    pub phone: &'static str,
    pub org: Option<&'static str>,
}

pub const DEMO_ACCOUNTS: [DemoAccount; 4] = [
    DemoAccount {
        role: Role::SystemAdmin,
        name: "系统管理员",
        phone: "13800000000",
        org: None,
    },
    DemoAccount {
        role: Role::OrgAdmin,
        name: "王建国",
        phone: "13800000001",
        org: Some("站南派出所党支部"),
    },
    DemoAccount {
        role: Role::GroupLeader,
        name: "李红梅",
        phone: "13800000002",
        org: Some("综合党小组"),
    },
    DemoAccount {
        role: Role::Member,
        name: "张伟",
        phone: "13800000003",
        org: Some("综合党小组"),
    },
];

/// Loads the demo organization into an empty database; does nothing if it is already there.
/// Refuses a database that holds other data.
pub async fn load_demo(app: &App) -> AppResult<bool> {
    let mut handle = app.store.acquire().await?;
    if settings::get(handle.conn(), settings::DEMO_LOADED)
        .await?
        .is_some()
    {
        return Ok(false);
    }
    if accounts::count_accounts(handle.conn()).await? > 0
        || orgs::count_orgs(handle.conn()).await? > 0
    {
        return Err(AppError::Conflict(
            "数据库中已有数据，演示数据只能载入空数据库".into(),
        ));
    }
    drop(handle);
    let hash = hash_password(DEMO_PASSWORD.to_string()).await?;
    let now = to_micros(Timestamp::now());
    let mut tx = app.store.begin().await?;
    settings::insert(tx.conn(), settings::DEMO_LOADED, &now.to_string()).await?;
    settings::insert(tx.conn(), settings::SETUP_COMPLETED, &now.to_string()).await?;
    let (committee, committee_path) = orgs::insert_org(
        tx.conn(),
        None,
        OrgKind::Committee.code(),
        "临渭公安分局党委",
        now,
    )
    .await?;
    let (branch, branch_path) = orgs::insert_org(
        tx.conn(),
        Some((committee, &committee_path)),
        OrgKind::Branch.code(),
        "站南派出所党支部",
        now,
    )
    .await?;
    let (group, _) = orgs::insert_org(
        tx.conn(),
        Some((branch, &branch_path)),
        OrgKind::Group.code(),
        "综合党小组",
        now,
    )
    .await?;
    for demo in &DEMO_ACCOUNTS {
        let org_id = match demo.org {
            None => None,
            Some("站南派出所党支部") => Some(branch),
            Some(_) => Some(group),
        };
        let new = NewAccount {
            phone: demo.phone,
            name: demo.name,
            password_hash: &hash,
            role: demo.role.code(),
            org_id,
            must_change_password: false,
            now,
        };
        accounts::insert_account(tx.conn(), &new).await?;
    }
    let entry = Entry::new(
        "demo_loaded",
        "installation",
        committee,
        "载入演示组织和演示账号",
    );
    audit::record(
        &mut tx,
        Who {
            account_id: None,
            name: "系统",
        },
        &RequestContext::command_line(),
        entry,
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}
