//! Who can see a project, and why: for each active user, the roles whose
//! `projects.read` reaches it (every project, one of its labels, or
//! membership). The same rule as [`crate::access::scope`], read from the
//! other side, so an administrator can check a scope before trusting it.

use std::collections::{BTreeMap, BTreeSet};

use actix_web::{get, web, HttpResponse};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::{
    access::{
        scope::{self, Scope},
        Permission,
    },
    auth::TenantCtx,
    entities::tenant::{
        project_label, project_member, role,
        user::{self, UserStatus},
        user_role,
    },
    error::ApiResult,
    ids::{LabelId, ProjectId, RoleId, UserId},
};

/// Why one role lets a user see the project.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum AccessReason {
    /// The role reaches every project.
    All { role_id: RoleId, role_name: String },
    /// The role reaches projects with any of these labels, and the project
    /// carries them.
    Labels {
        role_id: RoleId,
        role_name: String,
        label_ids: Vec<LabelId>,
    },
    /// The role reaches the projects its holder is a member of, and the user
    /// is a member of this one.
    Member { role_id: RoleId, role_name: String },
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AccessEntry {
    pub user_id: UserId,
    pub name: String,
    pub email: String,
    /// At least one; one per role that reaches the project.
    pub reasons: Vec<AccessReason>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProjectAccessOut {
    pub project_id: ProjectId,
    /// Active users who can read the project, by name. Disabled and locked
    /// out users are left out: they cannot sign in.
    pub items: Vec<AccessEntry>,
    /// Members of the project whom no role lets see it through membership
    /// (their roles reach it otherwise, or not at all).
    pub members_without_effect: Vec<UserId>,
}

/// Who can read the project, and through which role.
#[utoipa::path(
    tag = "projects",
    params(("id" = ProjectId, Path, description = "Project id")),
    responses(
        (status = 200, body = ProjectAccessOut),
        crate::error::BadId,
        crate::error::Unauthenticated,
        (status = 403, description = "`permission_denied` (needs `projects.read` and `users.read`)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such project within reach", body = crate::error::Problem, content_type = "application/problem+json"),
        crate::error::DatabaseUnavailable,
    )
)]
#[get("/projects/{id}/access")]
pub async fn get_access(ctx: TenantCtx, id: web::Path<ProjectId>) -> ApiResult<HttpResponse> {
    ctx.require(Permission::UsersRead)?;
    let project = ctx.project(Permission::ProjectsRead, *id).await?;
    let tx = ctx.tx().await?;
    let labels: BTreeSet<Uuid> = project_label::Entity::find()
        .filter(project_label::Column::ProjectId.eq(project.id))
        .all(tx)
        .await?
        .into_iter()
        .map(|l| l.label_id)
        .collect();
    let members: BTreeSet<Uuid> = project_member::Entity::find()
        .filter(project_member::Column::ProjectId.eq(project.id))
        .all(tx)
        .await?
        .into_iter()
        .map(|m| m.user_id)
        .collect();
    // Sorted here, not by the database's collation: the same order on every
    // engine.
    let mut roles = role::Entity::find().all(tx).await?;
    roles.sort_by(|a, b| a.name.cmp(&b.name));
    let grants = scope::grants(tx, &roles).await?;
    // Per role, by name: the reason it reaches this project, or "through
    // membership".
    let mut by_role: Vec<(Uuid, RoleReach)> = Vec::new();
    for (r, g) in roles.iter().zip(&grants) {
        if !g.permissions.contains(&Permission::ProjectsRead) {
            continue;
        }
        let reach = match &g.scope {
            Scope::All => RoleReach::Always(AccessReason::All {
                role_id: RoleId(r.id),
                role_name: r.name.clone(),
            }),
            Scope::Labels(ids) => {
                let shared: Vec<LabelId> = ids
                    .iter()
                    .filter(|l| labels.contains(l))
                    .map(|l| LabelId(*l))
                    .collect();
                if shared.is_empty() {
                    continue;
                }
                RoleReach::Always(AccessReason::Labels {
                    role_id: RoleId(r.id),
                    role_name: r.name.clone(),
                    label_ids: shared,
                })
            }
            Scope::Assigned => RoleReach::IfMember(r.id, r.name.clone()),
        };
        by_role.push((r.id, reach));
    }
    let mut held: BTreeMap<Uuid, BTreeSet<Uuid>> = BTreeMap::new();
    for h in user_role::Entity::find().all(tx).await? {
        held.entry(h.user_id).or_default().insert(h.role_id);
    }
    let users = user::Entity::find()
        .filter(user::Column::Status.eq(UserStatus::Active))
        .order_by_asc(user::Column::Name)
        .order_by_asc(user::Column::Id)
        .all(tx)
        .await?;
    let mut items = Vec::new();
    let mut members_with_effect = BTreeSet::new();
    for u in users {
        let mut reasons = Vec::new();
        let Some(mine) = held.get(&u.id) else {
            continue;
        };
        // In role-name order, as `roles` was read.
        for (_, reach) in by_role.iter().filter(|(r, _)| mine.contains(r)) {
            match reach {
                RoleReach::Always(reason) => reasons.push(reason.clone()),
                RoleReach::IfMember(id, name) if members.contains(&u.id) => {
                    members_with_effect.insert(u.id);
                    reasons.push(AccessReason::Member {
                        role_id: RoleId(*id),
                        role_name: name.clone(),
                    });
                }
                _ => {}
            }
        }
        if !reasons.is_empty() {
            items.push(AccessEntry {
                user_id: UserId(u.id),
                name: u.name,
                email: u.email,
                reasons,
            });
        }
    }
    let members_without_effect = members
        .difference(&members_with_effect)
        .map(|u| UserId(*u))
        .collect();
    Ok(HttpResponse::Ok().json(ProjectAccessOut {
        project_id: ProjectId(project.id),
        items,
        members_without_effect,
    }))
}

enum RoleReach {
    Always(AccessReason),
    IfMember(Uuid, String),
}
