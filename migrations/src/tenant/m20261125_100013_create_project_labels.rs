use sea_orm_migration::{prelude::*, schema::*};

use super::{m20261125_100011_create_projects::Projects, m20261125_100012_create_labels::Labels};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ProjectLabels {
    Table,
    ProjectId,
    LabelId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ProjectLabels::Table)
                    .col(uuid(ProjectLabels::ProjectId))
                    .col(uuid(ProjectLabels::LabelId))
                    .primary_key(
                        Index::create()
                            .col(ProjectLabels::ProjectId)
                            .col(ProjectLabels::LabelId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ProjectLabels::Table, ProjectLabels::ProjectId)
                            .to(Projects::Table, Projects::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ProjectLabels::Table, ProjectLabels::LabelId)
                            .to(Labels::Table, Labels::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_project_labels_label")
                    .table(ProjectLabels::Table)
                    .col(ProjectLabels::LabelId)
                    .col(ProjectLabels::ProjectId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ProjectLabels::Table).to_owned())
            .await
    }
}
