//! A project's labels: replaced as a whole set, every id checked.

use actix_web::{put, web, HttpResponse};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::{
    out, touch,
    types::{LabelIdsIn, ProjectOut},
    with_etag,
};
use crate::{
    auth::TenantCtx,
    entities::{label, project_label},
    error::{ApiError, ApiResult, FieldError},
    ids::ProjectId,
};

/// Replace the project's labels with `label_ids` (all must exist).
#[utoipa::path(
    tag = "projects",
    params(("id" = ProjectId, Path, description = "Project id")),
    request_body = LabelIdsIn,
    responses(
        (status = 200, body = ProjectOut, headers(("ETag" = String, description = "The new version"))),
        (status = 400, description = "Malformed JSON or id", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token or session", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 403, description = "`permission_denied` (needs `projects.write`)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such project here", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not JSON", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "`unknown_label`: ids that name no label", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[put("/projects/{id}/labels")]
pub async fn set_project_labels(
    ctx: TenantCtx,
    id: web::Path<ProjectId>,
    body: web::Json<LabelIdsIn>,
) -> ApiResult<HttpResponse> {
    let existing = ctx.project("projects.write", id.as_uuid()).await?;
    let wanted: std::collections::BTreeSet<Uuid> =
        body.label_ids.iter().map(|l| l.as_uuid()).collect();
    if wanted.len() > 100 {
        return Err(ApiError::field(
            "label_ids",
            "too_many",
            "at most 100 labels",
        ));
    }
    let found: Vec<Uuid> = label::Entity::find()
        .filter(label::Column::Id.is_in(wanted.iter().copied()))
        .all(&*ctx.tx)
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
            "label_ids",
            "unknown_label",
            format!("no such label: {}", unknown.join(", ")),
        )]));
    }
    project_label::Entity::delete_many()
        .filter(project_label::Column::ProjectId.eq(existing.id))
        .exec(&*ctx.tx)
        .await?;
    if !wanted.is_empty() {
        project_label::Entity::insert_many(wanted.iter().map(|l| project_label::ActiveModel {
            project_id: Set(existing.id),
            label_id: Set(*l),
        }))
        .exec_without_returning(&*ctx.tx)
        .await?;
    }
    let updated = touch(&*ctx.tx, existing, None).await?;
    let body = out(&*ctx.tx, updated).await?;
    ctx.commit().await?;
    Ok(with_etag(actix_web::http::StatusCode::OK, &body))
}
