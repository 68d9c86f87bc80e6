//! An administrator issues a new temporary password: for a user who forgot
//! theirs, or whose temporary password expired before first use.

use actix_web::{post, web, HttpRequest, HttpResponse};
use chrono::{DateTime, Duration, Utc};
use sea_orm::{sea_query::Expr, ColumnTrait, EntityTrait, QueryFilter};

use super::types::PasswordResetOut;
use crate::{
    access::Permission,
    accounts,
    auth::{session, TenantCtx},
    entities::tenant::user,
    error::{ApiError, ApiResult, ErrorCode},
    ids::UserId,
    state::AppState,
};

/// Until when a temporary password issued now signs in.
pub(super) fn temporary_until(ctx: &TenantCtx) -> DateTime<Utc> {
    ctx.now() + Duration::hours(i64::from(ctx.policy.temporary_password_hours))
}

/// Issue a new temporary password (shown only in this answer): the old
/// password stops working, the user's sessions end, a lockout is lifted,
/// and the user must choose a new password at the next login. Not for
/// yourself (use `PUT /me/password`), and not for a user holding a
/// permission you do not hold.
#[utoipa::path(
    tag = "users",
    params(("id" = UserId, Path, description = "User id")),
    responses(
        (status = 200, body = PasswordResetOut),
        crate::error::BadId,
        crate::error::Unauthenticated,
        (status = 403, description = "`permission_denied` (needs `users.manage`, and every permission the user holds)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such user in this tenant", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "`cannot_reset_self`", body = crate::error::Problem, content_type = "application/problem+json"),
        crate::error::DatabaseUnavailable,
    )
)]
#[post("/users/{id}/password-reset")]
pub async fn reset_password(
    state: web::Data<AppState>,
    req: HttpRequest,
    ctx: TenantCtx,
    id: web::Path<UserId>,
) -> ApiResult<HttpResponse> {
    ctx.require(Permission::UsersManage)?;
    if id.as_uuid() == ctx.user.id {
        return Err(ApiError::conflict(
            ErrorCode::CannotResetSelf,
            "change your own password on My Page",
        ));
    }
    let existing = accounts::find(ctx.tx().await?, id.as_uuid()).await?;
    let (_, held) = accounts::roles_of(ctx.tx().await?, existing.id).await?;
    if let Some(missing) = held.iter().find(|p| !ctx.can(**p)) {
        return Err(ApiError::forbidden(
            ErrorCode::PermissionDenied,
            format!(
            "the user holds `{missing}`, which you do not: an administrator with it must reset this password"
            ),
        ));
    }
    let temporary = accounts::temporary_password(&ctx.policy);
    let hash = state.passwords.hash(temporary.clone()).await?;
    let now = ctx.now();
    let until = temporary_until(&ctx);
    let tx = ctx.tx().await?;
    accounts::set_password(tx, existing.id, hash, Some(until), now).await?;
    user::Entity::update_many()
        .col_expr(user::Column::FailedLogins, Expr::value(0))
        .col_expr(
            user::Column::LockedUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .filter(user::Column::Id.eq(existing.id))
        .exec(tx)
        .await?;
    session::revoke_all(tx, existing.id, None, "password_reset", now).await?;
    let mut event = ctx.event(&req, "user.password_reset");
    event.details = serde_json::json!({ "target_user_id": existing.id, "email": existing.email });
    ctx.record(event).await?;
    Ok(HttpResponse::Ok().json(PasswordResetOut {
        temporary_password: temporary,
        expires_at: until,
    }))
}
