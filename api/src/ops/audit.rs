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

#[derive(Serialize, ToSchema)]
pub struct AuditPage {
    pub items: Vec<AuditOut>,
    pub next_cursor: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// From a previous page's `next_cursor` (opaque).
    #[param(format = Uuid)]
    pub cursor: Option<String>,
    /// Page size, 1–100 (default 50).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u64>,
}

impl PageQuery {
    pub fn limit(&self) -> Result<u64, ApiError> {
        let limit = self.limit.unwrap_or(50);
        if !(1..=100).contains(&limit) {
            return Err(ApiError::field(
                "limit",
                "out_of_range",
                "must be between 1 and 100",
            ));
        }
        Ok(limit)
    }

    pub fn cursor(&self) -> Result<Option<Uuid>, ApiError> {
        self.cursor
            .as_deref()
            .map(|c| {
                Uuid::parse_str(c).map_err(|_| {
                    ApiError::field("cursor", "invalid_cursor", "is not a cursor from this list")
                })
            })
            .transpose()
    }
}

/// The platform audit log, newest first. Reading it is itself recorded.
#[utoipa::path(
    tag = "ops",
    params(PageQuery),
    responses(
        (status = 200, body = AuditPage),
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
    if let Some(before) = query.cursor()? {
        select = select.filter(platform_audit::Column::Id.lt(before));
    }
    let mut rows = select.all(ctx.db()).await?;
    let next_cursor = if rows.len() as u64 > limit {
        rows.truncate(limit as usize);
        rows.last().map(|r| r.id.to_string())
    } else {
        None
    };
    ctx.audit(
        "audit.read",
        None,
        serde_json::json!({ "count": rows.len() }),
    )
    .await?;
    Ok(HttpResponse::Ok().json(AuditPage {
        items: rows.into_iter().map(AuditOut::from).collect(),
        next_cursor,
    }))
}
