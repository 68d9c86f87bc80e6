//! Queries behind the role endpoints: a role's labels and output shape, its
//! reference scope, and what gaining a privilege does to open sessions.

use std::collections::{BTreeSet, HashMap};

use actix_web::HttpRequest;
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
};
use uuid::Uuid;

use super::types::{RoleOut, ScopeIn};
use crate::{
    access::Permission,
    auth::{session, TenantCtx},
    entities::tenant::{role, role_label, user, user_role},
    error::ErrorCode,
    error::{ApiError, FieldError},
    ids::LabelId,
};

/// The labels of each of `roles` (label-scoped roles).
pub(super) async fn role_labels(
    conn: &impl ConnectionTrait,
    roles: &[Uuid],
) -> Result<HashMap<Uuid, Vec<LabelId>>, ApiError> {
    let mut out: HashMap<Uuid, Vec<LabelId>> = HashMap::new();
    for link in role_label::Entity::find()
        .filter(role_label::Column::RoleId.is_in(roles.to_vec()))
        .all(conn)
        .await?
    {
        out.entry(link.role_id)
            .or_default()
            .push(LabelId(link.label_id));
    }
    Ok(out)
}

pub(super) async fn out(conn: &impl ConnectionTrait, r: role::Model) -> Result<RoleOut, ApiError> {
    let labels = role_labels(conn, &[r.id])
        .await?
        .remove(&r.id)
        .unwrap_or_default();
    let users = user_role::Entity::find()
        .filter(user_role::Column::RoleId.eq(r.id))
        .count(conn)
        .await?;
    Ok(RoleOut::new(r, labels, users as i64))
}

pub(super) async fn find(conn: &impl ConnectionTrait, id: Uuid) -> Result<role::Model, ApiError> {
    role::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or(ApiError::NotFound)
}

pub(super) fn name_taken(e: sea_orm::DbErr) -> ApiError {
    match e.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => {
            ApiError::conflict(ErrorCode::RoleNameTaken, "a role with this name exists")
        }
        _ => e.into(),
    }
}

/// Checks the scope's labels exist and stores them as the role's scope.
pub(super) async fn save_scope(
    conn: &impl ConnectionTrait,
    role: Uuid,
    scope: &ScopeIn,
) -> Result<(), ApiError> {
    let wanted: BTreeSet<Uuid> = scope.label_ids.iter().map(|l| l.as_uuid()).collect();
    crate::labels::ensure_exist(conn, "scope.label_ids", &wanted).await?;
    role_label::Entity::delete_many()
        .filter(role_label::Column::RoleId.eq(role))
        .exec(conn)
        .await?;
    if !wanted.is_empty() {
        role_label::Entity::insert_many(wanted.into_iter().map(|l| role_label::ActiveModel {
            role_id: Set(role),
            label_id: Set(l),
        }))
        .exec_without_returning(conn)
        .await?;
    }
    Ok(())
}

pub(super) fn privileged(perms: &BTreeSet<Permission>) -> bool {
    perms.iter().any(|p| p.privileged())
}

/// Custom roles that turn privileged need every holder to have a phone, and
/// end their holders' code-less sessions.
pub(super) async fn on_privilege_gain(
    conn: &impl ConnectionTrait,
    role: Uuid,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let holders = user::Entity::find()
        .filter(
            user::Column::Id.in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(user_role::Column::UserId)
                    .from(user_role::Entity)
                    .and_where(sea_orm::sea_query::Expr::col(user_role::Column::RoleId).eq(role))
                    .to_owned(),
            ),
        )
        .all(conn)
        .await?;
    let phoneless: Vec<&str> = holders
        .iter()
        .filter(|u| u.phone.is_none())
        .map(|u| u.email.as_str())
        .collect();
    if !phoneless.is_empty() {
        return Err(ApiError::Validation(vec![FieldError::new(
            "permissions",
            "phone_required",
            format!(
                "holders without a phone cannot get a privileged permission: {}",
                phoneless.join(", ")
            ),
        )]));
    }
    for u in holders {
        session::revoke_all(conn, u.id, None, "privilege_granted", now).await?;
    }
    Ok(())
}

/// The role change as a security event, committed with it.
pub(super) async fn record(
    ctx: &TenantCtx,
    req: &HttpRequest,
    event: &str,
    details: serde_json::Value,
) -> crate::error::ApiResult<()> {
    let mut entry = ctx.event(req, event);
    entry.details = details;
    ctx.record(entry).await
}
