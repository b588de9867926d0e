//! Collecting dues month by month (党费规定: 按月交纳; 补交; 困难党员少交或免交) and arrears
//! (党章 art. 9: six months without paying is a case the branch must handle).

use serde::{Deserialize, Serialize};

use super::money::Fen;

/// Consecutive unpaid months at which the member is warned (RULES.md "Dues": flag at 3).
pub const ARREARS_WARNING_MONTHS: i64 = 3;
/// Consecutive unpaid months at which the branch must handle the case (党章 art. 9: 连续六个月
/// 不交纳党费 … 视为自行脱党). The system flags it for the committee; it never acts by itself.
pub const ARREARS_CASE_MONTHS: i64 = 6;

/// How far a member is behind on a month's sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ArrearsLevel {
    None,
    /// 3 or more consecutive months unpaid.
    Warning,
    /// 6 or more: the branch must decide the member's case.
    Case,
}

impl ArrearsLevel {
    pub fn of(streak: i64) -> ArrearsLevel {
        if streak >= ARREARS_CASE_MONTHS {
            ArrearsLevel::Case
        } else if streak >= ARREARS_WARNING_MONTHS {
            ArrearsLevel::Warning
        } else {
            ArrearsLevel::None
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ArrearsLevel::None => "",
            ArrearsLevel::Warning => "连续欠交3个月以上",
            ArrearsLevel::Case => "连续欠交6个月以上，须由支部按规定处置",
        }
    }
}

/// The state of one member's month on the sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MonthStatus {
    Unpaid,
    /// Some but not all of the amount due: never shown as paid.
    Partial,
    Paid,
    /// Nothing due by committee decision.
    Exempt,
}

impl MonthStatus {
    pub fn code(self) -> &'static str {
        match self {
            MonthStatus::Unpaid => "unpaid",
            MonthStatus::Partial => "partial",
            MonthStatus::Paid => "paid",
            MonthStatus::Exempt => "exempt",
        }
    }

    pub fn from_code(code: &str) -> Option<MonthStatus> {
        [
            MonthStatus::Unpaid,
            MonthStatus::Partial,
            MonthStatus::Paid,
            MonthStatus::Exempt,
        ]
        .into_iter()
        .find(|s| s.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            MonthStatus::Unpaid => "未交",
            MonthStatus::Partial => "部分交纳",
            MonthStatus::Paid => "已交",
            MonthStatus::Exempt => "免交",
        }
    }

    /// What the amounts make of a month: exempt when nothing is due, paid when all is.
    pub fn from_amounts(due: Fen, paid: Fen) -> MonthStatus {
        if due.0 == 0 {
            MonthStatus::Exempt
        } else if paid >= due {
            MonthStatus::Paid
        } else if paid.0 > 0 {
            MonthStatus::Partial
        } else {
            MonthStatus::Unpaid
        }
    }

    /// Whether the month still owes something (counts toward arrears).
    pub fn owes(self) -> bool {
        matches!(self, MonthStatus::Unpaid | MonthStatus::Partial)
    }
}

/// The streak of a month given the previous month's: an owing month extends it, any other ends it.
pub fn next_streak(previous: i64, status: MonthStatus) -> i64 {
    if status.owes() { previous + 1 } else { 0 }
}

/// Relief by committee decision for a member in hardship (党费规定: 少交或免交党费).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReliefKind {
    /// 免交: nothing is due.
    Exempt,
    /// 少交: a smaller monthly amount.
    Reduced,
}

impl ReliefKind {
    pub fn code(self) -> &'static str {
        match self {
            ReliefKind::Exempt => "exempt",
            ReliefKind::Reduced => "reduced",
        }
    }

    pub fn from_code(code: &str) -> Option<ReliefKind> {
        match code {
            "exempt" => Some(ReliefKind::Exempt),
            "reduced" => Some(ReliefKind::Reduced),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ReliefKind::Exempt => "免交",
            ReliefKind::Reduced => "少交",
        }
    }
}

/// Extra dues kept apart from the monthly amount (党费规定: 自愿多交党费; 特殊党费).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExtraKind {
    Voluntary,
    Special,
}

impl ExtraKind {
    pub fn code(self) -> &'static str {
        match self {
            ExtraKind::Voluntary => "voluntary",
            ExtraKind::Special => "special",
        }
    }

    pub fn from_code(code: &str) -> Option<ExtraKind> {
        match code {
            "voluntary" => Some(ExtraKind::Voluntary),
            "special" => Some(ExtraKind::Special),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ExtraKind::Voluntary => "自愿多交党费",
            ExtraKind::Special => "特殊党费",
        }
    }
}

/// How a payment reached the branch.
pub const CHANNELS: [&str; 3] = ["现金", "转账", "线上"];

pub fn parse_channel(input: &str) -> Result<&'static str, String> {
    let text = input.trim();
    CHANNELS
        .into_iter()
        .find(|c| *c == text)
        .ok_or_else(|| format!("交纳方式应为{}之一", CHANNELS.join("、")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn warning_at_three_and_case_at_six() {
        assert_eq!(ArrearsLevel::of(2), ArrearsLevel::None);
        assert_eq!(ArrearsLevel::of(3), ArrearsLevel::Warning);
        assert_eq!(ArrearsLevel::of(5), ArrearsLevel::Warning);
        assert_eq!(ArrearsLevel::of(6), ArrearsLevel::Case);
    }

    #[test]
    fn partial_payment_is_its_own_state() {
        assert_eq!(
            MonthStatus::from_amounts(Fen(4500), Fen(0)),
            MonthStatus::Unpaid
        );
        assert_eq!(
            MonthStatus::from_amounts(Fen(4500), Fen(4499)),
            MonthStatus::Partial
        );
        assert_eq!(
            MonthStatus::from_amounts(Fen(4500), Fen(4500)),
            MonthStatus::Paid
        );
        assert_eq!(
            MonthStatus::from_amounts(Fen(0), Fen(0)),
            MonthStatus::Exempt
        );
        assert!(MonthStatus::Partial.owes() && !MonthStatus::Exempt.owes());
    }

    #[test]
    fn channels_are_the_three_known() {
        assert_eq!(parse_channel("转账"), Ok("转账"));
        assert!(parse_channel("支票").is_err());
    }

    proptest! {
        /// The streak after any sequence of months is the length of its trailing owing run, and
        /// the level follows it: a paid or exempt month resets the count.
        #[test]
        fn the_streak_is_the_trailing_run_of_owing_months(months in prop::collection::vec(0u8..4, 0..30)) {
            let statuses: Vec<MonthStatus> = months.iter().map(|m| match m {
                0 => MonthStatus::Unpaid, 1 => MonthStatus::Partial, 2 => MonthStatus::Paid, _ => MonthStatus::Exempt,
            }).collect();
            let streak = statuses.iter().fold(0, |s, st| next_streak(s, *st));
            let trailing = statuses.iter().rev().take_while(|s| s.owes()).count() as i64;
            prop_assert_eq!(streak, trailing);
            prop_assert_eq!(ArrearsLevel::of(streak) >= ArrearsLevel::Warning, trailing >= 3);
            prop_assert_eq!(ArrearsLevel::of(streak) == ArrearsLevel::Case, trailing >= 6);
        }
    }
}
