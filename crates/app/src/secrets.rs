//! Password hashing (argon2id) and random tokens. Hashing is deliberately slow, so it runs on
//! the blocking pool and never stalls the async workers.

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

use crate::AppError;

/// A PHC string (`$argon2id$v=19$...`) for a password, with a fresh random salt.
pub(crate) async fn hash_password(password: String) -> Result<String, AppError> {
    let hashed = tokio::task::spawn_blocking(move || {
        Argon2::default()
            .hash_password(password.as_bytes())
            .map(|hash| hash.to_string())
    })
    .await;
    match hashed {
        Ok(Ok(hash)) => Ok(hash),
        Ok(Err(error)) => {
            tracing::error!(%error, "argon2 hashing failed");
            Err(AppError::Invalid {
                field: Some("password"),
                message: "密码无法处理，请换一个".into(),
            })
        }
        Err(error) => {
            tracing::error!(%error, "hashing task failed");
            Err(AppError::Invalid {
                field: Some("password"),
                message: "密码无法处理，请重试".into(),
            })
        }
    }
}

/// Hashes of several passwords, computed side by side on the blocking pool (a roster's accounts
/// opened at once).
pub(crate) async fn hash_passwords(passwords: &[String]) -> Result<Vec<String>, AppError> {
    let tasks: Vec<_> = passwords
        .iter()
        .map(|password| tokio::spawn(hash_password(password.clone())))
        .collect();
    let mut hashes = Vec::with_capacity(tasks.len());
    for task in tasks {
        match task.await {
            Ok(hashed) => hashes.push(hashed?),
            Err(error) => {
                tracing::error!(%error, "hashing task failed");
                return Err(AppError::invalid("password", "密码无法处理，请重试"));
            }
        }
    }
    Ok(hashes)
}

/// Whether `password` matches the stored hash. A malformed stored hash never matches.
pub(crate) async fn verify_password(password: String, stored_hash: String) -> bool {
    tokio::task::spawn_blocking(move || {
        PasswordHash::new(&stored_hash)
            .map(|parsed| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok()
            })
            .unwrap_or(false)
    })
    .await
    .unwrap_or(false)
}

/// Spends the time a real verification takes when the phone number is unknown, so that the
/// answer does not reveal which numbers have accounts. Always false.
pub(crate) async fn verify_against_decoy(password: String) -> bool {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    tokio::task::spawn_blocking(move || {
        let decoy = DECOY.get_or_init(|| {
            let random = random_token("");
            Argon2::default()
                .hash_password(random.as_bytes())
                .map(|h| h.to_string())
                .unwrap_or_default()
        });
        if let Ok(parsed) = PasswordHash::new(decoy) {
            let _ = Argon2::default().verify_password(password.as_bytes(), &parsed);
        }
        false
    })
    .await
    .unwrap_or(false)
}

/// 32 random bytes, URL-safe: a session cookie or API token value.
pub(crate) fn random_token(prefix: &str) -> String {
    let mut bytes = [0u8; 32];
    rand::fill(&mut bytes);
    format!("{prefix}{}", URL_SAFE_NO_PAD.encode(bytes))
}

/// What the database keeps of a token: its SHA-256, hex. Tokens are random, so no salt is needed.
pub(crate) fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A temporary password an administrator hands over after a reset: easy to read aloud, with
/// letters and digits so it passes the policy; the user must change it at the next login.
pub(crate) fn temporary_password() -> String {
    const LETTERS: &[u8] = b"abcdefghjkmnpqrstuvwxyz";
    const DIGITS: &[u8] = b"23456789";
    let mut bytes = [0u8; 10];
    rand::fill(&mut bytes);
    bytes
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let set = if i % 2 == 0 { LETTERS } else { DIGITS };
            set[usize::from(*b) % set.len()] as char
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hash_then_verify() {
        let hash = hash_password("abcd1234".into()).await.expect("hash");
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("abcd1234".into(), hash.clone()).await);
        assert!(!verify_password("abcd12345".into(), hash).await);
        assert!(!verify_password("abcd1234".into(), "not a hash".into()).await);
        assert!(!verify_against_decoy("abcd1234".into()).await);
    }

    #[test]
    fn temporary_passwords_pass_the_policy() {
        for _ in 0..100 {
            let password = temporary_password();
            assert_eq!(
                dangjian_domain::password::check_new_password(&password),
                Ok(()),
                "{password}"
            );
        }
    }

    #[test]
    fn tokens_are_unique_and_hashes_stable() {
        let (a, b) = (random_token("dj_"), random_token("dj_"));
        assert_ne!(a, b);
        assert!(a.starts_with("dj_") && a.len() > 40);
        assert_eq!(token_hash(&a), token_hash(&a));
        assert_ne!(token_hash(&a), token_hash(&b));
    }
}
