use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Incident deliveries reach a tenant's administrators and its security
/// contacts: which kind each is, and its name for the operators.
#[derive(DeriveIden)]
enum NoticeDeliveries {
    Table,
    /// `user` (null on older rows) or `security_contact`.
    RecipientKind,
    RecipientName,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for col in [
            NoticeDeliveries::RecipientKind,
            NoticeDeliveries::RecipientName,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(NoticeDeliveries::Table)
                        .add_column(text_null(col))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for col in [
            NoticeDeliveries::RecipientName,
            NoticeDeliveries::RecipientKind,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(NoticeDeliveries::Table)
                        .drop_column(col)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
