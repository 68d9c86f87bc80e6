//! Refresh-token rotation with reuse detection: presenting a token that was
//! already used revokes its whole session.

use chrono::{Duration, Utc};
use sea_orm::{sea_query::Expr, ColumnTrait, EntityTrait, QueryFilter};

use super::{
    login::start_session_tokens,
    session::{self, TokensOut},
};
use crate::{
    entities::{refresh_token, tenant, user},
    error::ApiError,
    settings::policy,
    startup::AppState,
    tenancy::STATUS_ACTIVE,
};

fn invalid() -> ApiError {
    ApiError::unauthorized(
        "invalid_token",
        "the refresh token is invalid or has expired",
    )
}

pub async fn refresh(
    state: &AppState,
    token: &str,
    reuse_event: crate::access_log::NewEntry,
) -> Result<TokensOut, ApiError> {
    let now = Utc::now();
    let tenant_id = session::refresh_tenant(token).ok_or_else(invalid)?;
    tenant::Entity::find_by_id(tenant_id.as_uuid())
        .one(state.db.platform())
        .await?
        .filter(|t| t.status == STATUS_ACTIVE)
        .ok_or_else(invalid)?;
    let tx = state.db.tenant_tx(tenant_id).await?;
    let stored = refresh_token::Entity::find_by_id(session::refresh_hash(token))
        .one(&*tx)
        .await?
        .ok_or_else(invalid)?;
    let s = crate::entities::session::Entity::find_by_id(stored.session_id)
        .one(&*tx)
        .await?
        .ok_or_else(invalid)?;

    let mark_used = refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::UsedAt, Expr::value(now))
        .filter(refresh_token::Column::TokenHash.eq(stored.token_hash.clone()))
        .filter(refresh_token::Column::UsedAt.is_null())
        .exec(&*tx)
        .await?;
    if stored.used_at.is_some() || mark_used.rows_affected != 1 {
        // Someone holds a copy of a rotated token: end the session for both.
        session::revoke(&*tx, s.id, "refresh_token_reuse", now).await?;
        let owner = user::Entity::find_by_id(s.subject_id).one(&*tx).await?;
        tx.commit().await?;
        let event = crate::access_log::NewEntry {
            user_id: Some(s.subject_id),
            user_email: owner.map(|u| u.email),
            details: serde_json::json!({ "session_id": s.id }),
            ..reuse_event
        };
        state.access_log.record_durable(tenant_id, event).await?;
        tracing::warn!(session_id = %s.id, "refresh token reused; session revoked");
        return Err(ApiError::unauthorized(
            "refresh_token_reused",
            "this refresh token was already used; the session has been ended",
        ));
    }

    let policy = policy::load(&*tx).await?;
    let idle = Duration::minutes(i64::from(policy.session_idle_minutes));
    session::live(&*tx, s.id, s.subject_id, idle, now).await?;
    let u = user::Entity::find_by_id(s.subject_id)
        .one(&*tx)
        .await?
        .filter(|u| u.status == "active")
        .ok_or_else(invalid)?;
    // A refresh is activity: the idle clock starts again.
    crate::entities::session::Entity::update_many()
        .col_expr(
            crate::entities::session::Column::LastSeenAt,
            Expr::value(now),
        )
        .filter(crate::entities::session::Column::Id.eq(s.id))
        .exec(&*tx)
        .await?;
    let out = start_session_tokens(state, &tx, &u, s.id, now).await?;
    tx.commit().await?;
    Ok(out)
}
