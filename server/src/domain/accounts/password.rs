//! Password policy and argon2id hashing.

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;

pub const MIN_LEN: usize = 10;
/// Longer inputs are refused before hashing, so nobody can make us hash megabytes.
pub const MAX_LEN: usize = 256;

/// A handful of the most common passwords of at least `MIN_LEN` characters.
const COMMON: &[&str] = &[
    "1234567890",
    "12345678910",
    "123456789a",
    "qwertyuiop",
    "password123",
    "password12",
    "1q2w3e4r5t",
    "iloveyou12",
    "0987654321",
    "qwerty1234",
    "passwordpassword",
    "abcdefghij",
];

/// Why a password is refused, in words a member can act on.
pub fn check_strength(password: &str, username: &str) -> Result<(), String> {
    let chars = password.chars().count();
    if chars < MIN_LEN {
        return Err(format!(
            "Password must be at least {MIN_LEN} characters long."
        ));
    }
    if password.len() > MAX_LEN {
        return Err(format!("Password must be at most {MAX_LEN} bytes long."));
    }
    let distinct: std::collections::HashSet<char> = password.chars().collect();
    if distinct.len() < 4 {
        return Err("Password needs more variety: use at least 4 different characters.".into());
    }
    let lower = password.to_lowercase();
    if lower.contains(&username.to_lowercase()) {
        return Err("Password must not contain your user name.".into());
    }
    if COMMON.contains(&lower.as_str()) {
        return Err("That password is among the most common ones; choose another.".into());
    }
    Ok(())
}

#[derive(Debug, thiserror::Error)]
#[error("password hashing failed: {0}")]
pub struct HashError(String);

pub fn hash(password: &str) -> Result<String, HashError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| HashError(e.to_string()))
}

/// Constant-time check of `password` against a stored PHC string. Oversize
/// input and corrupt hashes simply do not verify.
pub fn verify(password: &str, stored: &str) -> bool {
    if password.len() > MAX_LEN {
        return false;
    }
    match PasswordHash::new(stored) {
        Ok(parsed) => Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

/// A hash to verify against when the user does not exist, so that a wrong
/// user name takes as long as a wrong password.
pub fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| hash("dummy password for timing").unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_then_verify() {
        let h = hash("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify("correct horse battery", &h));
        assert!(!verify("wrong horse battery", &h));
        assert!(!verify("x", "not a hash"));
    }

    #[test]
    fn strength_rules() {
        assert!(check_strength("short", "ann").is_err());
        assert!(check_strength(&"a".repeat(300), "ann").is_err());
        assert!(check_strength("aaaaaaaaaaaa", "ann").is_err());
        assert!(check_strength("my-annika-pass", "annika").is_err());
        assert!(check_strength("Qwertyuiop", "ann").is_err());
        assert!(check_strength("tomato soup at noon", "ann").is_ok());
    }
}
