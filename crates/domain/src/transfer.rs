//! Transfers of membership (组织关系转接), RULES.md "Transfers".

use jiff::ToSpan;
use jiff::civil::Date;

/// An introduction letter (介绍信) is generally valid for 3 months: the member reports to the
/// receiving organization within that time and the receiving side returns the slip (回执).
pub const LETTER_VALID_MONTHS: i32 = 3;

/// The day by which the return slip of a letter issued on `issued` is due.
pub fn slip_due(issued: Date) -> Date {
    issued.saturating_add(LETTER_VALID_MONTHS.months())
}

/// Whether a letter's return slip is overdue on `today`: past its due day and not returned.
pub fn slip_overdue(due: Date, returned: Option<Date>, today: Date) -> bool {
    returned.is_none() && today > due
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn the_slip_is_due_three_months_after_the_letter() {
        assert_eq!(slip_due(date(2026, 1, 15)), date(2026, 4, 15));
        assert_eq!(
            slip_due(date(2026, 11, 30)),
            date(2027, 2, 28),
            "month ends clamp"
        );
    }

    #[test]
    fn overdue_only_after_the_due_day_and_without_a_slip() {
        let due = date(2026, 4, 15);
        assert!(!slip_overdue(due, None, date(2026, 4, 15)));
        assert!(slip_overdue(due, None, date(2026, 4, 16)));
        assert!(!slip_overdue(
            due,
            Some(date(2026, 4, 20)),
            date(2026, 5, 1)
        ));
    }
}
