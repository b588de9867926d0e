//! Setup, signing in and out, the home page, accounts, API tokens and the audit log.

use super::Access::{Public, SignedIn, SignedInInitialPassword};
use super::Table;
use crate::{api, pages};

#[rustfmt::skip]
pub(super) fn routes(table: Table) -> Table {
    table
        .get("/setup", Public, pages::setup::show)
        .post("/setup", Public, pages::setup::submit)
        .get("/login", Public, pages::login::show)
        .post("/login", Public, pages::login::submit)
        .post("/api/v1/auth/login", Public, api::auth::login)
        .post("/logout", SignedInInitialPassword, pages::login::logout)
        .post("/api/v1/auth/logout", SignedInInitialPassword, api::auth::logout)
        .get("/", SignedIn, pages::home::show)
        .get("/api/v1/me", SignedInInitialPassword, api::auth::me)
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
}
