//! Deleting users and replacing their roles: the guarded operations (never
//! yourself, never the last administrator; new privileges need a new login).

use actix_web::{delete, put, web, HttpRequest, HttpResponse};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use super::{
    out,
    types::{RoleIdsIn, UserOut},
};
use crate::{
    access::Permission,
    accounts,
    auth::{session, TenantCtx},
    entities::{shared::session as session_entity, tenant::user},
    error::ErrorCode,
    error::{ApiError, ApiResult},
    ids::UserId,
};

/// Delete a user and end its sessions at once. Not yourself, and not the
/// last user who can manage users and roles.
#[utoipa::path(
    tag = "users",
    params(("id" = UserId, Path, description = "User id")),
    responses(
        (status = 204, description = "Deleted"),
        crate::error::BadId,
        crate::error::Unauthenticated,
        (status = 403, description = "`permission_denied` (needs `users.delete`)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such user in this tenant", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "`cannot_delete_self` or `last_administrator`", body = crate::error::Problem, content_type = "application/problem+json"),
        crate::error::DatabaseUnavailable,
    )
)]
#[delete("/users/{id}")]
pub async fn delete_user(
    req: HttpRequest,
    ctx: TenantCtx,
    id: web::Path<UserId>,
) -> ApiResult<HttpResponse> {
    ctx.require(Permission::UsersDelete)?;
    accounts::lock_guard_rails(ctx.tx().await?, ctx.tenant_id()).await?;
    let existing = accounts::find(ctx.tx().await?, id.as_uuid()).await?;
    if existing.id == ctx.user.id {
        return Err(ApiError::conflict(
            ErrorCode::CannotDeleteSelf,
            "you cannot delete your own account",
        ));
    }
    user::Entity::delete_by_id(existing.id)
        .exec(ctx.tx().await?)
        .await?;
    accounts::ensure_an_administrator_remains(ctx.tx().await?).await?;
    session_entity::Entity::delete_many()
        .filter(session_entity::Column::SubjectId.eq(existing.id))
        .exec(ctx.tx().await?)
        .await?;
    let mut event = ctx.event(&req, "user.deleted");
    event.details = serde_json::json!({ "target_user_id": existing.id, "email": existing.email });
    ctx.record(event).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Replace a user's roles. Changes apply on the user's next request.
#[utoipa::path(
    tag = "users",
    params(("id" = UserId, Path, description = "User id")),
    request_body = RoleIdsIn,
    responses(
        (status = 200, body = UserOut),
        crate::error::JsonBodyAndId,
        crate::error::Unauthenticated,
        (status = 403, description = "`permission_denied` (needs `roles.manage`)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such user in this tenant", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "`last_administrator`", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown roles, or a privileged role for a user without phone", body = crate::error::Problem, content_type = "application/problem+json"),
        crate::error::DatabaseUnavailable,
    )
)]
#[put("/users/{id}/roles")]
pub async fn set_user_roles(
    req: HttpRequest,
    ctx: TenantCtx,
    id: web::Path<UserId>,
    body: crate::http::Json<RoleIdsIn>,
) -> ApiResult<HttpResponse> {
    ctx.require(Permission::RolesManage)?;
    accounts::lock_guard_rails(ctx.tx().await?, ctx.tenant_id()).await?;
    let existing = accounts::find(ctx.tx().await?, id.as_uuid()).await?;
    let roles = accounts::roles_named(ctx.tx().await?, &body.role_ids).await?;
    accounts::phone_rule(&roles, existing.phone.as_deref())?;
    let (before, _) = accounts::roles_of(ctx.tx().await?, existing.id).await?;
    accounts::replace_roles(ctx.tx().await?, existing.id, &roles).await?;
    accounts::ensure_an_administrator_remains(ctx.tx().await?).await?;
    // Sessions opened without an SMS code must not gain privileges: the
    // user logs in again, with the code.
    if accounts::grants_privilege(&roles) && !accounts::grants_privilege(&before) {
        session::revoke_all(
            ctx.tx().await?,
            existing.id,
            None,
            "privilege_granted",
            ctx.now(),
        )
        .await?;
    }
    let body = out(ctx.tx().await?, existing.clone(), ctx.now()).await?;
    let mut event = ctx.event(&req, "user.roles.changed");
    event.details = serde_json::json!({
        "target_user_id": existing.id,
        "email": existing.email,
        "before": before.iter().map(|r| r.name.clone()).collect::<Vec<_>>(),
        "after": roles.iter().map(|r| r.name.clone()).collect::<Vec<_>>(),
    });
    ctx.record(event).await?;
    Ok(HttpResponse::Ok().json(body))
}
