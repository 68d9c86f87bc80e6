//! The incident side of the operator API: timestamped stage updates, and
//! who each incident's emails and SMS reached.

use actix_web::{get, post, web, HttpResponse};
use chrono::DateTime;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder,
};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::{
    delivery,
    ops::{find, out},
    rules::UpdateIn,
    types::{IncidentStage, NoticeKind, NoticeOut, NoticeStatus},
};
use crate::{
    entities::platform::{
        notice,
        notice_delivery::{self, DeliveryChannel, DeliveryStatus},
        notice_update,
    },
    error::ErrorCode,
    error::{ApiError, ApiResult},
    ops::context::OpsCtx,
};

/// Post a timestamped update to an incident or vulnerability, moving it to a
/// new stage (`investigating`, `identified`, `monitoring`, `resolved`).
#[utoipa::path(
    tag = "ops",
    params(("id" = Uuid, Path, description = "Notice id")),
    request_body = UpdateIn,
    responses(
        (status = 201, body = NoticeOut),
        crate::error::JsonBodyAndId,
        crate::error::OperatorUnauthenticated,
        (status = 404, description = "No such notice", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "`no_updates`: not an incident or vulnerability", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid stage or text", body = crate::error::Problem, content_type = "application/problem+json"),
        crate::error::DatabaseUnavailable,
    )
)]
#[post("/ops/notices/{id}/updates")]
pub async fn post_update(
    ctx: OpsCtx,
    id: web::Path<Uuid>,
    body: crate::http::Json<UpdateIn>,
) -> ApiResult<HttpResponse> {
    let input = body.into_inner();
    let n = find(&ctx, *id).await?;
    if !matches!(n.kind, NoticeKind::Incident | NoticeKind::Vulnerability) {
        return Err(ApiError::conflict(
            ErrorCode::NoUpdates,
            "only incidents and vulnerabilities take updates",
        ));
    }
    let stage = input.status;
    input.check()?;
    let now = ctx.state.clock.now();
    let posted = notice_update::ActiveModel {
        id: Set(Uuid::now_v7()),
        notice_id: Set(n.id),
        status: Set(stage),
        body_ja: Set(input.body.ja.clone()),
        body_en: Set(input.body.en.clone()),
        at: Set(now),
        operator_id: Set(Some(ctx.operator.id)),
    }
    .insert(ctx.db())
    .await?;
    let mut row: notice::ActiveModel = n.into();
    row.status = Set(NoticeStatus::from(stage));
    row.resolved_at = Set((stage == IncidentStage::Resolved).then_some(now));
    row.updated_at = Set(now);
    let updated = row.update(ctx.db()).await?;
    // The admins told of an incident are told how it goes on.
    let queued = match (super::types::audience(&updated), updated.kind) {
        (Some(ids), NoticeKind::Incident) => {
            delivery::enqueue(&ctx.state, &updated, &ids, Some(&posted)).await?
        }
        _ => 0,
    };
    ctx.audit(
        "notice.update_posted",
        Some(("notice", updated.id.to_string())),
        serde_json::json!({ "status": stage, "deliveries": queued }),
    )
    .await?;
    Ok(HttpResponse::Created().json(out(&ctx, updated).await?))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveryOut {
    pub id: Uuid,
    /// The incident update sent; absent for the incident itself.
    pub update_id: Option<Uuid>,
    pub tenant_id: Uuid,
    pub user_id: Uuid,
    /// `email` or `sms`.
    pub channel: DeliveryChannel,
    /// Masked.
    pub destination: String,
    /// `user` (an administrator) or `security_contact`.
    pub recipient_kind: String,
    pub recipient_name: Option<String>,
    /// A security contact's full phone, so operators can call them.
    pub call_phone: Option<String>,
    /// `pending`, `sent` or `failed` (after 5 attempts).
    pub status: DeliveryStatus,
    pub attempts: i32,
    pub last_error: Option<String>,
    /// Every attempt, oldest first.
    pub attempt_log: Vec<delivery::AttemptOut>,
    pub next_attempt_at: DateTime<chrono::Utc>,
    pub sent_at: Option<DateTime<chrono::Utc>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveryList {
    pub items: Vec<DeliveryOut>,
}

/// Who an incident reached: each email and SMS with its attempts.
#[utoipa::path(
    tag = "ops",
    params(("id" = Uuid, Path, description = "Notice id")),
    responses(
        (status = 200, body = DeliveryList),
        crate::error::BadId,
        crate::error::OperatorUnauthenticated,
        (status = 404, description = "No such notice", body = crate::error::Problem, content_type = "application/problem+json"),
        crate::error::DatabaseUnavailable,
    )
)]
#[get("/ops/notices/{id}/deliveries")]
pub async fn list_deliveries(ctx: OpsCtx, id: web::Path<Uuid>) -> ApiResult<HttpResponse> {
    let n = find(&ctx, *id).await?;
    let items = notice_delivery::Entity::find()
        .filter(notice_delivery::Column::NoticeId.eq(n.id))
        .order_by_asc(notice_delivery::Column::Id)
        .all(ctx.db())
        .await?
        .into_iter()
        .map(|d| DeliveryOut {
            id: d.id,
            update_id: d.update_id,
            tenant_id: d.tenant_id,
            user_id: d.user_id,
            destination: delivery::masked(d.channel, &d.destination),
            recipient_kind: d.recipient_kind.clone().unwrap_or_else(|| "user".into()),
            recipient_name: d.recipient_name.clone(),
            call_phone: (d.recipient_kind.as_deref() == Some("security_contact")
                && d.channel == DeliveryChannel::Sms)
                .then(|| d.destination.clone()),
            channel: d.channel,
            status: d.status,
            attempts: d.attempts,
            last_error: d.last_error,
            attempt_log: serde_json::from_str(&d.attempt_log).unwrap_or_default(),
            next_attempt_at: d.next_attempt_at,
            sent_at: d.sent_at,
        })
        .collect();
    ctx.audit(
        "notice.deliveries.read",
        Some(("notice", n.id.to_string())),
        serde_json::json!({}),
    )
    .await?;
    Ok(HttpResponse::Ok().json(DeliveryList { items }))
}
