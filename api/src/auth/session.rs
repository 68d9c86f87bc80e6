//! Sessions (tenant users and operators alike), access tokens and refresh
//! tokens.

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use chrono::{DateTime, Duration, Utc};
use rand::RngCore;
use sea_orm::{
    sea_query::Expr, ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait,
    QueryFilter,
};
use serde::Serialize;
use sha2::{Digest, Sha256};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::tokens::{AccessClaims, Keys, ISSUER};
use crate::{
    entities::{shared::session, tenant::refresh_token},
    error::ApiError,
    error::ErrorCode,
    ids::TenantId,
};

/// Tokens handed out after a successful login, code or refresh.
#[derive(Debug, Serialize, ToSchema)]
pub struct TokensOut {
    pub access_token: String,
    /// When the session ends at the latest (the refresh cookie's lifetime).
    #[serde(skip)]
    pub session_expires_at: Option<DateTime<Utc>>,
    /// Opaque; rotated on every use. Absent for operators.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    /// Always `Bearer`.
    pub token_type: String,
    /// Seconds until the access token expires.
    pub expires_in: i64,
    /// When true, every endpoint but `/me`, `PUT /me/password` and logout
    /// answers 403 `password_change_required`.
    pub password_change_required: bool,
}

/// How long a session may sit unused, and live at most.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub idle: Duration,
    pub absolute: Duration,
}

/// Where a session was started from.
#[derive(Debug, Clone, Default)]
pub struct Origin {
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

pub async fn create(
    conn: &impl ConnectionTrait,
    subject: Uuid,
    limits: Limits,
    origin: &Origin,
    now: DateTime<Utc>,
) -> Result<session::Model, ApiError> {
    Ok(session::ActiveModel {
        id: Set(Uuid::now_v7()),
        subject_id: Set(subject),
        created_at: Set(now),
        last_seen_at: Set(now),
        expires_at: Set(now + limits.absolute),
        revoked_at: Set(None),
        revoked_reason: Set(None),
        ip: Set(origin.ip.clone()),
        user_agent: Set(origin
            .user_agent
            .as_ref()
            .map(|ua| ua.chars().take(512).collect())),
    }
    .insert(conn)
    .await?)
}

pub fn access_token(
    keys: &Keys,
    audience: &str,
    subject: Uuid,
    tenant: Option<TenantId>,
    session: Uuid,
    now: DateTime<Utc>,
    ttl_secs: i64,
) -> Result<String, ApiError> {
    keys.sign(&AccessClaims {
        iss: ISSUER.into(),
        aud: audience.into(),
        sub: subject,
        tid: tenant.map(|t| t.as_uuid()),
        sid: session,
        jti: Uuid::new_v4(),
        iat: now.timestamp(),
        exp: now.timestamp() + ttl_secs,
    })
}

/// The stored form of a refresh token.
pub fn refresh_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// `crt_<tenant>_<256 random bits>`: the tenant part says where to look.
pub async fn issue_refresh(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    session: Uuid,
    now: DateTime<Utc>,
) -> Result<String, ApiError> {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let token = format!(
        "crt_{}_{}",
        tenant.as_uuid().simple(),
        URL_SAFE_NO_PAD.encode(bytes)
    );
    refresh_token::ActiveModel {
        token_hash: Set(refresh_hash(&token)),
        session_id: Set(session),
        created_at: Set(now),
        used_at: Set(None),
    }
    .insert(conn)
    .await?;
    Ok(token)
}

/// The tenant a refresh token belongs to, if it has the right shape.
pub fn refresh_tenant(token: &str) -> Option<TenantId> {
    let rest = token.strip_prefix("crt_")?;
    let (tenant, random) = rest.split_once('_')?;
    if random.len() != 43 {
        return None;
    }
    Uuid::parse_str(tenant).ok().map(TenantId)
}

fn expired() -> ApiError {
    ApiError::unauthorized(
        ErrorCode::SessionExpired,
        "the session has ended; log in again",
    )
}

/// The session if it is still live: not revoked, within its absolute lifetime
/// and used within the idle timeout. Touches `last_seen_at` (at most once a
/// minute, to spare writes).
pub async fn live(
    conn: &impl ConnectionTrait,
    id: Uuid,
    subject: Uuid,
    idle: Duration,
    now: DateTime<Utc>,
) -> Result<session::Model, ApiError> {
    let s = session::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or_else(expired)?;
    if s.subject_id != subject
        || s.revoked_at.is_some()
        || now >= s.expires_at
        || now >= s.last_seen_at + idle
    {
        return Err(expired());
    }
    if now - s.last_seen_at > Duration::seconds(60) {
        session::Entity::update_many()
            .col_expr(session::Column::LastSeenAt, Expr::value(now))
            .filter(session::Column::Id.eq(id))
            .exec(conn)
            .await?;
    }
    Ok(s)
}

pub async fn revoke(
    conn: &impl ConnectionTrait,
    id: Uuid,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    session::Entity::update_many()
        .col_expr(session::Column::RevokedAt, Expr::value(now))
        .col_expr(session::Column::RevokedReason, Expr::value(reason))
        .filter(session::Column::Id.eq(id))
        .filter(session::Column::RevokedAt.is_null())
        .exec(conn)
        .await?;
    Ok(())
}

/// Revokes every live session of `subject` except `keep`.
pub async fn revoke_all(
    conn: &impl ConnectionTrait,
    subject: Uuid,
    keep: Option<Uuid>,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<u64, ApiError> {
    let mut q = session::Entity::update_many()
        .col_expr(session::Column::RevokedAt, Expr::value(now))
        .col_expr(session::Column::RevokedReason, Expr::value(reason))
        .filter(session::Column::SubjectId.eq(subject))
        .filter(session::Column::RevokedAt.is_null());
    if let Some(keep) = keep {
        q = q.filter(session::Column::Id.ne(keep));
    }
    Ok(q.exec(conn).await?.rows_affected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refresh_tokens_name_their_tenant_and_nothing_else_parses() {
        let tenant = TenantId::new();
        let token = format!("crt_{}_{}", tenant.as_uuid().simple(), "a".repeat(43));
        assert_eq!(refresh_tenant(&token), Some(tenant));
        assert_eq!(refresh_tenant("crt_nope_x"), None);
        assert_eq!(refresh_tenant(&token[..token.len() - 1]), None);
    }
}
