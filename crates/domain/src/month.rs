//! A calendar month: the period dues are paid for and the unit organizational life is counted in
//! (DESIGN.md: periods are a domain type). Stored as `YYYY-MM` text, which sorts in time order on
//! both databases; the same text is the key in URLs and activity counters.

use std::ops::RangeInclusive;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// A month of the China calendar, always within [`Month::YEARS`]: the fields are private so that
/// an invalid month cannot be built, and every constructor and step stays in range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Month {
    year: i16,
    /// 1–12.
    month: i8,
}

impl Month {
    /// The years a month may fall in. No Party record predates 1900, and the bound keeps all
    /// arithmetic in range: a year one either side of it is still a valid `i16` and jiff `Date`,
    /// and four digits always print as the stored `YYYY-MM`.
    pub const YEARS: RangeInclusive<i16> = 1900..=2999;

    /// The first month there is: January 1900.
    pub const MIN: Month = Month {
        year: 1900,
        month: 1,
    };

    /// The last month there is: December 2999.
    pub const MAX: Month = Month {
        year: 2999,
        month: 12,
    };

    /// The month, if the year is within [`Month::YEARS`] and the month is 1–12.
    pub fn new(year: i16, month: i8) -> Option<Month> {
        (Month::YEARS.contains(&year) && (1..=12).contains(&month)).then_some(Month { year, month })
    }

    /// `2026-03` (also `2026-3`, surrounding spaces ignored); anything else is refused with a
    /// Chinese message.
    pub fn parse(input: &str) -> Result<Month, String> {
        let text = input.trim();
        let bad = || format!("「{text}」不是有效的月份，请写成 2026-03 的形式");
        let (y, m) = text.split_once('-').ok_or_else(bad)?;
        let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if y.len() != 4 || m.is_empty() || m.len() > 2 || !digits(y) || !digits(m) {
            return Err(bad());
        }
        let year = y.parse().map_err(|_| bad())?;
        let month = m.parse().map_err(|_| bad())?;
        Month::new(year, month).ok_or_else(bad)
    }

    /// The month the date falls in; a date outside [`Month::YEARS`] gives [`Month::MIN`] or
    /// [`Month::MAX`].
    pub fn of(date: Date) -> Month {
        Month::new(date.year(), date.month()).unwrap_or(if date.year() < *Month::YEARS.start() {
            Month::MIN
        } else {
            Month::MAX
        })
    }

    pub fn year(self) -> i16 {
        self.year
    }

    /// 1–12.
    pub fn number(self) -> i8 {
        self.month
    }

    /// 1–4.
    pub fn quarter(self) -> i8 {
        (self.month - 1) / 3 + 1
    }

    pub fn first_day(self) -> Date {
        Date::new(self.year, self.month, 1).unwrap_or(Date::MIN)
    }

    pub fn last_day(self) -> Date {
        self.first_day().last_of_month()
    }

    pub fn contains(self, date: Date) -> bool {
        self.first_day() <= date && date <= self.last_day()
    }

    /// The month after; [`Month::MAX`] stays where it is.
    pub fn next(self) -> Month {
        match self {
            Month::MAX => self,
            Month { year, month: 12 } => Month {
                year: year + 1,
                month: 1,
            },
            Month { year, month } => Month {
                year,
                month: month + 1,
            },
        }
    }

    /// The month before; [`Month::MIN`] stays where it is.
    pub fn previous(self) -> Month {
        match self {
            Month::MIN => self,
            Month { year, month: 1 } => Month {
                year: year - 1,
                month: 12,
            },
            Month { year, month } => Month {
                year,
                month: month - 1,
            },
        }
    }

    /// Months from `self` to `last`, both included (empty when `last` is earlier).
    pub fn through(self, last: Month) -> impl Iterator<Item = Month> {
        std::iter::successors((self <= last).then_some(self), move |m| {
            (*m < last).then(|| m.next())
        })
    }

    /// `2026年3月`, how people read it.
    pub fn label(self) -> String {
        format!("{}年{}月", self.year, self.month)
    }
}

/// `2026-03`, the stored form.
impl std::fmt::Display for Month {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl TryFrom<String> for Month {
    type Error = String;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Month::parse(&value)
    }
}

impl From<Month> for String {
    fn from(value: Month) -> Self {
        value.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::ToSpan;
    use jiff::civil::date;
    use proptest::prelude::*;

    fn m(year: i16, month: i8) -> Month {
        Month::new(year, month).expect("valid")
    }

    #[test]
    fn months_parse_print_and_step_across_years() {
        let dec = Month::parse("2025-12").expect("valid");
        assert_eq!(dec.to_string(), "2025-12");
        assert_eq!(dec.next().to_string(), "2026-01");
        assert_eq!(dec.next().previous(), dec);
        assert_eq!(
            Month::parse("2026-3").expect("valid").to_string(),
            "2026-03"
        );
        assert_eq!(Month::parse(" 2026-11 "), Ok(m(2026, 11)));
        assert_eq!(dec.last_day(), date(2025, 12, 31));
        assert_eq!(
            Month::parse("2024-02").expect("valid").last_day(),
            date(2024, 2, 29)
        );
        assert_eq!(
            dec.through(Month::parse("2026-02").expect("valid")).count(),
            3
        );
        assert_eq!(m(2026, 2).through(dec).count(), 0);
        assert_eq!(dec.through(dec).collect::<Vec<_>>(), [dec]);
        for bad in [
            "2026-13", "2026-00", "26-03", "2026/03", "", "2026-003", "2026-+3", "+202-03",
            "1899-12", "3000-01",
        ] {
            assert!(Month::parse(bad).is_err(), "{bad}");
        }
        assert!(
            Month::parse("2026-13")
                .unwrap_err()
                .contains("不是有效的月份")
        );
        assert!("2025-12" < "2026-01", "the stored text sorts in time order");
    }

    #[test]
    fn february_ends_on_the_right_day() {
        assert_eq!(m(2028, 2).last_day(), date(2028, 2, 29));
        assert_eq!(m(2026, 2).last_day(), date(2026, 2, 28));
    }

    #[test]
    fn months_wrap_at_year_end() {
        let december = m(2026, 12);
        assert_eq!(december.next(), m(2027, 1));
        assert_eq!(december.next().previous(), december);
        assert_eq!(m(2027, 1).previous(), december);
    }

    #[test]
    fn quarters_and_labels() {
        assert_eq!(m(2026, 3).quarter(), 1);
        assert_eq!(m(2026, 4).quarter(), 2);
        assert_eq!(m(2026, 12).quarter(), 4);
        assert_eq!(m(2026, 3).label(), "2026年3月");
    }

    #[test]
    fn the_bounds_hold() {
        assert_eq!(Month::new(1899, 12), None);
        assert_eq!(Month::new(3000, 1), None);
        assert_eq!(Month::new(2026, 0), None);
        assert_eq!(Month::new(2026, 13), None);
        assert_eq!(Month::MIN.previous(), Month::MIN);
        assert_eq!(Month::MAX.next(), Month::MAX);
        assert_eq!(Month::of(date(1800, 5, 1)), Month::MIN);
        assert_eq!(Month::of(date(3100, 5, 1)), Month::MAX);
        assert_eq!(Month::MAX.through(Month::MAX).count(), 1);
        assert_eq!(Month::MIN.to_string(), "1900-01");
        assert_eq!(Month::MAX.to_string(), "2999-12");
    }

    #[test]
    fn serde_uses_the_stored_text() {
        // `#[serde(try_from = "String", into = "String")]` goes through these two.
        assert_eq!(String::from(m(2026, 3)), "2026-03");
        assert_eq!(Month::try_from("2026-03".to_string()), Ok(m(2026, 3)));
        assert!(Month::try_from("2026-13".to_string()).is_err());
    }

    fn any_month() -> impl Strategy<Value = Month> {
        (Month::YEARS, 1i8..=12).prop_map(|(y, n)| m(y, n))
    }

    fn any_day() -> impl Strategy<Value = Date> {
        let span = date(2999, 12, 31) - date(1900, 1, 1);
        (0i32..=span.get_days()).prop_map(|n| date(1900, 1, 1).saturating_add(n.days()))
    }

    proptest! {
        #[test]
        fn parse_reads_what_display_writes(month in any_month()) {
            let text = month.to_string();
            prop_assert_eq!(text.len(), 7);
            prop_assert_eq!(Month::parse(&text), Ok(month));
        }

        #[test]
        fn next_then_previous_is_identity(month in any_month()) {
            if month != Month::MAX {
                prop_assert!(month.next() > month);
                prop_assert_eq!(month.next().previous(), month);
                prop_assert_eq!(month.next().first_day(), month.last_day().tomorrow().expect("in range"));
            }
            if month != Month::MIN {
                prop_assert_eq!(month.previous().next(), month);
            }
        }

        #[test]
        fn of_contains_the_date(day in any_day()) {
            let month = Month::of(day);
            prop_assert!(month.first_day() <= day && day <= month.last_day());
            prop_assert!(month.contains(day));
        }
    }
}
