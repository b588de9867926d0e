//! Points (积分管理): the rulebook, the amounts, caps and the tamper-evident chain of ledger
//! entries. RULES.md, section "Points": local practice varies, so the default rulebook below is
//! what ships and every node may override items for its subtree from an effective date.

mod amount;
pub mod assessment;
pub mod awards;
mod chain;
pub mod evaluation;
mod rules;

pub use amount::Points;
pub use chain::{ChainFields, GENESIS, entry_hash};
pub use rules::{
    CapPeriod, Category, DEFAULT_BASE, EXCELLENT_FLOOR, RuleItem, Trigger, capped_award,
    default_items, may_be_excellent, rank_with_ties, resolve, version_date_allowed,
};
