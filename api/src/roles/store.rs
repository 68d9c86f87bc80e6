//! Queries behind the role endpoints: a role's labels and output shape, its
//! reference scope, and what gaining a privilege does to open sessions.

use std::collections::{BTreeSet, HashMap};

use actix_web::HttpRequest;
use chrono::Utc;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
};
use uuid::Uuid;

use super::types::{RoleOut, ScopeIn};
use crate::{
    access::permissions,
    auth::{session, TenantCtx},
    entities::{label, role, role_label, user, user_role},
    error::{ApiError, FieldError},
    ids::LabelId,
    startup::AppState,
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
            ApiError::conflict("role_name_taken", "a role with this name exists")
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
    let found: Vec<Uuid> = label::Entity::find()
        .filter(label::Column::Id.is_in(wanted.iter().copied()))
        .all(conn)
        .await?
        .into_iter()
        .map(|l| l.id)
        .collect();
    let unknown: Vec<String> = wanted
        .iter()
        .filter(|id| !found.contains(id))
        .map(Uuid::to_string)
        .collect();
    if !unknown.is_empty() {
        return Err(ApiError::Validation(vec![FieldError::new(
            "scope.label_ids",
            "unknown_label",
            format!("no such label: {}", unknown.join(", ")),
        )]));
    }
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

pub(super) fn privileged(perms: &[String]) -> bool {
    perms
        .iter()
        .any(|p| permissions::find(p).is_some_and(|p| p.privileged))
}

/// Custom roles that turn privileged need every holder to have a phone, and
/// end their holders' code-less sessions.
pub(super) async fn on_privilege_gain(
    conn: &impl ConnectionTrait,
    role: Uuid,
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
        session::revoke_all(conn, u.id, None, "privilege_granted", Utc::now()).await?;
    }
    Ok(())
}

pub(super) async fn record(
    state: &AppState,
    ctx: TenantCtx,
    req: &HttpRequest,
    event: &str,
    details: serde_json::Value,
) -> Result<(), ApiError> {
    let mut entry = ctx.event(req, event);
    entry.details = details;
    let tenant = ctx.tenant_id();
    ctx.commit().await?;
    state.access_log.record_durable(tenant, entry).await
}
