//! Changing one's own phone, the second factor of privileged sign-ins: the
//! current password first, then a code texted to the new number, which
//! becomes the factor only once that code is entered (so no one can move
//! someone's codes to a phone they have not proved they hold).

use actix_web::{post, web, HttpRequest, HttpResponse};
use sea_orm::{ActiveModelTrait, ActiveValue::Set};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{
    accounts,
    auth::{challenge, otp, session, TenantCtx},
    entities::tenant::user,
    error::{ApiError, ApiResult},
    state::AppState,
    throttle,
    values::Phone,
};

const PHONE_AUDIENCE: &str = "phone";

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PhoneChangeIn {
    /// The new number (E.164, e.g. `+819012345678`).
    #[schema(example = "+819012345678", pattern = "^\\+[1-9][0-9]{6,14}$")]
    pub phone: String,
    #[schema(format = Password, max_length = 1024)]
    pub current_password: String,
}

#[derive(Serialize, ToSchema)]
pub struct PhoneChallengeOut {
    /// Send it back with the code to `POST /me/phone/confirm`.
    pub phone_token: String,
    pub phone_masked: String,
    pub code_expires_in: i64,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PhoneConfirmIn {
    pub phone_token: String,
    #[schema(max_length = 16)]
    pub code: String,
}

#[derive(Serialize, ToSchema)]
pub struct PhoneChangedOut {
    pub phone_masked: String,
}

/// Start changing your phone: the current password, then a code texted to
/// the new number (nothing changes until it is entered).
#[utoipa::path(
    tag = "me",
    request_body = PhoneChangeIn,
    responses(
        (status = 202, body = PhoneChallengeOut),
        crate::error::JsonBody,
        crate::error::Unauthenticated,
        (status = 403, description = "`phone_not_allowed`: a number range never texted", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "An invalid phone, or `current_password` `incorrect`", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many attempts or texts", body = crate::error::Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
        crate::error::DatabaseUnavailable,
    )
)]
#[post("/me/phone")]
async fn start_phone_change(
    state: web::Data<AppState>,
    ctx: TenantCtx,
    body: crate::http::Json<PhoneChangeIn>,
) -> ApiResult<HttpResponse> {
    let body = body.into_inner();
    let now = ctx.now();
    throttle::hit(
        &state.db,
        &format!("phone-change:{}", ctx.user.id),
        super::PASSWORD_CHANGE_LIMIT,
        now,
    )
    .await?;
    let phone = Phone::parse("phone", &body.phone).map_err(|e| ApiError::Validation(vec![e]))?;
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
    otp::sms_allowed(&state, Some(ctx.tenant_id()), phone.as_str()).await?;
    let (challenge, code) = otp::start(ctx.tx().await?, &state.keys, ctx.user.id, now).await?;
    let token = challenge::issue(
        &state.keys,
        &ctx,
        PHONE_AUDIENCE,
        challenge,
        Some(phone.as_str().to_owned()),
        now,
    )?;

    let to = phone.as_str().to_owned();
    let state2 = state.clone();
    ctx.after_commit(async move { otp::send_code(&state2, &to, code).await });
    Ok(HttpResponse::Accepted().json(PhoneChallengeOut {
        phone_token: token,
        phone_masked: otp::mask_phone(phone.as_str()),
        code_expires_in: otp::CODE_TTL.num_seconds(),
    }))
}

/// Finish changing your phone with the code texted to the new number: it
/// becomes your phone, your other sessions end, and the old number is told.
#[utoipa::path(
    tag = "me",
    request_body = PhoneConfirmIn,
    responses(
        (status = 200, body = PhoneChangedOut),
        crate::error::JsonBody,
        (status = 401, description = "`invalid_code`, `code_expired`, `code_used` or `code_locked`", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid body, or `phone_token` `invalid` (expired, or another user's)", body = crate::error::Problem, content_type = "application/problem+json"),
        crate::error::DatabaseUnavailable,
    )
)]
#[post("/me/phone/confirm")]
async fn confirm_phone_change(
    state: web::Data<AppState>,
    req: HttpRequest,
    ctx: TenantCtx,
    body: crate::http::Json<PhoneConfirmIn>,
) -> ApiResult<HttpResponse> {
    let claims = challenge::check(
        &state.keys,
        &ctx,
        &body.phone_token,
        PHONE_AUDIENCE,
        "phone_token",
    )?;
    let Some(new_phone) = claims.phone.clone() else {
        return Err(ApiError::field(
            "phone_token",
            "invalid",
            "the token names no phone: start again",
        ));
    };
    let now = ctx.now();
    let tx = ctx.tx().await?;
    otp::verify(
        tx,
        &state.keys,
        claims.cid,
        ctx.user.id,
        body.code.trim(),
        now,
    )
    .await?;
    let old = ctx.user.phone.clone();
    user::ActiveModel {
        id: Set(ctx.user.id),
        phone: Set(Some(new_phone.clone())),
        updated_at: Set(now),
        ..Default::default()
    }
    .update(tx)
    .await?;
    session::revoke_all(tx, ctx.user.id, Some(ctx.session_id), "phone_changed", now).await?;
    let mut event = ctx.event(&req, "user.phone.changed");
    event.details = serde_json::json!({ "target_user_id": ctx.user.id, "self": true });
    ctx.record(event).await?;
    if let Some(old) = old.filter(|o| *o != new_phone) {
        let tenant = ctx.tenant_id();
        ctx.after_commit(async move {
            if otp::sms_allowed(&state, Some(tenant), &old).await.is_ok() {
                accounts::notify_phone_changed(state.sms.as_ref(), &old).await;
            }
            Ok(())
        });
    }
    Ok(HttpResponse::Ok().json(PhoneChangedOut {
        phone_masked: otp::mask_phone(&new_phone),
    }))
}

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(start_phone_change)
        .service(confirm_phone_change);
}
