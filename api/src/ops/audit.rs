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
    /// Entries at or after this time.
    pub from: Option<DateTime<Utc>>,
    /// Entries before this time.
    pub to: Option<DateTime<Utc>>,
}

impl AuditQuery {
    /// A copy, for each page of a streamed export.
    pub fn clone_query(&self) -> AuditQuery {
        AuditQuery {
            actor_id: self.actor_id,
            action: self.action.clone(),
            from: self.from,
            to: self.to,
        }
    }

    /// `select` narrowed to the filter.
    pub fn apply(
        &self,
        mut select: sea_orm::Select<platform_audit::Entity>,
    ) -> Result<sea_orm::Select<platform_audit::Entity>, ApiError> {
        use platform_audit::Column as C;
        if let Some(actor) = self.actor_id {
            select = select.filter(C::ActorId.eq(actor));
        }
        if let Some(action) = self.action.as_deref().filter(|a| !a.is_empty()) {
            if action.chars().count() > 64 {
                return Err(ApiError::field(
                    "action",
                    "too_long",
                    "must be at most 64 characters",
                ));
            }
            select = select.filter(crate::text::dotted_filter(C::Action, action));
        }
        if let (Some(from), Some(to)) = (self.from, self.to) {
            if to <= from {
                return Err(ApiError::field("to", "before_from", "must be after from"));
            }
        }
        if let Some(from) = self.from {
            select = select.filter(C::At.gte(from));
        }
        if let Some(to) = self.to {
            select = select.filter(C::At.lt(to));
        }
        Ok(select)
    }
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
    let limit = query.limit()?;
    let mut select = filter.apply(
        platform_audit::Entity::find()
            .order_by_desc(platform_audit::Column::Id)
            .limit(limit + 1),
    )?;
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
