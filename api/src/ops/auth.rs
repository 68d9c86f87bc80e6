//! Operator login: email + password, then the SMS code, always.

use actix_web::{post, web, HttpMessage, HttpRequest, HttpResponse};
use chrono::{DateTime, Duration, Utc};
use sea_orm::{sea_query::Expr, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::context::{OPS_ABSOLUTE, OPS_IDLE};

/// Operators have no refresh token: their access token lives 15 minutes
/// whatever `CREPO_ACCESS_TOKEN_TTL_SECS` says, and then they sign in again.
const OPS_ACCESS_TTL_SECS: i64 = 900;
use crate::{
    audit::{self, Actor, Entry},
    auth::{
        login::{invalid_credentials, MFA_TOKEN_TTL},
        origin, otp,
        session::{self, Limits, TokensOut},
        types::{MfaIn, MfaRequiredOut},
    },
    entities::platform::operator::{self, OperatorStatus},
    error::{ApiError, ApiResult},
    http::ClientAddr,
    state::AppState,
    telemetry::RequestId,
    throttle,
    tokens::{MfaClaims, AUD_OPS, AUD_OPS_MFA, ISSUER},
    values::Email,
};

const LOCKOUT_THRESHOLD: i32 = 10;
const LOCKOUT: Duration = Duration::minutes(15);

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OpsLoginIn {
    #[schema(max_length = 254)]
    pub email: String,
    #[schema(format = Password, max_length = 1024)]
    pub password: String,
}

async fn record(
    state: &AppState,
    req: &HttpRequest,
    client: ClientAddr,
    who: Option<&operator::Model>,
    action: &str,
    details: serde_json::Value,
) -> Result<(), ApiError> {
    let request_id = req.extensions().get::<RequestId>().map(|r| r.0.clone());
    audit::append(
        &state.db,
        Entry {
            at: state.clock.now(),
            actor: match who {
                Some(o) => Actor::Operator {
                    id: o.id,
                    email: &o.email,
                },
                None => Actor::Anonymous,
            },
            action,
            target: None,
            details,
            ip: Some(client.0.to_string()),
            request_id,
        },
    )
    .await
}

async fn record_failure(
    conn: &impl ConnectionTrait,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let reaches =
        Expr::expr(Expr::col(operator::Column::FailedLogins).add(1)).gte(LOCKOUT_THRESHOLD);
    operator::Entity::update_many()
        .col_expr(
            operator::Column::LockedUntil,
            Expr::case(reaches.clone(), Expr::value(now + LOCKOUT))
                .finally(Expr::col(operator::Column::LockedUntil))
                .into(),
        )
        .col_expr(
            operator::Column::FailedLogins,
            Expr::case(reaches, Expr::value(0))
                .finally(Expr::col(operator::Column::FailedLogins).add(1))
                .into(),
        )
        .filter(operator::Column::Id.eq(id))
        .exec(conn)
        .await?;
    Ok(())
}

/// Operator login, step one: the answer is always a request for the SMS code.
#[utoipa::path(
    tag = "ops",
    operation_id = "ops_login",
    security(()),
    request_body = OpsLoginIn,
    responses(
        (status = 200, description = "A code was texted", body = MfaRequiredOut),
        crate::error::JsonBody,
        (status = 401, description = "`invalid_credentials`", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid body", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many attempts or codes", body = crate::error::Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
        (status = 503, description = "Database or SMS provider unavailable", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/ops/auth/login")]
pub async fn ops_login(
    state: web::Data<AppState>,
    req: HttpRequest,
    client: ClientAddr,
    body: crate::http::Json<OpsLoginIn>,
) -> ApiResult<HttpResponse> {
    throttle::hit(
        &state.db,
        &throttle::client_key("ops-login", client.0),
        state.settings.login_limit,
        state.clock.now(),
    )
    .await?;
    let now = state.clock.now();
    let input = body.into_inner();
    let db = state.db.platform();
    let found = operator::Entity::find()
        .filter(operator::Column::EmailKey.eq(Email::key_of(&input.email)))
        .one(db)
        .await?;
    let usable = found.filter(|o| o.locked_until.is_none_or(|t| t <= now));
    let Some(op) = usable else {
        state
            .passwords
            .verify(input.password, state.dummy_hash.clone())
            .await?;
        record(
            &state,
            &req,
            client,
            None,
            "operator.login.failed",
            serde_json::json!({ "email": crate::text::escape_for_log(&input.email) }),
        )
        .await?;
        return Err(invalid_credentials());
    };
    if !state
        .passwords
        .verify(input.password, op.password_hash.clone())
        .await?
        || op.status != OperatorStatus::Active
    {
        record_failure(db, op.id, now).await?;
        record(
            &state,
            &req,
            client,
            Some(&op),
            "operator.login.failed",
            serde_json::json!({}),
        )
        .await?;
        return Err(invalid_credentials());
    }
    let cleared = operator::Entity::update_many()
        .col_expr(operator::Column::FailedLogins, Expr::value(0))
        .filter(operator::Column::Id.eq(op.id))
        .filter(
            sea_orm::Condition::any()
                .add(operator::Column::LockedUntil.is_null())
                .add(operator::Column::LockedUntil.lte(now)),
        )
        .exec(db)
        .await?;
    if cleared.rows_affected != 1 {
        return Err(invalid_credentials());
    }
    let (challenge, code) = state
        .db
        .in_platform(async |txn| otp::start(txn, &state.keys, op.id, now).await)
        .await?;
    otp::deliver(&state, None, &op.phone, code).await?;
    let token = state.keys.sign(&MfaClaims {
        iss: ISSUER.into(),
        aud: AUD_OPS_MFA.into(),
        sub: op.id,
        tid: None,
        cid: challenge,
        jti: Uuid::new_v4(),
        iat: now.timestamp(),
        exp: (now + MFA_TOKEN_TTL).timestamp(),
    })?;
    record(
        &state,
        &req,
        client,
        Some(&op),
        "operator.code.sent",
        serde_json::json!({}),
    )
    .await?;
    Ok(HttpResponse::Ok().json(MfaRequiredOut {
        mfa_required: true,
        mfa_token: token,
        phone_masked: otp::mask_phone(&op.phone),
        code_expires_in: otp::CODE_TTL.num_seconds(),
        resend_after: otp::RESEND_COOLDOWN.num_seconds(),
    }))
}

/// Operator login, step two: the SMS code. Operator tokens have no refresh
/// token; log in again when the session ends.
#[utoipa::path(
    tag = "ops",
    operation_id = "ops_mfa",
    security(()),
    request_body = MfaIn,
    responses(
        (status = 200, description = "An operator access token", body = TokensOut),
        crate::error::JsonBody,
        (status = 401, description = "`invalid_code`, `code_expired`, `code_used`, `code_locked` or `invalid_token`", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid body", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many attempts from this address", body = crate::error::Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
        crate::error::DatabaseUnavailable,
    )
)]
#[post("/ops/auth/mfa")]
pub async fn ops_mfa(
    state: web::Data<AppState>,
    req: HttpRequest,
    client: ClientAddr,
    body: crate::http::Json<MfaIn>,
) -> ApiResult<HttpResponse> {
    throttle::hit(
        &state.db,
        &throttle::client_key("ops-login", client.0),
        state.settings.login_limit,
        state.clock.now(),
    )
    .await?;
    let claims: MfaClaims = state.keys.verify(&body.mfa_token, AUD_OPS_MFA)?;
    let now = state.clock.now();
    let db = state.db.platform();
    let op = operator::Entity::find_by_id(claims.sub)
        .one(db)
        .await?
        .filter(|o| o.status == OperatorStatus::Active)
        .ok_or_else(invalid_credentials)?;
    // A wrong code still counts: the step commits, then the request fails.
    let verified = state
        .db
        .in_platform(async |txn| {
            let code = body.code.trim();
            Ok::<_, ApiError>(otp::verify(txn, &state.keys, claims.cid, op.id, code, now).await)
        })
        .await?;
    if let Err(e) = verified {
        record(
            &state,
            &req,
            client,
            Some(&op),
            "operator.code.failed",
            serde_json::json!({ "reason": e.code() }),
        )
        .await?;
        return Err(e);
    }
    let limits = Limits {
        idle: OPS_IDLE,
        absolute: OPS_ABSOLUTE,
    };
    let s = session::create(db, op.id, limits, &origin(&req, client), now).await?;
    record(
        &state,
        &req,
        client,
        Some(&op),
        "operator.login.succeeded",
        serde_json::json!({ "session_id": s.id }),
    )
    .await?;
    Ok(HttpResponse::Ok().json(TokensOut {
        access_token: session::access_token(
            &state.keys,
            AUD_OPS,
            op.id,
            None,
            s.id,
            now,
            OPS_ACCESS_TTL_SECS,
        )?,
        session_expires_at: Some(s.expires_at),
        refresh_token: None,
        token_type: "Bearer".into(),
        expires_in: OPS_ACCESS_TTL_SECS,
        password_change_required: false,
    }))
}
