//! The operator API: the provider's staff, with their own tokens and MFA.
//! Every action lands in the platform audit.

pub mod audit;
mod auth;
pub mod cli;
pub mod context;

use actix_web::{get, web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::{
    entities::platform::tenant::{self, TenantStatus},
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

#[derive(Serialize, ToSchema)]
pub struct TenantOut {
    pub id: TenantId,
    pub slug: String,
    pub name: String,
    /// `active`, or `provisioning` while it is being created.
    pub status: TenantStatus,
    pub created_at: DateTime<Utc>,
}

/// Every tenant, oldest first.
#[utoipa::path(
    tag = "ops",
    params(PageQuery),
    responses(
        (status = 200, body = Page<TenantOut>),
        crate::error::OperatorUnauthenticated,
        (status = 422, description = "Invalid query", body = crate::error::Problem, content_type = "application/problem+json"),
        crate::error::DatabaseUnavailable,
    )
)]
#[get("/ops/tenants")]
async fn list_tenants(ctx: OpsCtx, query: web::Query<PageQuery>) -> ApiResult<HttpResponse> {
    let limit = query.limit()?;
    let mut select = tenant::Entity::find()
        .order_by_asc(tenant::Column::Id)
        .limit(limit + 1);
    if let Some(after) = query.after::<Uuid>()? {
        select = select.filter(tenant::Column::Id.gt(after));
    }
    let page = Page::from_rows(select.all(ctx.db()).await?, limit, |t| t.id);
    ctx.audit(
        "tenants.listed",
        None,
        serde_json::json!({ "count": page.items.len() }),
    )
    .await?;
    Ok(HttpResponse::Ok().json(page.map(|t| TenantOut {
        id: TenantId(t.id),
        slug: t.slug,
        name: t.name,
        status: t.status,
        created_at: t.created_at,
    })))
}

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
        .service(list_tenants)
        .service(audit::list_audit)
        .service(tenant_access_logs);
}
