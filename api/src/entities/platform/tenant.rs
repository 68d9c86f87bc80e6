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
    /// A tenant administrator asked to end the service (CLD.8.1.5).
    pub termination_requested_at: Option<DateTimeUtc>,
    pub termination_requested_by: Option<String>,
    /// The terms of use accepted at sign-up, and when.
    pub terms_version: Option<String>,
    pub terms_accepted_at: Option<DateTimeUtc>,
}

stored_enum! {
    /// `provisioning` while its schema is created, then `active`;
    /// `suspended` by an operator (data kept, nobody signs in); `deleting`
    /// while its data is erased (the row goes when that is done).
    pub enum TenantStatus {
        Provisioning,
        Active,
        Suspended,
        Deleting,
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
