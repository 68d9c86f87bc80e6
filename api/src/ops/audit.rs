//! The platform audit log as operators read it (`GET /api/v1/ops/audit`).

use actix_web::{get, web, HttpResponse};
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::context::OpsCtx;
use crate::{
    entities::platform::platform_audit,
    error::{ApiError, ApiResult},
    page::{Page, PageQuery},
};

#[derive(Serialize, ToSchema)]
pub struct AuditOut {
    pub id: Uuid,
    pub at: DateTime<Utc>,
    /// `operator`, `cli`, `system` or `anonymous`.
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

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Actions of this operator.
    pub actor_id: Option<Uuid>,
    /// An action (`notice.created`), or a prefix ending in a dot (`notice.`).
    #[param(max_length = 64)]
    pub action: Option<String>,
}

/// The platform audit log, newest first. Reading it is itself recorded.
#[utoipa::path(
    tag = "ops",
    params(AuditQuery, PageQuery),
    responses(
        (status = 200, body = Page<AuditOut>),
        crate::error::OperatorUnauthenticated,
        (status = 422, description = "Invalid query", body = crate::error::Problem, content_type = "application/problem+json"),
        crate::error::DatabaseUnavailable,
    )
)]
#[get("/ops/audit")]
pub async fn list_audit(
    ctx: OpsCtx,
    filter: web::Query<AuditQuery>,
    query: web::Query<PageQuery>,
) -> ApiResult<HttpResponse> {
    use platform_audit::Column as C;
    let limit = query.limit()?;
    let mut select = platform_audit::Entity::find()
        .order_by_desc(C::Id)
        .limit(limit + 1);
    if let Some(actor) = filter.actor_id {
        select = select.filter(C::ActorId.eq(actor));
    }
    if let Some(action) = filter.action.as_deref().filter(|a| !a.is_empty()) {
        if action.chars().count() > 64 {
            return Err(ApiError::field(
                "action",
                "too_long",
                "must be at most 64 characters",
            ));
        }
        select = select.filter(crate::text::dotted_filter(C::Action, action));
    }
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
