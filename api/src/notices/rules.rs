//! What operators may publish: the one-week rule for maintenance above all.

use crate::error::ErrorCode;
use chrono::{DateTime, Duration, Utc};
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::types::{IncidentStage, NoticeKind, Severity, Text, Title};
use crate::error::{ApiError, FieldError};

/// Planned maintenance is announced at least this long before it starts.
pub const NOTICE_PERIOD: Duration = Duration::days(7);

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AudienceIn {
    /// Only these tenants see the notice (and, for incidents, their admins are
    /// sent email and SMS).
    #[schema(min_items = 1, max_items = 1000)]
    pub tenant_ids: Vec<Uuid>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NoticeIn {
    pub kind: NoticeKind,
    pub severity: Severity,
    pub title: Title,
    pub body: Text,
    /// Absent: every tenant.
    pub audience: Option<AudienceIn>,
    /// Maintenance only: the window.
    pub starts_at: Option<DateTime<Utc>>,
    pub ends_at: Option<DateTime<Utc>>,
    /// Maintenance less than 7 days ahead (emergency patches): needs a reason.
    #[serde(default)]
    pub emergency: bool,
    #[schema(max_length = 2000)]
    pub emergency_reason: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NoticePatch {
    pub severity: Option<Severity>,
    pub title: Option<Title>,
    pub body: Option<Text>,
    pub starts_at: Option<DateTime<Utc>>,
    pub ends_at: Option<DateTime<Utc>>,
    pub emergency: Option<bool>,
    #[schema(max_length = 2000)]
    pub emergency_reason: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateIn {
    /// For incidents and vulnerabilities: the new stage.
    pub status: IncidentStage,
    pub body: Text,
}

fn text_violations(field: &str, t: (&str, Option<&str>), max: usize, out: &mut Vec<FieldError>) {
    let (ja, en) = t;
    if ja.trim().is_empty() {
        out.push(FieldError::new(
            &format!("{field}.ja"),
            "required",
            "a Japanese text is required",
        ));
    }
    if ja.chars().count() > max || en.is_some_and(|e| e.chars().count() > max) {
        out.push(FieldError::new(
            field,
            "too_long",
            format!("must be at most {max} characters"),
        ));
    }
}

/// A title is one line: not blank, at most 200 characters, no control characters.
fn title_violations(t: &Title, out: &mut Vec<FieldError>) {
    out.extend(crate::validate::name("title.ja", &t.ja, 200));
    if let Some(en) = &t.en {
        if en.chars().count() > 200 {
            out.push(FieldError::new(
                "title.en",
                "too_long",
                "must be at most 200 characters",
            ));
        }
        if en.chars().any(char::is_control) {
            out.push(FieldError::new(
                "title.en",
                "invalid_characters",
                "must not contain control characters",
            ));
        }
    }
}

fn reason_violations(reason: Option<&str>, out: &mut Vec<FieldError>) {
    if reason.is_some_and(|r| r.chars().count() > 2000) {
        out.push(FieldError::new(
            "emergency_reason",
            "too_long",
            "must be at most 2000 characters",
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

impl NoticeIn {
    pub fn check(&self, now: DateTime<Utc>) -> Result<(), ApiError> {
        let mut out = Vec::new();
        title_violations(&self.title, &mut out);
        reason_violations(self.emergency_reason.as_deref(), &mut out);
        text_violations(
            "body",
            (&self.body.ja, self.body.en.as_deref()),
            20_000,
            &mut out,
        );
        if self
            .audience
            .as_ref()
            .is_some_and(|a| a.tenant_ids.is_empty())
        {
            out.push(FieldError::new(
                "audience.tenant_ids",
                "required",
                "name at least one tenant, or leave audience out",
            ));
        }
        if self
            .audience
            .as_ref()
            .is_some_and(|a| a.tenant_ids.len() > 1000)
        {
            out.push(FieldError::new(
                "audience.tenant_ids",
                "too_many",
                "at most 1000 tenants; leave audience out for every tenant",
            ));
        }
        if !out.is_empty() {
            return Err(ApiError::Validation(out));
        }
        window_violations(
            self.kind,
            self.starts_at,
            self.ends_at,
            self.emergency,
            self.emergency_reason.as_deref(),
            Some(now),
        )
    }
}

impl UpdateIn {
    pub fn check(&self) -> Result<(), ApiError> {
        let mut out = Vec::new();
        text_violations(
            "body",
            (&self.body.ja, self.body.en.as_deref()),
            20_000,
            &mut out,
        );
        if out.is_empty() {
            Ok(())
        } else {
            Err(ApiError::Validation(out))
        }
    }
}

impl NoticePatch {
    pub fn text_check(&self) -> Result<(), ApiError> {
        let mut out = Vec::new();
        reason_violations(self.emergency_reason.as_deref(), &mut out);
        if let Some(t) = &self.title {
            title_violations(t, &mut out);
        }
        if let Some(b) = &self.body {
            text_violations("body", (&b.ja, b.en.as_deref()), 20_000, &mut out);
        }
        if out.is_empty() {
            Ok(())
        } else {
            Err(ApiError::Validation(out))
        }
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
