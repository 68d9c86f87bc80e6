//! Design projects (案件): read with `projects.read`, changed with
//! `projects.write`, deleted with `projects.delete`. Responses carry an
//! `ETag`; a `PATCH` with a stale `If-Match` is 412.

pub mod access;
mod labeling;
pub mod list;
pub mod members;
pub mod types;

use std::collections::HashMap;

use actix_web::{delete, get, http::header, patch, post, web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
};
use uuid::Uuid;

use crate::{
    access::Permission,
    auth::TenantCtx,
    entities::tenant::{file, label, project, project_label},
    error::{ApiError, ApiResult},
    ids::ProjectId,
    logbook::entry::truncate_to_millis,
    page::{Page, PageQuery},
    state::AppState,
    storage,
};
use types::{LabelRef, ProjectChange, ProjectIn, ProjectOut, ProjectPatch, ProjectQuery};

/// The labels of each of `projects`, ordered by code.
pub async fn labels_of(
    conn: &impl ConnectionTrait,
    projects: &[Uuid],
) -> Result<HashMap<Uuid, Vec<LabelRef>>, ApiError> {
    if projects.is_empty() {
        return Ok(HashMap::new());
    }
    let rows = project_label::Entity::find()
        .filter(project_label::Column::ProjectId.is_in(projects.to_vec()))
        .find_also_related(label::Entity)
        .all(conn)
        .await?;
    let mut out: HashMap<Uuid, Vec<LabelRef>> = HashMap::new();
    for (link, l) in rows {
        if let Some(l) = l {
            out.entry(link.project_id)
                .or_default()
                .push(LabelRef::from(&l));
        }
    }
    for v in out.values_mut() {
        v.sort_by(|a, b| a.code.cmp(&b.code));
    }
    Ok(out)
}

pub async fn find(conn: &impl ConnectionTrait, id: Uuid) -> Result<project::Model, ApiError> {
    project::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or(ApiError::NotFound)
}

pub(super) async fn out(
    conn: &impl ConnectionTrait,
    p: project::Model,
) -> Result<ProjectOut, ApiError> {
    let labels = labels_of(conn, &[p.id])
        .await?
        .remove(&p.id)
        .unwrap_or_default();
    Ok(ProjectOut::new(p, labels))
}

fn etag(version: i32) -> String {
    format!("\"{version}\"")
}

pub(super) fn with_etag(status: actix_web::http::StatusCode, body: &ProjectOut) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header((header::ETAG, etag(body.version)))
        .json(body)
}

/// 412 unless `If-Match` (when sent) names the current version.
fn check_if_match(req: &HttpRequest, current: i32) -> Result<(), ApiError> {
    let Some(value) = req.headers().get(header::IF_MATCH) else {
        return Ok(());
    };
    let value = value.to_str().unwrap_or("");
    let matches = value
        .split(',')
        .map(str::trim)
        .any(|tag| tag == "*" || tag.trim_start_matches("W/") == etag(current));
    if matches {
        Ok(())
    } else {
        Err(ApiError::PreconditionFailed)
    }
}

/// Projects, most recently updated first (or by name). `label` may repeat:
/// a project must carry every code given.
#[utoipa::path(
    tag = "projects",
    params(ProjectQuery, PageQuery),
    responses(
        (status = 200, body = Page<ProjectOut>),
        crate::error::Unauthenticated,
        (status = 403, description = "`permission_denied` (needs `projects.read`)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid query", body = crate::error::Problem, content_type = "application/problem+json"),
        crate::error::DatabaseUnavailable,
    )
)]
#[get("/projects")]
async fn list_projects(req: HttpRequest, ctx: TenantCtx) -> ApiResult<HttpResponse> {
    let scope = ctx.project_scope(Permission::ProjectsRead)?;
    let query = ProjectQuery::parse(req.query_string())?;
    let page = list::page(ctx.tx().await?, &query, scope).await?;
    Ok(HttpResponse::Ok().json(page))
}

/// Create a project.
#[utoipa::path(
    tag = "projects",
    request_body = ProjectIn,
    responses(
        (status = 201, body = ProjectOut, headers(("ETag" = String, description = "The version"))),
        crate::error::JsonBody,
        crate::error::Unauthenticated,
        (status = 403, description = "`permission_denied` (needs `projects.write`)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, or `label_ids` naming no label (nothing is created)", body = crate::error::Problem, content_type = "application/problem+json"),
        crate::error::DatabaseUnavailable,
    )
)]
#[post("/projects")]
async fn create_project(
    ctx: TenantCtx,
    body: crate::http::Json<ProjectIn>,
) -> ApiResult<HttpResponse> {
    ctx.require(Permission::ProjectsWrite)?;
    let input = body.into_inner().parse()?;
    let now = truncate_to_millis(ctx.now());
    let name = String::from(input.name);
    let description = input.description;
    let created = project::ActiveModel {
        id: Set(Uuid::now_v7()),
        search_key: Set(crate::text::normalise(&format!("{name}\n{description}"))),
        name_key: Set(crate::text::normalise(&name)),
        name: Set(name),
        description: Set(description),
        status: Set(input.status),
        created_by: Set(Some(ctx.user.id)),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
    }
    .insert(ctx.tx().await?)
    .await?;
    // The creator is a member: an `assigned`-scoped creator keeps sight of it.
    crate::entities::tenant::project_member::Entity::insert(
        crate::entities::tenant::project_member::ActiveModel {
            project_id: Set(created.id),
            user_id: Set(ctx.user.id),
        },
    )
    .exec_without_returning(ctx.tx().await?)
    .await?;
    labeling::replace_labels(ctx.tx().await?, created.id, &input.label_ids).await?;
    let body = out(ctx.tx().await?, created).await?;
    Ok(with_etag(actix_web::http::StatusCode::CREATED, &body))
}

/// One project.
#[utoipa::path(
    tag = "projects",
    params(("id" = ProjectId, Path, description = "Project id")),
    responses(
        (status = 200, body = ProjectOut, headers(("ETag" = String, description = "The version"))),
        crate::error::BadId,
        crate::error::Unauthenticated,
        (status = 403, description = "`permission_denied` (needs `projects.read`)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such project here", body = crate::error::Problem, content_type = "application/problem+json"),
        crate::error::DatabaseUnavailable,
    )
)]
#[get("/projects/{id}")]
async fn get_project(ctx: TenantCtx, id: web::Path<ProjectId>) -> ApiResult<HttpResponse> {
    let body = out(
        ctx.tx().await?,
        ctx.project(Permission::ProjectsRead, *id).await?,
    )
    .await?;
    Ok(with_etag(actix_web::http::StatusCode::OK, &body))
}

/// Change name, description or status. Send the `ETag` you read as
/// `If-Match`: when someone changed the project meanwhile the answer is 412.
#[utoipa::path(
    tag = "projects",
    params(
        ("id" = ProjectId, Path, description = "Project id"),
        ("If-Match" = Option<String>, Header, description = "The ETag read before editing"),
    ),
    request_body = ProjectPatch,
    responses(
        (status = 200, body = ProjectOut, headers(("ETag" = String, description = "The new version"))),
        crate::error::JsonBodyAndId,
        crate::error::Unauthenticated,
        (status = 403, description = "`permission_denied` (needs `projects.write`)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such project here", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 412, description = "`precondition_failed`: the project changed since it was read", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = crate::error::Problem, content_type = "application/problem+json"),
        crate::error::DatabaseUnavailable,
    )
)]
#[patch("/projects/{id}")]
async fn update_project(
    req: HttpRequest,
    ctx: TenantCtx,
    id: web::Path<ProjectId>,
    body: crate::http::Json<ProjectPatch>,
) -> ApiResult<HttpResponse> {
    ctx.require(Permission::ProjectsWrite)?;
    let patch = body.into_inner().parse()?;
    let existing = ctx.project(Permission::ProjectsWrite, *id).await?;
    check_if_match(&req, existing.version)?;
    let updated = touch(ctx.tx().await?, existing, Some(&patch), ctx.now()).await?;
    let body = out(ctx.tx().await?, updated).await?;
    Ok(with_etag(actix_web::http::StatusCode::OK, &body))
}

/// Applies `patch` (if any) and bumps the version, refusing a concurrent
/// writer that got there first.
pub(super) async fn touch(
    conn: &impl ConnectionTrait,
    existing: project::Model,
    patch: Option<&ProjectChange>,
    now: DateTime<Utc>,
) -> Result<project::Model, ApiError> {
    let name = patch
        .and_then(|p| p.name.as_ref())
        .map_or(existing.name.as_str(), |n| n.as_str())
        .to_owned();
    let description = patch
        .and_then(|p| p.description.clone())
        .unwrap_or_else(|| existing.description.clone());
    let status = patch.and_then(|p| p.status).unwrap_or(existing.status);
    let result = project::Entity::update_many()
        .col_expr(
            project::Column::SearchKey,
            sea_orm::sea_query::Expr::value(crate::text::normalise(&format!(
                "{name}\n{description}"
            ))),
        )
        .col_expr(
            project::Column::NameKey,
            sea_orm::sea_query::Expr::value(crate::text::normalise(&name)),
        )
        .col_expr(project::Column::Name, sea_orm::sea_query::Expr::value(name))
        .col_expr(
            project::Column::Description,
            sea_orm::sea_query::Expr::value(description),
        )
        .col_expr(
            project::Column::Status,
            sea_orm::sea_query::Expr::value(status),
        )
        .col_expr(
            project::Column::UpdatedAt,
            sea_orm::sea_query::Expr::value(truncate_to_millis(now)),
        )
        .col_expr(
            project::Column::Version,
            sea_orm::sea_query::Expr::value(existing.version + 1),
        )
        .filter(project::Column::Id.eq(existing.id))
        .filter(project::Column::Version.eq(existing.version))
        .exec(conn)
        .await?;
    if result.rows_affected != 1 {
        return Err(ApiError::PreconditionFailed);
    }
    find(conn, existing.id).await
}

/// Delete a project with its label links and its files, objects included.
#[utoipa::path(
    tag = "projects",
    params(("id" = ProjectId, Path, description = "Project id")),
    responses(
        (status = 204, description = "Deleted"),
        crate::error::BadId,
        crate::error::Unauthenticated,
        (status = 403, description = "`permission_denied` (needs `projects.delete`)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such project here", body = crate::error::Problem, content_type = "application/problem+json"),
        crate::error::DatabaseUnavailable,
    )
)]
#[delete("/projects/{id}")]
async fn delete_project(
    state: web::Data<AppState>,
    ctx: TenantCtx,
    id: web::Path<ProjectId>,
) -> ApiResult<HttpResponse> {
    let existing = ctx.project(Permission::ProjectsDelete, *id).await?;
    // Note the objects before the cascade forgets them.
    let keys: Vec<String> = file::Entity::find()
        .filter(file::Column::ProjectId.eq(existing.id))
        .all(ctx.tx().await?)
        .await?
        .into_iter()
        .map(|f| f.object_key)
        .collect();
    project::Entity::delete_by_id(existing.id)
        .exec(ctx.tx().await?)
        .await?;
    let tenant = ctx.tenant_id();
    ctx.after_commit(async move {
        storage::remove_objects(state.storage.as_ref(), tenant, keys).await;
        Ok(())
    });
    Ok(HttpResponse::NoContent().finish())
}

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_projects)
        .service(create_project)
        .service(get_project)
        .service(update_project)
        .service(delete_project)
        .service(labeling::set_project_labels)
        .service(access::get_access)
        .service(members::get_members)
        .service(members::set_members);
}
