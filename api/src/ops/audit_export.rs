//! The platform audit as a file (`GET /api/v1/ops/audit/export`): the same
//! filters as the list, oldest first, streamed a page at a time; CSV as
//! Excel opens it (BOM, formulas neutralised) or JSON Lines.

use actix_web::{get, http::header, web, HttpResponse};
use bytes::Bytes;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use super::{
    audit::{AuditOut, AuditQuery},
    context::OpsCtx,
};
use crate::{
    entities::platform::platform_audit,
    error::ApiResult,
    logbook::export::{csv_cell, Format},
};

const PAGE: u64 = 1000;
const HEADER: &str = "at,actor_kind,actor_id,actor_email,action,target_kind,target_id,details,ip,request_id,redacted,hash\r\n";

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FormatQuery {
    /// `csv` (UTF-8 with a BOM) or `jsonl`.
    #[param(inline)]
    pub format: Format,
}

fn csv_row(m: &platform_audit::Model) -> String {
    let opt = |v: &Option<String>| csv_cell(v.as_deref().unwrap_or_default());
    format!(
        "{},{},{},{},{},{},{},{},{},{},{},{}\r\n",
        crate::clock::format_time(m.at),
        csv_cell(&m.actor_kind),
        m.actor_id.map(|u| u.to_string()).unwrap_or_default(),
        opt(&m.actor_email),
        csv_cell(&m.action),
        opt(&m.target_kind),
        opt(&m.target_id),
        csv_cell(&m.details),
        opt(&m.ip),
        opt(&m.request_id),
        m.redacted_digest.is_some(),
        opt(&m.hash),
    )
}

/// The platform audit as CSV or JSON Lines, with the list's filters, oldest
/// first. The export is itself recorded.
#[utoipa::path(
    tag = "ops",
    params(FormatQuery, AuditQuery),
    responses(
        (status = 200, description = "CSV (UTF-8 with a BOM) or JSON Lines",
            content((String = "text/csv"), (String = "application/x-ndjson"))),
        crate::error::OperatorUnauthenticated,
        (status = 422, description = "Invalid query", body = crate::error::Problem, content_type = "application/problem+json"),
        crate::error::DatabaseUnavailable,
    )
)]
#[get("/ops/audit/export")]
pub async fn export_audit(
    ctx: OpsCtx,
    format: web::Query<FormatQuery>,
    filter: web::Query<AuditQuery>,
) -> ApiResult<HttpResponse> {
    let format = format.format;
    let filter = filter.into_inner();
    // Checked before the answer starts: a bad filter is a 422, not a cut file.
    filter.apply(platform_audit::Entity::find())?;
    ctx.audit(
        "audit.exported",
        None,
        serde_json::json!({ "format": format.extension(), "action": filter.action, "actor_id": filter.actor_id }),
    )
    .await?;
    let db = ctx.state.db.clone();
    let head = match format {
        Format::Csv => Some(format!("\u{feff}{HEADER}")),
        Format::Jsonl => None,
    };
    let pages = futures_util::stream::unfold(
        (Some(head), None::<Uuid>, false),
        move |(head, after, done)| {
            let db = db.clone();
            let filter = filter.clone_query();
            async move {
                if let Some(Some(h)) = head {
                    return Some((Ok::<_, std::io::Error>(Bytes::from(h)), (None, after, done)));
                }
                if done {
                    return None;
                }
                let mut select = filter
                    .apply(
                        platform_audit::Entity::find()
                            .order_by_asc(platform_audit::Column::Id)
                            .limit(PAGE),
                    )
                    .ok()?;
                if let Some(a) = after {
                    select = select.filter(platform_audit::Column::Id.gt(a));
                }
                let rows = match select.all(db.platform()).await {
                    Ok(r) => r,
                    Err(e) => {
                        return Some((
                            Err(std::io::Error::other(e.to_string())),
                            (None, after, true),
                        ))
                    }
                };
                let last = Some(rows.last()?.id);
                let finished = (rows.len() as u64) < PAGE;
                let mut out = String::new();
                for r in rows {
                    match format {
                        Format::Csv => out.push_str(&csv_row(&r)),
                        Format::Jsonl => {
                            out.push_str(
                                &serde_json::to_string(&AuditOut::from(r)).unwrap_or_default(),
                            );
                            out.push('\n');
                        }
                    }
                }
                Some((Ok(Bytes::from(out)), (None, last, finished)))
            }
        },
    );
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, format.content_type()))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!(
                "attachment; filename=\"crepo-platform-audit.{}\"",
                format.extension()
            ),
        ))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .streaming(pages))
}
