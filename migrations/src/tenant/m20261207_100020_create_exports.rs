use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Full exports of the tenant's data (ISO/IEC 27017 12.3.1): a job row per
/// request, claimed by a worker that streams one ZIP to object storage.
#[derive(DeriveIden)]
enum Exports {
    Table,
    Id,
    /// `queued`, `running`, `ready`, `failed` or `expired`.
    Status,
    RequestedBy,
    CreatedAt,
    StartedAt,
    /// A running job's worker touches this; a stale one was cut off.
    HeartbeatAt,
    FinishedAt,
    ItemsDone,
    ItemsTotal,
    Size,
    Sha256,
    ExpiresAt,
    Error,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Exports::Table)
                    .col(uuid(Exports::Id).primary_key())
                    .col(string(Exports::Status))
                    .col(uuid_null(Exports::RequestedBy))
                    .col(timestamp_with_time_zone(Exports::CreatedAt))
                    .col(timestamp_with_time_zone_null(Exports::StartedAt))
                    .col(timestamp_with_time_zone_null(Exports::HeartbeatAt))
                    .col(timestamp_with_time_zone_null(Exports::FinishedAt))
                    .col(big_integer(Exports::ItemsDone).default(0))
                    .col(big_integer(Exports::ItemsTotal).default(0))
                    .col(big_integer_null(Exports::Size))
                    .col(string_null(Exports::Sha256))
                    .col(timestamp_with_time_zone_null(Exports::ExpiresAt))
                    .col(text_null(Exports::Error))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("exports_status")
                    .table(Exports::Table)
                    .col(Exports::Status)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Exports::Table).to_owned())
            .await
    }
}
