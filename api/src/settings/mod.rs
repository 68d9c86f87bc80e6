//! Tenant settings: the password and session policy.

pub mod policy;

use actix_web::{get, put, web, HttpResponse};

use crate::{
    auth::{PasswordChangeCtx, TenantCtx},
    error::{ApiError, ApiResult},
};
use policy::PasswordPolicy;

/// The tenant's password and session policy (any signed-in user may read it,
/// so the SPA can show the rules while a password is typed).
#[utoipa::path(
    tag = "settings",
    responses(
        (status = 200, body = PasswordPolicy),
        (status = 401, description = "No valid token or session", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/settings/password-policy")]
async fn get_policy(ctx: PasswordChangeCtx) -> ApiResult<HttpResponse> {
    let ctx = ctx.0;
    let body = ctx.policy.clone();
    ctx.commit().await?;
    Ok(HttpResponse::Ok().json(body))
}

/// Replace the policy. Bounds: length 12–128, history 0–24, maximum age
/// 0–365 days, lockout 3–20 failures for 1–1440 minutes, idle timeout 5–120
/// minutes, absolute lifetime 60–1440 minutes. The common-password check
/// always applies.
#[utoipa::path(
    tag = "settings",
    request_body = PasswordPolicy,
    responses(
        (status = 200, body = PasswordPolicy),
        (status = 400, description = "Malformed JSON", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token or session", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 403, description = "`permission_denied` (needs `settings.manage`)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not JSON", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Values out of bounds (`out_of_range` per field)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[put("/settings/password-policy")]
async fn put_policy(
    state: web::Data<crate::startup::AppState>,
    req: actix_web::HttpRequest,
    ctx: TenantCtx,
    body: web::Json<PasswordPolicy>,
) -> ApiResult<HttpResponse> {
    ctx.require("settings.manage")?;
    let new = body.into_inner();
    let errors = new.violations();
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    policy::save(&*ctx.tx, &new).await?;
    let mut event = ctx.event(&req, "settings.password_policy.changed");
    event.details = serde_json::json!({ "before": ctx.policy, "after": new });
    let tenant = ctx.tenant_id();
    ctx.commit().await?;
    state.access_log.record_durable(tenant, event).await?;
    Ok(HttpResponse::Ok().json(new))
}

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(get_policy).service(put_policy);
}
