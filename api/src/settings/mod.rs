//! Tenant settings: the password and session policy, the security contacts.

mod contacts;

use actix_web::{get, put, HttpResponse};

use crate::passwords::policy::{self, PasswordPolicy};
use crate::{
    access::Permission,
    auth::{PasswordChangeCtx, TenantCtx},
    error::ApiResult,
};
use validator::Validate;

/// The tenant's password and session policy (any signed-in user may read it,
/// so the SPA can show the rules while a password is typed).
#[utoipa::path(
    tag = "settings",
    responses(
        (status = 200, body = PasswordPolicy),
        crate::error::Unauthenticated,
        crate::error::DatabaseUnavailable,
    )
)]
#[get("/settings/password-policy")]
async fn get_policy(ctx: PasswordChangeCtx) -> ApiResult<HttpResponse> {
    let ctx = ctx.0;
    let body = ctx.policy.clone();
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
        crate::error::JsonBody,
        crate::error::Unauthenticated,
        (status = 403, description = "`permission_denied` (needs `settings.manage`)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Values out of bounds (`out_of_range` per field)", body = crate::error::Problem, content_type = "application/problem+json"),
        crate::error::DatabaseUnavailable,
    )
)]
#[put("/settings/password-policy")]
async fn put_policy(
    req: actix_web::HttpRequest,
    ctx: TenantCtx,
    body: crate::http::Json<PasswordPolicy>,
) -> ApiResult<HttpResponse> {
    ctx.require(Permission::SettingsManage)?;
    let new = body.into_inner();
    new.validate()?;
    policy::save(ctx.tx().await?, &new, ctx.now()).await?;
    let mut event = ctx.event(&req, "settings.password_policy.changed");
    event.details = serde_json::json!({ "before": ctx.policy, "after": new });
    ctx.record(event).await?;
    Ok(HttpResponse::Ok().json(new))
}

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(get_policy)
        .service(put_policy)
        .service(contacts::get_contacts)
        .service(contacts::put_contacts);
}
