//! One's own sessions: where one is signed in, and ending them (a lost
//! laptop, a shared computer left signed in).

use actix_web::{delete, get, web, HttpRequest, HttpResponse};
use chrono::{DateTime, Duration, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Serialize;
use utoipa::ToSchema;

use crate::{
    auth::{session, TenantCtx},
    entities::shared::session as session_entity,
    error::{ApiError, ApiResult},
    ids::SessionId,
};

/// At most this many sessions are listed, the most recently used first.
const LIST_MAX: u64 = 100;

#[derive(Serialize, ToSchema)]
pub struct SessionOut {
    pub id: SessionId,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    /// The latest the session can last (its absolute lifetime).
    pub expires_at: DateTime<Utc>,
    /// The address it was started from.
    pub ip: Option<String>,
    /// The browser or client it was started from.
    pub user_agent: Option<String>,
    /// The session making this request.
    pub current: bool,
}

#[derive(Serialize, ToSchema)]
pub struct SessionsOut {
    /// Live sessions, the most recently used first (at most 100).
    pub items: Vec<SessionOut>,
}

#[derive(Serialize, ToSchema)]
pub struct SessionsEndedOut {
    /// How many sessions were ended.
    pub ended: u64,
}

/// My live sessions: not ended, within their lifetime and idle timeout.
#[utoipa::path(
    tag = "me",
    responses(
        (status = 200, body = SessionsOut),
        crate::error::Unauthenticated,
        (status = 403, description = "`password_change_required`", body = crate::error::Problem, content_type = "application/problem+json"),
        crate::error::DatabaseUnavailable,
    )
)]
#[get("/me/sessions")]
async fn list_sessions(ctx: TenantCtx) -> ApiResult<HttpResponse> {
    let now = ctx.now();
    let idle = Duration::minutes(i64::from(ctx.policy.session_idle_minutes));
    let rows = session_entity::Entity::find()
        .filter(session_entity::Column::SubjectId.eq(ctx.user.id))
        .filter(session_entity::Column::RevokedAt.is_null())
        .filter(session_entity::Column::ExpiresAt.gt(now))
        .filter(session_entity::Column::LastSeenAt.gt(now - idle))
        .order_by_desc(session_entity::Column::LastSeenAt)
        .order_by_desc(session_entity::Column::Id)
        .limit(LIST_MAX)
        .all(ctx.tx().await?)
        .await?;
    let items = rows
        .into_iter()
        .map(|s| SessionOut {
            current: s.id == ctx.session_id,
            id: SessionId(s.id),
            created_at: s.created_at,
            last_seen_at: s.last_seen_at,
            expires_at: s.expires_at,
            ip: s.ip,
            user_agent: s.user_agent,
        })
        .collect();
    Ok(HttpResponse::Ok().json(SessionsOut { items }))
}

/// End one of my sessions (the current one too: that is a logout). Its
/// access and refresh tokens stop working at once.
#[utoipa::path(
    tag = "me",
    params(("id" = SessionId, Path, description = "Session id")),
    responses(
        (status = 204, description = "Ended"),
        crate::error::BadId,
        crate::error::Unauthenticated,
        (status = 403, description = "`password_change_required`", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No live session of mine with this id", body = crate::error::Problem, content_type = "application/problem+json"),
        crate::error::DatabaseUnavailable,
    )
)]
#[delete("/me/sessions/{id}")]
async fn end_session(
    req: HttpRequest,
    ctx: TenantCtx,
    id: web::Path<SessionId>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner().0;
    let now = ctx.now();
    let tx = ctx.tx().await?;
    // Someone else's session is as absent as one that never existed.
    let mine = session_entity::Entity::find_by_id(id)
        .filter(session_entity::Column::SubjectId.eq(ctx.user.id))
        .filter(session_entity::Column::RevokedAt.is_null())
        .one(tx)
        .await?
        .ok_or(ApiError::NotFound)?;
    session::revoke(tx, mine.id, "ended_by_user", now).await?;
    ctx.record(crate::logbook::NewEntry {
        details: serde_json::json!({
            "session_id": mine.id,
            "current": mine.id == ctx.session_id,
        }),
        ..ctx.event(&req, "auth.session.ended")
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// End all my other sessions ("sign out everywhere else"); this one stays.
#[utoipa::path(
    tag = "me",
    responses(
        (status = 200, body = SessionsEndedOut),
        crate::error::Unauthenticated,
        (status = 403, description = "`password_change_required`", body = crate::error::Problem, content_type = "application/problem+json"),
        crate::error::DatabaseUnavailable,
    )
)]
#[delete("/me/sessions")]
async fn end_other_sessions(req: HttpRequest, ctx: TenantCtx) -> ApiResult<HttpResponse> {
    let ended = session::revoke_all(
        ctx.tx().await?,
        ctx.user.id,
        Some(ctx.session_id),
        "ended_by_user",
        ctx.now(),
    )
    .await?;
    ctx.record(crate::logbook::NewEntry {
        details: serde_json::json!({ "others": true, "ended": ended }),
        ..ctx.event(&req, "auth.session.ended")
    })
    .await?;
    Ok(HttpResponse::Ok().json(SessionsEndedOut { ended }))
}

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_sessions)
        .service(end_session)
        .service(end_other_sessions);
}
