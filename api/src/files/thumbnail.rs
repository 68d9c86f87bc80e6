//! Thumbnails of raster designs (PNG, JPEG, WebP, GIF's first frame): a PNG
//! at most 320 px on its long side, made once after the upload and stored
//! beside the original (same tenant prefix, same encryption), so a grid of
//! designs does not download every original.

use actix_web::{get, http::header, web, HttpResponse};
use image::{ImageFormat, ImageReader, Limits};
use std::io::Cursor;

use super::find_file;
use crate::{
    access::Permission,
    auth::TenantCtx,
    entities::tenant::file::{self, SniffedType},
    error::{ApiError, ApiResult},
    ids::{FileId, ProjectId, TenantId},
    state::AppState,
    storage::{self, ObjectKey},
};

/// The long side of a thumbnail, in pixels.
pub const SIZE: u32 = 320;
/// A decoded design may take at most this much memory; bigger ones get no
/// thumbnail (a decompression bomb costs nothing).
const MAX_DECODED_BYTES: u64 = 256 * 1024 * 1024;
const MAX_SIDE: u32 = 20_000;

fn format_of(kind: SniffedType) -> Option<ImageFormat> {
    match kind {
        SniffedType::Png => Some(ImageFormat::Png),
        SniffedType::Jpeg => Some(ImageFormat::Jpeg),
        SniffedType::Webp => Some(ImageFormat::WebP),
        SniffedType::Gif => Some(ImageFormat::Gif),
        SniffedType::Pdf | SniffedType::Svg | SniffedType::Other => None,
    }
}

/// The PNG thumbnail of `bytes`, an image of `format`.
pub fn render(bytes: &[u8], format: ImageFormat) -> anyhow::Result<Vec<u8>> {
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_DECODED_BYTES);
    reader.limits(limits);
    let thumb = reader.decode()?.thumbnail(SIZE, SIZE);
    let mut out = Cursor::new(Vec::new());
    thumb.write_to(&mut out, ImageFormat::Png)?;
    Ok(out.into_inner())
}

/// Makes the thumbnail of a stored file, if it is a raster image. Runs after
/// the upload was answered; a failure only means no thumbnail (logged).
pub async fn make(state: web::Data<AppState>, tenant: TenantId, f: file::Model) {
    let Some(format) = format_of(f.sniffed_type) else {
        return;
    };
    let result = async {
        // One decode at a time per node: decoding is CPU- and memory-hungry.
        let _permit = state.thumbnails.acquire().await?;
        let key = ObjectKey::for_tenant(tenant, &f.object_key)?;
        let Some(bytes) = state.storage.get(&key).await? else {
            return Ok(());
        };
        let png = tokio::task::spawn_blocking(move || render(&bytes, format)).await??;
        let thumb = ObjectKey::for_tenant(tenant, &storage::thumbnail_path(&f.object_key))?;
        state.storage.put(&thumb, png.into(), "image/png").await
    }
    .await;
    if let Err(e) = result {
        tracing::warn!(error = format!("{e:#}"), file_id = %f.id, "no thumbnail for this file");
    }
}

/// A small PNG preview of a raster design (at most 320 px on its long side),
/// made shortly after the upload. 404 for files without one: PDF, SVG and
/// others, images too large to decode, or one still being made.
#[utoipa::path(
    tag = "files",
    params(("id" = ProjectId, Path, description = "Project id"), ("file_id" = FileId, Path, description = "File id")),
    responses(
        (status = 200, description = "The thumbnail", content_type = "image/png", body = Vec<u8>),
        (status = 400, description = "An id is not a UUID", body = crate::error::Problem, content_type = "application/problem+json"),
        crate::error::Unauthenticated,
        (status = 403, description = "`permission_denied` (needs `files.read`)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such file here, or no thumbnail (yet)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database or object storage unavailable", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/projects/{id}/files/{file_id}/thumbnail")]
pub async fn get_thumbnail(
    state: web::Data<AppState>,
    ctx: TenantCtx,
    path: web::Path<(ProjectId, FileId)>,
) -> ApiResult<HttpResponse> {
    let (project, id) = path.into_inner();
    ctx.project(Permission::FilesRead, project).await?;
    let f = find_file(ctx.tx().await?, project, id).await?;
    let key = ObjectKey::for_tenant(ctx.tenant_id(), &storage::thumbnail_path(&f.object_key))
        .map_err(ApiError::internal)?;
    let png = state
        .storage
        .get(&key)
        .await
        .map_err(|e| {
            tracing::error!(error = format!("{e:#}"), "thumbnail not read");
            ApiError::Unavailable {
                detail: "object storage is unavailable".into(),
            }
        })?
        .ok_or(ApiError::NotFound)?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "image/png"))
        .insert_header((header::CACHE_CONTROL, "private, max-age=3600"))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .body(png))
}
