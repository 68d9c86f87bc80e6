//! Step-up tokens: a signed-in user who must prove something more (a code
//! texted to a phone) gets a short-lived token that binds the user, the
//! tenant, the code's challenge and what it is for (its audience), and sends
//! it back with the code. A token that fails is a bad field (422), not a bad
//! session: the client must not take it for a sign-out.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::TenantCtx;
use crate::{
    error::ApiError,
    tokens::{Keys, ISSUER},
};

const TTL: Duration = Duration::minutes(10);

#[derive(Serialize, Deserialize)]
pub struct ChallengeClaims {
    iss: String,
    aud: String,
    sub: Uuid,
    tid: Uuid,
    /// The code's challenge.
    pub cid: Uuid,
    /// The number the code went to, when the token is about that number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    iat: i64,
    exp: i64,
}

/// A token for `audience` binding the caller and the code's `challenge`.
pub fn issue(
    keys: &Keys,
    ctx: &TenantCtx,
    audience: &str,
    challenge: Uuid,
    phone: Option<String>,
    now: DateTime<Utc>,
) -> Result<String, ApiError> {
    keys.sign(&ChallengeClaims {
        iss: ISSUER.into(),
        aud: audience.into(),
        sub: ctx.user.id,
        tid: ctx.tenant_id().as_uuid(),
        cid: challenge,
        phone,
        iat: now.timestamp(),
        exp: (now + TTL).timestamp(),
    })
}

/// The claims of `token` if it is for `audience` and was issued to the
/// caller; else 422 on `field`.
pub fn check(
    keys: &Keys,
    ctx: &TenantCtx,
    token: &str,
    audience: &str,
    field: &str,
) -> Result<ChallengeClaims, ApiError> {
    let bad = || {
        ApiError::field(
            field,
            "invalid",
            "the token is invalid or has expired: start again",
        )
    };
    let claims: ChallengeClaims = keys.verify(token, audience).map_err(|_| bad())?;
    if claims.sub != ctx.user.id || claims.tid != ctx.tenant_id().as_uuid() {
        return Err(bad());
    }
    Ok(claims)
}
