//! Party dues (党费), RULES.md "Dues": 关于中国共产党党费收缴、使用和管理的规定, 中共中央组织部,
//! 2008 (党费规定). Money is integer fen ([`Fen`]); the amount is a share of the whole monthly base
//! chosen by bracket ([`monthly_dues`]), or a fixed sum for some categories.

mod calc;
mod category;
pub mod collection;
mod money;

pub use calc::{
    Assessment, Bracket, CalcError, DuesSettings, EMPLOYED, FARMER_MAX, FARMER_MIN, FarmerAmount,
    RETIRED, SMALL_FIXED, bracket_for, brackets, monthly_dues, rate_percent, share,
};
pub use category::DuesCategory;
pub use collection::{ArrearsLevel, ExtraKind, MonthStatus, ReliefKind};
pub use money::{Fen, MAX_AMOUNT, MoneyError};

#[cfg(test)]
mod tests;
