//! Signing in, accounts, API tokens and the audit log in the JSON API.

pub mod accounts;
pub mod audit;
pub mod auth;
pub mod tokens;
