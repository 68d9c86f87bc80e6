//! `labels` in a tenant schema.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "labels")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub code: String,
    #[sea_orm(unique)]
    pub code_key: String,
    pub kind: Option<LabelKind>,
    pub name: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

stored_enum! {
    pub enum LabelKind {
        /// A JAN / EAN-8 or EAN-13 code: its check digit is verified.
        Jan,
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
