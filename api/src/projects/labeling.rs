//! A project's labels: replaced as a whole set, every id checked.

use actix_web::{put, web, HttpResponse};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use std::collections::BTreeSet;
use uuid::Uuid;

use super::{
    out, touch,
    types::{LabelIdsIn, ProjectOut},
    with_etag,
};
use crate::{
    access::{
        scope::{refuse_widening, Placement},
        Permission,
    },
    auth::TenantCtx,
    db::TenantTx,
    entities::tenant::project_label,
    error::{ApiError, ApiResult},
    ids::ProjectId,
};

/// Makes `wanted` the project's labels: at most 100, every one existing
/// (else 422 on `label_ids`).
pub async fn replace_labels(
    tx: &TenantTx,
    project: Uuid,
    wanted: &BTreeSet<Uuid>,
) -> Result<(), ApiError> {
    if wanted.len() > 100 {
        return Err(ApiError::field(
            "label_ids",
            "too_many",
            "at most 100 labels",
        ));
    }
    crate::labels::ensure_exist(tx, "label_ids", wanted).await?;
    project_label::Entity::delete_many()
        .filter(project_label::Column::ProjectId.eq(project))
        .exec(tx)
        .await?;
    if !wanted.is_empty() {
        project_label::Entity::insert_many(wanted.iter().map(|l| project_label::ActiveModel {
            project_id: Set(project),
            label_id: Set(*l),
        }))
        .exec_without_returning(tx)
        .await?;
    }
    Ok(())
}

/// Replace the project's labels with `label_ids` (all must exist).
#[utoipa::path(
    tag = "projects",
    params(("id" = ProjectId, Path, description = "Project id")),
    request_body = LabelIdsIn,
    responses(
        (status = 200, body = ProjectOut, headers(("ETag" = String, description = "The new version"))),
        crate::error::JsonBodyAndId,
        crate::error::Unauthenticated,
        (status = 403, description = "`permission_denied` (needs `projects.write`), or `scope_escalation`: the change would widen your own reach", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such project here", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "`unknown_label`: ids that name no label", body = crate::error::Problem, content_type = "application/problem+json"),
        crate::error::DatabaseUnavailable,
    )
)]
#[put("/projects/{id}/labels")]
pub async fn set_project_labels(
    ctx: TenantCtx,
    id: web::Path<ProjectId>,
    body: crate::http::Json<LabelIdsIn>,
) -> ApiResult<HttpResponse> {
    let existing = ctx.project(Permission::ProjectsWrite, *id).await?;
    let wanted: BTreeSet<Uuid> = body.label_ids.iter().map(|l| l.as_uuid()).collect();
    let before = Placement::of(ctx.tx().await?, existing.id, ctx.user.id).await?;
    let after = Placement {
        labels: wanted.clone(),
        ..before.clone()
    };
    refuse_widening(&ctx.grants, &before, &after)?;
    replace_labels(ctx.tx().await?, existing.id, &wanted).await?;
    let updated = touch(ctx.tx().await?, existing, None, ctx.now()).await?;
    let body = out(ctx.tx().await?, updated).await?;
    Ok(with_etag(actix_web::http::StatusCode::OK, &body))
}
