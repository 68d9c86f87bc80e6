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
            .into_iter()
            .map(|l| (l.role_id, l.label_id))
            .collect()
    };
    Ok(grants_from(roles, &links))
}

/// The grants of `roles`, given the (role, label) links of the label-scoped ones.
pub fn grants_from(roles: &[role::Model], links: &[(Uuid, Uuid)]) -> Vec<Grant> {
    roles
        .iter()
        .map(|r| Grant {
            permissions: permissions::parse_stored(&r.permissions),
            scope: match r.scope_kind {
                ScopeKind::Labels => Scope::Labels(
                    links
                        .iter()
                        .filter(|(role, _)| *role == r.id)
                        .map(|(_, label)| *label)
                        .collect(),
                ),
                ScopeKind::Assigned => Scope::Assigned,
                ScopeKind::All => Scope::All,
            },
        })
        .collect()
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

/// Where a project stands for one user: its labels, and whether the user is
/// a member. Enough to tell which permissions reach it.
#[derive(Debug, Clone, Default)]
pub struct Placement {
    pub labels: BTreeSet<Uuid>,
    pub member: bool,
}

impl Placement {
    pub async fn of(
        conn: &impl ConnectionTrait,
        project: Uuid,
        user: Uuid,
    ) -> Result<Placement, DbErr> {
        let labels = project_label::Entity::find()
            .filter(project_label::Column::ProjectId.eq(project))
            .all(conn)
            .await?
            .into_iter()
            .map(|l| l.label_id)
            .collect();
        let member = project_member::Entity::find()
            .filter(project_member::Column::ProjectId.eq(project))
            .filter(project_member::Column::UserId.eq(user))
            .one(conn)
            .await?
            .is_some();
        Ok(Placement { labels, member })
    }

    /// The permissions of `grants` that reach a project placed so.
    pub fn reached_by(&self, grants: &[Grant]) -> BTreeSet<Permission> {
        grants
            .iter()
            .filter(|g| match &g.scope {
                Scope::All => true,
                Scope::Labels(ids) => ids.iter().any(|l| self.labels.contains(l)),
                Scope::Assigned => self.member,
            })
            .flat_map(|g| g.permissions.iter().copied())
            .collect()
    }
}

/// 403 `scope_escalation` when a change would widen the caller's reach.
pub fn refuse_widening(
    grants: &[Grant],
    before: &Placement,
    after: &Placement,
) -> Result<(), crate::error::ApiError> {
    let gained = widened(grants, before, after);
    if gained.is_empty() {
        return Ok(());
    }
    let names: Vec<String> = gained.iter().map(|p| format!("`{p}`")).collect();
    Err(crate::error::ApiError::forbidden(
        crate::error::ErrorCode::ScopeEscalation,
        format!(
            "this change would give you {} on this project, which your roles do not grant you here: ask someone who holds it over all projects",
            names.join(", ")
        ),
    ))
}

/// What a change of a project's labels or members would add to the caller's
/// own reach over it: no one may widen their own reach (a member of staff
/// with `projects.write` everywhere but `files.read` only on assigned
/// projects must not make themselves a member to read the files).
pub fn widened(grants: &[Grant], before: &Placement, after: &Placement) -> Vec<Permission> {
    let had = before.reached_by(grants);
    after
        .reached_by(grants)
        .into_iter()
        .filter(|p| !had.contains(p))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grant(perms: &[Permission], scope: Scope) -> Grant {
        Grant {
            permissions: perms.iter().copied().collect(),
            scope,
        }
    }

    #[test]
    fn joining_or_labelling_a_project_must_not_widen_the_callers_reach() {
        let tea = Uuid::now_v7();
        let grants = vec![
            grant(
                &[Permission::ProjectsRead, Permission::ProjectsWrite],
                Scope::All,
            ),
            grant(&[Permission::FilesRead], Scope::Assigned),
            grant(&[Permission::FilesWrite], Scope::Labels(vec![tea])),
        ];
        let outside = Placement::default();
        let joined = Placement {
            member: true,
            ..Placement::default()
        };
        let labelled = Placement {
            labels: [tea].into(),
            member: false,
        };
        assert_eq!(widened(&grants, &outside, &joined), [Permission::FilesRead]);
        assert_eq!(
            widened(&grants, &outside, &labelled),
            [Permission::FilesWrite]
        );
        // Leaving, or what `all` already reaches: nothing new.
        assert!(widened(&grants, &joined, &outside).is_empty());
        assert!(widened(&grants[..1], &outside, &joined).is_empty());
    }
}
