//! Property tests around every time limit: any start day (month ends and leap days included), the
//! limit's own day is allowed and the day beyond it is refused.

use jiff::ToSpan;
use jiff::civil::{Date, date};
use proptest::prelude::*;

use super::limits::*;
use super::tests::{carried, edit, journey, refusals, with_date};
use super::*;
use crate::member::age_on;

/// Any day from 1990 to 2030, weighted towards month ends (the 28th to the 31st) and 02-29.
fn any_day() -> impl Strategy<Value = Date> {
    prop_oneof![
        (0i64..14_600).prop_map(|n| date(1990, 1, 1).saturating_add(n.days())),
        (1990i16..2030, 1i8..=12).prop_map(|(y, m)| date(y, m, 1).last_of_month()),
        (0i16..10).prop_map(|k| date(1992 + 4 * k, 2, 29)),
    ]
}

fn next(d: Date) -> Date {
    d.tomorrow().expect("in range")
}

fn prev(d: Date) -> Date {
    d.yesterday().expect("in range")
}

fn days_in(y: i16, m: i8) -> i8 {
    date(y, m, 1).days_in_month()
}

/// The calendar rule of the module comment, written out independently of jiff's arithmetic.
fn by_calendar(from: Date, months: i32) -> Date {
    let total = i32::from(from.year()) * 12 + i32::from(from.month() - 1) + months;
    let (y, m) = (
        i16::try_from(total.div_euclid(12)).expect("year"),
        i8::try_from(total.rem_euclid(12) + 1).expect("month"),
    );
    date(y, m, from.day().min(days_in(y, m)))
}

proptest! {
    #[test]
    fn months_and_years_follow_the_calendar_rule(d in any_day(), months in 1i32..=24) {
        prop_assert_eq!(months_after(d, months), by_calendar(d, months));
        prop_assert_eq!(years_after(d, 1), by_calendar(d, 12));
    }

    #[test]
    fn an_applicant_is_18_from_the_earliest_day_on(birth in any_day(), offset in -3i64..=3) {
        let earliest = earliest_application(birth);
        let day = earliest.saturating_add(offset.days());
        prop_assert_eq!(age_on(birth, day) >= 18, day >= earliest);
        let mut file = journey();
        file.birth_date = birth;
        let file = with_date(file, 1, day);
        let refused = refusals(&file, 1).iter().any(|m| m.contains("年满 18 周岁"));
        prop_assert_eq!(refused, day < earliest);
    }

    #[test]
    fn the_talk_may_be_held_on_the_due_day_but_not_after(applied in any_day()) {
        let due = talk_due(applied);
        let file = with_date(journey(), 1, applied);
        let talk_refused = |day: Date| {
            refusals(&with_date(file.clone(), 2, day), 2).iter().any(|m| m.contains("一个月内"))
        };
        prop_assert!(!talk_refused(due));
        prop_assert!(talk_refused(next(due)));
        prop_assert_eq!(due, by_calendar(applied, 1));
    }

    #[test]
    fn a_candidate_is_named_a_full_year_after_the_activist(activist in any_day()) {
        let earliest = earliest_candidate(activist);
        prop_assert_eq!(earliest, by_calendar(activist, 12));
        let file = with_date(journey(), 3, activist);
        let refused = |day: Date| {
            refusals(&with_date(file.clone(), 7, day), 7).iter().any(|m| m.contains("未满一年"))
        };
        prop_assert!(!refused(earliest));
        prop_assert!(refused(prev(earliest)));
    }

    #[test]
    fn the_approval_deadline_is_three_or_six_months(admitted in any_day(), extended: bool) {
        let due = approval_due(admitted, extended);
        prop_assert_eq!(due, by_calendar(admitted, if extended { 6 } else { 3 }));
        let file = edit(with_date(journey(), 15, admitted), 17, |r| r.approval_extended = extended);
        let refused = |day: Date| {
            refusals(&with_date(file.clone(), 17, day), 17).iter().any(|m| m.contains("审批"))
        };
        prop_assert!(!refused(due));
        prop_assert!(refused(next(due)));
    }

    #[test]
    fn probation_ends_exactly_one_year_after_admission(admitted in any_day()) {
        let end = probation_end(admitted, None);
        prop_assert_eq!(end, by_calendar(admitted, 12));
        let file = with_date(journey(), 15, admitted);
        let vote_refused = |day: Date| {
            refusals(&with_date(file.clone(), 23, day), 23).iter().any(|m| m.contains("预备期未满"))
        };
        prop_assert!(!vote_refused(end));
        prop_assert!(vote_refused(prev(end)));
        let application_refused = |day: Date| {
            refusals(&with_date(file.clone(), 22, day), 22).iter().any(|m| m.contains("预备期满前"))
        };
        prop_assert!(!application_refused(end));
        prop_assert!(application_refused(next(end)));
    }

    #[test]
    fn an_extension_is_six_to_twelve_months_and_moves_the_end(admitted in any_day(), months in 0u32..=30) {
        prop_assert_eq!(extension_allowed(months), (6..=12).contains(&months));
        let mut file = with_date(journey(), 15, admitted);
        let original = probation_end(admitted, None);
        file.probation.extension = Some(Extension { date: original, months, vote: Some(carried()), reason: None });
        let refused = refusals(&file, 23).iter().any(|m| m.contains("不少于半年"));
        prop_assert_eq!(refused, !extension_allowed(months));
        if extension_allowed(months) {
            let end = probation_end(admitted, Some(months));
            prop_assert_eq!(end, by_calendar(original, i32::try_from(months).expect("small")));
            let vote_refused = |day: Date| {
                refusals(&with_date(file.clone(), 23, day), 23).iter().any(|m| m.contains("预备期未满"))
            };
            prop_assert!(!vote_refused(end));
            prop_assert!(vote_refused(prev(end)));
        }
    }

    #[test]
    fn the_conversion_is_approved_within_three_months(voted in any_day()) {
        let due = conversion_approval_due(voted);
        prop_assert_eq!(due, by_calendar(voted, 3));
        let file = with_date(journey(), 23, voted);
        let refused = |day: Date| {
            refusals(&with_date(file.clone(), 24, day), 24).iter().any(|m| m.contains("转正后三个月内"))
        };
        prop_assert!(!refused(due));
        prop_assert!(refused(next(due)));
    }

    #[test]
    fn evaluations_are_due_half_a_year_apart(activist in any_day()) {
        let due = evaluation_due(activist);
        prop_assert_eq!(due, by_calendar(activist, 6));
        let file = with_date(journey(), 3, activist);
        // Only the gap from the designation matters here; later gaps depend on step 7.
        let from_designation = format!("{} 之后", activist);
        let refused = |day: Date| {
            let f = edit(file.clone(), 6, |r| r.evaluations = vec![day]);
            refusals(&f, 6).iter().any(|m| m.contains(&from_designation))
        };
        prop_assert!(!refused(due));
        prop_assert!(refused(next(due)));
    }

    #[test]
    fn a_date_after_today_is_always_refused(step in 1u8..=25, ahead in 1i64..400) {
        let day = super::tests::TODAY.saturating_add(ahead.days());
        let file = with_date(journey(), step, day);
        prop_assert!(refusals(&file, step).iter().any(|m| m.contains("不能记录将来的日期")));
    }
}
