//! Users of a tenant: listed by anyone allowed to read them, created and
//! edited by holders of `users.manage`, deleted only with `users.delete`.

pub mod manage;
mod reset;
pub mod types;

use actix_web::{get, patch, post, web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use sea_orm::{
    sea_query::{Expr, Func, LikeExpr},
    ActiveModelTrait,
    ActiveValue::Set,
    ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

use crate::{
    access::Permission,
    accounts,
    auth::{session, TenantCtx},
    entities::tenant::{
        user::{self, UserStatus},
        user_role,
    },
    error::ErrorCode,
    error::{ApiError, ApiResult},
    ids::UserId,
    page::{Page, PageQuery},
    state::AppState,
    values::Phone,
};
use types::{UserCreatedOut, UserIn, UserOut, UserPatch, UserQuery};

pub(crate) async fn out(
    conn: &impl sea_orm::ConnectionTrait,
    u: user::Model,
    now: DateTime<Utc>,
) -> Result<UserOut, ApiError> {
    let mut roles = accounts::roles_by_user(conn, &[u.id]).await?;
    Ok(UserOut::new(
        u.clone(),
        roles.remove(&u.id).unwrap_or_default(),
        now,
    ))
}

/// Phones are for those who manage users, and for their owners.
fn for_viewer(ctx: &TenantCtx, u: UserOut) -> UserOut {
    if ctx.can(Permission::UsersManage) || u.id == ctx.user_id() {
        u
    } else {
        u.with_masked_phone()
    }
}

/// List users, oldest first. Filters: `status`, `q` (part of name or email).
#[utoipa::path(
    tag = "users",
    params(UserQuery, PageQuery),
    responses(
        (status = 200, body = Page<UserOut>),
        crate::error::Unauthenticated,
        (status = 403, description = "`permission_denied` (needs `users.read`) or `password_change_required`", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid query", body = crate::error::Problem, content_type = "application/problem+json"),
        crate::error::DatabaseUnavailable,
    )
)]
#[get("/users")]
async fn list_users(
    ctx: TenantCtx,
    query: web::Query<UserQuery>,
    page: web::Query<PageQuery>,
) -> ApiResult<HttpResponse> {
    ctx.require(Permission::UsersRead)?;
    let limit = page.limit()?;
    let mut select = user::Entity::find()
        .order_by_asc(user::Column::Id)
        .limit(limit + 1);
    if let Some(status) = query.status {
        select = select.filter(user::Column::Status.eq(status));
    }
    if query.q.as_deref().is_some_and(|q| q.chars().count() > 200) {
        return Err(ApiError::field(
            "q",
            "too_long",
            "must be at most 200 characters",
        ));
    }
    if let Some(q) = query.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        // Names and emails are compared lower-cased as stored (no search key).
        let pattern = crate::text::like_contains(&q.to_lowercase());
        let like = |col: user::Column| {
            Expr::expr(Func::lower(Expr::col(col)))
                .like(LikeExpr::new(pattern.clone()).escape('\\'))
        };
        select = select.filter(
            Condition::any()
                .add(like(user::Column::Name))
                .add(like(user::Column::EmailKey)),
        );
    }
    if let Some(role) = query.role_id {
        select = select.filter(
            user::Column::Id.in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(user_role::Column::UserId)
                    .from(user_role::Entity)
                    .and_where(user_role::Column::RoleId.eq(role.0))
                    .to_owned(),
            ),
        );
    }
    if let Some(after) = page.after::<Uuid>()? {
        select = select.filter(user::Column::Id.gt(after));
    }
    let users = Page::from_rows(select.all(ctx.tx().await?).await?, limit, |u| u.id);
    let ids: Vec<Uuid> = users.items.iter().map(|u| u.id).collect();
    let mut roles = accounts::roles_by_user(ctx.tx().await?, &ids).await?;
    let now = ctx.now();
    Ok(HttpResponse::Ok().json(users.map(|u| {
        let r = roles.remove(&u.id).unwrap_or_default();
        for_viewer(&ctx, UserOut::new(u, r, now))
    })))
}

/// Create a user. The answer holds a temporary password, shown only once;
/// the user must replace it at first login.
#[utoipa::path(
    tag = "users",
    request_body = UserIn,
    responses(
        (status = 201, body = UserCreatedOut),
        crate::error::JsonBody,
        crate::error::Unauthenticated,
        (status = 403, description = "`permission_denied` (needs `users.manage`)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "`email_taken`, or `user_limit_reached` (`CREPO_TENANT_MAX_USERS`)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, unknown roles, or a privileged role without phone", body = crate::error::Problem, content_type = "application/problem+json"),
        crate::error::DatabaseUnavailable,
    )
)]
#[post("/users")]
async fn create_user(
    state: web::Data<AppState>,
    req: HttpRequest,
    ctx: TenantCtx,
    body: crate::http::Json<UserIn>,
) -> ApiResult<HttpResponse> {
    ctx.require(Permission::UsersManage)?;
    let input = body.into_inner().parse()?;
    // Hashing takes a while: do it before the transaction opens, so no
    // database connection waits on it.
    let temporary = accounts::temporary_password(&ctx.policy);
    let hash = state.passwords.hash(temporary.clone()).await?;
    let tx = ctx.tx().await?;
    let max = state.settings.sms_limits.tenant_max_users;
    if user::Entity::find().count(tx).await? >= max {
        return Err(ApiError::conflict(
            ErrorCode::UserLimitReached,
            format!("this organisation already has {max} users, the most allowed: delete unused accounts or ask support"),
        ));
    }
    let roles = accounts::roles_named(tx, &input.role_ids).await?;
    if !roles.is_empty() {
        ctx.require(Permission::RolesManage)?;
    }
    accounts::phone_rule(&roles, input.phone.as_ref().map(Phone::as_str))?;
    if user::Entity::find()
        .filter(user::Column::EmailKey.eq(input.email.key()))
        .one(tx)
        .await?
        .is_some()
    {
        return Err(ApiError::conflict(
            ErrorCode::EmailTaken,
            "a user with this email already exists",
        ));
    }
    let mut event = ctx.event(&req, "user.created");
    let now = state.clock.now();
    let id = Uuid::now_v7();
    user::ActiveModel {
        id: Set(id),
        email: Set(input.email.as_str().into()),
        email_key: Set(input.email.key().into()),
        name: Set(input.name.into()),
        phone: Set(input.phone.map(String::from)),
        password_hash: Set(String::new()),
        status: Set(UserStatus::Active),
        password_change_required: Set(true),
        password_changed_at: Set(now),
        created_at: Set(now),
        updated_at: Set(now),
        failed_logins: Set(0),
        locked_until: Set(None),
        temporary_until: Set(None),
    }
    .insert(tx)
    .await
    .map_err(|e| match e.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => ApiError::conflict(
            ErrorCode::EmailTaken,
            "a user with this email already exists",
        ),
        _ => e.into(),
    })?;
    let until = reset::temporary_until(&ctx);
    accounts::set_password(tx, id, hash, Some(until), now).await?;
    accounts::replace_roles(tx, id, &roles).await?;
    let user = out(tx, accounts::find(tx, id).await?, now).await?;
    event.details = serde_json::json!({
        "target_user_id": id,
        "email": user.email,
        "roles": user.roles.iter().map(|r| r.name.clone()).collect::<Vec<_>>(),
    });
    ctx.record(event).await?;
    Ok(HttpResponse::Created().json(UserCreatedOut {
        user,
        temporary_password: temporary,
        expires_at: until,
    }))
}

/// One user.
#[utoipa::path(
    tag = "users",
    params(("id" = UserId, Path, description = "User id")),
    responses(
        (status = 200, body = UserOut),
        crate::error::BadId,
        crate::error::Unauthenticated,
        (status = 403, description = "`permission_denied` (needs `users.read`)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such user in this tenant", body = crate::error::Problem, content_type = "application/problem+json"),
        crate::error::DatabaseUnavailable,
    )
)]
#[get("/users/{id}")]
async fn get_user(ctx: TenantCtx, id: web::Path<UserId>) -> ApiResult<HttpResponse> {
    ctx.require(Permission::UsersRead)?;
    let u = accounts::find(ctx.tx().await?, id.as_uuid()).await?;
    let body = for_viewer(&ctx, out(ctx.tx().await?, u, ctx.now()).await?);
    Ok(HttpResponse::Ok().json(body))
}

/// Change name, phone or status. Disabling ends the user's sessions at once.
#[utoipa::path(
    tag = "users",
    params(("id" = UserId, Path, description = "User id")),
    request_body = UserPatch,
    responses(
        (status = 200, body = UserOut),
        crate::error::JsonBodyAndId,
        crate::error::Unauthenticated,
        (status = 403, description = "`permission_denied` (needs `users.manage`)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such user in this tenant", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "`cannot_disable_self` or `last_administrator`", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = crate::error::Problem, content_type = "application/problem+json"),
        crate::error::DatabaseUnavailable,
    )
)]
#[patch("/users/{id}")]
async fn update_user(
    state: web::Data<AppState>,
    req: HttpRequest,
    ctx: TenantCtx,
    id: web::Path<UserId>,
    body: crate::http::Json<UserPatch>,
) -> ApiResult<HttpResponse> {
    ctx.require(Permission::UsersManage)?;
    let patch = body.into_inner().parse()?;
    accounts::lock_guard_rails(ctx.tx().await?, ctx.tenant_id()).await?;
    let existing = accounts::find(ctx.tx().await?, id.as_uuid()).await?;
    let now = state.clock.now();
    let mut row: user::ActiveModel = existing.clone().into();
    if let Some(name) = &patch.name {
        row.name = Set(name.as_str().into());
    }
    let mut old_phone = None;
    if let Some(phone) = &patch.phone {
        let phone = phone.as_ref().map(|p| p.as_str().to_owned());
        if phone != existing.phone {
            let (roles, _) = accounts::roles_of(ctx.tx().await?, existing.id).await?;
            accounts::phone_rule(&roles, phone.as_deref())?;
            // The phone receives SMS codes: redirecting a privileged user's
            // codes takes the right to grant privileges.
            if accounts::grants_privilege(&roles) && existing.id != ctx.user.id {
                ctx.require(Permission::RolesManage)?;
            }
            old_phone = existing.phone.clone();
            row.phone = Set(phone);
        }
    }
    let disabling =
        patch.status == Some(UserStatus::Disabled) && existing.status == UserStatus::Active;
    if let Some(status) = patch.status {
        if disabling && existing.id == ctx.user.id {
            return Err(ApiError::conflict(
                ErrorCode::CannotDisableSelf,
                "you cannot disable your own account",
            ));
        }
        row.status = Set(status);
    }
    row.updated_at = Set(now);
    let updated = row.update(ctx.tx().await?).await?;
    if disabling {
        accounts::ensure_an_administrator_remains(ctx.tx().await?).await?;
        session::revoke_all(ctx.tx().await?, existing.id, None, "user_disabled", now).await?;
    }
    let phone_changed = patch.phone.is_some() && updated.phone != existing.phone;
    if phone_changed {
        let keep = (existing.id == ctx.user.id).then_some(ctx.session_id);
        session::revoke_all(ctx.tx().await?, existing.id, keep, "phone_changed", now).await?;
    }
    let body = out(ctx.tx().await?, updated, now).await?;
    let mut event = ctx.event(
        &req,
        if disabling {
            "user.disabled"
        } else {
            "user.updated"
        },
    );
    let changed: Vec<&str> = [
        patch.name.as_ref().map(|_| "name"),
        patch.phone.as_ref().map(|_| "phone"),
        patch.status.map(|_| "status"),
    ]
    .into_iter()
    .flatten()
    .collect();
    event.details = serde_json::json!({
        "target_user_id": existing.id,
        "email": existing.email,
        "changed": changed,
    });
    ctx.record(event).await?;
    if let Some(old) = old_phone {
        let tenant = ctx.tenant_id();
        ctx.after_commit(async move {
            // Within the SMS limits too; best effort, like the notice itself.
            if crate::auth::otp::sms_allowed(&state, Some(tenant), &old)
                .await
                .is_ok()
            {
                accounts::notify_phone_changed(state.sms.as_ref(), &old).await;
            }
            Ok(())
        });
    }
    Ok(HttpResponse::Ok().json(body))
}

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_users)
        .service(create_user)
        .service(get_user)
        .service(update_user)
        .service(manage::delete_user)
        .service(manage::set_user_roles)
        .service(reset::reset_password);
}
