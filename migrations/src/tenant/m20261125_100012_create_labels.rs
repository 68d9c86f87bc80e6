use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Product codes used as labels on projects.
#[derive(DeriveIden)]
pub enum Labels {
    Table,
    Id,
    Code,
    /// Lower-cased code: unique per tenant regardless of case.
    CodeKey,
    /// `jan` (check digit verified) or null.
    Kind,
    Name,
    CreatedAt,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Labels::Table)
                    .col(uuid(Labels::Id).primary_key())
                    .col(string_len(Labels::Code, 64))
                    .col(string_len_uniq(Labels::CodeKey, 64))
                    .col(string_len_null(Labels::Kind, 16))
                    .col(string_len(Labels::Name, 200))
                    .col(timestamp_with_time_zone(Labels::CreatedAt))
                    .col(timestamp_with_time_zone(Labels::UpdatedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Labels::Table).to_owned())
            .await
    }
}
