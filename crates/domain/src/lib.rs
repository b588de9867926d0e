//! Pure rules and types of dangjian. Nothing here performs I/O, awaits, or knows SQL exists;
//! every rule taken from the official texts cites its source (see `shared/RULES.md`).

pub mod access;
pub mod ids;
pub mod login;
pub mod org;
pub mod password;
pub mod phone;
pub mod time;

pub use access::{Action, Role, Scope};
pub use ids::{AccountId, AuditId, OrgId, TokenId};
pub use org::{OrgKind, OrgPath};
pub use phone::Phone;
