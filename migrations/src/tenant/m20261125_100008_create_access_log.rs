use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The tenant's access log: one hash-chained row per request or security event.
#[derive(DeriveIden)]
pub enum AccessLog {
    Table,
    Seq,
    At,
    Event,
    UserId,
    UserEmail,
    Ip,
    UserAgent,
    Method,
    Route,
    Path,
    Status,
    LatencyMs,
    RequestId,
    /// Canonical JSON object with the event's particulars.
    Details,
    PrevHash,
    Hash,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AccessLog::Table)
                    .col(big_integer(AccessLog::Seq).primary_key())
                    .col(timestamp_with_time_zone(AccessLog::At))
                    .col(string_len(AccessLog::Event, 64))
                    .col(uuid_null(AccessLog::UserId))
                    .col(string_len_null(AccessLog::UserEmail, 320))
                    .col(string_len_null(AccessLog::Ip, 64))
                    .col(text_null(AccessLog::UserAgent))
                    .col(string_len_null(AccessLog::Method, 16))
                    .col(text_null(AccessLog::Route))
                    .col(text_null(AccessLog::Path))
                    .col(integer_null(AccessLog::Status))
                    .col(integer_null(AccessLog::LatencyMs))
                    .col(string_len_null(AccessLog::RequestId, 128))
                    .col(text(AccessLog::Details))
                    .col(string_len(AccessLog::PrevHash, 64))
                    .col(string_len(AccessLog::Hash, 64))
                    .to_owned(),
            )
            .await?;
        for (name, col) in [
            ("idx_access_log_user", AccessLog::UserId),
            ("idx_access_log_event", AccessLog::Event),
            ("idx_access_log_at", AccessLog::At),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(AccessLog::Table)
                        .col(col)
                        .col(AccessLog::Seq)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AccessLog::Table).to_owned())
            .await
    }
}
