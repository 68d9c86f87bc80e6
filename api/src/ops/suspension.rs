//! Suspending and resuming a tenant (CLD.8.1.5: the customer's service is
//! stopped without losing its data). Suspension ends every session of the
//! tenant at once, and its users' sign-in answers `tenant_suspended` until
//! an operator resumes it. Both are written to the platform audit and to the
//! tenant's own access log.

use actix_web::{post, web, HttpResponse};
use sea_orm::{sea_query::Expr, ActiveEnum, ColumnTrait, DbErr, EntityTrait, QueryFilter};
use serde::Deserialize;
use utoipa::ToSchema;

use super::{context::OpsCtx, tenants::describe};
use crate::{
    audit::{self, Actor},
    db::Db,
    entities::{
        platform::tenant::{self, TenantStatus},
        shared::session,
    },
    error::{ApiError, ApiResult, ErrorCode},
    ids::TenantId,
    logbook::NewEntry,
};

/// Why the tenant is suspended or resumed (kept in the audit).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReasonIn {
    /// 1–500 characters, not only spaces.
    #[schema(
        min_length = 1,
        max_length = 500,
        pattern = r"^[^\x00]*[^\s\x00\x85][^\x00]*$"
    )]
    pub reason: String,
}

impl ReasonIn {
    fn checked(&self) -> Result<&str, ApiError> {
        let r = self.reason.trim();
        if r.is_empty() || r.chars().count() > 500 {
            return Err(ApiError::field(
                "reason",
                "out_of_range",
                "must be 1 to 500 characters",
            ));
        }
        Ok(r)
    }
}

/// What changes hands: suspend (from active) or resume (from suspended).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Suspend,
    Resume,
}

impl Change {
    fn event(self) -> &'static str {
        match self {
            Change::Suspend => "tenant.suspended",
            Change::Resume => "tenant.resumed",
        }
    }
}

/// Suspends or resumes `id` for `actor`; returns how many sessions ended.
pub async fn change(
    db: &Db,
    id: TenantId,
    change: Change,
    reason: &str,
    actor: Actor<'_>,
    at: chrono::DateTime<chrono::Utc>,
    context: (Option<String>, Option<String>),
) -> Result<u64, ApiError> {
    let (from, to) = match change {
        Change::Suspend => (TenantStatus::Active, TenantStatus::Suspended),
        Change::Resume => (TenantStatus::Suspended, TenantStatus::Active),
    };
    let mut update = tenant::Entity::update_many()
        .col_expr(tenant::Column::Status, Expr::value(to.to_value()))
        .col_expr(tenant::Column::UpdatedAt, Expr::value(at))
        .filter(tenant::Column::Id.eq(id.as_uuid()))
        .filter(tenant::Column::Status.eq(from));
    update = match change {
        Change::Suspend => update
            .col_expr(tenant::Column::SuspendedAt, Expr::value(Some(at)))
            .col_expr(
                tenant::Column::SuspendedReason,
                Expr::value(Some(reason.to_owned())),
            ),
        Change::Resume => update
            .col_expr(
                tenant::Column::SuspendedAt,
                Expr::value(Option::<chrono::DateTime<chrono::Utc>>::None),
            )
            .col_expr(
                tenant::Column::SuspendedReason,
                Expr::value(Option::<String>::None),
            ),
    };
    if update.exec(db.platform()).await?.rows_affected == 0 {
        let exists = tenant::Entity::find_by_id(id.as_uuid())
            .one(db.platform())
            .await?;
        return Err(match (exists, change) {
            (None, _) => ApiError::NotFound,
            (Some(_), Change::Suspend) => ApiError::conflict(
                ErrorCode::TenantNotActive,
                "only an active tenant can be suspended",
            ),
            (Some(_), Change::Resume) => ApiError::conflict(
                ErrorCode::TenantNotSuspended,
                "this tenant is not suspended",
            ),
        });
    }
    let (ip, request_id) = context;
    let actor_json = match &actor {
        Actor::Operator { id, email } => {
            serde_json::json!({ "operator_id": id, "operator_email": email })
        }
        _ => serde_json::json!({ "by": "cli" }),
    };
    let event = change.event();
    let ended = db
        .in_tenant_writing(id, async |tx| {
            let ended = if change == Change::Suspend {
                session::Entity::update_many()
                    .col_expr(session::Column::RevokedAt, Expr::value(at))
                    .col_expr(
                        session::Column::RevokedReason,
                        Expr::value("tenant_suspended"),
                    )
                    .filter(session::Column::RevokedAt.is_null())
                    .exec(tx)
                    .await?
                    .rows_affected
            } else {
                0
            };
            let mut entry = NewEntry::event(event);
            entry.ip.clone_from(&ip);
            entry.request_id.clone_from(&request_id);
            let mut details = actor_json.clone();
            details["reason"] = reason.into();
            details["sessions_ended"] = ended.into();
            entry.details = details;
            crate::logbook::outbox::put(tx, &entry, at).await?;
            Ok::<_, DbErr>(ended)
        })
        .await?;
    audit::append(
        db,
        audit::Entry {
            actor,
            action: event,
            target: Some(("tenant", id.to_string())),
            details: serde_json::json!({ "reason": reason, "sessions_ended": ended }),
            ip,
            request_id,
            at,
        },
    )
    .await?;
    Ok(ended)
}

async fn respond(ctx: OpsCtx, id: TenantId, body: ReasonIn, c: Change) -> ApiResult<HttpResponse> {
    let reason = body.checked()?;
    let context = (ctx.ip.clone(), ctx.request_id.clone());
    let actor = Actor::Operator {
        id: ctx.operator.id,
        email: &ctx.operator.email,
    };
    change(
        &ctx.state.db,
        id,
        c,
        reason,
        actor,
        ctx.state.clock.now(),
        context,
    )
    .await?;
    ctx.state.access_log.drain(id).await;
    let row = tenant::Entity::find_by_id(id.as_uuid())
        .one(ctx.db())
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(HttpResponse::Ok().json(describe(&ctx.state.db, row, ctx.grace()).await?))
}

/// Suspend a tenant: its sessions end at once, its users cannot sign in
/// (`tenant_suspended`), its data stays.
#[utoipa::path(
    tag = "ops",
    params(("id" = TenantId, Path, description = "Tenant id")),
    request_body = ReasonIn,
    responses(
        (status = 200, body = super::tenants::TenantOut),
        crate::error::JsonBodyAndId,
        crate::error::OperatorUnauthenticated,
        (status = 404, description = "No such tenant", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "`tenant_not_active`", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid body (`reason` empty or too long)", body = crate::error::Problem, content_type = "application/problem+json"),
        crate::error::DatabaseUnavailable,
    )
)]
#[post("/ops/tenants/{id}/suspend")]
pub async fn suspend_tenant(
    ctx: OpsCtx,
    id: web::Path<TenantId>,
    body: crate::http::json::Json<ReasonIn>,
) -> ApiResult<HttpResponse> {
    respond(ctx, id.into_inner(), body.0, Change::Suspend).await
}

/// Resume a suspended tenant: its users can sign in again.
#[utoipa::path(
    tag = "ops",
    params(("id" = TenantId, Path, description = "Tenant id")),
    request_body = ReasonIn,
    responses(
        (status = 200, body = super::tenants::TenantOut),
        crate::error::JsonBodyAndId,
        crate::error::OperatorUnauthenticated,
        (status = 404, description = "No such tenant", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "`tenant_not_suspended`", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid body (`reason` empty or too long)", body = crate::error::Problem, content_type = "application/problem+json"),
        crate::error::DatabaseUnavailable,
    )
)]
#[post("/ops/tenants/{id}/resume")]
pub async fn resume_tenant(
    ctx: OpsCtx,
    id: web::Path<TenantId>,
    body: crate::http::json::Json<ReasonIn>,
) -> ApiResult<HttpResponse> {
    respond(ctx, id.into_inner(), body.0, Change::Resume).await
}
