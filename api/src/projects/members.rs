//! Project members: the users an `assigned`-scoped role lets see a project.

use std::collections::BTreeSet;

use actix_web::{get, put, web, HttpRequest, HttpResponse};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::{
    auth::TenantCtx,
    entities::{project_member, user},
    error::{ApiError, ApiResult, FieldError},
    ids::{ProjectId, UserId},
    startup::AppState,
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
        (status = 400, description = "The id is not a UUID", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token or session", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 403, description = "`permission_denied` (needs `projects.read`)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such project within reach", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/projects/{id}/members")]
pub async fn get_members(ctx: TenantCtx, id: web::Path<ProjectId>) -> ApiResult<HttpResponse> {
    let project = ctx.project("projects.read", id.as_uuid()).await?;
    let user_ids = members(&*ctx.tx, project.id).await?;
    ctx.commit().await?;
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
        (status = 400, description = "Malformed JSON or id", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token or session", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 403, description = "`permission_denied` (needs `projects.write`)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such project within reach", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not JSON", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "`unknown_user`: ids that name no user here", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[put("/projects/{id}/members")]
pub async fn set_members(
    state: web::Data<AppState>,
    req: HttpRequest,
    ctx: TenantCtx,
    id: web::Path<ProjectId>,
    body: web::Json<MembersIn>,
) -> ApiResult<HttpResponse> {
    let project = ctx.project("projects.write", id.as_uuid()).await?;
    let wanted: BTreeSet<Uuid> = body.user_ids.iter().map(|u| u.as_uuid()).collect();
    if wanted.len() > 500 {
        return Err(ApiError::field(
            "user_ids",
            "too_many",
            "at most 500 members",
        ));
    }
    let found: Vec<Uuid> = user::Entity::find()
        .filter(user::Column::Id.is_in(wanted.iter().copied()))
        .all(&*ctx.tx)
        .await?
        .into_iter()
        .map(|u| u.id)
        .collect();
    let unknown: Vec<String> = wanted
        .iter()
        .filter(|u| !found.contains(u))
        .map(Uuid::to_string)
        .collect();
    if !unknown.is_empty() {
        return Err(ApiError::Validation(vec![FieldError::new(
            "user_ids",
            "unknown_user",
            format!("no such user: {}", unknown.join(", ")),
        )]));
    }
    project_member::Entity::delete_many()
        .filter(project_member::Column::ProjectId.eq(project.id))
        .exec(&*ctx.tx)
        .await?;
    if !wanted.is_empty() {
        project_member::Entity::insert_many(wanted.iter().map(|u| project_member::ActiveModel {
            project_id: Set(project.id),
            user_id: Set(*u),
        }))
        .exec_without_returning(&*ctx.tx)
        .await?;
    }
    let user_ids = members(&*ctx.tx, project.id).await?;
    let mut event = ctx.event(&req, "project.members.changed");
    event.details = serde_json::json!({ "project_id": project.id, "user_ids": user_ids });
    let tenant = ctx.tenant_id();
    ctx.commit().await?;
    state.access_log.record_durable(tenant, event).await?;
    Ok(HttpResponse::Ok().json(MembersOut {
        project_id: ProjectId(project.id),
        user_ids,
    }))
}
