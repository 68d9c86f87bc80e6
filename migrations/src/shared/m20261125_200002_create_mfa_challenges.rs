use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// An SMS one-time code waiting to be entered. Only an HMAC of the code is kept.
#[derive(DeriveIden)]
enum MfaChallenges {
    Table,
    Id,
    SubjectId,
    CodeHash,
    CreatedAt,
    ExpiresAt,
    Attempts,
    ConsumedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(MfaChallenges::Table)
                    .col(uuid(MfaChallenges::Id).primary_key())
                    .col(uuid(MfaChallenges::SubjectId))
                    .col(string_len(MfaChallenges::CodeHash, 64))
                    .col(timestamp_with_time_zone(MfaChallenges::CreatedAt))
                    .col(timestamp_with_time_zone(MfaChallenges::ExpiresAt))
                    .col(integer(MfaChallenges::Attempts))
                    .col(timestamp_with_time_zone_null(MfaChallenges::ConsumedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(MfaChallenges::Table).to_owned())
            .await
    }
}
