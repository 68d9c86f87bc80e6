//! Refresh-token rotation with reuse detection: presenting a token that was
//! already used revokes its whole session.

use chrono::{DateTime, Duration, Utc};
use sea_orm::{sea_query::Expr, ColumnTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::{
    login::start_session_tokens,
    session::{self, TokensOut},
};
use crate::{
    accounts,
    db::TenantTx,
    entities::{
        platform::tenant::TenantStatus,
        shared::session as session_entity,
        tenant::{refresh_token, user},
    },
    error::ApiError,
    error::ErrorCode,
    logbook::NewEntry,
    passwords::policy,
    state::AppState,
};

/// How long a rotated refresh token still works (once more per client
/// retry) before presenting it counts as reuse.
pub const REFRESH_RETRY_GRACE: Duration = Duration::seconds(10);

fn invalid() -> ApiError {
    ApiError::unauthorized(
        ErrorCode::InvalidToken,
        "the refresh token is invalid or has expired",
    )
}

/// What a presented refresh token led to.
enum Outcome {
    Rotated(TokensOut),
    /// A rotated token came back: the session was ended.
    Reused {
        session: Uuid,
        subject: Uuid,
        email: Option<String>,
    },
}

pub async fn refresh(
    state: &AppState,
    token: &str,
    reuse_event: NewEntry,
) -> Result<TokensOut, ApiError> {
    let now = state.clock.now();
    let tenant_id = session::refresh_tenant(token).ok_or_else(invalid)?;
    let tenant = state.db.tenant(tenant_id).await?.ok_or_else(invalid)?;
    if tenant.status == TenantStatus::Suspended {
        // Said only to the holder of a session the suspension ended.
        let ended_by_it = state
            .db
            .in_tenant(tenant_id, async |tx| ended_by_suspension(tx, token).await)
            .await?;
        return Err(if ended_by_it {
            super::context::suspended()
        } else {
            invalid()
        });
    }
    if tenant.status != TenantStatus::Active {
        return Err(invalid());
    }
    let outcome = state
        .db
        .in_tenant(tenant_id, async |tx| rotate(state, tx, token, now).await)
        .await?;
    match outcome {
        Outcome::Rotated(tokens) => Ok(tokens),
        Outcome::Reused {
            session,
            subject,
            email,
        } => {
            let event = NewEntry {
                user_id: Some(subject),
                user_email: email,
                details: serde_json::json!({ "session_id": session }),
                ..reuse_event
            };
            state.access_log.record_durable(tenant_id, event).await?;
            tracing::warn!(session_id = %session, "refresh token reused; session revoked");
            Err(ApiError::unauthorized(
                ErrorCode::RefreshTokenReused,
                "this refresh token was already used; the session has been ended",
            ))
        }
    }
}

async fn ended_by_suspension(tx: &TenantTx, token: &str) -> Result<bool, ApiError> {
    let Some(stored) = refresh_token::Entity::find_by_id(session::refresh_hash(token))
        .one(tx)
        .await?
    else {
        return Ok(false);
    };
    let s = session_entity::Entity::find_by_id(stored.session_id)
        .one(tx)
        .await?;
    Ok(s.is_some_and(|s| s.revoked_reason.as_deref() == Some("tenant_suspended")))
}

async fn rotate(
    state: &AppState,
    tx: &TenantTx,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Outcome, ApiError> {
    let stored = refresh_token::Entity::find_by_id(session::refresh_hash(token))
        .one(tx)
        .await?
        .ok_or_else(invalid)?;
    let s = session_entity::Entity::find_by_id(stored.session_id)
        .one(tx)
        .await?
        .ok_or_else(invalid)?;

    let mark_used = refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::UsedAt, Expr::value(now))
        .filter(refresh_token::Column::TokenHash.eq(stored.token_hash.clone()))
        .filter(refresh_token::Column::UsedAt.is_null())
        .exec(tx)
        .await?;
    // The same token again moments after its rotation is a client whose
    // answer was lost (a reload or a dropped connection mid-refresh), not a
    // copy: it gets new tokens. Later, it is a copy.
    let retried = stored
        .used_at
        .is_some_and(|used| now - used <= REFRESH_RETRY_GRACE);
    if !retried && (stored.used_at.is_some() || mark_used.rows_affected != 1) {
        // Someone holds a copy of a rotated token: end the session for both.
        session::revoke(tx, s.id, "refresh_token_reuse", now).await?;
        let owner = user::Entity::find_by_id(s.subject_id).one(tx).await?;
        return Ok(Outcome::Reused {
            session: s.id,
            subject: s.subject_id,
            email: owner.map(|u| u.email),
        });
    }

    let policy = policy::load(tx).await?;
    let idle = Duration::minutes(i64::from(policy.session_idle_minutes));
    session::live(tx, s.id, s.subject_id, idle, now).await?;
    let u = accounts::active_user(tx, s.subject_id)
        .await?
        .ok_or_else(invalid)?;
    // A refresh is activity: the idle clock starts again.
    session_entity::Entity::update_many()
        .col_expr(session_entity::Column::LastSeenAt, Expr::value(now))
        .filter(session_entity::Column::Id.eq(s.id))
        .exec(tx)
        .await?;
    Ok(Outcome::Rotated(
        start_session_tokens(state, tx, &u, &s, now).await?,
    ))
}
