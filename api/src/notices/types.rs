use chrono::{DateTime, Duration, Utc};
use sea_orm::{ColumnTrait, Condition};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

use crate::entities::platform::{notice, notice_update};
pub use crate::entities::platform::{
    notice::{NoticeKind, NoticeStatus, Severity},
    notice_update::IncidentStage,
};

/// The status as of `now`: maintenance moves on by its window.
pub fn effective_status(n: &notice::Model, now: DateTime<Utc>) -> NoticeStatus {
    if n.kind != NoticeKind::Maintenance || n.status == NoticeStatus::Cancelled {
        return n.status;
    }
    match (n.starts_at, n.ends_at) {
        (Some(start), _) if now < start => NoticeStatus::Scheduled,
        (_, Some(end)) if now < end => NoticeStatus::InProgress,
        _ => NoticeStatus::Completed,
    }
}

/// Should tenants see it after login now?
pub fn current(n: &notice::Model, now: DateTime<Utc>) -> bool {
    match (n.kind, effective_status(n, now)) {
        (NoticeKind::Maintenance, s) => {
            matches!(s, NoticeStatus::Scheduled | NoticeStatus::InProgress)
        }
        (NoticeKind::Incident | NoticeKind::Vulnerability, NoticeStatus::Resolved) => {
            n.resolved_at.is_some_and(|at| now - at < Duration::days(7))
        }
        (NoticeKind::Incident | NoticeKind::Vulnerability, _) => true,
        (NoticeKind::Release, NoticeStatus::Cancelled) => false,
        (NoticeKind::Release, _) => now - n.published_at < Duration::days(30),
    }
}

/// A database-side superset of [`current`], so the list reads only notices
/// that may still be shown.
pub fn maybe_current(now: DateTime<Utc>) -> Condition {
    use notice::Column as C;
    Condition::any()
        .add(
            Condition::all()
                .add(C::Kind.eq(NoticeKind::Maintenance))
                .add(C::Status.ne(NoticeStatus::Cancelled))
                .add(C::EndsAt.gt(now)),
        )
        .add(
            Condition::all()
                .add(C::Kind.is_in([NoticeKind::Incident, NoticeKind::Vulnerability]))
                .add(
                    Condition::any()
                        .add(C::ResolvedAt.is_null())
                        .add(C::ResolvedAt.gt(now - Duration::days(7))),
                ),
        )
        .add(
            Condition::all()
                .add(C::Kind.eq(NoticeKind::Release))
                .add(C::Status.ne(NoticeStatus::Cancelled))
                .add(C::PublishedAt.gt(now - Duration::days(30))),
        )
}

pub fn audience(n: &notice::Model) -> Option<Vec<Uuid>> {
    n.audience_tenant_ids
        .as_deref()
        .and_then(|s| serde_json::from_str(s).ok())
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Text {
    /// Not blank (and, as everywhere, no NUL). U+0085 counts as blank, as
    /// the server trims it (JSON Schema's `\s` does not name it).
    #[schema(
        min_length = 1,
        max_length = 20000,
        pattern = r"^[^\x00]*[^\s\x00\x85][^\x00]*$"
    )]
    pub ja: String,
    #[schema(max_length = 20000)]
    pub en: Option<String>,
}

/// A title in Japanese and optionally English.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct Title {
    /// One line, not blank.
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"^[^\x00-\x1F\x7F-\x9F\u2028\u2029\u202A-\u202E\u2066-\u2069]*[^\s\x00-\x1F\x7F-\x9F\u2028\u2029\u202A-\u202E\u2066-\u2069][^\x00-\x1F\x7F-\x9F\u2028\u2029\u202A-\u202E\u2066-\u2069]*$"
    )]
    pub ja: String,
    #[schema(
        max_length = 200,
        pattern = r"^[^\x00-\x1F\x7F-\x9F\u2028\u2029\u202A-\u202E\u2066-\u2069]*$"
    )]
    #[validate(
        length(
            max = 200,
            code = "too_long",
            message = "must be at most 200 characters"
        ),
        custom(function = "crate::values::one_line_rule")
    )]
    pub en: Option<String>,
}

impl From<IncidentStage> for NoticeStatus {
    fn from(s: IncidentStage) -> Self {
        match s {
            IncidentStage::Investigating => NoticeStatus::Investigating,
            IncidentStage::Identified => NoticeStatus::Identified,
            IncidentStage::Monitoring => NoticeStatus::Monitoring,
            IncidentStage::Resolved => NoticeStatus::Resolved,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UpdateOut {
    pub status: IncidentStage,
    pub body: Text,
    pub at: DateTime<Utc>,
}

impl From<notice_update::Model> for UpdateOut {
    fn from(u: notice_update::Model) -> Self {
        Self {
            status: u.status,
            body: Text {
                ja: u.body_ja,
                en: u.body_en,
            },
            at: u.at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NoticeOut {
    pub id: Uuid,
    pub kind: NoticeKind,
    pub severity: Severity,
    pub title: Title,
    pub body: Text,
    /// Maintenance window.
    pub starts_at: Option<DateTime<Utc>>,
    pub ends_at: Option<DateTime<Utc>>,
    pub emergency: bool,
    pub emergency_reason: Option<String>,
    /// As of now (maintenance moves on by its window).
    pub status: NoticeStatus,
    pub published_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub resolved_at: Option<DateTime<Utc>>,
    /// Incident updates, oldest first.
    pub updates: Vec<UpdateOut>,
    /// Tenant view: has this user marked it read in its current phase?
    #[serde(skip_serializing_if = "Option::is_none")]
    pub read: Option<bool>,
    /// Operator view: the tenants addressed (absent: every tenant).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tenant_ids: Option<Vec<Uuid>>,
}

impl NoticeOut {
    pub fn new(n: notice::Model, updates: Vec<notice_update::Model>, now: DateTime<Utc>) -> Self {
        let status = effective_status(&n, now);
        Self {
            id: n.id,
            kind: n.kind,
            severity: n.severity,
            title: Title {
                ja: n.title_ja,
                en: n.title_en,
            },
            body: Text {
                ja: n.body_ja,
                en: n.body_en,
            },
            starts_at: n.starts_at,
            ends_at: n.ends_at,
            emergency: n.emergency,
            emergency_reason: n.emergency_reason,
            status,
            published_at: n.published_at,
            updated_at: n.updated_at,
            resolved_at: n.resolved_at,
            updates: updates.into_iter().map(UpdateOut::from).collect(),
            read: None,
            tenant_ids: None,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NoticeList {
    pub items: Vec<NoticeOut>,
}
