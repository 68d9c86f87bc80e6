//! Ending the service (CLD.8.1.5). A tenant administrator asks for it with
//! the current password, the organisation's slug typed out and an SMS code;
//! the provider's operators carry it out ([`erase`]) by the date the
//! request names, and the request can be withdrawn until then.

pub mod erase;

use actix_web::{delete, get, post, web, HttpRequest, HttpResponse};
use chrono::{DateTime, Duration, Utc};
use sea_orm::{sea_query::Expr, ColumnTrait, EntityTrait, QueryFilter};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{
    access::Permission,
    auth::{challenge, otp, TenantCtx},
    entities::platform::tenant,
    error::{ApiError, ApiResult, ErrorCode},
    state::AppState,
    throttle,
};

const AUDIENCE: &str = "termination";

#[derive(Debug, Clone, Copy, Serialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum TerminationStatus {
    None,
    Requested,
}

#[derive(Serialize, ToSchema)]
pub struct TerminationOut {
    pub status: TerminationStatus,
    pub requested_at: Option<DateTime<Utc>>,
    pub requested_by_email: Option<String>,
    /// The date by which the provider deletes everything.
    pub deletion_due_at: Option<DateTime<Utc>>,
    /// Days between a request and the deletion.
    pub grace_days: i64,
    /// What the administrator must type to confirm.
    pub slug: String,
}

fn out(
    state: &AppState,
    slug: &str,
    at: Option<DateTime<Utc>>,
    by: Option<String>,
) -> TerminationOut {
    let grace = Duration::from_std(state.settings.termination_grace).unwrap_or(Duration::days(30));
    TerminationOut {
        status: if at.is_some() {
            TerminationStatus::Requested
        } else {
            TerminationStatus::None
        },
        requested_at: at,
        requested_by_email: by,
        deletion_due_at: at.map(|a| a + grace),
        grace_days: grace.num_days(),
        slug: slug.to_owned(),
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TerminationChallengeIn {
    #[schema(format = Password, max_length = 1024)]
    pub current_password: String,
    /// The organisation's slug, typed out.
    #[schema(max_length = 64)]
    pub confirm_slug: String,
}

#[derive(Serialize, ToSchema)]
pub struct TerminationChallengeOut {
    /// Send it back with the code to `POST /termination`.
    pub challenge_token: String,
    pub phone_masked: String,
    pub code_expires_in: i64,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TerminationIn {
    pub challenge_token: String,
    #[schema(max_length = 16)]
    pub code: String,
}

/// The organisation's termination request, if any.
#[utoipa::path(
    tag = "termination",
    responses(
        (status = 200, body = TerminationOut),
        crate::error::Unauthenticated,
        (status = 403, description = "`permission_denied` (needs `settings.manage`)", body = crate::error::Problem, content_type = "application/problem+json"),
        crate::error::DatabaseUnavailable,
    )
)]
#[get("/termination")]
async fn get_termination(state: web::Data<AppState>, ctx: TenantCtx) -> ApiResult<HttpResponse> {
    ctx.require(Permission::SettingsManage)?;
    let t = &ctx.tenant;
    Ok(HttpResponse::Ok().json(out(
        &state,
        &t.slug,
        t.termination_requested_at,
        t.termination_requested_by.clone(),
    )))
}

/// Start a termination request: the current password and the slug typed
/// out, then a code texted to your phone.
#[utoipa::path(
    tag = "termination",
    request_body = TerminationChallengeIn,
    responses(
        (status = 202, body = TerminationChallengeOut),
        crate::error::JsonBody,
        crate::error::Unauthenticated,
        (status = 403, description = "`permission_denied` (needs `settings.manage`), or `phone_not_allowed`", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "`termination_requested`: already requested", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "`current_password` `incorrect`, `confirm_slug` `mismatch`, or `phone_required`", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many attempts or texts", body = crate::error::Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds until the next attempt is allowed"))),
        crate::error::DatabaseUnavailable,
    )
)]
#[post("/termination/challenge")]
async fn start_termination(
    state: web::Data<AppState>,
    ctx: TenantCtx,
    body: crate::http::Json<TerminationChallengeIn>,
) -> ApiResult<HttpResponse> {
    ctx.require(Permission::SettingsManage)?;
    let body = body.into_inner();
    let now = ctx.now();
    throttle::hit(
        &state.db,
        &format!("termination:{}", ctx.user.id),
        crate::me::PASSWORD_CHANGE_LIMIT,
        now,
    )
    .await?;
    if ctx.tenant.termination_requested_at.is_some() {
        return Err(ApiError::conflict(
            ErrorCode::TerminationRequested,
            "termination is already requested; withdraw it first",
        ));
    }
    if !state
        .passwords
        .verify(body.current_password, ctx.user.password_hash.clone())
        .await?
    {
        return Err(ApiError::field(
            "current_password",
            "incorrect",
            "the current password is wrong",
        ));
    }
    if body.confirm_slug.trim() != ctx.tenant.slug {
        return Err(ApiError::field(
            "confirm_slug",
            "mismatch",
            format!("type the organisation's slug `{}` exactly", ctx.tenant.slug),
        ));
    }
    let Some(phone) = ctx.user.phone.clone() else {
        return Err(ApiError::Rule {
            code: ErrorCode::PhoneRequired,
            detail: "a termination needs an SMS code: add a phone to your account first".into(),
            errors: Vec::new(),
        });
    };
    otp::sms_allowed(&state, Some(ctx.tenant_id()), &phone).await?;
    let (challenge, code) = otp::start(ctx.tx().await?, &state.keys, ctx.user.id, now).await?;
    let token = challenge::issue(&state.keys, &ctx, AUDIENCE, challenge, None, now)?;

    let (st, to) = (state.clone(), phone.clone());
    ctx.after_commit(async move { otp::send_code(&st, &to, code).await });
    Ok(HttpResponse::Accepted().json(TerminationChallengeOut {
        challenge_token: token,
        phone_masked: otp::mask_phone(&phone),
        code_expires_in: otp::CODE_TTL.num_seconds(),
    }))
}

/// Request termination with the texted code. Everything is deleted by
/// `deletion_due_at`; until then the request can be withdrawn.
#[utoipa::path(
    tag = "termination",
    request_body = TerminationIn,
    responses(
        (status = 202, body = TerminationOut),
        crate::error::JsonBody,
        (status = 401, description = "`invalid_code`, `code_expired`, `code_used` or `code_locked` (or the caller's own token)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 403, description = "`permission_denied` (needs `settings.manage`)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "`termination_requested`: already requested", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid body, or `challenge_token` `invalid` (expired, or another user's)", body = crate::error::Problem, content_type = "application/problem+json"),
        crate::error::DatabaseUnavailable,
    )
)]
#[post("/termination")]
async fn request_termination(
    state: web::Data<AppState>,
    req: HttpRequest,
    ctx: TenantCtx,
    body: crate::http::Json<TerminationIn>,
) -> ApiResult<HttpResponse> {
    ctx.require(Permission::SettingsManage)?;
    let claims = challenge::check(
        &state.keys,
        &ctx,
        &body.challenge_token,
        AUDIENCE,
        "challenge_token",
    )?;
    // Stored to the millisecond, as both engines keep it.
    let now = crate::clock::truncate_to_millis(ctx.now());
    otp::verify(
        ctx.tx().await?,
        &state.keys,
        claims.cid,
        ctx.user.id,
        body.code.trim(),
        now,
    )
    .await?;
    let marked = tenant::Entity::update_many()
        .col_expr(
            tenant::Column::TerminationRequestedAt,
            Expr::value(Some(now)),
        )
        .col_expr(
            tenant::Column::TerminationRequestedBy,
            Expr::value(Some(ctx.user.email.clone())),
        )
        .filter(tenant::Column::Id.eq(ctx.tenant_id().as_uuid()))
        .filter(tenant::Column::TerminationRequestedAt.is_null())
        .exec(state.db.platform())
        .await?;
    if marked.rows_affected == 0 {
        return Err(ApiError::conflict(
            ErrorCode::TerminationRequested,
            "termination is already requested",
        ));
    }
    let answer = out(
        &state,
        &ctx.tenant.slug,
        Some(now),
        Some(ctx.user.email.clone()),
    );
    let mut event = ctx.event(&req, "tenant.termination.requested");
    event.details = serde_json::json!({ "deletion_due_at": answer.deletion_due_at });
    ctx.record(event).await?;
    Ok(HttpResponse::Accepted().json(answer))
}

/// Withdraw the termination request.
#[utoipa::path(
    tag = "termination",
    responses(
        (status = 200, body = TerminationOut),
        crate::error::Unauthenticated,
        (status = 403, description = "`permission_denied` (needs `settings.manage`)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "`no_termination_request`", body = crate::error::Problem, content_type = "application/problem+json"),
        crate::error::DatabaseUnavailable,
    )
)]
#[delete("/termination")]
async fn withdraw_termination(
    state: web::Data<AppState>,
    req: HttpRequest,
    ctx: TenantCtx,
) -> ApiResult<HttpResponse> {
    ctx.require(Permission::SettingsManage)?;
    let cleared = tenant::Entity::update_many()
        .col_expr(
            tenant::Column::TerminationRequestedAt,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(
            tenant::Column::TerminationRequestedBy,
            Expr::value(Option::<String>::None),
        )
        .filter(tenant::Column::Id.eq(ctx.tenant_id().as_uuid()))
        .filter(tenant::Column::TerminationRequestedAt.is_not_null())
        .exec(state.db.platform())
        .await?;
    if cleared.rows_affected == 0 {
        return Err(ApiError::conflict(
            ErrorCode::NoTerminationRequest,
            "there is no termination request to withdraw",
        ));
    }
    ctx.record(ctx.event(&req, "tenant.termination.withdrawn"))
        .await?;
    Ok(HttpResponse::Ok().json(out(&state, &ctx.tenant.slug, None, None)))
}

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(get_termination)
        .service(start_termination)
        .service(request_termination)
        .service(withdraw_termination);
}
