//! Setup, signing in and out, the home page, accounts, API tokens and the audit log.

use dangjian_domain::Action;
use utoipa::OpenApi;

use crate::routes::Access::{Public, SignedIn, SignedInInitialPassword};
use crate::routes::{Area, NavEntry, Table};
mod api;
mod pages;

/// The accounts, sign-in, tokens and audit operations of the API.
#[derive(OpenApi)]
#[openapi(paths(
    api::auth::login,
    api::auth::logout,
    api::auth::me,
    api::auth::reminders,
    api::auth::change_password,
    api::accounts::list,
    api::accounts::create,
    api::accounts::get_one,
    api::accounts::reset_password,
    api::accounts::unlock,
    api::accounts::roster,
    api::accounts::open_for_roster,
    api::accounts::link_member,
    api::accounts::unlink_member,
    api::auth::activate,
    api::tokens::list,
    api::tokens::issue,
    api::tokens::revoke,
    api::audit::list,
    api::audit::verify,
))]
struct AccountsApi;

pub(super) const AREA: Area = Area {
    routes,
    navigation: &[
        NavEntry {
            position: 0,
            href: "/",
            label: "首页",
            description: "回到首页",
            action: None,
            tab: Some("首页"),
        },
        NavEntry {
            position: 80,
            href: "/admin/accounts",
            label: "账号管理",
            description: "为花名册上的党员批量开通账号，为书记和党小组长开通账号，重置密码，解锁账号",
            action: Some(Action::ManageAccounts),
            tab: None,
        },
        NavEntry {
            position: 81,
            href: "/admin/tokens",
            label: "API 令牌",
            description: "签发和吊销供其他系统对接使用的令牌",
            action: Some(Action::ManageApiTokens),
            tab: None,
        },
        NavEntry {
            position: 82,
            href: "/admin/audit",
            label: "审计日志",
            description: "查看谁在何时做了什么",
            action: Some(Action::ViewAudit),
            tab: None,
        },
        NavEntry {
            position: 90,
            href: "/account/password",
            label: "修改密码",
            description: "修改自己的登录密码",
            action: None,
            tab: None,
        },
    ],
    api: AccountsApi::openapi,
};

#[rustfmt::skip]
pub(super) fn routes(table: Table) -> Table {
    table
        .get("/setup", Public, pages::setup::show)
        .post("/setup", Public, pages::setup::submit)
        .get("/login", Public, pages::login::show)
        .post("/login", Public, pages::login::submit)
        .post("/api/v1/auth/login", Public, api::auth::login)
        .get("/activate", Public, pages::login::activate_form)
        .post("/activate", Public, pages::login::activate)
        .post("/api/v1/auth/activate", Public, api::auth::activate)
        .post("/logout", SignedInInitialPassword, pages::login::logout)
        .post("/api/v1/auth/logout", SignedInInitialPassword, api::auth::logout)
        .get("/", SignedIn, pages::home::show)
        .get("/api/v1/me", SignedInInitialPassword, api::auth::me)
        .get("/api/v1/me/reminders", SignedIn, api::auth::reminders)
        .get("/account/password", SignedInInitialPassword, pages::password::show)
        .post("/account/password", SignedInInitialPassword, pages::password::submit)
        .post("/api/v1/me/password", SignedInInitialPassword, api::auth::change_password)
        // Accounts
        .get("/admin/accounts", SignedIn, pages::accounts::list)
        .post("/admin/accounts", SignedIn, pages::accounts::create)
        .get("/api/v1/accounts", SignedIn, api::accounts::list)
        .post("/api/v1/accounts", SignedIn, api::accounts::create)
        .get("/admin/accounts/new", SignedIn, pages::accounts::new_form)
        .get("/api/v1/accounts/{id}", SignedIn, api::accounts::get_one)
        .post("/admin/accounts/{id}/reset-password", SignedIn, pages::accounts::reset_password)
        .post("/api/v1/accounts/{id}/reset-password", SignedIn, api::accounts::reset_password)
        .post("/admin/accounts/{id}/unlock", SignedIn, pages::accounts::unlock)
        .post("/api/v1/accounts/{id}/unlock", SignedIn, api::accounts::unlock)
        // Accounts for the roster
        .get("/admin/accounts/roster", SignedIn, pages::member_accounts::show)
        .post("/admin/accounts/roster", SignedIn, pages::member_accounts::open)
        .get("/api/v1/orgs/{id}/member-accounts", SignedIn, api::accounts::roster)
        .post("/api/v1/orgs/{id}/member-accounts", SignedIn, api::accounts::open_for_roster)
        .post("/members/{id}/account", SignedIn, pages::member_accounts::open_one)
        .post("/members/{id}/account/link", SignedIn, pages::member_accounts::link)
        .post("/members/{id}/account/unlink", SignedIn, pages::member_accounts::unlink)
        .put("/api/v1/members/{id}/account", SignedIn, api::accounts::link_member)
        .delete("/api/v1/members/{id}/account", SignedIn, api::accounts::unlink_member)
        // API tokens
        .get("/admin/tokens", SignedIn, pages::tokens::list)
        .post("/admin/tokens", SignedIn, pages::tokens::issue)
        .get("/api/v1/tokens", SignedIn, api::tokens::list)
        .post("/api/v1/tokens", SignedIn, api::tokens::issue)
        .post("/admin/tokens/{id}/revoke", SignedIn, pages::tokens::revoke)
        .post("/api/v1/tokens/{id}/revoke", SignedIn, api::tokens::revoke)
        // Audit log
        .get("/admin/audit", SignedIn, pages::audit::list)
        .get("/api/v1/audit", SignedIn, api::audit::list)
        .get("/admin/audit/verify", SignedIn, pages::audit::verify)
        .get("/api/v1/audit/verify", SignedIn, api::audit::verify)
}
