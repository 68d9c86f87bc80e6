//! `notice_updates` in the platform database.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "notice_updates")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub notice_id: Uuid,
    pub status: IncidentStage,
    pub body_ja: String,
    pub body_en: Option<String>,
    pub at: DateTimeUtc,
    pub operator_id: Option<Uuid>,
}

stored_enum! {
    /// The stages of an incident or vulnerability, as Statuspage has them.
    pub enum IncidentStage {
        Investigating,
        Identified,
        Monitoring,
        Resolved,
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
