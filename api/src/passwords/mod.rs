//! Passwords: the platform's rules (floor and blocklist), each tenant's policy
//! above it (`policy`), and argon2id hashing off the async executor.

mod gate;
pub mod policy;

use std::collections::HashSet;

use argon2::{
    password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString},
    Argon2,
};

use crate::error::{ApiError, FieldError};

/// Platform floor and ceiling, in characters (Unicode scalar values).
pub const MIN_LENGTH: usize = 12;
pub const MAX_LENGTH: usize = 128;
/// Requests that may wait for a hash (`CREPO_HASH_QUEUE`).
pub const DEFAULT_QUEUE: usize = 32;

/// The 30,000 most common passwords from zxcvbn 4.4.2's frequency lists
/// (derived from Xato's password corpus), © Dropbox, Inc., MIT licence.
const COMMON_PASSWORDS: &str = include_str!("../../data/common-passwords.txt");

/// The common-password blocklist, loaded once per application, and the
/// hashing gate.
pub struct PasswordRules {
    common: HashSet<&'static str>,
    /// argon2 is CPU-bound by design: at most one hash per spare core runs at a
    /// time, so a login storm cannot starve every other request of CPU.
    gate: gate::Gate,
}

impl Default for PasswordRules {
    fn default() -> Self {
        Self::new()
    }
}

impl PasswordRules {
    pub fn new() -> Self {
        Self::with_queue(DEFAULT_QUEUE)
    }

    /// Rules whose hashing gate lets at most `queue` requests wait.
    pub fn with_queue(queue: usize) -> Self {
        let cores = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(2);
        Self {
            common: COMMON_PASSWORDS
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect(),
            gate: gate::Gate::new(cores / 2, queue),
        }
    }

    /// Hashes refused because too many waited (for `/metrics`).
    pub fn refused_hashes(&self) -> u64 {
        self.gate.refused()
    }

    pub fn blocklist_len(&self) -> usize {
        self.common.len()
    }

    pub fn is_common(&self, password: &str) -> bool {
        self.common.contains(password.to_lowercase().as_str())
    }

    /// Every rule `password` breaks, as field errors on `field`.
    pub fn violations(&self, field: &str, password: &str, min_length: usize) -> Vec<FieldError> {
        let mut out = Vec::new();
        let length = password.chars().count();
        if length < min_length {
            out.push(FieldError::new(
                field,
                "too_short",
                format!("must be at least {min_length} characters"),
            ));
        }
        if length > MAX_LENGTH {
            out.push(FieldError::new(
                field,
                "too_long",
                format!("must be at most {MAX_LENGTH} characters"),
            ));
        }
        if self.is_common(password) {
            out.push(FieldError::new(
                field,
                "common_password",
                "is on the list of commonly used passwords",
            ));
        }
        out
    }
}

impl PasswordRules {
    /// Hashes with argon2id at OWASP's baseline (19 MiB, t=2, p=1) on the
    /// blocking pool, so a burst of sign-ups or logins does not stall requests.
    pub async fn hash(&self, password: String) -> Result<String, ApiError> {
        let _permit = self.gate.enter().await?;
        hash(password).await
    }

    /// Verifies on the blocking pool; a malformed stored hash is a mismatch.
    pub async fn verify(&self, password: String, stored: String) -> Result<bool, ApiError> {
        let _permit = self.gate.enter().await?;
        verify(password, stored).await
    }
}

/// Hashes without the gate (command-line tools, start-up).
pub async fn hash(password: String) -> Result<String, ApiError> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| ApiError::internal(anyhow::anyhow!("argon2: {e}")))
    })
    .await
    .map_err(ApiError::internal)?
}

async fn verify(password: String, stored: String) -> Result<bool, ApiError> {
    tokio::task::spawn_blocking(move || {
        PasswordHash::new(&stored)
            .map(|parsed| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok()
            })
            .unwrap_or(false)
    })
    .await
    .map_err(ApiError::internal)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_blocklist_holds_at_least_ten_thousand_entries() {
        assert!(PasswordRules::new().blocklist_len() >= 10_000);
    }

    #[test]
    fn length_counts_characters_not_bytes() {
        let rules = PasswordRules::new();
        // 12 Japanese characters are 36 bytes but exactly 12 characters.
        assert!(rules
            .violations("password", "パッケージデザインの安全性", 12)
            .is_empty());
        let short = rules.violations("password", "パッケージ", 12);
        assert_eq!(short[0].code, "too_short");
        let long = rules.violations("password", &"x".repeat(129), 12);
        assert_eq!(long[0].code, "too_long");
    }

    #[test]
    fn common_passwords_are_refused_whatever_their_case() {
        let rules = PasswordRules::new();
        let v = rules.violations("password", "1QAZ2WSX3EDC", 12);
        assert!(v.iter().any(|e| e.code == "common_password"), "{v:?}");
    }

    #[tokio::test]
    async fn a_hash_verifies_only_its_own_password() {
        let h = hash("correct horse battery".into()).await.unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify("correct horse battery".into(), h.clone())
            .await
            .unwrap());
        assert!(!verify("wrong horse battery".into(), h).await.unwrap());
    }
}
