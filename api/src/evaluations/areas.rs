//! Areas of interest: rectangles users draw on a design and name (logo,
//! product name, claim, price …). Their share of attention is measured on
//! the kept saliency maps as soon as they change, without running the
//! evaluation again.

use actix_web::{put, web, HttpResponse};
use sea_orm::{ActiveValue::Set, EntityTrait};

use super::{
    compute, queries,
    routes::evaluation_of,
    types::{AreaIn, AreasIn, EvaluationOut, Stored, StoredMaps},
};
use crate::{
    access::Permission,
    auth::TenantCtx,
    entities::tenant::file_evaluation::{self, EvaluationStatus},
    error::{ApiError, ApiResult, FieldError},
    ids::{FileId, ProjectId},
    state::AppState,
    values::{one_line_rule, Check},
};

/// At most this many areas on one design.
pub const MAX_AREAS: usize = 20;
/// An area's name is 1 to this many characters.
pub const MAX_NAME: usize = 40;

/// Every broken rule of `areas`, each naming its field (`areas[2].w`).
pub fn check(areas: &[AreaIn]) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if areas.len() > MAX_AREAS {
        errors.push(FieldError::new(
            "areas",
            "too_many",
            format!("at most {MAX_AREAS} areas"),
        ));
    }
    for (i, a) in areas.iter().enumerate() {
        let field = |f: &str| format!("areas[{i}].{f}");
        let chars = a.name.trim().chars().count();
        if chars == 0 {
            errors.push(FieldError::new(
                &field("name"),
                "too_short",
                "give the area a name",
            ));
        } else if a.name.chars().count() > MAX_NAME {
            errors.push(FieldError::new(
                &field("name"),
                "too_long",
                format!("at most {MAX_NAME} characters"),
            ));
        } else if let Err(e) = one_line_rule(&a.name) {
            let message = e.message.map(|m| m.to_string()).unwrap_or_default();
            errors.push(FieldError::new(
                &field("name"),
                "invalid_characters",
                message,
            ));
        }
        for (name, v) in [("x", a.x), ("y", a.y)] {
            if !(0.0..=1.0).contains(&v) {
                errors.push(FieldError::new(
                    &field(name),
                    "out_of_range",
                    "a fraction of the design, from 0 to 1",
                ));
            }
        }
        // A little slack: fractions computed from pixels by a client may
        // land a rounding error past the edge.
        for (name, start, size) in [("w", a.x, a.w), ("h", a.y, a.h)] {
            if !(size > 0.0 && size <= 1.0) {
                errors.push(FieldError::new(
                    &field(name),
                    "out_of_range",
                    "a fraction of the design, above 0 and at most 1",
                ));
            } else if start + size > 1.0 + 1e-9 {
                errors.push(FieldError::new(
                    &field(name),
                    "outside_design",
                    "the area must lie inside the design",
                ));
            }
        }
    }
    errors
}

/// Replace a design's areas of interest (the whole list, at most 20):
/// rectangles in fractions of the design's width and height. Their shares
/// of attention (on the design and on the shelf) are in the answer when the
/// design has been evaluated, and are measured by every later run.
#[utoipa::path(
    tag = "evaluations",
    params(("id" = ProjectId, Path, description = "Project id"), ("file_id" = FileId, Path, description = "File id")),
    request_body = AreasIn,
    responses(
        (status = 200, body = EvaluationOut),
        crate::error::JsonBodyAndId,
        crate::error::Unauthenticated,
        (status = 403, description = "`permission_denied` (needs `files.write`)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such file here", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid areas (`areas[i].field` per error) or more than 20", body = crate::error::Problem, content_type = "application/problem+json"),
        crate::error::DatabaseUnavailable,
    )
)]
#[put("/projects/{id}/files/{file_id}/evaluation/areas")]
pub async fn put_areas(
    state: web::Data<AppState>,
    ctx: TenantCtx,
    path: web::Path<(ProjectId, FileId)>,
    body: crate::http::Json<AreasIn>,
) -> ApiResult<HttpResponse> {
    let (project, id) = path.into_inner();
    let areas = body.into_inner().areas;
    let mut check = Check::default();
    check.extend(self::check(&areas));
    check.done(|| Some(()))?;
    let (_, e) = evaluation_of(&ctx, Permission::FilesWrite, project, id).await?;
    let mut change = file_evaluation::ActiveModel {
        file_id: Set(e.file_id),
        areas: Set(serde_json::to_string(&areas).map_err(ApiError::internal)?),
        updated_at: Set(ctx.now()),
        ..Default::default()
    };
    let stored: Option<Stored> = e
        .metrics
        .as_deref()
        .and_then(|m| serde_json::from_str(m).ok());
    let maps: Option<StoredMaps> = e.maps.as_deref().and_then(|m| serde_json::from_str(m).ok());
    if let (Some(mut stored), Some(maps)) = (stored, maps) {
        if let Some((design, shelf)) = compute::shares(&maps, &areas) {
            stored.area_shares = design;
            stored.shelf_area_shares = shelf;
            change.metrics = Set(Some(
                serde_json::to_string(&stored).map_err(ApiError::internal)?,
            ));
        }
    }
    // A run in progress measures the old areas: it loses its claim and the
    // design is evaluated again with these.
    let restart = e.status == EvaluationStatus::Running;
    if restart {
        change.status = Set(EvaluationStatus::Pending);
        change.claimed_at = Set(None);
        change.attempts = Set(0);
    }
    let row = file_evaluation::Entity::update(change)
        .exec(ctx.tx().await?)
        .await?;
    if restart {
        let (tenant, now) = (ctx.tenant_id(), ctx.now());
        ctx.after_commit(async move {
            if let Err(e) = queries::schedule(&state.db, tenant, now).await {
                tracing::error!(error = format!("{e:#}"), "evaluation not queued");
            }
            state.evaluation_wakeup.notify_one();
            Ok(())
        });
    }
    Ok(HttpResponse::Ok().json(EvaluationOut::from(row)))
}
