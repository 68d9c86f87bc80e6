use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Every operator action and operator tool use, outside any tenant's reach.
#[derive(DeriveIden)]
pub enum PlatformAudit {
    Table,
    Id,
    At,
    /// `operator` (API), `cli` (the crepo command) or `system`.
    ActorKind,
    ActorId,
    ActorEmail,
    Action,
    TargetKind,
    TargetId,
    /// JSON object with the action's particulars (never secrets).
    Details,
    Ip,
    RequestId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(PlatformAudit::Table)
                    .col(uuid(PlatformAudit::Id).primary_key())
                    .col(timestamp_with_time_zone(PlatformAudit::At))
                    .col(string_len(PlatformAudit::ActorKind, 16))
                    .col(uuid_null(PlatformAudit::ActorId))
                    .col(string_len_null(PlatformAudit::ActorEmail, 254))
                    .col(string_len(PlatformAudit::Action, 100))
                    .col(string_len_null(PlatformAudit::TargetKind, 32))
                    .col(string_len_null(PlatformAudit::TargetId, 64))
                    .col(text(PlatformAudit::Details))
                    .col(string_len_null(PlatformAudit::Ip, 64))
                    .col(string_len_null(PlatformAudit::RequestId, 128))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_platform_audit_at")
                    .table(PlatformAudit::Table)
                    .col(PlatformAudit::At)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(PlatformAudit::Table).to_owned())
            .await
    }
}
