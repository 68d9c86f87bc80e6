use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The latest head of each tenant's chain, written after every batch outside
/// the tenant's schema: a truncated tail is found even between checkpoints.
#[derive(DeriveIden)]
enum AccessLogAnchors {
    Table,
    TenantId,
    Seq,
    Hash,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AccessLogAnchors::Table)
                    .col(uuid(AccessLogAnchors::TenantId).primary_key())
                    .col(big_integer(AccessLogAnchors::Seq))
                    .col(string_len(AccessLogAnchors::Hash, 64))
                    .col(timestamp_with_time_zone(AccessLogAnchors::UpdatedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AccessLogAnchors::Table).to_owned())
            .await
    }
}
