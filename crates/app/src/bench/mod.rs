//! The benchmark's synthetic organizations (`dangjian bench generate`) and the fixtures of a
//! measured run (`dangjian bench run`). Everything is derived from the node or member number by a
//! fixed mixing function, so a scale always yields the same database. Assumptions are in
//! docs/performance.md.

mod activities;
mod batch;
mod fixtures;
mod generate;
mod people;
mod points;
mod tree;

pub use fixtures::{OpenActivity, RunFixtures, prepare_run};
pub use generate::{ADMIN_PHONE, GenerateSummary, Progress, generate};
pub use people::person;
pub use tree::{Node, Scale, Tree};

/// The fixed seed of every synthetic choice.
const SEED: u64 = 0x6461_6e67_6a69_616e; // "dangjian"

/// A deterministic 64-bit mix of a few integers (SplitMix64 finalizer over a running state).
pub(crate) fn mix(parts: &[u64]) -> u64 {
    let mut z = SEED;
    for part in parts {
        z = z.wrapping_add(part.wrapping_mul(0x9e37_79b9_7f4a_7c15));
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^= z >> 31;
    }
    z
}

/// A number in `0..n` for the given parts.
pub(crate) fn pick(n: u64, parts: &[u64]) -> u64 {
    mix(parts) % n.max(1)
}

/// The twelve months of the synthetic year: November 2025 to October 2026, as (year, month).
pub(crate) fn months() -> impl Iterator<Item = (i16, i8)> {
    (0..12).map(|i| {
        let m = 10 + i;
        (2025 + (m / 12) as i16, (m % 12 + 1) as i8)
    })
}

/// The instant every synthetic row says it was written (2025-11-01 00:00 UTC).
pub(crate) const CREATED_AT: i64 = 1_761_955_200_000_000;

/// A synthetic day's hour in China time, as stored (microseconds since the epoch).
pub(crate) fn china_micros(day: jiff::civil::Date, hour: i8, minute: i8) -> i64 {
    day.at(hour, minute, 0, 0)
        .to_zoned(dangjian_domain::time::china())
        .map(|z| dangjian_domain::time::to_micros(z.timestamp()))
        .unwrap_or(CREATED_AT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_year_runs_from_november_to_october() {
        let all: Vec<_> = months().collect();
        assert_eq!(all.first(), Some(&(2025, 11)));
        assert_eq!(all.get(2), Some(&(2026, 1)));
        assert_eq!(all.last(), Some(&(2026, 10)));
        assert_eq!(all.len(), 12);
    }

    #[test]
    fn mixing_is_deterministic_and_spreads() {
        assert_eq!(mix(&[1, 2]), mix(&[1, 2]));
        assert_ne!(mix(&[1, 2]), mix(&[2, 1]));
        let hits = (0..10_000u64).filter(|i| pick(100, &[*i]) < 50).count();
        assert!((4_500..5_500).contains(&hits), "{hits}");
    }
}
