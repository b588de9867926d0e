//! Login throttling: the numbers that stop password guessing.

use jiff::{SignedDuration, Timestamp};

/// Failed attempts after which an account is locked (issue #2: "after 5 failed attempts").
pub const MAX_FAILED_ATTEMPTS: i64 = 5;
/// How long a locked account stays locked.
pub const LOCK_DURATION: SignedDuration = SignedDuration::from_mins(15);
/// Failed logins one client address may make within [`IP_WINDOW`] before it is refused outright:
/// enough for a shared office NAT with several forgetful users, too few to spray passwords.
pub const MAX_FAILURES_PER_IP: i64 = 30;
pub const IP_WINDOW: SignedDuration = SignedDuration::from_mins(15);

/// What one more failed attempt does to an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AfterFailure {
    pub failed_attempts: i64,
    pub locked_until: Option<Timestamp>,
}

/// Counts a failure; the fifth consecutive one locks the account for 15 minutes and resets the count.
pub fn after_failure(failed_attempts_before: i64, now: Timestamp) -> AfterFailure {
    let failed_attempts = failed_attempts_before.saturating_add(1);
    if failed_attempts >= MAX_FAILED_ATTEMPTS {
        AfterFailure {
            failed_attempts: 0,
            locked_until: Some(now.saturating_add(LOCK_DURATION).unwrap_or(now)),
        }
    } else {
        AfterFailure {
            failed_attempts,
            locked_until: None,
        }
    }
}

/// Whether an account locked until `locked_until` is still locked at `now`.
pub fn is_locked(locked_until: Option<Timestamp>, now: Timestamp) -> bool {
    locked_until.is_some_and(|until| now < until)
}

/// Minutes left on a lock, rounded up, for the message the user sees.
pub fn minutes_left(locked_until: Timestamp, now: Timestamp) -> i64 {
    let secs = locked_until.duration_since(now).as_secs().max(0);
    (secs + 59) / 60
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Timestamp {
        s.parse().expect("valid timestamp")
    }

    #[test]
    fn four_failures_do_not_lock_the_fifth_does() {
        let now = at("2026-11-23T08:00:00Z");
        let mut count = 0;
        for _ in 0..4 {
            let after = after_failure(count, now);
            assert_eq!(after.locked_until, None);
            count = after.failed_attempts;
        }
        assert_eq!(count, 4);
        let fifth = after_failure(count, now);
        assert_eq!(fifth.locked_until, Some(at("2026-11-23T08:15:00Z")));
        assert_eq!(fifth.failed_attempts, 0);
    }

    #[test]
    fn lock_ends_after_fifteen_minutes() {
        let until = at("2026-11-23T08:15:00Z");
        assert!(is_locked(Some(until), at("2026-11-23T08:14:59Z")));
        assert!(!is_locked(Some(until), at("2026-11-23T08:15:00Z")));
        assert!(!is_locked(None, at("2026-11-23T08:14:59Z")));
        assert_eq!(minutes_left(until, at("2026-11-23T08:00:00Z")), 15);
        assert_eq!(minutes_left(until, at("2026-11-23T08:14:01Z")), 1);
    }
}
