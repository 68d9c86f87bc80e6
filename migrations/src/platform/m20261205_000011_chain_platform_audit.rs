use sea_orm_migration::{prelude::*, schema::*};

use super::m20261125_000004_create_platform_audit::PlatformAudit;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The platform audit as a hash chain (`crepo audit verify`): each entry
/// holds the previous entry's hash and its own. Null on older entries.
#[derive(DeriveIden)]
enum Chain {
    PrevHash,
    Hash,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [Chain::PrevHash, Chain::Hash] {
            manager
                .alter_table(
                    Table::alter()
                        .table(PlatformAudit::Table)
                        .add_column(text_null(column))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [Chain::Hash, Chain::PrevHash] {
            manager
                .alter_table(
                    Table::alter()
                        .table(PlatformAudit::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
