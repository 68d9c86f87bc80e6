use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Every one-time code sent, for the resend cooldown and the hourly cap
/// (kept in the database so that every API node counts the same sends).
#[derive(DeriveIden)]
enum SmsSends {
    Table,
    Id,
    SubjectId,
    SentAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SmsSends::Table)
                    .col(uuid(SmsSends::Id).primary_key())
                    .col(uuid(SmsSends::SubjectId))
                    .col(timestamp_with_time_zone(SmsSends::SentAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_sms_sends_subject_time")
                    .table(SmsSends::Table)
                    .col(SmsSends::SubjectId)
                    .col(SmsSends::SentAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(SmsSends::Table).to_owned())
            .await
    }
}
