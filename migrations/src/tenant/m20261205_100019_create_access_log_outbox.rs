use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Security events written in the same transaction as the change they
/// report; the access-log writer chains them and deletes them in one
/// transaction, so a committed change always has its event.
#[derive(DeriveIden)]
enum AccessLogOutbox {
    Table,
    /// UUIDv7: the order they were written in.
    Id,
    At,
    Entry,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AccessLogOutbox::Table)
                    .col(uuid(AccessLogOutbox::Id).primary_key())
                    .col(timestamp_with_time_zone(AccessLogOutbox::At))
                    .col(text(AccessLogOutbox::Entry))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AccessLogOutbox::Table).to_owned())
            .await
    }
}
