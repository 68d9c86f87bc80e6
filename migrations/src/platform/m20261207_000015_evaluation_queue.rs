use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Tenants with design evaluations to run (or to watch, while one runs) and
/// when: the evaluation workers of every node look here instead of visiting
/// every tenant.
#[derive(DeriveIden)]
enum EvaluationQueue {
    Table,
    TenantId,
    DueAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(EvaluationQueue::Table)
                    .col(uuid(EvaluationQueue::TenantId).primary_key())
                    .col(timestamp_with_time_zone(EvaluationQueue::DueAt))
                    .to_owned(),
            )
            .await?;
        // Every tenant once: the tenant migration marks the designs it
        // already holds pending. A tenant with nothing to do leaves the
        // queue on the worker's first visit. `created_at` is in the past
        // (due at once) and stored in the format the worker compares with.
        manager
            .get_connection()
            .execute_unprepared(
                "INSERT INTO evaluation_queue (tenant_id, due_at) SELECT id, created_at FROM tenants",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(EvaluationQueue::Table).to_owned())
            .await
    }
}
