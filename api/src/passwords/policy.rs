//! The tenant's password and session policy, above the platform floor.

use chrono::{DateTime, Utc};
use sea_orm::{sea_query::OnConflict, ActiveValue::Set, ConnectionTrait, DbErr, EntityTrait};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::{
    entities::tenant::password_policy,
    error::{ApiError, FieldError},
    passwords::{self, PasswordRules},
};

/// The platform's bounds of `min_length`.
const MIN_LENGTH: u32 = passwords::MIN_LENGTH as u32;
const MAX_LENGTH: u32 = passwords::MAX_LENGTH as u32;

/// Every field is required on PUT: the body replaces the policy.
// The `validate` bounds are what a tenant cannot go beyond.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct PasswordPolicy {
    /// Minimum length in characters (12–128).
    #[schema(minimum = 12, maximum = 128, example = 12)]
    #[serde(deserialize_with = "crate::serde_ext::whole_u32")]
    #[validate(range(
        min = MIN_LENGTH,
        max = MAX_LENGTH,
        code = "out_of_range",
        message = "must be between 12 and 128"
    ))]
    pub min_length: u32,
    pub require_uppercase: bool,
    pub require_lowercase: bool,
    pub require_digit: bool,
    /// Anything that is neither a letter, a digit nor white space.
    pub require_symbol: bool,
    /// A new password may not equal any of the last N (0–24, 0 = no check).
    #[schema(minimum = 0, maximum = 24)]
    #[serde(deserialize_with = "crate::serde_ext::whole_u32")]
    #[validate(range(
        min = 0,
        max = 24,
        code = "out_of_range",
        message = "must be between 0 and 24"
    ))]
    pub history_count: u32,
    /// Days before a password must be changed at login (0–365, 0 = never).
    #[schema(minimum = 0, maximum = 365)]
    #[serde(deserialize_with = "crate::serde_ext::whole_u32")]
    #[validate(range(
        min = 0,
        max = 365,
        code = "out_of_range",
        message = "must be between 0 and 365"
    ))]
    pub max_age_days: u32,
    /// Failed logins in a row that lock the account (3–20).
    #[schema(minimum = 3, maximum = 20, example = 10)]
    #[serde(deserialize_with = "crate::serde_ext::whole_u32")]
    #[validate(range(
        min = 3,
        max = 20,
        code = "out_of_range",
        message = "must be between 3 and 20"
    ))]
    pub lockout_threshold: u32,
    /// How long a locked account stays locked (1–1440 minutes).
    #[schema(minimum = 1, maximum = 1440, example = 15)]
    #[serde(deserialize_with = "crate::serde_ext::whole_u32")]
    #[validate(range(
        min = 1,
        max = 1440,
        code = "out_of_range",
        message = "must be between 1 and 1440"
    ))]
    pub lockout_minutes: u32,
    /// A session unused this long ends (5–120 minutes).
    #[schema(minimum = 5, maximum = 120, example = 30)]
    #[serde(deserialize_with = "crate::serde_ext::whole_u32")]
    #[validate(range(
        min = 5,
        max = 120,
        code = "out_of_range",
        message = "must be between 5 and 120"
    ))]
    pub session_idle_minutes: u32,
    /// A session ends this long after login whatever its use (60–1440 minutes).
    #[schema(minimum = 60, maximum = 1440, example = 720)]
    #[serde(deserialize_with = "crate::serde_ext::whole_u32")]
    #[validate(range(
        min = 60,
        max = 1440,
        code = "out_of_range",
        message = "must be between 60 and 1440"
    ))]
    pub session_absolute_minutes: u32,
    /// How long a temporary password (from an administrator) signs in, in
    /// hours (1–720). Optional on input: unchanged when absent.
    #[schema(minimum = 1, maximum = 720, example = 72)]
    #[serde(
        default = "default_temporary_hours",
        deserialize_with = "crate::serde_ext::whole_u32"
    )]
    #[validate(range(
        min = 1,
        max = 720,
        code = "out_of_range",
        message = "must be between 1 and 720"
    ))]
    pub temporary_password_hours: u32,
}

fn default_temporary_hours() -> u32 {
    72
}

impl Default for PasswordPolicy {
    fn default() -> Self {
        Self {
            min_length: MIN_LENGTH,
            require_uppercase: false,
            require_lowercase: false,
            require_digit: false,
            require_symbol: false,
            history_count: 0,
            max_age_days: 0,
            lockout_threshold: 10,
            lockout_minutes: 15,
            session_idle_minutes: 30,
            session_absolute_minutes: 720,
            temporary_password_hours: default_temporary_hours(),
        }
    }
}

impl PasswordPolicy {
    /// Every rule `password` breaks (except history, which needs the hashes).
    pub fn password_violations(
        &self,
        rules: &PasswordRules,
        field: &str,
        password: &str,
    ) -> Vec<FieldError> {
        let mut out = rules.violations(field, password, self.min_length as usize);
        let classes = [
            (
                self.require_uppercase,
                "missing_uppercase",
                "must contain an upper-case letter",
                char::is_uppercase as fn(char) -> bool,
            ),
            (
                self.require_lowercase,
                "missing_lowercase",
                "must contain a lower-case letter",
                char::is_lowercase,
            ),
            (
                self.require_digit,
                "missing_digit",
                "must contain a digit",
                |c: char| c.is_ascii_digit(),
            ),
            (
                self.require_symbol,
                "missing_symbol",
                "must contain a symbol",
                |c: char| !c.is_alphanumeric() && !c.is_whitespace(),
            ),
        ];
        for (required, code, message, test) in classes {
            if required && !password.chars().any(test) {
                out.push(FieldError::new(field, code, message));
            }
        }
        out
    }

    /// Refuses `password` when it equals one of `recent` (newest first).
    pub async fn history_violation(
        &self,
        rules: &PasswordRules,
        field: &str,
        password: &str,
        recent: Vec<String>,
    ) -> Result<Option<FieldError>, ApiError> {
        let n = self.history_count as usize;
        if n == 0 {
            return Ok(None);
        }
        for hash in recent.into_iter().take(n) {
            if rules.verify(password.to_owned(), hash).await? {
                return Ok(Some(FieldError::new(
                    field,
                    "reused",
                    format!("must differ from the last {n} passwords"),
                )));
            }
        }
        Ok(None)
    }
}

impl From<password_policy::Model> for PasswordPolicy {
    fn from(m: password_policy::Model) -> Self {
        let u = |v: i32| u32::try_from(v).unwrap_or(0);
        Self {
            min_length: u(m.min_length),
            require_uppercase: m.require_uppercase,
            require_lowercase: m.require_lowercase,
            require_digit: m.require_digit,
            require_symbol: m.require_symbol,
            history_count: u(m.history_count),
            max_age_days: u(m.max_age_days),
            lockout_threshold: u(m.lockout_threshold),
            lockout_minutes: u(m.lockout_minutes),
            session_idle_minutes: u(m.session_idle_minutes),
            session_absolute_minutes: u(m.session_absolute_minutes),
            temporary_password_hours: u(m.temporary_password_hours),
        }
    }
}

/// The tenant's policy, or the defaults when it never set one.
pub async fn load(conn: &impl ConnectionTrait) -> Result<PasswordPolicy, DbErr> {
    Ok(password_policy::Entity::find_by_id(1)
        .one(conn)
        .await?
        .map(PasswordPolicy::from)
        .unwrap_or_default())
}

pub async fn save(
    conn: &impl ConnectionTrait,
    p: &PasswordPolicy,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    use password_policy::Column as C;
    let i = |v: u32| i32::try_from(v).unwrap_or(i32::MAX);
    let row = password_policy::ActiveModel {
        id: Set(1),
        min_length: Set(i(p.min_length)),
        require_uppercase: Set(p.require_uppercase),
        require_lowercase: Set(p.require_lowercase),
        require_digit: Set(p.require_digit),
        require_symbol: Set(p.require_symbol),
        history_count: Set(i(p.history_count)),
        max_age_days: Set(i(p.max_age_days)),
        lockout_threshold: Set(i(p.lockout_threshold)),
        lockout_minutes: Set(i(p.lockout_minutes)),
        session_idle_minutes: Set(i(p.session_idle_minutes)),
        session_absolute_minutes: Set(i(p.session_absolute_minutes)),
        temporary_password_hours: Set(i(p.temporary_password_hours)),
        updated_at: Set(now),
    };
    password_policy::Entity::insert(row)
        .on_conflict(
            OnConflict::column(C::Id)
                .update_columns([
                    C::MinLength,
                    C::RequireUppercase,
                    C::RequireLowercase,
                    C::RequireDigit,
                    C::RequireSymbol,
                    C::HistoryCount,
                    C::MaxAgeDays,
                    C::LockoutThreshold,
                    C::LockoutMinutes,
                    C::SessionIdleMinutes,
                    C::SessionAbsoluteMinutes,
                    C::TemporaryPasswordHours,
                    C::UpdatedAt,
                ])
                .to_owned(),
        )
        .exec_without_returning(conn)
        .await?;
    Ok(())
}

/// The rules a new password must meet, for a form to check as the user
/// types; the server checks them again (and the history and common-password
/// rules, which only it can).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PasswordRulesOut {
    pub min_length: u32,
    pub max_length: u32,
    pub require_uppercase: bool,
    pub require_lowercase: bool,
    pub require_digit: bool,
    pub require_symbol: bool,
    /// A new password may not equal any of the last N (0 = no check).
    pub history_count: u32,
    /// Common passwords (a built-in list) are refused.
    pub rejects_common: bool,
}

impl From<&PasswordPolicy> for PasswordRulesOut {
    fn from(p: &PasswordPolicy) -> Self {
        Self {
            min_length: p.min_length,
            max_length: MAX_LENGTH,
            require_uppercase: p.require_uppercase,
            require_lowercase: p.require_lowercase,
            require_digit: p.require_digit,
            require_symbol: p.require_symbol,
            history_count: p.history_count,
            rejects_common: true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_failed_rule_is_reported_by_its_code() {
        let policy = PasswordPolicy {
            min_length: 16,
            require_uppercase: true,
            require_lowercase: true,
            require_digit: true,
            require_symbol: true,
            ..Default::default()
        };
        let rules = PasswordRules::new();
        let codes: Vec<String> = policy
            .password_violations(&rules, "password", "ぱっけーじ")
            .into_iter()
            .map(|e| e.code)
            .collect();
        assert_eq!(
            codes,
            [
                "too_short",
                "missing_uppercase",
                "missing_lowercase",
                "missing_digit",
                "missing_symbol"
            ]
        );
        assert!(policy
            .password_violations(&rules, "password", "Package-Design-2026")
            .is_empty());
    }

    #[test]
    fn the_platform_floor_cannot_be_lowered() {
        let weak = PasswordPolicy {
            min_length: 8,
            lockout_threshold: 100,
            session_absolute_minutes: 10_000,
            ..Default::default()
        };
        let Err(ApiError::Validation(errors)) = weak.validate().map_err(ApiError::from) else {
            panic!("a weak policy passed");
        };
        let fields: Vec<(&str, &str)> = errors
            .iter()
            .map(|e| (e.field.as_str(), e.code.as_str()))
            .collect();
        assert_eq!(
            fields,
            [
                ("lockout_threshold", "out_of_range"),
                ("min_length", "out_of_range"),
                ("session_absolute_minutes", "out_of_range")
            ]
        );
    }
}
