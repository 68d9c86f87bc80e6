//! `projects` in a tenant schema.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "projects")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub name: String,
    pub description: String,
    pub search_key: String,
    pub name_key: String,
    pub status: ProjectStatus,
    pub created_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

stored_enum! {
    pub enum ProjectStatus {
        Active,
        Archived,
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::project_label::Entity")]
    ProjectLabel,
}

impl Related<super::project_label::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::ProjectLabel.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
