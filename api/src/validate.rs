//! Field rules shared by several capabilities. Each returns the failures for
//! one field, so a request reports every failing field at once.

use validator::ValidateEmail;

use crate::error::FieldError;

/// Slugs that name parts of the service, or could be mistaken for them.
pub const RESERVED_SLUGS: &[&str] = &[
    "admin",
    "administrator",
    "api",
    "app",
    "apps",
    "assets",
    "auth",
    "billing",
    "blog",
    "cdn",
    "crepo",
    "dashboard",
    "dev",
    "docs",
    "help",
    "login",
    "logout",
    "mail",
    "metrics",
    "new",
    "null",
    "ops",
    "operator",
    "platform",
    "public",
    "root",
    "security",
    "settings",
    "signup",
    "sso",
    "staging",
    "static",
    "status",
    "support",
    "system",
    "test",
    "undefined",
    "www",
];

pub fn slug(field: &str, v: &str) -> Option<FieldError> {
    let bytes = v.as_bytes();
    let edge_ok = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    let shape_ok = (3..=40).contains(&bytes.len())
        && bytes.first().copied().is_some_and(edge_ok)
        && bytes.last().copied().is_some_and(edge_ok)
        && bytes.iter().all(|&b| edge_ok(b) || b == b'-');
    if !shape_ok {
        return Some(FieldError::new(
            field,
            "invalid_format",
            "must be 3–40 lower-case letters, digits or hyphens, starting and ending with a letter or digit",
        ));
    }
    if RESERVED_SLUGS.contains(&v) {
        return Some(FieldError::new(
            field,
            "reserved",
            "is reserved; choose another",
        ));
    }
    None
}

/// A display name: at most `max` characters, not blank, no control characters.
/// Stored trimmed. API schemas state the same rule as the pattern
/// `^[^\x00-\x1F\x7F-\x9F]*[^\s\x00-\x1F\x7F-\x9F][^\x00-\x1F\x7F-\x9F]*$`.
pub fn name(field: &str, v: &str, max: usize) -> Option<FieldError> {
    if v.trim().is_empty() {
        return Some(FieldError::new(field, "required", "must not be empty"));
    }
    if v.chars().count() > max {
        return Some(FieldError::new(
            field,
            "too_long",
            format!("must be at most {max} characters"),
        ));
    }
    if v.chars().any(char::is_control) {
        return Some(FieldError::new(
            field,
            "invalid_characters",
            "must not contain control characters",
        ));
    }
    None
}

pub fn email(field: &str, v: &str) -> Option<FieldError> {
    if v.len() > 254 || !v.validate_email() {
        return Some(FieldError::new(
            field,
            "invalid_email",
            "must be a valid email address",
        ));
    }
    None
}

/// E.164: `+`, a non-zero country digit, 7 to 15 digits in all.
pub fn phone(field: &str, v: &str) -> Option<FieldError> {
    let digits = v.strip_prefix('+').unwrap_or("");
    let ok = (7..=15).contains(&digits.len())
        && digits.bytes().all(|b| b.is_ascii_digit())
        && !digits.starts_with('0');
    if !ok {
        return Some(FieldError::new(
            field,
            "invalid_phone",
            "must be an E.164 number such as +819012345678",
        ));
    }
    None
}

/// The key that makes emails unique per tenant regardless of case.
pub fn email_key(email: &str) -> String {
    email.trim().to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_follow_the_pattern_and_avoid_reserved_words() {
        for ok in ["abc", "acme-foods", "a1b", &"a".repeat(40)] {
            assert!(slug("s", ok).is_none(), "{ok}");
        }
        for bad in [
            "ab",
            "-abc",
            "abc-",
            "ABC",
            "a_b",
            "あいう",
            &"a".repeat(41),
        ] {
            assert_eq!(slug("s", bad).unwrap().code, "invalid_format", "{bad}");
        }
        assert_eq!(slug("s", "admin").unwrap().code, "reserved");
    }

    #[test]
    fn phones_must_be_e164() {
        assert!(phone("p", "+819012345678").is_none());
        for bad in [
            "09012345678",
            "+0123456789",
            "+81 90 1234",
            "+1234",
            "+1234567890123456",
        ] {
            assert!(phone("p", bad).is_some(), "{bad}");
        }
    }
}
