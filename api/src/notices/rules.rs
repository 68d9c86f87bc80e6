//! What operators may publish: the one-week rule for maintenance above all.

use chrono::{DateTime, Duration, Utc};
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;
use validator::{Validate, ValidationError};

use super::types::{IncidentStage, NoticeKind, Severity, Text, Title};
use crate::{
    error::{ApiError, ErrorCode, FieldError},
    values::{Check, DisplayName},
};

/// Planned maintenance is announced at least this long before it starts.
pub const NOTICE_PERIOD: Duration = Duration::days(7);

#[derive(Debug, Clone, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct AudienceIn {
    /// Only these tenants see the notice (and, for incidents, their admins are
    /// sent email and SMS).
    #[schema(min_items = 1, max_items = 1000)]
    #[validate(
        length(
            min = 1,
            code = "required",
            message = "name at least one tenant, or leave audience out"
        ),
        custom(function = "at_most_1000_tenants")
    )]
    pub tenant_ids: Vec<Uuid>,
}

fn at_most_1000_tenants(ids: &[Uuid]) -> Result<(), ValidationError> {
    if ids.len() <= 1000 {
        return Ok(());
    }
    Err(ValidationError::new("too_many")
        .with_message("at most 1000 tenants; leave audience out for every tenant".into()))
}

#[derive(Debug, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct NoticeIn {
    pub kind: NoticeKind,
    pub severity: Severity,
    #[validate(nested)]
    pub title: Title,
    pub body: Text,
    /// Absent: every tenant.
    #[validate(nested)]
    pub audience: Option<AudienceIn>,
    /// Maintenance only: the window.
    pub starts_at: Option<DateTime<Utc>>,
    pub ends_at: Option<DateTime<Utc>>,
    /// Maintenance less than 7 days ahead (emergency patches): needs a reason.
    #[serde(default)]
    pub emergency: bool,
    #[schema(max_length = 2000)]
    #[validate(length(
        max = 2000,
        code = "too_long",
        message = "must be at most 2000 characters"
    ))]
    pub emergency_reason: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct NoticePatch {
    pub severity: Option<Severity>,
    #[validate(nested)]
    pub title: Option<Title>,
    pub body: Option<Text>,
    pub starts_at: Option<DateTime<Utc>>,
    pub ends_at: Option<DateTime<Utc>>,
    pub emergency: Option<bool>,
    #[schema(max_length = 2000)]
    #[validate(length(
        max = 2000,
        code = "too_long",
        message = "must be at most 2000 characters"
    ))]
    pub emergency_reason: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateIn {
    /// For incidents and vulnerabilities: the new stage.
    pub status: IncidentStage,
    pub body: Text,
}

/// A text's Japanese form is required, and its length limit holds for either
/// language; both are reported on `body`'s own names.
fn text_violations(field: &str, t: &Text, max: usize, check: &mut Check) {
    if t.ja.trim().is_empty() {
        check.push(FieldError::new(
            &format!("{field}.ja"),
            "required",
            "a Japanese text is required",
        ));
    }
    if t.ja.chars().count() > max || t.en.as_ref().is_some_and(|e| e.chars().count() > max) {
        check.push(FieldError::new(
            field,
            "too_long",
            format!("must be at most {max} characters"),
        ));
    }
}

/// The window and the notice period: starting less than 7 days after `now`
/// is refused unless it is an emergency with a stated reason. `now` is `None`
/// when the start did not move (stretching a window's end needs no new notice).
pub fn window_violations(
    kind: NoticeKind,
    starts_at: Option<DateTime<Utc>>,
    ends_at: Option<DateTime<Utc>>,
    emergency: bool,
    reason: Option<&str>,
    now: Option<DateTime<Utc>>,
) -> Result<(), ApiError> {
    if kind == NoticeKind::Release {
        return release_violations(starts_at, ends_at, emergency, reason, now);
    }
    if kind != NoticeKind::Maintenance {
        if starts_at.is_some() || ends_at.is_some() {
            return Err(ApiError::field(
                "starts_at",
                "not_allowed",
                "only maintenance has a window",
            ));
        }
        if emergency {
            return Err(ApiError::field(
                "emergency",
                "not_allowed",
                "only maintenance can be an emergency (it skips the week's notice)",
            ));
        }
        return Ok(());
    }
    let (Some(start), Some(end)) = (starts_at, ends_at) else {
        return Err(ApiError::field(
            "starts_at",
            "required",
            "maintenance needs starts_at and ends_at",
        ));
    };
    if end <= start {
        return Err(ApiError::field(
            "ends_at",
            "before_start",
            "must be after starts_at",
        ));
    }
    if emergency && reason.is_none_or(|r| r.trim().is_empty()) {
        let detail = "an emergency maintenance states its reason";
        return Err(ApiError::Rule {
            code: ErrorCode::EmergencyReasonRequired,
            detail: detail.into(),
            errors: vec![FieldError::new("emergency_reason", "required", detail)],
        });
    }
    if !emergency && now.is_some_and(|now| start < now + NOTICE_PERIOD) {
        let detail = "planned maintenance is announced at least 7 days before it starts (or mark it an emergency with a reason)";
        return Err(ApiError::Rule {
            code: ErrorCode::MaintenanceNoticeTooShort,
            detail: detail.into(),
            errors: vec![FieldError::new(
                "starts_at",
                "maintenance_notice_too_short",
                detail,
            )],
        });
    }
    Ok(())
}

/// A release may name when its change takes effect (`starts_at`, no end);
/// then it is announced a week ahead too (ISO/IEC 27017 12.1.2), unless it
/// is an emergency with a stated reason.
fn release_violations(
    starts_at: Option<DateTime<Utc>>,
    ends_at: Option<DateTime<Utc>>,
    emergency: bool,
    reason: Option<&str>,
    now: Option<DateTime<Utc>>,
) -> Result<(), ApiError> {
    if ends_at.is_some() {
        return Err(ApiError::field(
            "ends_at",
            "not_allowed",
            "a release has no end: starts_at is when its change takes effect",
        ));
    }
    let Some(effective) = starts_at else {
        if emergency {
            return Err(ApiError::field(
                "emergency",
                "not_allowed",
                "only a release with a date it takes effect (starts_at) can be an emergency",
            ));
        }
        return Ok(());
    };
    if emergency && reason.is_none_or(|r| r.trim().is_empty()) {
        let detail = "an emergency change states its reason";
        return Err(ApiError::Rule {
            code: ErrorCode::EmergencyReasonRequired,
            detail: detail.into(),
            errors: vec![FieldError::new("emergency_reason", "required", detail)],
        });
    }
    if !emergency && now.is_some_and(|now| effective < now + NOTICE_PERIOD) {
        let detail = "a change to the service is announced at least 7 days before it takes effect (or mark it an emergency with a reason)";
        return Err(ApiError::Rule {
            code: ErrorCode::ChangeNoticeTooShort,
            detail: detail.into(),
            errors: vec![FieldError::new(
                "starts_at",
                "change_notice_too_short",
                detail,
            )],
        });
    }
    Ok(())
}

impl NoticeIn {
    /// The fields, then the window; the title's Japanese form as stored.
    pub fn check(&self, now: DateTime<Utc>) -> Result<DisplayName, ApiError> {
        let mut check = Check::new(self.validate());
        let title = check.take(DisplayName::parse("title.ja", &self.title.ja));
        text_violations("body", &self.body, 20_000, &mut check);
        let title = check.done(|| title)?;
        window_violations(
            self.kind,
            self.starts_at,
            self.ends_at,
            self.emergency,
            self.emergency_reason.as_deref(),
            Some(now),
        )?;
        Ok(title)
    }
}

impl UpdateIn {
    pub fn check(&self) -> Result<(), ApiError> {
        let mut check = Check::default();
        text_violations("body", &self.body, 20_000, &mut check);
        check.done(|| Some(()))
    }
}

impl NoticePatch {
    /// The fields given; the new title's Japanese form as stored.
    pub fn text_check(&self) -> Result<Option<DisplayName>, ApiError> {
        let mut check = Check::new(self.validate());
        let title = check.take(
            self.title
                .as_ref()
                .map(|t| DisplayName::parse("title.ja", &t.ja))
                .transpose(),
        );
        if let Some(b) = &self.body {
            text_violations("body", b, 20_000, &mut check);
        }
        check.done(|| title)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(days: i64, hours: i64, emergency: bool, reason: Option<&str>) -> Result<(), ApiError> {
        let now = Utc::now();
        let start = now + Duration::days(days) + Duration::hours(hours);
        window_violations(
            NoticeKind::Maintenance,
            Some(start),
            Some(start + Duration::hours(2)),
            emergency,
            reason,
            Some(now),
        )
    }

    #[test]
    fn the_seven_day_rule_holds_at_its_edges() {
        assert!(check(6, 23, false, None).is_err());
        let start = Utc::now() + Duration::hours(1);
        let stretched = window_violations(
            NoticeKind::Maintenance,
            Some(start),
            Some(start + Duration::hours(5)),
            false,
            None,
            None,
        );
        assert!(
            stretched.is_ok(),
            "a start that did not move needs no new notice"
        );
        assert!(check(7, 0, false, None).is_ok());
        assert!(check(0, 2, true, Some("CVE-2026-0001 fix")).is_ok());
        assert!(check(0, 2, true, None).is_err());
        assert!(check(0, 2, true, Some("  ")).is_err());
    }
}
