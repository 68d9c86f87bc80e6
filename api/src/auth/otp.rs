//! SMS one-time codes: 6 digits from the OS CSPRNG, stored only as an HMAC,
//! valid 5 minutes, good once, dead after 5 wrong tries. Sends are limited per
//! subject (30 s apart, 5 per hour), counted in the database. Works on a tenant
//! transaction (users) and on the platform (operators) alike.

use chrono::{DateTime, Duration, Utc};
use rand::Rng;
use sea_orm::{
    sea_query::Expr, ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbBackend,
    EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Statement,
};
use uuid::Uuid;

use crate::{
    entities::shared::{mfa_challenge, sms_send},
    error::ApiError,
    error::ErrorCode,
    sms::SmsSender,
};
use crate::{ids::TenantId, state::AppState, tokens::Keys};

pub const CODE_TTL: Duration = Duration::minutes(5);
pub const MAX_ATTEMPTS: i32 = 5;
pub const RESEND_COOLDOWN: Duration = Duration::seconds(30);
pub const SENDS_PER_HOUR: u64 = 5;

fn new_code() -> String {
    format!("{:06}", rand::rngs::OsRng.gen_range(0..1_000_000u32))
}

/// `+81******5678`: enough to recognise one's own phone, no more.
pub fn mask_phone(phone: &str) -> String {
    let chars: Vec<char> = phone.chars().collect();
    if chars.len() <= 7 {
        return "*".repeat(chars.len());
    }
    let head: String = chars[..3].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(chars.len() - 7))
}

/// 429 unless another code may be sent to `subject` now.
async fn check_send_limits(
    conn: &impl ConnectionTrait,
    subject: Uuid,
    cooldown: bool,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let hour_ago = now - Duration::hours(1);
    let recent = sms_send::Entity::find()
        .filter(sms_send::Column::SubjectId.eq(subject))
        .filter(sms_send::Column::SentAt.gt(hour_ago))
        .order_by_asc(sms_send::Column::SentAt);
    if recent.clone().count(conn).await? >= SENDS_PER_HOUR {
        let oldest = recent.one(conn).await?.map(|s| s.sent_at).unwrap_or(now);
        return Err(ApiError::TooManyRequests {
            retry_after: (oldest + Duration::hours(1) - now).num_seconds().max(1) as u64,
        });
    }
    if cooldown {
        let last = sms_send::Entity::find()
            .filter(sms_send::Column::SubjectId.eq(subject))
            .order_by_desc(sms_send::Column::SentAt)
            .one(conn)
            .await?;
        if let Some(last) = last.filter(|l| now - l.sent_at < RESEND_COOLDOWN) {
            return Err(ApiError::TooManyRequests {
                retry_after: (last.sent_at + RESEND_COOLDOWN - now).num_seconds().max(1) as u64,
            });
        }
    }
    Ok(())
}

/// A code to text once the transaction that recorded it has committed.
pub struct PendingCode(String);

impl std::fmt::Debug for PendingCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PendingCode(***)")
    }
}

/// Serialises send-limit checks of one subject across API nodes (PostgreSQL
/// advisory lock until the transaction ends; SQLite has a single writer).
async fn lock_subject(conn: &impl ConnectionTrait, subject: Uuid) -> Result<(), ApiError> {
    if conn.get_database_backend() == DbBackend::Postgres {
        let (hi, lo) = subject.as_u64_pair();
        conn.execute(Statement::from_string(
            DbBackend::Postgres,
            format!("SELECT pg_advisory_xact_lock({})", (hi ^ lo) as i64),
        ))
        .await?;
    }
    Ok(())
}

async fn record_send(
    conn: &impl ConnectionTrait,
    subject: Uuid,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    sms_send::ActiveModel {
        id: Set(Uuid::now_v7()),
        subject_id: Set(subject),
        sent_at: Set(now),
    }
    .insert(conn)
    .await?;
    Ok(())
}

/// Whether `phone` is outside the denied number ranges (premium rates and
/// networks used for SMS pumping): incident texts and security contacts are
/// held to it too, though not to the code budgets.
pub fn number_allowed(state: &AppState, phone: &str) -> Result<(), ApiError> {
    let denied = state
        .settings
        .sms_limits
        .deny_prefixes
        .iter()
        .any(|p| phone.starts_with(p.as_str()));
    if denied {
        state.metrics.sms_refused("denied_prefix");
        tracing::warn!(
            phone = mask_phone(phone),
            "text refused: the number is in a denied range"
        );
        return Err(ApiError::forbidden(
            ErrorCode::PhoneNotAllowed,
            "text messages are not sent to this number range; use another phone number",
        ));
    }
    Ok(())
}

/// Whether a text may go to `phone` now, on behalf of `tenant` (none: an
/// operator): the number is not in a denied range, and neither the tenant's
/// nor the platform's hourly and daily budget is spent (429 otherwise). Every
/// text the service sends passes here first.
pub async fn sms_allowed(
    state: &AppState,
    tenant: Option<TenantId>,
    phone: &str,
) -> Result<(), ApiError> {
    let limits = &state.settings.sms_limits;
    number_allowed(state, phone)?;
    let now = state.clock.now();
    let hour = std::time::Duration::from_secs(3600);
    let day = std::time::Duration::from_secs(86_400);
    let mut budgets = vec![
        (
            "sms:platform:h".to_owned(),
            limits.platform_hour,
            hour,
            "platform_budget",
        ),
        (
            "sms:platform:d".to_owned(),
            limits.platform_day,
            day,
            "platform_budget",
        ),
    ];
    if let Some(t) = tenant {
        budgets.push((
            format!("sms:tenant:{t}:h"),
            limits.tenant_hour,
            hour,
            "tenant_budget",
        ));
        budgets.push((
            format!("sms:tenant:{t}:d"),
            limits.tenant_day,
            day,
            "tenant_budget",
        ));
    }
    for (key, count, window, reason) in budgets {
        let limit = crate::config::RateLimit { count, window };
        if let Err(e) = crate::throttle::hit(&state.db, &key, limit, now).await {
            if matches!(e, ApiError::TooManyRequests { .. }) {
                state.metrics.sms_refused(reason);
                tracing::warn!(tenant_id = ?tenant, reason, "text refused: SMS budget spent");
            }
            return Err(e);
        }
    }
    Ok(())
}

/// Texts the code, within the SMS limits. Called after commit, so no
/// connection waits on the provider.
pub async fn deliver(
    state: &AppState,
    tenant: Option<TenantId>,
    phone: &str,
    code: PendingCode,
) -> Result<(), ApiError> {
    sms_allowed(state, tenant, phone).await?;
    send_code(state, phone, code).await
}

/// Texts the code (the caller checked [`sms_allowed`]).
pub async fn send_code(state: &AppState, phone: &str, code: PendingCode) -> Result<(), ApiError> {
    let sms: &dyn SmsSender = state.sms.as_ref();
    // The code appears once, as the only run of six digits.
    let body = format!(
        "Crepo 確認コード / verification code: {} (5分 / 5 min)",
        code.0
    );
    sms.send(phone, &body).await.map_err(|e| {
        tracing::error!(error = format!("{e:#}"), "one-time code could not be sent");
        ApiError::Unavailable {
            detail: "the text message could not be sent; request a new code shortly".into(),
        }
    })
}

/// Starts a challenge for `subject` (inside the caller's transaction); the
/// caller commits, then [`deliver`]s the code.
pub async fn start(
    conn: &impl ConnectionTrait,
    keys: &Keys,
    subject: Uuid,
    now: DateTime<Utc>,
) -> Result<(Uuid, PendingCode), ApiError> {
    lock_subject(conn, subject).await?;
    check_send_limits(conn, subject, false, now).await?;
    let id = Uuid::now_v7();
    let code = new_code();
    mfa_challenge::ActiveModel {
        id: Set(id),
        subject_id: Set(subject),
        code_hash: Set(keys.code_hash(id, &code)),
        created_at: Set(now),
        expires_at: Set(now + CODE_TTL),
        attempts: Set(0),
        consumed_at: Set(None),
    }
    .insert(conn)
    .await?;
    record_send(conn, subject, now).await?;
    Ok((id, PendingCode(code)))
}

async fn open_challenge(
    conn: &impl ConnectionTrait,
    id: Uuid,
    subject: Uuid,
) -> Result<mfa_challenge::Model, ApiError> {
    mfa_challenge::Entity::find_by_id(id)
        .one(conn)
        .await?
        .filter(|c| c.subject_id == subject)
        .ok_or_else(|| {
            ApiError::unauthorized(
                ErrorCode::InvalidToken,
                "the token is invalid or has expired",
            )
        })
}

fn usable(c: &mfa_challenge::Model, now: DateTime<Utc>) -> Result<(), ApiError> {
    if c.consumed_at.is_some() {
        return Err(ApiError::unauthorized(
            ErrorCode::CodeUsed,
            "this code was already used; log in again",
        ));
    }
    if c.attempts >= MAX_ATTEMPTS {
        return Err(ApiError::unauthorized(
            ErrorCode::CodeLocked,
            "too many wrong codes; log in again",
        ));
    }
    if now >= c.expires_at {
        return Err(ApiError::unauthorized(
            ErrorCode::CodeExpired,
            "the code has expired; request a new one",
        ));
    }
    Ok(())
}

/// Replaces the challenge's code (the old one stops working); the caller
/// commits, then [`deliver`]s it.
pub async fn resend(
    conn: &impl ConnectionTrait,
    keys: &Keys,
    challenge: Uuid,
    subject: Uuid,
    now: DateTime<Utc>,
) -> Result<PendingCode, ApiError> {
    lock_subject(conn, subject).await?;
    let c = open_challenge(conn, challenge, subject).await?;
    if c.consumed_at.is_some() || c.attempts >= MAX_ATTEMPTS {
        usable(&c, now)?;
    }
    check_send_limits(conn, subject, true, now).await?;
    let code = new_code();
    mfa_challenge::Entity::update_many()
        .col_expr(
            mfa_challenge::Column::CodeHash,
            Expr::value(keys.code_hash(challenge, &code)),
        )
        .col_expr(
            mfa_challenge::Column::ExpiresAt,
            Expr::value(now + CODE_TTL),
        )
        .filter(mfa_challenge::Column::Id.eq(challenge))
        .exec(conn)
        .await?;
    record_send(conn, subject, now).await?;
    Ok(PendingCode(code))
}

/// Checks `code`; a wrong one counts against the challenge. The caller must
/// commit even on error, so the count sticks.
pub async fn verify(
    conn: &impl ConnectionTrait,
    keys: &Keys,
    challenge: Uuid,
    subject: Uuid,
    code: &str,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let c = open_challenge(conn, challenge, subject).await?;
    usable(&c, now)?;
    // Take the try before comparing, in one statement: concurrent guesses
    // cannot get past the limit.
    let taken = mfa_challenge::Entity::update_many()
        .col_expr(
            mfa_challenge::Column::Attempts,
            Expr::col(mfa_challenge::Column::Attempts).add(1),
        )
        .filter(mfa_challenge::Column::Id.eq(challenge))
        .filter(mfa_challenge::Column::ConsumedAt.is_null())
        .filter(mfa_challenge::Column::Attempts.lt(MAX_ATTEMPTS))
        .filter(mfa_challenge::Column::ExpiresAt.gt(now))
        .exec(conn)
        .await?;
    if taken.rows_affected != 1 {
        let again = open_challenge(conn, challenge, subject).await?;
        usable(&again, now)?;
        return Err(ApiError::unauthorized(
            ErrorCode::CodeLocked,
            "too many wrong codes; log in again",
        ));
    }
    if !keys.code_matches(challenge, code, &c.code_hash) {
        return Err(ApiError::unauthorized(
            ErrorCode::InvalidCode,
            "the code is wrong",
        ));
    }
    let consumed = mfa_challenge::Entity::update_many()
        .col_expr(mfa_challenge::Column::ConsumedAt, Expr::value(now))
        .filter(mfa_challenge::Column::Id.eq(challenge))
        .filter(mfa_challenge::Column::ConsumedAt.is_null())
        .exec(conn)
        .await?;
    if consumed.rows_affected != 1 {
        return Err(ApiError::unauthorized(
            ErrorCode::CodeUsed,
            "this code was already used; log in again",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_are_masked_but_recognisable() {
        assert_eq!(mask_phone("+819012345678"), "+81******5678");
        assert_eq!(mask_phone("+1234567"), "+12*4567");
        assert_eq!(mask_phone("+12345"), "******");
    }

    #[test]
    fn codes_are_six_digits() {
        for _ in 0..100 {
            let c = new_code();
            assert_eq!(c.len(), 6);
            assert!(c.bytes().all(|b| b.is_ascii_digit()));
        }
    }
}
