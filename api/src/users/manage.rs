//! Deleting users and replacing their roles: the guarded operations (never
//! yourself, never the last administrator; new privileges need a new login).

use actix_web::{delete, put, web, HttpRequest, HttpResponse};
use chrono::Utc;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use super::{
    out, service,
    types::{RoleIdsIn, UserOut},
};
use crate::{
    auth::{session, TenantCtx},
    entities::{session as session_entity, user},
    error::{ApiError, ApiResult},
    ids::UserId,
    startup::AppState,
};

/// Delete a user and end its sessions at once. Not yourself, and not the
/// last user who can manage users and roles.
#[utoipa::path(
    tag = "users",
    params(("id" = UserId, Path, description = "User id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 400, description = "The id is not a UUID", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token or session", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 403, description = "`permission_denied` (needs `users.delete`)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such user in this tenant", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "`cannot_delete_self` or `last_administrator`", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/users/{id}")]
pub async fn delete_user(
    state: web::Data<AppState>,
    req: HttpRequest,
    ctx: TenantCtx,
    id: web::Path<UserId>,
) -> ApiResult<HttpResponse> {
    ctx.require("users.delete")?;
    service::lock_guard_rails(&*ctx.tx, ctx.tenant_id()).await?;
    let existing = service::find(&*ctx.tx, id.as_uuid()).await?;
    if existing.id == ctx.user.id {
        return Err(ApiError::conflict(
            "cannot_delete_self",
            "you cannot delete your own account",
        ));
    }
    user::Entity::delete_by_id(existing.id)
        .exec(&*ctx.tx)
        .await?;
    service::ensure_an_administrator_remains(&*ctx.tx).await?;
    session_entity::Entity::delete_many()
        .filter(session_entity::Column::SubjectId.eq(existing.id))
        .exec(&*ctx.tx)
        .await?;
    let mut event = ctx.event(&req, "user.deleted");
    event.details = serde_json::json!({ "target_user_id": existing.id, "email": existing.email });
    let tenant = ctx.tenant_id();
    ctx.commit().await?;
    state.access_log.record_durable(tenant, event).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Replace a user's roles. Changes apply on the user's next request.
#[utoipa::path(
    tag = "users",
    params(("id" = UserId, Path, description = "User id")),
    request_body = RoleIdsIn,
    responses(
        (status = 200, body = UserOut),
        (status = 400, description = "Malformed JSON or id", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token or session", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 403, description = "`permission_denied` (needs `roles.manage`)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such user in this tenant", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "`last_administrator`", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not JSON", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown roles, or a privileged role for a user without phone", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[put("/users/{id}/roles")]
pub async fn set_user_roles(
    state: web::Data<AppState>,
    req: HttpRequest,
    ctx: TenantCtx,
    id: web::Path<UserId>,
    body: web::Json<RoleIdsIn>,
) -> ApiResult<HttpResponse> {
    ctx.require("roles.manage")?;
    service::lock_guard_rails(&*ctx.tx, ctx.tenant_id()).await?;
    let existing = service::find(&*ctx.tx, id.as_uuid()).await?;
    let roles = service::roles_named(&*ctx.tx, &body.role_ids).await?;
    service::phone_rule(&roles, existing.phone.as_deref())?;
    let (before, _) = crate::auth::context::roles_of(&*ctx.tx, existing.id).await?;
    service::replace_roles(&*ctx.tx, existing.id, &roles).await?;
    service::ensure_an_administrator_remains(&*ctx.tx).await?;
    // Sessions opened without an SMS code must not gain privileges: the
    // user logs in again, with the code.
    if service::grants_privilege(&roles) && !service::grants_privilege(&before) {
        session::revoke_all(&*ctx.tx, existing.id, None, "privilege_granted", Utc::now()).await?;
    }
    let body = out(&*ctx.tx, existing.clone()).await?;
    let mut event = ctx.event(&req, "user.roles.changed");
    event.details = serde_json::json!({
        "target_user_id": existing.id,
        "email": existing.email,
        "before": before.iter().map(|r| r.name.clone()).collect::<Vec<_>>(),
        "after": roles.iter().map(|r| r.name.clone()).collect::<Vec<_>>(),
    });
    let tenant = ctx.tenant_id();
    ctx.commit().await?;
    state.access_log.record_durable(tenant, event).await?;
    Ok(HttpResponse::Ok().json(body))
}
