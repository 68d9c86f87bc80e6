//! The evaluation worker, one per node. An upload (or a re-run) puts its
//! tenant in the platform's `evaluation_queue`; the worker of any node takes
//! due tenants from there, claims one evaluation at a time with a
//! conditional update (so two nodes never run the same one), and runs it on
//! the blocking pool while holding one of as many permits as the machine
//! has cores: evaluations never take every thread the API needs. A node
//! that dies mid-run leaves its claim to go stale; any worker takes it again.

use std::time::Duration;

use actix_web::web::Data;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};

use super::{
    compute,
    queries::{self, MAX_ATTEMPTS},
    types::areas_of,
};
use crate::{
    entities::{
        platform::{evaluation_queue, tenant::TenantStatus},
        tenant::{
            file,
            file_evaluation::{self, EvaluationStatus},
        },
    },
    ids::TenantId,
    state::AppState,
    storage::{self, ObjectKey},
};

pub fn spawn(state: Data<AppState>) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            match run_due(&state).await {
                Ok(true) => continue,
                Ok(false) => {}
                Err(e) => tracing::warn!(error = format!("{e:#}"), "evaluation worker"),
            }
            let _ =
                tokio::time::timeout(Duration::from_secs(2), state.evaluation_wakeup.notified())
                    .await;
        }
    })
}

/// Claims what the due tenants have waiting, while permits last; `true`
/// when something was started (look again at once).
async fn run_due(state: &Data<AppState>) -> anyhow::Result<bool> {
    let now = state.clock.now();
    let due = evaluation_queue::Entity::find()
        .filter(evaluation_queue::Column::DueAt.lte(now))
        .order_by_asc(evaluation_queue::Column::DueAt)
        .limit(20)
        .all(state.db.platform())
        .await?;
    let mut started = false;
    for row in due {
        // Waits while every core is busy: claims only what can start now.
        let permit = state.evaluations.clone().acquire_owned().await?;
        let tenant = TenantId(row.tenant_id);
        match serve_tenant(state, tenant, row).await? {
            Some(job) => {
                started = true;
                let state = state.clone();
                tokio::spawn(async move {
                    run_one(&state, tenant, job).await;
                    drop(permit);
                });
            }
            None => drop(permit),
        }
    }
    Ok(started)
}

type Job = (file_evaluation::Model, file::Model);

/// Claims one evaluation of the tenant, then sets when the tenant is due
/// next (only if nobody changed its queue row meanwhile: an upload that
/// queued it again must not be undone).
async fn serve_tenant(
    state: &AppState,
    tenant: TenantId,
    seen: evaluation_queue::Model,
) -> anyhow::Result<Option<Job>> {
    let db = &state.db;
    let row = crate::entities::platform::tenant::Entity::find_by_id(tenant.as_uuid())
        .one(db.platform())
        .await?;
    let now = state.clock.now();
    match row.map(|t| t.status) {
        Some(TenantStatus::Active) => {}
        // Nothing runs while suspended; looked at again now and then, so
        // what waits is evaluated once the tenant is resumed.
        Some(TenantStatus::Suspended) => {
            forget(state, &seen, Some(now + chrono::Duration::minutes(5))).await?;
            return Ok(None);
        }
        // Gone, going, or not there yet (it has no designs then).
        _ => {
            forget(state, &seen, None).await?;
            return Ok(None);
        }
    }
    let (job, next) = db
        .in_tenant(tenant, async |tx| {
            let job = queries::claim(tx, now).await?;
            let next = queries::next_due(tx).await?;
            Ok::<_, DbErr>((job, next))
        })
        .await?;
    forget(state, &seen, next).await?;
    // An upload that committed after the read above, but queued the tenant
    // before `forget`, found the old row and left it: look once more.
    let again = db
        .in_tenant(tenant, async |tx| queries::next_due(tx).await)
        .await?;
    if let Some(at) = again.filter(|at| next.is_none_or(|n| *at < n)) {
        queries::schedule(db, tenant, at).await?;
    }
    Ok(job)
}

/// Moves the tenant's queue row to `next` (or removes it), if it still is
/// the row the worker read.
async fn forget(
    state: &AppState,
    seen: &evaluation_queue::Model,
    next: Option<chrono::DateTime<chrono::Utc>>,
) -> Result<(), DbErr> {
    let same = evaluation_queue::Column::TenantId
        .eq(seen.tenant_id)
        .and(evaluation_queue::Column::DueAt.eq(seen.due_at));
    match next {
        Some(at) => {
            evaluation_queue::Entity::update_many()
                .col_expr(
                    evaluation_queue::Column::DueAt,
                    sea_orm::sea_query::Expr::value(at),
                )
                .filter(same)
                .exec(state.db.platform())
                .await?;
        }
        None => {
            evaluation_queue::Entity::delete_many()
                .filter(same)
                .exec(state.db.platform())
                .await?;
        }
    }
    Ok(())
}

/// Why a run did not finish.
enum Failure {
    /// The design itself: trying again would fail again.
    Design(&'static str),
    /// Storage, the database or the worker: worth another attempt.
    Transient(anyhow::Error),
}

async fn run_one(state: &AppState, tenant: TenantId, (row, f): Job) {
    let Some(claimed_at) = row.claimed_at else {
        return;
    };
    let now = || state.clock.now();
    let mut outcome = file_evaluation::ActiveModel {
        updated_at: Set(now()),
        ..Default::default()
    };
    if row.attempts > MAX_ATTEMPTS {
        // Cut off every time (a node dying on this design, say).
        outcome.status = Set(EvaluationStatus::Failed);
        outcome.reason = Set(Some("interrupted".into()));
        outcome.finished_at = Set(Some(now()));
        settle(state, tenant, &f, claimed_at, outcome, false).await;
        return;
    }
    match evaluate(state, tenant, &row, &f).await {
        Ok(done) => {
            outcome.status = Set(EvaluationStatus::Done);
            outcome.reason = Set(None);
            outcome.algorithm = Set(Some(done.algorithm.to_owned()));
            outcome.algorithm_version = Set(i32::try_from(done.algorithm_version).ok());
            outcome.metrics = Set(serde_json::to_string(&done.stored).ok());
            outcome.maps = Set(serde_json::to_string(&done.maps).ok());
            outcome.heatmap_key = Set(Some(storage::heatmap_path(&f.object_key)));
            outcome.raw_key = Set(Some(storage::saliency_path(&f.object_key)));
            outcome.finished_at = Set(Some(now()));
            settle(state, tenant, &f, claimed_at, outcome, true).await;
        }
        Err(Failure::Design(reason)) => {
            outcome.status = Set(EvaluationStatus::Failed);
            outcome.reason = Set(Some(reason.into()));
            outcome.finished_at = Set(Some(now()));
            settle(state, tenant, &f, claimed_at, outcome, false).await;
        }
        Err(Failure::Transient(e)) => {
            tracing::warn!(error = format!("{e:#}"), file_id = %f.id, attempt = row.attempts, "evaluation failed");
            if row.attempts >= MAX_ATTEMPTS {
                outcome.status = Set(EvaluationStatus::Failed);
                outcome.reason = Set(Some("unavailable".into()));
                outcome.finished_at = Set(Some(now()));
            } else {
                outcome.status = Set(EvaluationStatus::Pending);
                outcome.claimed_at = Set(None);
            }
            settle(state, tenant, &f, claimed_at, outcome, false).await;
            // The retry waits a little: what failed may need a moment.
            let at = now() + chrono::Duration::seconds(2 * i64::from(row.attempts));
            if let Err(e) = queries::schedule(&state.db, tenant, at).await {
                tracing::error!(error = format!("{e:#}"), "evaluation retry not queued");
            }
        }
    }
}

/// Reads the original, evaluates it and stores the pictures.
async fn evaluate(
    state: &AppState,
    tenant: TenantId,
    row: &file_evaluation::Model,
    f: &file::Model,
) -> Result<compute::Outcome, Failure> {
    let key = ObjectKey::for_tenant(tenant, &f.object_key).map_err(Failure::Transient)?;
    let bytes = state
        .storage
        .get(&key)
        .await
        .map_err(Failure::Transient)?
        .ok_or(Failure::Design("missing_original"))?;
    let areas = areas_of(row);
    let done = tokio::task::spawn_blocking(move || compute::run(&bytes, &areas))
        .await
        .map_err(|e| Failure::Transient(e.into()))?
        .map_err(|e| {
            tracing::info!(error = %e, file_id = %f.id, "design not evaluated");
            Failure::Design(e.reason())
        })?;
    for (path, png) in [
        (storage::heatmap_path(&f.object_key), &done.heatmap),
        (storage::saliency_path(&f.object_key), &done.raw),
    ] {
        let key = ObjectKey::for_tenant(tenant, &path).map_err(Failure::Transient)?;
        state
            .storage
            .put(&key, png.clone().into(), "image/png")
            .await
            .map_err(Failure::Transient)?;
    }
    Ok(done)
}

/// Records the outcome. When the row is no longer this claim and the file
/// is gone, the pictures just written would be left behind: removed here.
async fn settle(
    state: &AppState,
    tenant: TenantId,
    f: &file::Model,
    claimed_at: chrono::DateTime<chrono::Utc>,
    outcome: file_evaluation::ActiveModel,
    wrote: bool,
) {
    let id = f.id;
    let result = state
        .db
        .in_tenant(tenant, async |tx| {
            let kept = queries::settle(tx, id, claimed_at, outcome).await?;
            let exists = file::Entity::find_by_id(id).one(tx).await?.is_some();
            Ok::<_, DbErr>((kept, exists))
        })
        .await;
    match result {
        Ok((_, false)) if wrote => {
            let paths = [
                storage::heatmap_path(&f.object_key),
                storage::saliency_path(&f.object_key),
            ];
            for path in paths {
                if let Ok(key) = ObjectKey::for_tenant(tenant, &path) {
                    if let Err(e) = state.storage.delete(&key).await {
                        tracing::error!(error = format!("{e:#}"), "evaluation picture not removed");
                    }
                }
            }
        }
        Ok(_) => {}
        Err(e) => {
            // The claim goes stale and is taken again.
            tracing::error!(error = format!("{e:#}"), file_id = %id, "evaluation outcome not recorded");
        }
    }
}
