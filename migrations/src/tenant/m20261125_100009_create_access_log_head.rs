use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The chain head (one row, id 1), locked by each batch so that every API
/// node appends to one chain; also the tenant's retention.
#[derive(DeriveIden)]
enum AccessLogHead {
    Table,
    Id,
    Seq,
    Hash,
    RetentionDays,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AccessLogHead::Table)
                    .col(integer(AccessLogHead::Id).primary_key())
                    .col(big_integer(AccessLogHead::Seq))
                    .col(string_len(AccessLogHead::Hash, 64))
                    .col(integer(AccessLogHead::RetentionDays))
                    .to_owned(),
            )
            .await?;
        let insert = Query::insert()
            .into_table(AccessLogHead::Table)
            .columns([
                AccessLogHead::Id,
                AccessLogHead::Seq,
                AccessLogHead::Hash,
                AccessLogHead::RetentionDays,
            ])
            .values_panic([1.into(), 0i64.into(), "0".repeat(64).into(), 400.into()])
            .to_owned();
        manager.exec_stmt(insert).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AccessLogHead::Table).to_owned())
            .await
    }
}
