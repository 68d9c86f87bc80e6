//! `platform_audit` in the platform.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "platform_audit")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub at: DateTimeUtc,
    pub actor_kind: String,
    pub actor_id: Option<Uuid>,
    pub actor_email: Option<String>,
    pub action: String,
    pub target_kind: Option<String>,
    pub target_id: Option<String>,
    pub details: String,
    pub ip: Option<String>,
    pub request_id: Option<String>,
    /// The previous entry's hash ("" for the first chained one).
    pub prev_hash: Option<String>,
    /// SHA-256 over `prev_hash` and every field: see `audit::hash_of`.
    pub hash: Option<String>,
    /// Set when `target_id` and `details` were redacted (a deleted
    /// tenant's data): the digest they had, which the hash covers.
    pub redacted_digest: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
