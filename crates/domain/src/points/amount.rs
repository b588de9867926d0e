//! Points as integer tenths: the rulebook's smallest step is 0.5 (学习打卡 +0.5), and floats
//! would make sums and ties depend on rounding. `+0.5` is stored as 5.

use serde::{Deserialize, Serialize};

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
pub struct Points(pub i64);

impl Points {
    pub const ZERO: Points = Points(0);

    /// Whole points.
    pub const fn whole(n: i64) -> Points {
        Points(n * 10)
    }

    pub fn tenths(self) -> i64 {
        self.0
    }

    /// Reads `2`, `+2`, `-5`, `0.5`, `−10` (a typographic minus as typed in Chinese documents).
    /// At most one decimal; at most ±1000 points.
    pub fn parse(text: &str) -> Result<Points, String> {
        const BAD: &str = "分值格式不正确：请填写整数或一位小数，如 2、-5、0.5";
        let text = text.trim().replace('−', "-").replace('＋', "+");
        let (negative, digits) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text.strip_prefix('+').unwrap_or(&text)),
        };
        let (whole, fraction) = digits.split_once('.').unwrap_or((digits, "0"));
        if whole.is_empty()
            || whole.len() > 4
            || fraction.len() != 1
            || !whole.bytes().all(|b| b.is_ascii_digit())
            || !fraction.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(BAD.into());
        }
        let tenths = whole.parse::<i64>().map_err(|_| BAD.to_string())? * 10
            + fraction.parse::<i64>().map_err(|_| BAD.to_string())?;
        if tenths > 10_000 {
            return Err("分值不能超过 1000 分".into());
        }
        Ok(Points(if negative { -tenths } else { tenths }))
    }

    /// `+2`, `-5`, `+0.5`, `0`: how cards and bulletins show a change.
    pub fn signed(self) -> String {
        match self.0 {
            0 => "0".into(),
            n if n > 0 => format!("+{}", self.plain()),
            _ => self.plain(),
        }
    }

    /// `102`, `-4.5`: how a balance shows.
    pub fn plain(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.abs();
        if abs % 10 == 0 {
            format!("{sign}{}", abs / 10)
        } else {
            format!("{sign}{}.{}", abs / 10, abs % 10)
        }
    }
}

impl std::ops::Add for Points {
    type Output = Points;
    fn add(self, other: Points) -> Points {
        Points(self.0 + other.0)
    }
}

impl std::ops::Neg for Points {
    type Output = Points;
    fn neg(self) -> Points {
        Points(-self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn halves_are_tenths_never_floats() {
        assert_eq!(Points::parse("+0.5"), Ok(Points(5)));
        assert_eq!(Points::parse("2"), Ok(Points(20)));
        assert_eq!(Points::parse("−5"), Ok(Points(-50)));
        assert_eq!(Points::parse("1000"), Ok(Points(10_000)));
        assert!(Points::parse("1000.1").is_err());
        assert!(Points::parse("0.25").is_err());
        assert!(Points::parse("abc").is_err());
        assert!(Points::parse("").is_err());
        assert_eq!(Points(5).signed(), "+0.5");
        assert_eq!(Points(-45).plain(), "-4.5");
        assert_eq!(Points(1020).plain(), "102");
    }

    proptest! {
        #[test]
        fn what_is_shown_reads_back(tenths in -10_000i64..=10_000) {
            prop_assert_eq!(Points::parse(&Points(tenths).plain()), Ok(Points(tenths)));
            prop_assert_eq!(Points::parse(&Points(tenths).signed()), Ok(Points(tenths)));
        }
    }
}
