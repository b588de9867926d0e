//! Instants are stored as UTC microseconds and shown in China time; civil dates are China dates.

use jiff::{Timestamp, tz::TimeZone};

/// The zone every civil date and every displayed time of the product is in.
pub fn china() -> TimeZone {
    // The bundled tzdb always has Asia/Shanghai; the fixed offset is only a belt-and-braces fallback.
    TimeZone::get("Asia/Shanghai").unwrap_or_else(|_| TimeZone::fixed(jiff::tz::offset(8)))
}

/// `2026-11-23 16:05` in China time: how people read a time on a page.
pub fn display_minute(at: Timestamp) -> String {
    at.to_zoned(china()).strftime("%Y-%m-%d %H:%M").to_string()
}

/// Microseconds since the Unix epoch, the storage form of an instant.
pub fn to_micros(at: Timestamp) -> i64 {
    at.as_microsecond()
}

/// The inverse of [`to_micros`]; out-of-range values (only a corrupt row has them) clamp.
pub fn from_micros(micros: i64) -> Timestamp {
    Timestamp::from_microsecond(micros).unwrap_or(if micros < 0 {
        Timestamp::MIN
    } else {
        Timestamp::MAX
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_midnight_is_eight_in_the_morning_in_china() {
        let at: Timestamp = "2026-01-01T00:00:00Z".parse().expect("valid timestamp");
        assert_eq!(display_minute(at), "2026-01-01 08:00");
    }

    #[test]
    fn micros_round_trip() {
        let at: Timestamp = "2026-11-23T08:00:00.123456Z"
            .parse()
            .expect("valid timestamp");
        assert_eq!(from_micros(to_micros(at)), at);
    }
}
