use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::{entities::tenant::label, error::FieldError, ids::LabelId, validate};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum LabelKind {
    /// A JAN / EAN-8 or EAN-13 code: its check digit is verified.
    Jan,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LabelIn {
    /// The product code; unique in the tenant regardless of case.
    #[schema(
        example = "4901234567894",
        pattern = "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"
    )]
    pub code: String,
    pub kind: Option<LabelKind>,
    #[schema(
        example = "緑茶 500ml",
        min_length = 1,
        max_length = 200,
        pattern = r"^[^\x00-\x1F\x7F-\x9F]*[^\s\x00-\x1F\x7F-\x9F][^\x00-\x1F\x7F-\x9F]*$"
    )]
    pub name: String,
}

fn double_option<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LabelPatch {
    #[schema(pattern = "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    pub code: Option<String>,
    /// `jan`, or null to drop the check.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<LabelKind>)]
    pub kind: Option<Option<LabelKind>>,
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"^[^\x00-\x1F\x7F-\x9F]*[^\s\x00-\x1F\x7F-\x9F][^\x00-\x1F\x7F-\x9F]*$"
    )]
    pub name: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LabelOut {
    pub id: LabelId,
    pub code: String,
    pub kind: Option<LabelKind>,
    pub name: String,
    /// Projects carrying this label.
    pub project_count: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl LabelOut {
    pub fn new(m: label::Model, project_count: i64) -> Self {
        Self {
            id: LabelId(m.id),
            kind: m
                .kind
                .as_deref()
                .filter(|k| *k == "jan")
                .map(|_| LabelKind::Jan),
            code: m.code,
            name: m.name,
            project_count,
            created_at: m.created_at,
            updated_at: m.updated_at,
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LabelQuery {
    /// Part of the code or name (case-insensitive).
    #[param(max_length = 200)]
    pub q: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeleteQuery {
    /// Delete even when projects carry the label (it is detached from them).
    pub force: Option<bool>,
}

/// `^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`
pub fn code_violation(field: &str, code: &str) -> Option<FieldError> {
    let b = code.as_bytes();
    let ok = (1..=64).contains(&b.len())
        && b[0].is_ascii_alphanumeric()
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'-'));
    (!ok).then(|| {
        FieldError::new(
            field,
            "invalid_format",
            "must be 1–64 of A–Z, a–z, 0–9, `.`, `_`, `-`, starting with a letter or digit",
        )
    })
}

/// JAN (EAN-8 or EAN-13): digits only, and the last is the check digit.
pub fn jan_violation(field: &str, code: &str) -> Option<FieldError> {
    if !(code.len() == 8 || code.len() == 13) || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Some(FieldError::new(
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
        return Some(FieldError::new(
            field,
            "invalid_check_digit",
            "the JAN check digit does not match",
        ));
    }
    None
}

impl LabelIn {
    pub fn violations(&self) -> Vec<FieldError> {
        let mut out: Vec<FieldError> = [
            code_violation("code", &self.code),
            validate::name("name", &self.name, 200),
        ]
        .into_iter()
        .flatten()
        .collect();
        if self.kind == Some(LabelKind::Jan) && out.iter().all(|e| e.field != "code") {
            out.extend(jan_violation("code", &self.code));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jan_check_digits_are_verified() {
        for ok in ["4901234567894", "49012347", "4902102072618"] {
            assert!(jan_violation("code", ok).is_none(), "{ok}");
        }
        assert_eq!(
            jan_violation("code", "4901234567895").unwrap().code,
            "invalid_check_digit"
        );
        assert_eq!(
            jan_violation("code", "49012348").unwrap().code,
            "invalid_check_digit"
        );
        assert_eq!(
            jan_violation("code", "490123456789").unwrap().code,
            "invalid_jan"
        );
        assert_eq!(
            jan_violation("code", "49O1234567894").unwrap().code,
            "invalid_jan"
        );
    }

    #[test]
    fn codes_follow_the_pattern() {
        assert!(code_violation("code", "ABC-123_x.y").is_none());
        for bad in ["", "-abc", "a b", "コード", &"a".repeat(65)] {
            assert!(code_violation("code", bad).is_some(), "{bad}");
        }
    }
}
