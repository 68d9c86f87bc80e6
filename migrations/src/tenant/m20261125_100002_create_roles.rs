use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
pub enum Roles {
    Table,
    Id,
    Name,
    Description,
    /// Built-in roles (admin, editor, viewer) cannot be deleted.
    Builtin,
    /// JSON array of permission names.
    Permissions,
    /// Reference scope: `all`, `labels` or `assigned`.
    ScopeKind,
    CreatedAt,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Roles::Table)
                    .col(uuid(Roles::Id).primary_key())
                    .col(string_len_uniq(Roles::Name, 100))
                    .col(string_len(Roles::Description, 1000))
                    .col(boolean(Roles::Builtin))
                    .col(text(Roles::Permissions))
                    .col(string_len(Roles::ScopeKind, 16))
                    .col(timestamp_with_time_zone(Roles::CreatedAt))
                    .col(timestamp_with_time_zone(Roles::UpdatedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Roles::Table).to_owned())
            .await
    }
}
