//! User queries and the guard rails around them.

use std::collections::{BTreeSet, HashMap};

use rand::{seq::SliceRandom, Rng};
use sea_orm::{ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, Statement};
use uuid::Uuid;

use super::types::RoleRef;
use crate::{
    access::permissions,
    entities::{role, user, user_role},
    error::{ApiError, FieldError},
    ids::RoleId,
    settings::policy::PasswordPolicy,
    tenancy::TenantId,
};

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
    let unknown: Vec<String> = wanted
        .iter()
        .filter(|id| !found.iter().any(|r| r.id == **id))
        .map(Uuid::to_string)
        .collect();
    if !unknown.is_empty() {
        return Err(ApiError::field(
            "role_ids",
            "unknown_role",
            format!("no such role: {}", unknown.join(", ")),
        ));
    }
    Ok(found)
}

pub fn grants_privilege(roles: &[role::Model]) -> bool {
    roles.iter().any(|r| {
        serde_json::from_str::<Vec<String>>(&r.permissions)
            .unwrap_or_default()
            .iter()
            .any(|p| permissions::find(p).is_some_and(|p| p.privileged))
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
        .filter(user::Column::Status.eq("active"))
        .all(conn)
        .await?
        .into_iter()
        .map(|u| u.id)
        .collect();
    let mut held: HashMap<Uuid, BTreeSet<String>> = HashMap::new();
    for (link, role) in links {
        if let (true, Some(role)) = (active.contains(&link.user_id), role) {
            held.entry(link.user_id)
                .or_default()
                .extend(serde_json::from_str::<Vec<String>>(&role.permissions).unwrap_or_default());
        }
    }
    if held
        .values()
        .any(|p| p.contains("users.manage") && p.contains("roles.manage"))
    {
        Ok(())
    } else {
        Err(ApiError::conflict(
            "last_administrator",
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
