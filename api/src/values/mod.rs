//! Request values parsed once. A newtype here is made only by its `parse`,
//! which applies the value's rule and keeps it as it is stored, so a handler
//! or query that takes one never sees an unchecked string. [`Check`] gathers
//! every failing field of a request (these and `validator`'s rules) into one
//! 422.

mod check;
#[cfg(test)]
mod tests;

pub use check::{one_line_rule, Check};

use validator::ValidateEmail;

use crate::{entities::tenant::label::LabelKind, error::FieldError};

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

/// `as_str` and the stored `String` of a value newtype.
macro_rules! stored_text {
    ($ty:ident, $field:tt) => {
        impl $ty {
            pub fn as_str(&self) -> &str {
                &self.$field
            }
        }

        impl From<$ty> for String {
            fn from(v: $ty) -> String {
                v.$field
            }
        }
    };
}

/// A tenant's address in the service: 3–40 of `a-z`, `0-9`, `-`, starting and
/// ending with a letter or digit, not a reserved word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slug(String);
stored_text!(Slug, 0);

impl Slug {
    pub fn parse(field: &str, raw: &str) -> Result<Self, FieldError> {
        let bytes = raw.as_bytes();
        let edge_ok = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit();
        let shape_ok = (3..=40).contains(&bytes.len())
            && bytes.first().copied().is_some_and(edge_ok)
            && bytes.last().copied().is_some_and(edge_ok)
            && bytes.iter().all(|&b| edge_ok(b) || b == b'-');
        if !shape_ok {
            return Err(FieldError::new(
                field,
                "invalid_format",
                "must be 3–40 lower-case letters, digits or hyphens, starting and ending with a letter or digit",
            ));
        }
        if RESERVED_SLUGS.contains(&raw) {
            return Err(FieldError::new(
                field,
                "reserved",
                "is reserved; choose another",
            ));
        }
        Ok(Self(raw.to_owned()))
    }
}

/// An email address as sent (trimmed), with the key that makes it unique.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email {
    address: String,
    key: String,
}
stored_text!(Email, address);

impl Email {
    pub fn parse(field: &str, raw: &str) -> Result<Self, FieldError> {
        if raw.len() > 254 || !raw.validate_email() {
            return Err(FieldError::new(
                field,
                "invalid_email",
                "must be a valid email address",
            ));
        }
        let address = raw.trim().to_owned();
        Ok(Self {
            key: Self::key_of(&address),
            address,
        })
    }

    /// Emails are unique per tenant regardless of case.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// The key of an address typed at login, which is looked up, not checked.
    pub fn key_of(raw: &str) -> String {
        raw.trim().to_lowercase()
    }
}

/// E.164: `+`, a non-zero country digit, 7 to 15 digits in all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phone(String);
stored_text!(Phone, 0);

impl Phone {
    pub fn parse(field: &str, raw: &str) -> Result<Self, FieldError> {
        let digits = raw.strip_prefix('+').unwrap_or("");
        let ok = (7..=15).contains(&digits.len())
            && digits.bytes().all(|b| b.is_ascii_digit())
            && !digits.starts_with('0');
        if !ok {
            return Err(FieldError::new(
                field,
                "invalid_phone",
                "must be an E.164 number such as +819012345678",
            ));
        }
        Ok(Self(raw.to_owned()))
    }
}

/// A name people read on one line: not blank, at most `MAX` characters, and
/// nothing that breaks the line or reorders what is shown (see
/// [`is_one_line`]). Stored trimmed. API schemas state the rule as the pattern
/// `^[^\x00-\x1F\x7F-\x9F\u2028\u2029\u202A-\u202E\u2066-\u2069]*[^\s\x00-\x1F\x7F-\x9F\u2028\u2029\u202A-\u202E\u2066-\u2069][^\x00-\x1F\x7F-\x9F\u2028\u2029\u202A-\u202E\u2066-\u2069]*$`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Name<const MAX: usize>(String);

/// Names of tenants, users, projects and labels, and notice titles.
pub type DisplayName = Name<200>;
/// A role's name.
pub type RoleName = Name<100>;

impl<const MAX: usize> Name<MAX> {
    pub fn parse(field: &str, raw: &str) -> Result<Self, FieldError> {
        if raw.trim().is_empty() {
            return Err(FieldError::new(field, "required", "must not be empty"));
        }
        if raw.chars().count() > MAX {
            return Err(FieldError::new(
                field,
                "too_long",
                format!("must be at most {MAX} characters"),
            ));
        }
        if !is_one_line(raw) {
            return Err(FieldError::new(
                field,
                "invalid_characters",
                INVALID_CHARACTERS,
            ));
        }
        Ok(Self(raw.trim().to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<const MAX: usize> From<Name<MAX>> for String {
    fn from(v: Name<MAX>) -> String {
        v.0
    }
}

/// No control characters, no line or paragraph separators, and no
/// bidirectional embeddings, overrides or isolates: with those a name can
/// display as another ("Trojan Source", CVE-2021-42574) or span lines.
fn is_one_line(s: &str) -> bool {
    !s.chars().any(breaks_the_line)
}

fn breaks_the_line(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// A file's name as stored: the last segment of the path sent, without what
/// [`is_one_line`] refuses (an override would show `design\u{202E}gpj.exe` as
/// `designexe.jpg`), trimmed, at most 255 characters. Uploads are not refused
/// for their names: what is left is kept, unless nothing is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileName(String);
stored_text!(FileName, 0);

impl FileName {
    pub fn clean(raw: &str) -> Option<Self> {
        let base = raw.rsplit(['/', '\\']).next().unwrap_or("");
        let kept: String = base.chars().filter(|c| !breaks_the_line(*c)).collect();
        let name: String = kept.trim().chars().take(255).collect();
        (!name.is_empty() && name != "." && name != "..").then_some(Self(name))
    }
}

const INVALID_CHARACTERS: &str =
    "must not contain control, line-separator or bidirectional-override characters";

/// A product code, `^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`, with the key that
/// makes it unique regardless of case; a `jan` code's check digit holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelCode {
    code: String,
    key: String,
}
stored_text!(LabelCode, code);

impl LabelCode {
    pub fn parse(field: &str, raw: &str, kind: Option<LabelKind>) -> Result<Self, FieldError> {
        let b = raw.as_bytes();
        let ok = (1..=64).contains(&b.len())
            && b[0].is_ascii_alphanumeric()
            && b.iter()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'-'));
        if !ok {
            return Err(FieldError::new(
                field,
                "invalid_format",
                "must be 1–64 of A–Z, a–z, 0–9, `.`, `_`, `-`, starting with a letter or digit",
            ));
        }
        if kind == Some(LabelKind::Jan) {
            jan(field, raw)?;
        }
        Ok(Self {
            code: raw.to_owned(),
            key: raw.to_lowercase(),
        })
    }

    pub fn key(&self) -> &str {
        &self.key
    }
}

/// JAN (EAN-8 or EAN-13): digits only, and the last is the check digit.
fn jan(field: &str, code: &str) -> Result<(), FieldError> {
    if !(code.len() == 8 || code.len() == 13) || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(FieldError::new(
            field,
            "invalid_jan",
            "a JAN code has 8 or 13 digits",
        ));
    }
    let digits: Vec<u32> = code.bytes().map(|b| u32::from(b - b'0')).collect();
    let (body, check) = digits.split_at(digits.len() - 1);
    // Weights 3, 1, 3, … from the digit next to the check digit leftwards.
    let sum: u32 = body
        .iter()
        .rev()
        .enumerate()
        .map(|(i, d)| if i % 2 == 0 { d * 3 } else { *d })
        .sum();
    if (10 - sum % 10) % 10 != check[0] {
        return Err(FieldError::new(
            field,
            "invalid_check_digit",
            "the JAN check digit does not match",
        ));
    }
    Ok(())
}
