//! A calendar month, the period dues are paid for (DESIGN.md: periods are a domain type). Stored
//! as `YYYY-MM` text, which sorts in time order on both databases.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Month {
    year: i16,
    month: i8,
}

impl Month {
    pub fn new(year: i16, month: i8) -> Option<Month> {
        ((1900..=2999).contains(&year) && (1..=12).contains(&month))
            .then_some(Month { year, month })
    }

    /// `2026-03` (also `2026-3`); anything else is refused with a Chinese message.
    pub fn parse(input: &str) -> Result<Month, String> {
        let text = input.trim();
        let bad = || format!("「{text}」不是有效的月份，请写成 2026-03 的形式");
        let (y, m) = text.split_once('-').ok_or_else(bad)?;
        if y.len() != 4 || m.is_empty() || m.len() > 2 {
            return Err(bad());
        }
        let year = y.parse().map_err(|_| bad())?;
        let month = m.parse().map_err(|_| bad())?;
        Month::new(year, month).ok_or_else(bad)
    }

    pub fn of(date: Date) -> Month {
        Month {
            year: date.year(),
            month: date.month(),
        }
    }

    pub fn year(self) -> i16 {
        self.year
    }

    pub fn number(self) -> i8 {
        self.month
    }

    pub fn first_day(self) -> Date {
        Date::new(self.year, self.month, 1).unwrap_or(Date::MIN)
    }

    pub fn last_day(self) -> Date {
        self.first_day().last_of_month()
    }

    pub fn next(self) -> Month {
        if self.month == 12 {
            Month {
                year: self.year + 1,
                month: 1,
            }
        } else {
            Month {
                year: self.year,
                month: self.month + 1,
            }
        }
    }

    pub fn prev(self) -> Month {
        if self.month == 1 {
            Month {
                year: self.year - 1,
                month: 12,
            }
        } else {
            Month {
                year: self.year,
                month: self.month - 1,
            }
        }
    }

    /// Months from `self` to `last`, both included (empty when `last` is earlier).
    pub fn through(self, last: Month) -> impl Iterator<Item = Month> {
        std::iter::successors(Some(self), move |m| Some(m.next())).take_while(move |m| *m <= last)
    }

    /// `2026年3月`, how people read it.
    pub fn label(self) -> String {
        format!("{}年{}月", self.year, self.month)
    }
}

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
    use jiff::civil::date;

    #[test]
    fn months_parse_print_and_step_across_years() {
        let dec = Month::parse("2025-12").expect("valid");
        assert_eq!(dec.to_string(), "2025-12");
        assert_eq!(dec.next().to_string(), "2026-01");
        assert_eq!(dec.next().prev(), dec);
        assert_eq!(
            Month::parse("2026-3").expect("valid").to_string(),
            "2026-03"
        );
        assert_eq!(dec.last_day(), date(2025, 12, 31));
        assert_eq!(
            Month::parse("2024-02").expect("valid").last_day(),
            date(2024, 2, 29)
        );
        assert_eq!(
            dec.through(Month::parse("2026-02").expect("valid")).count(),
            3
        );
        for bad in ["2026-13", "2026-00", "26-03", "2026/03", "", "2026-003"] {
            assert!(Month::parse(bad).is_err(), "{bad}");
        }
        assert!("2025-12" < "2026-01", "the stored text sorts in time order");
    }
}
