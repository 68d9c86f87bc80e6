use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// One evaluation per design file (issue 19): a job row the evaluation
/// workers claim, then the result. Gone with its file.
#[derive(DeriveIden)]
enum FileEvaluations {
    Table,
    FileId,
    /// `pending`, `running`, `done`, `failed` or `skipped`.
    Status,
    /// Why it failed or was skipped: a stable code (`unsupported_format`, …).
    Reason,
    Algorithm,
    AlgorithmVersion,
    /// Metrics, area shares and the shelf figures, as JSON text.
    Metrics,
    /// The saliency maps (design and shelf scene) as JSON text, so changed
    /// areas are measured again without decoding the design.
    Maps,
    /// The areas of interest the users drew, as JSON text.
    Areas,
    Attempts,
    HeatmapKey,
    RawKey,
    CreatedAt,
    UpdatedAt,
    /// When a worker took it; a running row claimed long ago was cut off.
    ClaimedAt,
    FinishedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(FileEvaluations::Table)
                    .col(uuid(FileEvaluations::FileId).primary_key())
                    .col(string_len(FileEvaluations::Status, 16))
                    .col(string_len_null(FileEvaluations::Reason, 64))
                    .col(string_len_null(FileEvaluations::Algorithm, 64))
                    .col(integer_null(FileEvaluations::AlgorithmVersion))
                    .col(text_null(FileEvaluations::Metrics))
                    .col(text_null(FileEvaluations::Maps))
                    .col(text(FileEvaluations::Areas).default("[]"))
                    .col(integer(FileEvaluations::Attempts).default(0))
                    .col(text_null(FileEvaluations::HeatmapKey))
                    .col(text_null(FileEvaluations::RawKey))
                    .col(timestamp_with_time_zone(FileEvaluations::CreatedAt))
                    .col(timestamp_with_time_zone(FileEvaluations::UpdatedAt))
                    .col(timestamp_with_time_zone_null(FileEvaluations::ClaimedAt))
                    .col(timestamp_with_time_zone_null(FileEvaluations::FinishedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(FileEvaluations::Table, FileEvaluations::FileId)
                            .to(Alias::new("files"), Alias::new("id"))
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_file_evaluations_status")
                    .table(FileEvaluations::Table)
                    .col(FileEvaluations::Status)
                    .to_owned(),
            )
            .await?;
        // Files uploaded before evaluations existed: raster ones wait for
        // the worker (the platform migration queues every tenant once),
        // the rest are skipped as new uploads are.
        manager
            .get_connection()
            .execute_unprepared(
                "INSERT INTO file_evaluations (file_id, status, reason, areas, attempts, created_at, updated_at) \
                 SELECT id, \
                   CASE WHEN sniffed_type IN ('png', 'jpeg', 'webp', 'gif') THEN 'pending' ELSE 'skipped' END, \
                   CASE WHEN sniffed_type IN ('png', 'jpeg', 'webp', 'gif') THEN NULL ELSE 'unsupported_format' END, \
                   '[]', 0, created_at, created_at FROM files",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(FileEvaluations::Table).to_owned())
            .await
    }
}
