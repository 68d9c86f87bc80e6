//! The signed-in user: profile, tenant, roles, permissions; changing one's
//! own password; one's sessions.

mod phone;
mod sessions;

use actix_web::{get, put, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{
    access::Permission,
    accounts::{self, RoleRef},
    auth::{session, PasswordChangeCtx},
    error::{ApiError, ApiResult, FieldError},
    ids::{TenantId, UserId},
    passwords::policy::PasswordRulesOut,
    throttle,
};

#[derive(Serialize, ToSchema)]
pub struct MeTenant {
    pub id: TenantId,
    pub slug: String,
    pub name: String,
}

#[derive(Serialize, ToSchema)]
pub struct MeOut {
    pub id: UserId,
    pub email: String,
    pub name: String,
    pub phone: Option<String>,
    pub tenant: MeTenant,
    pub roles: Vec<RoleRef>,
    /// The union of the roles' permissions.
    pub permissions: Vec<Permission>,
    pub password_change_required: bool,
    pub password_changed_at: DateTime<Utc>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordChangeIn {
    #[schema(format = Password, max_length = 1024)]
    pub current_password: String,
    /// Must satisfy the tenant's password policy.
    #[schema(format = Password, min_length = 12, max_length = 128)]
    pub new_password: String,
}

/// Who am I: profile, tenant, roles and effective permissions. Answers even
/// while a password change is pending.
#[utoipa::path(
    tag = "me",
    responses(
        (status = 200, body = MeOut),
        crate::error::Unauthenticated,
        crate::error::DatabaseUnavailable,
    )
)]
#[get("/me")]
async fn me(ctx: PasswordChangeCtx) -> ApiResult<HttpResponse> {
    let ctx = ctx.0;
    let out = MeOut {
        id: ctx.user_id(),
        email: ctx.user.email.clone(),
        name: ctx.user.name.clone(),
        phone: ctx.user.phone.clone(),
        tenant: MeTenant {
            id: ctx.tenant_id(),
            slug: ctx.tenant.slug.clone(),
            name: ctx.tenant.name.clone(),
        },
        roles: ctx.roles.iter().map(RoleRef::from).collect(),
        permissions: ctx.permissions.iter().cloned().collect(),
        password_change_required: ctx.user.password_change_required,
        password_changed_at: ctx.user.password_changed_at,
    };
    Ok(HttpResponse::Ok().json(out))
}

/// Change one's own password. Every rule the new password breaks is listed
/// by its code (`too_short`, `missing_digit`, `reused`, `common_password` …).
/// The user's other sessions end.
#[utoipa::path(
    tag = "me",
    request_body = PasswordChangeIn,
    responses(
        (status = 204, description = "Changed; other sessions revoked"),
        crate::error::JsonBody,
        crate::error::Unauthenticated,
        (status = 422, description = "`current_password` wrong, or the new password breaks rules", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many attempts for this user; see `Retry-After`", body = crate::error::Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
        crate::error::DatabaseUnavailable,
    )
)]
#[put("/me/password")]
async fn change_password(
    req: actix_web::HttpRequest,
    ctx: PasswordChangeCtx,
    state: actix_web::web::Data<crate::state::AppState>,
    body: crate::http::Json<PasswordChangeIn>,
) -> ApiResult<HttpResponse> {
    let ctx = ctx.0;
    let body = body.into_inner();
    // A stolen access token must not become a password-guessing oracle.
    throttle::hit(
        &state.db,
        &format!("password-change:{}", ctx.user.id),
        PASSWORD_CHANGE_LIMIT,
        state.clock.now(),
    )
    .await?;
    let (tenant, user_id, session_id, policy) = (
        ctx.tenant_id(),
        ctx.user.id,
        ctx.session_id,
        ctx.policy.clone(),
    );
    let current_hash = ctx.user.password_hash.clone();
    let event = |name: &str| ctx.event(&req, name);
    let (changed, failed, locked) = (
        event("auth.password.changed"),
        event("auth.password.change_failed"),
        event("auth.account.locked"),
    );
    // Hashing takes a while: read in a short step of its own, so no database
    // connection waits on it.
    let recent = state
        .db
        .in_tenant(tenant, async |tx| {
            accounts::recent_hashes(tx, user_id, policy.history_count).await
        })
        .await?;

    if !state
        .passwords
        .verify(body.current_password.clone(), current_hash)
        .await?
    {
        // The failure counts even though the request fails.
        let now = state.clock.now();
        let now_locked = state
            .db
            .in_tenant(tenant, async |tx| {
                let locked = accounts::record_failure(tx, user_id, &policy, now).await?;
                if locked {
                    session::revoke_all(tx, user_id, None, "account_locked", now).await?;
                }
                Ok::<_, ApiError>(locked)
            })
            .await?;
        state.access_log.record_durable(tenant, failed).await?;
        if now_locked {
            state.access_log.record_durable(tenant, locked).await?;
        }
        return Err(ApiError::field(
            "current_password",
            "incorrect",
            "the current password is wrong",
        ));
    }
    let mut errors =
        policy.password_violations(&state.passwords, "new_password", &body.new_password);
    if body.new_password == body.current_password {
        errors.push(FieldError::new(
            "new_password",
            "same_as_current",
            "must differ from the current password",
        ));
    }
    if let Some(e) = policy
        .history_violation(&state.passwords, "new_password", &body.new_password, recent)
        .await?
    {
        errors.push(e);
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let hash = state.passwords.hash(body.new_password).await?;

    let now = state.clock.now();
    let tx = ctx.tx().await?;
    accounts::set_password(tx, user_id, hash, None, now).await?;
    session::revoke_all(tx, user_id, Some(session_id), "password_changed", now).await?;
    ctx.record(changed).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The tenant's rules for a new password, for the change form (readable
/// while a password change is pending).
#[utoipa::path(
    tag = "me",
    responses(
        (status = 200, body = PasswordRulesOut),
        crate::error::Unauthenticated,
        crate::error::DatabaseUnavailable,
    )
)]
#[get("/me/password-rules")]
async fn password_rules(ctx: PasswordChangeCtx) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(PasswordRulesOut::from(&ctx.0.policy)))
}

/// Wrong current passwords and changes per user per hour.
pub(crate) const PASSWORD_CHANGE_LIMIT: crate::config::RateLimit = crate::config::RateLimit {
    count: 10,
    window: std::time::Duration::from_secs(3600),
};

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(me)
        .service(change_password)
        .service(password_rules)
        .configure(sessions::routes)
        .configure(phone::routes);
}
