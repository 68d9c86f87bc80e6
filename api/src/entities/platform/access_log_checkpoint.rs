//! `access_log_checkpoints` in the platform database.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "access_log_checkpoints")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub seq: i64,
    pub hash: String,
    pub at: DateTimeUtc,
    pub kind: String,
    pub key_id: String,
    pub signature: String,
    /// The tenant's previous checkpoint's signature ("" for the first),
    /// signed with this one; null on checkpoints older than the chain.
    pub prev_signature: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
