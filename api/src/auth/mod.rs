//! Tenant user authentication: login with an SMS code for privileged users,
//! token refresh with rotation, logout.

pub mod browser;
pub mod challenge;
pub mod context;
pub mod login;
pub mod otp;
mod principal;
mod refresh;
pub mod session;
pub mod types;

use actix_web::{post, web, HttpRequest, HttpResponse};

pub use context::{PasswordChangeCtx, TenantCtx};
use types::{LoginIn, LoginOut, MfaIn, MfaResendIn, MfaResendOut, RefreshIn};

use crate::{
    accounts,
    entities::tenant::user::{self, UserStatus},
    error::ErrorCode,
    error::{ApiError, ApiResult},
    http::ClientAddr,
    ids::TenantId,
    passwords::policy,
    state::AppState,
    throttle,
    tokens::{MfaClaims, AUD_MFA},
};
use sea_orm::EntityTrait;

pub fn origin(req: &HttpRequest, client: ClientAddr) -> session::Origin {
    session::Origin {
        ip: Some(client.0.to_string()),
        user_agent: req
            .headers()
            .get(actix_web::http::header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(crate::text::escape_for_log),
    }
}

async fn throttle_login(state: &AppState, client: ClientAddr) -> Result<(), ApiError> {
    throttle::hit(
        &state.db,
        &throttle::client_key("login", client.0),
        state.settings.login_limit,
        state.clock.now(),
    )
    .await
}

/// Log in with tenant slug, email and password. Users holding a privileged
/// permission get `{mfa_required, mfa_token}` and an SMS code instead of
/// tokens. Every failure is the same 401 `invalid_credentials`.
#[utoipa::path(
    tag = "auth",
    operation_id = "login",
    security(()),
    params(
        ("X-Crepo-Client" = Option<String>, Header, description = "`browser`: the refresh token is set in the `crepo_refresh` cookie (`HttpOnly; SameSite=Strict; Path=/api/v1/auth`, `Secure` under TLS) instead of the JSON body"),
    ),
    request_body = LoginIn,
    responses(
        (status = 200, description = "Tokens, or a request for the SMS code", body = LoginOut,
            headers(("Set-Cookie" = String, description = "Browser mode, with tokens: the refresh cookie"))),
        crate::error::JsonBody,
        (status = 401, description = "`invalid_credentials`", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 403, description = "`phone_required`: a privileged user without a phone; `tenant_suspended`: the right password for a suspended organisation", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid body", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many attempts from this address, or too many codes sent", body = crate::error::Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
        (status = 503, description = "Database or SMS provider unavailable", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/login")]
async fn post_login(
    state: web::Data<AppState>,
    req: HttpRequest,
    client: ClientAddr,
    body: crate::http::Json<LoginIn>,
) -> ApiResult<HttpResponse> {
    throttle_login(&state, client).await?;
    // The tenant's own budget, whatever the addresses (slugs are short; a
    // long made-up one is cut so the key stays small).
    let slug: String = body.tenant.trim().to_lowercase().chars().take(64).collect();
    throttle::hit(
        &state.db,
        &format!("tenant-login:{slug}"),
        state.settings.tenant_login_limit,
        state.clock.now(),
    )
    .await?;
    let base = crate::http::request_log::from_request(&req, "auth.login");
    let out = login::login(&state, body.into_inner(), origin(&req, client), base).await?;
    Ok(browser::login_response(&req, state.clock.now(), out))
}

/// The claims of an `mfa_token`, whose tenant must still be active.
async fn mfa_claims(state: &AppState, token: &str) -> Result<(MfaClaims, TenantId), ApiError> {
    let claims: MfaClaims = state.keys.verify(token, AUD_MFA)?;
    let invalid = || {
        ApiError::unauthorized(
            ErrorCode::InvalidToken,
            "the token is invalid or has expired",
        )
    };
    let tenant = claims.tid.map(TenantId).ok_or_else(invalid)?;
    state.db.active_tenant(tenant).await?.ok_or_else(invalid)?;
    Ok((claims, tenant))
}

/// Enter the SMS code: on success, the session's tokens. A code lives 5
/// minutes, works once and dies after 5 wrong tries.
#[utoipa::path(
    tag = "auth",
    security(()),
    params(
        ("X-Crepo-Client" = Option<String>, Header, description = "`browser`: the refresh token is set in the `crepo_refresh` cookie (`HttpOnly; SameSite=Strict; Path=/api/v1/auth`, `Secure` under TLS) instead of the JSON body"),
    ),
    request_body = MfaIn,
    responses(
        (status = 200, description = "Tokens (browser mode: without `refresh_token`)", body = session::TokensOut,
            headers(("Set-Cookie" = String, description = "Browser mode: the refresh cookie"))),
        crate::error::JsonBody,
        (status = 401, description = "`invalid_code`, `code_expired`, `code_used`, `code_locked` or `invalid_token`", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid body", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many attempts from this address", body = crate::error::Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
        crate::error::DatabaseUnavailable,
    )
)]
#[post("/auth/mfa")]
async fn mfa(
    state: web::Data<AppState>,
    req: HttpRequest,
    client: ClientAddr,
    body: crate::http::Json<MfaIn>,
) -> ApiResult<HttpResponse> {
    throttle_login(&state, client).await?;
    let (claims, tenant) = mfa_claims(&state, &body.mfa_token).await?;
    let now = state.clock.now();
    let origin = origin(&req, client);
    // A wrong code still counts: its transaction commits, then the request fails.
    let (u, outcome) = state
        .db
        .in_tenant(tenant, async |tx| {
            let u = user::Entity::find_by_id(claims.sub).one(tx).await?;
            let code = body.code.trim();
            if let Err(e) = otp::verify(tx, &state.keys, claims.cid, claims.sub, code, now).await {
                return Ok((u, Err(e)));
            }
            let active = u
                .clone()
                .filter(|u| u.status == UserStatus::Active)
                .ok_or_else(login::invalid_credentials)?;
            let policy = policy::load(tx).await?;
            let tokens = login::start_session(&state, tx, &active, &policy, &origin, now).await?;
            Ok::<_, ApiError>((u, Ok(tokens)))
        })
        .await?;
    let event = |name: &str, details: serde_json::Value| crate::logbook::NewEntry {
        user_id: u.as_ref().map(|u| u.id),
        user_email: u.as_ref().map(|u| u.email.clone()),
        details,
        ..crate::http::request_log::from_request(&req, name)
    };
    let tokens = match outcome {
        Ok(tokens) => tokens,
        Err(e) => {
            let failed = event(
                "auth.code.failed",
                serde_json::json!({ "reason": e.code() }),
            );
            state.access_log.record_durable(tenant, failed).await?;
            return Err(e);
        }
    };
    let change_required = u.as_ref().is_some_and(|u| u.password_change_required);
    state
        .access_log
        .record_durable(tenant, event("auth.code.verified", serde_json::json!({})))
        .await?;
    let succeeded = event(
        "auth.login.succeeded",
        serde_json::json!({ "mfa": true, "password_change_required": change_required }),
    );
    state.access_log.record_durable(tenant, succeeded).await?;
    Ok(browser::tokens_response(&req, now, tokens))
}

/// Send a new code for the same login (the previous code stops working). At
/// least 30 seconds apart and at most 5 codes an hour per user.
#[utoipa::path(
    tag = "auth",
    security(()),
    request_body = MfaResendIn,
    responses(
        (status = 202, description = "A new code was sent", body = MfaResendOut),
        crate::error::JsonBody,
        (status = 401, description = "`invalid_token`, `code_used` or `code_locked`", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid body", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 429, description = "Cooldown or hourly cap reached", body = crate::error::Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
        (status = 503, description = "Database or SMS provider unavailable", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/mfa/resend")]
async fn mfa_resend(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: crate::http::Json<MfaResendIn>,
) -> ApiResult<HttpResponse> {
    let (claims, tenant) = mfa_claims(&state, &body.mfa_token).await?;
    let now = state.clock.now();
    let (u, phone, code) = state
        .db
        .in_tenant(tenant, async |tx| {
            let u = accounts::active_user(tx, claims.sub)
                .await?
                .ok_or_else(login::invalid_credentials)?;
            let phone = u.phone.clone().ok_or_else(login::invalid_credentials)?;
            let code = otp::resend(tx, &state.keys, claims.cid, u.id, now).await?;
            Ok::<_, ApiError>((u, phone, code))
        })
        .await?;
    let sent = crate::logbook::NewEntry {
        user_id: Some(u.id),
        user_email: Some(u.email.clone()),
        details: serde_json::json!({ "channel": "sms", "resend": true }),
        ..crate::http::request_log::from_request(&req, "auth.code.sent")
    };
    state.access_log.record_durable(tenant, sent).await?;
    otp::deliver(&state, Some(tenant), &phone, code).await?;
    Ok(HttpResponse::Accepted().json(MfaResendOut {
        phone_masked: otp::mask_phone(&phone),
        code_expires_in: otp::CODE_TTL.num_seconds(),
        resend_after: otp::RESEND_COOLDOWN.num_seconds(),
    }))
}

/// Exchange a refresh token for new tokens. The refresh token is rotated:
/// presenting a used one again revokes the whole session.
///
/// **Browser mode** (`X-Crepo-Client: browser`, as on login and `/auth/mfa`):
/// the body is `{}`, the refresh token comes from the `crepo_refresh` cookie
/// (`HttpOnly; SameSite=Strict; Path=/api/v1/auth`, `Secure` under TLS) and
/// the new one goes back in it, never in the JSON. The request must carry an
/// `Origin` equal to this server's (and `Sec-Fetch-Site: same-origin` when
/// the browser sends it), else 403 `csrf_rejected`.
#[utoipa::path(
    tag = "auth",
    security(()),
    params(
        ("X-Crepo-Client" = Option<String>, Header, description = "`browser`: the refresh token travels in the `crepo_refresh` cookie instead of the JSON body"),
        ("crepo_refresh" = Option<String>, Cookie, description = "Browser mode only: the refresh token, set by login, `/auth/mfa` and refresh"),
    ),
    request_body = RefreshIn,
    responses(
        (status = 200, description = "New tokens (browser mode: without `refresh_token`, which is set in the cookie)", body = session::TokensOut,
            headers(("Set-Cookie" = String, description = "Browser mode: `crepo_refresh=…; Path=/api/v1/auth; Max-Age=…; HttpOnly; SameSite=Strict[; Secure]`"))),
        crate::error::JsonBody,
        (status = 401, description = "`missing_token` (JSON mode without `refresh_token`), `invalid_token`, `session_expired` or `refresh_token_reused`", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 403, description = "`csrf_rejected`: browser mode from another origin or site; `tenant_suspended`: the session was ended by the organisation's suspension", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid body", body = crate::error::Problem, content_type = "application/problem+json"),
        crate::error::DatabaseUnavailable,
    )
)]
#[post("/auth/refresh")]
async fn refresh_tokens(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: crate::http::Json<RefreshIn>,
) -> ApiResult<HttpResponse> {
    let token = if browser::is_browser(&req) {
        browser::check_same_origin(&req)?;
        browser::refresh_cookie(&req).ok_or_else(|| {
            ApiError::unauthorized(
                ErrorCode::InvalidToken,
                "no refresh cookie was sent; sign in again",
            )
        })?
    } else {
        body.into_inner()
            .refresh_token
            .map(|t| t.trim().to_owned())
            .ok_or_else(|| {
                ApiError::unauthorized(
                    ErrorCode::MissingToken,
                    "send the refresh token in the body, or use the browser mode's cookie",
                )
            })?
    };
    let reuse = crate::http::request_log::from_request(&req, "auth.refresh_token.reused");
    let out = refresh::refresh(&state, &token, reuse).await?;
    Ok(browser::tokens_response(&req, state.clock.now(), out))
}

/// End this session at once: its access and refresh tokens stop working.
/// In browser mode the refresh cookie is cleared too.
#[utoipa::path(
    tag = "auth",
    params(
        ("X-Crepo-Client" = Option<String>, Header, description = "`browser`: also clear the `crepo_refresh` cookie"),
    ),
    responses(
        (status = 204, description = "Logged out",
            headers(("Set-Cookie" = String, description = "Browser mode: `crepo_refresh=; Max-Age=0`, clearing the cookie"))),
        (status = 401, description = "No valid token", body = crate::error::Problem, content_type = "application/problem+json"),
        crate::error::DatabaseUnavailable,
    )
)]
#[post("/auth/logout")]
async fn logout(
    state: web::Data<AppState>,
    req: HttpRequest,
    ctx: PasswordChangeCtx,
) -> ApiResult<HttpResponse> {
    let ctx = ctx.0;
    session::revoke(ctx.tx().await?, ctx.session_id, "logout", state.clock.now()).await?;
    ctx.record(ctx.event(&req, "auth.logout")).await?;
    let mut resp = HttpResponse::NoContent();
    if browser::is_browser(&req) {
        if let Some(clear) = browser::clear_cookie(&req) {
            resp.append_header((actix_web::http::header::SET_COOKIE, clear));
        }
    }
    Ok(resp.finish())
}

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(post_login)
        .service(mfa)
        .service(mfa_resend)
        .service(refresh_tokens)
        .service(logout);
}
