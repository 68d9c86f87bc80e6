//! Tenant user login: one answer for every failure, lockout in the database,
//! an SMS code for privileged users.

use chrono::{DateTime, Duration, Utc};
use sea_orm::{sea_query::Expr, ColumnTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::{
    otp,
    session::{self, Limits, Origin, TokensOut},
    types::{LoginIn, LoginOut, MfaRequiredOut},
};
use crate::{
    accounts,
    db::TenantTx,
    entities::{
        platform::tenant::TenantStatus,
        shared::session as session_entity,
        tenant::user::{self, UserStatus},
    },
    error::ApiError,
    error::ErrorCode,
    ids::TenantId,
    logbook::NewEntry,
    passwords::policy::{self, PasswordPolicy},
    state::AppState,
    tokens::{MfaClaims, AUD_MFA, AUD_TENANT, ISSUER},
    values::Email,
};

/// MFA tokens outlive a single code (resends extend the code, not the token).
pub const MFA_TOKEN_TTL: Duration = Duration::minutes(10);

pub fn invalid_credentials() -> ApiError {
    ApiError::unauthorized(
        ErrorCode::InvalidCredentials,
        "the tenant, email or password is wrong, or the account is locked",
    )
}

pub fn limits(policy: &PasswordPolicy) -> Limits {
    Limits {
        idle: Duration::minutes(i64::from(policy.session_idle_minutes)),
        absolute: Duration::minutes(i64::from(policy.session_absolute_minutes)),
    }
}

/// What a successful password check leads to.
pub async fn after_password(
    state: &AppState,
    tx: &TenantTx,
    u: &user::Model,
    policy: &PasswordPolicy,
    origin: &Origin,
    now: DateTime<Utc>,
) -> Result<(LoginOut, Option<(String, otp::PendingCode)>), ApiError> {
    let (_, perms) = crate::accounts::roles_of(tx, u.id).await?;
    let privileged = perms.iter().any(|p| p.privileged());
    if privileged {
        let phone = u.phone.as_deref().ok_or_else(|| {
            ApiError::forbidden(
                ErrorCode::PhoneRequired,
                "this account needs a phone for its SMS code; ask an administrator",
            )
        })?;
        let (challenge, code) = otp::start(tx, &state.keys, u.id, now).await?;
        let token = state.keys.sign(&MfaClaims {
            iss: ISSUER.into(),
            aud: AUD_MFA.into(),
            sub: u.id,
            tid: Some(tx.tenant().as_uuid()),
            cid: challenge,
            jti: Uuid::new_v4(),
            iat: now.timestamp(),
            exp: (now + MFA_TOKEN_TTL).timestamp(),
        })?;
        let out = LoginOut::MfaRequired(MfaRequiredOut {
            mfa_required: true,
            mfa_token: token,
            phone_masked: otp::mask_phone(phone),
            code_expires_in: otp::CODE_TTL.num_seconds(),
            resend_after: otp::RESEND_COOLDOWN.num_seconds(),
        });
        return Ok((out, Some((phone.to_owned(), code))));
    }
    let tokens = start_session(state, tx, u, policy, origin, now).await?;
    Ok((LoginOut::Tokens(tokens), None))
}

/// Opens a session for `u` and issues its tokens.
pub async fn start_session(
    state: &AppState,
    tx: &TenantTx,
    u: &user::Model,
    policy: &PasswordPolicy,
    origin: &Origin,
    now: DateTime<Utc>,
) -> Result<TokensOut, ApiError> {
    let s = session::create(tx, u.id, limits(policy), origin, now).await?;
    start_session_tokens(state, tx, u, &s, now).await
}

/// A new access token and refresh token for an existing session.
pub async fn start_session_tokens(
    state: &AppState,
    tx: &TenantTx,
    u: &user::Model,
    s: &session_entity::Model,
    now: DateTime<Utc>,
) -> Result<TokensOut, ApiError> {
    let refresh = session::issue_refresh(tx, tx.tenant(), s.id, now).await?;
    Ok(TokensOut {
        access_token: session::access_token(
            &state.keys,
            AUD_TENANT,
            u.id,
            Some(tx.tenant()),
            s.id,
            now,
            state.keys.access_ttl_secs(),
        )?,
        session_expires_at: Some(s.expires_at),
        refresh_token: Some(refresh),
        token_type: "Bearer".into(),
        expires_in: state.keys.access_ttl_secs(),
        password_change_required: u.password_change_required,
    })
}

/// Does the password need changing at this login (set by an admin, or older
/// than the policy's maximum age)?
fn must_change(u: &user::Model, policy: &PasswordPolicy, now: DateTime<Utc>) -> bool {
    u.password_change_required
        || (policy.max_age_days > 0
            && now - u.password_changed_at > Duration::days(i64::from(policy.max_age_days)))
}

/// Logs in and records what happened in the tenant's access log (after the
/// transaction, before the answer).
pub async fn login(
    state: &AppState,
    input: LoginIn,
    origin: Origin,
    base: NewEntry,
) -> Result<LoginOut, ApiError> {
    let mut log = Events {
        base,
        tenant: None,
        entries: Vec::new(),
    };
    let result = attempt(state, input, &origin, &mut log).await;
    if let Some(tenant) = log.tenant {
        for entry in log.entries {
            state.access_log.record_durable(tenant, entry).await?;
        }
    }
    let (out, code) = result?;
    if let (Some((phone, code)), Some(tenant)) = (code, log.tenant) {
        otp::deliver(state, Some(tenant), &phone, code).await?;
    }
    Ok(out)
}

/// Security events gathered during a login.
struct Events {
    base: NewEntry,
    tenant: Option<TenantId>,
    entries: Vec<NewEntry>,
}

impl Events {
    fn push(
        &mut self,
        event: &str,
        user: Option<&user::Model>,
        email: &str,
        details: serde_json::Value,
    ) {
        self.entries.push(NewEntry {
            event: event.into(),
            user_id: user.map(|u| u.id),
            user_email: Some(
                user.map(|u| u.email.clone())
                    .unwrap_or_else(|| email.to_owned()),
            ),
            details,
            ..self.base.clone()
        });
    }
}

type Attempt = (LoginOut, Option<(String, otp::PendingCode)>);

async fn attempt(
    state: &AppState,
    input: LoginIn,
    origin: &Origin,
    log: &mut Events,
) -> Result<Attempt, ApiError> {
    let now = state.clock.now();
    let tenant = state.db.signin_tenant_by_slug(input.tenant.trim()).await?;
    let Some(tenant) = tenant else {
        state
            .passwords
            .verify(input.password, state.dummy_hash.clone())
            .await?;
        return Err(invalid_credentials());
    };
    let suspended = tenant.status == TenantStatus::Suspended;
    let tenant = TenantId(tenant.id);
    log.tenant = Some(tenant);
    let email = input.email.trim().to_owned();
    // Read, then let the connection go: hashing takes tens of milliseconds and
    // a burst of logins must not hold the pool while it waits for a core.
    let (policy, found) = state
        .db
        .in_tenant(tenant, async |tx| {
            let policy = policy::load(tx).await?;
            let found = user::Entity::find()
                .filter(user::Column::EmailKey.eq(Email::key_of(&email)))
                .one(tx)
                .await?;
            Ok::<_, ApiError>((policy, found))
        })
        .await?;
    let failed = |reason: &str| serde_json::json!({ "reason": reason });
    // Unknown and locked accounts cost what a wrong password costs: one
    // argon2 verification and the same statements (a failure recorded on no
    // row), so neither time nor round trips tell them apart.
    let dummy_failure = async || {
        state
            .db
            .in_tenant(tenant, async |tx| {
                accounts::record_failure(tx, Uuid::nil(), &policy, now).await
            })
            .await
    };
    let Some(mut u) = found else {
        state
            .passwords
            .verify(input.password, state.dummy_hash.clone())
            .await?;
        dummy_failure().await?;
        log.push("auth.login.failed", None, &email, failed("unknown_user"));
        return Err(invalid_credentials());
    };
    if u.locked_until.is_some_and(|until| until > now) {
        state
            .passwords
            .verify(input.password, state.dummy_hash.clone())
            .await?;
        dummy_failure().await?;
        log.push("auth.login.failed", Some(&u), &email, failed("locked"));
        return Err(invalid_credentials());
    }
    let matches = state
        .passwords
        .verify(input.password, u.password_hash.clone())
        .await?;
    if !matches {
        let locked = state
            .db
            .in_tenant(tenant, async |tx| {
                accounts::record_failure(tx, u.id, &policy, now).await
            })
            .await?;
        log.push(
            "auth.login.failed",
            Some(&u),
            &email,
            failed("wrong_password"),
        );
        if locked {
            log.push(
                "auth.account.locked",
                Some(&u),
                &email,
                serde_json::json!({ "minutes": policy.lockout_minutes, "after_failures": policy.lockout_threshold }),
            );
        }
        return Err(invalid_credentials());
    }
    if u.status != UserStatus::Active {
        log.push("auth.login.failed", Some(&u), &email, failed("disabled"));
        return Err(invalid_credentials());
    }
    // Said only to whoever knows the password, like a disabled account.
    if suspended {
        log.push(
            "auth.login.failed",
            Some(&u),
            &email,
            failed("tenant_suspended"),
        );
        return Err(super::context::suspended());
    }
    // Said only to whoever knows the password: an administrator must issue
    // a new one.
    if u.temporary_until.is_some_and(|until| now >= until) {
        log.push(
            "auth.login.failed",
            Some(&u),
            &email,
            failed("temporary_password_expired"),
        );
        return Err(ApiError::unauthorized(
            ErrorCode::TemporaryPasswordExpired,
            "this temporary password has expired: ask an administrator for a new one",
        ));
    }
    let change = must_change(&u, &policy, now);
    u.password_change_required = change;
    let signed_in = state
        .db
        .in_tenant(tenant, async |tx| {
            let cleared = user::Entity::update_many()
                .col_expr(user::Column::FailedLogins, Expr::value(0))
                .col_expr(
                    user::Column::LockedUntil,
                    Expr::value(Option::<DateTime<Utc>>::None),
                )
                .col_expr(user::Column::PasswordChangeRequired, Expr::value(change))
                .filter(user::Column::Id.eq(u.id))
                // A lock set by guesses running beside this one still holds.
                .filter(
                    sea_orm::Condition::any()
                        .add(user::Column::LockedUntil.is_null())
                        .add(user::Column::LockedUntil.lte(now)),
                )
                .exec(tx)
                .await?;
            if cleared.rows_affected != 1 {
                return Ok(None);
            }
            Ok::<_, ApiError>(Some(
                after_password(state, tx, &u, &policy, origin, now).await?,
            ))
        })
        .await?;
    let Some((out, code)) = signed_in else {
        log.push("auth.login.failed", Some(&u), &email, failed("locked"));
        return Err(invalid_credentials());
    };
    match &out {
        LoginOut::MfaRequired(_) => log.push(
            "auth.code.sent",
            Some(&u),
            &email,
            serde_json::json!({ "channel": "sms" }),
        ),
        LoginOut::Tokens(_) => log.push(
            "auth.login.succeeded",
            Some(&u),
            &email,
            serde_json::json!({ "mfa": false, "password_change_required": change }),
        ),
    }
    Ok((out, code))
}
