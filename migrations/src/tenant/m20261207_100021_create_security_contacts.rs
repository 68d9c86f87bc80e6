use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The tenant's security contacts: people the provider tells of incidents
/// (mail, and SMS when a phone is given) besides its administrators.
#[derive(DeriveIden)]
enum SecurityContacts {
    Table,
    Id,
    Position,
    Name,
    Email,
    Phone,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SecurityContacts::Table)
                    .col(uuid(SecurityContacts::Id).primary_key())
                    .col(integer(SecurityContacts::Position))
                    .col(text(SecurityContacts::Name))
                    .col(text(SecurityContacts::Email))
                    .col(text_null(SecurityContacts::Phone))
                    .col(timestamp_with_time_zone(SecurityContacts::CreatedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(SecurityContacts::Table).to_owned())
            .await
    }
}
