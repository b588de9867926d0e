//! Pure rules and types of dangjian. Nothing here performs I/O, awaits, or knows SQL exists;
//! every rule taken from the official texts cites its source (see `shared/RULES.md`).

pub mod access;
pub mod activity;
pub mod audit;
pub mod chain;
pub mod development;
pub mod dues;
pub mod events;
pub mod id_number;
pub mod ids;
pub mod login;
pub mod member;
mod month;
pub mod org;
pub mod password;
pub mod percent;
pub mod person;
pub mod phone;
pub mod pinyin_initials;
pub mod points;
pub mod reminder;
pub mod structure;
pub mod text;
pub mod time;
pub mod transfer;
pub mod vote;

pub use access::{Action, MemberStanding, Role, Scope};
pub use id_number::IdNumber;
pub use ids::{
    AccountId, ActivityId, ApplicantId, AttachmentId, AuditId, AwardCampaignId,
    EvaluationCampaignId, MemberId, NominationId, OrgId, PointsEntryId, PositionId, ProposalId,
    TokenId, TransferId,
};
pub use member::{AgeBand, MemberCategory, MemberFlags, MemberStatus};
pub use month::Month;
pub use org::{OrgKind, OrgPath};
pub use person::{Education, Ethnicity, Gender};
pub use phone::Phone;
