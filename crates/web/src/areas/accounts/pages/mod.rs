//! The pages of signing in, the home page, accounts, API tokens and the audit log.

pub mod accounts;
pub mod audit;
pub mod home;
pub mod login;
pub mod member_accounts;
pub mod password;
pub mod setup;
pub mod tokens;
