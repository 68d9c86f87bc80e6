//! `users` in a tenant schema.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub email: String,
    #[sea_orm(unique)]
    pub email_key: String,
    pub name: String,
    pub phone: Option<String>,
    /// Never leaves the database, exports included.
    #[serde(skip)]
    pub password_hash: String,
    pub status: UserStatus,
    pub password_change_required: bool,
    pub password_changed_at: DateTimeUtc,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub failed_logins: i32,
    pub locked_until: Option<DateTimeUtc>,
    /// A temporary password set by an administrator signs in until then.
    pub temporary_until: Option<DateTimeUtc>,
}

stored_enum! {
    /// A disabled user cannot sign in and its sessions end.
    pub enum UserStatus {
        Active,
        Disabled,
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
