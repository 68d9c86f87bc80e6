//! The evaluation of one design: read it, its pictures, run it again.
//! Files' rules apply: `files.read` to read, `files.write` to change, and a
//! file outside the caller's reach (or another tenant's) is 404.

use actix_web::{get, http::header, post, web, HttpResponse};
use sea_orm::{sea_query::Expr, ActiveEnum, ColumnTrait, EntityTrait, QueryFilter};
use serde::Deserialize;
use utoipa::IntoParams;

use super::{queries, types::EvaluationOut};
use crate::{
    access::Permission,
    auth::TenantCtx,
    entities::tenant::file_evaluation::{self, evaluated, EvaluationStatus},
    error::{ApiError, ApiResult, ErrorCode},
    ids::{FileId, ProjectId},
    state::AppState,
    storage::ObjectKey,
};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HeatmapQuery {
    /// The grey saliency map alone instead of the overlay on the design.
    pub raw: Option<bool>,
}

/// The evaluation of a file, or 404 when it has none (files uploaded before
/// evaluations existed are given one by the migration).
pub(super) async fn evaluation_of(
    ctx: &TenantCtx,
    permission: Permission,
    project: ProjectId,
    id: FileId,
) -> Result<(crate::entities::tenant::file::Model, file_evaluation::Model), ApiError> {
    ctx.project(permission, project).await?;
    let (f, e) = queries::find(ctx.tx().await?, project, id).await?;
    Ok((f, e.ok_or(ApiError::NotFound)?))
}

/// A design's evaluation: status (`pending`, `running`, `done`, `failed`,
/// `skipped` with a reason), the saliency model and its version, the
/// metrics, the shelf test and the areas of interest with their shares.
#[utoipa::path(
    tag = "evaluations",
    params(("id" = ProjectId, Path, description = "Project id"), ("file_id" = FileId, Path, description = "File id")),
    responses(
        (status = 200, body = EvaluationOut),
        (status = 400, description = "An id is not a UUID", body = crate::error::Problem, content_type = "application/problem+json"),
        crate::error::Unauthenticated,
        (status = 403, description = "`permission_denied` (needs `files.read`)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such file here", body = crate::error::Problem, content_type = "application/problem+json"),
        crate::error::DatabaseUnavailable,
    )
)]
#[get("/projects/{id}/files/{file_id}/evaluation")]
pub async fn get_evaluation(
    ctx: TenantCtx,
    path: web::Path<(ProjectId, FileId)>,
) -> ApiResult<HttpResponse> {
    let (project, id) = path.into_inner();
    let (_, e) = evaluation_of(&ctx, Permission::FilesRead, project, id).await?;
    Ok(HttpResponse::Ok().json(EvaluationOut::from(e)))
}

/// The heatmap of an evaluated design: a PNG of the predicted salience
/// over the design (at most 1,600 px on its long side), or with `raw=true`
/// the grey map alone (white draws the eye). It is predicted visual
/// salience from low-level image statistics, not an eye-tracking result.
#[utoipa::path(
    tag = "evaluations",
    params(("id" = ProjectId, Path, description = "Project id"), ("file_id" = FileId, Path, description = "File id"), HeatmapQuery),
    responses(
        (status = 200, description = "The picture", content_type = "image/png", body = Vec<u8>),
        (status = 400, description = "An id is not a UUID", body = crate::error::Problem, content_type = "application/problem+json"),
        crate::error::Unauthenticated,
        (status = 403, description = "`permission_denied` (needs `files.read`)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such file here, or no heatmap: the design was skipped or failed", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "`evaluation_not_ready`: still pending or running", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "`raw` is not `true` or `false`", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database or object storage unavailable", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/projects/{id}/files/{file_id}/evaluation/heatmap")]
pub async fn get_heatmap(
    state: web::Data<AppState>,
    ctx: TenantCtx,
    path: web::Path<(ProjectId, FileId)>,
    query: web::Query<HeatmapQuery>,
) -> ApiResult<HttpResponse> {
    let (project, id) = path.into_inner();
    let (_, e) = evaluation_of(&ctx, Permission::FilesRead, project, id).await?;
    match e.status {
        EvaluationStatus::Pending | EvaluationStatus::Running => {
            return Err(ApiError::conflict(
                ErrorCode::EvaluationNotReady,
                "this design is still being evaluated; try again in a few seconds",
            ))
        }
        EvaluationStatus::Failed | EvaluationStatus::Skipped => return Err(ApiError::NotFound),
        EvaluationStatus::Done => {}
    }
    let path = if query.raw.unwrap_or(false) {
        e.raw_key
    } else {
        e.heatmap_key
    }
    .ok_or(ApiError::NotFound)?;
    let key = ObjectKey::for_tenant(ctx.tenant_id(), &path).map_err(ApiError::internal)?;
    let png = state
        .storage
        .get(&key)
        .await
        .map_err(|e| {
            tracing::error!(error = format!("{e:#}"), "heatmap not read");
            ApiError::Unavailable {
                detail: "object storage is unavailable".into(),
            }
        })?
        .ok_or(ApiError::NotFound)?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "image/png"))
        // A re-run replaces the picture under the same address.
        .insert_header((header::CACHE_CONTROL, "private, no-cache"))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .body(png))
}

/// Evaluate the design again (after an algorithm change, say): back to
/// `pending`, run shortly by a worker. A design that is not evaluated
/// (PDF, SVG, other) stays `skipped`.
#[utoipa::path(
    tag = "evaluations",
    params(("id" = ProjectId, Path, description = "Project id"), ("file_id" = FileId, Path, description = "File id")),
    responses(
        (status = 202, description = "Queued (or skipped, for designs that are not evaluated)", body = EvaluationOut),
        (status = 400, description = "An id is not a UUID", body = crate::error::Problem, content_type = "application/problem+json"),
        crate::error::Unauthenticated,
        (status = 403, description = "`permission_denied` (needs `files.write`)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such file here", body = crate::error::Problem, content_type = "application/problem+json"),
        crate::error::DatabaseUnavailable,
    )
)]
#[post("/projects/{id}/files/{file_id}/evaluation")]
pub async fn rerun(
    state: web::Data<AppState>,
    ctx: TenantCtx,
    path: web::Path<(ProjectId, FileId)>,
) -> ApiResult<HttpResponse> {
    let (project, id) = path.into_inner();
    let (f, e) = evaluation_of(&ctx, Permission::FilesWrite, project, id).await?;
    if !evaluated(f.sniffed_type) {
        return Ok(HttpResponse::Accepted().json(EvaluationOut::from(e)));
    }
    let now = ctx.now();
    let tx = ctx.tx().await?;
    // The old figures and pictures stay until the new ones replace them;
    // a run in progress loses its claim and its outcome is dropped.
    file_evaluation::Entity::update_many()
        .col_expr(
            file_evaluation::Column::Status,
            Expr::value(EvaluationStatus::Pending.to_value()),
        )
        .col_expr(file_evaluation::Column::Reason, Expr::value(None::<String>))
        .col_expr(file_evaluation::Column::Attempts, Expr::value(0))
        .col_expr(
            file_evaluation::Column::ClaimedAt,
            Expr::value(None::<chrono::DateTime<chrono::Utc>>),
        )
        .col_expr(file_evaluation::Column::UpdatedAt, Expr::value(now))
        .filter(file_evaluation::Column::FileId.eq(f.id))
        .exec(tx)
        .await?;
    let row = file_evaluation::Entity::find_by_id(f.id)
        .one(tx)
        .await?
        .ok_or(ApiError::NotFound)?;
    let tenant = ctx.tenant_id();
    ctx.after_commit(async move {
        if let Err(e) = queries::schedule(&state.db, tenant, now).await {
            tracing::error!(error = format!("{e:#}"), "evaluation not queued");
        }
        state.evaluation_wakeup.notify_one();
        Ok(())
    });
    Ok(HttpResponse::Accepted().json(EvaluationOut::from(row)))
}
