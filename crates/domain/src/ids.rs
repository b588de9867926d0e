//! One identifier type per entity, so an account id can never be passed where an org id is meant.

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    )*};
}

id_type! {
    /// A login account (账号).
    AccountId;
    /// An organization node: committee, general branch, branch or group.
    OrgId;
    /// An entry of the audit log.
    AuditId;
    /// An API token issued by an administrator.
    TokenId;
    /// An activity of organizational life: a meeting, a lecture, a theme day, a talk.
    ActivityId;
}
