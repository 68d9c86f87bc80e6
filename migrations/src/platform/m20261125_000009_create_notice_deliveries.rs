use sea_orm_migration::{prelude::*, schema::*};

use super::m20261125_000007_create_notices::Notices;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// One email or SMS of an incident (or of one of its updates: `update_id`) to one admin of an addressed tenant, with
/// its attempts (`attempt_log`: a JSON array of time, outcome and error), so
/// operators see who was reached.
#[derive(DeriveIden)]
enum NoticeDeliveries {
    Table,
    Id,
    NoticeId,
    UpdateId,
    TenantId,
    UserId,
    Channel,
    Destination,
    Status,
    Attempts,
    LastError,
    AttemptLog,
    NextAttemptAt,
    ClaimedUntil,
    SentAt,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(NoticeDeliveries::Table)
                    .col(uuid(NoticeDeliveries::Id).primary_key())
                    .col(uuid(NoticeDeliveries::NoticeId))
                    .col(uuid_null(NoticeDeliveries::UpdateId))
                    .col(uuid(NoticeDeliveries::TenantId))
                    .col(uuid(NoticeDeliveries::UserId))
                    .col(string_len(NoticeDeliveries::Channel, 8))
                    .col(string_len(NoticeDeliveries::Destination, 320))
                    .col(string_len(NoticeDeliveries::Status, 16))
                    .col(integer(NoticeDeliveries::Attempts))
                    .col(text_null(NoticeDeliveries::LastError))
                    .col(text(NoticeDeliveries::AttemptLog))
                    .col(timestamp_with_time_zone(NoticeDeliveries::NextAttemptAt))
                    .col(timestamp_with_time_zone_null(
                        NoticeDeliveries::ClaimedUntil,
                    ))
                    .col(timestamp_with_time_zone_null(NoticeDeliveries::SentAt))
                    .col(timestamp_with_time_zone(NoticeDeliveries::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(NoticeDeliveries::Table, NoticeDeliveries::NoticeId)
                            .to(Notices::Table, Notices::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_notice_deliveries_due")
                    .table(NoticeDeliveries::Table)
                    .col(NoticeDeliveries::Status)
                    .col(NoticeDeliveries::NextAttemptAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(NoticeDeliveries::Table).to_owned())
            .await
    }
}
