//! Mainland mobile numbers: the login name of every account.

use serde::Serialize;

/// An 11-digit mainland China mobile number (1[3-9]xxxxxxxxx). Holding one means it is valid.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Phone(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhoneError {
    #[error("请输入手机号")]
    Empty,
    #[error("手机号应为 11 位数字，以 13–19 开头")]
    Malformed,
}

impl Phone {
    /// Accepts the forms people type: spaces, dashes and a leading +86 or 86 are dropped.
    pub fn parse(input: &str) -> Result<Phone, PhoneError> {
        let digits: String = input
            .trim()
            .chars()
            .filter(|c| !matches!(c, ' ' | '-' | '\u{3000}'))
            .collect();
        if digits.is_empty() {
            return Err(PhoneError::Empty);
        }
        let digits = digits
            .strip_prefix("+86")
            .or_else(|| digits.strip_prefix("86").filter(|rest| rest.len() == 11))
            .unwrap_or(&digits);
        let bytes = digits.as_bytes();
        let valid = bytes.len() == 11
            && bytes.iter().all(u8::is_ascii_digit)
            && bytes[0] == b'1'
            && (b'3'..=b'9').contains(&bytes[1]);
        if valid {
            Ok(Phone(digits.to_string()))
        } else {
            Err(PhoneError::Malformed)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `138****5678`: what lists show to a viewer who may not see the whole number.
    pub fn masked(&self) -> String {
        format!("{}****{}", &self.0[..3], &self.0[7..])
    }
}

impl std::fmt::Display for Phone {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn common_spellings_are_accepted() {
        for input in [
            "13800138000",
            " 138 0013 8000 ",
            "138-0013-8000",
            "+8613800138000",
            "8613800138000",
        ] {
            assert_eq!(
                Phone::parse(input).map(|p| p.to_string()),
                Ok("13800138000".into()),
                "{input}"
            );
        }
    }

    #[test]
    fn wrong_numbers_are_refused_with_a_reason() {
        assert_eq!(Phone::parse(""), Err(PhoneError::Empty));
        for input in [
            "1380013800",
            "138001380001",
            "12800138000",
            "23800138000",
            "1380013800a",
            "１３８００１３８０００",
        ] {
            assert_eq!(Phone::parse(input), Err(PhoneError::Malformed), "{input}");
        }
    }

    #[test]
    fn masking_keeps_first_three_and_last_four() {
        let phone = Phone::parse("13812345678").expect("valid");
        assert_eq!(phone.masked(), "138****5678");
    }

    proptest! {
        #[test]
        fn every_valid_number_round_trips(second in 3u8..=9, rest in "[0-9]{9}") {
            let input = format!("1{second}{rest}");
            prop_assert_eq!(Phone::parse(&input).map(|p| p.to_string()), Ok(input));
        }

        #[test]
        fn parse_never_panics(input in ".{0,30}") {
            let _ = Phone::parse(&input);
        }
    }
}
