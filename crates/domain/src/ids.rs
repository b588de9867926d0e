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

        impl std::str::FromStr for $name {
            type Err = std::num::ParseIntError;

            fn from_str(text: &str) -> Result<Self, Self::Err> {
                text.parse().map($name)
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
    /// A file attached to an activity (minutes, photos).
    AttachmentId;
    /// A member on the roster (党员), whether or not they have an account.
    MemberId;
    /// A person in member development (发展党员): from application to full membership.
    ApplicantId;
    /// A transfer of a member's organizational relationship (组织关系转接).
    TransferId;
    /// A position held in an organization's committee (委员会职务).
    PositionId;
    /// A 民主评议 campaign of a branch.
    EvaluationCampaignId;
    /// A 争先创优 campaign.
    AwardCampaignId;
    /// A nomination in a 争先创优 campaign.
    NominationId;
    /// A proposed points entry awaiting approval (积分申报).
    ProposalId;
    /// An entry of the points ledger.
    PointsEntryId;
}
