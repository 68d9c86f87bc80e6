//! Downloads: streamed, always as an attachment, with the sniffed type,
//! `nosniff`, a sandboxing CSP for SVG, an ETag, and single `Range` requests.

use actix_web::{get, http::header, web, HttpRequest, HttpResponse};

use super::{find_file, types::content_disposition};
use crate::{
    access::Permission,
    auth::TenantCtx,
    error::{ApiError, ApiResult},
    ids::{FileId, ProjectId},
    state::AppState,
    storage::{ObjectKey, SniffedType},
};

/// A single byte range within `size`: `Ok(None)` for no (or a multi-) range,
/// `Err` when it cannot be satisfied.
pub fn parse_range(value: &str, size: u64) -> Result<Option<(u64, u64)>, ()> {
    let Some(spec) = value.trim().strip_prefix("bytes=") else {
        return Ok(None);
    };
    if spec.contains(',') {
        return Ok(None);
    }
    let (start, end) = spec.split_once('-').ok_or(())?;
    let (start, end) = match (start.trim(), end.trim()) {
        ("", suffix) => {
            let n: u64 = suffix.parse().map_err(|_| ())?;
            if n == 0 || size == 0 {
                return Err(());
            }
            (size.saturating_sub(n), size - 1)
        }
        (start, "") => (start.parse().map_err(|_| ())?, size.saturating_sub(1)),
        (start, end) => {
            let (s, e): (u64, u64) = (start.parse().map_err(|_| ())?, end.parse().map_err(|_| ())?);
            (s, e.min(size.saturating_sub(1)))
        }
    };
    if size == 0 || start > end || start >= size {
        return Err(());
    }
    Ok(Some((start, end)))
}

/// The file's bytes, as an attachment. `Range: bytes=a-b` (one range) is
/// answered with 206.
#[utoipa::path(
    tag = "files",
    params(
        ("id" = ProjectId, Path, description = "Project id"),
        ("file_id" = FileId, Path, description = "File id"),
        ("Range" = Option<String>, Header, description = "One byte range, e.g. `bytes=0-1023`"),
    ),
    responses(
        (status = 200, description = "The whole file", content_type = "application/octet-stream", body = Vec<u8>),
        (status = 206, description = "The requested range", content_type = "application/octet-stream", body = Vec<u8>),
        (status = 304, description = "Unchanged (`If-None-Match`)"),
        (status = 400, description = "An id is not a UUID", body = crate::error::Problem, content_type = "application/problem+json"),
        crate::error::Unauthenticated,
        (status = 403, description = "`permission_denied` (needs `files.read`)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such file here", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 416, description = "The range lies outside the file", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database or object storage unavailable", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/projects/{id}/files/{file_id}/content")]
pub async fn download_file(
    state: web::Data<AppState>,
    req: HttpRequest,
    ctx: TenantCtx,
    path: web::Path<(ProjectId, FileId)>,
) -> ApiResult<HttpResponse> {
    let (project, file) = path.into_inner();
    ctx.project(Permission::FilesRead, project).await?;
    let f = find_file(ctx.tx().await?, project, file).await?;
    let tenant = ctx.tenant_id();

    let etag = format!("\"{}\"", f.sha256);
    let unchanged = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    if unchanged {
        return Ok(HttpResponse::NotModified()
            .insert_header((header::ETAG, etag))
            .finish());
    }
    let size = u64::try_from(f.size).unwrap_or(0);
    let range = match req
        .headers()
        .get(header::RANGE)
        .and_then(|v| v.to_str().ok())
    {
        Some(v) => parse_range(v, size).map_err(|_| ApiError::RangeNotSatisfiable { size })?,
        None => None,
    };
    let key = ObjectKey::for_tenant(tenant, &f.object_key).map_err(ApiError::internal)?;
    let object = state
        .storage
        .get_stream(&key, range)
        .await
        .map_err(|e| {
            tracing::error!(error = format!("{e:#}"), "object storage read failed");
            ApiError::Unavailable {
                detail: "object storage is unavailable".into(),
            }
        })?
        .ok_or_else(|| {
            tracing::error!(file_id = %f.id, "file row without its object");
            ApiError::NotFound
        })?;
    let sniffed = f.sniffed_type;

    let mut res = match range {
        Some(_) => HttpResponse::PartialContent(),
        None => HttpResponse::Ok(),
    };
    res.insert_header((header::CONTENT_TYPE, sniffed.mime()))
        .insert_header((
            header::CONTENT_DISPOSITION,
            content_disposition(&f.filename),
        ))
        .insert_header((header::ETAG, etag))
        .insert_header((header::ACCEPT_RANGES, "bytes"))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .insert_header((header::CACHE_CONTROL, "private, no-cache"))
        .insert_header((header::CONTENT_LENGTH, object.content_length.to_string()));
    if sniffed == SniffedType::Svg {
        // An SVG opened anyway runs no script and reaches nothing.
        res.insert_header((
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; style-src 'unsafe-inline'; sandbox",
        ));
    }
    if let Some((start, end)) = range {
        res.insert_header((header::CONTENT_RANGE, format!("bytes {start}-{end}/{size}")));
    }
    Ok(res.streaming(object.body))
}

#[cfg(test)]
mod tests {
    use super::parse_range;

    #[test]
    fn single_ranges_parse_and_impossible_ones_are_refused() {
        assert_eq!(parse_range("bytes=0-99", 1000), Ok(Some((0, 99))));
        assert_eq!(parse_range("bytes=900-", 1000), Ok(Some((900, 999))));
        assert_eq!(parse_range("bytes=-100", 1000), Ok(Some((900, 999))));
        assert_eq!(parse_range("bytes=990-2000", 1000), Ok(Some((990, 999))));
        assert_eq!(parse_range("bytes=0-1,5-6", 1000), Ok(None));
        assert_eq!(parse_range("items=0-1", 1000), Ok(None));
        assert_eq!(parse_range("bytes=1000-", 1000), Err(()));
        assert_eq!(parse_range("bytes=5-1", 1000), Err(()));
        assert_eq!(parse_range("bytes=abc", 1000), Err(()));
    }
}
