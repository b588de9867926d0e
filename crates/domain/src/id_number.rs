//! The mainland resident identity number (公民身份号码, GB 11643-1999): 6-digit address code,
//! 8-digit birth date, 3-digit sequence code whose last digit gives the gender, and a check
//! character computed with ISO 7064 MOD 11-2.

use crate::person::Gender;
use jiff::civil::Date;
use serde::Serialize;

/// A valid 18-character identity number, check character normalised to upper-case `X`.
///
/// It is sensitive personal information (个人信息保护法 art. 28), so `Debug` prints only the
/// masked form and there is deliberately no `Display`: showing the whole number takes an explicit
/// `as_str()`, showing it in lists takes `masked()`.
#[derive(Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct IdNumber(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdNumberError {
    #[error("请输入身份证号")]
    Empty,
    #[error("15 位旧身份证号已停止使用，请填写 18 位身份证号")]
    OldFifteenDigits,
    #[error("身份证号应为 18 位（现为 {0} 位）")]
    WrongLength(usize),
    #[error("身份证号前 17 位应为数字，最后一位为数字或 X")]
    BadCharacters,
    #[error("身份证号中的出生日期 {0} 不是有效日期")]
    BadBirthDate(String),
    #[error("身份证号校验位错误（应为 {expected}）")]
    WrongCheckCharacter { expected: char },
    #[error("出生日期与身份证号不符（身份证号中为 {in_number}）")]
    BirthDateMismatch { in_number: Date },
    #[error("性别与身份证号不符（身份证号中为{}）", in_number.label())]
    GenderMismatch { in_number: Gender },
}

/// ISO 7064 MOD 11-2 weights of the 17 body digits: 2^(17-i) mod 11.
const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/// The check character for each weighted sum mod 11.
const CHECK_CHARS: [u8; 11] = *b"10X98765432";

/// The earliest birth year accepted. Everyone alive and able to join the Party was born after it;
/// GB 11643's own example `440524188001010014` shows older numbers exist in principle, but on a
/// member roster a year before 1900 is a typing error.
pub const MIN_BIRTH_YEAR: i16 = 1900;

/// The check character for 17 body digits (ASCII `0`–`9`).
fn check_char(body: &[u8]) -> u8 {
    let sum: u32 = body
        .iter()
        .zip(WEIGHTS)
        .map(|(digit, weight)| u32::from(digit - b'0') * weight)
        .sum();
    CHECK_CHARS[(sum % 11) as usize]
}

fn two_digits(bytes: &[u8]) -> i8 {
    ((bytes[0] - b'0') * 10 + (bytes[1] - b'0')) as i8
}

/// The birth date encoded at positions 7–14, if it is a real date from `MIN_BIRTH_YEAR` on.
fn birth_date_of(bytes: &[u8]) -> Option<Date> {
    let year = bytes[6..10]
        .iter()
        .fold(0i16, |acc, d| acc * 10 + i16::from(d - b'0'));
    if year < MIN_BIRTH_YEAR {
        return None;
    }
    Date::new(year, two_digits(&bytes[10..12]), two_digits(&bytes[12..14])).ok()
}

impl IdNumber {
    /// Spaces people type to group the digits (also the ideographic space) are dropped; a
    /// lower-case `x` is accepted and stored as `X`. Whether the birth date lies in the future is
    /// not checked here, so that parsing needs no clock.
    pub fn parse(input: &str) -> Result<IdNumber, IdNumberError> {
        let compact: String = input
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| if c == 'x' { 'X' } else { c })
            .collect();
        let length = compact.chars().count();
        match length {
            0 => return Err(IdNumberError::Empty),
            15 if compact.bytes().all(|b| b.is_ascii_digit()) => {
                return Err(IdNumberError::OldFifteenDigits);
            }
            18 => {}
            _ => return Err(IdNumberError::WrongLength(length)),
        }
        let bytes = compact.as_bytes();
        // 18 characters but not 18 bytes: something outside ASCII, e.g. full-width digits.
        let well_formed = bytes.len() == 18
            && bytes[..17].iter().all(u8::is_ascii_digit)
            && (bytes[17].is_ascii_digit() || bytes[17] == b'X');
        if !well_formed {
            return Err(IdNumberError::BadCharacters);
        }
        if birth_date_of(bytes).is_none() {
            return Err(IdNumberError::BadBirthDate(compact[6..14].to_string()));
        }
        let expected = check_char(&bytes[..17]);
        if bytes[17] != expected {
            return Err(IdNumberError::WrongCheckCharacter {
                expected: char::from(expected),
            });
        }
        Ok(IdNumber(compact))
    }

    /// Completes 17 body digits with their check character (synthetic data, test fixtures).
    pub fn from_body(body: &str) -> Result<IdNumber, IdNumberError> {
        if body.len() != 17 || !body.bytes().all(|b| b.is_ascii_digit()) {
            return Err(IdNumberError::BadCharacters);
        }
        let check = char::from(check_char(body.as_bytes()));
        IdNumber::parse(&format!("{body}{check}"))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn birth_date(&self) -> Date {
        birth_date_of(self.0.as_bytes()).expect("checked by parse")
    }

    /// GB 11643-1999 §4.3: the sequence code is odd for men and even for women.
    pub fn gender(&self) -> Gender {
        if (self.0.as_bytes()[16] - b'0') % 2 == 1 {
            Gender::Male
        } else {
            Gender::Female
        }
    }

    /// `110***********1234`: the first 3 and last 4 characters, 11 asterisks between. The
    /// province code and the tail are what a secretary needs to tell two members apart.
    pub fn masked(&self) -> String {
        format!("{}***********{}", &self.0[..3], &self.0[14..])
    }

    /// Whether a birth date and gender entered separately match the number, so the roster
    /// never holds two different birthdays for one person. Birth date is checked first.
    pub fn agrees_with(&self, birth: Date, gender: Gender) -> Result<(), IdNumberError> {
        let in_number = self.birth_date();
        if in_number != birth {
            return Err(IdNumberError::BirthDateMismatch { in_number });
        }
        let in_number = self.gender();
        if in_number != gender {
            return Err(IdNumberError::GenderMismatch { in_number });
        }
        Ok(())
    }
}

impl std::fmt::Debug for IdNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("IdNumber").field(&self.masked()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use proptest::prelude::*;

    /// GB 11643-1999's own worked example.
    const STANDARD_EXAMPLE: &str = "11010519491231002X";

    fn with_check(body: &str) -> String {
        let check = char::from(check_char(body.as_bytes()));
        format!("{body}{check}")
    }

    #[test]
    fn a_body_is_completed_with_its_check_character() {
        assert_eq!(
            IdNumber::from_body("61050219900307123").map(|id| id.as_str().to_string()),
            Ok("61050219900307123X".into())
        );
        assert_eq!(
            IdNumber::from_body("6105021990030712"),
            Err(IdNumberError::BadCharacters)
        );
        assert!(
            IdNumber::from_body("61050219901307123").is_err(),
            "month 13 is no date"
        );
    }

    #[test]
    fn the_standards_example_parses() {
        let id = IdNumber::parse(STANDARD_EXAMPLE).expect("valid");
        assert_eq!(id.as_str(), STANDARD_EXAMPLE);
        assert_eq!(id.birth_date(), date(1949, 12, 31));
        assert_eq!(id.gender(), Gender::Female);
        assert_eq!(id.masked(), "110***********002X");
    }

    #[test]
    fn lower_case_x_and_spaces_are_normalised() {
        let id = IdNumber::parse(" 110105 19491231 002x ").expect("valid");
        assert_eq!(id.as_str(), STANDARD_EXAMPLE);
    }

    #[test]
    fn masking_keeps_first_three_and_last_four() {
        let id = IdNumber::parse(&with_check("11010119900307123")).expect("valid");
        let masked = id.masked();
        assert_eq!(masked.len(), 18);
        assert!(masked.starts_with("110***********"));
        assert!(masked.ends_with(&id.as_str()[14..]));
        assert_eq!(masked.matches('*').count(), 11);
        assert!(!format!("{id:?}").contains("19900307"));
    }

    #[test]
    fn gender_comes_from_the_seventeenth_digit() {
        let male = IdNumber::parse(&with_check("11010119900307001")).expect("valid");
        let female = IdNumber::parse(&with_check("11010119900307002")).expect("valid");
        assert_eq!(male.gender(), Gender::Male);
        assert_eq!(female.gender(), Gender::Female);
    }

    #[test]
    fn length_and_characters_are_checked() {
        assert_eq!(IdNumber::parse("  "), Err(IdNumberError::Empty));
        assert_eq!(
            IdNumber::parse("11010519491231002"),
            Err(IdNumberError::WrongLength(17))
        );
        assert_eq!(
            IdNumber::parse("11010519491231002X1"),
            Err(IdNumberError::WrongLength(19))
        );
        assert_eq!(
            IdNumber::parse("110105491231002"),
            Err(IdNumberError::OldFifteenDigits)
        );
        for bad in [
            "1101051949123100XX",
            "X10105194912310021",
            "11010519491231002Y",
            "１１０１０５１９４９１２３１００２X",
        ] {
            assert_eq!(
                IdNumber::parse(bad),
                Err(IdNumberError::BadCharacters),
                "{bad}"
            );
        }
    }

    #[test]
    fn birth_date_must_be_real_and_from_1900() {
        for body in [
            "11010119000229123", // 1900 is not a leap year
            "11010119991301123",
            "11010119990000123",
            "11010118991231123",
        ] {
            assert!(
                matches!(
                    IdNumber::parse(&with_check(body)),
                    Err(IdNumberError::BadBirthDate(_))
                ),
                "{body}"
            );
        }
        // GB 11643's second example, born 1880: valid by the standard, refused on a roster.
        assert_eq!(
            IdNumber::parse("440524188001010014"),
            Err(IdNumberError::BadBirthDate("18800101".into()))
        );
        assert!(IdNumber::parse(&with_check("11010120000229123")).is_ok());
        assert!(IdNumber::parse(&with_check("11010119000101123")).is_ok());
    }

    #[test]
    fn wrong_check_character_names_the_expected_one() {
        let err = IdNumber::parse("110105194912310021").unwrap_err();
        assert_eq!(err, IdNumberError::WrongCheckCharacter { expected: 'X' });
        assert_eq!(err.to_string(), "身份证号校验位错误（应为 X）");
    }

    #[test]
    fn agreement_with_entered_birth_date_and_gender() {
        let id = IdNumber::parse(STANDARD_EXAMPLE).expect("valid");
        assert_eq!(id.agrees_with(date(1949, 12, 31), Gender::Female), Ok(()));
        let err = id
            .agrees_with(date(1949, 12, 30), Gender::Female)
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "出生日期与身份证号不符（身份证号中为 1949-12-31）"
        );
        let err = id
            .agrees_with(date(1949, 12, 31), Gender::Male)
            .unwrap_err();
        assert_eq!(err.to_string(), "性别与身份证号不符（身份证号中为女）");
    }

    fn valid_body() -> impl Strategy<Value = String> {
        (
            "[1-9][0-9]{5}",
            MIN_BIRTH_YEAR..=2099i16,
            1i8..=12,
            1i8..=31,
            "[0-9]{3}",
        )
            .prop_filter_map("real date", |(area, y, m, d, seq)| {
                Date::new(y, m, d)
                    .ok()
                    .map(|_| format!("{area}{y:04}{m:02}{d:02}{seq}"))
            })
    }

    proptest! {
        #[test]
        fn any_body_with_its_check_character_parses(body in valid_body()) {
            let input = with_check(&body);
            let id = IdNumber::parse(&input).expect("valid");
            prop_assert_eq!(id.as_str(), input.as_str());
            let odd = (body.as_bytes()[16] - b'0') % 2 == 1;
            prop_assert_eq!(id.gender() == Gender::Male, odd);
            prop_assert_eq!(id.birth_date().strftime("%Y%m%d").to_string(), &body[6..14]);
        }

        /// MOD 11-2 catches every single-character substitution.
        #[test]
        fn changing_any_one_character_is_refused(body in valid_body(), pos in 0usize..18, delta in 1u8..=10) {
            let valid = with_check(&body);
            let mut bytes = valid.into_bytes();
            let alphabet = b"0123456789X";
            let at = alphabet.iter().position(|&c| c == bytes[pos]).expect("in alphabet");
            // A digit moves to another digit; the check character to any other of its 11.
            let (modulus, step) = if pos == 17 { (11, delta) } else { (10, (delta - 1) % 9 + 1) };
            bytes[pos] = alphabet[(at + usize::from(step)) % modulus];
            let changed = String::from_utf8(bytes).expect("ascii");
            prop_assert!(IdNumber::parse(&changed).is_err(), "{}", changed);
        }

        #[test]
        fn parse_never_panics(input in ".{0,25}") {
            let _ = IdNumber::parse(&input);
        }

        #[test]
        fn parse_never_panics_on_near_misses(input in "[0-9xX ]{14,20}") {
            let _ = IdNumber::parse(&input);
        }
    }
}
