//! The operator side of notices: publish, list, change, cancel, post
//! incident updates, see deliveries. Every action goes to the platform audit.

use actix_web::{delete, get, patch, post, web, HttpResponse};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use super::{
    delivery,
    rules::{window_violations, NoticeIn, NoticePatch},
    types::{effective_status, NoticeKind, NoticeOut, NoticeStatus},
    updates_of,
};
use crate::{
    entities::platform::notice,
    error::ErrorCode,
    error::{ApiError, ApiResult, FieldError},
    ops::context::OpsCtx,
    page::{Page, PageQuery},
};

/// Every addressed tenant must exist: a typo would silently reach no one.
async fn check_audience(ctx: &OpsCtx, tenants: &[Uuid]) -> Result<(), ApiError> {
    let known = ctx.state.db.existing_tenants(tenants).await?;
    let errors: Vec<FieldError> = tenants
        .iter()
        .enumerate()
        .filter(|(_, t)| !known.contains(t))
        .map(|(i, _)| {
            FieldError::new(
                &format!("audience.tenant_ids[{i}]"),
                "unknown_tenant",
                "no such tenant",
            )
        })
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ApiError::Validation(errors))
    }
}

pub(super) async fn find(ctx: &OpsCtx, id: Uuid) -> Result<notice::Model, ApiError> {
    notice::Entity::find_by_id(id)
        .one(ctx.db())
        .await?
        .ok_or(ApiError::NotFound)
}

pub(super) async fn out(ctx: &OpsCtx, n: notice::Model) -> Result<NoticeOut, ApiError> {
    let tenants = super::types::audience(&n);
    let updates = updates_of(ctx.db(), &[n.id])
        .await?
        .remove(&n.id)
        .unwrap_or_default();
    let mut o = NoticeOut::new(n, updates, ctx.state.clock.now());
    o.tenant_ids = tenants;
    Ok(o)
}

/// Publish a notice. Maintenance starting less than 7 days from now is 422
/// `maintenance_notice_too_short` unless `emergency` with a reason. An
/// incident addressed to given tenants is also sent to their admins.
#[utoipa::path(
    tag = "ops",
    request_body = NoticeIn,
    responses(
        (status = 201, body = NoticeOut),
        crate::error::JsonBody,
        crate::error::OperatorUnauthenticated,
        (status = 422, description = "Invalid fields; `maintenance_notice_too_short`; `emergency_reason_required`", body = crate::error::Problem, content_type = "application/problem+json"),
        crate::error::DatabaseUnavailable,
    )
)]
#[post("/ops/notices")]
pub async fn create_notice(
    ctx: OpsCtx,
    body: crate::http::Json<NoticeIn>,
) -> ApiResult<HttpResponse> {
    let input = body.into_inner();
    let now = ctx.state.clock.now();
    let title = input.check(now)?;
    if let Some(a) = &input.audience {
        check_audience(&ctx, &a.tenant_ids).await?;
    }
    let status = match input.kind {
        NoticeKind::Maintenance => NoticeStatus::Scheduled,
        NoticeKind::Incident | NoticeKind::Vulnerability => NoticeStatus::Investigating,
        NoticeKind::Release => NoticeStatus::Published,
    };
    let tenants = input.audience.as_ref().map(|a| {
        let mut ids = a.tenant_ids.clone();
        ids.sort();
        ids.dedup();
        ids
    });
    let created = notice::ActiveModel {
        id: Set(Uuid::now_v7()),
        kind: Set(input.kind),
        severity: Set(input.severity),
        title_ja: Set(title.into()),
        title_en: Set(input.title.en.clone()),
        body_ja: Set(input.body.ja.clone()),
        body_en: Set(input.body.en.clone()),
        audience_tenant_ids: Set(tenants
            .as_ref()
            .map(|t| serde_json::to_string(t).unwrap_or_default())),
        starts_at: Set(input.starts_at),
        ends_at: Set(input.ends_at),
        emergency: Set(input.emergency),
        emergency_reason: Set(input.emergency_reason.clone().filter(|_| input.emergency)),
        status: Set(status),
        published_at: Set(now),
        resolved_at: Set(None),
        cancelled_at: Set(None),
        created_by: Set(Some(ctx.operator.id)),
        updated_at: Set(now),
    }
    .insert(ctx.db())
    .await?;
    let queued = match (&tenants, input.kind) {
        (Some(ids), NoticeKind::Incident) => {
            delivery::enqueue(&ctx.state, &created, ids, None).await?
        }
        _ => 0,
    };
    ctx.audit(
        "notice.published",
        Some(("notice", created.id.to_string())),
        serde_json::json!({ "kind": created.kind, "emergency": created.emergency, "tenants": tenants, "deliveries": queued }),
    )
    .await?;
    Ok(HttpResponse::Created().json(out(&ctx, created).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OpsNoticeQuery {
    /// Only notices of this kind.
    pub kind: Option<NoticeKind>,
}

/// Every notice (past ones too), newest first, with its audience.
#[utoipa::path(
    tag = "ops",
    params(OpsNoticeQuery, PageQuery),
    responses(
        (status = 200, body = Page<NoticeOut>),
        crate::error::OperatorUnauthenticated,
        (status = 422, description = "Invalid query", body = crate::error::Problem, content_type = "application/problem+json"),
        crate::error::DatabaseUnavailable,
    )
)]
#[get("/ops/notices")]
pub async fn list_ops_notices(
    ctx: OpsCtx,
    query: web::Query<OpsNoticeQuery>,
    page: web::Query<PageQuery>,
) -> ApiResult<HttpResponse> {
    let limit = page.limit()?;
    let mut select = notice::Entity::find()
        .order_by_desc(notice::Column::Id)
        .limit(limit + 1);
    if let Some(before) = page.after::<Uuid>()? {
        select = select.filter(notice::Column::Id.lt(before));
    }
    if let Some(kind) = query.kind {
        select = select.filter(notice::Column::Kind.eq(kind));
    }
    let Page {
        items: rows,
        next_cursor,
    } = Page::from_rows(select.all(ctx.db()).await?, limit, |n| n.id);
    let mut items = Vec::with_capacity(rows.len());
    for n in rows {
        items.push(out(&ctx, n).await?);
    }
    ctx.audit(
        "notices.listed",
        None,
        serde_json::json!({ "count": items.len() }),
    )
    .await?;
    Ok(HttpResponse::Ok().json(Page { items, next_cursor }))
}

/// Change a notice. Moving a maintenance window (or dropping `emergency`)
/// applies the one-week rule again, counted from now.
#[utoipa::path(
    tag = "ops",
    params(("id" = Uuid, Path, description = "Notice id")),
    request_body = NoticePatch,
    responses(
        (status = 200, body = NoticeOut),
        crate::error::JsonBodyAndId,
        crate::error::OperatorUnauthenticated,
        (status = 404, description = "No such notice", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "`notice_closed`: cancelled or completed", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields; `maintenance_notice_too_short`", body = crate::error::Problem, content_type = "application/problem+json"),
        crate::error::DatabaseUnavailable,
    )
)]
#[patch("/ops/notices/{id}")]
pub async fn update_notice(
    ctx: OpsCtx,
    id: web::Path<Uuid>,
    body: crate::http::Json<NoticePatch>,
) -> ApiResult<HttpResponse> {
    let patch = body.into_inner();
    let title_ja = patch.text_check()?;
    let n = find(&ctx, *id).await?;
    let now = ctx.state.clock.now();
    if matches!(
        effective_status(&n, now),
        NoticeStatus::Cancelled | NoticeStatus::Completed
    ) {
        return Err(ApiError::conflict(
            ErrorCode::NoticeClosed,
            "this notice is cancelled or completed",
        ));
    }
    let kind = n.kind;
    let starts_at = patch.starts_at.or(n.starts_at);
    let ends_at = patch.ends_at.or(n.ends_at);
    let emergency = patch.emergency.unwrap_or(n.emergency);
    let reason = patch
        .emergency_reason
        .clone()
        .or(n.emergency_reason.clone());
    let start_moved = patch.starts_at.is_some_and(|s| Some(s) != n.starts_at)
        || patch.emergency.is_some_and(|e| e != n.emergency);
    let window_changed = start_moved || patch.ends_at.is_some_and(|e| Some(e) != n.ends_at);
    if window_changed {
        let from = start_moved.then_some(now);
        window_violations(kind, starts_at, ends_at, emergency, reason.as_deref(), from)?;
    }
    let mut row: notice::ActiveModel = n.clone().into();
    if let Some(s) = patch.severity {
        row.severity = Set(s);
    }
    if let (Some(ja), Some(t)) = (title_ja, &patch.title) {
        row.title_ja = Set(ja.into());
        row.title_en = Set(t.en.clone());
    }
    if let Some(b) = &patch.body {
        row.body_ja = Set(b.ja.clone());
        row.body_en = Set(b.en.clone());
    }
    row.starts_at = Set(starts_at);
    row.ends_at = Set(ends_at);
    row.emergency = Set(emergency);
    row.emergency_reason = Set(reason.filter(|_| emergency));
    row.updated_at = Set(now);
    let updated = row.update(ctx.db()).await?;
    ctx.audit(
        "notice.updated",
        Some(("notice", updated.id.to_string())),
        serde_json::json!({ "window_changed": window_changed }),
    )
    .await?;
    Ok(HttpResponse::Ok().json(out(&ctx, updated).await?))
}

/// Cancel a maintenance, or withdraw a release note. Incidents and
/// vulnerabilities are closed with a `resolved` update instead.
#[utoipa::path(
    tag = "ops",
    params(("id" = Uuid, Path, description = "Notice id")),
    responses(
        (status = 200, body = NoticeOut),
        crate::error::BadId,
        crate::error::OperatorUnauthenticated,
        (status = 404, description = "No such notice", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "`notice_closed` or `not_cancellable`", body = crate::error::Problem, content_type = "application/problem+json"),
        crate::error::DatabaseUnavailable,
    )
)]
#[delete("/ops/notices/{id}")]
pub async fn cancel_notice(ctx: OpsCtx, id: web::Path<Uuid>) -> ApiResult<HttpResponse> {
    let n = find(&ctx, *id).await?;
    let now = ctx.state.clock.now();
    match (n.kind, effective_status(&n, now)) {
        (NoticeKind::Maintenance, NoticeStatus::Scheduled | NoticeStatus::InProgress)
        | (NoticeKind::Release, _) => {}
        (NoticeKind::Maintenance, _) => {
            return Err(ApiError::conflict(
                ErrorCode::NoticeClosed,
                "this maintenance is already over",
            ))
        }
        _ => {
            return Err(ApiError::conflict(
                ErrorCode::NotCancellable,
                "close incidents and vulnerabilities with a `resolved` update",
            ))
        }
    }
    let mut row: notice::ActiveModel = n.into();
    row.status = Set(NoticeStatus::Cancelled);
    row.cancelled_at = Set(Some(now));
    row.updated_at = Set(now);
    let cancelled = row.update(ctx.db()).await?;
    ctx.audit(
        "notice.cancelled",
        Some(("notice", cancelled.id.to_string())),
        serde_json::json!({}),
    )
    .await?;
    Ok(HttpResponse::Ok().json(out(&ctx, cancelled).await?))
}

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(create_notice)
        .service(list_ops_notices)
        .service(update_notice)
        .service(cancel_notice)
        .service(super::incidents::post_update)
        .service(super::incidents::list_deliveries);
}
