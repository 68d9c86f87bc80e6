//! The operator API: the provider's staff, with their own tokens and MFA.
//! Every action lands in the platform audit.

pub mod audit;
mod audit_export;
mod auth;
pub mod cli;
pub mod context;
mod deletion;
pub mod suspension;
mod tenants;

use actix_web::{get, web, HttpRequest, HttpResponse};

use crate::{
    error::{ApiError, ApiResult},
    http::request_log::from_request,
    ids::TenantId,
    logbook::{
        read::{self, LogEntryOut, LogFilter},
        NewEntry,
    },
    page::{Page, PageQuery},
};
use context::OpsCtx;

/// A tenant's access log, for an investigation (ISO/IEC 27017 16.1.7). The
/// extraction is written to that tenant's own log and to the platform audit.
#[utoipa::path(
    tag = "ops",
    params(("id" = TenantId, Path, description = "Tenant id"), LogFilter, PageQuery<200>),
    responses(
        (status = 200, body = Page<LogEntryOut>),
        crate::error::BadId,
        crate::error::OperatorUnauthenticated,
        (status = 404, description = "No such tenant", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid filter", body = crate::error::Problem, content_type = "application/problem+json"),
        crate::error::DatabaseUnavailable,
    )
)]
#[get("/ops/tenants/{id}/access-logs")]
async fn tenant_access_logs(
    ctx: OpsCtx,
    req: HttpRequest,
    id: web::Path<TenantId>,
    filter: web::Query<LogFilter>,
    page: web::Query<PageQuery<200>>,
) -> ApiResult<HttpResponse> {
    let tenant = ctx
        .state
        .db
        .active_tenant(*id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let tenant_id = TenantId(tenant.id);
    filter.check()?;
    let event = NewEntry {
        details: serde_json::json!({
            "operator_id": ctx.operator.id,
            "operator_email": ctx.operator.email,
            "filter": format!("{:?}", filter.0),
        }),
        ..from_request(&req, "access_log.read_by_operator")
    };
    // Written before anything is shown: the tenant sees who looked.
    ctx.state
        .access_log
        .record_durable(tenant_id, event)
        .await?;
    ctx.audit(
        "tenant.access_log.read",
        Some(("tenant", tenant.id.to_string())),
        serde_json::json!({ "slug": tenant.slug }),
    )
    .await?;
    let body = ctx
        .state
        .db
        .in_tenant(tenant_id, async |tx| read::page(tx, &filter, &page).await)
        .await?;
    Ok(HttpResponse::Ok().json(body))
}

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(auth::ops_login)
        .service(auth::ops_mfa)
        .service(tenants::list_tenants)
        .service(suspension::suspend_tenant)
        .service(suspension::resume_tenant)
        .service(deletion::delete_tenant)
        .service(audit::list_audit)
        .service(audit_export::export_audit)
        .service(tenant_access_logs);
}
