//! Users of a tenant: listed by anyone allowed to read them, created and
//! edited by holders of `users.manage`, deleted only with `users.delete`.

pub mod manage;
pub mod service;
pub mod types;

use actix_web::{get, patch, post, web, HttpRequest, HttpResponse};
use chrono::Utc;
use sea_orm::{
    sea_query::{Expr, Func, LikeExpr},
    ActiveModelTrait,
    ActiveValue::Set,
    ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

use crate::{
    auth::{session, TenantCtx},
    entities::user,
    error::{ApiError, ApiResult},
    ids::UserId,
    me::set_password,
    startup::AppState,
    validate,
};
use types::{UserCreatedOut, UserIn, UserOut, UserPage, UserPatch, UserQuery};

pub(crate) async fn out(
    conn: &impl sea_orm::ConnectionTrait,
    u: user::Model,
) -> Result<UserOut, ApiError> {
    let mut roles = service::roles_by_user(conn, &[u.id]).await?;
    Ok(UserOut::new(
        u.clone(),
        roles.remove(&u.id).unwrap_or_default(),
        Utc::now(),
    ))
}

/// Phones are for those who manage users, and for their owners.
fn for_viewer(ctx: &TenantCtx, u: UserOut) -> UserOut {
    if ctx.can("users.manage") || u.id == ctx.user_id() {
        u
    } else {
        u.with_masked_phone()
    }
}

fn like_pattern(q: &str) -> String {
    let escaped: String = q
        .to_lowercase()
        .chars()
        .flat_map(|c| match c {
            '%' | '_' | '\\' => vec!['\\', c],
            c => vec![c],
        })
        .collect();
    format!("%{escaped}%")
}

/// List users, oldest first. Filters: `status`, `q` (part of name or email).
#[utoipa::path(
    tag = "users",
    params(UserQuery),
    responses(
        (status = 200, body = UserPage),
        (status = 401, description = "No valid token or session", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 403, description = "`permission_denied` (needs `users.read`) or `password_change_required`", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid query", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/users")]
async fn list_users(ctx: TenantCtx, query: web::Query<UserQuery>) -> ApiResult<HttpResponse> {
    ctx.require("users.read")?;
    let limit = query.limit.unwrap_or(50);
    if !(1..=100).contains(&limit) {
        return Err(ApiError::field(
            "limit",
            "out_of_range",
            "must be between 1 and 100",
        ));
    }
    let mut select = user::Entity::find()
        .order_by_asc(user::Column::Id)
        .limit(limit + 1);
    if let Some(status) = query.status {
        select = select.filter(user::Column::Status.eq(status.as_str()));
    }
    if query.q.as_deref().is_some_and(|q| q.chars().count() > 200) {
        return Err(ApiError::field(
            "q",
            "too_long",
            "must be at most 200 characters",
        ));
    }
    if let Some(q) = query.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        let pattern = like_pattern(q);
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
    if let Some(cursor) = &query.cursor {
        let after = Uuid::parse_str(cursor).map_err(|_| {
            ApiError::field("cursor", "invalid_cursor", "is not a cursor from this list")
        })?;
        select = select.filter(user::Column::Id.gt(after));
    }
    let mut users = select.all(&*ctx.tx).await?;
    let next_cursor = if users.len() as u64 > limit {
        users.truncate(limit as usize);
        users.last().map(|u| u.id.to_string())
    } else {
        None
    };
    let ids: Vec<Uuid> = users.iter().map(|u| u.id).collect();
    let mut roles = service::roles_by_user(&*ctx.tx, &ids).await?;
    let now = Utc::now();
    let items = users
        .into_iter()
        .map(|u| {
            let r = roles.remove(&u.id).unwrap_or_default();
            for_viewer(&ctx, UserOut::new(u, r, now))
        })
        .collect();
    ctx.commit().await?;
    Ok(HttpResponse::Ok().json(UserPage { items, next_cursor }))
}

/// Create a user. The answer holds a temporary password, shown only once;
/// the user must replace it at first login.
#[utoipa::path(
    tag = "users",
    request_body = UserIn,
    responses(
        (status = 201, body = UserCreatedOut),
        (status = 400, description = "Malformed JSON", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token or session", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 403, description = "`permission_denied` (needs `users.manage`)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "`email_taken`", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not JSON", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, unknown roles, or a privileged role without phone", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/users")]
async fn create_user(
    state: web::Data<AppState>,
    req: HttpRequest,
    ctx: TenantCtx,
    body: web::Json<UserIn>,
) -> ApiResult<HttpResponse> {
    ctx.require("users.manage")?;
    let input = body.into_inner();
    let errors = input.violations();
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let roles = service::roles_named(&*ctx.tx, &input.role_ids).await?;
    if !roles.is_empty() {
        ctx.require("roles.manage")?;
    }
    let phone = input.phone.as_deref().map(str::trim).map(str::to_owned);
    service::phone_rule(&roles, phone.as_deref())?;
    let email_key = validate::email_key(&input.email);
    if user::Entity::find()
        .filter(user::Column::EmailKey.eq(email_key.clone()))
        .one(&*ctx.tx)
        .await?
        .is_some()
    {
        return Err(ApiError::conflict(
            "email_taken",
            "a user with this email already exists",
        ));
    }
    let temporary = service::temporary_password(&ctx.policy);
    let tenant = ctx.tenant_id();
    let mut event = ctx.event(&req, "user.created");
    // Hashing takes a while: hold no database connection meanwhile.
    ctx.commit().await?;
    let hash = state.passwords.hash(temporary.clone()).await?;

    let tx = state.db.tenant_tx(tenant).await?;
    let now = Utc::now();
    let id = Uuid::now_v7();
    user::ActiveModel {
        id: Set(id),
        email: Set(input.email.trim().to_owned()),
        email_key: Set(email_key),
        name: Set(input.name.trim().to_owned()),
        phone: Set(phone),
        password_hash: Set(String::new()),
        status: Set("active".into()),
        password_change_required: Set(true),
        password_changed_at: Set(now),
        created_at: Set(now),
        updated_at: Set(now),
        failed_logins: Set(0),
        locked_until: Set(None),
    }
    .insert(&*tx)
    .await
    .map_err(|e| match e.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => {
            ApiError::conflict("email_taken", "a user with this email already exists")
        }
        _ => e.into(),
    })?;
    set_password(&*tx, id, hash, true, now).await?;
    service::replace_roles(&*tx, id, &roles).await?;
    let user = out(&*tx, service::find(&*tx, id).await?).await?;
    tx.commit().await?;
    event.details = serde_json::json!({
        "target_user_id": id,
        "email": user.email,
        "roles": user.roles.iter().map(|r| r.name.clone()).collect::<Vec<_>>(),
    });
    state.access_log.record_durable(tenant, event).await?;
    Ok(HttpResponse::Created().json(UserCreatedOut {
        user,
        temporary_password: temporary,
    }))
}

/// One user.
#[utoipa::path(
    tag = "users",
    params(("id" = UserId, Path, description = "User id")),
    responses(
        (status = 200, body = UserOut),
        (status = 400, description = "The id is not a UUID", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token or session", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 403, description = "`permission_denied` (needs `users.read`)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such user in this tenant", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/users/{id}")]
async fn get_user(ctx: TenantCtx, id: web::Path<UserId>) -> ApiResult<HttpResponse> {
    ctx.require("users.read")?;
    let u = service::find(&*ctx.tx, id.as_uuid()).await?;
    let body = for_viewer(&ctx, out(&*ctx.tx, u).await?);
    ctx.commit().await?;
    Ok(HttpResponse::Ok().json(body))
}

/// Change name, phone or status. Disabling ends the user's sessions at once.
#[utoipa::path(
    tag = "users",
    params(("id" = UserId, Path, description = "User id")),
    request_body = UserPatch,
    responses(
        (status = 200, body = UserOut),
        (status = 400, description = "Malformed JSON or id", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token or session", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 403, description = "`permission_denied` (needs `users.manage`)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such user in this tenant", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "`cannot_disable_self` or `last_administrator`", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not JSON", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/users/{id}")]
async fn update_user(
    state: web::Data<AppState>,
    req: HttpRequest,
    ctx: TenantCtx,
    id: web::Path<UserId>,
    body: web::Json<UserPatch>,
) -> ApiResult<HttpResponse> {
    ctx.require("users.manage")?;
    let patch = body.into_inner();
    let errors = patch.violations();
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    service::lock_guard_rails(&*ctx.tx, ctx.tenant_id()).await?;
    let existing = service::find(&*ctx.tx, id.as_uuid()).await?;
    let now = Utc::now();
    let mut row: user::ActiveModel = existing.clone().into();
    if let Some(name) = &patch.name {
        row.name = Set(name.trim().to_owned());
    }
    let mut old_phone = None;
    if let Some(phone) = &patch.phone {
        let phone = phone.as_deref().map(str::trim).map(str::to_owned);
        if phone != existing.phone {
            let (roles, _) = crate::auth::context::roles_of(&*ctx.tx, existing.id).await?;
            service::phone_rule(&roles, phone.as_deref())?;
            // The phone receives SMS codes: redirecting a privileged user's
            // codes takes the right to grant privileges.
            if service::grants_privilege(&roles) && existing.id != ctx.user.id {
                ctx.require("roles.manage")?;
            }
            old_phone = existing.phone.clone();
            row.phone = Set(phone);
        }
    }
    let disabling =
        patch.status == Some(types::UserStatus::Disabled) && existing.status == "active";
    if let Some(status) = patch.status {
        if disabling && existing.id == ctx.user.id {
            return Err(ApiError::conflict(
                "cannot_disable_self",
                "you cannot disable your own account",
            ));
        }
        row.status = Set(status.as_str().to_owned());
    }
    row.updated_at = Set(now);
    let updated = row.update(&*ctx.tx).await?;
    if disabling {
        service::ensure_an_administrator_remains(&*ctx.tx).await?;
        session::revoke_all(&*ctx.tx, existing.id, None, "user_disabled", now).await?;
    }
    let phone_changed = patch.phone.is_some() && updated.phone != existing.phone;
    if phone_changed {
        let keep = (existing.id == ctx.user.id).then_some(ctx.session_id);
        session::revoke_all(&*ctx.tx, existing.id, keep, "phone_changed", now).await?;
    }
    let body = out(&*ctx.tx, updated).await?;
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
    let tenant = ctx.tenant_id();
    ctx.commit().await?;
    state.access_log.record_durable(tenant, event).await?;
    if let Some(old) = old_phone {
        service::notify_phone_changed(state.sms.as_ref(), &old).await;
    }
    Ok(HttpResponse::Ok().json(body))
}

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_users)
        .service(create_user)
        .service(get_user)
        .service(update_user)
        .service(manage::delete_user)
        .service(manage::set_user_roles);
}
