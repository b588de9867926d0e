//! 生成本月计划: which required activities a node still lacks in a month, and the day to draft
//! each on. The drafts copy the node's last meeting of the kind (place, people, time, agenda); the
//! secretary reviews and publishes them, so a month's plan is a check, not a form filled five
//! times.

use jiff::civil::Date;

use super::kind::{ActivityKind, Frequency};
use super::period::Period;
use crate::Month;

/// The period of a frequency that contains a month: the month, its quarter or its year.
pub fn period_containing(frequency: Frequency, month: Month) -> Period {
    match frequency {
        Frequency::Monthly => Period::Month(month),
        Frequency::Quarterly => Period::Quarter {
            year: month.year(),
            quarter: month.quarter(),
        },
        Frequency::Yearly => Period::Year(month.year()),
    }
}

/// The required kinds the node has not yet planned in the period of their frequency that
/// contains `month`: monthly ones for the month, quarterly ones for its quarter. A yearly
/// activity (组织生活会) is planned on its own occasion, once a year, not drafted every month.
/// `planned` is every activity of the node that is not cancelled: kind and day.
pub fn still_due(
    required: &[(ActivityKind, Frequency)],
    planned: &[(ActivityKind, Date)],
    month: Month,
) -> Vec<ActivityKind> {
    required
        .iter()
        .filter(|(_, frequency)| *frequency != Frequency::Yearly)
        .filter(|(kind, frequency)| {
            let period = period_containing(*frequency, month);
            !planned.iter().any(|(planned_kind, day)| {
                planned_kind == kind && *day >= period.first_day() && *day <= period.last_day()
            })
        })
        .map(|(kind, _)| *kind)
        .collect()
}

/// The day a draft is put on: the day of the month the last one was held (a branch that meets on
/// the 10th keeps meeting on the 10th), the 15th when there was none; never before `today`, never
/// after the month ends.
pub fn suggested_day(last: Option<Date>, month: Month, today: Date) -> Date {
    let last_day = month.last_day();
    let day = last.map_or(15, |d| d.day()).min(last_day.day());
    let wanted = Date::new(month.year(), month.number(), day).unwrap_or(last_day);
    wanted.max(today).min(last_day)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn day(text: &str) -> Date {
        text.parse().expect("date")
    }

    fn month(text: &str) -> Month {
        Month::parse(text).expect("month")
    }

    #[test]
    fn a_branch_lacks_what_it_has_not_planned_in_the_month_or_quarter() {
        let required = ActivityKind::required_of(crate::OrgKind::Branch, true);
        let planned = [
            (ActivityKind::ThemeDay, day("2026-12-05")),
            (ActivityKind::PartyLecture, day("2026-10-20")),
            (ActivityKind::CommitteeMeeting, day("2026-11-30")),
            (ActivityKind::BranchAssembly, day("2026-09-30")),
        ];
        assert_eq!(
            still_due(&required, &planned, month("2026-12")),
            vec![ActivityKind::BranchAssembly, ActivityKind::CommitteeMeeting],
            "the lecture of Q4 is planned; the assembly of Q3 and November's 支委会 do not count"
        );
        let group = ActivityKind::required_of(crate::OrgKind::Group, false);
        assert_eq!(
            still_due(&group, &[], month("2027-01")),
            vec![ActivityKind::GroupMeeting]
        );
    }

    #[test]
    fn a_draft_keeps_the_day_of_the_month_it_was_held_on() {
        let today = day("2026-12-02");
        assert_eq!(
            suggested_day(Some(day("2026-11-10")), month("2026-12"), today),
            day("2026-12-10")
        );
        assert_eq!(
            suggested_day(Some(day("2026-10-31")), month("2027-02"), today),
            day("2027-02-28"),
            "the 31st becomes February's last day"
        );
        assert_eq!(
            suggested_day(None, month("2026-12"), today),
            day("2026-12-15")
        );
        assert_eq!(
            suggested_day(Some(day("2026-11-01")), month("2026-12"), today),
            today,
            "never in the past"
        );
    }

    proptest! {
        #[test]
        fn the_suggested_day_is_in_the_month_and_not_before_today(
            last in proptest::option::of(0i32..3650),
            offset in 0i32..400,
            ahead in 0i8..14,
        ) {
            let start = day("2025-01-01");
            let today = start.checked_add(jiff::Span::new().days(offset)).expect("date");
            let mut wanted = Month::of(today);
            for _ in 0..ahead {
                wanted = wanted.next();
            }
            let last = last.map(|d| start.checked_add(jiff::Span::new().days(d)).expect("date"));
            let chosen = suggested_day(last, wanted, today);
            prop_assert!(wanted.contains(chosen), "{chosen} outside {wanted}");
            prop_assert!(chosen >= today);
        }
    }
}
