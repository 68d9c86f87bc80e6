//! Project members: the users an `assigned`-scoped role lets see a project.

use std::collections::BTreeSet;

use actix_web::{get, put, web, HttpRequest, HttpResponse};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::{
    access::{
        scope::{refuse_widening, Placement},
        Permission,
    },
    auth::TenantCtx,
    entities::tenant::project_member,
    error::{ApiError, ApiResult},
    ids::{ProjectId, UserId},
};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MembersIn {
    /// The complete new set of members.
    pub user_ids: Vec<UserId>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MembersOut {
    pub project_id: ProjectId,
    pub user_ids: Vec<UserId>,
}

async fn members(
    conn: &impl sea_orm::ConnectionTrait,
    project: Uuid,
) -> Result<Vec<UserId>, ApiError> {
    Ok(project_member::Entity::find()
        .filter(project_member::Column::ProjectId.eq(project))
        .order_by_asc(project_member::Column::UserId)
        .all(conn)
        .await?
        .into_iter()
        .map(|m| UserId(m.user_id))
        .collect())
}

/// The project's members.
#[utoipa::path(
    tag = "projects",
    params(("id" = ProjectId, Path, description = "Project id")),
    responses(
        (status = 200, body = MembersOut),
        crate::error::BadId,
        crate::error::Unauthenticated,
        (status = 403, description = "`permission_denied` (needs `projects.read`)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such project within reach", body = crate::error::Problem, content_type = "application/problem+json"),
        crate::error::DatabaseUnavailable,
    )
)]
#[get("/projects/{id}/members")]
pub async fn get_members(ctx: TenantCtx, id: web::Path<ProjectId>) -> ApiResult<HttpResponse> {
    let project = ctx.project(Permission::ProjectsRead, *id).await?;
    let user_ids = members(ctx.tx().await?, project.id).await?;
    Ok(HttpResponse::Ok().json(MembersOut {
        project_id: ProjectId(project.id),
        user_ids,
    }))
}

/// Replace the project's members (all must be users of this tenant).
#[utoipa::path(
    tag = "projects",
    params(("id" = ProjectId, Path, description = "Project id")),
    request_body = MembersIn,
    responses(
        (status = 200, body = MembersOut),
        crate::error::JsonBodyAndId,
        crate::error::Unauthenticated,
        (status = 403, description = "`permission_denied` (needs `projects.write`), or `scope_escalation`: the change would widen your own reach", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such project within reach", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "`unknown_user`: ids that name no user here", body = crate::error::Problem, content_type = "application/problem+json"),
        crate::error::DatabaseUnavailable,
    )
)]
#[put("/projects/{id}/members")]
pub async fn set_members(
    req: HttpRequest,
    ctx: TenantCtx,
    id: web::Path<ProjectId>,
    body: crate::http::Json<MembersIn>,
) -> ApiResult<HttpResponse> {
    let project = ctx.project(Permission::ProjectsWrite, *id).await?;
    let wanted: BTreeSet<Uuid> = body.user_ids.iter().map(|u| u.as_uuid()).collect();
    if wanted.len() > 500 {
        return Err(ApiError::field(
            "user_ids",
            "too_many",
            "at most 500 members",
        ));
    }
    crate::accounts::ensure_users_exist(ctx.tx().await?, "user_ids", &wanted).await?;
    let before = Placement::of(ctx.tx().await?, project.id, ctx.user.id).await?;
    let after = Placement {
        member: wanted.contains(&ctx.user.id),
        ..before.clone()
    };
    refuse_widening(&ctx.grants, &before, &after)?;
    project_member::Entity::delete_many()
        .filter(project_member::Column::ProjectId.eq(project.id))
        .exec(ctx.tx().await?)
        .await?;
    if !wanted.is_empty() {
        project_member::Entity::insert_many(wanted.iter().map(|u| project_member::ActiveModel {
            project_id: Set(project.id),
            user_id: Set(*u),
        }))
        .exec_without_returning(ctx.tx().await?)
        .await?;
    }
    let user_ids = members(ctx.tx().await?, project.id).await?;
    let mut event = ctx.event(&req, "project.members.changed");
    event.details = serde_json::json!({ "project_id": project.id, "user_ids": user_ids });
    ctx.record(event).await?;
    Ok(HttpResponse::Ok().json(MembersOut {
        project_id: ProjectId(project.id),
        user_ids,
    }))
}
