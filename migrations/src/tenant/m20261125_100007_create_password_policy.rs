use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The tenant's password and session policy: one row (id 1); absent means
/// the platform defaults.
#[derive(DeriveIden)]
pub enum PasswordPolicy {
    Table,
    Id,
    MinLength,
    RequireUppercase,
    RequireLowercase,
    RequireDigit,
    RequireSymbol,
    HistoryCount,
    MaxAgeDays,
    LockoutThreshold,
    LockoutMinutes,
    SessionIdleMinutes,
    SessionAbsoluteMinutes,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(PasswordPolicy::Table)
                    .col(integer(PasswordPolicy::Id).primary_key())
                    .col(integer(PasswordPolicy::MinLength))
                    .col(boolean(PasswordPolicy::RequireUppercase))
                    .col(boolean(PasswordPolicy::RequireLowercase))
                    .col(boolean(PasswordPolicy::RequireDigit))
                    .col(boolean(PasswordPolicy::RequireSymbol))
                    .col(integer(PasswordPolicy::HistoryCount))
                    .col(integer(PasswordPolicy::MaxAgeDays))
                    .col(integer(PasswordPolicy::LockoutThreshold))
                    .col(integer(PasswordPolicy::LockoutMinutes))
                    .col(integer(PasswordPolicy::SessionIdleMinutes))
                    .col(integer(PasswordPolicy::SessionAbsoluteMinutes))
                    .col(timestamp_with_time_zone(PasswordPolicy::UpdatedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(PasswordPolicy::Table).to_owned())
            .await
    }
}
