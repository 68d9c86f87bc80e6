//! Reads and writes of `file_evaluations` and the platform's
//! `evaluation_queue`, shared by the routes, the upload and the worker.

use chrono::{DateTime, SubsecRound, Utc};
use sea_orm::{
    sea_query::{Expr, OnConflict},
    ActiveEnum, ActiveModelTrait,
    ActiveValue::Set,
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Select,
};
use uuid::Uuid;

use crate::{
    db::Db,
    entities::{
        platform::evaluation_queue,
        tenant::{
            file,
            file_evaluation::{self, evaluated, EvaluationStatus},
        },
    },
    error::ApiError,
    ids::{FileId, ProjectId, TenantId},
};

/// Evaluations are tried this many times when storage or the worker fails
/// (a design that cannot be decoded fails at once: it would again).
pub const MAX_ATTEMPTS: i32 = 3;

/// A running evaluation not finished after this long was cut off (its node
/// stopped): any worker takes it again. Evaluating takes well under a second
/// in release builds.
pub const STALE: chrono::Duration = chrono::Duration::seconds(120);

/// The row a new design starts with: `pending` for the raster types,
/// `skipped` with `unsupported_format` for the rest.
pub async fn insert_for(
    conn: &impl ConnectionTrait,
    f: &file::Model,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let runs = evaluated(f.sniffed_type);
    file_evaluation::ActiveModel {
        file_id: Set(f.id),
        status: Set(if runs {
            EvaluationStatus::Pending
        } else {
            EvaluationStatus::Skipped
        }),
        reason: Set((!runs).then(|| "unsupported_format".to_owned())),
        algorithm: Set(None),
        algorithm_version: Set(None),
        metrics: Set(None),
        maps: Set(None),
        areas: Set("[]".into()),
        attempts: Set(0),
        heatmap_key: Set(None),
        raw_key: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        claimed_at: Set(None),
        finished_at: Set(None),
    }
    .insert(conn)
    .await?;
    Ok(())
}

/// Puts `tenant` in the queue, due at `at` (or sooner if it already is).
pub async fn schedule(db: &Db, tenant: TenantId, at: DateTime<Utc>) -> Result<(), DbErr> {
    let existing = evaluation_queue::Entity::find_by_id(tenant.as_uuid())
        .one(db.platform())
        .await?;
    if existing.is_some_and(|e| e.due_at <= at) {
        return Ok(());
    }
    evaluation_queue::Entity::insert(evaluation_queue::ActiveModel {
        tenant_id: Set(tenant.as_uuid()),
        due_at: Set(at),
    })
    .on_conflict(
        OnConflict::column(evaluation_queue::Column::TenantId)
            .update_column(evaluation_queue::Column::DueAt)
            .to_owned(),
    )
    .exec(db.platform())
    .await?;
    Ok(())
}

/// The file, if it belongs to that project, with its evaluation (else 404).
pub async fn find(
    conn: &impl ConnectionTrait,
    project: ProjectId,
    id: FileId,
) -> Result<(file::Model, Option<file_evaluation::Model>), ApiError> {
    let f = file::Entity::find_by_id(id.as_uuid())
        .one(conn)
        .await?
        .filter(|f| f.project_id == project.as_uuid())
        .ok_or(ApiError::NotFound)?;
    let e = file_evaluation::Entity::find_by_id(f.id).one(conn).await?;
    Ok((f, e))
}

/// Evaluations without their kept maps (tens of kilobytes each, needed only
/// to measure changed areas): what reads for display use.
pub fn without_maps() -> Select<file_evaluation::Entity> {
    use sea_orm::Iterable;
    file_evaluation::Entity::find()
        .select_only()
        .columns(
            file_evaluation::Column::iter().filter(|c| !matches!(c, file_evaluation::Column::Maps)),
        )
        .column_as(Expr::value(None::<String>), "maps")
}

/// Waiting, or running on a node that went silent.
fn claimable(stale_before: DateTime<Utc>) -> Condition {
    Condition::any()
        .add(file_evaluation::Column::Status.eq(EvaluationStatus::Pending))
        .add(
            Condition::all()
                .add(file_evaluation::Column::Status.eq(EvaluationStatus::Running))
                .add(file_evaluation::Column::ClaimedAt.lt(stale_before)),
        )
}

/// Takes the oldest claimable evaluation with its file, unless another node
/// took it first (the update repeats the condition, so only one wins).
pub async fn claim(
    conn: &impl ConnectionTrait,
    now: DateTime<Utc>,
) -> Result<Option<(file_evaluation::Model, file::Model)>, DbErr> {
    // PostgreSQL keeps microseconds: the claim is matched by equality later.
    let now = now.trunc_subsecs(6);
    let stale_before = now - STALE;
    let Some(row) = file_evaluation::Entity::find()
        .filter(claimable(stale_before))
        .order_by_asc(file_evaluation::Column::UpdatedAt)
        .one(conn)
        .await?
    else {
        return Ok(None);
    };
    let taken = file_evaluation::Entity::update_many()
        .col_expr(
            file_evaluation::Column::Status,
            Expr::value(EvaluationStatus::Running.to_value()),
        )
        .col_expr(file_evaluation::Column::ClaimedAt, Expr::value(now))
        .col_expr(
            file_evaluation::Column::Attempts,
            Expr::col(file_evaluation::Column::Attempts).add(1),
        )
        .filter(file_evaluation::Column::FileId.eq(row.file_id))
        .filter(claimable(stale_before))
        .exec(conn)
        .await?;
    if taken.rows_affected != 1 {
        return Ok(None);
    }
    let Some(f) = file::Entity::find_by_id(row.file_id).one(conn).await? else {
        return Ok(None);
    };
    Ok(Some((
        file_evaluation::Model {
            status: EvaluationStatus::Running,
            claimed_at: Some(now),
            attempts: row.attempts + 1,
            ..row
        },
        f,
    )))
}

/// When the tenant next needs a worker: now while something waits, when
/// the earliest running one would go stale, or never.
pub async fn next_due(conn: &impl ConnectionTrait) -> Result<Option<DateTime<Utc>>, DbErr> {
    let open = file_evaluation::Entity::find()
        .filter(
            file_evaluation::Column::Status
                .is_in([EvaluationStatus::Pending, EvaluationStatus::Running]),
        )
        .all(conn)
        .await?;
    Ok(open
        .iter()
        .map(|e| match (e.status, e.claimed_at) {
            (EvaluationStatus::Running, Some(at)) => at + STALE,
            _ => e.updated_at,
        })
        .min())
}

/// Writes the outcome of the claim `claimed_at`, if the row is still that
/// claim (not re-run or deleted meanwhile); `false` when it was not.
pub async fn settle(
    conn: &impl ConnectionTrait,
    file_id: Uuid,
    claimed_at: DateTime<Utc>,
    outcome: file_evaluation::ActiveModel,
) -> Result<bool, DbErr> {
    let mut update = file_evaluation::Entity::update_many().set(outcome);
    update = update
        .filter(file_evaluation::Column::FileId.eq(file_id))
        .filter(file_evaluation::Column::Status.eq(EvaluationStatus::Running))
        .filter(file_evaluation::Column::ClaimedAt.eq(claimed_at));
    Ok(update.exec(conn).await?.rows_affected == 1)
}
