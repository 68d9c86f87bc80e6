//! Reference scope: which projects a permission reaches. A user may do P to
//! project X when one of its roles grants P and has X in its scope; lists are
//! filtered by the same rule inside the query.

use std::collections::BTreeSet;

use sea_orm::{
    sea_query::{Expr, Query},
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter,
};
use uuid::Uuid;

use super::permissions::{self, Permission};
use crate::entities::tenant::{
    project, project_label, project_member,
    role::{self, ScopeKind},
    role_label,
};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    All,
    /// Projects carrying any of these labels.
    Labels(Vec<Uuid>),
    /// Projects the user is a member of.
    Assigned,
}

/// What one role grants, and where.
#[derive(Debug, Clone)]
pub struct Grant {
    pub permissions: BTreeSet<Permission>,
    pub scope: Scope,
}

/// The grants of `roles`, their label scopes read in one query.
pub async fn grants(
    conn: &impl ConnectionTrait,
    roles: &[role::Model],
) -> Result<Vec<Grant>, DbErr> {
    let labelled: Vec<Uuid> = roles
        .iter()
        .filter(|r| r.scope_kind == ScopeKind::Labels)
        .map(|r| r.id)
        .collect();
    let links = if labelled.is_empty() {
        Vec::new()
    } else {
        role_label::Entity::find()
            .filter(role_label::Column::RoleId.is_in(labelled))
            .all(conn)
            .await?
    };
    Ok(roles
        .iter()
        .map(|r| Grant {
            permissions: permissions::parse_stored(&r.permissions),
            scope: match r.scope_kind {
                ScopeKind::Labels => Scope::Labels(
                    links
                        .iter()
                        .filter(|l| l.role_id == r.id)
                        .map(|l| l.label_id)
                        .collect(),
                ),
                ScopeKind::Assigned => Scope::Assigned,
                ScopeKind::All => Scope::All,
            },
        })
        .collect())
}

/// The projects `permission` reaches for `user`, as a condition on
/// `projects`; `None` when no role grants it at all.
pub fn projects_condition(
    grants: &[Grant],
    permission: Permission,
    user: Uuid,
) -> Option<Condition> {
    let scopes: Vec<&Scope> = grants
        .iter()
        .filter(|g| g.permissions.contains(&permission))
        .map(|g| &g.scope)
        .collect();
    if scopes.is_empty() {
        return None;
    }
    if scopes.iter().any(|s| **s == Scope::All) {
        return Some(Condition::all());
    }
    let mut any = Condition::any();
    let labels: BTreeSet<Uuid> = scopes
        .iter()
        .filter_map(|s| match s {
            Scope::Labels(ids) => Some(ids.iter().copied()),
            _ => None,
        })
        .flatten()
        .collect();
    if !labels.is_empty() {
        any = any.add(
            project::Column::Id.in_subquery(
                Query::select()
                    .column(project_label::Column::ProjectId)
                    .from(project_label::Entity)
                    .and_where(Expr::col(project_label::Column::LabelId).is_in(labels))
                    .to_owned(),
            ),
        );
    }
    if scopes.iter().any(|s| **s == Scope::Assigned) {
        any = any.add(
            project::Column::Id.in_subquery(
                Query::select()
                    .column(project_member::Column::ProjectId)
                    .from(project_member::Entity)
                    .and_where(Expr::col(project_member::Column::UserId).eq(user))
                    .to_owned(),
            ),
        );
    }
    // A labels scope with no labels reaches nothing.
    Some(if any.is_empty() {
        Condition::all().add(Expr::val(1).eq(0))
    } else {
        any
    })
}

/// Is `project` within `permission`'s reach?
pub async fn project_in_scope(
    conn: &impl ConnectionTrait,
    grants: &[Grant],
    permission: Permission,
    user: Uuid,
    id: Uuid,
) -> Result<Option<project::Model>, DbErr> {
    let Some(condition) = projects_condition(grants, permission, user) else {
        return Ok(None);
    };
    project::Entity::find_by_id(id)
        .filter(condition)
        .one(conn)
        .await
}
