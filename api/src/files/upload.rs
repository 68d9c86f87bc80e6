//! Uploads: multipart (`file` part) or a raw body with `?filename=`, streamed
//! to object storage without holding the file in memory. No database
//! connection is held while the bytes travel.

use std::sync::Arc;

use actix_multipart::Multipart;
use actix_web::{http::header, post, web, HttpRequest, HttpResponse};
use bytes::Bytes;
use futures_util::{Stream, StreamExt};
use sea_orm::{ActiveModelTrait, ActiveValue::Set};
use uuid::Uuid;

use super::types::{FileOut, UploadQuery};
use crate::{
    access::Permission,
    auth::TenantCtx,
    entities::tenant::{file, file_evaluation::evaluated},
    error::ErrorCode,
    error::{ApiError, ApiResult},
    evaluations,
    http::body::BodyGuard,
    ids::ProjectId,
    projects,
    state::AppState,
    storage::{ByteStream, ObjectKey, PutError},
    values::FileName,
};

/// Carries a request body (not `Send`) to the storage backend through a
/// small channel, so at most a few chunks are in memory at once.
fn bridge<S, E>(mut body: S) -> ByteStream
where
    S: Stream<Item = Result<Bytes, E>> + Unpin + 'static,
    E: std::fmt::Display + 'static,
{
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(4);
    actix_web::rt::spawn(async move {
        while let Some(chunk) = body.next().await {
            let item = chunk.map_err(|e| std::io::Error::other(e.to_string()));
            let failed = item.is_err();
            if tx.send(item).await.is_err() || failed {
                break;
            }
        }
    });
    Box::pin(futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|item| (item, rx))
    }))
}

/// What may come before the file's bytes (part headers, small fields) and
/// after them (the closing boundary): a body beyond this plus the file limit
/// is refused, whatever its shape.
/// A chunk read ahead of the file part's headers counts too, hence 1 MiB.
const MULTIPART_ALLOWANCE: u64 = 1024 * 1024;

/// Finds the `file` part and streams it. The multipart reader must outlive
/// the part, so both live in one task; the part's name and type come back
/// first, then its bytes. Until the part is found the guard allows only
/// [`MULTIPART_ALLOWANCE`] bytes; then the file limit more.
async fn multipart_file(
    mut parts: Multipart,
    guard: Arc<BodyGuard>,
    limit: u64,
) -> Result<(FileName, String, ByteStream), ApiError> {
    let (meta_tx, meta_rx) =
        tokio::sync::oneshot::channel::<Result<(FileName, String), ApiError>>();
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(4);
    actix_web::rt::spawn(async move {
        while let Some(part) = parts.next().await {
            let mut field = match part {
                Ok(field) => field,
                Err(e) => {
                    let _ = meta_tx.send(Err(ApiError::bad_request(
                        ErrorCode::InvalidMultipart,
                        e.to_string(),
                    )));
                    return;
                }
            };
            if field.name() != Some("file") {
                continue;
            }
            let name = field
                .content_disposition()
                .and_then(|cd| cd.get_filename())
                .and_then(FileName::clean);
            let Some(name) = name else {
                let _ = meta_tx.send(Err(ApiError::field(
                    "file",
                    "filename_required",
                    "the `file` part needs a filename",
                )));
                return;
            };
            let declared = field
                .content_type()
                .map(|m| m.to_string())
                .unwrap_or_else(|| "application/octet-stream".into());
            guard.allow_more(limit.saturating_add(MULTIPART_ALLOWANCE));
            if meta_tx.send(Ok((name, declared))).is_err() {
                return;
            }
            while let Some(chunk) = field.next().await {
                let item = chunk.map_err(|e| std::io::Error::other(e.to_string()));
                let failed = item.is_err();
                if tx.send(item).await.is_err() || failed {
                    return;
                }
            }
            return;
        }
        let _ = meta_tx.send(Err(ApiError::bad_request(
            ErrorCode::FileRequired,
            "send the file as a multipart part named `file`",
        )));
    });
    let (name, declared) = meta_rx.await.map_err(|_| {
        ApiError::bad_request(
            ErrorCode::InvalidMultipart,
            "the multipart body ended early",
        )
    })??;
    let body: ByteStream = Box::pin(futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|item| (item, rx))
    }));
    Ok((name, declared, body))
}

fn too_large(limit: u64) -> ApiError {
    ApiError::PayloadTooLarge {
        limit: usize::try_from(limit).unwrap_or(usize::MAX),
    }
}

/// Upload a design file: `multipart/form-data` with a `file` part, or any
/// other body with `?filename=`. Stored byte for byte (files customers
/// encrypted themselves included); SHA-256, size and the real type are recorded.
#[utoipa::path(
    tag = "files",
    params(("id" = ProjectId, Path, description = "Project id"), UploadQuery),
    request_body(content(
        (Vec<u8> = "application/octet-stream"),
        (Vec<u8> = "multipart/form-data"),
    ), description = "The file: a raw body (with `filename`), or a `file` part"),
    responses(
        (status = 201, body = FileOut),
        (status = 400, description = "No file in the body, or a broken upload", body = crate::error::Problem, content_type = "application/problem+json"),
        crate::error::Unauthenticated,
        (status = 403, description = "`permission_denied` (needs `files.write`)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 408, description = "`body_timeout`: the body stopped arriving for `CREPO_BODY_IDLE_TIMEOUT_SECS`", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such project here", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 413, description = "Larger than `CREPO_FILE_MAX_BYTES` (50 MiB by default); a multipart body may add 1 MiB of headers", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 415, description = "No `Content-Type`", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Missing or invalid `filename`", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database or object storage unavailable", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/projects/{id}/files")]
pub async fn upload_file(
    state: web::Data<AppState>,
    req: HttpRequest,
    ctx: TenantCtx,
    id: web::Path<ProjectId>,
    query: web::Query<UploadQuery>,
    payload: web::Payload,
) -> ApiResult<HttpResponse> {
    // Checked before the body is read, in a step of its own: no connection
    // is held while the bytes travel.
    let project = ctx.project_briefly(Permission::FilesWrite, *id).await?;
    let (tenant, user) = (ctx.tenant_id(), ctx.user.id);

    let limit = state.settings.file_max_bytes;
    let idle = state.settings.body_idle_timeout;
    let declared_len = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .ok_or_else(|| ApiError::UnsupportedMediaType {
            detail:
                "send the file with a Content-Type (multipart/form-data, or the file's own type)"
                    .into(),
        })?;

    let guard = BodyGuard::new(MULTIPART_ALLOWANCE);
    let (filename, declared_type, body) = if content_type.starts_with("multipart/form-data") {
        if declared_len.is_some_and(|n| n > limit.saturating_add(MULTIPART_ALLOWANCE)) {
            return Err(too_large(limit));
        }
        let parts = Multipart::new(req.headers(), guard.watch(payload));
        multipart_file(parts, guard.clone(), limit)
            .await
            .map_err(|e| guard.verdict(limit, idle).unwrap_or(e))?
    } else {
        if declared_len.is_some_and(|n| n > limit) {
            return Err(too_large(limit));
        }
        if query
            .filename
            .as_deref()
            .is_some_and(|n| n.chars().count() > 255)
        {
            return Err(ApiError::field(
                "filename",
                "too_long",
                "must be at most 255 characters",
            ));
        }
        let name = query
            .filename
            .as_deref()
            .and_then(FileName::clean)
            .ok_or_else(|| {
                ApiError::field(
                    "filename",
                    "filename_required",
                    "give the file's name as `?filename=`",
                )
            })?;
        guard.allow_more(limit.saturating_add(1));
        (name, content_type.clone(), bridge(guard.watch(payload)))
    };

    let file_id = Uuid::now_v7();
    let path = format!("files/{}/{file_id}", project.id);
    let key = ObjectKey::for_tenant(tenant, &path).map_err(ApiError::internal)?;
    let stored = match state
        .storage
        .put_stream(&key, body, &declared_type, limit)
        .await
    {
        Ok(stored) => stored,
        Err(PutError::TooLarge { limit }) => return Err(too_large(limit)),
        Err(PutError::Body(e)) => {
            if let Some(verdict) = guard.verdict(limit, idle) {
                return Err(verdict);
            }
            return Err(ApiError::bad_request(
                ErrorCode::UploadInterrupted,
                format!("the upload broke off: {e}"),
            ));
        }
        Err(PutError::Storage(e)) => {
            tracing::error!(error = format!("{e:#}"), "object storage refused an upload");
            return Err(ApiError::Unavailable {
                detail: "object storage is unavailable".into(),
            });
        }
    };

    let now = state.clock.now();
    let record = state
        .db
        .in_tenant(tenant, async |tx| {
            // The project may have gone while the bytes travelled.
            projects::find(tx, project.id).await?;
            let row = file::ActiveModel {
                id: Set(file_id),
                project_id: Set(project.id),
                filename: Set(filename.into()),
                declared_type: Set(declared_type.chars().take(255).collect()),
                sniffed_type: Set(stored.sniffed),
                size: Set(i64::try_from(stored.size).unwrap_or(i64::MAX)),
                sha256: Set(stored.sha256.clone()),
                object_key: Set(path.clone()),
                created_by: Set(Some(user)),
                created_at: Set(now),
            }
            .insert(tx)
            .await?;
            // In the same transaction: no design is left without its
            // evaluation, and evaluating never holds the upload up.
            evaluations::queries::insert_for(tx, &row, now).await?;
            Ok::<_, ApiError>(row)
        })
        .await;
    match record {
        Ok(row) => {
            actix_web::rt::spawn(super::thumbnail::make(state.clone(), tenant, row.clone()));
            if evaluated(row.sniffed_type) {
                // A failure here leaves the design `pending` until a re-run
                // queues it: the upload itself succeeded.
                if let Err(e) = evaluations::queries::schedule(&state.db, tenant, now).await {
                    tracing::error!(error = format!("{e:#}"), "evaluation not queued");
                }
                state.evaluation_wakeup.notify_one();
            }
            Ok(HttpResponse::Created().json(FileOut::from(row)))
        }
        Err(e) => {
            // Leave no orphan object behind.
            if let Err(cleanup) = state.storage.delete(&key).await {
                tracing::error!(error = format!("{cleanup:#}"), "orphan upload not removed");
            }
            Err(e)
        }
    }
}
