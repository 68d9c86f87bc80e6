//! Notices after login: maintenance (announced at least a week ahead),
//! vulnerabilities, incidents and releases, published by operators, each
//! addressed to every tenant or to some. Users mark them read.

pub mod delivery;
pub mod incidents;
pub mod ops;
pub mod rules;
pub mod types;

use std::collections::{HashMap, HashSet};

use actix_web::{get, post, web, HttpResponse};
use sea_orm::{
    sea_query::OnConflict, ActiveEnum, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr,
    EntityTrait, QueryFilter, QueryOrder,
};
use uuid::Uuid;

use crate::{
    auth::TenantCtx,
    entities::{
        platform::{notice, notice_update},
        tenant::notice_read,
    },
    error::{ApiError, ApiResult},
    ids::TenantId,
    state::AppState,
};
use types::{NoticeList, NoticeOut};

/// Updates of each of `notices`, oldest first.
pub async fn updates_of(
    conn: &impl ConnectionTrait,
    notices: &[Uuid],
) -> Result<HashMap<Uuid, Vec<notice_update::Model>>, DbErr> {
    let mut out: HashMap<Uuid, Vec<notice_update::Model>> = HashMap::new();
    if notices.is_empty() {
        return Ok(out);
    }
    for u in notice_update::Entity::find()
        .filter(notice_update::Column::NoticeId.is_in(notices.to_vec()))
        .order_by_asc(notice_update::Column::At)
        .all(conn)
        .await?
    {
        out.entry(u.notice_id).or_default().push(u);
    }
    Ok(out)
}

fn addressed_to(n: &notice::Model, tenant: TenantId) -> bool {
    types::audience(n).is_none_or(|ids| ids.contains(&tenant.as_uuid()))
}

/// What concerns this tenant now, newest first: maintenance scheduled or in
/// progress, vulnerabilities and incidents not yet resolved (or resolved in
/// the last 7 days), releases of the last 30 days; each with `read`.
#[utoipa::path(
    tag = "notices",
    responses(
        (status = 200, body = NoticeList),
        crate::error::Unauthenticated,
        (status = 403, description = "`password_change_required`", body = crate::error::Problem, content_type = "application/problem+json"),
        crate::error::DatabaseUnavailable,
    )
)]
#[get("/notices")]
async fn list_notices(state: web::Data<AppState>, ctx: TenantCtx) -> ApiResult<HttpResponse> {
    let now = state.clock.now();
    let tenant = ctx.tenant_id();
    let db = state.db.platform();
    let shown: Vec<notice::Model> = notice::Entity::find()
        .filter(types::maybe_current(now))
        .order_by_desc(notice::Column::PublishedAt)
        .all(db)
        .await?
        .into_iter()
        .filter(|n| addressed_to(n, tenant) && types::current(n, now))
        .collect();
    let ids: Vec<Uuid> = shown.iter().map(|n| n.id).collect();
    let read: HashSet<(Uuid, String)> = notice_read::Entity::find()
        .filter(notice_read::Column::UserId.eq(ctx.user.id))
        .filter(notice_read::Column::NoticeId.is_in(ids.clone()))
        .all(ctx.tx().await?)
        .await?
        .into_iter()
        .map(|r| (r.notice_id, r.phase))
        .collect();
    let mut updates = updates_of(db, &ids).await?;
    let items = shown
        .into_iter()
        .map(|n| {
            let id = n.id;
            let mut out = NoticeOut::new(n, updates.remove(&id).unwrap_or_default(), now);
            out.read = Some(read.contains(&(id, out.status.to_value())));
            out
        })
        .collect();
    Ok(HttpResponse::Ok().json(NoticeList { items }))
}

/// Mark a notice read for the signed-in user, in its current phase: when a
/// maintenance starts or an incident moves to a new stage, it is unread again.
#[utoipa::path(
    tag = "notices",
    params(("id" = Uuid, Path, description = "Notice id")),
    responses(
        (status = 204, description = "Marked read"),
        crate::error::BadId,
        crate::error::Unauthenticated,
        (status = 403, description = "`password_change_required`", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such notice for this tenant", body = crate::error::Problem, content_type = "application/problem+json"),
        crate::error::DatabaseUnavailable,
    )
)]
#[post("/notices/{id}/read")]
async fn mark_read(
    state: web::Data<AppState>,
    ctx: TenantCtx,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let n = notice::Entity::find_by_id(*id)
        .one(state.db.platform())
        .await?
        .filter(|n| addressed_to(n, ctx.tenant_id()))
        .ok_or(ApiError::NotFound)?;
    let now = state.clock.now();
    notice_read::Entity::insert(notice_read::ActiveModel {
        notice_id: Set(n.id),
        user_id: Set(ctx.user.id),
        phase: Set(types::effective_status(&n, now).to_value()),
        read_at: Set(now),
    })
    .on_conflict(
        OnConflict::columns([
            notice_read::Column::NoticeId,
            notice_read::Column::UserId,
            notice_read::Column::Phase,
        ])
        .do_nothing()
        .to_owned(),
    )
    .exec_without_returning(ctx.tx().await?)
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_notices).service(mark_read);
}
