//! What a password must be before we hash it.

/// At least 8 characters with both letters and digits, at most 128 (argon2 input stays small).
/// Not an official rule: a common baseline for government systems (等保 二级 asks for complexity).
pub const MIN_LEN: usize = 8;
pub const MAX_LEN: usize = 128;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    #[error("密码至少 8 位")]
    TooShort,
    #[error("密码最多 128 位")]
    TooLong,
    #[error("密码须同时包含字母和数字")]
    TooSimple,
}

/// Checks a new password against the policy.
pub fn check_new_password(password: &str) -> Result<(), PasswordError> {
    let len = password.chars().count();
    if len < MIN_LEN {
        return Err(PasswordError::TooShort);
    }
    if len > MAX_LEN {
        return Err(PasswordError::TooLong);
    }
    let has_letter = password.chars().any(|c| c.is_ascii_alphabetic());
    let has_digit = password.chars().any(|c| c.is_ascii_digit());
    if has_letter && has_digit {
        Ok(())
    } else {
        Err(PasswordError::TooSimple)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boundaries() {
        assert_eq!(check_new_password("abc1234"), Err(PasswordError::TooShort));
        assert_eq!(check_new_password("abcd1234"), Ok(()));
        assert_eq!(check_new_password(&format!("a{}", "1".repeat(127))), Ok(()));
        assert_eq!(
            check_new_password(&format!("a{}", "1".repeat(128))),
            Err(PasswordError::TooLong)
        );
        assert_eq!(
            check_new_password("abcdefgh"),
            Err(PasswordError::TooSimple)
        );
        assert_eq!(
            check_new_password("12345678"),
            Err(PasswordError::TooSimple)
        );
    }
}
