//! Persistence for dangjian over SQLite (the default) or PostgreSQL (large deployments).
//!
//! Queries are written once with `$n` placeholders and run on either backend through
//! [`on_backend!`]; where SQL has to differ, both versions sit side by side in one function.
//! Instants are stored as microseconds since the epoch, so no SQL date function is ever needed.

mod db;
mod error;

pub mod accounts;
pub mod activities;
mod activity_records;
pub mod audit;
pub mod backup;
pub mod bench;
pub mod development;
pub mod dues;
pub mod events;
pub mod life_counters;
pub mod members;
pub mod orgs;
pub mod points;
pub mod positions;
pub mod sessions;
pub mod settings;
pub mod throttle;
pub mod tokens;
pub mod transfers;

pub use db::{Backend, Conn, ConnectOptions, Handle, Store, Synchronous, Tx};
pub use error::StoreError;

pub type Result<T> = std::result::Result<T, StoreError>;

/// One page of a list: which rows, and how many there are in all.
#[derive(Debug, Clone, Copy)]
pub struct PageRequest {
    pub offset: i64,
    pub limit: i64,
}

/// A `LIKE` pattern that finds `needle` anywhere, with the user's `%`, `_` and `\` taken literally.
/// Queries using it say `ESCAPE '\'`.
pub fn contains_pattern(needle: &str) -> String {
    let mut pattern = String::with_capacity(needle.len() + 2);
    pattern.push('%');
    for c in needle.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// A subtree as the half-open range of paths the store compares against (see `OrgPath`).
#[derive(Debug, Clone)]
pub struct SubtreeRange {
    pub start: String,
    pub end: String,
}

impl SubtreeRange {
    pub fn of(path: &dangjian_domain::OrgPath) -> SubtreeRange {
        SubtreeRange {
            start: path.as_str().to_string(),
            end: path.subtree_end(),
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn like_wildcards_are_escaped() {
        assert_eq!(super::contains_pattern("张三"), "%张三%");
        assert_eq!(super::contains_pattern("50%_\\"), "%50\\%\\_\\\\%");
    }
}
