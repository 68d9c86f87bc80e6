use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The provider's staff. Created only by `crepo operator create`.
#[derive(DeriveIden)]
enum Operators {
    Table,
    Id,
    Email,
    EmailKey,
    Phone,
    PasswordHash,
    Status,
    FailedLogins,
    LockedUntil,
    CreatedAt,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Operators::Table)
                    .col(uuid(Operators::Id).primary_key())
                    .col(string_len(Operators::Email, 254))
                    .col(string_len_uniq(Operators::EmailKey, 254))
                    .col(string_len(Operators::Phone, 16))
                    .col(text(Operators::PasswordHash))
                    .col(string_len(Operators::Status, 16))
                    .col(integer(Operators::FailedLogins).default(0))
                    .col(timestamp_with_time_zone_null(Operators::LockedUntil))
                    .col(timestamp_with_time_zone(Operators::CreatedAt))
                    .col(timestamp_with_time_zone(Operators::UpdatedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Operators::Table).to_owned())
            .await
    }
}
