use sea_orm_migration::{prelude::*, schema::*};

use super::{m20261125_100002_create_roles::Roles, m20261125_100012_create_labels::Labels};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The labels of a `labels`-scoped role: its holders see projects carrying
/// any of them.
#[derive(DeriveIden)]
enum RoleLabels {
    Table,
    RoleId,
    LabelId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(RoleLabels::Table)
                    .col(uuid(RoleLabels::RoleId))
                    .col(uuid(RoleLabels::LabelId))
                    .primary_key(
                        Index::create()
                            .col(RoleLabels::RoleId)
                            .col(RoleLabels::LabelId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(RoleLabels::Table, RoleLabels::RoleId)
                            .to(Roles::Table, Roles::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(RoleLabels::Table, RoleLabels::LabelId)
                            .to(Labels::Table, Labels::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(RoleLabels::Table).to_owned())
            .await
    }
}
