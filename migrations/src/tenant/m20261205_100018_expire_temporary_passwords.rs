use sea_orm_migration::{prelude::*, schema::*};

use super::{
    m20261125_100001_create_users::Users, m20261125_100007_create_password_policy::PasswordPolicy,
};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Expiry {
    /// Until when a temporary password (set by an administrator) signs in;
    /// null once the user chose their own.
    TemporaryUntil,
    /// How long a temporary password lasts, in hours (the tenant's policy).
    TemporaryPasswordHours,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .add_column(timestamp_with_time_zone_null(Expiry::TemporaryUntil))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(PasswordPolicy::Table)
                    .add_column(integer(Expiry::TemporaryPasswordHours).default(72))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(PasswordPolicy::Table)
                    .drop_column(Expiry::TemporaryPasswordHours)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .drop_column(Expiry::TemporaryUntil)
                    .to_owned(),
            )
            .await
    }
}
