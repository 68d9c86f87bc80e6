//! Who is asking: the session, user, password policy, roles and scopes
//! behind an access token, read on every authenticated request. Two
//! statements outside a transaction (three for a user with label-scoped
//! roles), instead of a transaction of six: revocation, disabling, deletion,
//! role and policy changes still act on the very next request, since every
//! row is read fresh.

use std::collections::BTreeSet;

use chrono::{DateTime, Duration, Utc};
use sea_orm::{FromQueryResult, Iterable, QueryResult};
use uuid::Uuid;

use crate::{
    access::{
        permissions,
        scope::{self, Grant},
        Permission,
    },
    db::{Db, TenantDirect},
    entities::{
        shared::session,
        tenant::{
            password_policy, role,
            user::{self, UserStatus},
        },
    },
    error::{ApiError, ErrorCode},
    ids::TenantId,
    passwords::policy::PasswordPolicy,
    tokens::AccessClaims,
};

pub(super) struct Principal {
    pub user: user::Model,
    pub session_id: Uuid,
    pub roles: Vec<role::Model>,
    pub permissions: BTreeSet<Permission>,
    pub grants: Vec<Grant>,
    pub policy: PasswordPolicy,
}

/// `alias."col" AS "prefixcol", …` for every column of `E`.
fn columns<E: sea_orm::EntityTrait>(alias: &str, prefix: &str) -> String {
    use sea_orm::IdenStatic;
    E::Column::iter()
        .map(|c| format!("{alias}.\"{n}\" AS \"{prefix}{n}\"", n = c.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
}

fn expired() -> ApiError {
    ApiError::unauthorized(
        ErrorCode::SessionExpired,
        "the session has ended; log in again",
    )
}

/// The principal behind `claims`, or 401 `session_expired` when the
/// session is gone, revoked, past its lifetime or idle timeout, or its user
/// is disabled or deleted. Touches the session's `last_seen_at` at most
/// once a minute.
pub(super) async fn load(
    db: &Db,
    tenant: TenantId,
    claims: &AccessClaims,
    now: DateTime<Utc>,
) -> Result<Principal, ApiError> {
    let t = db.tenant_direct(tenant).await?;
    let sql = format!(
        "SELECT {}, {}, {} FROM {{t}}.sessions s \
         JOIN {{t}}.users u ON u.id = s.subject_id \
         LEFT JOIN {{t}}.password_policy p ON p.id = 1 \
         WHERE s.id = $1",
        columns::<session::Entity>("s", "s_"),
        columns::<user::Entity>("u", "u_"),
        columns::<password_policy::Entity>("p", "p_"),
    );
    let row = t
        .one(&sql, vec![claims.sid.into()])
        .await?
        .ok_or_else(expired)?;
    let session = session::Model::from_query_result(&row, "s_")?;
    let user = user::Model::from_query_result(&row, "u_")?;
    let policy = password_policy::Model::from_query_result_optional(&row, "p_")?
        .map(PasswordPolicy::from)
        .unwrap_or_default();
    let idle = Duration::minutes(i64::from(policy.session_idle_minutes));
    if session.subject_id != claims.sub
        || session.revoked_at.is_some()
        || now >= session.expires_at
        || now >= session.last_seen_at + idle
        || user.status != UserStatus::Active
    {
        return Err(expired());
    }
    if now - session.last_seen_at > Duration::seconds(60) {
        t.execute(
            "UPDATE {t}.sessions SET last_seen_at = $1 WHERE id = $2",
            vec![now.into(), session.id.into()],
        )
        .await?;
    }
    let (roles, grants) = roles_and_grants(&t, user.id).await?;
    let permissions = roles
        .iter()
        .flat_map(|r| permissions::parse_stored(&r.permissions))
        .collect();
    Ok(Principal {
        user,
        session_id: session.id,
        roles,
        permissions,
        grants,
        policy,
    })
}

async fn roles_and_grants(
    t: &TenantDirect,
    user: Uuid,
) -> Result<(Vec<role::Model>, Vec<Grant>), ApiError> {
    let sql = format!(
        "SELECT {} FROM {{t}}.roles r JOIN {{t}}.user_roles ur ON ur.role_id = r.id \
         WHERE ur.user_id = $1",
        columns::<role::Entity>("r", ""),
    );
    let roles = t
        .all(&sql, vec![user.into()])
        .await?
        .iter()
        .map(|row: &QueryResult| role::Model::from_query_result(row, ""))
        .collect::<Result<Vec<_>, _>>()?;
    let labelled: Vec<Uuid> = roles
        .iter()
        .filter(|r| r.scope_kind == role::ScopeKind::Labels)
        .map(|r| r.id)
        .collect();
    let mut links = Vec::new();
    if !labelled.is_empty() {
        // One parameter per role: a user holds a handful of roles.
        let marks: Vec<String> = (1..=labelled.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT role_id, label_id FROM {{t}}.role_labels WHERE role_id IN ({})",
            marks.join(", ")
        );
        for row in t
            .all(&sql, labelled.into_iter().map(Into::into).collect())
            .await?
        {
            links.push((
                row.try_get::<Uuid>("", "role_id")?,
                row.try_get::<Uuid>("", "label_id")?,
            ));
        }
    }
    let grants = scope::grants_from(&roles, &links);
    Ok((roles, grants))
}
