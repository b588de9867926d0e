//! Rotating check-in codes. The host's screen shows a QR code that changes every 30 seconds; a
//! member's phone sends the code back. A code is `<window>-<tag>`: the 30-second window since the
//! epoch, and an HMAC-SHA256 tag of the activity and the window under the activity's secret. A
//! photo of the screen forwarded to someone outside the room stops working with the next window.

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use thiserror::Error;

/// How long one code is shown.
pub const WINDOW_SECONDS: i64 = 30;

/// A code scanned just before the screen changed is still accepted this many seconds into the next
/// window, for the time the phone takes to send it. A code from any earlier window is refused.
pub const GRACE_SECONDS: i64 = 5;

/// Hex characters of the tag carried in a code: 64 bits, far beyond guessing within 35 seconds.
const TAG_HEX_LEN: usize = 16;

type HmacSha256 = Hmac<Sha256>;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CheckInCodeError {
    #[error("签到码无效，请扫描主持人屏幕上的二维码")]
    Forged,
    #[error("签到码已过期，请扫描屏幕上的最新二维码")]
    Expired,
}

/// The window a moment falls in.
pub fn window_of(unix_seconds: i64) -> i64 {
    unix_seconds.div_euclid(WINDOW_SECONDS)
}

/// Seconds until the code shown at this moment changes.
pub fn seconds_left(unix_seconds: i64) -> i64 {
    WINDOW_SECONDS - unix_seconds.rem_euclid(WINDOW_SECONDS)
}

fn tag(secret: &[u8], activity_id: i64, window: i64) -> Option<HmacSha256> {
    let mut mac = HmacSha256::new_from_slice(secret).ok()?;
    mac.update(format!("dangjian-checkin:{activity_id}:{window}").as_bytes());
    Some(mac)
}

/// The code to show during `window`.
pub fn code_for(secret: &[u8], activity_id: i64, window: i64) -> String {
    let digest = tag(secret, activity_id, window)
        .map(|mac| hex_prefix(&mac.finalize().into_bytes()))
        .unwrap_or_default();
    format!("{window}-{digest}")
}

fn hex_prefix(bytes: &[u8]) -> String {
    bytes
        .iter()
        .take(TAG_HEX_LEN / 2)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Accepts a code sent at `now` (unix seconds) for this activity, or says why not.
pub fn verify(
    secret: &[u8],
    activity_id: i64,
    code: &str,
    now: i64,
) -> Result<(), CheckInCodeError> {
    // The tag is hex and has no dash; the window before it may be negative (before 1970).
    let (window, presented) = code
        .trim()
        .rsplit_once('-')
        .ok_or(CheckInCodeError::Forged)?;
    let window: i64 = window.parse().map_err(|_| CheckInCodeError::Forged)?;
    if presented.len() != TAG_HEX_LEN || !presented.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(CheckInCodeError::Forged);
    }
    let bytes: Vec<u8> = (0..TAG_HEX_LEN / 2)
        .filter_map(|i| u8::from_str_radix(presented.get(2 * i..2 * i + 2)?, 16).ok())
        .collect();
    let mac = tag(secret, activity_id, window).ok_or(CheckInCodeError::Forged)?;
    // Constant-time comparison: the tag is checked before the window so a forger learns nothing
    // from which error comes back.
    mac.verify_truncated_left(&bytes)
        .map_err(|_| CheckInCodeError::Forged)?;
    let current = window_of(now);
    let fresh = window == current
        || (window == current - 1 && now.rem_euclid(WINDOW_SECONDS) < GRACE_SECONDS);
    if window > current {
        return Err(CheckInCodeError::Forged);
    }
    if fresh {
        Ok(())
    } else {
        Err(CheckInCodeError::Expired)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const SECRET: &[u8] = b"0123456789abcdef0123456789abcdef";

    #[test]
    fn current_code_is_accepted() {
        let now = 1_795_000_000;
        let code = code_for(SECRET, 7, window_of(now));
        assert_eq!(verify(SECRET, 7, &code, now), Ok(()));
    }

    #[test]
    fn code_from_an_earlier_window_is_refused() {
        let start = 1_795_000_020; // a window boundary (divisible by 30)
        assert_eq!(start % WINDOW_SECONDS, 0);
        let old = code_for(SECRET, 7, window_of(start) - 1);
        // Just inside the grace period.
        assert_eq!(verify(SECRET, 7, &old, start + GRACE_SECONDS - 1), Ok(()));
        // Just after it.
        assert_eq!(
            verify(SECRET, 7, &old, start + GRACE_SECONDS),
            Err(CheckInCodeError::Expired)
        );
        let older = code_for(SECRET, 7, window_of(start) - 2);
        assert_eq!(
            verify(SECRET, 7, &older, start),
            Err(CheckInCodeError::Expired)
        );
    }

    #[test]
    fn code_of_another_activity_or_secret_is_forged() {
        let now = 1_795_000_000;
        let code = code_for(SECRET, 7, window_of(now));
        assert_eq!(verify(SECRET, 8, &code, now), Err(CheckInCodeError::Forged));
        assert_eq!(
            verify(b"another secret of enough length!", 7, &code, now),
            Err(CheckInCodeError::Forged)
        );
        for junk in [
            "",
            "abc",
            "12-zz",
            "x-0123456789abcdef",
            "-",
            "99999999999999999999-00",
        ] {
            assert_eq!(
                verify(SECRET, 7, junk, now),
                Err(CheckInCodeError::Forged),
                "{junk}"
            );
        }
    }

    #[test]
    fn future_window_is_forged_not_early() {
        let now = 1_795_000_000;
        let future = code_for(SECRET, 7, window_of(now) + 1);
        assert_eq!(
            verify(SECRET, 7, &future, now),
            Err(CheckInCodeError::Forged)
        );
    }

    proptest! {
        #[test]
        fn a_code_works_for_its_window_and_grace_only(now in 1_700_000_000i64..1_900_000_000, shown_ago in 0i64..120) {
            let shown_at = now - shown_ago;
            let code = code_for(SECRET, 42, window_of(shown_at));
            let accepted = verify(SECRET, 42, &code, now).is_ok();
            let same_window = window_of(shown_at) == window_of(now);
            let in_grace = window_of(shown_at) == window_of(now) - 1 && now % WINDOW_SECONDS < GRACE_SECONDS;
            prop_assert_eq!(accepted, same_window || in_grace);
        }
    }
}
