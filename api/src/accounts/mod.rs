//! The tenant's accounts: the one home of the queries on users, their roles,
//! password history and lockout, and the guard rails around them. Below
//! `auth` (which signs users in with them) and the HTTP capabilities `users`,
//! `roles` and `me`.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Duration, Utc};
use rand::{seq::SliceRandom, Rng};
use sea_orm::{
    sea_query::Expr, ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbBackend,
    DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect, RelationTrait, Statement,
};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::{
    access::permissions::{self, Permission},
    entities::tenant::{
        password_history, role,
        user::{self, UserStatus},
        user_role,
    },
    error::ErrorCode,
    error::{ApiError, FieldError},
    ids::{RoleId, TenantId},
    passwords::policy::PasswordPolicy,
};

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RoleRef {
    pub id: RoleId,
    pub name: String,
}

impl From<&role::Model> for RoleRef {
    fn from(r: &role::Model) -> Self {
        Self {
            id: RoleId(r.id),
            name: r.name.clone(),
        }
    }
}

/// The roles of `user` and the union of their permissions.
pub async fn roles_of(
    conn: &impl ConnectionTrait,
    user: Uuid,
) -> Result<(Vec<role::Model>, BTreeSet<Permission>), DbErr> {
    let roles = role::Entity::find()
        .join(sea_orm::JoinType::InnerJoin, role::Relation::UserRole.def())
        .filter(user_role::Column::UserId.eq(user))
        .all(conn)
        .await?;
    let permissions = roles
        .iter()
        .flat_map(|r| permissions::parse_stored(&r.permissions))
        .collect();
    Ok((roles, permissions))
}

/// Counts a failed password; at the threshold the account locks and the
/// count starts again. One statement, so concurrent nodes cannot lose a count.
pub async fn record_failure(
    conn: &impl ConnectionTrait,
    id: Uuid,
    policy: &PasswordPolicy,
    now: DateTime<Utc>,
) -> Result<bool, ApiError> {
    let threshold = i32::try_from(policy.lockout_threshold).unwrap_or(10);
    let until = now + Duration::minutes(i64::from(policy.lockout_minutes));
    let reaches = Expr::expr(Expr::col(user::Column::FailedLogins).add(1)).gte(threshold);
    user::Entity::update_many()
        .col_expr(
            user::Column::LockedUntil,
            Expr::case(reaches.clone(), Expr::value(until))
                .finally(Expr::col(user::Column::LockedUntil))
                .into(),
        )
        .col_expr(
            user::Column::FailedLogins,
            Expr::case(reaches, Expr::value(0))
                .finally(Expr::col(user::Column::FailedLogins).add(1))
                .into(),
        )
        .filter(user::Column::Id.eq(id))
        .exec(conn)
        .await?;
    // Locked by this very failure: the lock is fresh and the count restarted.
    let after = user::Entity::find_by_id(id).one(conn).await?;
    Ok(after.is_some_and(|u| u.failed_logins == 0 && u.locked_until.is_some_and(|t| t > now)))
}

/// The user's recent password hashes, newest first (history check).
pub async fn recent_hashes(
    conn: &impl sea_orm::ConnectionTrait,
    user: Uuid,
    n: u32,
) -> Result<Vec<String>, ApiError> {
    Ok(password_history::Entity::find()
        .filter(password_history::Column::UserId.eq(user))
        .order_by_desc(password_history::Column::CreatedAt)
        .limit(u64::from(n))
        .all(conn)
        .await?
        .into_iter()
        .map(|h| h.password_hash)
        .collect())
}

/// Stores a new password hash and remembers it for the history rule. A
/// temporary password (`temporary_until`, from an administrator) must be
/// changed at the next login and signs in only until then.
pub async fn set_password(
    conn: &impl sea_orm::ConnectionTrait,
    user_id: Uuid,
    hash: String,
    temporary_until: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    user::ActiveModel {
        id: Set(user_id),
        password_hash: Set(hash.clone()),
        password_change_required: Set(temporary_until.is_some()),
        temporary_until: Set(temporary_until),
        password_changed_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .update(conn)
    .await?;
    password_history::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(user_id),
        password_hash: Set(hash),
        created_at: Set(now),
    }
    .insert(conn)
    .await?;
    Ok(())
}

/// The user if it exists and is active (sign-in and every request check it).
pub async fn active_user(
    conn: &impl ConnectionTrait,
    id: Uuid,
) -> Result<Option<user::Model>, DbErr> {
    user::Entity::find_by_id(id)
        .filter(user::Column::Status.eq(UserStatus::Active))
        .one(conn)
        .await
}

pub async fn find(conn: &impl ConnectionTrait, id: Uuid) -> Result<user::Model, ApiError> {
    user::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or(ApiError::NotFound)
}

/// Role references of each of `users`.
pub async fn roles_by_user(
    conn: &impl ConnectionTrait,
    users: &[Uuid],
) -> Result<HashMap<Uuid, Vec<RoleRef>>, ApiError> {
    let links = user_role::Entity::find()
        .filter(user_role::Column::UserId.is_in(users.to_vec()))
        .find_also_related(role::Entity)
        .all(conn)
        .await?;
    let mut out: HashMap<Uuid, Vec<RoleRef>> = HashMap::new();
    for (link, role) in links {
        if let Some(role) = role {
            out.entry(link.user_id)
                .or_default()
                .push(RoleRef::from(&role));
        }
    }
    for roles in out.values_mut() {
        roles.sort_by(|a, b| a.name.cmp(&b.name));
    }
    Ok(out)
}

/// The roles named by `ids`; 422 naming every unknown one.
pub async fn roles_named(
    conn: &impl ConnectionTrait,
    ids: &[RoleId],
) -> Result<Vec<role::Model>, ApiError> {
    let wanted: BTreeSet<Uuid> = ids.iter().map(|r| r.as_uuid()).collect();
    let found = role::Entity::find()
        .filter(role::Column::Id.is_in(wanted.iter().copied()))
        .all(conn)
        .await?;
    let ids: Vec<Uuid> = found.iter().map(|r| r.id).collect();
    ApiError::unless_all_found("role_ids", "role", &wanted, &ids)?;
    Ok(found)
}

/// 422 `unknown_user` on `field` unless every one of `ids` names a user here.
pub async fn ensure_users_exist(
    conn: &impl ConnectionTrait,
    field: &str,
    ids: &BTreeSet<Uuid>,
) -> Result<(), ApiError> {
    let found: Vec<Uuid> = user::Entity::find()
        .select_only()
        .column(user::Column::Id)
        .filter(user::Column::Id.is_in(ids.iter().copied()))
        .into_tuple()
        .all(conn)
        .await?;
    ApiError::unless_all_found(field, "user", ids, &found)
}

pub fn grants_privilege(roles: &[role::Model]) -> bool {
    roles.iter().any(|r| {
        permissions::parse_stored(&r.permissions)
            .into_iter()
            .any(Permission::privileged)
    })
}

/// A privileged role needs a phone for the SMS code.
pub fn phone_rule(roles: &[role::Model], phone: Option<&str>) -> Result<(), ApiError> {
    if grants_privilege(roles) && phone.is_none() {
        return Err(ApiError::Validation(vec![FieldError::new(
            "phone",
            "phone_required",
            "a user holding a privileged role needs a phone for SMS codes",
        )]));
    }
    Ok(())
}

pub async fn replace_roles(
    conn: &impl ConnectionTrait,
    user: Uuid,
    roles: &[role::Model],
) -> Result<(), ApiError> {
    user_role::Entity::delete_many()
        .filter(user_role::Column::UserId.eq(user))
        .exec(conn)
        .await?;
    if roles.is_empty() {
        return Ok(());
    }
    user_role::Entity::insert_many(roles.iter().map(|r| user_role::ActiveModel {
        user_id: sea_orm::ActiveValue::Set(user),
        role_id: sea_orm::ActiveValue::Set(r.id),
    }))
    .exec_without_returning(conn)
    .await?;
    Ok(())
}

/// Serialises changes that could remove the last administrator, across API
/// nodes (PostgreSQL advisory lock for this tenant; SQLite has one writer).
pub async fn lock_guard_rails(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
) -> Result<(), ApiError> {
    if conn.get_database_backend() == DbBackend::Postgres {
        let (hi, _) = tenant.as_uuid().as_u64_pair();
        conn.execute(Statement::from_string(
            DbBackend::Postgres,
            format!("SELECT pg_advisory_xact_lock({})", hi as i64),
        ))
        .await?;
    }
    Ok(())
}

/// 409 unless some active user still holds both `users.manage` and
/// `roles.manage` (checked after the change, inside its transaction).
pub async fn ensure_an_administrator_remains(conn: &impl ConnectionTrait) -> Result<(), ApiError> {
    let links = user_role::Entity::find()
        .find_also_related(role::Entity)
        .all(conn)
        .await?;
    let active: BTreeSet<Uuid> = user::Entity::find()
        .filter(user::Column::Status.eq(UserStatus::Active))
        .all(conn)
        .await?
        .into_iter()
        .map(|u| u.id)
        .collect();
    let mut held: HashMap<Uuid, BTreeSet<Permission>> = HashMap::new();
    for (link, role) in links {
        if let (true, Some(role)) = (active.contains(&link.user_id), role) {
            held.entry(link.user_id)
                .or_default()
                .extend(permissions::parse_stored(&role.permissions));
        }
    }
    if held
        .values()
        .any(|p| p.contains(&Permission::UsersManage) && p.contains(&Permission::RolesManage))
    {
        Ok(())
    } else {
        Err(ApiError::conflict(
            ErrorCode::LastAdministrator,
            "this would leave no active user who can manage users and roles",
        ))
    }
}

/// A password the user types once: long, all character classes, no look-alikes.
pub fn temporary_password(policy: &PasswordPolicy) -> String {
    const UPPER: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ";
    const LOWER: &[u8] = b"abcdefghijkmnpqrstuvwxyz";
    const DIGIT: &[u8] = b"23456789";
    const SYMBOL: &[u8] = b"!#$%&*+-=?@";
    let len = (policy.min_length as usize).max(20);
    let mut rng = rand::rngs::OsRng;
    let mut pick = |set: &[u8]| set[rng.gen_range(0..set.len())] as char;
    let mut chars: Vec<char> = vec![pick(UPPER), pick(LOWER), pick(DIGIT), pick(SYMBOL)];
    let all: Vec<u8> = [UPPER, LOWER, DIGIT, SYMBOL].concat();
    while chars.len() < len {
        chars.push(pick(&all));
    }
    chars.shuffle(&mut rand::rngs::OsRng);
    chars.into_iter().collect()
}

/// Tells the previous number that the account's phone changed (ASVS 2.2.3).
/// Best effort: the change stands even when the message cannot be sent.
pub async fn notify_phone_changed(sms: &dyn crate::sms::SmsSender, old_phone: &str) {
    let body = "Crepo: アカウントの電話番号が変更されました。心当たりがない場合は管理者に連絡してください。 / The phone number of your Crepo account was changed. If this was not you, contact your administrator.";
    if let Err(e) = sms.send(old_phone, body).await {
        tracing::warn!(
            error = format!("{e:#}"),
            "could not notify the previous phone number"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::passwords::PasswordRules;

    #[test]
    fn temporary_passwords_satisfy_the_strictest_policy() {
        let policy = PasswordPolicy {
            min_length: 24,
            require_uppercase: true,
            require_lowercase: true,
            require_digit: true,
            require_symbol: true,
            ..Default::default()
        };
        let rules = PasswordRules::new();
        for _ in 0..50 {
            let p = temporary_password(&policy);
            assert_eq!(p.chars().count(), 24);
            assert!(
                policy.password_violations(&rules, "p", &p).is_empty(),
                "{p}"
            );
        }
    }
}
