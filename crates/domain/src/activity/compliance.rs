//! Whether required activities were held, and members' participation (RULES.md "Organizational
//! life"). The system flags; it never acts on a member by itself.

use std::collections::BTreeSet;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::Period;
use crate::Month;

/// A required activity in one judged period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CellStatus {
    /// At least one was held in the period.
    Done,
    /// The period is running and none has been held yet.
    Due,
    /// The period ended without one.
    Overdue,
    /// The period has not begun.
    NotYet,
}

impl CellStatus {
    pub fn judge(held: i64, period: Period, today: Date) -> CellStatus {
        if held > 0 {
            CellStatus::Done
        } else if period.last_day() < today {
            CellStatus::Overdue
        } else if period.first_day() > today {
            CellStatus::NotYet
        } else {
            CellStatus::Due
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            CellStatus::Done => "已开展",
            CellStatus::Due => "待开展",
            CellStatus::Overdue => "未开展（已逾期）",
            CellStatus::NotYet => "未到期",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            CellStatus::Done => "done",
            CellStatus::Due => "due",
            CellStatus::Overdue => "overdue",
            CellStatus::NotYet => "not_yet",
        }
    }
}

/// How many whole months, counting back from `through`, the member took no part in organizational
/// life: neither attended nor was excused (approved leave is a proper reason). Months before
/// `since` (when the member joined this organization) do not count.
pub fn months_without_life(taken_part: &BTreeSet<Month>, since: Month, through: Month) -> u32 {
    let months: Vec<Month> = since.through(through).collect();
    let count = months
        .iter()
        .rev()
        .take_while(|month| !taken_part.contains(month))
        .count();
    u32::try_from(count).unwrap_or(u32::MAX)
}

/// The last month that has ended: the current month is not judged until it is over.
pub fn last_complete_month(today: Date) -> Month {
    Month::of(today).previous()
}

/// What the consecutive-months rule says about a member.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LifeFlag {
    /// 3 to 5 months: the branch should talk to the member.
    Watch,
    /// 6 months or more: 党章 art. 9 — regarded as having left the Party of one's own accord if
    /// without proper reason; the branch must decide and the superior approve.
    SixMonths,
}

/// A flag at 3 months; the 党章 art. 9 warning at 6.
pub const WATCH_MONTHS: u32 = 3;
pub const CASE_MONTHS: u32 = 6;

impl LifeFlag {
    pub fn of(months: u32) -> Option<LifeFlag> {
        if months >= CASE_MONTHS {
            Some(LifeFlag::SixMonths)
        } else if months >= WATCH_MONTHS {
            Some(LifeFlag::Watch)
        } else {
            None
        }
    }

    pub fn message(self, months: u32) -> String {
        match self {
            LifeFlag::Watch => {
                format!("已连续 {months} 个月未参加组织生活，请支部及时谈心谈话、了解情况。")
            }
            LifeFlag::SixMonths => format!(
                "已连续 {months} 个月未参加组织生活。按党章第九条，党员连续六个月不参加党的组织生活又无正当理由的，应视为自行脱党，须由支部讨论决定并报上级党组织批准。本系统仅作提示，不会自动处理。"
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use proptest::prelude::*;

    fn m(year: i16, month: i8) -> Month {
        Month::new(year, month).expect("valid")
    }

    #[test]
    fn judged_at_the_period_boundaries() {
        let q3 = Period::parse("2026-Q3").expect("valid");
        assert_eq!(CellStatus::judge(0, q3, date(2026, 9, 30)), CellStatus::Due);
        assert_eq!(
            CellStatus::judge(0, q3, date(2026, 10, 1)),
            CellStatus::Overdue
        );
        assert_eq!(
            CellStatus::judge(1, q3, date(2026, 10, 1)),
            CellStatus::Done
        );
        assert_eq!(
            CellStatus::judge(0, q3, date(2026, 6, 30)),
            CellStatus::NotYet
        );
        assert_eq!(CellStatus::judge(0, q3, date(2026, 7, 1)), CellStatus::Due);
    }

    #[test]
    fn streak_counts_back_across_the_year_end() {
        let taken: BTreeSet<Month> = [m(2026, 9)].into_iter().collect();
        assert_eq!(months_without_life(&taken, m(2020, 1), m(2027, 2)), 5);
        assert_eq!(months_without_life(&taken, m(2020, 1), m(2026, 9)), 0);
        // Months before the member joined do not count.
        assert_eq!(
            months_without_life(&BTreeSet::new(), m(2026, 12), m(2027, 2)),
            3
        );
        // The count stops at the first month there is.
        assert_eq!(
            months_without_life(&BTreeSet::new(), Month::MIN, m(1900, 3)),
            3
        );
    }

    #[test]
    fn flags_at_three_and_six() {
        assert_eq!(LifeFlag::of(2), None);
        assert_eq!(LifeFlag::of(3), Some(LifeFlag::Watch));
        assert_eq!(LifeFlag::of(5), Some(LifeFlag::Watch));
        assert_eq!(LifeFlag::of(6), Some(LifeFlag::SixMonths));
        assert!(LifeFlag::SixMonths.message(6).contains("党章第九条"));
        assert!(LifeFlag::SixMonths.message(6).contains("不会自动处理"));
    }

    #[test]
    fn current_month_is_not_judged() {
        assert_eq!(last_complete_month(date(2026, 1, 15)), m(2025, 12));
    }

    proptest! {
        #[test]
        fn streak_never_exceeds_the_months_since_joining(months in proptest::collection::btree_set(0u32..36, 0..20), joined in 0u32..36, through in 0u32..36) {
            let to_month = |i: u32| {
                let index = i32::try_from(i).unwrap_or(0) + 2024 * 12;
                m(i16::try_from(index / 12).unwrap_or(2024), i8::try_from(index % 12 + 1).unwrap_or(1))
            };
            let taken: BTreeSet<Month> = months.iter().map(|i| to_month(*i)).collect();
            let streak = months_without_life(&taken, to_month(joined), to_month(through));
            let bound = if through >= joined { through - joined + 1 } else { 0 };
            prop_assert!(streak <= bound);
            if taken.contains(&to_month(through)) {
                prop_assert_eq!(streak, 0);
            }
        }
    }
}
