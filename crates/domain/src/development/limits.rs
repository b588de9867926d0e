//! The time limits of member development, as date arithmetic.
//!
//! How periods are counted (民法典 art. 201, which the Party's own texts follow in practice): a
//! period of months or years ends on the day of the final month that has the same number as the
//! starting day; when that month has no such day, on its last day. So "one month after 01-31" is
//! 02-28 (02-29 in a leap year), "one year after 2024-02-29" is 2025-02-28, and "one month after
//! 03-15" is 04-15. A deadline day itself is allowed ("within a month" includes 04-15), and an
//! earliest day itself is allowed ("at least a year" is met on 2026-03-15 for 2025-03-15).
//! jiff's span arithmetic clamps to the month's last day in exactly this way.
//!
//! Ages are the exception: a person born on 02-29 turns 18 on 03-01 in a common year, as
//! [`crate::member::age_on`] counts (a birthday has not come until the day after 02-28).

use jiff::ToSpan;
use jiff::civil::Date;

use crate::member::{MIN_AGE_TO_JOIN, age_on};

/// 发展细则 art. 5 (and 党章 art. 1): the applicant is at least 18 on the day of applying.
pub const MIN_AGE: i16 = MIN_AGE_TO_JOIN;
/// 发展细则 art. 8: the Party organization sends someone to talk with the applicant within one
/// month of receiving the application.
pub const TALK_WITHIN_MONTHS: i32 = 1;
/// 发展细则 art. 13: a development candidate has been an activist for more than a year of
/// training and evaluation.
pub const ACTIVIST_YEARS: i16 = 1;
/// 发展细则 art. 12: the branch evaluates its activists at least every half year (每半年).
pub const EVALUATION_EVERY_MONTHS: i32 = 6;
/// 发展细则 art. 18: concentrated training generally of at least 3 days or 24 class hours.
pub const MIN_TRAINING_DAYS: u32 = 3;
pub const MIN_CLASS_HOURS: u32 = 24;
/// 发展细则 art. 26: the superior committee approves within 3 months of the branch assembly;
/// in special circumstances it may extend, but not beyond 6 months in total.
pub const APPROVAL_WITHIN_MONTHS: i32 = 3;
pub const APPROVAL_EXTENDED_MONTHS: i32 = 6;
/// 党章 art. 7 and 发展细则 art. 31: the probation is one year from the branch assembly's vote.
pub const PROBATION_YEARS: i16 = 1;
/// 发展细则 art. 34: the probation may be extended once, by at least half a year and at most one
/// year.
pub const EXTENSION_MIN_MONTHS: u32 = 6;
pub const EXTENSION_MAX_MONTHS: u32 = 12;
/// 发展细则 art. 35: the superior approves a conversion within 3 months of the branch assembly.
pub const CONVERSION_APPROVAL_MONTHS: i32 = 3;

/// The same-numbered day `months` later, or that month's last day (see the module comment).
pub fn months_after(from: Date, months: i32) -> Date {
    from.saturating_add(months.months())
}

/// The same day `years` later; 02-29 becomes 02-28 in a common year.
pub fn years_after(from: Date, years: i16) -> Date {
    from.saturating_add(i64::from(years).years())
}

/// The first day on which a person born on `birth` is `years` old, counted as
/// [`age_on`] counts: a 02-29 birthday falls on 03-01 in a common year.
pub fn birthday(birth: Date, years: i16) -> Date {
    let same_day = years_after(birth, years);
    if age_on(birth, same_day) >= years {
        same_day
    } else {
        same_day.tomorrow().unwrap_or(same_day)
    }
}

/// Step 1: the first day an application may be submitted.
pub fn earliest_application(birth: Date) -> Date {
    birthday(birth, MIN_AGE)
}

/// Step 2: the last day for the talk after the application of `applied`.
pub fn talk_due(applied: Date) -> Date {
    months_after(applied, TALK_WITHIN_MONTHS)
}

/// Step 7: the first day an activist designated on `activist` may become a development candidate.
pub fn earliest_candidate(activist: Date) -> Date {
    years_after(activist, ACTIVIST_YEARS)
}

/// Step 6: the last day of the next evaluation after the one (or the designation) of `previous`.
pub fn evaluation_due(previous: Date) -> Date {
    months_after(previous, EVALUATION_EVERY_MONTHS)
}

/// Step 17: the last day for the superior's approval after the assembly of `admitted`.
pub fn approval_due(admitted: Date, extended: bool) -> Date {
    let months = if extended {
        APPROVAL_EXTENDED_MONTHS
    } else {
        APPROVAL_WITHIN_MONTHS
    };
    months_after(admitted, months)
}

/// The end of the probation (the 转正日期 of a timely conversion): one year after the admission
/// vote, plus an extension of `extension_months`.
pub fn probation_end(admitted: Date, extension_months: Option<u32>) -> Date {
    let end = years_after(admitted, PROBATION_YEARS);
    match extension_months {
        Some(months) => months_after(end, i32::try_from(months).unwrap_or(i32::MAX)),
        None => end,
    }
}

/// Step 24: the last day for the superior's approval of a conversion voted on `voted`.
pub fn conversion_approval_due(voted: Date) -> Date {
    months_after(voted, CONVERSION_APPROVAL_MONTHS)
}

/// Whether an extension length is allowed.
pub fn extension_allowed(months: u32) -> bool {
    (EXTENSION_MIN_MONTHS..=EXTENSION_MAX_MONTHS).contains(&months)
}
