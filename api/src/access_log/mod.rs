//! The tenant's tamper-evident access log: every request and security event,
//! hash-chained, append-only in the database, with signed checkpoints kept in
//! the platform. Users read their own entries; holders of
//! `access_logs.read_all` read, export and verify the whole tenant's.

use actix_web::{get, http::header, put, web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::logbook::{
    export,
    read::{self, LogEntryOut, LogFilter},
    verify, NewEntry,
};
use crate::{
    access::Permission,
    auth::{PasswordChangeCtx, TenantCtx},
    entities::tenant::access_log_head,
    error::{ApiError, ApiResult},
    page::{Page, PageQuery},
    state::AppState,
};
use sea_orm::{ActiveValue::Set, EntityTrait};

/// The caller's own entries, newest first (My Page).
#[utoipa::path(
    tag = "access-log",
    params(LogFilter, PageQuery<200>),
    responses(
        (status = 200, body = Page<LogEntryOut>),
        crate::error::Unauthenticated,
        (status = 422, description = "Invalid filter", body = crate::error::Problem, content_type = "application/problem+json"),
        crate::error::DatabaseUnavailable,
    )
)]
#[get("/me/access-logs")]
async fn my_logs(
    ctx: PasswordChangeCtx,
    filter: web::Query<LogFilter>,
    page: web::Query<PageQuery<200>>,
) -> ApiResult<HttpResponse> {
    let ctx = ctx.0;
    let mut filter = filter.into_inner();
    filter.user_id = Some(ctx.user.id);
    let body = read::page(ctx.tx().await?, &filter, &page).await?;
    Ok(HttpResponse::Ok().json(body))
}

/// The whole tenant's entries, newest first. Needs `access_logs.read_all`.
#[utoipa::path(
    tag = "access-log",
    params(LogFilter, PageQuery<200>),
    responses(
        (status = 200, body = Page<LogEntryOut>),
        crate::error::Unauthenticated,
        (status = 403, description = "`permission_denied` (needs `access_logs.read_all`)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid filter", body = crate::error::Problem, content_type = "application/problem+json"),
        crate::error::DatabaseUnavailable,
    )
)]
#[get("/access-logs")]
async fn tenant_logs(
    ctx: TenantCtx,
    filter: web::Query<LogFilter>,
    page: web::Query<PageQuery<200>>,
) -> ApiResult<HttpResponse> {
    ctx.require(Permission::AccessLogsReadAll)?;
    let body = read::page(ctx.tx().await?, &filter, &page).await?;
    Ok(HttpResponse::Ok().json(body))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportParams {
    /// `csv` (UTF-8 with BOM) or `jsonl`.
    #[param(inline)]
    pub format: export::Format,
}

/// Export the entries matching the filters, oldest first, streamed. The
/// export itself is logged (`access_log.exported`).
#[utoipa::path(
    tag = "access-log",
    params(ExportParams, LogFilter),
    responses(
        (status = 200, description = "CSV (`format=csv`) or JSON lines (`format=jsonl`)",
            content((String = "text/csv"), (String = "application/x-ndjson"))),
        crate::error::Unauthenticated,
        (status = 403, description = "`permission_denied` (needs `access_logs.read_all`)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid filter or format", body = crate::error::Problem, content_type = "application/problem+json"),
        crate::error::DatabaseUnavailable,
    )
)]
#[get("/access-logs/export")]
async fn export_logs(
    state: web::Data<AppState>,
    req: HttpRequest,
    ctx: TenantCtx,
    params: web::Query<ExportParams>,
    filter: web::Query<LogFilter>,
) -> ApiResult<HttpResponse> {
    ctx.require(Permission::AccessLogsReadAll)?;
    filter.check()?;
    let (tenant, slug) = (ctx.tenant_id(), ctx.tenant.slug.clone());
    let event = NewEntry {
        details: serde_json::json!({ "format": params.format.extension(), "filter": format!("{:?}", filter.0) }),
        ..ctx.event(&req, "access_log.exported")
    };
    ctx.record(event).await?;
    let name = format!(
        "access-log-{slug}-{}.{}",
        state.clock.now().format("%Y%m%dT%H%M%SZ"),
        params.format.extension()
    );
    Ok(HttpResponse::Ok()
        .content_type(params.format.content_type())
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}\""),
        ))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .streaming(export::stream(
            state.db.clone(),
            tenant,
            filter.into_inner(),
            params.format,
        )))
}

/// Verify the whole chain: every link and hash, the sequence, the signed
/// checkpoints and the anchored head. Names the first broken entry.
#[utoipa::path(
    tag = "access-log",
    responses(
        (status = 200, body = verify::VerifyOut),
        crate::error::Unauthenticated,
        (status = 403, description = "`permission_denied` (needs `access_logs.read_all`)", body = crate::error::Problem, content_type = "application/problem+json"),
        crate::error::DatabaseUnavailable,
    )
)]
#[get("/access-logs/verify")]
async fn verify_logs(state: web::Data<AppState>, ctx: TenantCtx) -> ApiResult<HttpResponse> {
    ctx.require(Permission::AccessLogsReadAll)?;
    let tenant = ctx.tenant_id();
    // Whatever this node still holds in its queue is part of the chain.
    state.access_log.flush().await;
    let out = verify::verify_signed_on_time(
        &state.db,
        &state.log_signer,
        tenant,
        ctx.now(),
        state.settings.log_checkpoint_interval,
    )
    .await?;
    Ok(HttpResponse::Ok().json(out))
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RetentionIn {
    /// Days entries are kept before `crepo access-log purge` removes them (30–3650).
    #[schema(minimum = 30, maximum = 3650, example = 400)]
    #[serde(deserialize_with = "crate::serde_ext::whole_u32")]
    pub retention_days: u32,
}

/// The access log's retention.
#[utoipa::path(
    tag = "access-log",
    responses(
        (status = 200, body = RetentionIn),
        crate::error::Unauthenticated,
        (status = 403, description = "`permission_denied` (needs `access_logs.read_all`)", body = crate::error::Problem, content_type = "application/problem+json"),
        crate::error::DatabaseUnavailable,
    )
)]
#[get("/settings/access-log")]
async fn get_retention(ctx: TenantCtx) -> ApiResult<HttpResponse> {
    ctx.require(Permission::AccessLogsReadAll)?;
    let head = access_log_head::Entity::find_by_id(1)
        .one(ctx.tx().await?)
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(HttpResponse::Ok().json(RetentionIn {
        retention_days: u32::try_from(head.retention_days).unwrap_or(400),
    }))
}

/// Change the retention (needs `settings.manage`).
#[utoipa::path(
    tag = "access-log",
    request_body = RetentionIn,
    responses(
        (status = 200, body = RetentionIn),
        crate::error::JsonBody,
        crate::error::Unauthenticated,
        (status = 403, description = "`permission_denied` (needs `settings.manage`)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Out of range", body = crate::error::Problem, content_type = "application/problem+json"),
        crate::error::DatabaseUnavailable,
    )
)]
#[put("/settings/access-log")]
async fn put_retention(
    req: HttpRequest,
    ctx: TenantCtx,
    body: crate::http::Json<RetentionIn>,
) -> ApiResult<HttpResponse> {
    ctx.require(Permission::SettingsManage)?;
    if !(30..=3650).contains(&body.retention_days) {
        return Err(ApiError::field(
            "retention_days",
            "out_of_range",
            "must be between 30 and 3650",
        ));
    }
    access_log_head::Entity::update(access_log_head::ActiveModel {
        id: Set(1),
        retention_days: Set(i32::try_from(body.retention_days).unwrap_or(400)),
        ..Default::default()
    })
    .exec(ctx.tx().await?)
    .await?;
    let event = NewEntry {
        details: serde_json::json!({ "retention_days": body.retention_days }),
        ..ctx.event(&req, "settings.access_log.changed")
    };
    ctx.record(event).await?;
    Ok(HttpResponse::Ok().json(body.into_inner()))
}

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(my_logs)
        .service(tenant_logs)
        .service(export_logs)
        .service(verify_logs)
        .service(get_retention)
        .service(put_retention);
}
