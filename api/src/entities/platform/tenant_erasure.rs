//! `tenant_erasures` in the platform database: a deletion in progress, with
//! what it needs to finish after an interruption. Its row also lets the
//! deletion remove the tenant's checkpoints and anchor (triggers refuse
//! that otherwise).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "tenant_erasures")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    pub slug: String,
    pub requested_at: Option<DateTimeUtc>,
    pub started_at: DateTimeUtc,
    pub operator_email: Option<String>,
    /// Rows per table, counted before the schema was dropped (JSON object).
    pub counts: String,
    /// E-mail addresses and phones to scrub from platform rows (JSON array).
    pub needles: String,
    pub objects_removed: i64,
    pub last_checkpoint: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
