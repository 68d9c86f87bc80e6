//! `tenants` in the platform database.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "tenants")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(unique)]
    pub slug: String,
    pub name: String,
    pub status: TenantStatus,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// Set while an operator has the tenant suspended.
    pub suspended_at: Option<DateTimeUtc>,
    pub suspended_reason: Option<String>,
}

stored_enum! {
    /// `provisioning` while its schema is created, then `active`;
    /// `suspended` by an operator (data kept, nobody signs in).
    pub enum TenantStatus {
        Provisioning,
        Active,
        Suspended,
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
