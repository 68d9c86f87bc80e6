//! `notices` in the platform database.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "notices")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub kind: NoticeKind,
    pub severity: Severity,
    pub title_ja: String,
    pub title_en: Option<String>,
    pub body_ja: String,
    pub body_en: Option<String>,
    pub audience_tenant_ids: Option<String>,
    pub starts_at: Option<DateTimeUtc>,
    pub ends_at: Option<DateTimeUtc>,
    pub emergency: bool,
    pub emergency_reason: Option<String>,
    pub status: NoticeStatus,
    pub published_at: DateTimeUtc,
    pub resolved_at: Option<DateTimeUtc>,
    pub cancelled_at: Option<DateTimeUtc>,
    pub created_by: Option<Uuid>,
    pub updated_at: DateTimeUtc,
}

stored_enum! {
    pub enum NoticeKind {
        Maintenance,
        Vulnerability,
        Incident,
        Release,
    }
}

stored_enum! {
    pub enum Severity {
        Info,
        Warning,
        Critical,
    }
}

stored_enum! {
    /// Maintenance: `scheduled` → `in_progress` → `completed` (by time), or
    /// `cancelled`. Incidents and vulnerabilities: `investigating` →
    /// `identified` → `monitoring` → `resolved`. Releases: `published`.
    pub enum NoticeStatus {
        Scheduled,
        InProgress,
        Completed,
        Cancelled,
        Investigating,
        Identified,
        Monitoring,
        Resolved,
        Published,
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
