use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Maintenance, vulnerability, incident and release notices from operators.
#[derive(DeriveIden)]
pub enum Notices {
    Table,
    Id,
    Kind,
    Severity,
    TitleJa,
    TitleEn,
    BodyJa,
    BodyEn,
    /// JSON array of tenant ids, or null for every tenant.
    AudienceTenantIds,
    StartsAt,
    EndsAt,
    Emergency,
    EmergencyReason,
    /// Incidents and vulnerabilities: investigating, identified, monitoring,
    /// resolved. Maintenance: scheduled (moved on by time) or cancelled.
    Status,
    PublishedAt,
    ResolvedAt,
    CancelledAt,
    CreatedBy,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Notices::Table)
                    .col(uuid(Notices::Id).primary_key())
                    .col(string_len(Notices::Kind, 16))
                    .col(string_len(Notices::Severity, 16))
                    .col(string_len(Notices::TitleJa, 200))
                    .col(string_len_null(Notices::TitleEn, 200))
                    .col(text(Notices::BodyJa))
                    .col(text_null(Notices::BodyEn))
                    .col(text_null(Notices::AudienceTenantIds))
                    .col(timestamp_with_time_zone_null(Notices::StartsAt))
                    .col(timestamp_with_time_zone_null(Notices::EndsAt))
                    .col(boolean(Notices::Emergency))
                    .col(text_null(Notices::EmergencyReason))
                    .col(string_len(Notices::Status, 16))
                    .col(timestamp_with_time_zone(Notices::PublishedAt))
                    .col(timestamp_with_time_zone_null(Notices::ResolvedAt))
                    .col(timestamp_with_time_zone_null(Notices::CancelledAt))
                    .col(uuid_null(Notices::CreatedBy))
                    .col(timestamp_with_time_zone(Notices::UpdatedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Notices::Table).to_owned())
            .await
    }
}
