//! The one clock every use case reads. In production it is the system clock. A test starts it at
//! a moment of its choosing (the last evening of a year, 29 February) and time then passes as
//! usual from there, so sessions, check-in windows and deadlines behave as they would on that day.
//! It is set when the [`crate::App`] is built, never from a request.

use jiff::{SignedDuration, Timestamp, civil::Date};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Clock {
    /// How far this clock runs ahead of the system clock (negative: behind).
    offset: SignedDuration,
}

impl Clock {
    /// The system clock.
    pub fn system() -> Clock {
        Clock::default()
    }

    /// A clock that reads `start` now and advances in real time from there.
    pub fn starting_at(start: Timestamp) -> Clock {
        Clock {
            offset: start.duration_since(Timestamp::now()),
        }
    }

    pub fn now(&self) -> Timestamp {
        Timestamp::now()
            .checked_add(self.offset)
            .unwrap_or(Timestamp::MAX)
    }

    /// Microseconds since the epoch, the storage form of an instant.
    pub fn now_micros(&self) -> i64 {
        dangjian_domain::time::to_micros(self.now())
    }

    /// Today's date in China, the calendar every civil date of the product is on.
    pub fn today(&self) -> Date {
        self.now().to_zoned(dangjian_domain::time::china()).date()
    }
}

/// The China date of a transaction's instant: the day its writes are made on.
pub(crate) fn day_of(tx: &dangjian_store::Tx) -> Date {
    dangjian_domain::time::from_micros(tx.now_micros())
        .to_zoned(dangjian_domain::time::china())
        .date()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_started_clock_reads_its_start_and_moves_on() {
        let start: Timestamp = "2026-12-31T23:30:00Z".parse().expect("timestamp");
        let clock = Clock::starting_at(start);
        let read = clock.now();
        assert!(read >= start && read.duration_since(start) < SignedDuration::from_secs(60));
        assert_eq!(
            clock.today(),
            jiff::civil::date(2027, 1, 1),
            "07:30 in China"
        );
    }

    #[test]
    fn the_system_clock_has_no_offset() {
        let before = Timestamp::now();
        let read = Clock::system().now();
        assert!(read >= before && read.duration_since(before) < SignedDuration::from_secs(60));
    }
}
