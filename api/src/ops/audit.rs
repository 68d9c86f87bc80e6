//! The platform audit log as operators read it (`GET /api/v1/ops/audit`).

use actix_web::{get, web, HttpResponse};
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::context::OpsCtx;
use crate::{
    entities::platform::platform_audit,
    error::ApiResult,
    page::{Page, PageQuery},
};

#[derive(Serialize, ToSchema)]
pub struct AuditOut {
    pub id: Uuid,
    pub at: DateTime<Utc>,
    /// `operator`, `cli` or `anonymous`.
    pub actor_kind: String,
    pub actor_id: Option<Uuid>,
    pub actor_email: Option<String>,
    /// Dot-separated, e.g. `operator.login.succeeded`, `tenants.listed`.
    pub action: String,
    pub target_kind: Option<String>,
    pub target_id: Option<String>,
    #[schema(value_type = Object)]
    pub details: serde_json::Value,
    pub ip: Option<String>,
    pub request_id: Option<String>,
}

impl From<platform_audit::Model> for AuditOut {
    fn from(m: platform_audit::Model) -> Self {
        Self {
            id: m.id,
            at: m.at,
            actor_kind: m.actor_kind,
            actor_id: m.actor_id,
            actor_email: m.actor_email,
            action: m.action,
            target_kind: m.target_kind,
            target_id: m.target_id,
            details: serde_json::from_str(&m.details).unwrap_or_default(),
            ip: m.ip,
            request_id: m.request_id,
        }
    }
}

/// The platform audit log, newest first. Reading it is itself recorded.
#[utoipa::path(
    tag = "ops",
    params(PageQuery),
    responses(
        (status = 200, body = Page<AuditOut>),
        crate::error::OperatorUnauthenticated,
        (status = 422, description = "Invalid query", body = crate::error::Problem, content_type = "application/problem+json"),
        crate::error::DatabaseUnavailable,
    )
)]
#[get("/ops/audit")]
pub async fn list_audit(ctx: OpsCtx, query: web::Query<PageQuery>) -> ApiResult<HttpResponse> {
    let limit = query.limit()?;
    let mut select = platform_audit::Entity::find()
        .order_by_desc(platform_audit::Column::Id)
        .limit(limit + 1);
    if let Some(before) = query.after::<Uuid>()? {
        select = select.filter(platform_audit::Column::Id.lt(before));
    }
    let page = Page::from_rows(select.all(ctx.db()).await?, limit, |r| r.id);
    ctx.audit(
        "audit.read",
        None,
        serde_json::json!({ "count": page.items.len() }),
    )
    .await?;
    Ok(HttpResponse::Ok().json(page.map(AuditOut::from)))
}
