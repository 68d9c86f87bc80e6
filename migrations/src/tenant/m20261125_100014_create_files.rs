use sea_orm_migration::{prelude::*, schema::*};

use super::m20261125_100011_create_projects::Projects;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Design files: their bytes live in object storage under `object_key`.
#[derive(DeriveIden)]
enum Files {
    Table,
    Id,
    ProjectId,
    Filename,
    DeclaredType,
    SniffedType,
    Size,
    Sha256,
    ObjectKey,
    CreatedBy,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Files::Table)
                    .col(uuid(Files::Id).primary_key())
                    .col(uuid(Files::ProjectId))
                    .col(string_len(Files::Filename, 255))
                    .col(string_len(Files::DeclaredType, 255))
                    .col(string_len(Files::SniffedType, 16))
                    .col(big_integer(Files::Size))
                    .col(string_len(Files::Sha256, 64))
                    .col(text(Files::ObjectKey))
                    .col(uuid_null(Files::CreatedBy))
                    .col(timestamp_with_time_zone(Files::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Files::Table, Files::ProjectId)
                            .to(Projects::Table, Projects::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_files_project")
                    .table(Files::Table)
                    .col(Files::ProjectId)
                    .col(Files::Id)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Files::Table).to_owned())
            .await
    }
}
