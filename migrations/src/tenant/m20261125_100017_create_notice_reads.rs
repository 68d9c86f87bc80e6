use sea_orm_migration::{prelude::*, schema::*};

use super::m20261125_100001_create_users::Users;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Which platform notices each user has marked read, per phase: a notice that
/// moves on (maintenance starting, an incident identified) is unread again.
/// Notice ids refer to the platform; no foreign key crosses the schema boundary.
#[derive(DeriveIden)]
enum NoticeReads {
    Table,
    NoticeId,
    UserId,
    Phase,
    ReadAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(NoticeReads::Table)
                    .col(uuid(NoticeReads::NoticeId))
                    .col(uuid(NoticeReads::UserId))
                    .col(string_len(NoticeReads::Phase, 16))
                    .col(timestamp_with_time_zone(NoticeReads::ReadAt))
                    .primary_key(
                        Index::create()
                            .col(NoticeReads::NoticeId)
                            .col(NoticeReads::UserId)
                            .col(NoticeReads::Phase),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(NoticeReads::Table, NoticeReads::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(NoticeReads::Table).to_owned())
            .await
    }
}
