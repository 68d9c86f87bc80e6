//! Product-code labels: read with `labels.read`, managed with `labels.manage`.

pub mod types;

use std::collections::{BTreeSet, HashMap};

use actix_web::{delete, get, patch, post, web, HttpResponse};
use sea_orm::{
    sea_query::{Expr, Func, LikeExpr},
    ActiveModelTrait,
    ActiveValue::Set,
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use uuid::Uuid;

use crate::{
    access::Permission,
    auth::TenantCtx,
    entities::tenant::{label, project_label},
    error::ErrorCode,
    error::{ApiError, ApiResult},
    ids::LabelId,
    page::{Page, PageQuery},
};
/// 422 `unknown_label` on `field` unless every one of `ids` names a label
/// here (projects and role scopes refer to labels by id).
pub async fn ensure_exist(
    conn: &impl ConnectionTrait,
    field: &str,
    ids: &BTreeSet<Uuid>,
) -> Result<(), ApiError> {
    let found: Vec<Uuid> = label::Entity::find()
        .select_only()
        .column(label::Column::Id)
        .filter(label::Column::Id.is_in(ids.iter().copied()))
        .into_tuple()
        .all(conn)
        .await?;
    ApiError::unless_all_found(field, "label", ids, &found)
}

use types::{DeleteQuery, LabelIn, LabelOut, LabelPatch, LabelQuery};

/// How many projects carry each of `labels`.
pub async fn project_counts(
    conn: &impl ConnectionTrait,
    labels: &[Uuid],
) -> Result<HashMap<Uuid, i64>, ApiError> {
    if labels.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(Uuid, i64)> = project_label::Entity::find()
        .select_only()
        .column(project_label::Column::LabelId)
        .column_as(project_label::Column::ProjectId.count(), "n")
        .filter(project_label::Column::LabelId.is_in(labels.to_vec()))
        .group_by(project_label::Column::LabelId)
        .into_tuple()
        .all(conn)
        .await?;
    Ok(rows.into_iter().collect())
}

async fn find(conn: &impl ConnectionTrait, id: Uuid) -> Result<label::Model, ApiError> {
    label::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or(ApiError::NotFound)
}

async fn out(conn: &impl ConnectionTrait, m: label::Model) -> Result<LabelOut, ApiError> {
    let n = project_counts(conn, &[m.id])
        .await?
        .get(&m.id)
        .copied()
        .unwrap_or(0);
    Ok(LabelOut::new(m, n))
}

fn taken(e: sea_orm::DbErr) -> ApiError {
    match e.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => ApiError::conflict(
            ErrorCode::LabelCodeTaken,
            "a label with this code already exists",
        ),
        _ => e.into(),
    }
}

/// Labels, ordered by code.
#[utoipa::path(
    tag = "labels",
    params(LabelQuery, PageQuery<200>),
    responses(
        (status = 200, body = Page<LabelOut>),
        crate::error::Unauthenticated,
        (status = 403, description = "`permission_denied` (needs `labels.read`)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid query", body = crate::error::Problem, content_type = "application/problem+json"),
        crate::error::DatabaseUnavailable,
    )
)]
#[get("/labels")]
async fn list_labels(
    ctx: TenantCtx,
    query: web::Query<LabelQuery>,
    page: web::Query<PageQuery<200>>,
) -> ApiResult<HttpResponse> {
    ctx.require(Permission::LabelsRead)?;
    let limit = page.limit()?;
    let mut select = label::Entity::find()
        .order_by_asc(label::Column::CodeKey)
        .limit(limit + 1);
    if let Some(q) = query.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        if q.chars().count() > 200 {
            return Err(ApiError::field(
                "q",
                "too_long",
                "must be at most 200 characters",
            ));
        }
        let pattern = crate::text::like_pattern(q);
        select = select.filter(
            Condition::any()
                .add(
                    Expr::col(label::Column::CodeKey)
                        .like(LikeExpr::new(pattern.clone()).escape('\\')),
                )
                .add(
                    Expr::expr(Func::lower(Expr::col(label::Column::Name)))
                        .like(LikeExpr::new(pattern).escape('\\')),
                ),
        );
    }
    if let Some(after) = page.after::<String>()? {
        select = select.filter(label::Column::CodeKey.gt(after));
    }
    let rows = select.all(ctx.tx().await?).await?;
    let labels = Page::from_rows(rows, limit, |l| l.code_key.clone());
    let ids: Vec<Uuid> = labels.items.iter().map(|l| l.id).collect();
    let counts = project_counts(ctx.tx().await?, &ids).await?;
    Ok(HttpResponse::Ok().json(labels.map(|l| {
        let n = counts.get(&l.id).copied().unwrap_or(0);
        LabelOut::new(l, n)
    })))
}

/// Create a label. `kind: jan` verifies the JAN check digit.
#[utoipa::path(
    tag = "labels",
    request_body = LabelIn,
    responses(
        (status = 201, body = LabelOut),
        crate::error::JsonBody,
        crate::error::Unauthenticated,
        (status = 403, description = "`permission_denied` (needs `labels.manage`)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "`label_code_taken`", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (`invalid_format`, `invalid_jan`, `invalid_check_digit` …)", body = crate::error::Problem, content_type = "application/problem+json"),
        crate::error::DatabaseUnavailable,
    )
)]
#[post("/labels")]
async fn create_label(ctx: TenantCtx, body: crate::http::Json<LabelIn>) -> ApiResult<HttpResponse> {
    ctx.require(Permission::LabelsManage)?;
    let input = body.into_inner().parse()?;
    let now = ctx.now();
    let model = label::ActiveModel {
        id: Set(Uuid::now_v7()),
        code_key: Set(input.code.key().into()),
        code: Set(input.code.into()),
        kind: Set(input.kind),
        name: Set(input.name.into()),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(ctx.tx().await?)
    .await
    .map_err(taken)?;
    Ok(HttpResponse::Created().json(LabelOut::new(model, 0)))
}

/// One label, with the number of projects carrying it.
#[utoipa::path(
    tag = "labels",
    params(("id" = LabelId, Path, description = "Label id")),
    responses(
        (status = 200, body = LabelOut),
        crate::error::BadId,
        crate::error::Unauthenticated,
        (status = 403, description = "`permission_denied` (needs `labels.read`)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such label in this tenant", body = crate::error::Problem, content_type = "application/problem+json"),
        crate::error::DatabaseUnavailable,
    )
)]
#[get("/labels/{id}")]
async fn get_label(ctx: TenantCtx, id: web::Path<LabelId>) -> ApiResult<HttpResponse> {
    ctx.require(Permission::LabelsRead)?;
    let body = out(ctx.tx().await?, find(ctx.tx().await?, id.as_uuid()).await?).await?;
    Ok(HttpResponse::Ok().json(body))
}

/// Change a label's code, kind or name.
#[utoipa::path(
    tag = "labels",
    params(("id" = LabelId, Path, description = "Label id")),
    request_body = LabelPatch,
    responses(
        (status = 200, body = LabelOut),
        crate::error::JsonBodyAndId,
        crate::error::Unauthenticated,
        (status = 403, description = "`permission_denied` (needs `labels.manage`)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such label in this tenant", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "`label_code_taken`", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = crate::error::Problem, content_type = "application/problem+json"),
        crate::error::DatabaseUnavailable,
    )
)]
#[patch("/labels/{id}")]
async fn update_label(
    ctx: TenantCtx,
    id: web::Path<LabelId>,
    body: crate::http::Json<LabelPatch>,
) -> ApiResult<HttpResponse> {
    ctx.require(Permission::LabelsManage)?;
    let existing = find(ctx.tx().await?, id.as_uuid()).await?;
    let patch = body.into_inner();
    // The label as it would be is checked whole: `kind: jan` alone must
    // check the code already stored.
    let merged = LabelIn {
        code: patch.code.unwrap_or_else(|| existing.code.clone()),
        kind: patch.kind.unwrap_or(existing.kind),
        name: patch.name.unwrap_or_else(|| existing.name.clone()),
    }
    .parse()?;
    let mut row: label::ActiveModel = existing.into();
    row.code_key = Set(merged.code.key().into());
    row.code = Set(merged.code.into());
    row.kind = Set(merged.kind);
    row.name = Set(merged.name.into());
    row.updated_at = Set(ctx.now());
    let updated = row.update(ctx.tx().await?).await.map_err(taken)?;
    let body = out(ctx.tx().await?, updated).await?;
    Ok(HttpResponse::Ok().json(body))
}

/// Delete a label. While projects carry it the answer is 409 `label_in_use`,
/// unless `force=true`, which detaches it from them.
#[utoipa::path(
    tag = "labels",
    params(("id" = LabelId, Path, description = "Label id"), DeleteQuery),
    responses(
        (status = 204, description = "Deleted"),
        crate::error::BadId,
        crate::error::Unauthenticated,
        (status = 403, description = "`permission_denied` (needs `labels.manage`)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such label in this tenant", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "`label_in_use`", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid query", body = crate::error::Problem, content_type = "application/problem+json"),
        crate::error::DatabaseUnavailable,
    )
)]
#[delete("/labels/{id}")]
async fn delete_label(
    ctx: TenantCtx,
    id: web::Path<LabelId>,
    query: web::Query<DeleteQuery>,
) -> ApiResult<HttpResponse> {
    ctx.require(Permission::LabelsManage)?;
    let existing = find(ctx.tx().await?, id.as_uuid()).await?;
    let in_use = project_label::Entity::find()
        .filter(project_label::Column::LabelId.eq(existing.id))
        .count(ctx.tx().await?)
        .await?;
    if in_use > 0 && !query.force.unwrap_or(false) {
        return Err(ApiError::conflict(
            ErrorCode::LabelInUse,
            format!("{in_use} project(s) carry this label; delete with force=true to detach it"),
        ));
    }
    label::Entity::delete_by_id(existing.id)
        .exec(ctx.tx().await?)
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_labels)
        .service(create_label)
        .service(get_label)
        .service(update_label)
        .service(delete_label);
}
