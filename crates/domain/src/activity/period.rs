//! Reporting periods: a month, a quarter or a year of the China calendar.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::Frequency;
use crate::Month;

/// A period a report or a compliance view covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Period {
    Month(Month),
    Quarter { year: i16, quarter: i8 },
    Year(i16),
}

const QUARTER_NAMES: [&str; 4] = ["第一季度", "第二季度", "第三季度", "第四季度"];

impl Period {
    /// Reads `2026-11` (month), `2026-Q4` (quarter) or `2026` (year).
    pub fn parse(text: &str) -> Option<Period> {
        let text = text.trim();
        if let Some((year, quarter)) = text.split_once(['Q', 'q']) {
            let year: i16 = year.trim_end_matches('-').parse().ok()?;
            let quarter: i8 = quarter.parse().ok()?;
            return (Month::YEARS.contains(&year) && (1..=4).contains(&quarter))
                .then_some(Period::Quarter { year, quarter });
        }
        if text.contains('-') {
            return Month::parse(text).ok().map(Period::Month);
        }
        let year: i16 = text.parse().ok()?;
        Month::YEARS.contains(&year).then_some(Period::Year(year))
    }

    /// The period of the given frequency that contains the date.
    pub fn containing(date: Date, frequency: Frequency) -> Period {
        let month = Month::of(date);
        match frequency {
            Frequency::Monthly => Period::Month(month),
            Frequency::Quarterly => Period::Quarter {
                year: month.year(),
                quarter: month.quarter(),
            },
            Frequency::Yearly => Period::Year(month.year()),
        }
    }

    /// The keys of the month, quarter and year a date falls in: the counters a held activity
    /// increments.
    pub fn keys_of(date: Date) -> [String; 3] {
        [Frequency::Monthly, Frequency::Quarterly, Frequency::Yearly]
            .map(|f| Period::containing(date, f).key())
    }

    /// `2026-11`, `2026-Q4` or `2026`: the form in URLs and counters.
    pub fn key(self) -> String {
        match self {
            Period::Month(m) => m.to_string(),
            Period::Quarter { year, quarter } => format!("{year:04}-Q{quarter}"),
            Period::Year(year) => format!("{year:04}"),
        }
    }

    pub fn label(self) -> String {
        match self {
            Period::Month(m) => m.label(),
            Period::Quarter { year, quarter } => {
                let name = QUARTER_NAMES
                    .get(usize::try_from(quarter - 1).unwrap_or(0))
                    .unwrap_or(&"");
                format!("{year}年{name}")
            }
            Period::Year(year) => format!("{year}年"),
        }
    }

    pub fn months(self) -> Vec<Month> {
        let (year, first, count) = match self {
            Period::Month(m) => return vec![m],
            Period::Quarter { year, quarter } => (year, (quarter - 1) * 3 + 1, 3),
            Period::Year(year) => (year, 1, 12),
        };
        (0..count)
            .filter_map(|i| Month::new(year, first + i))
            .collect()
    }

    pub fn first_day(self) -> Date {
        self.months()
            .first()
            .map(|m| m.first_day())
            .unwrap_or(Date::MIN)
    }

    pub fn last_day(self) -> Date {
        self.months()
            .last()
            .map(|m| m.last_day())
            .unwrap_or(Date::MAX)
    }

    pub fn contains(self, date: Date) -> bool {
        self.first_day() <= date && date <= self.last_day()
    }

    /// The periods of a frequency a compliance view of `self` is judged on: the three months of a
    /// quarter for a monthly activity; for an activity required less often than the view is long,
    /// the one longer period that contains the view (a quarterly assembly seen in a month view is
    /// judged on its quarter).
    pub fn judged_on(self, frequency: Frequency) -> Vec<Period> {
        let coarser = match (self, frequency) {
            (Period::Month(_), Frequency::Monthly)
            | (Period::Quarter { .. }, Frequency::Quarterly)
            | (Period::Year(_), Frequency::Yearly) => return vec![self],
            (Period::Month(_), _) | (Period::Quarter { .. }, Frequency::Yearly) => true,
            _ => false,
        };
        if coarser {
            return vec![Period::containing(self.first_day(), frequency)];
        }
        let mut periods = Vec::new();
        for month in self.months() {
            let p = Period::containing(month.first_day(), frequency);
            if periods.last() != Some(&p) {
                periods.push(p);
            }
        }
        periods
    }

    /// The period of the same length just before this one; the first period there is (in
    /// [`Month::YEARS`]) stays where it is, as [`Month::previous`] does, so that a step never
    /// gives a period with no months whose key no parser reads back.
    pub fn previous(self) -> Period {
        let first = *Month::YEARS.start();
        match self {
            Period::Month(m) => Period::Month(m.previous()),
            Period::Quarter { year, quarter: 1 } if year <= first => self,
            Period::Quarter { year, quarter: 1 } => Period::Quarter {
                year: year - 1,
                quarter: 4,
            },
            Period::Quarter { year, quarter } => Period::Quarter {
                year,
                quarter: quarter - 1,
            },
            Period::Year(year) if year <= first => self,
            Period::Year(year) => Period::Year(year - 1),
        }
    }

    /// The period of the same length just after this one; the last period there is stays where
    /// it is.
    pub fn next(self) -> Period {
        let last = *Month::YEARS.end();
        match self {
            Period::Month(m) => Period::Month(m.next()),
            Period::Quarter { year, quarter: 4 } if year >= last => self,
            Period::Quarter { year, quarter: 4 } => Period::Quarter {
                year: year + 1,
                quarter: 1,
            },
            Period::Quarter { year, quarter } => Period::Quarter {
                year,
                quarter: quarter + 1,
            },
            Period::Year(year) if year >= last => self,
            Period::Year(year) => Period::Year(year + 1),
        }
    }

    pub fn current(today: Date, like: Period) -> Period {
        let frequency = match like {
            Period::Month(_) => Frequency::Monthly,
            Period::Quarter { .. } => Frequency::Quarterly,
            Period::Year(_) => Frequency::Yearly,
        };
        Period::containing(today, frequency)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn parses_the_three_forms() {
        assert_eq!(
            Period::parse("2026-11"),
            Some(Period::Month(Month::new(2026, 11).expect("valid")))
        );
        assert_eq!(
            Period::parse("2026-Q4"),
            Some(Period::Quarter {
                year: 2026,
                quarter: 4
            })
        );
        assert_eq!(Period::parse("2026"), Some(Period::Year(2026)));
        for bad in [
            "2026-13", "2026-Q5", "20x6", "", "2026-Q0", "-1", "3000", "3000-Q1", "1899-12",
        ] {
            assert_eq!(Period::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn quarter_boundaries() {
        let q4 = Period::Quarter {
            year: 2026,
            quarter: 4,
        };
        assert_eq!(q4.first_day(), date(2026, 10, 1));
        assert_eq!(q4.last_day(), date(2026, 12, 31));
        assert!(!q4.contains(date(2026, 9, 30)));
        assert!(q4.contains(date(2026, 10, 1)));
        assert!(q4.contains(date(2026, 12, 31)));
        assert!(!q4.contains(date(2027, 1, 1)));
        assert_eq!(q4.label(), "2026年第四季度");
        assert_eq!(
            Period::keys_of(date(2026, 3, 31)),
            ["2026-03".to_string(), "2026-Q1".into(), "2026".into()]
        );
        assert_eq!(
            Period::keys_of(date(2026, 4, 1)),
            ["2026-04".to_string(), "2026-Q2".into(), "2026".into()]
        );
    }

    #[test]
    fn judged_on_splits_and_widens() {
        let q = Period::Quarter {
            year: 2026,
            quarter: 2,
        };
        let months: Vec<String> = q
            .judged_on(Frequency::Monthly)
            .iter()
            .map(|p| p.key())
            .collect();
        assert_eq!(months, ["2026-04", "2026-05", "2026-06"]);
        assert_eq!(q.judged_on(Frequency::Yearly), vec![Period::Year(2026)]);
        let year = Period::Year(2026);
        assert_eq!(year.judged_on(Frequency::Quarterly).len(), 4);
        assert_eq!(
            Period::parse("2026-05")
                .expect("valid")
                .judged_on(Frequency::Quarterly),
            vec![q]
        );
    }

    #[test]
    fn neighbouring_periods_wrap_at_year_end() {
        let q1 = Period::parse("2027-Q1").expect("valid");
        assert_eq!(q1.previous().key(), "2026-Q4");
        assert_eq!(q1.previous().next(), q1);
        assert_eq!(
            Period::parse("2027-01").expect("valid").previous().key(),
            "2026-12"
        );
        assert_eq!(Period::Year(2026).next(), Period::Year(2027));
    }
}
