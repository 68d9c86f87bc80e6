//! Design evaluation (issue 19): every raster design uploaded is evaluated
//! by a background worker with `crepo_evaluation` (spectral residual
//! saliency, attention and image metrics, a shelf test); the results are
//! kept per file, the heatmaps beside the original. Files' rules apply:
//! `files.read` to read, `files.write` to re-run or change areas.

mod areas;
pub mod cli;
pub mod compute;
mod job;
pub mod queries;
mod routes;
pub mod types;

use actix_web::{get, web, HttpResponse};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

pub use job::spawn;

use crate::{
    access::Permission,
    auth::TenantCtx,
    entities::tenant::{file, file_evaluation},
    error::ApiResult,
    ids::ProjectId,
    page::{Page, PageQuery},
};
use types::{EvaluationItem, EvaluationOut};

/// The project's designs with their evaluations, oldest first, to compare
/// candidates side by side.
#[utoipa::path(
    tag = "evaluations",
    params(("id" = ProjectId, Path, description = "Project id"), PageQuery<200>),
    responses(
        (status = 200, body = Page<EvaluationItem>),
        crate::error::BadId,
        crate::error::Unauthenticated,
        (status = 403, description = "`permission_denied` (needs `files.read`)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such project here", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid query", body = crate::error::Problem, content_type = "application/problem+json"),
        crate::error::DatabaseUnavailable,
    )
)]
#[get("/projects/{id}/evaluations")]
async fn list_evaluations(
    ctx: TenantCtx,
    id: web::Path<ProjectId>,
    page: web::Query<PageQuery<200>>,
) -> ApiResult<HttpResponse> {
    let project = ctx.project(Permission::FilesRead, *id).await?;
    let limit = page.limit()?;
    let mut select = file::Entity::find()
        .filter(file::Column::ProjectId.eq(project.id))
        .order_by_asc(file::Column::Id)
        .limit(limit + 1);
    if let Some(after) = page.after::<Uuid>()? {
        select = select.filter(file::Column::Id.gt(after));
    }
    let tx = ctx.tx().await?;
    let files = select.all(tx).await?;
    let ids: Vec<Uuid> = files.iter().map(|f| f.id).collect();
    let mut evaluations: std::collections::HashMap<Uuid, file_evaluation::Model> =
        queries::without_maps()
            .filter(file_evaluation::Column::FileId.is_in(ids))
            .all(tx)
            .await?
            .into_iter()
            .map(|e| (e.file_id, e))
            .collect();
    let page = Page::from_rows(files, limit, |f| f.id).map(|f| EvaluationItem {
        evaluation: evaluations.remove(&f.id).map(EvaluationOut::from),
        file_id: f.id,
        filename: f.filename,
        sniffed_type: f.sniffed_type,
        file_created_at: f.created_at,
    });
    Ok(HttpResponse::Ok().json(page))
}

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_evaluations)
        .service(routes::get_evaluation)
        .service(routes::get_heatmap)
        .service(routes::rerun)
        .service(areas::put_areas);
}
