use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Tenants with export work due (a queued job, a running one to watch, a
/// ready one to expire) and when: the export workers of every node look
/// here instead of visiting every tenant.
#[derive(DeriveIden)]
enum ExportQueue {
    Table,
    TenantId,
    DueAt,
}

/// An operator may suspend a tenant; why and since when are kept with it.
#[derive(DeriveIden)]
enum Tenants {
    Table,
    SuspendedAt,
    SuspendedReason,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ExportQueue::Table)
                    .col(uuid(ExportQueue::TenantId).primary_key())
                    .col(timestamp_with_time_zone(ExportQueue::DueAt))
                    .to_owned(),
            )
            .await?;
        // One column per statement: SQLite alters one at a time.
        manager
            .alter_table(
                Table::alter()
                    .table(Tenants::Table)
                    .add_column(timestamp_with_time_zone_null(Tenants::SuspendedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Tenants::Table)
                    .add_column(text_null(Tenants::SuspendedReason))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ExportQueue::Table).to_owned())
            .await
    }
}
