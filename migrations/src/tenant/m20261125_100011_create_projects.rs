use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
pub enum Projects {
    Table,
    Id,
    Name,
    Description,
    /// Lower-cased, NFKC-normalised name and description: case-insensitive
    /// search that behaves the same on both engines, Japanese included.
    SearchKey,
    /// Lower-cased name, for sorting by name.
    NameKey,
    Status,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
    /// Bumped on every change; the ETag.
    Version,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Byte order on both engines (SQLite's default), whatever the
        // database's locale: sorting by name must not depend on the host.
        let mut name_key = string_len(Projects::NameKey, 400);
        if manager.get_database_backend() == sea_orm::DbBackend::Postgres {
            name_key.extra("COLLATE \"C\"");
        }
        manager
            .create_table(
                Table::create()
                    .table(Projects::Table)
                    .col(uuid(Projects::Id).primary_key())
                    .col(string_len(Projects::Name, 200))
                    .col(text(Projects::Description))
                    .col(text(Projects::SearchKey))
                    .col(name_key)
                    .col(string_len(Projects::Status, 16))
                    .col(uuid_null(Projects::CreatedBy))
                    .col(timestamp_with_time_zone(Projects::CreatedAt))
                    .col(timestamp_with_time_zone(Projects::UpdatedAt))
                    .col(integer(Projects::Version))
                    .to_owned(),
            )
            .await?;
        for (name, cols) in [
            (
                "idx_projects_updated",
                vec![Projects::UpdatedAt, Projects::Id],
            ),
            ("idx_projects_name", vec![Projects::NameKey, Projects::Id]),
            ("idx_projects_status", vec![Projects::Status]),
        ] {
            let mut index = Index::create().name(name).table(Projects::Table).to_owned();
            for c in cols {
                index.col(c);
            }
            manager.create_index(index).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Projects::Table).to_owned())
            .await
    }
}
