//! Design files of a project, stored in object storage (SSE-S3 on S3).
//! Files follow their project: `files.read` to list and download,
//! `files.write` to upload and delete.

mod download;
pub mod gc;
pub mod thumbnail;
pub mod types;
mod upload;

use actix_web::{delete, get, web, HttpResponse};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use crate::{
    access::Permission,
    auth::TenantCtx,
    entities::tenant::file,
    error::{ApiError, ApiResult},
    ids::{FileId, ProjectId},
    page::{Page, PageQuery},
    state::AppState,
    storage,
};
use types::FileOut;

/// The file, if it belongs to that project (else 404).
pub async fn find_file(
    conn: &impl ConnectionTrait,
    project: ProjectId,
    id: FileId,
) -> Result<file::Model, ApiError> {
    file::Entity::find_by_id(id.as_uuid())
        .one(conn)
        .await?
        .filter(|f| f.project_id == project.as_uuid())
        .ok_or(ApiError::NotFound)
}

/// The project's files, oldest first.
#[utoipa::path(
    tag = "files",
    params(("id" = ProjectId, Path, description = "Project id"), PageQuery<200>),
    responses(
        (status = 200, body = Page<FileOut>),
        crate::error::BadId,
        crate::error::Unauthenticated,
        (status = 403, description = "`permission_denied` (needs `files.read`)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such project here", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid query", body = crate::error::Problem, content_type = "application/problem+json"),
        crate::error::DatabaseUnavailable,
    )
)]
#[get("/projects/{id}/files")]
async fn list_files(
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
    let rows = select.all(ctx.tx().await?).await?;
    Ok(HttpResponse::Ok().json(Page::from_rows(rows, limit, |f| f.id).map(FileOut::from)))
}

/// One file's metadata.
#[utoipa::path(
    tag = "files",
    params(("id" = ProjectId, Path, description = "Project id"), ("file_id" = FileId, Path, description = "File id")),
    responses(
        (status = 200, body = FileOut),
        (status = 400, description = "An id is not a UUID", body = crate::error::Problem, content_type = "application/problem+json"),
        crate::error::Unauthenticated,
        (status = 403, description = "`permission_denied` (needs `files.read`)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such file here", body = crate::error::Problem, content_type = "application/problem+json"),
        crate::error::DatabaseUnavailable,
    )
)]
#[get("/projects/{id}/files/{file_id}")]
async fn get_file(ctx: TenantCtx, path: web::Path<(ProjectId, FileId)>) -> ApiResult<HttpResponse> {
    let (project, id) = path.into_inner();
    ctx.project(Permission::FilesRead, project).await?;
    let f = find_file(ctx.tx().await?, project, id).await?;
    Ok(HttpResponse::Ok().json(FileOut::from(f)))
}

/// Delete a file and its object.
#[utoipa::path(
    tag = "files",
    params(("id" = ProjectId, Path, description = "Project id"), ("file_id" = FileId, Path, description = "File id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 400, description = "An id is not a UUID", body = crate::error::Problem, content_type = "application/problem+json"),
        crate::error::Unauthenticated,
        (status = 403, description = "`permission_denied` (needs `files.write`)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such file here", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database or object storage unavailable", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/projects/{id}/files/{file_id}")]
async fn delete_file(
    state: web::Data<AppState>,
    ctx: TenantCtx,
    path: web::Path<(ProjectId, FileId)>,
) -> ApiResult<HttpResponse> {
    let (project, id) = path.into_inner();
    ctx.project(Permission::FilesWrite, project).await?;
    let f = find_file(ctx.tx().await?, project, id).await?;
    file::Entity::delete_by_id(f.id)
        .exec(ctx.tx().await?)
        .await?;
    let tenant = ctx.tenant_id();
    ctx.after_commit(async move {
        storage::remove_objects(state.storage.as_ref(), tenant, vec![f.object_key]).await;
        Ok(())
    });
    Ok(HttpResponse::NoContent().finish())
}

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(upload::upload_file)
        .service(list_files)
        .service(get_file)
        .service(delete_file)
        .service(download::download_file)
        .service(thumbnail::get_thumbnail);
}
