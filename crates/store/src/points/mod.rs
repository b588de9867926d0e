//! Points (积分管理): rulebook versions, the append-only hash-chained ledger, proposals,
//! maintained totals and bulletins.

pub mod assessment;
pub mod awards;
pub mod evaluation;
pub mod ledger;
pub mod rules;
pub mod totals;
