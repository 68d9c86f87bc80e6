use sea_orm_migration::{prelude::*, schema::*};

use super::m20261125_000007_create_notices::Notices;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The timestamped updates of an incident (as on a status page).
#[derive(DeriveIden)]
enum NoticeUpdates {
    Table,
    Id,
    NoticeId,
    Status,
    BodyJa,
    BodyEn,
    At,
    OperatorId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(NoticeUpdates::Table)
                    .col(uuid(NoticeUpdates::Id).primary_key())
                    .col(uuid(NoticeUpdates::NoticeId))
                    .col(string_len(NoticeUpdates::Status, 16))
                    .col(text(NoticeUpdates::BodyJa))
                    .col(text_null(NoticeUpdates::BodyEn))
                    .col(timestamp_with_time_zone(NoticeUpdates::At))
                    .col(uuid_null(NoticeUpdates::OperatorId))
                    .foreign_key(
                        ForeignKey::create()
                            .from(NoticeUpdates::Table, NoticeUpdates::NoticeId)
                            .to(Notices::Table, Notices::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(NoticeUpdates::Table).to_owned())
            .await
    }
}
