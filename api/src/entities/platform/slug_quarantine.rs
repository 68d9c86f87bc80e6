//! `slug_quarantine` in the platform database: a deleted tenant's slug (as
//! its SHA-256) cannot be taken again until `until`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "slug_quarantine")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub slug_sha256: String,
    pub until: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
