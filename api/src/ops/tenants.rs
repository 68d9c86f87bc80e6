//! The operators' list of tenants, with what a glance at each tells: its
//! users, its last activity and whether its access log still holds the head
//! the platform anchored.

use actix_web::{get, web, HttpResponse};
use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::context::OpsCtx;
use crate::{
    db::Db,
    entities::{
        platform::tenant::{self, TenantStatus},
        tenant::user,
    },
    error::ApiResult,
    ids::TenantId,
    logbook::verify,
    page::{Page, PageQuery},
};

/// The tenant's access log at a glance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LogState {
    /// The log holds the entry the platform anchored last, unchanged.
    Intact,
    /// It does not: its tail was cut or rewritten. Verify the chain.
    Alert,
}

#[derive(Serialize, ToSchema)]
pub struct TenantOut {
    pub id: TenantId,
    pub slug: String,
    pub name: String,
    /// `active`; `provisioning` while it is being created; `suspended` by
    /// an operator.
    pub status: TenantStatus,
    pub created_at: DateTime<Utc>,
    /// The tenant's administrator asked to end the service then…
    pub termination_requested_at: Option<DateTime<Utc>>,
    /// …and everything must be deleted by then.
    pub termination_due_at: Option<DateTime<Utc>>,
    /// Since when and why it is suspended.
    pub suspended_at: Option<DateTime<Utc>>,
    pub suspended_reason: Option<String>,
    /// Users of the tenant, in any state.
    pub user_count: u64,
    /// The newest access-log entry (any request or event of the tenant).
    pub last_activity_at: Option<DateTime<Utc>>,
    /// A quick check against the platform's anchor; `GET /access-logs/verify`
    /// (or `crepo access-log verify`) walks the whole chain.
    pub log_state: LogState,
}

/// Every tenant, oldest first, with its user count, last activity and log state.
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
pub async fn list_tenants(ctx: OpsCtx, query: web::Query<PageQuery>) -> ApiResult<HttpResponse> {
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
    let mut items = Vec::with_capacity(page.items.len());
    for t in page.items {
        items.push(describe(&ctx.state.db, t, ctx.grace()).await?);
    }
    Ok(HttpResponse::Ok().json(Page {
        items,
        next_cursor: page.next_cursor,
    }))
}

pub(super) async fn describe(
    db: &Db,
    t: tenant::Model,
    grace: chrono::Duration,
) -> Result<TenantOut, DbErr> {
    let id = TenantId(t.id);
    // A tenant being provisioned has no schema to look into yet.
    let (user_count, glance) = if matches!(t.status, TenantStatus::Active | TenantStatus::Suspended)
    {
        let users = db
            .in_tenant(id, async |tx| user::Entity::find().count(tx).await)
            .await?;
        (users, Some(verify::glance(db, id).await?))
    } else {
        (0, None)
    };
    Ok(TenantOut {
        id,
        slug: t.slug,
        name: t.name,
        status: t.status,
        created_at: t.created_at,
        termination_requested_at: t.termination_requested_at,
        termination_due_at: t.termination_requested_at.map(|a| a + grace),
        suspended_at: t.suspended_at,
        suspended_reason: t.suspended_reason,
        user_count,
        last_activity_at: glance.as_ref().and_then(|g| g.last_entry_at),
        log_state: match glance {
            Some(g) if !g.anchor_holds => LogState::Alert,
            _ => LogState::Intact,
        },
    })
}
