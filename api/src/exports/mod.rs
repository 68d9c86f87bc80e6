//! Full exports of a tenant's data (ISO/IEC 27017 12.3.1: Crepo keeps no
//! backup for its customers, so each can take everything it registered):
//! request one, follow its progress, download the ZIP until it expires.

mod archive;
mod build;
mod job;
mod paths;
pub mod verify;
mod zip;

use actix_web::{get, http::header, post, web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

pub use archive::{ManifestMember, FORMAT_VERSION};
pub use job::spawn;

use crate::{
    access::Permission,
    auth::TenantCtx,
    entities::tenant::export::{self, ExportStatus},
    error::{ApiError, ApiResult, ErrorCode},
    files::types::content_disposition,
    ids::{ExportId, UserId},
    page::{Page, PageQuery},
    state::AppState,
    storage::ObjectKey,
};

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(create_export)
        .service(list_exports)
        .service(get_export)
        .service(download_export);
}

/// An export job and, once ready, its ZIP.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExportOut {
    pub id: ExportId,
    pub status: ExportStatus,
    pub requested_by: Option<UserId>,
    pub created_at: DateTime<Utc>,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
    /// Rows, log entries and files written so far…
    pub items_done: i64,
    /// …of this many (known once the job has started).
    pub items_total: i64,
    /// The ZIP's size in bytes, when ready.
    pub size: Option<i64>,
    /// Lowercase hex SHA-256 of the whole ZIP, when ready.
    pub sha256: Option<String>,
    /// When a ready export is deleted.
    pub expires_at: Option<DateTime<Utc>>,
    /// Why it failed.
    pub error: Option<String>,
    /// The name the download is saved under.
    pub file_name: String,
}

impl ExportOut {
    fn new(m: export::Model, slug: &str) -> Self {
        Self {
            file_name: format!(
                "crepo-export-{slug}-{}.zip",
                m.created_at.format("%Y%m%d-%H%M%S")
            ),
            id: ExportId(m.id),
            status: m.status,
            requested_by: m.requested_by.map(UserId),
            created_at: m.created_at,
            started_at: m.started_at,
            finished_at: m.finished_at,
            items_done: m.items_done,
            items_total: m.items_total,
            size: m.size,
            sha256: m.sha256,
            expires_at: m.expires_at,
            error: m.error,
        }
    }
}

/// Start a full export. One at a time per tenant; a worker builds the ZIP.
#[utoipa::path(
    tag = "exports",
    responses(
        (status = 202, description = "Queued", body = ExportOut),
        crate::error::Unauthenticated,
        (status = 403, description = "`permission_denied` (needs `exports.create`)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "`export_running`: one is queued or running", body = crate::error::Problem, content_type = "application/problem+json"),
        crate::error::DatabaseUnavailable,
    )
)]
#[post("/exports")]
async fn create_export(
    state: web::Data<AppState>,
    req: HttpRequest,
    ctx: TenantCtx,
) -> ApiResult<HttpResponse> {
    ctx.require(Permission::ExportsCreate)?;
    let tx = ctx.tx().await?;
    // One writer at a time decides (the guard-rail lock serialises them).
    crate::accounts::lock_guard_rails(tx, ctx.tenant_id()).await?;
    let busy = export::Entity::find()
        .filter(export::Column::Status.is_in([ExportStatus::Queued, ExportStatus::Running]))
        .one(tx)
        .await?;
    if busy.is_some() {
        return Err(ApiError::conflict(
            ErrorCode::ExportRunning,
            "an export is already queued or running; wait for it to finish",
        ));
    }
    let now = ctx.now();
    let row = export::ActiveModel {
        id: Set(uuid::Uuid::now_v7()),
        status: Set(ExportStatus::Queued),
        requested_by: Set(Some(ctx.user.id)),
        created_at: Set(now),
        started_at: Set(None),
        heartbeat_at: Set(None),
        finished_at: Set(None),
        items_done: Set(0),
        items_total: Set(0),
        size: Set(None),
        sha256: Set(None),
        expires_at: Set(None),
        error: Set(None),
    }
    .insert(tx)
    .await?;
    let mut event = ctx.event(&req, "export.requested");
    event.details = serde_json::json!({ "export_id": row.id });
    ctx.record(event).await?;
    let (st, tenant) = (state.clone(), ctx.tenant_id());
    ctx.after_commit(async move {
        job::schedule(&st.db, tenant, now).await?;
        st.export_wakeup.notify_one();
        Ok(())
    });
    Ok(HttpResponse::Accepted().json(ExportOut::new(row, &ctx.tenant.slug)))
}

/// Exports, newest first.
#[utoipa::path(
    tag = "exports",
    params(PageQuery<100>),
    responses(
        (status = 200, body = Page<ExportOut>),
        crate::error::Unauthenticated,
        (status = 403, description = "`permission_denied` (needs `exports.create`)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid query", body = crate::error::Problem, content_type = "application/problem+json"),
        crate::error::DatabaseUnavailable,
    )
)]
#[get("/exports")]
async fn list_exports(ctx: TenantCtx, page: web::Query<PageQuery<100>>) -> ApiResult<HttpResponse> {
    ctx.require(Permission::ExportsCreate)?;
    let limit = page.limit()?;
    let mut select = export::Entity::find()
        .order_by_desc(export::Column::Id)
        .limit(limit + 1);
    if let Some(after) = page.after::<uuid::Uuid>()? {
        select = select.filter(export::Column::Id.lt(after));
    }
    let rows = select.all(ctx.tx().await?).await?;
    let slug = ctx.tenant.slug.clone();
    Ok(HttpResponse::Ok()
        .json(Page::from_rows(rows, limit, |e| e.id).map(|m| ExportOut::new(m, &slug))))
}

async fn find(ctx: &TenantCtx, id: ExportId) -> ApiResult<export::Model> {
    export::Entity::find_by_id(id.as_uuid())
        .one(ctx.tx().await?)
        .await?
        .ok_or(ApiError::NotFound)
}

/// One export.
#[utoipa::path(
    tag = "exports",
    params(("id" = ExportId, Path, description = "Export id")),
    responses(
        (status = 200, body = ExportOut),
        crate::error::BadId,
        crate::error::Unauthenticated,
        (status = 403, description = "`permission_denied` (needs `exports.create`)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such export here", body = crate::error::Problem, content_type = "application/problem+json"),
        crate::error::DatabaseUnavailable,
    )
)]
#[get("/exports/{id}")]
async fn get_export(ctx: TenantCtx, id: web::Path<ExportId>) -> ApiResult<HttpResponse> {
    ctx.require(Permission::ExportsCreate)?;
    let row = find(&ctx, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(ExportOut::new(row, &ctx.tenant.slug)))
}

/// The export's ZIP, streamed. Each download is an access-log event.
#[utoipa::path(
    tag = "exports",
    params(("id" = ExportId, Path, description = "Export id")),
    responses(
        (status = 200, description = "The ZIP", content_type = "application/zip", body = Vec<u8>),
        crate::error::BadId,
        crate::error::Unauthenticated,
        (status = 403, description = "`permission_denied` (needs `exports.create`)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such export here", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "`export_not_ready`: queued, running or failed", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 410, description = "`export_expired`: deleted after its time", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database or object storage unavailable", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/exports/{id}/download")]
async fn download_export(
    state: web::Data<AppState>,
    req: HttpRequest,
    ctx: TenantCtx,
    id: web::Path<ExportId>,
) -> ApiResult<HttpResponse> {
    ctx.require(Permission::ExportsCreate)?;
    let row = find(&ctx, id.into_inner()).await?;
    let expired =
        row.status == ExportStatus::Expired || row.expires_at.is_some_and(|at| at <= ctx.now());
    if expired {
        return Err(ApiError::Gone {
            code: ErrorCode::ExportExpired,
            detail: "this export has expired and was deleted; start a new one".into(),
        });
    }
    if row.status != ExportStatus::Ready {
        return Err(ApiError::conflict(
            ErrorCode::ExportNotReady,
            format!(
                "this export is {}; only a ready export can be downloaded",
                sea_orm::ActiveEnum::to_value(&row.status)
            ),
        ));
    }
    let key = ObjectKey::for_tenant(ctx.tenant_id(), &job::object_path(row.id))
        .map_err(ApiError::internal)?;
    let object = state
        .storage
        .get_stream(&key, None)
        .await
        .map_err(|e| {
            tracing::error!(error = format!("{e:#}"), "object storage read failed");
            ApiError::Unavailable {
                detail: "object storage is unavailable".into(),
            }
        })?
        .ok_or_else(|| {
            tracing::error!(export_id = %row.id, "ready export without its object");
            ApiError::NotFound
        })?;
    let mut event = ctx.event(&req, "export.downloaded");
    event.details = serde_json::json!({ "export_id": row.id });
    ctx.record(event).await?;
    let out = ExportOut::new(row, &ctx.tenant.slug);
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "application/zip"))
        .insert_header((
            header::CONTENT_DISPOSITION,
            content_disposition(&out.file_name),
        ))
        .insert_header((header::CONTENT_LENGTH, object.size.to_string()))
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .streaming(object.body))
}
