//! `exports` in a tenant schema: full-export jobs and their results.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "exports")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub status: ExportStatus,
    pub requested_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub started_at: Option<DateTimeUtc>,
    pub heartbeat_at: Option<DateTimeUtc>,
    pub finished_at: Option<DateTimeUtc>,
    pub items_done: i64,
    pub items_total: i64,
    pub size: Option<i64>,
    pub sha256: Option<String>,
    pub expires_at: Option<DateTimeUtc>,
    pub error: Option<String>,
}

stored_enum! {
    /// `queued` → `running` → `ready` (then `expired`) or `failed`.
    pub enum ExportStatus {
        Queued,
        Running,
        Ready,
        Failed,
        Expired,
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
