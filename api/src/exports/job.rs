//! The export worker: one per node, one export at a time. A request puts
//! its tenant in the platform's `export_queue`; the worker of any node takes
//! due tenants from there, claims a queued job with a conditional update (so
//! two nodes never build the same one), streams the ZIP to object storage
//! and records the outcome. A node that dies mid-export stops touching its
//! job's heartbeat: after `CREPO_EXPORT_STALE_SECS` any worker marks the job
//! failed and removes what it may have left. Ready exports are deleted when
//! they expire.

use std::time::Duration;

use chrono::{DateTime, Utc};
use sea_orm::{
    sea_query::{Expr, OnConflict},
    ActiveEnum,
    ActiveValue::Set,
    ColumnTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

use super::build::run;
use crate::{
    db::{Db, TenantTx},
    entities::{
        platform::{export_queue, tenant::TenantStatus},
        tenant::export::{self, ExportStatus},
    },
    ids::TenantId,
    state::AppState,
    storage::ObjectKey,
};

/// Where an export's ZIP is kept, under the tenant's prefix.
pub fn object_path(id: Uuid) -> String {
    format!("exports/{id}.zip")
}

/// Puts `tenant` in the queue, due at `at` (or sooner if it already is).
pub async fn schedule(db: &Db, tenant: TenantId, at: DateTime<Utc>) -> Result<(), DbErr> {
    let existing = export_queue::Entity::find_by_id(tenant.as_uuid())
        .one(db.platform())
        .await?;
    if existing.is_some_and(|e| e.due_at <= at) {
        return Ok(());
    }
    export_queue::Entity::insert(export_queue::ActiveModel {
        tenant_id: Set(tenant.as_uuid()),
        due_at: Set(at),
    })
    .on_conflict(
        OnConflict::column(export_queue::Column::TenantId)
            .update_column(export_queue::Column::DueAt)
            .to_owned(),
    )
    .exec(db.platform())
    .await?;
    Ok(())
}

pub fn spawn(state: actix_web::web::Data<AppState>) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            match run_due(&state).await {
                Ok(true) => continue,
                Ok(false) => {}
                Err(e) => tracing::warn!(error = format!("{e:#}"), "export worker"),
            }
            let _ =
                tokio::time::timeout(Duration::from_secs(2), state.export_wakeup.notified()).await;
        }
    })
}

/// Serves every tenant whose export work is due; `true` when something was
/// done (look again at once).
async fn run_due(state: &AppState) -> anyhow::Result<bool> {
    let now = state.clock.now();
    let due = export_queue::Entity::find()
        .filter(export_queue::Column::DueAt.lte(now))
        .order_by_asc(export_queue::Column::DueAt)
        .limit(20)
        .all(state.db.platform())
        .await?;
    let mut worked = false;
    for row in due {
        worked |= serve_tenant(state, TenantId(row.tenant_id)).await?;
    }
    Ok(worked)
}

/// Fails stale jobs, expires old exports, builds one queued export, then
/// sets when the tenant is due next.
async fn serve_tenant(state: &AppState, tenant: TenantId) -> anyhow::Result<bool> {
    let db = &state.db;
    let now = state.clock.now();
    let row = crate::entities::platform::tenant::Entity::find_by_id(tenant.as_uuid())
        .one(db.platform())
        .await?;
    let Some(row) = row.filter(|t| t.status != TenantStatus::Provisioning) else {
        export_queue::Entity::delete_by_id(tenant.as_uuid())
            .exec(db.platform())
            .await?;
        return Ok(false);
    };
    let stale_before = now - chrono::Duration::from_std(state.settings.export_stale)?;
    // What is left of stale jobs and expired exports goes first, then the
    // rows say so: a node dying in between leaves them to the next round.
    let (dead, expired) = db
        .in_tenant(tenant, async |tx| {
            let dead = export::Entity::find()
                .filter(export::Column::Status.eq(ExportStatus::Running))
                .filter(export::Column::HeartbeatAt.lt(stale_before))
                .all(tx)
                .await?;
            let expired = export::Entity::find()
                .filter(export::Column::Status.eq(ExportStatus::Ready))
                .filter(export::Column::ExpiresAt.lte(now))
                .all(tx)
                .await?;
            Ok::<_, DbErr>((dead, expired))
        })
        .await?;
    for job in dead.iter().chain(&expired) {
        remove_object(state, tenant, job.id).await;
    }
    db.in_tenant(tenant, async |tx| {
        for job in &dead {
            // Only if it is still the silent job it was (not finished meanwhile).
            export::Entity::update_many()
                .col_expr(
                    export::Column::Status,
                    Expr::value(ExportStatus::Failed.to_value()),
                )
                .col_expr(export::Column::FinishedAt, Expr::value(now))
                .col_expr(
                    export::Column::Error,
                    Expr::value("the export was interrupted (its server stopped); start a new one"),
                )
                .filter(export::Column::Id.eq(job.id))
                .filter(export::Column::Status.eq(ExportStatus::Running))
                .filter(export::Column::HeartbeatAt.lt(stale_before))
                .exec(tx)
                .await?;
        }
        for job in &expired {
            finish(tx, job.id, ExportStatus::Expired, now, |_| {}).await?;
        }
        Ok::<_, DbErr>(())
    })
    .await?;
    let mut worked = !dead.is_empty() || !expired.is_empty();
    if row.status == TenantStatus::Active {
        if let Some(job) = claim(db, tenant, now).await? {
            worked = true;
            // Other nodes leave it alone while the heartbeat is fresh.
            schedule(
                db,
                tenant,
                now + chrono::Duration::from_std(state.settings.export_stale)?,
            )
            .await?;
            run(state, &row, job).await;
        }
    }
    reschedule(state, tenant).await?;
    Ok(worked)
}

pub(super) async fn finish(
    tx: &TenantTx,
    id: Uuid,
    status: ExportStatus,
    now: DateTime<Utc>,
    more: impl FnOnce(&mut export::ActiveModel),
) -> Result<(), DbErr> {
    let mut m = export::ActiveModel {
        id: Set(id),
        status: Set(status),
        finished_at: Set(Some(now)),
        ..Default::default()
    };
    more(&mut m);
    export::Entity::update(m).exec(tx).await?;
    Ok(())
}

/// Takes the oldest queued job, unless another node took it first.
async fn claim(
    db: &Db,
    tenant: TenantId,
    now: DateTime<Utc>,
) -> anyhow::Result<Option<export::Model>> {
    Ok(db
        .in_tenant(tenant, async |tx| {
            let Some(job) = export::Entity::find()
                .filter(export::Column::Status.eq(ExportStatus::Queued))
                .order_by_asc(export::Column::CreatedAt)
                .one(tx)
                .await?
            else {
                return Ok::<_, DbErr>(None);
            };
            let taken = export::Entity::update_many()
                .col_expr(
                    export::Column::Status,
                    Expr::value(ExportStatus::Running.to_value()),
                )
                .col_expr(export::Column::StartedAt, Expr::value(now))
                .col_expr(export::Column::HeartbeatAt, Expr::value(now))
                .filter(export::Column::Id.eq(job.id))
                .filter(export::Column::Status.eq(ExportStatus::Queued))
                .exec(tx)
                .await?;
            Ok((taken.rows_affected == 1).then_some(job))
        })
        .await?)
}

/// When the tenant next needs the worker: a queued job now, a running one
/// when it would go stale, a ready one when it expires; or never.
async fn reschedule(state: &AppState, tenant: TenantId) -> anyhow::Result<()> {
    let stale = chrono::Duration::from_std(state.settings.export_stale)?;
    let jobs = state
        .db
        .in_tenant(tenant, async |tx| {
            export::Entity::find()
                .filter(export::Column::Status.is_in([
                    ExportStatus::Queued,
                    ExportStatus::Running,
                    ExportStatus::Ready,
                ]))
                .all(tx)
                .await
        })
        .await?;
    let next = jobs
        .iter()
        .filter_map(|j| match j.status {
            ExportStatus::Queued => Some(j.created_at),
            ExportStatus::Running => j.heartbeat_at.map(|h| h + stale),
            _ => j.expires_at,
        })
        .min();
    match next {
        Some(at) => {
            export_queue::Entity::insert(export_queue::ActiveModel {
                tenant_id: Set(tenant.as_uuid()),
                due_at: Set(at),
            })
            .on_conflict(
                OnConflict::column(export_queue::Column::TenantId)
                    .update_column(export_queue::Column::DueAt)
                    .to_owned(),
            )
            .exec(state.db.platform())
            .await?;
        }
        None => {
            export_queue::Entity::delete_by_id(tenant.as_uuid())
                .exec(state.db.platform())
                .await?;
        }
    }
    Ok(())
}

pub(super) async fn remove_object(state: &AppState, tenant: TenantId, id: Uuid) {
    let removed = match ObjectKey::for_tenant(tenant, &object_path(id)) {
        Ok(key) => state.storage.delete(&key).await,
        Err(e) => Err(e),
    };
    if let Err(e) = removed {
        tracing::error!(error = format!("{e:#}"), export_id = %id, "export object not removed");
    }
    // A node killed mid-write leaves the directory store's temporary file
    // (S3 keeps an unfinished multipart upload instead: a bucket lifecycle
    // rule aborts those).
    let Ok(prefix) = ObjectKey::for_tenant(tenant, "exports") else {
        return;
    };
    let name = id.to_string();
    match state.storage.list(&prefix).await {
        Ok(listed) => {
            for o in listed
                .into_iter()
                .filter(|o| o.temp && o.key.as_str().contains(&name))
            {
                if let Err(e) = state.storage.delete(&o.key).await {
                    tracing::error!(error = format!("{e:#}"), export_id = %id, "partial export not removed");
                }
            }
        }
        Err(e) => tracing::error!(error = format!("{e:#}"), "export leftovers not listed"),
    }
}
