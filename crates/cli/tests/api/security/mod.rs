//! Web hardening (issue #15): security headers and compression on every answer, sign-in answers
//! that do not tell whether an account exists, 429s that say when to retry, session cookies,
//! credentials after a password reset, and use cases that authorize before they look at the
//! object's state. docs/security.md lists what each test proves.

mod credentials;
mod foreign_objects;
mod headers;
mod sign_in;

use reqwest::header::HeaderMap;

/// A response header as text ("" when absent).
pub(super) fn header<'a>(headers: &'a HeaderMap, name: &str) -> &'a str {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}
