//! Money in fen (分): integer arithmetic everywhere, never floating point (DESIGN.md "Data
//! conventions"). User input becomes a [`Fen`] at the edge through [`Fen::from_yuan_str`].

use serde::{Deserialize, Serialize};

/// An amount of money in fen (1 元 = 100 分). Never negative once parsed from user input.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Fen(pub i64);

/// The largest monthly amount anybody may enter: 10,000,000 yuan. The issue calls anything above
/// it absurd; refusing it also keeps every product `base × rate` far from overflowing an i64.
pub const MAX_AMOUNT: Fen = Fen(10_000_000 * 100);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("请填写金额")]
    Empty,
    #[error("「{0}」不是有效的金额，请填写如 4500 或 4500.50 的数字")]
    NotANumber(String),
    #[error("金额最多保留两位小数（精确到分），「{0}」的小数位过多")]
    TooManyDecimals(String),
    #[error("金额不能为负数")]
    Negative,
    #[error("金额超过 10,000,000 元，请核对")]
    TooLarge,
}

impl Fen {
    pub const ZERO: Fen = Fen(0);

    /// Parses yuan as people type them: `4500`, `4500.5`, `4500.50` (surrounding spaces ignored).
    /// Refuses a sign, more than two decimals, anything that is not plain digits, and amounts over
    /// [`MAX_AMOUNT`], each with a Chinese message.
    pub fn from_yuan_str(input: &str) -> Result<Fen, MoneyError> {
        let text = input.trim();
        if text.is_empty() {
            return Err(MoneyError::Empty);
        }
        let unsigned = match text.strip_prefix('-') {
            Some(rest) if is_amount_shape(rest) => return Err(MoneyError::Negative),
            Some(_) => return Err(MoneyError::NotANumber(text.to_string())),
            None => text,
        };
        let (whole, decimals) = match unsigned.split_once('.') {
            Some((whole, decimals)) => (whole, decimals),
            None => (unsigned, ""),
        };
        let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty()
            || !digits(whole)
            || !digits(decimals)
            || (unsigned.contains('.') && decimals.is_empty())
        {
            return Err(MoneyError::NotANumber(text.to_string()));
        }
        if decimals.len() > 2 {
            return Err(MoneyError::TooManyDecimals(text.to_string()));
        }
        let whole = whole.trim_start_matches('0');
        // More than 8 significant digits of yuan is over the cap whatever follows; checking the
        // length first keeps the arithmetic below from overflowing on a long string of digits.
        if whole.len() > 8 {
            return Err(MoneyError::TooLarge);
        }
        let yuan: i64 = if whole.is_empty() {
            0
        } else {
            whole
                .parse()
                .map_err(|_| MoneyError::NotANumber(text.to_string()))?
        };
        let fen_part: i64 = match decimals.len() {
            0 => 0,
            1 => i64::from(decimals.as_bytes()[0] - b'0') * 10,
            _ => decimals
                .parse()
                .map_err(|_| MoneyError::NotANumber(text.to_string()))?,
        };
        let amount = Fen(yuan * 100 + fen_part);
        if amount > MAX_AMOUNT {
            return Err(MoneyError::TooLarge);
        }
        Ok(amount)
    }

    pub fn fen(self) -> i64 {
        self.0
    }

    /// `45.00`: yuan with two decimals and no grouping, the form machines read.
    pub fn yuan(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        format!("{sign}{}.{:02}", abs / 100, abs % 100)
    }

    /// `4,500.00`: yuan with thousands separators, the form people read.
    pub fn yuan_grouped(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let whole = (abs / 100).to_string();
        let mut grouped = String::with_capacity(whole.len() + whole.len() / 3);
        for (i, c) in whole.chars().enumerate() {
            if i > 0 && (whole.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(c);
        }
        format!("{sign}{grouped}.{:02}", abs % 100)
    }

    pub fn checked_add(self, other: Fen) -> Option<Fen> {
        self.0.checked_add(other.0).map(Fen)
    }
}

fn is_amount_shape(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit() || b == b'.')
}

impl std::fmt::Display for Fen {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.yuan())
    }
}

impl std::iter::Sum for Fen {
    fn sum<I: Iterator<Item = Fen>>(iter: I) -> Fen {
        Fen(iter.map(|f| f.0).sum())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_three_ways_people_write_yuan_are_accepted() {
        assert_eq!(Fen::from_yuan_str("4500"), Ok(Fen(450_000)));
        assert_eq!(Fen::from_yuan_str("4500.5"), Ok(Fen(450_050)));
        assert_eq!(Fen::from_yuan_str("4500.50"), Ok(Fen(450_050)));
        assert_eq!(Fen::from_yuan_str(" 0.01 "), Ok(Fen(1)));
        assert_eq!(Fen::from_yuan_str("0"), Ok(Fen(0)));
        assert_eq!(Fen::from_yuan_str("007.05"), Ok(Fen(705)));
    }

    #[test]
    fn more_than_two_decimals_is_refused() {
        assert_eq!(
            Fen::from_yuan_str("4500.505"),
            Err(MoneyError::TooManyDecimals("4500.505".into()))
        );
        assert!(
            MoneyError::TooManyDecimals("1.234".into())
                .to_string()
                .contains("两位小数")
        );
    }

    #[test]
    fn negative_and_malformed_amounts_are_refused() {
        assert_eq!(Fen::from_yuan_str("-1"), Err(MoneyError::Negative));
        assert_eq!(Fen::from_yuan_str("-0.50"), Err(MoneyError::Negative));
        assert_eq!(Fen::from_yuan_str(""), Err(MoneyError::Empty));
        for bad in [
            "abc",
            "4,500",
            "4500.",
            ".5",
            "1e3",
            "+5",
            "4 500",
            "４５００",
            "1.2.3",
            "--1",
        ] {
            assert!(
                matches!(Fen::from_yuan_str(bad), Err(MoneyError::NotANumber(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn ten_million_yuan_is_the_last_amount_accepted() {
        assert_eq!(Fen::from_yuan_str("10000000"), Ok(MAX_AMOUNT));
        assert_eq!(Fen::from_yuan_str("10000000.00"), Ok(MAX_AMOUNT));
        assert_eq!(Fen::from_yuan_str("10000000.01"), Err(MoneyError::TooLarge));
        assert_eq!(
            Fen::from_yuan_str("99999999999999999999999"),
            Err(MoneyError::TooLarge)
        );
        assert!(MoneyError::TooLarge.to_string().contains("10,000,000"));
    }

    #[test]
    fn amounts_print_as_yuan() {
        assert_eq!(Fen(4500).yuan(), "45.00");
        assert_eq!(Fen(5).yuan(), "0.05");
        assert_eq!(Fen(450_000).yuan_grouped(), "4,500.00");
        assert_eq!(Fen(100_000_000_000).yuan_grouped(), "1,000,000,000.00");
        assert_eq!(Fen(99).yuan_grouped(), "0.99");
    }

    proptest! {
        #[test]
        fn printing_and_parsing_round_trip(fen in 0i64..=MAX_AMOUNT.0) {
            prop_assert_eq!(Fen::from_yuan_str(&Fen(fen).yuan()), Ok(Fen(fen)));
        }

        #[test]
        fn anything_over_the_cap_is_refused(fen in MAX_AMOUNT.0 + 1..i64::MAX / 100) {
            prop_assert_eq!(Fen::from_yuan_str(&Fen(fen).yuan()), Err(MoneyError::TooLarge));
        }
    }
}
