use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Signed heads of each tenant's access-log chain, kept outside the tenant's
/// schema (like CloudTrail's digest files). `kind`: `periodic` or `purge`
/// (the last entry removed by a retention purge: the new chain start).
#[derive(DeriveIden)]
pub enum AccessLogCheckpoints {
    Table,
    Id,
    TenantId,
    Seq,
    Hash,
    At,
    Kind,
    KeyId,
    Signature,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AccessLogCheckpoints::Table)
                    .col(uuid(AccessLogCheckpoints::Id).primary_key())
                    .col(uuid(AccessLogCheckpoints::TenantId))
                    .col(big_integer(AccessLogCheckpoints::Seq))
                    .col(string_len(AccessLogCheckpoints::Hash, 64))
                    .col(timestamp_with_time_zone(AccessLogCheckpoints::At))
                    .col(string_len(AccessLogCheckpoints::Kind, 16))
                    .col(string_len(AccessLogCheckpoints::KeyId, 32))
                    .col(string_len(AccessLogCheckpoints::Signature, 128))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_access_log_checkpoints_tenant")
                    .table(AccessLogCheckpoints::Table)
                    .col(AccessLogCheckpoints::TenantId)
                    .col(AccessLogCheckpoints::Seq)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AccessLogCheckpoints::Table).to_owned())
            .await
    }
}
