//! Passwords and tokens.
//!
//! Passwords are hashed with Argon2id (a PHC string with its own salt and parameters). Tokens
//! are 32 random bytes, shown once to their holder; the server keeps only their SHA-256, which
//! is enough for secrets of that entropy and lets a token be found by its hash.

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use sha2::{Digest, Sha256};

/// Prefix of session tokens.
pub const SESSION_PREFIX: &str = "socle_s_";
/// Prefix of API tokens.
pub const JETON_PREFIX: &str = "socle_j_";

/// Why a secret could not be made.
#[derive(Debug, thiserror::Error)]
#[error("le système ne fournit pas d'aléa ou de hachage : {0}")]
pub struct SecretError(String);

/// The Argon2id hash of `password`, as a PHC string.
///
/// # Errors
/// The system's random source failed.
pub fn hash_password(password: &str) -> Result<String, SecretError> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|hash| hash.to_string())
        .map_err(|e| SecretError(e.to_string()))
}

/// Whether `password` matches the PHC string `hash`. A malformed hash matches nothing.
#[must_use]
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// A new random token with `prefix`.
///
/// # Errors
/// The system's random source failed.
pub fn new_token(prefix: &str) -> Result<String, SecretError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| SecretError(e.to_string()))?;
    Ok(format!("{prefix}{}", hex::encode(bytes)))
}

/// The SHA-256 of a token, hex: what the server stores and looks tokens up by.
#[must_use]
pub fn fingerprint(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_round_trip() {
        let hash = hash_password("correct horse").expect("hash");
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("correct horse", &hash));
        assert!(!verify_password("Correct horse", &hash));
        assert!(!verify_password("correct horse", "not a hash"));
        assert_ne!(
            hash,
            hash_password("correct horse").expect("hash"),
            "salted"
        );
    }

    #[test]
    fn tokens_are_random_and_hashed() {
        let a = new_token(JETON_PREFIX).expect("token");
        let b = new_token(JETON_PREFIX).expect("token");
        assert_ne!(a, b);
        assert!(a.starts_with(JETON_PREFIX));
        assert_eq!(a.len(), JETON_PREFIX.len() + 64);
        assert_eq!(fingerprint(&a).len(), 64);
        assert_eq!(fingerprint(&a), fingerprint(&a));
        assert_ne!(fingerprint(&a), fingerprint(&b));
    }
}
