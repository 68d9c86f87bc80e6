//! `roles` in a tenant schema.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "roles")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(unique)]
    pub name: String,
    pub description: String,
    pub builtin: bool,
    /// JSON array of permission names.
    pub permissions: String,
    pub scope_kind: ScopeKind,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

stored_enum! {
    /// Which projects a role reaches. A stored value this build does not know
    /// fails to load (the request fails) rather than widening the role.
    pub enum ScopeKind {
        /// Every project.
        All,
        /// Projects carrying any of the role's labels.
        Labels,
        /// Projects the user is a member of.
        Assigned,
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::user_role::Entity")]
    UserRole,
}

impl Related<super::user_role::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::UserRole.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
